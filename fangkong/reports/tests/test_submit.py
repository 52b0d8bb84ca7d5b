"""Submitting: zero report vs missing, late at the cut-off, lock and amendments, returns."""

import pytest
import time_machine

from fangkong.audit.models import ChangeEntry
from fangkong.core.errors import NotFound, PermissionDenied, ValidationFailed
from fangkong.reports.models import ReportStatus, VersionKind
from fangkong.reports.schedule import UnitStatus
from fangkong.reports.selectors import completeness
from fangkong.reports.services import (
    ZERO_TEXT,
    report_open,
    report_return,
    report_submit,
    report_submit_zero,
)

from .conftest import DAY, MORNING, at

TEXTS = {"work_done": "完成排查核实 12 条", "problems": "", "next_steps": "继续排查"}


def _open(actor_of, units, key="county_operator", day=DAY):
    return report_open(actor=actor_of(key), period=units[key].reporting_periods.get(),
                       unit=units[key], day=day)  # fmt: skip


def _status(actor_of, period, key, day=DAY):
    board = completeness(actor=actor_of("comprehensive"), period=period, day=day)
    return {row["unit"].name: row["status"] for row in board["units"]}[key]


def test_zero_report_is_recorded_and_differs_from_missing(actor_of, period, units):
    with time_machine.travel(MORNING, tick=False):
        report = _open(actor_of, units)
        report_submit_zero(actor=actor_of("county_operator"), report=report)
    with time_machine.travel(at(DAY, 17), tick=False):
        board = completeness(actor=actor_of("comprehensive"), period=period, day=DAY)
    statuses = {row["unit"].pk: row["status"] for row in board["units"]}
    assert statuses[units["county_operator"].pk] == UnitStatus.ZERO
    assert statuses[units["outsider"].pk] == UnitStatus.MISSING
    report.refresh_from_db()
    assert report.is_zero and report.texts["work_done"] == ZERO_TEXT
    assert report.versions.get().kind == VersionKind.ZERO


def test_unreported_unit_is_pending_before_the_cutoff_and_missing_after(actor_of, period, units):
    name = units["county_operator"].name
    with time_machine.travel(at(DAY, 16), tick=False):
        assert _status(actor_of, period, name) == UnitStatus.PENDING
    with time_machine.travel(at(DAY, 16, 0, 0, 1), tick=False):
        assert _status(actor_of, period, name) == UnitStatus.MISSING


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (at(DAY, 15, 59, 59), False),
        (at(DAY, 16, 0, 0), False),
        (at(DAY, 16, 0, 0, 1), True),
        (at(DAY, 16, 0, 1), True),
    ],
)
def test_late_is_exactly_after_the_cutoff(actor_of, period, units, moment, late):
    with time_machine.travel(moment, tick=False):
        report = _open(actor_of, units)
        report = report_submit(actor=actor_of("county_operator"), report=report, figures={},
                               texts=TEXTS)  # fmt: skip
        status = _status(actor_of, period, units["county_operator"].name)
    assert report.late is late
    assert status == (UnitStatus.LATE if late else UnitStatus.ON_TIME)


def test_resubmitting_before_the_cutoff_needs_no_reason(actor_of, period, units):
    actor = actor_of("county_operator")
    with time_machine.travel(MORNING, tick=False):
        report = report_submit(actor=actor, report=_open(actor_of, units), figures={}, texts=TEXTS)
        report = report_submit(actor=actor, report=report, figures={}, texts={"work_done": "补充"})
    assert [v.kind for v in report.versions.all()] == [VersionKind.SUBMIT, VersionKind.SUBMIT]


def test_after_the_cutoff_a_report_is_locked_and_amendments_keep_every_version(
    actor_of, period, units
):
    actor = actor_of("county_operator")
    with time_machine.travel(MORNING, tick=False):
        report = report_submit(actor=actor, report=_open(actor_of, units), figures={}, texts=TEXTS)
    with time_machine.travel(at(DAY, 18), tick=False):
        with pytest.raises(ValidationFailed) as exc:
            report_submit(actor=actor, report=report, figures={}, texts={"work_done": "改"})
        assert "reason" in exc.value.errors
        report = report_submit(actor=actor, report=report, figures={},
                               texts={"work_done": "改"}, reason="补报漏统计的 2 条")  # fmt: skip
    versions = list(report.versions.order_by("number"))
    assert [(v.number, v.kind) for v in versions] == [(1, VersionKind.SUBMIT),
                                                      (2, VersionKind.AMEND)]  # fmt: skip
    assert versions[0].texts["work_done"] == TEXTS["work_done"]
    assert versions[1].reason == "补报漏统计的 2 条" and versions[1].late
    # An amendment does not make an on-time report late.
    assert report.late is False
    assert ChangeEntry.objects.filter(action="reports.report.submitted", object_id=str(report.pk)
                                      ).count() == 2  # fmt: skip


def test_the_comprehensive_group_returns_a_report_and_the_unit_resubmits(actor_of, period, units):
    unit_actor = actor_of("county_operator")
    with time_machine.travel(MORNING, tick=False):
        report = report_submit(actor=unit_actor, report=_open(actor_of, units), figures={},
                               texts=TEXTS)  # fmt: skip
    with time_machine.travel(at(DAY, 17), tick=False):
        with pytest.raises(ValidationFailed):
            report_return(actor=actor_of("comprehensive"), report=report, reason=" ")
        report = report_return(actor=actor_of("comprehensive"), report=report,
                               reason="存在问题一栏未填写")  # fmt: skip
        assert report.status == ReportStatus.RETURNED
        assert _status(actor_of, period, units["county_operator"].name) == UnitStatus.RETURNED
        report = report_submit(actor=unit_actor, report=report, figures={},
                               texts=TEXTS | {"problems": "无"})  # fmt: skip
        assert _status(actor_of, period, units["county_operator"].name) == UnitStatus.ON_TIME
    assert [v.kind for v in report.versions.order_by("number")] == [
        VersionKind.SUBMIT, VersionKind.RESUBMIT]  # fmt: skip


def test_only_the_comprehensive_group_returns(actor_of, period, units):
    with time_machine.travel(MORNING, tick=False):
        report = report_submit(actor=actor_of("county_operator"), report=_open(actor_of, units),
                               figures={}, texts=TEXTS)  # fmt: skip
        for key in ("hq", "county_operator", "workgroup"):
            with pytest.raises(PermissionDenied):
                report_return(actor=actor_of(key), report=report, reason="退回")


def test_a_unit_reports_only_for_itself(actor_of, period, units):
    with time_machine.travel(MORNING, tick=False):
        # Another unit in scope: forbidden; a unit outside the actor's region: not found.
        with pytest.raises(PermissionDenied):
            report_open(actor=actor_of("workgroup"), period=period,
                        unit=units["county_operator"], day=DAY)  # fmt: skip
        with pytest.raises(NotFound):
            report_open(actor=actor_of("county_operator"), period=period,
                        unit=units["outsider"], day=DAY)  # fmt: skip
        with pytest.raises(PermissionDenied):
            report_open(actor=actor_of("hq"), period=period, unit=units["workgroup"], day=DAY)


def test_a_corrected_prefilled_figure_needs_a_reason(actor_of, period, units):
    actor = actor_of("county_operator")
    with time_machine.travel(MORNING, tick=False):
        report = _open(actor_of, units)
        assert report.prefilled["tests.sampled"] == 0
        with pytest.raises(ValidationFailed) as exc:
            report_submit(actor=actor, report=report, figures={"tests.sampled": 5}, texts=TEXTS)
        assert "tests.sampled" in exc.value.errors
        report = report_submit(actor=actor, report=report, figures={"tests.sampled": 5},
                               corrections={"tests.sampled": "含外地检测机构 5 人次"},
                               texts=TEXTS)  # fmt: skip
    assert report.figures["tests.sampled"] == 5
    assert report.corrections == {"tests.sampled": "含外地检测机构 5 人次"}
