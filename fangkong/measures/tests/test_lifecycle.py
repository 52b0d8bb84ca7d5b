"""A measure from start to release: planning, automatic completion, cannot-release, overrides."""

import datetime as dt

import pytest
import time_machine

from fangkong.audit.models import ChangeEntry
from fangkong.core.errors import PermissionDenied, ValidationFailed
from fangkong.labtests.services import nat_result_record
from fangkong.measures.models import Measure, SampleStatus, Status
from fangkong.measures.planning import measure_start
from fangkong.measures.release import measure_extend, measure_release_early, measures_tick
from fangkong.notifications.models import Notification

from .conftest import SPEECH_DAY

DAY = dt.timedelta(days=1)


def _start(actor, person, site, category="secondary_contact", **kw):
    return measure_start(
        actor=actor, person=person, category=category, site=site, started_at=SPEECH_DAY, **kw
    )


def _all_negative(actor, measure, stage_order=None):
    for test in measure.scheduled_tests.filter(status="pending").order_by("due_date"):
        if stage_order and test.stage.order != stage_order:
            continue
        at = dt.datetime.combine(test.due_date, dt.time(9), tzinfo=SPEECH_DAY.tzinfo)
        with time_machine.travel(at + dt.timedelta(hours=1)):
            nat_result_record(
                actor=actor,
                person=measure.person,
                sampled_at=at,
                result="negative",
                purpose="scheduled",
            )


@pytest.fixture
def operator(actor_of):
    return actor_of("county_operator")


@time_machine.travel(SPEECH_DAY, tick=False)
def test_start_plans_stages_and_tests_from_the_policy(operator, home_people, site):
    measure = _start(operator, home_people[0], site, category="close_contact")
    stages = list(measure.stages.order_by("order"))
    assert [(s.measure_type, s.days) for s in stages] == [
        ("centralised", 14),
        ("home_monitoring", 7),
    ]
    assert measure.planned_end_at == SPEECH_DAY + 21 * DAY
    due = [(t.stage.order, t.day_number, t.due_date) for t in measure.scheduled_tests.all()]
    start = SPEECH_DAY.date()
    assert due == [
        (1, 1, start),
        (1, 4, start + 3 * DAY),
        (1, 7, start + 6 * DAY),
        (1, 14, start + 13 * DAY),
        (2, 2, start + 15 * DAY),
        (2, 7, start + 20 * DAY),
    ]
    assert measure.site == site and measure.region_id == site.region_id
    assert measure.policy_version == 1
    assert ChangeEntry.objects.filter(action="measures.measure.started").count() == 1


@time_machine.travel(SPEECH_DAY, tick=False)
def test_centralised_needs_a_site_and_one_running_measure_per_person(operator, home_people, site):
    with pytest.raises(ValidationFailed) as exc:
        measure_start(actor=operator, person=home_people[0], category="close_contact")
    assert "site" in exc.value.errors
    _start(operator, home_people[0], site)
    with pytest.raises(ValidationFailed) as exc:
        _start(operator, home_people[0], site)
    assert "person" in exc.value.errors


@time_machine.travel(SPEECH_DAY, tick=False)
def test_capacity_is_respected_and_beds_are_never_double_booked(operator, home_people, site):
    # Rooms 101 (1 bed), 102 (1 bed), 201 (2 beds): four beds.
    placed = [_start(operator, p, site) for p in home_people[:4]]
    beds = {(m.placements.get().room_id, m.placements.get().bed) for m in placed}
    assert len(beds) == 4
    with pytest.raises(ValidationFailed) as exc:
        _start(operator, home_people[4], site)
    assert "已满" in str(exc.value.errors["site"][0])
    room_101 = site.rooms.get(number="101")
    with pytest.raises(ValidationFailed) as exc:
        measure_start(
            actor=operator,
            person=home_people[5],
            category="secondary_contact",
            site=site,
            room=room_101,
            started_at=SPEECH_DAY,
        )
    assert "住满" in str(exc.value.errors["room"][0])
    assert not Measure.objects.filter(person=home_people[5]).exists()


def test_database_refuses_a_second_open_placement_on_a_bed(operator, home_people, site):
    from django.db import IntegrityError

    from fangkong.measures.models import Placement

    with time_machine.travel(SPEECH_DAY, tick=False):
        first = _start(operator, home_people[0], site, room=site.rooms.get(number="101"))
        second = _start(operator, home_people[1], site, room=site.rooms.get(number="102"))
    with pytest.raises(IntegrityError):
        Placement.objects.create(
            measure=second, site=site, room=first.room, bed=1, started_at=SPEECH_DAY
        )


def test_completes_by_itself_at_planned_end_when_tests_are_negative(operator, home_people, site):
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = _start(operator, home_people[0], site)
    _all_negative(operator, measure)
    with time_machine.travel(SPEECH_DAY + 7 * DAY - dt.timedelta(minutes=1), tick=False):
        assert measures_tick()["completed"] == 0
    with time_machine.travel(SPEECH_DAY + 7 * DAY, tick=False):
        assert measures_tick()["completed"] == 1
    measure.refresh_from_db()
    assert measure.status == Status.COMPLETED and measure.ended_at == SPEECH_DAY + 7 * DAY
    assert measure.site is None and not measure.placements.filter(ended_at__isnull=True).exists()


def test_missing_test_means_cannot_release_with_the_reason(operator, home_people, site):
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = _start(operator, home_people[0], site)
    last = measure.scheduled_tests.get(day_number=7)
    last.delete()  # keep days 1 and 4; answer them, leave day 7 out
    _all_negative(operator, measure)
    measure.scheduled_tests.create(stage=last.stage, day_number=7, due_date=last.due_date)
    end = SPEECH_DAY + 7 * DAY
    with time_machine.travel(end + dt.timedelta(hours=1), tick=False):
        assert measures_tick()["blocked"] == 1
    measure.refresh_from_db()
    assert measure.status == Status.BLOCKED
    assert "第7天" in measure.blocked_reason and "2022-01-16" in measure.blocked_reason
    assert Notification.objects.filter(kind="measures.cannot_release").exists()
    # The missing result arrives: the measure is released at once.
    sampled = dt.datetime(2022, 1, 17, 9, tzinfo=SPEECH_DAY.tzinfo)
    with time_machine.travel(sampled + dt.timedelta(hours=3), tick=False):
        nat_result_record(
            actor=operator,
            person=measure.person,
            sampled_at=sampled,
            result="negative",
            purpose="scheduled",
        )
    measure.refresh_from_db()
    assert measure.status == Status.COMPLETED


def test_release_steps_into_the_next_stage_at_home(operator, home_people, site):
    person = home_people[0]
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = _start(operator, person, site, category="close_contact")
    _all_negative(operator, measure, stage_order=1)
    with time_machine.travel(SPEECH_DAY + 14 * DAY, tick=False):
        measures_tick()
    measure.refresh_from_db()
    assert measure.status == Status.ACTIVE and measure.measure_type == "home_monitoring"
    assert measure.site is None and measure.region_id == person.region_id


def test_extension_needs_an_authorised_role_and_a_reason(actor_of, operator, home_people, site):
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = _start(operator, home_people[0], site)
        with pytest.raises(PermissionDenied):
            measure_extend(
                actor=actor_of("county_site"), measure_id=measure.pk, days=3, reason="复检"
            )
        with pytest.raises(ValidationFailed):
            measure_extend(actor=operator, measure_id=measure.pk, days=3, reason="")
        measure_extend(
            actor=operator, measure_id=measure.pk, days=3, reason="同住人员阳性，延长观察"
        )
    measure.refresh_from_db()
    assert measure.planned_end_at == SPEECH_DAY + 10 * DAY
    assert measure.scheduled_tests.filter(day_number=10).exists()
    entry = ChangeEntry.objects.get(action="measures.measure.extended")
    assert entry.changes["reason"] == "同住人员阳性，延长观察"


def test_early_release_needs_a_reason_and_waives_pending_tests(operator, home_people, site):
    with time_machine.travel(SPEECH_DAY + DAY, tick=False):
        measure = _start(operator, home_people[0], site)
        with pytest.raises(ValidationFailed):
            measure_release_early(actor=operator, measure_id=measure.pk, reason=" ")
        measure_release_early(actor=operator, measure_id=measure.pk, reason="排除密接关系")
    measure.refresh_from_db()
    assert measure.status == Status.RELEASED_EARLY
    assert not measure.scheduled_tests.filter(status=SampleStatus.PENDING).exists()


def test_positive_result_alerts_hq_and_site_and_ends_toward_hospital(operator, home_people, site):
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = _start(operator, home_people[0], site)
    sampled = SPEECH_DAY + 3 * DAY
    with time_machine.travel(sampled + dt.timedelta(hours=5), tick=False):
        nat_result_record(
            actor=operator,
            person=measure.person,
            sampled_at=sampled,
            result="positive",
            purpose="scheduled",
        )
    measure.refresh_from_db()
    assert measure.status == Status.HOSPITAL and measure.site is None
    assert measure.scheduled_tests.get(day_number=4).status == SampleStatus.POSITIVE
    kinds = set(Notification.objects.values_list("kind", "region_id"))
    assert ("labtests.positive", "4331") in kinds
    assert ("measures.positive", site.region_id) in kinds
