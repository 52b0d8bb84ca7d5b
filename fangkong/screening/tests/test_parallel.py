"""Big files are read by worker processes: the result must be the same as in one process."""

import datetime as dt
import gc
import multiprocessing
import threading

import polars as pl
import pytest

from fangkong.imports import xlsx
from fangkong.imports.cells import SHANGHAI
from fangkong.imports.readers import open_table
from fangkong.screening import parallel
from fangkong.screening.importer import result_json
from fangkong.screening.models import ScreeningRecord

from .conftest import HEADER, ID_A, ID_B, ID_C, ID_D, csv_bytes, row, xlsx_bytes
from .test_atomicity import _ids

pytestmark = pytest.mark.django_db


def _list(count):
    ids = _ids(count)
    rows = [
        row(n, "张三", ids[n] if n % 50 else "bad", address="吉首市峒河街道峒河社区")
        for n in range(count)
    ]
    rows[10] = rows[9]  # a repeat
    return csv_bytes([HEADER, *rows])


def _fields(batch):
    records = ScreeningRecord.objects.filter(batch=batch).order_by("row_number")
    return list(records.values_list("row_number", "document_index", "region_id", "invalid"))


@pytest.mark.parametrize("validate_while_workers_start", [False, True])
def test_parallel_reading_gives_the_same_batch(
    run_import, monkeypatch, settings, validate_while_workers_start
):
    """Every part validated by the workers, or the first parts (here likely all) by the reading
    thread while the workers start: the same batch as in one process."""
    data = _list(12_000)
    single = run_import(data, allow_duplicate=True)
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(parallel, "VALIDATE_WHILE_WORKERS_START", validate_while_workers_start)
    settings.SCREENING_IMPORT_WORKERS = 2
    double = run_import(data, allow_duplicate=True)
    assert double.summary["timings"]["workers"] == 2
    one, two = result_json(single), result_json(double)
    same = ("rows", "valid", "invalid", "duplicates_in_file", "assigned", "errors")
    assert {k: one[k] for k in same} == {k: two[k] for k in same}
    # The second list names the same people: matched now, not created again.
    assert one["created"] == two["matched"] == 11_759 and two["created"] == 0
    assert _fields(single.batch) == _fields(double.batch)
    assert one["invalid"] == 240 and one["duplicates_in_file"] == 1


def _lines(rows):
    return "".join(line + "\r\n" for line in rows).encode()


# A CSV list cut into parts of three lines: a quoted title over two lines, a quoted address
# over two lines across a part's end, a part of blank lines only, and a quote inside a cell
# (text_parts splits the first and last parts itself, sends the others as text).
CUT_LIST = _lines(
    [
        '"湘西州重点人员名单\r\n（第二批）",,,,,,,',  # row 1
        ",".join(HEADER),  # row 2
        ",".join(row(1, "张三", ID_A, address="吉首市峒河街道峒河社区")),  # row 3
        ",".join(row(2, "王五", "4331011992")),  # row 4: a document too short
        f'3,李四,{ID_B},,"吉首市\r\n峒河街道峒河社区",西安市,2022-01-09,',  # row 5
        "",  # rows 6 to 10 blank
        "",
        "",
        "",
        "",
        ",".join(row(4, "赵六", ID_C)),  # row 11
        ",".join(row(5, "钱七", ID_D, place='广东"深圳')),  # row 12
    ]
)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_csv_list_cut_into_parts_keeps_its_rows_and_their_numbers(
    run_import, monkeypatch, settings, workers
):
    monkeypatch.setattr(parallel, "PART_ROWS", 3)
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0 if workers > 1 else 10**12)
    monkeypatch.setattr(parallel, "VALIDATE_WHILE_WORKERS_START", False)
    settings.SCREENING_IMPORT_WORKERS = workers

    result = run_import(CUT_LIST)

    assert result.stored, result.refused
    summary = result_json(result)
    assert summary["rows"] == 5 and summary["valid"] == 4
    assert summary["errors"] == [
        {"row": 4, "field": "身份证号", "message": "身份证号应为18位，实际为10位"}
    ]
    records = {r.row_number: r for r in ScreeningRecord.objects.filter(batch=result.batch)}
    assert sorted(records) == [3, 4, 5, 11, 12]
    assert records[5].values[HEADER.index("现居住地")] == "吉首市\r\n峒河街道峒河社区"
    assert records[12].source_place == '广东"深圳'
    assert records[11].document_index and not records[4].document_index


@pytest.mark.parametrize("workers", [1, 2])
def test_an_xlsx_list_cut_into_pieces_keeps_its_rows_and_their_numbers(
    run_import, monkeypatch, settings, tmp_path, workers
):
    """Pieces of three rows and a few hundred bytes of the sheet's XML, read by the workers,
    which read the workbook's shared strings themselves."""
    monkeypatch.setattr(parallel, "PART_ROWS", 3)
    monkeypatch.setattr(xlsx, "CHUNK_BYTES", 300)
    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0 if workers > 1 else 10**12)
    monkeypatch.setattr(parallel, "VALIDATE_WHILE_WORKERS_START", False)
    settings.SCREENING_IMPORT_WORKERS = workers
    rows = [
        ["湘西州重点人员名单（第二批）"],  # row 1
        [],  # row 2
        HEADER,  # row 3
        *[row(n, f"张{n}", _ids(40)[n], address="吉首市峒河街道峒河社区") for n in range(30)],
        row(31, "王五", "4331011992"),  # row 34: a document too short
        [],  # row 35
        row(32, "赵六", ID_C, place="广东深圳"),  # row 36
    ]
    arrived = dt.datetime(2022, 1, 9, 14, 30)

    data = xlsx_bytes(rows, dates={(35, 6): arrived})
    pieces = list(parallel.sheet_parts(_sheet(data, tmp_path), after=3))

    result = run_import(data, name="名单.xlsx")

    assert result.stored, result.refused
    assert len(pieces) > 5 and result.summary["timings"]["workers"] == workers
    summary = result_json(result)
    assert summary["rows"] == 32 and summary["valid"] == 31
    assert summary["errors"] == [
        {"row": 34, "field": "身份证号", "message": "身份证号应为18位，实际为10位"}
    ]
    records = {r.row_number: r for r in ScreeningRecord.objects.filter(batch=result.batch)}
    assert sorted(records) == [*range(4, 35), 36]
    assert records[4].name == "张0" and records[33].name == "张29"
    assert records[36].source_place == "广东深圳"
    assert records[36].arrived_at == arrived.replace(tzinfo=SHANGHAI)


def _sheet(data, tmp_path):
    path = tmp_path / "pieces.xlsx"
    path.write_bytes(data)
    sheet = open_table(path).sheet
    assert sheet is not None
    return sheet


def test_parts_of_csv_lines_go_as_text_unless_a_quote_is_among_them(monkeypatch):
    from fangkong.imports.readers import CsvLines

    monkeypatch.setattr(parallel, "PART_ROWS", 2)
    lines = ["a,b\n", '"c\n', 'd",e\n', "\n", "f,g\n", "h,i\n"]
    parts = list(parallel.text_parts(CsvLines(delimiter=",", first=3, lines=iter(lines))))
    assert parts == [
        [(3, ["a", "b"]), (4, ["c\nd", "e"])],  # the quoted cell takes the next part's line
        parallel.TextPart(first=5, text="\nf,g\n", delimiter=","),
        parallel.TextPart(first=7, text="h,i\n", delimiter=","),
    ]
    assert parts[1].rows() == [(6, ["f", "g"])]  # the blank row is left out, and counted


def test_workers_that_cannot_start_fail_the_import_and_store_nothing(
    run_import, monkeypatch, settings
):
    from fangkong.people.models import Person
    from fangkong.screening.models import ScreeningBatch

    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(parallel, "VALIDATE_WHILE_WORKERS_START", False)
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "no_such_settings")  # a worker cannot set up
    settings.SCREENING_IMPORT_WORKERS = 2
    people_before = Person.objects.count()

    with pytest.raises(parallel.WorkersFailed, match="工作进程未能启动"):
        run_import(_list(3_000))

    assert not ScreeningBatch.objects.exists()
    assert Person.objects.count() == people_before
    assert not _import_threads()
    assert not multiprocessing.active_children()


def test_a_file_that_breaks_off_while_read_in_parallel_stores_nothing(
    run_import, monkeypatch, settings
):
    """Bytes that cannot be decoded after several parts have gone to the workers: the file
    is refused with the place named, and nothing of the parts before is stored."""
    from fangkong.people.models import Person
    from fangkong.screening.models import ScreeningBatch

    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0)
    monkeypatch.setattr(parallel, "PART_ROWS", 500)
    settings.SCREENING_IMPORT_WORKERS = 2
    people_before = Person.objects.count()
    data = _list(3_000) + b"3001,\xff\xfe\xfd,,,,,,\n"

    result = run_import(data)

    assert result.refused.startswith("文件第") and "行附近有无法识别的字符" in result.refused
    assert not ScreeningBatch.objects.exists()
    assert Person.objects.count() == people_before


def test_the_garbage_collector_pauses_for_a_block_and_comes_back_whatever_happens():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), parallel.collector_paused():
        with parallel.collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner pause leaves the outer one paused
        raise RuntimeError
    assert gc.isenabled()


def test_an_import_leaves_the_garbage_collector_running(run_import):
    run_import(_list(30))
    assert gc.isenabled()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_while_writing_stops_the_reading_and_stores_nothing(
    run_import, monkeypatch, settings, workers
):
    """The writing fails after two parts: the error comes through, nothing of the parts
    written stays, and the reading thread (and the workers) are gone."""
    from fangkong.people.models import Person
    from fangkong.screening.models import ScreeningBatch
    from fangkong.screening.writer import ListWriter

    monkeypatch.setattr(parallel, "PARALLEL_FROM_BYTES", 0 if workers > 1 else 10**12)
    monkeypatch.setattr(parallel, "PART_ROWS", 500)
    settings.SCREENING_IMPORT_WORKERS = workers
    people_before = Person.objects.count()
    add = ListWriter.add
    written = []

    def add_then_fail(self, part):
        if len(written) == 2:
            raise RuntimeError("disk full")
        written.append(part.height)
        add(self, part)

    monkeypatch.setattr(ListWriter, "add", add_then_fail)

    with pytest.raises(RuntimeError, match="disk full"):
        run_import(_list(3_000))

    assert written == [500, 500]
    assert not ScreeningBatch.objects.exists()
    assert Person.objects.count() == people_before
    assert not _import_threads()


def _import_threads():
    names = ("import-reader", "import-copier", "import-workers")
    return [t for t in threading.enumerate() if t.name in names]


def test_a_copy_refused_by_the_server_is_the_error_raised_and_nothing_stays(
    run_import, monkeypatch
):
    """On PostgreSQL the parts are COPY'd by a thread of their own. The server refuses the
    first part's records; the importing thread, meanwhile asking the registry for the next
    parts on the aborted transaction, raises the server's refusal, not the abort."""
    from django.db import DataError, connection

    from fangkong.people.models import Person
    from fangkong.screening import writer
    from fangkong.screening.models import ScreeningBatch, ScreeningRecord

    if connection.vendor != "postgresql":
        pytest.skip("the copying thread is PostgreSQL's")
    monkeypatch.setattr(parallel, "PART_ROWS", 500)
    monkeypatch.setattr(writer, "PERSON_ROW_BYTES", 1)  # the registry is asked every part
    put = writer._Copier.put
    refused = []

    def put_too_long_a_name(self, model, frame):
        if model is ScreeningRecord and not refused:
            refused.append(frame.height)
            frame = frame.with_columns(pl.lit("名" * 61).alias("name"))
        put(self, model, frame)

    monkeypatch.setattr(writer._Copier, "put", put_too_long_a_name)
    people_before = Person.objects.count()

    with pytest.raises(DataError, match="too long"):
        run_import(_list(3_000))

    assert refused == [500]
    assert not ScreeningBatch.objects.exists()
    assert Person.objects.count() == people_before
    assert not _import_threads()
