"""Starting a measure: the policy's stages become dated stages and scheduled tests."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.audit.services import audit_record
from fangkong.core.actor import Actor
from fangkong.core.categories import PersonCategory
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm
from fangkong.people.models import Person
from fangkong.policies.models import MeasureType
from fangkong.policies.rules import PolicySet, StagePlan, policy_in_force

from .models import RUNNING, Measure, MeasureStage, ScheduledTest, Site, Source, StageStatus
from .schedule import next_test_due_sync


def test_due_date(stage_start: dt.datetime, day_number: int) -> dt.date:
    """Day 1 is the day the stage starts (local time)."""
    return timezone.localdate(stage_start) + dt.timedelta(days=day_number - 1)


def build_stages(
    measure: Measure,
    plans: tuple[StagePlan, ...] | list[StagePlan],
    start: dt.datetime,
    first_order: int = 1,
    first_is_current: bool = True,
) -> tuple[list[MeasureStage], list[ScheduledTest]]:
    stages, tests = [], []
    at = start
    for order, plan in enumerate(plans, start=first_order):
        stage = MeasureStage(
            measure=measure,
            order=order,
            measure_type=plan.type,
            days=plan.days,
            test_days=list(plan.test_days),
            starts_at=at,
            ends_at=at + dt.timedelta(days=plan.days),
            status=StageStatus.CURRENT
            if order == first_order and first_is_current
            else StageStatus.PLANNED,
        )
        stages.append(stage)
        at = stage.ends_at
    MeasureStage.objects.bulk_create(stages)
    for stage in stages:
        tests += [
            ScheduledTest(
                measure=measure,
                stage=stage,
                day_number=d,
                due_date=test_due_date(stage.starts_at, d),
            )
            for d in stage.test_days
        ]
    ScheduledTest.objects.bulk_create(tests)
    return stages, tests


def plan_for(policy: PolicySet, category: str, risk_level: str | None) -> tuple[StagePlan, ...]:
    plans = policy.stages_for(category, risk_level)
    if not plans:
        raise ValidationFailed(
            {
                "category": [
                    _("现行政策“%(policy)s”对“%(category)s”不采取管控措施")
                    % {"policy": policy.name, "category": PersonCategory(category).label}
                ]
            }
        )
    return plans


@transaction.atomic
def measure_start(
    *,
    actor: Actor,
    person: Person,
    category: str,
    risk_level: str | None = None,
    source: str = Source.MANUAL,
    source_ref: str = "",
    started_at: dt.datetime | None = None,
    site: Site | None = None,
    room=None,
) -> Measure:
    """Put a person under the measure the policy in force prescribes for their category.

    Called by screening (a verified record), checkpoints and arrivals, and by hand. A
    centralised first stage needs a site (a room is chosen if not given); home stages are
    looked after by the person's village.
    """
    actor.require(Perm.MEASURES_MANAGE)
    if not actor.sees_region_code(person.region_id) and not (
        site is not None and actor.sees_region_code(site.region_id)
    ):
        raise NotFound(Person._meta.verbose_name)
    if category not in PersonCategory.values:
        raise ValidationFailed({"category": [_("人员类别无效")]})
    if source not in Source.values:
        raise ValidationFailed({"source": [_("来源无效")]})
    started_at = started_at or timezone.now()
    policy = policy_in_force(at=started_at)
    plans = plan_for(policy, category, risk_level)
    first = plans[0]
    if first.type == MeasureType.CENTRALISED and site is None:
        raise ValidationFailed({"site": [_("集中隔离须指定隔离点")]})
    if Measure.objects.filter(person=person, status__in=RUNNING).exists():
        raise ValidationFailed({"person": [_("该人员已有正在执行的管控措施")]})
    measure = Measure(
        person=person,
        region_id=person.region_id,
        category=category,
        risk_level=risk_level or "",
        policy_id=policy.id,
        policy_version=policy.version,
        source=source,
        source_ref=source_ref[:64],
        measure_type=first.type,
        stage_order=1,
        started_at=started_at,
        stage_ends_at=started_at + dt.timedelta(days=first.days),
        planned_end_at=started_at + dt.timedelta(days=sum(p.days for p in plans)),
        created_by=actor.user,
    )
    try:
        with transaction.atomic():
            measure.save()
    except IntegrityError:
        raise ValidationFailed({"person": [_("该人员已有正在执行的管控措施")]}) from None
    build_stages(measure, plans, started_at)
    next_test_due_sync(measure)
    if first.type == MeasureType.CENTRALISED:
        from .placements import place

        assert site is not None  # a centralised first stage was refused without one above
        place(measure=measure, site=site, room=room, at=started_at)
    audit_record(
        actor=actor,
        action="measures.measure.started",
        obj=measure,
        changes={
            "category": category,
            "risk_level": risk_level or "",
            "source": source,
            "policy": f"{policy.name} v{policy.version}",
            "site": site.pk if site else None,
        },
    )
    return measure


@transaction.atomic
def measure_replan(*, actor: Actor, measure_id: int, reason: str) -> Measure:
    """Re-plan the stages not yet finished under the current version of the measure's policy.

    Never done silently after a policy edit: someone chooses to, with a reason, and it is
    logged. Finished stages and recorded results stay as they were.
    """
    from .access import measure_get

    actor.require(Perm.MEASURES_OVERRIDE)
    if len(" ".join((reason or "").split())) < 2:
        raise ValidationFailed({"reason": [_("请说明重新规划的原因")]})
    measure = measure_get(actor=actor, pk=measure_id, for_update=True)
    if not measure.running:
        raise ValidationFailed({"status": [_("措施已结束，不能重新规划")]})
    from fangkong.policies.models import Policy
    from fangkong.policies.rules import policy_set_of

    policy = policy_set_of(Policy.objects.get(pk=measure.policy_id))
    plans = plan_for(policy, measure.category, measure.risk_level or None)
    current = measure.stages.get(order=measure.stage_order)
    version_before, end_before = measure.policy_version, measure.planned_end_at
    # The current stage keeps its start and its recorded results; it and the stages after it
    # follow the new plan.
    idx = min(measure.stage_order, len(plans)) - 1
    plan = plans[idx]
    done_days = set(current.tests.exclude(status="pending").values_list("day_number", flat=True))
    current.tests.filter(status="pending").delete()
    current.measure_type, current.days = plan.type, plan.days
    current.test_days = list(plan.test_days)
    current.ends_at = current.starts_at + dt.timedelta(days=plan.days)
    current.save()
    ScheduledTest.objects.bulk_create(
        ScheduledTest(
            measure=measure,
            stage=current,
            day_number=d,
            due_date=test_due_date(current.starts_at, d),
        )
        for d in plan.test_days
        if d not in done_days
    )
    measure.stages.filter(order__gt=current.order).delete()
    later, _tests = build_stages(
        measure,
        plans[idx + 1 :],
        current.ends_at,
        first_order=current.order + 1,
        first_is_current=False,
    )
    measure.measure_type = current.measure_type
    measure.stage_ends_at = current.ends_at
    measure.planned_end_at = later[-1].ends_at if later else current.ends_at
    measure.policy_version = policy.version
    measure.save(
        update_fields=["measure_type", "stage_ends_at", "planned_end_at", "policy_version"]
    )
    next_test_due_sync(measure)
    audit_record(
        actor=actor,
        action="measures.measure.replanned",
        obj=measure,
        changes={
            "reason": reason,
            "policy_version": [version_before, policy.version],
            "planned_end_at": [
                end_before.isoformat(),
                measure.planned_end_at.isoformat(),
            ],
        },
    )
    return measure


def measures_behind_policy(*, actor: Actor, policy_id: int, version: int):
    """Running measures started under an older version of this policy (to offer a re-plan)."""
    from .access import measures_for

    return measures_for(actor).filter(
        policy_id=policy_id, policy_version__lt=version, status__in=RUNNING
    )


REPLAN_BATCH = 500


def measures_replan_behind(*, actor: Actor, policy_id: int, reason: str) -> dict[str, int]:
    """Re-plan the running measures in the actor's scope that lag the policy's version.

    The explicit follow-up to a policy edit (decision 0010): each measure is re-planned in its
    own transaction and audited; at most REPLAN_BATCH per call, the rest is reported back so
    the user runs it again rather than waiting on one long request.
    """
    from fangkong.policies.models import Policy

    actor.require(Perm.MEASURES_OVERRIDE)
    if len(" ".join((reason or "").split())) < 2:
        raise ValidationFailed({"reason": [_("请说明重新规划的原因")]})
    version = Policy.objects.filter(pk=policy_id).values_list("version", flat=True).first()
    if version is None:
        raise NotFound(Policy._meta.verbose_name)
    behind = measures_behind_policy(actor=actor, policy_id=policy_id, version=version)
    ids = list(behind.order_by("pk").values_list("pk", flat=True)[: REPLAN_BATCH + 1])
    done, failed = 0, 0
    for pk in ids[:REPLAN_BATCH]:
        try:
            measure_replan(actor=actor, measure_id=pk, reason=reason)
            done += 1
        except ValidationFailed:
            failed += 1
    remaining = behind.count() if len(ids) > REPLAN_BATCH else 0
    return {"replanned": done, "failed": failed, "remaining": remaining}
