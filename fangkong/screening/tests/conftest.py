import csv
import io

import pytest
import xlsxwriter

from fangkong.checkpoints.tests.conftest import checkpoint  # noqa: F401
from fangkong.screening.importer import ImportOptions, screening_import

HEADER = ["序号", "姓名", "身份证号", "联系电话", "现居住地", "来源地", "抵达时间", "健康码"]
# Valid IDs (GB 11643 check characters) for the tests.
ID_A = "11010519491231002X"
ID_B = "440524188001010014"
ID_C = "433101199206033461"
ID_D = "43313019850715001X"


@pytest.fixture
def hq(actor_of):
    return actor_of("comprehensive")


def csv_bytes(rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, dates: dict | None = None) -> bytes:
    """rows of strings; `dates` maps (row, col) to a datetime written as a real date cell."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if dates and (r, c) in dates:
                sheet.write_datetime(r, c, dates[(r, c)], date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, value)
    workbook.close()
    return buffer.getvalue()


@pytest.fixture
def run_import(tmp_path, hq):
    counter = iter(range(10_000))

    def run(data: bytes, name="名单.csv", actor=None, **options):
        path = tmp_path / f"{next(counter)}-{name}"
        path.write_bytes(data)
        options.setdefault("category", "risk_area")
        return screening_import(
            actor=actor or hq, path=path, filename=name, options=ImportOptions(**options)
        )

    return run


def row(n, name, document="", phone="", address="", place="西安市", arrived="2022-01-09", code=""):
    return [str(n), name, document, phone, address, place, arrived, code]


def upload_list(client, data: bytes, name: str = "名单.csv", source: str = "province"):
    """Upload a list through the page, as a signed-in user does; the job it started."""
    from django.urls import reverse

    from fangkong.imports.models import ImportJob

    upload = io.BytesIO(data)
    upload.name = name
    client.post(
        reverse("screening:batches"),
        {"file": upload, "category": "risk_area", "source": source},
    )
    return ImportJob.objects.latest("pk")
