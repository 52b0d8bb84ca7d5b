"""Result pages: one result by document, a lab sheet with every row error shown and a
downloadable error sheet, nothing half-imported; scope and permission."""

import datetime as dt
import io
import json

import openpyxl
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fangkong.audit.models import ChangeEntry
from fangkong.imports.readers import csv_text
from fangkong.labtests.models import NatTest
from fangkong.people.models import Person

NOW = "2022-01-10 18:00+08:00"


def _people(world, county):
    return list(Person.objects.filter(region__code__startswith=county.code).order_by("id")[:2])


@time_machine.travel(NOW, tick=False)
def test_lab_staff_record_one_result_by_document(client, world):
    person = _people(world, world.home_county)[0]
    client.force_login(world.user("county_lab"))
    response = client.post(
        reverse("labtests:record"),
        {"document_type": "resident_id", "document_number": person.document_number,
         "sampled_at": "2022-01-10T08:30", "result": "negative", "lab": "州疾控",
         "purpose": "routine"},
    )  # fmt: skip
    assert response.status_code == 302
    test = NatTest.objects.get(person=person)
    assert test.result == "negative" and test.lab == "州疾控"
    assert ChangeEntry.objects.filter(action="labtests.result.recorded").count() == 1
    listed = client.get(reverse("labtests:list"))
    assert [t.pk for t in listed.context["page"]] == [test.pk]


@time_machine.travel(NOW, tick=False)
def test_a_person_out_of_scope_is_not_found_by_document(client, world):
    outsider = _people(world, world.other_county)[0]
    client.force_login(world.user("county_lab"))
    response = client.post(
        reverse("labtests:record"),
        {"document_type": "resident_id", "document_number": outsider.document_number,
         "sampled_at": "2022-01-10T08:30", "result": "positive"},
    )  # fmt: skip
    assert response.status_code == 422 and "辖区内没有登记" in response.content.decode()
    assert not NatTest.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_sheet_with_errors_shows_every_row_and_offers_the_error_sheet(client, world):
    a, b = _people(world, world.home_county)
    sheet = csv_text([
        ["姓名", "身份证号", "采样时间", "检测结果"],
        [a.name, a.document_number, "2022-01-10 08:30", "阴性"],
        [b.name, "12345", "2022-01-10 08:30", "阴性"],
        [b.name, b.document_number, "昨天", "弱阳"],
    ])  # fmt: skip
    client.force_login(world.user("county_lab"))
    response = client.post(
        reverse("labtests:import"), {"sheet": SimpleUploadedFile("结果.csv", sheet)}, follow=True
    )
    job = response.context["job"]
    assert job.status == "refused"
    assert [(row, field) for row, field, _m in job.result["errors"]] == [
        (3, "身份证号"), (4, "检测结果"), (4, "采样时间"),
    ]  # fmt: skip
    assert "全部未导入" in response.content.decode()
    assert not NatTest.objects.exists()
    download = client.get(reverse("labtests:job_errors", args=[job.pk]))
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0] == ["姓名", "身份证号", "采样时间", "检测结果", "错误说明"]
    assert [r[1] for r in rows[1:]] == ["12345", b.document_number]
    assert "检测结果" in rows[2][4] and "采样时间" in rows[2][4]
    # Another county's staff cannot open the job or its error sheet.
    client.force_login(world.user("outsider"))
    assert client.get(reverse("labtests:job", args=[job.pk])).status_code == 404
    assert client.get(reverse("labtests:job_errors", args=[job.pk])).status_code == 404
    client.force_login(world.user("hq"))
    assert client.get(reverse("labtests:job", args=[job.pk])).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_clean_sheet_is_imported_whole(client, world):
    a, b = _people(world, world.home_county)
    sheet = csv_text([
        ["姓名", "身份证号", "采样时间", "检测结果"],
        [a.name, a.document_number, "2022-01-10 08:30", "阴性"],
        [b.name, b.document_number, "2022-01-10 08:40", "阴性"],
    ])  # fmt: skip
    client.force_login(world.user("county_lab"))
    response = client.post(
        reverse("labtests:import"),
        {"sheet": SimpleUploadedFile("结果.csv", sheet), "lab": "州疾控"},
        follow=True,
    )
    assert response.context["job"].status == "done" and NatTest.objects.count() == 2
    assert set(NatTest.objects.values_list("lab", flat=True)) == {"州疾控"}
    job = response.context["job"]
    assert client.get(reverse("labtests:job_errors", args=[job.pk])).status_code == 404


def test_roles_without_recording_may_not_enter_or_import(client, world):
    for key in ("grid_worker", "workgroup"):
        client.force_login(world.user(key))
        assert client.get(reverse("labtests:record")).status_code == 403
        assert client.post(reverse("labtests:import")).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_api_records_and_lists_in_scope(client, world):
    person = _people(world, world.home_county)[0]
    outsider = _people(world, world.other_county)[0]
    client.force_login(world.user("county_lab"))
    body = {"document_number": person.document_number, "sampled_at": "2022-01-10T08:30:00+08:00",
            "result": "negative"}  # fmt: skip
    response = client.post("/api/v1/labtests/results", json.dumps(body), "application/json")
    assert response.status_code == 201
    body["document_number"] = outsider.document_number
    response = client.post("/api/v1/labtests/results", json.dumps(body), "application/json")
    assert response.status_code == 422
    client.force_login(world.user("outsider"))
    assert client.get("/api/v1/labtests/results").json()["results"] == []


def test_the_api_list_comes_100_a_page_and_says_how_many(client, world):
    person = _people(world, world.home_county)[0]
    sampled = dt.datetime(2022, 1, 10, 8, 0, tzinfo=dt.UTC)
    NatTest.objects.bulk_create(
        NatTest(person=person, region=person.region, sampled_at=sampled - dt.timedelta(hours=n),
                result="negative")
        for n in range(101)
    )  # fmt: skip
    client.force_login(world.user("county_lab"))
    first = client.get("/api/v1/labtests/results").json()
    second = client.get("/api/v1/labtests/results?page=2").json()
    assert (first["count"], first["pages"], len(first["results"])) == (101, 2, 100)
    assert second["page"] == 2 and len(second["results"]) == 1
    ids = {r["id"] for r in first["results"] + second["results"]}
    assert ids == set(NatTest.objects.values_list("pk", flat=True))


def test_uploaded_sheets_are_listed_in_scope_twenty_a_page(client, world):
    from fangkong.imports.models import ImportJob

    def job(region, n, **fields):
        return ImportJob.objects.create(
            kind="labtests.sheet", filename=f"结果{n}.xlsx", sha256=f"{n:064d}",
            region=region, created_by=world.user("county_lab"), **fields,
        )  # fmt: skip

    for n in range(21):
        job(world.home_county, n)
    job(world.home_county, 90, status="done", result={"recorded": 12, "positives": 1})
    job(world.home_county, 91, status="refused", result={"error_count": 3})
    job(world.other_county, 99)
    client.force_login(world.user("county_lab"))
    page = client.get(reverse("labtests:import"))
    names = [j.filename for j in page.context["recent"]]
    assert names[:2] == ["结果91.xlsx", "结果90.xlsx"] and len(names) == 20
    html = page.content.decode()
    assert "3 处错误，未导入" in html and "导入 12 条，阳性 1 条" in html
    assert "第 1 / 2 页，共 23 条" in html
    second = client.get(reverse("labtests:import"), {"page": 2})
    assert [j.filename for j in second.context["recent"]] == [
        "结果2.xlsx",
        "结果1.xlsx",
        "结果0.xlsx",
    ]
    assert "结果99.xlsx" not in html + second.content.decode()


@time_machine.travel(NOW, tick=False)
def test_results_are_found_by_name_and_day_and_link_to_the_persons_file(client, world):
    from fangkong.core.actor import Actor
    from fangkong.labtests.services import nat_result_record

    a, b = _people(world, world.home_county)
    lab = Actor.build(user=world.user("county_lab"), region=world.home_county, role="lab_staff")
    day = dt.datetime(2022, 1, 9, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    first = nat_result_record(actor=lab, person=a, sampled_at=day, result="negative", lab="州疾控")
    second = nat_result_record(
        actor=lab, person=b, sampled_at=day + dt.timedelta(hours=1), result="negative", lab="州疾控"
    )
    client.force_login(world.user("county_lab"))
    url = reverse("labtests:list")
    on_ninth = client.get(url, {"day": "2022-01-09"})
    assert [t.pk for t in on_ninth.context["page"]] == [first.pk]
    by_name = client.get(url, {"q": b.name, "result": "negative"})
    assert second.pk in [t.pk for t in by_name.context["page"]]
    assert first.pk not in [t.pk for t in by_name.context["page"]] or a.name in b.name
    assert reverse("people:detail", args=[b.pk]) in by_name.content.decode()
    assert client.get(url, {"day": "2022-13-40"}).status_code == 200
