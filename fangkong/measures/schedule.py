"""Scheduled tests meet recorded results; overdue tests listed per site and village."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor
from fangkong.labtests.models import NatTest, Result

from .access import measures_for
from .models import RUNNING, Measure, SampleStatus, ScheduledTest


def next_test_due_sync(measure: Measure) -> None:
    """Store the measure's earliest pending test date (called after every schedule change)."""
    due = ScheduledTest.objects.filter(measure=measure, status=SampleStatus.PENDING).aggregate(
        d=Min("due_date")
    )["d"]
    if measure.next_test_due != due:
        Measure.objects.filter(pk=measure.pk).update(next_test_due=due)
        measure.next_test_due = due


def next_test_due_refresh(measure_ids: list[int]) -> None:
    """The same for many measures at once, after a bulk change of their tests (demo, loads)."""
    due = dict(
        ScheduledTest.objects.filter(measure_id__in=measure_ids, status=SampleStatus.PENDING)
        .values_list("measure_id")
        .annotate(d=Min("due_date"))
        .order_by()
    )
    Measure.objects.bulk_update(
        [Measure(pk=pk, next_test_due=due.get(pk)) for pk in measure_ids],
        ["next_test_due"],
        batch_size=1000,
    )


def _match(measure: Measure, day: dt.date) -> ScheduledTest | None:
    """The pending test this sample answers: due that day, else the latest overdue one,
    else one due the next day (sampled a day early)."""
    pending = list(
        measure.scheduled_tests.filter(
            status=SampleStatus.PENDING, due_date__lte=day + dt.timedelta(days=1)
        )
    )
    if not pending:
        return None
    return min(pending, key=lambda t: (abs((t.due_date - day).days), t.due_date > day))


def on_result_recorded(*, test: NatTest, actor: Actor) -> None:
    """Result handler (labtests.handlers.RESULT_HANDLERS)."""
    from .release import measure_evaluate, measure_to_hospital

    if test.result == Result.PENDING:
        return
    measure = (
        Measure.objects.select_for_update(of=("self",))
        .select_related("person", "site")
        .filter(person_id=test.person_id, status__in=RUNNING)
        .first()
    )
    if measure is None:
        return
    scheduled = _match(measure, timezone.localdate(test.sampled_at))
    if scheduled is not None:
        scheduled.status = (
            SampleStatus.POSITIVE if test.result == Result.POSITIVE else SampleStatus.NEGATIVE
        )
        scheduled.test = test
        scheduled.save(update_fields=["status", "test"])
        next_test_due_sync(measure)
    if test.result == Result.POSITIVE:
        measure_to_hospital(
            measure=measure,
            at=test.reported_at or timezone.now(),
            reason=_("核酸阳性（采样 %(at)s）")
            % {"at": timezone.localtime(test.sampled_at).strftime("%Y-%m-%d %H:%M")},
        )
        return
    with transaction.atomic():
        measure_evaluate(measure=measure, at=timezone.now())


def regions_of_people(*, person_ids: list[int]) -> dict[int, list[str]]:
    """labtests.handlers.PERSON_REGION_PROVIDERS: where running measures look after people."""
    rows = Measure.objects.filter(person_id__in=person_ids, status__in=RUNNING).values_list(
        "person_id", "region_id"
    )
    found: dict[int, list[str]] = {}
    for pid, code in rows:
        found.setdefault(pid, []).append(code)
    return found


def overdue_tests(*, actor: Actor, today: dt.date | None = None) -> QuerySet[ScheduledTest]:
    """Pending tests past their due date, for running measures the actor sees, oldest first."""
    today = today or timezone.localdate()
    return (
        ScheduledTest.objects.filter(
            measure__in=measures_for(actor).filter(status__in=RUNNING).values("pk"),
            status=SampleStatus.PENDING,
            due_date__lt=today,
        )
        .select_related("measure__person", "measure__site", "measure__region")
        .order_by("due_date", "measure_id")
    )


def overdue_by_place(*, actor: Actor, today: dt.date | None = None) -> dict[str, list[dict]]:
    """Overdue tests grouped per site (centralised) and per village (at home)."""
    sites: dict[int, dict] = {}
    villages: dict[str, dict] = {}
    for test in overdue_tests(actor=actor, today=today):
        m = test.measure
        if m.site is not None:
            group = sites.setdefault(m.site.pk, {"name": m.site.name, "tests": []})
        else:
            group = villages.setdefault(m.region_id, {"name": m.region.name, "tests": []})
        group["tests"].append(test)
    return {"sites": list(sites.values()), "villages": list(villages.values())}
