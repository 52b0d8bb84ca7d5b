"""The next test due kept on the measure follows every schedule change; the overview counts
people with a test past due from it."""

import datetime as dt

import time_machine
from django.urls import reverse

from fangkong.labtests.services import nat_result_record
from fangkong.measures.planning import measure_start
from fangkong.measures.release import measure_extend, measure_release_early

from .conftest import SPEECH_DAY

DAY = dt.timedelta(days=1)


def test_next_test_due_follows_results_extension_and_release(actor_of, home_people, site):
    operator = actor_of("county_operator")
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = measure_start(
            actor=operator, person=home_people[0], category="secondary_contact", site=site
        )
    assert measure.next_test_due == SPEECH_DAY.date()
    with time_machine.travel(SPEECH_DAY + dt.timedelta(hours=2), tick=False):
        nat_result_record(
            actor=operator, person=home_people[0], sampled_at=SPEECH_DAY, result="negative"
        )
    measure.refresh_from_db()
    assert measure.next_test_due == SPEECH_DAY.date() + 3 * DAY  # day 4
    with time_machine.travel(SPEECH_DAY + DAY, tick=False):
        measure_release_early(
            actor=operator, measure_id=measure.pk, reason="复核为误报", to_next_stage=False
        )
    measure.refresh_from_db()
    assert measure.next_test_due is None


def test_extension_adds_a_test_and_overview_counts_overdue_people(
    client, world, actor_of, home_people, site
):
    operator = actor_of("county_operator")
    with time_machine.travel(SPEECH_DAY, tick=False):
        late = measure_start(
            actor=operator, person=home_people[0], category="secondary_contact", site=site
        )
        measure_start(
            actor=operator, person=home_people[1], category="secondary_contact", site=site
        )
    with time_machine.travel(SPEECH_DAY + 2 * DAY, tick=False):
        nat_result_record(
            actor=operator, person=home_people[1], sampled_at=SPEECH_DAY, result="negative"
        )
        client.force_login(world.user("county_operator"))
        response = client.get(reverse("measures:overview"))
        # Day 1 is past due for one of the two; the other's next test is on day 4.
        assert response.context["flags"]["overdue"] == 1
        measure_extend(actor=operator, measure_id=late.pk, days=3, reason="密接者确诊，延长观察")
    late.refresh_from_db()
    assert late.next_test_due == SPEECH_DAY.date()
