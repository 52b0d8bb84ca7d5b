"""Ending stages and measures: automatic release when the tests are negative, "cannot release"
with its reason when one is missing, and the overrides (early release, extension) with reasons.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor, system_actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm
from fangkong.core.text import list_text
from fangkong.notifications.models import Level
from fangkong.notifications.services import notify
from fangkong.policies.models import MeasureType

from .access import measure_get
from .models import (
    RUNNING,
    Measure,
    MeasureStage,
    SampleStatus,
    ScheduledTest,
    StageStatus,
    Status,
)
from .placements import leave
from .planning import test_due_date
from .schedule import next_test_due_sync


def _reason_required(reason: str, label: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationFailed({"reason": [_("请说明%(what)s的原因") % {"what": label}]})
    return reason


def missing_tests(stage: MeasureStage) -> list[ScheduledTest]:
    return [t for t in stage.tests.all() if t.status == SampleStatus.PENDING]


def _shift_later_stages(measure: Measure, after_order: int, delta: dt.timedelta) -> None:
    if not delta:
        return
    for stage in measure.stages.filter(order__gt=after_order):
        stage.starts_at += delta
        stage.ends_at += delta
        stage.save(update_fields=["starts_at", "ends_at"])
        for test in stage.tests.filter(status=SampleStatus.PENDING):
            test.due_date = test_due_date(stage.starts_at, test.day_number)
            test.save(update_fields=["due_date"])
    measure.planned_end_at += delta


def measure_evaluate(*, measure: Measure, at: dt.datetime) -> Measure:
    """Close every stage whose time is up: step on, complete, or block with the reason."""
    _evaluate(measure, at)
    next_test_due_sync(measure)
    return measure


def _evaluate(measure: Measure, at: dt.datetime) -> Measure:
    while measure.status in RUNNING and measure.stage_ends_at <= at:
        stage = measure.stages.get(order=measure.stage_order)
        missing = missing_tests(stage)
        if missing:
            reason = _("缺少核酸结果：") + list_text(
                _("第%(day)d天（%(date)s）") % {"day": t.day_number, "date": t.due_date.isoformat()}
                for t in missing
            )
            if measure.status != Status.BLOCKED or measure.blocked_reason != reason:
                measure.status, measure.blocked_reason = Status.BLOCKED, reason[:300]
                measure.save(update_fields=["status", "blocked_reason"])
                notify(
                    region_code=measure.region_id,
                    kind="measures.cannot_release",
                    level=Level.WARNING,
                    link=f"/measures/{measure.pk}/",
                    message=_("%(name)s 期满不能解除：%(reason)s")
                    % {"name": measure.person.masked_name, "reason": reason},
                )
            return measure
        # Released late (a result came after the stage end): the next stage starts now.
        late = at - stage.ends_at if measure.status == Status.BLOCKED else dt.timedelta(0)
        stage.status = StageStatus.DONE
        stage.save(update_fields=["status"])
        following = measure.stages.filter(order=stage.order + 1).first()
        if following is None:
            _finish(measure, Status.COMPLETED, at if late else stage.ends_at)
            audit_record(
                actor=system_actor(),
                action="measures.measure.completed",
                obj=measure,
                changes={"ended_at": measure.ended_at},
            )
            return measure
        _shift_later_stages(measure, stage.order, late)
        following.refresh_from_db()
        _enter(measure, following)
        audit_record(
            actor=system_actor(),
            action="measures.measure.stepped",
            obj=measure,
            changes={
                "stage": [stage.order, following.order],
                "measure_type": [stage.measure_type, following.measure_type],
            },
        )
    return measure


def _enter(measure: Measure, stage: MeasureStage) -> None:
    stage.status = StageStatus.CURRENT
    stage.save(update_fields=["status"])
    if measure.site_id is not None and stage.measure_type != MeasureType.CENTRALISED:
        leave(measure=measure, at=stage.starts_at)
    measure.measure_type, measure.stage_order = stage.measure_type, stage.order
    measure.stage_ends_at = stage.ends_at
    measure.status, measure.blocked_reason = Status.ACTIVE, ""
    measure.save(
        update_fields=[
            "measure_type",
            "stage_order",
            "stage_ends_at",
            "status",
            "blocked_reason",
            "planned_end_at",
        ]
    )


def _finish(measure: Measure, status: str, at: dt.datetime) -> None:
    if measure.site_id is not None:
        leave(measure=measure, at=at)
    measure.stages.filter(status__in=(StageStatus.CURRENT, StageStatus.PLANNED)).update(
        status=StageStatus.DONE if status == Status.COMPLETED else StageStatus.SKIPPED
    )
    measure.status, measure.ended_at = status, at
    measure.checkin_token_hash = ""
    measure.save(update_fields=["status", "ended_at", "checkin_token_hash"])


def measure_to_hospital(*, measure: Measure, at: dt.datetime, reason: str) -> None:
    """A positive result: the measure ends toward hospital transfer; HQ and site alerted."""
    site = measure.site
    ScheduledTest.objects.filter(measure=measure, status=SampleStatus.PENDING).update(
        status=SampleStatus.WAIVED
    )
    _finish(measure, Status.HOSPITAL, at)
    measure.blocked_reason = reason[:300]
    measure.save(update_fields=["blocked_reason"])
    next_test_due_sync(measure)
    if site is not None:
        notify(
            region_code=site.region_id,
            kind="measures.positive",
            level=Level.DANGER,
            link=f"/measures/{measure.pk}/",
            message=_("%(site)s：%(name)s 核酸阳性，请立即闭环转运至定点医院")
            % {"site": site.name, "name": measure.person.masked_name},
        )
    audit_record(
        actor=system_actor(),
        action="measures.measure.to_hospital",
        obj=measure,
        changes={"reason": reason, "site": site.pk if site else None},
    )


def measures_tick(*, at: dt.datetime | None = None) -> dict[str, int]:
    """Evaluate every running measure whose current stage is up (run periodically)."""
    at = at or timezone.now()
    due = list(
        Measure.objects.filter(status__in=RUNNING, stage_ends_at__lte=at).values_list(
            "pk", flat=True
        )
    )
    counts = {"evaluated": 0, "completed": 0, "stepped": 0, "blocked": 0}
    for pk in due:
        with transaction.atomic():
            measure = (
                Measure.objects.select_for_update(of=("self",)).select_related("person").get(pk=pk)
            )
            before = (measure.status, measure.stage_order)
            measure_evaluate(measure=measure, at=at)
        counts["evaluated"] += 1
        if measure.status == Status.COMPLETED:
            counts["completed"] += 1
        elif measure.status == Status.BLOCKED:
            counts["blocked"] += 1
        elif measure.stage_order != before[1]:
            counts["stepped"] += 1
    return counts


@transaction.atomic
def measure_extend(*, actor: Actor, measure_id: int, days: int, reason: str) -> Measure:
    """Lengthen the current stage (authorised roles only); a test is added on its new last day."""
    actor.require(Perm.MEASURES_OVERRIDE)
    reason = _reason_required(reason, _("延长"))
    if not isinstance(days, int) or not 1 <= days <= 30:
        raise ValidationFailed({"days": [_("延长天数应为1到30天")]})
    measure = measure_get(actor=actor, pk=measure_id, for_update=True)
    if not measure.running:
        raise ValidationFailed({"status": [_("措施已结束，不能延长")]})
    stage = measure.stages.get(order=measure.stage_order)
    before = measure.planned_end_at
    delta = dt.timedelta(days=days)
    stage.days += days
    stage.ends_at += delta
    stage.test_days = sorted({*stage.test_days, stage.days})
    stage.save(update_fields=["days", "ends_at", "test_days"])
    ScheduledTest.objects.create(
        measure=measure,
        stage=stage,
        day_number=stage.days,
        due_date=test_due_date(stage.starts_at, stage.days),
    )
    _shift_later_stages(measure, stage.order, delta)
    measure.stage_ends_at = stage.ends_at
    if measure.status == Status.BLOCKED and measure.stage_ends_at > timezone.now():
        measure.status, measure.blocked_reason = Status.ACTIVE, ""
    measure.save(update_fields=["stage_ends_at", "planned_end_at", "status", "blocked_reason"])
    next_test_due_sync(measure)
    audit_record(
        actor=actor,
        action="measures.measure.extended",
        obj=measure,
        changes={
            "days": days,
            "reason": reason,
            "planned_end_at": [before.isoformat(), measure.planned_end_at.isoformat()],
        },
    )
    return measure


@transaction.atomic
def measure_release_early(
    *, actor: Actor, measure_id: int, reason: str, to_next_stage: bool = False
) -> Measure:
    """End the measure (or only its current stage) before time; authorised roles only."""
    actor.require(Perm.MEASURES_OVERRIDE)
    reason = _reason_required(reason, _("提前解除"))
    measure = measure_get(actor=actor, pk=measure_id, for_update=True)
    if not measure.running:
        raise ValidationFailed({"status": [_("措施已结束")]})
    now = timezone.now()
    stage = measure.stages.get(order=measure.stage_order)
    stage.tests.filter(status=SampleStatus.PENDING).update(status=SampleStatus.WAIVED)
    following = measure.stages.filter(order=stage.order + 1).first()
    if to_next_stage and following is not None:
        stage.status = StageStatus.DONE
        stage.save(update_fields=["status"])
        _shift_later_stages(measure, stage.order, now - stage.ends_at)
        following.refresh_from_db()
        _enter(measure, following)
        action = "measures.measure.stepped_early"
    else:
        ScheduledTest.objects.filter(measure=measure, status=SampleStatus.PENDING).update(
            status=SampleStatus.WAIVED
        )
        _finish(measure, Status.RELEASED_EARLY, now)
        action = "measures.measure.released_early"
    next_test_due_sync(measure)
    audit_record(
        actor=actor, action=action, obj=measure, changes={"reason": reason, "stage": stage.order}
    )
    return measure
