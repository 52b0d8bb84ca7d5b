"""De-duplication in the file, matching known people, merging across open lists."""

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from fangkong.core.identity import DocumentType
from fangkong.people.identity import document_index
from fangkong.people.models import Person
from fangkong.people.tests.factories import person_in
from fangkong.screening import merge, writer
from fangkong.screening.importer import result_json
from fangkong.screening.models import MergeKind, PersonSource, ScreeningRecord, Status
from fangkong.screening.services import record_verify
from fangkong.screening.writer import CopySink, TempSink

from .conftest import HEADER, ID_A, ID_B, ID_C, ID_D, csv_bytes, row

pytestmark = pytest.mark.django_db
ADDRESS = "吉首市峒河街道峒河社区"


def test_repeats_in_a_file_are_merged_into_the_first_row(run_import):
    result = run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, address=ADDRESS),
                row(2, "张三", ID_A.lower(), address=ADDRESS),
                row(3, "李四", ID_B, address=ADDRESS),
            ]
        )
    )
    summary = result_json(result)
    assert summary["duplicates_in_file"] == 1 and summary["created"] == 2
    assert summary["valid"] == 3 and summary["assigned"]["village"] == 2
    first, repeat = ScreeningRecord.objects.filter(batch=result.batch).order_by("row_number")[:2]
    assert repeat.merge_kind == MergeKind.FILE and repeat.merged_into_id == first.pk
    assert repeat.person_id == first.person_id
    assert PersonSource.objects.filter(record=repeat).exists()


def test_known_people_are_matched_by_blind_index_not_created(run_import, world):
    known = Person.objects.filter(document_type="resident_id").first()
    result = run_import(
        csv_bytes([HEADER, row(1, known.name, known.document_number, address=ADDRESS)])
    )
    summary = result_json(result)
    assert summary["matched"] == 1 and summary["created"] == 0
    record = result.batch.records.get()
    assert record.person_id == known.pk
    source = PersonSource.objects.get(person=known)
    assert source.batch_id == result.batch.pk and source.row_number == 2
    assert source.record_id == record.pk and source.at == record.created_at
    assert (source.source, source.category) == ("省级推送", "risk_area")


@pytest.mark.parametrize("registry_read", [False, True], ids=["probed", "read-once"])
def test_a_list_of_known_new_and_repeated_people_creates_each_new_person_once_from_the_first_row(
    run_import, world, monkeypatch, registry_read
):
    """On PostgreSQL the registry is probed, or read once when the list asks a tenth of it."""
    monkeypatch.setattr(writer, "PERSON_ROW_BYTES", 10**12 if registry_read else 1)
    reads = []
    read_registry = CopySink._read_registry
    monkeypatch.setattr(
        CopySink, "_read_registry", lambda self: reads.append(1) or read_registry(self)
    )
    known = Person.objects.filter(document_type="resident_id").first()
    before = Person.objects.count()
    result = run_import(
        csv_bytes(
            [
                HEADER,
                row(1, known.name, known.document_number, address=ADDRESS),
                row(2, "王五", ID_C, "13912345678", ADDRESS),
                row(3, "王五", ID_C, "13812345678", ADDRESS),
                row(4, "赵六", ID_D, address=ADDRESS),
            ]
        )
    )
    summary = result_json(result)
    assert (summary["matched"], summary["created"], summary["duplicates_in_file"]) == (1, 2, 1)
    assert Person.objects.count() == before + 2
    records = list(result.batch.records.order_by("row_number"))
    assert records[0].person_id == known.pk
    assert records[1].person_id == records[2].person_id != records[3].person_id
    assert records[1].person.phone == "13912345678"
    assert len(reads) == (1 if registry_read and connection.vendor == "postgresql" else 0)


def test_a_person_registered_between_the_match_and_the_write_is_joined_not_duplicated(
    run_import, monkeypatch, world
):
    """New people are written without a conflict check: a document someone registered after
    the list was matched against the registry makes the write fail, nothing stays, and the
    import runs again, joining the holder. The first match is made to miss the holder, as a
    match made just before the registration would."""
    person_in(world.home_village, name="王五", number=ID_C)
    found = []
    for sink in (CopySink, TempSink):

        def registry(self, doc_type, indexes, original=sink.registry):
            result = original(self, doc_type, indexes if found else [])
            found.append(set(result["doc_index"]))
            return result

        monkeypatch.setattr(sink, "registry", registry)
    people_before = Person.objects.count()
    result = run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "王五", ID_C, "13912345678", ADDRESS),
                row(2, "赵六", ID_D, address=ADDRESS),
            ]
        )
    )
    holder = Person.objects.get(document_index=document_index(DocumentType.RESIDENT_ID, ID_C))
    assert found == [set(), {holder.document_index}]
    assert result_json(result)["created"] == 1 and result_json(result)["matched"] == 1
    assert Person.objects.count() == people_before + 1
    first, second = result.batch.records.order_by("row_number")
    assert first.person_id == holder.pk and second.person.document_number == ID_D


class _ServerError(Exception):
    """What psycopg raises, as far as the import looks at it."""

    def __init__(self, sqlstate: str):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "runs_again"), [("40P01", True), ("53100", False)], ids=["deadlock", "disk-full"]
)
def test_an_import_the_server_rolled_back_for_a_deadlock_runs_again(
    run_import, monkeypatch, sqlstate, runs_again
):
    calls = []
    for sink in (CopySink, TempSink):

        def registry(self, doc_type, indexes, original=sink.registry):
            calls.append(1)
            if len(calls) == 1:
                raise OperationalError("rolled back") from _ServerError(sqlstate)
            return original(self, doc_type, indexes)

        monkeypatch.setattr(sink, "registry", registry)
    data = csv_bytes([HEADER, row(1, "王五", ID_C, "13912345678", ADDRESS)])
    if not runs_again:
        with pytest.raises(OperationalError):
            run_import(data)
        return
    result = run_import(data)
    assert len(calls) == 2 and result_json(result)["created"] == 1


def test_new_people_are_created_with_encrypted_identifiers(run_import):
    result = run_import(csv_bytes([HEADER, row(1, "王五", ID_C, "13912345678", ADDRESS)]))
    person = result.batch.records.get().person
    assert person.document_number == ID_C and person.phone == "13912345678"
    assert person.sex == "F" and str(person.birth_date) == "1992-06-03"
    assert person.region_id == "433101002001"
    with connection.cursor() as cursor:
        cursor.execute("SELECT document_number FROM people_person WHERE id = %s", [person.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:") and ID_C not in stored


def test_the_same_person_on_a_second_open_list_is_merged_and_follows_the_first(
    run_import, actor_of
):
    first = run_import(csv_bytes([HEADER, row(1, "张三", ID_A, address=ADDRESS)]))
    second = run_import(
        csv_bytes(
            [HEADER, row(1, "张三", ID_A, address=ADDRESS), row(2, "张三", ID_A, address=ADDRESS)]
        ),
        category="secondary_contact",
    )
    primary = first.batch.records.get()
    merged = second.batch.records.order_by("row_number")
    assert [r.merge_kind for r in merged] == [MergeKind.LIST, MergeKind.FILE]
    assert all(r.merged_into_id == primary.pk for r in merged)
    record_verify(
        actor=actor_of("grid_worker"),
        pk=primary.pk,
        outcome="controlled",
        measure="集中隔离",
        place="州隔离点",
    )
    assert all(r.status == Status.CLOSED and r.four_clear for r in second.batch.records.all())
    assert PersonSource.objects.filter(batch=second.batch).count() == 2


def test_the_counts_tallied_while_writing_are_the_stored_records_counts(run_import, monkeypatch):
    """Several parts: repeats across parts, invalid rows, a person already on an open list,
    addresses resolved to different levels."""
    from django.db.models import Count

    from fangkong.screening import parallel

    monkeypatch.setattr(parallel, "PART_ROWS", 2)
    run_import(csv_bytes([HEADER, row(1, "张三", ID_A, address=ADDRESS)]))
    rows = [
        row(1, "张三", ID_A, address=ADDRESS),
        row(2, "李四", ID_B, address="吉首市"),
        row(3, "王五", "bad", address=ADDRESS),
        row(4, "李四", ID_B, address=ADDRESS),
        row(5, "赵六", ID_C, address="火星"),
        row(6, "孙七", "", phone="13912345678", address="吉首市峒河街道"),
        row(7, "张三", ID_A, address=ADDRESS),
    ]
    result = result_json(run_import(csv_bytes([HEADER, *rows])))
    records = ScreeningRecord.objects.filter(batch_id=result["batch"])
    kept = records.filter(invalid=False).exclude(merge_kind=MergeKind.FILE)
    levels = dict(kept.values_list("assigned_level").annotate(n=Count("*")).order_by())
    assert result["invalid"] == records.filter(invalid=True).count() == 1
    assert result["valid"] == records.filter(invalid=False).count() == 6
    assert result["duplicates_in_file"] == records.filter(merge_kind=MergeKind.FILE).count() == 2
    assert records.filter(merge_kind=MergeKind.LIST).count() == 1
    histories = PersonSource.objects.filter(batch_id=result["batch"])
    assert sorted(histories.values_list("row_number", flat=True)) == [2, 5, 8]
    assert (
        result["assigned"]
        == {
            "village": levels.get(12, 0),
            "township": levels.get(9, 0),
            "county": levels.get(6, 0),
            "unassigned": sum(n for level, n in levels.items() if level not in (12, 9, 6)),
        }
        == {"village": 1, "township": 1, "county": 1, "unassigned": 1}
    )


def test_a_small_list_refreshes_statistics_only_when_it_grows_a_table_by_a_tenth(run_import):
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    run_import(
        csv_bytes([HEADER] + [row(n, "赵六", "", f"139{n:08d}", ADDRESS) for n in range(40)])
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE screening_screeningrecord")
    rows = ScreeningRecord.objects.count()

    assert not _analyzes(rows // 10) and _analyzes(rows // 10 + 1)


def test_a_list_of_more_than_two_thousand_rows_refreshes_statistics_of_any_table(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    monkeypatch.setattr(merge, "_scalar", lambda sql, params=(): 1_000_000.0)  # reltuples

    assert not _analyzes(merge.ANALYZE_FROM_ROWS)
    assert _analyzes(merge.ANALYZE_FROM_ROWS + 1)


def _analyzes(added: int) -> bool:
    """Whether the merge refreshes the records' statistics after a list of `added` rows."""
    with CaptureQueriesContext(connection) as queries:
        merge._analyze_if_grown(ScreeningRecord, added)
    return any(q["sql"].startswith("ANALYZE") for q in queries)


@pytest.mark.django_db(transaction=True)
def test_ids_another_writer_interleaved_come_back_one_by_one():
    """Ids are read back as their range when they run on, one by one otherwise. The sequence
    is made to skip (committed: the import takes its ids on a connection of its own)."""
    if connection.vendor != "postgresql":
        pytest.skip("the import's own sequences are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('screening_screeningrecord', 'id')")
        sequence = cursor.fetchone()[0]
    with CopySink() as sink:
        in_a_run = sink.next_ids(ScreeningRecord, 4)
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 3")
            skipping = sink.next_ids(ScreeningRecord, 4)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY 1")
    assert isinstance(in_a_run, range) and len(in_a_run) == 4
    assert list(skipping) == [skipping[0] + 3 * n for n in range(4)]
    assert skipping[0] > in_a_run[-1]
