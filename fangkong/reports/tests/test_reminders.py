"""Chasing an hour before the cut-off and the missing list to the HQ after it."""

import datetime as dt

import pytest
import time_machine

from fangkong.notifications.models import Notification
from fangkong.reports.models import ReminderLog
from fangkong.reports.reminders import reports_tick
from fangkong.reports.services import report_open, report_submit_zero

from .conftest import DAY, at


@pytest.fixture
def settled(period, memory_sender):
    """Yesterday's missing list already went out; only today's reminders remain."""
    reports_tick(now=at(DAY - dt.timedelta(days=1), 16, 30))
    Notification.objects.all().delete()
    memory_sender.clear()
    return period


def test_no_reminder_before_the_hour_before_the_cutoff(period, settled, memory_sender):
    assert reports_tick(now=at(DAY, 14, 59, 59)) == {"reminded": 0, "escalated": 0}
    assert memory_sender == []


def test_units_that_have_not_reported_are_reminded_once(
    actor_of, period, settled, units, memory_sender
):
    with time_machine.travel(at(DAY, 14, 30), tick=False):
        actor = actor_of("county_operator")
        report_submit_zero(actor=actor, report=report_open(actor=actor, period=period,
                           unit=units["county_operator"], day=DAY))  # fmt: skip
    expected = period.units.count() - 1
    assert reports_tick(now=at(DAY, 15, 0))["reminded"] == expected
    assert reports_tick(now=at(DAY, 15, 30))["reminded"] == 0  # once only
    assert len(memory_sender) == expected
    reminded = set(ReminderLog.objects.filter(kind="reminder").values_list("unit_id", flat=True))
    assert units["county_operator"].pk not in reminded
    assert units["outsider"].pk in reminded
    assert Notification.objects.filter(kind="reports.reminder",
                                       region_id=units["outsider"].region_id).exists()  # fmt: skip


def test_the_missing_list_goes_to_the_hq_after_the_cutoff(
    world, period, settled, units, memory_sender
):
    assert reports_tick(now=at(DAY, 16, 0))["escalated"] == 0  # at the cut-off: not yet
    assert reports_tick(now=at(DAY, 16, 5))["escalated"] == period.units.count()
    assert reports_tick(now=at(DAY, 16, 10))["escalated"] == 0
    note = Notification.objects.get(kind="reports.missing")
    assert note.region_id == world.city.code and note.level == "danger"
    assert units["outsider"].name in note.message
    assert any("缺报" in m.subject for m in memory_sender)


def test_a_tick_the_next_morning_still_escalates_yesterday(period, units):
    assert reports_tick(now=at(DAY + dt.timedelta(days=1), 8))["escalated"] == period.units.count()


def test_the_tick_command_reminds_and_refreshes_the_dashboard(period, settled, capsys):
    from django.core.management import call_command

    from fangkong.dashboards.models import RegionFigure

    with time_machine.travel(at(DAY, 15, 10), tick=False):
        call_command("reports-tick")
    out = capsys.readouterr().out
    assert f"reminded={period.units.count()}" in out and "figures=" in out
    assert RegionFigure.objects.filter(day=DAY, region_id=period.region_id).exists()
