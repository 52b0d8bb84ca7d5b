"""Deadlines: countdowns, overdue on read, escalation to the level above."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from fangkong.audit.models import ChangeEntry
from fangkong.notifications.models import Notification
from fangkong.screening import selectors
from fangkong.screening.display import badge, countdown
from fangkong.screening.models import ScreeningRecord

from .conftest import HEADER, ID_A, ID_B, csv_bytes, row

pytestmark = pytest.mark.django_db


def test_countdown_and_badges(time_machine):
    now = timezone.now()
    assert countdown(now + dt.timedelta(hours=3, minutes=20), now) == "剩 3 小时"
    assert countdown(now - dt.timedelta(minutes=30), now) == "逾期 30 分钟"
    record = ScreeningRecord(deadline=now + dt.timedelta(hours=2), status="received")
    assert badge(record, now)[0] == "badge-orange"
    record.deadline = now + dt.timedelta(hours=10)
    assert badge(record, now)[0] == "badge-blue"
    record.deadline = now - dt.timedelta(hours=1)
    assert badge(record, now)[0] == "badge-red"
    record.status, record.four_clear = "closed", True
    assert badge(record, now)[0] == "badge-green"


def test_overdue_shows_on_read_and_escalates_to_the_level_above(
    run_import, actor_of, time_machine, capsys
):
    time_machine.move_to(dt.datetime(2022, 1, 10, 9, 0, tzinfo=dt.UTC), tick=False)
    batch = run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, address="吉首市峒河街道峒河社区"),
                row(2, "李四", ID_B, address="吉首市峒河街道"),
            ]
        ),
        deadline_hours=24,
    ).batch
    county = actor_of("county_operator")
    assert selectors.overdue_page(actor=county)["count"] == 0
    time_machine.move_to(dt.datetime(2022, 1, 11, 9, 30, tzinfo=dt.UTC), tick=False)
    assert selectors.overdue_page(actor=county)["count"] == 2
    call_command("screening-escalate")
    records = {r.row_number: r for r in batch.records.all()}
    assert records[2].escalated_to_id == "433101002"  # village → township
    assert records[3].escalated_to_id == "433101"  # township → county
    assert ChangeEntry.objects.filter(action="screening.record.escalated").count() == 2
    alerts = {n.region_id: n for n in Notification.objects.filter(kind="screening.escalated")}
    assert sorted(alerts) == ["433101", "433101002"]
    assert alerts["433101"].message == f"批次 #{batch.pk}：1 条排查记录逾期未反馈，已上报本级督办"
    assert alerts["433101"].link == (
        f"/screening/records/?batch={batch.pk}&region=433101&status=overdue"
    )
    call_command("screening-escalate")  # nothing new to escalate
    assert Notification.objects.filter(kind="screening.escalated").count() == 2
    assert ChangeEntry.objects.filter(action="screening.record.escalated").count() == 2
    assert "escalated 0" in capsys.readouterr().out.splitlines()[-1]


def test_the_overdue_list_leads_its_managers_to_the_overdue_records_download(
    run_import, client, world, time_machine
):
    from django.urls import reverse

    time_machine.move_to(dt.datetime(2022, 1, 10, 9, 0, tzinfo=dt.UTC), tick=False)
    run_import(csv_bytes([HEADER, row(1, "张三", ID_A, address="吉首市峒河街道峒河社区")]))
    link = reverse("screening:records") + "?status=overdue"
    client.force_login(world.user("county_operator"))
    assert link not in client.get(reverse("screening:overdue")).content.decode()  # none yet
    time_machine.move_to(dt.datetime(2022, 1, 11, 9, 30, tzinfo=dt.UTC), tick=False)
    client.force_login(world.user("county_operator"))  # a day idle signed the user out
    assert link in client.get(reverse("screening:overdue")).content.decode()
    listed = client.get(link)
    assert len(listed.context["records"]) == 1
    assert reverse("screening:records_sheet") in listed.content.decode()
    client.force_login(world.user("grid_worker"))
    assert link not in client.get(reverse("screening:overdue")).content.decode()
