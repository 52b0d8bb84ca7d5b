"""Personal check-in links: expiry with the measure, wrong token, rate limit; missed flags."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from fangkong.measures.checkins import checkin_link_issue, checkin_record, missed_checkins
from fangkong.measures.models import CheckIn
from fangkong.measures.planning import measure_start
from fangkong.measures.release import measure_release_early

from .conftest import SPEECH_DAY


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def linked(actor_of, home_people, site):
    operator = actor_of("county_operator")
    with time_machine.travel(SPEECH_DAY, tick=False):
        measure = measure_start(
            actor=operator, person=home_people[0], category="secondary_contact", site=site
        )
        token = checkin_link_issue(actor=operator, measure_id=measure.pk)
    return operator, measure, token


def test_person_checks_in_through_the_link_without_login(client, linked):
    _, measure, token = linked
    url = reverse("measures:personal_checkin", args=[token])
    with time_machine.travel(SPEECH_DAY + dt.timedelta(hours=1), tick=False):
        assert client.get(url).status_code == 200
        response = client.post(url, {"temperature": "36.6", "symptoms": ""})
    assert response.status_code == 200
    checkin = CheckIn.objects.get(measure=measure)
    assert checkin.by_person and str(checkin.temperature) == "36.6"


def test_token_is_stored_only_as_a_hash(linked):
    _, measure, token = linked
    measure.refresh_from_db()
    assert token not in measure.checkin_token_hash and len(token) >= 40


def test_wrong_token_answers_404(client, linked):
    response = client.get(reverse("measures:personal_checkin", args=["not-the-token"]))
    assert response.status_code == 404


def test_link_expires_with_the_measure(client, linked):
    operator, measure, token = linked
    with time_machine.travel(SPEECH_DAY + dt.timedelta(days=1), tick=False):
        measure_release_early(actor=operator, measure_id=measure.pk, reason="排除风险")
    response = client.get(reverse("measures:personal_checkin", args=[token]))
    assert response.status_code == 404


def test_new_link_replaces_the_old_one(client, linked):
    operator, measure, token = linked
    checkin_link_issue(actor=operator, measure_id=measure.pk)
    assert client.get(reverse("measures:personal_checkin", args=[token])).status_code == 404


def test_rate_limited_per_token(client, linked):
    _, _, token = linked
    url = reverse("measures:personal_checkin", args=[token])
    statuses = [client.get(url).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_rate_limited_per_ip_across_guessed_tokens(client, linked):
    statuses = [
        client.get(reverse("measures:personal_checkin", args=[f"guess{i}"])).status_code
        for i in range(31)
    ]
    assert set(statuses[:30]) == {404} and statuses[30] == 429


def test_people_who_stop_checking_in_are_flagged_the_same_day(actor_of, linked):
    operator, measure, _ = linked
    day2 = SPEECH_DAY + dt.timedelta(days=1)
    with time_machine.travel(day2.replace(hour=11), tick=False):
        assert list(missed_checkins(actor=operator)) == []
    with time_machine.travel(day2.replace(hour=12, minute=1), tick=False):
        assert list(missed_checkins(actor=operator)) == [measure]
        checkin_record(actor=operator, measure_id=measure.pk, temperature="36.5")
        assert list(missed_checkins(actor=operator)) == []


def test_home_todo_names_todays_missed_checkins(actor_of, linked):
    from fangkong.measures.todo import home_todo

    operator, measure, _ = linked
    day2 = SPEECH_DAY + dt.timedelta(days=1)
    missed = "管控对象今日未打卡"
    with time_machine.travel(day2.replace(hour=11), tick=False):
        assert missed not in [str(t.label) for t in home_todo(operator)]
    with time_machine.travel(day2.replace(hour=12, minute=1), tick=False):
        todos = {str(t.label): (t.count, t.url_name) for t in home_todo(operator)}
        assert todos[missed] == (1, "measures:overdue")
    assert home_todo(actor_of("auditor")) == []


def test_the_overdue_page_counts_every_missed_check_in_beyond_those_it_lists(
    client, world, linked, monkeypatch
):
    monkeypatch.setattr("fangkong.measures.views.MISSED_SHOWN", 0)
    day2 = SPEECH_DAY + dt.timedelta(days=1)
    client.force_login(world.user("county_operator"))
    with time_machine.travel(day2.replace(hour=12, minute=1), tick=False):
        html = client.get(reverse("measures:overdue")).content.decode()
    assert '今日漏打卡 <span class="muted">1</span>' in html and "只列出前 0 人" in html
