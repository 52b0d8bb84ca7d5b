"""When a list's last record was closed; lists already cleared are closed as of then."""

from django.db import migrations, models
from django.db.models import Max, Q


def close_cleared_batches(apps, schema_editor):
    batch_model = apps.get_model("screening", "ScreeningBatch")
    record_model = apps.get_model("screening", "ScreeningRecord")
    cleared = (
        record_model.objects.values("batch_id")
        .annotate(open=models.Count("id", filter=~Q(status="closed")), last=Max("closed_at"))
        .filter(open=0)
        .order_by()
    )
    for row in cleared:
        batch_model.objects.filter(pk=row["batch_id"], status="open").update(
            status="done", closed_at=row["last"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0007_repush_sent_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="screeningbatch",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="闭环时间"),
        ),
        migrations.RunPython(close_cleared_batches, migrations.RunPython.noop),
    ]
