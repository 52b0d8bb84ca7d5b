"""Report pages: the form, the one-click zero report, details, returns, board, bulletins."""

import pytest
import time_machine
from django.urls import reverse

from fangkong.reports.models import DailyReport, ReportStatus
from fangkong.reports.services import report_open, report_submit

from .conftest import DAY, at

DAY_S = DAY.isoformat()


@pytest.fixture
def at_morning():
    with time_machine.travel(at(DAY, 10), tick=False):
        yield


@pytest.fixture
def county_report(actor_of, period, units):
    with time_machine.travel(at(DAY, 9), tick=False):
        actor = actor_of("county_operator")
        report = report_open(actor=actor, period=period, unit=units["county_operator"], day=DAY)
        return report_submit(actor=actor, report=report, figures={},
                             texts={"work_done": "完成排查"})  # fmt: skip


def test_unit_home_lists_days_with_the_zero_button(client, world, period, at_morning):
    client.force_login(world.user("county_operator"))
    page = client.get(reverse("reports:home")).content.decode()
    assert "今日无新增情况" in page and "2022-01-20" in page


def test_one_click_zero_report(client, world, period, units, at_morning):
    client.force_login(world.user("county_operator"))
    response = client.post(reverse("reports:zero", args=[DAY_S]))
    assert response.status_code == 302
    report = DailyReport.objects.get(unit=units["county_operator"], day=DAY)
    assert report.is_zero and report.status == ReportStatus.SUBMITTED


def test_form_shows_prefilled_figures_and_submits(client, world, period, units, at_morning):
    client.force_login(world.user("workgroup"))
    page = client.get(reverse("reports:form", args=[DAY_S])).content.decode()
    assert "平台" in page and "fig-tests.sampled" in page
    response = client.post(reverse("reports:form", args=[DAY_S]),
                           {"fig-tests.sampled": "3", "text-work_done": "x"})  # fmt: skip
    assert response.status_code == 422
    assert "更正原因" in response.content.decode()
    response = client.post(reverse("reports:form", args=[DAY_S]),
                           {"fig-tests.sampled": "3", "why-tests.sampled": "含外地机构",
                            "text-work_done": "x"})  # fmt: skip
    assert response.status_code == 302
    assert DailyReport.objects.get(unit=units["workgroup"], day=DAY).figures["tests.sampled"] == 3


def test_outsider_gets_404_for_a_report(client, world, county_report, at_morning):
    client.force_login(world.user("outsider"))
    assert client.get(reverse("reports:detail", args=[county_report.pk])).status_code == 404
    client.force_login(world.user("comprehensive"))
    assert client.get(reverse("reports:detail", args=[county_report.pk])).status_code == 200


def test_return_from_the_page(client, world, county_report):
    client.force_login(world.user("comprehensive"))
    with time_machine.travel(at(DAY, 17), tick=False):
        client.post(reverse("reports:return", args=[county_report.pk]), {"reason": "请补充"})
    county_report.refresh_from_db()
    assert county_report.status == ReportStatus.RETURNED
    client.force_login(world.user("county_operator"))
    assert client.post(reverse("reports:return", args=[county_report.pk]),
                       {"reason": "x"}).status_code == 403  # fmt: skip


def test_board_runs_a_fixed_number_of_queries(client, world, county_report,
                                              django_assert_num_queries):  # fmt: skip
    client.force_login(world.user("comprehensive"))
    client.get(reverse("reports:board"))  # warm the session and the template cache
    with time_machine.travel(at(DAY, 17), tick=False), django_assert_num_queries(9):
        page = client.get(reverse("reports:board"))
    assert page.status_code == 200
    assert "缺报" in page.content.decode()


def test_grid_worker_cannot_open_reports(client, world, period):
    client.force_login(world.user("grid_worker"))
    assert client.get(reverse("reports:board")).status_code == 403
    assert client.get(reverse("reports:home")).status_code == 403


def test_bulletin_compiled_from_the_page(client, world, county_report, settings, tmp_path,
                                         django_capture_on_commit_callbacks):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.user("comprehensive"))
    with (
        time_machine.travel(at(DAY, 17), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("reports:bulletins"), {"date": DAY_S, "format": "docx"})
        page = client.get(reverse("reports:bulletins")).content.decode()
    assert "下载" in page
    client.force_login(world.user("outsider"))
    assert client.post(reverse("reports:bulletins"), {"date": DAY_S}).status_code == 403


def test_the_comprehensive_group_sets_up_a_period(client, world):
    from fangkong.reports.models import ReportingPeriod

    client.force_login(world.user("comprehensive"))
    page = client.get(reverse("reports:periods")).content.decode()
    assert "设立报告周期" in page and "社区防控组" in page
    from fangkong.org.models import CommandUnit

    units = list(CommandUnit.objects.filter(parent=world.hq, reports_daily=True)
                 .values_list("pk", flat=True))  # fmt: skip
    response = client.post(reverse("reports:periods"), {
        "name": "“两节”特护期", "starts_on": "2022-01-10", "ends_on": "2022-03-15",
        "cutoff": "16:00", "units": units})  # fmt: skip
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(name="“两节”特护期")
    assert period.units.count() == len(units) and period.region_id == world.city.code
    client.force_login(world.user("county_operator"))
    assert client.post(reverse("reports:periods"), {"name": "x"}).status_code == 403


def test_chasing_from_the_board_notifies_the_units_not_yet_in(client, world, county_report):
    from fangkong.notifications.models import Notification

    client.force_login(world.user("comprehensive"))
    with time_machine.travel(at(DAY, 15), tick=False):
        assert "一键催报" in client.get(reverse("reports:board")).content.decode()
        response = client.post(reverse("reports:chase"), {"date": DAY_S})
    assert response.status_code == 302
    chased = Notification.objects.filter(kind="reports.chase")
    assert chased.count() == county_report.period.units.count() - 1
    assert not chased.filter(message__startswith=county_report.unit.name).exists()
    client.force_login(world.user("county_operator"))
    assert client.post(reverse("reports:chase"), {"date": DAY_S}).status_code == 403


def test_home_todo_names_todays_report_and_the_missed_days(actor_of, period, units):
    from fangkong.reports.todo import home_todo

    actor = actor_of("county_operator")
    with time_machine.travel(at(period.starts_on, 10), tick=False):
        assert [(str(t.label), t.count) for t in home_todo(actor)] == [("本单位今日日报待报送", 1)]
    with time_machine.travel(at(DAY, 10), tick=False):
        todos = {str(t.label): (t.count, t.urgent) for t in home_todo(actor)}
        missed = (DAY - period.starts_on).days  # every day before today, none sent
        assert todos == {"本单位今日日报待报送": (1, False), "日报缺报": (missed, True)}
        report = report_open(actor=actor, period=period, unit=units["county_operator"], day=DAY)
        report_submit(actor=actor, report=report, figures={}, texts={"work_done": "完成排查"})
        assert "本单位今日日报待报送" not in [str(t.label) for t in home_todo(actor)]
    assert home_todo(actor_of("grid_worker")) == []


def test_the_bulletins_come_60_a_page(client, world, period):
    import datetime as dt

    from fangkong.reports.models import Bulletin

    Bulletin.objects.bulk_create(
        Bulletin(period=period, region=world.city, day=DAY - dt.timedelta(days=n // 2),
                 number=n + 1, format="docx" if n % 2 else "pdf")
        for n in range(61)
    )  # fmt: skip
    client.force_login(world.user("comprehensive"))
    first = client.get(reverse("reports:bulletins")).content.decode()
    second = client.get(reverse("reports:bulletins") + "?page=2").content.decode()
    row = 'data-label="期数"'
    assert first.count(row) == 60 and second.count(row) == 1 and "?page=2" in first
