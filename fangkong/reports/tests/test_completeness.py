"""The completeness board: statuses per unit and day, rates per day and per unit, the API."""

import datetime as dt

import time_machine

from fangkong.reports.schedule import UnitStatus
from fangkong.reports.selectors import board
from fangkong.reports.services import report_open, report_submit, report_submit_zero

from .conftest import DAY, at

D1, D2 = DAY - dt.timedelta(days=1), DAY


def _file(actor_of, period, units, key, day, when, zero=False):
    with time_machine.travel(when, tick=False):
        actor = actor_of(key)
        report = report_open(actor=actor, period=period, unit=units[key], day=day)
        if zero:
            return report_submit_zero(actor=actor, report=report)
        return report_submit(actor=actor, report=report, figures={}, texts={"work_done": "x"})


def test_rates_per_day_and_per_unit(actor_of, period, units):
    n = period.units.count()
    # Day 1: county on time, work group late. Day 2: county zero, the rest missing.
    _file(actor_of, period, units, "county_operator", D1, at(D1, 9))
    _file(actor_of, period, units, "workgroup", D1, at(D1, 17))
    _file(actor_of, period, units, "county_operator", D2, at(D2, 9), zero=True)
    with time_machine.travel(at(D2, 20), tick=False):
        result = board(actor=actor_of("comprehensive"), period=period, until=D2)
    day1, day2 = result["per_day"][D1], result["per_day"][D2]
    assert day1 == {"expected": n, "completeness": round(200 / n, 1),
                    "timeliness": round(100 / n, 1)}  # fmt: skip
    assert day2["completeness"] == day2["timeliness"] == round(100 / n, 1)
    rows = {row["unit"].pk: row for row in result["rows"]}
    county = rows[units["county_operator"].pk]
    assert county["cells"][-2:] == [UnitStatus.ON_TIME, UnitStatus.ZERO]
    # Days before D1 in the period are missing for everyone.
    days = len(result["days"])
    assert county["rates"]["completeness"] == round(100 * 2 / days, 1)
    workgroup = rows[units["workgroup"].pk]
    assert workgroup["cells"][-2:] == [UnitStatus.LATE, UnitStatus.MISSING]
    assert workgroup["rates"]["timeliness"] == 0.0


def test_board_is_scoped(actor_of, period, units):
    with time_machine.travel(at(D2, 20), tick=False):
        result = board(actor=actor_of("county_operator"), period=period, until=D2)
    assert [row["unit"].pk for row in result["rows"]] == [units["county_operator"].pk]


def test_api_answers_the_documented_shape(client, world, actor_of, period, units):
    _file(actor_of, period, units, "county_operator", D2, at(D2, 9), zero=True)
    _file(actor_of, period, units, "workgroup", D2, at(D2, 17))
    client.force_login(world.user("comprehensive"))
    with time_machine.travel(at(D2, 20), tick=False):
        body = client.get(f"/api/v1/reports/completeness?date={D2.isoformat()}").json()
    n = period.units.count()
    assert set(body) == {"date", "expected", "on_time", "late", "zero", "missing", "units"}
    assert (body["date"], body["expected"]) == (D2.isoformat(), n)
    assert (body["on_time"], body["late"], body["zero"], body["missing"]) == (0, 1, 1, n - 2)
    statuses = {u["unit"]: u["status"] for u in body["units"]}
    assert statuses[units["county_operator"].name] == "zero"
    assert statuses[units["workgroup"].name] == "late"


def test_api_is_scoped_for_a_county_user(client, world, period, units):
    client.force_login(world.user("outsider"))
    with time_machine.travel(at(D2, 20), tick=False):
        body = client.get(f"/api/v1/reports/completeness?date={D2.isoformat()}").json()
    assert body["expected"] == 1
    assert body["units"] == [{"unit": units["outsider"].name, "status": "missing"}]


def test_api_rejects_a_bad_date(client, world, period):
    client.force_login(world.user("comprehensive"))
    assert client.get("/api/v1/reports/completeness?date=2022-13-01").status_code == 422


def test_stats_section_counts_today(actor_of, period, units):
    from fangkong.reports.stats import reports_section

    _file(actor_of, period, units, "county_operator", D2, at(D2, 9), zero=True)
    section = reports_section(at=at(D2, 20))
    assert section["expected"] == period.units.count()
    assert (section["zero"], section["missing"]) == (1, period.units.count() - 1)
