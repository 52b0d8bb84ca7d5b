import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from fangkong.audit.models import ChangeEntry
from fangkong.core.errors import PermissionDenied, ValidationFailed
from fangkong.org.models import DutyShift
from fangkong.org.selectors import duty_candidates, duty_now
from fangkong.org.services import duty_assign

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The afternoon of the speech: the test world's own roster lies around the day it was built.
SPEECH_AFTERNOON = dt.datetime(2022, 1, 10, 14, 30, tzinfo=SHANGHAI)


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2022, 1, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def shift(world):
    def make(unit, start, hours=12, leader="hq", officer="comprehensive", phone="0743-8222110"):
        return DutyShift.objects.create(
            unit=unit,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=hours),
            leader=world.user(leader),
            officer=world.user(officer),
            phone=phone,
        )

    return make


def _assign(actor, unit, start, end, leader, officer, phone=""):
    return duty_assign(
        actor=actor,
        unit_id=unit.pk,
        starts_at=start,
        ends_at=end,
        leader_id=leader.pk,
        officer_id=officer.pk,
        phone=phone,
    )


def test_a_shift_is_assigned_and_audited(world, actor_of):
    new = _assign(
        actor_of("comprehensive"),
        world.hq,
        at(10, 8),
        at(10, 20),
        world.user("hq"),
        world.user("workgroup"),
        phone="0743-8222110",
    )
    entry = ChangeEntry.objects.get(action="org.duty.assigned", object_id=str(new.pk))
    assert entry.region_id == world.city.code
    assert entry.changes["leader"] == world.user("hq").pk


def test_overlapping_shifts_of_one_unit_are_refused_with_the_clash(world, actor_of, shift):
    shift(world.hq, at(10, 8))
    with pytest.raises(ValidationFailed) as raised:
        _assign(
            actor_of("hq"), world.hq, at(10, 19), at(11, 7), world.user("hq"),
            world.user("workgroup"),
        )  # fmt: skip
    message = raised.value.errors["__all__"][0]
    assert "2022-01-10 08:00 至 2022-01-10 20:00" in message
    assert "不能重叠" in message
    assert DutyShift.objects.filter(unit=world.hq, starts_at__year=2022).count() == 1


def test_back_to_back_shifts_and_other_units_may_share_the_time(world, actor_of, shift, county_hq):
    shift(world.hq, at(10, 8))
    actor = actor_of("hq")
    _assign(actor, world.hq, at(10, 20), at(11, 8), world.user("hq"), world.user("workgroup"))
    _assign(
        actor, county_hq, at(10, 8), at(11, 8), world.user("county_operator"),
        world.user("township_operator"),
    )  # fmt: skip
    assert DutyShift.objects.filter(starts_at__year=2022).count() == 3


def test_leader_and_officer_must_hold_a_role_in_the_units_region(world, actor_of, county_hq):
    with pytest.raises(ValidationFailed) as raised:
        _assign(
            actor_of("hq"), county_hq, at(10, 8), at(10, 20), world.user("outsider"),
            world.user("auditor"),
        )  # fmt: skip
    assert "吉首市" in raised.value.errors["leader"][0]
    assert set(raised.value.errors) == {"leader", "officer"}


def test_auditors_do_not_stand_duty(world, actor_of):
    with pytest.raises(ValidationFailed) as raised:
        _assign(
            actor_of("hq"), world.hq, at(10, 8), at(10, 20), world.user("hq"),
            world.user("auditor"),
        )  # fmt: skip
    assert set(raised.value.errors) == {"officer"}


def test_times_and_people_are_checked(world, actor_of):
    actor, hq = actor_of("hq"), world.user("hq")
    with pytest.raises(ValidationFailed) as raised:
        _assign(actor, world.hq, at(10, 20), at(10, 8), hq, hq, phone="值班室")
    assert set(raised.value.errors) == {"ends_at", "officer", "phone"}
    with pytest.raises(ValidationFailed) as raised:
        _assign(actor, world.hq, at(10, 8), at(13, 8), hq, world.user("workgroup"))
    assert "48" in raised.value.errors["ends_at"][0]


@pytest.mark.parametrize("key", ["grid_worker", "workgroup", "inspector", "county_checkpoint"])
def test_roles_without_duty_manage_cannot_assign(world, actor_of, key):
    with pytest.raises(PermissionDenied):
        _assign(
            actor_of(key), world.hq, at(10, 8), at(10, 20), world.user("hq"),
            world.user("workgroup"),
        )  # fmt: skip


def test_a_county_operator_cannot_assign_the_city_hq(world, actor_of):
    with pytest.raises(ValidationFailed) as raised:
        _assign(
            actor_of("county_operator"), world.hq, at(10, 8), at(10, 20), world.user("hq"),
            world.user("workgroup"),
        )  # fmt: skip
    assert set(raised.value.errors) == {"unit"}


def test_candidates_come_from_the_units_region_and_the_level_below(world, actor_of, county_hq):
    names = {c.user.username for c in duty_candidates(actor=actor_of("hq"), unit=county_hq)}
    assert {"county_operator", "county_lab", "township_operator"} <= names
    assert not names & {"outsider", "hq", "grid_worker", "auditor"}


def test_duty_now_is_the_nearest_hq_above(world, actor_of, shift, county_hq):
    city = shift(world.hq, at(10, 8))
    with time_machine.travel(SPEECH_AFTERNOON, tick=False):
        assert duty_now(actor=actor_of("grid_worker")) == city
        county = shift(county_hq, at(10, 8), hours=24, leader="county_operator",
                       officer="township_operator")  # fmt: skip
        assert duty_now(actor=actor_of("grid_worker")) == county
        assert duty_now(actor=actor_of("outsider")) == city


# --- pages -----------------------------------------------------------------------------------


def test_roster_highlights_who_is_on_duty_now(signed_in, world, shift):
    morning = shift(world.hq, at(10, 8))
    evening = shift(world.hq, at(10, 20), leader="comprehensive", officer="workgroup")
    client = signed_in("inspector")
    with time_machine.travel(SPEECH_AFTERNOON, tick=False):
        response = client.get(reverse("org:duty"))
    html = response.content.decode()
    assert response.context["on_duty"] == [morning]
    today = next(d for d in response.context["days"] if d.is_today)
    assert (today.day, today.shifts) == (dt.date(2022, 1, 10), [morning, evening])
    assert 'class="on-duty"' in html
    assert "2022-01-10 08:00" in html and "2022-01-10 20:00" in html


def test_roster_covers_a_week_either_side_of_the_chosen_day(signed_in, world, shift):
    shift(world.hq, at(20, 8))
    shift(world.hq, at(28, 8))
    client = signed_in("hq")
    with time_machine.travel(SPEECH_AFTERNOON, tick=False):
        response = client.get(reverse("org:duty"), {"date": "2022-01-20"})
    days = response.context["days"]
    assert (days[0].day, days[-1].day) == (dt.date(2022, 1, 13), dt.date(2022, 1, 27))
    assert len(days) == 15
    assert [len(d.shifts) for d in days].count(1) == 1


def test_outsider_does_not_see_the_home_countys_roster(signed_in, world, shift, county_hq):
    shift(county_hq, at(10, 8), leader="county_operator", officer="township_operator")
    with time_machine.travel(SPEECH_AFTERNOON, tick=False):
        response = signed_in("outsider").get(reverse("org:duty"))
    assert all(s.unit_id != county_hq.pk for d in response.context["days"] for s in d.shifts)
    assert "吉首市疫情防控指挥部" not in response.content.decode()


@pytest.mark.parametrize("extra", [0, 20])
def test_roster_runs_a_fixed_number_of_queries(
    signed_in, world, shift, county_hq, extra, django_assert_num_queries
):
    client = signed_in("hq")
    for n in range(extra):
        unit = county_hq if n % 2 else world.hq
        shift(unit, at(3 + n // 2, 8), hours=12)
    # session, user, role assignment; units for the filter, shifts on now, the roster,
    # the top-bar desk
    with time_machine.travel(SPEECH_AFTERNOON, tick=False), django_assert_num_queries(7):
        response = client.get(reverse("org:duty"))
    assert sum(len(d.shifts) for d in response.context["days"]) == extra


def test_a_county_operator_assigns_its_own_hq(signed_in, world, county_hq):
    client = signed_in("county_operator")
    with time_machine.travel(SPEECH_AFTERNOON, tick=False):
        form = client.get(reverse("org:duty_create"))
        assert form.context["unit"] == county_hq
        labels = dict(form.context["form"].fields["leader"].choices)
        assert world.user("township_operator").pk in labels
        assert world.user("outsider").pk not in labels
        data = {
            "unit": county_hq.pk,
            "starts_at": "2022-01-10T08:00",
            "ends_at": "2022-01-11T08:00",
            "leader": world.user("county_operator").pk,
            "officer": world.user("township_operator").pk,
            "phone": "0743-8521234",
        }
        response = client.post(reverse("org:duty_create"), data, follow=True)
        assert "已排班" in response.content.decode()
        again = client.post(reverse("org:duty_create"), {**data, "starts_at": "2022-01-10T20:00"})
    assert again.status_code == 200
    assert "2022-01-10 08:00 至 2022-01-11 08:00" in again.content.decode()
    assert DutyShift.objects.filter(unit=county_hq, starts_at__year=2022).count() == 1


def test_a_city_user_first_chooses_the_unit(signed_in, world):
    response = signed_in("comprehensive").get(reverse("org:duty_create"))
    assert response.templates[0].name == "org/duty_unit.html"
    assert len(response.context["units"]) == 4  # city HQ, work team, two county HQs


def test_the_city_hq_cannot_be_posted_by_a_county_operator(signed_in, world):
    response = signed_in("county_operator").post(
        reverse("org:duty_create"),
        {
            "unit": world.hq.pk,
            "starts_at": "2022-01-10T08:00",
            "ends_at": "2022-01-10T20:00",
            "leader": world.user("county_operator").pk,
            "officer": world.user("township_operator").pk,
        },
    )
    assert response.status_code == 200
    assert not DutyShift.objects.filter(unit=world.hq, starts_at__year=2022).exists()


@pytest.mark.parametrize("key", ["grid_worker", "county_site"])
def test_field_roles_get_403_on_duty_pages(signed_in, key):
    client = signed_in(key)
    assert client.get(reverse("org:duty")).status_code == 403
    assert client.get(reverse("org:duty_create")).status_code == 403


def test_workgroup_staff_read_the_roster_but_cannot_assign(signed_in):
    client = signed_in("workgroup")
    assert client.get(reverse("org:duty")).status_code == 200
    assert client.get(reverse("org:duty_create")).status_code == 403
