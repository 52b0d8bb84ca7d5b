"""Correcting a row needing correction on screen, or closing it as 信息有误: the import's rules
again, the person found or registered, merges, the batch's counts, rights and scope."""

import pytest
from django.urls import reverse

from fangkong.audit.models import AccessEntry, ChangeEntry
from fangkong.core.errors import NotFound, PermissionDenied, ValidationFailed
from fangkong.people.models import Person
from fangkong.screening import selectors
from fangkong.screening.correction import Correction, record_close_invalid, record_correct
from fangkong.screening.models import MergeKind, Outcome, PersonSource, ScreeningBatch, Status
from fangkong.screening.services import record_verify

from .conftest import HEADER, ID_A, ID_B, ID_C, csv_bytes, row

pytestmark = pytest.mark.django_db
HOME = "吉首市峒河街道峒河社区"  # the grid worker's village
BAD_ID = "11010519491231002"  # 17 characters


@pytest.fixture
def batch(run_import):
    """Row 2 valid; row 3 a malformed document with a valid phone; row 4 a malformed phone
    and no document; row 5 valid, naming ID_B."""
    return run_import(
        csv_bytes(
            [
                HEADER,
                row(1, "张三", ID_A, address=HOME),
                row(2, "李四", BAD_ID, "13912345678", address=HOME),
                row(3, "王五", "", "1391234", address=HOME),
                row(4, "赵六", ID_B, address=HOME),
            ]
        )
    ).batch


def _row(batch, number):
    return batch.records.get(row_number=number)


def test_a_corrected_document_makes_the_row_valid_and_registers_the_person(batch, actor_of):
    record = record_correct(
        actor=actor_of("county_operator"), pk=_row(batch, 3).pk,
        correction=Correction(document_number=ID_C),
    )  # fmt: skip

    assert not record.invalid and record.errors == [] and record.status == Status.PUSHED
    assert record.person.document_number == ID_C and record.person.name == "李四"
    # The phone left blank is the sender's.
    assert record.phone == "13912345678" and record.person.phone == "13912345678"
    assert record.region_id == "433101002001" and not record.merge_kind
    stored = ScreeningBatch.objects.get(pk=batch.pk)
    assert (stored.valid, stored.invalid, stored.created_people) == (3, 1, 3)
    assert stored.assigned["village"] == batch.assigned["village"] + 1
    assert ChangeEntry.objects.filter(action="screening.record.corrected").count() == 1
    # The village's grid worker now has it to verify.
    mine = selectors.my_records(actor=actor_of("grid_worker"))
    assert record.pk in [r.pk for r in mine]
    record_verify(actor=actor_of("grid_worker"), pk=record.pk, outcome=Outcome.NOT_FOUND)


def test_a_row_still_wrong_names_the_field_and_changes_nothing(batch, actor_of):
    record = _row(batch, 4)
    with pytest.raises(ValidationFailed) as refused:
        record_correct(
            actor=actor_of("county_operator"), pk=record.pk,
            correction=Correction(phone="1391234567"),
        )  # fmt: skip
    assert "phone" in refused.value.errors
    assert _row(batch, 4).invalid and ScreeningBatch.objects.get(pk=batch.pk).invalid == 2


def test_a_phone_alone_makes_a_valid_row_with_nobody_registered_yet(batch, actor_of):
    people = Person.objects.count()
    record = record_correct(
        actor=actor_of("county_operator"), pk=_row(batch, 4).pk,
        correction=Correction(phone="13912345670"),
    )  # fmt: skip
    assert not record.invalid and record.person is None and record.phone == "13912345670"
    assert Person.objects.count() == people


def test_a_person_already_on_the_list_is_merged_as_a_repeat(batch, actor_of):
    first = _row(batch, 5)
    record = record_correct(
        actor=actor_of("county_operator"), pk=_row(batch, 3).pk,
        correction=Correction(document_number=ID_B),
    )  # fmt: skip
    assert record.merge_kind == MergeKind.FILE and record.merged_into_id == first.pk
    assert record.person_id == first.person_id
    stored = ScreeningBatch.objects.get(pk=batch.pk)
    assert stored.duplicates_in_file == batch.duplicates_in_file + 1
    assert stored.matched_people == batch.matched_people
    assert PersonSource.objects.filter(record=record).exists()


def test_a_person_on_another_open_list_is_merged_into_that_record(batch, actor_of, run_import):
    other = run_import(csv_bytes([HEADER, row(1, "孙七", ID_C, address=HOME)])).batch
    record = record_correct(
        actor=actor_of("county_operator"), pk=_row(batch, 3).pk,
        correction=Correction(document_number=ID_C),
    )  # fmt: skip
    assert record.merge_kind == MergeKind.LIST
    assert record.merged_into_id == other.records.get().pk
    assert ScreeningBatch.objects.get(pk=batch.pk).matched_people == batch.matched_people + 1


def test_a_row_that_will_not_be_corrected_is_closed_as_wrong_information(batch, actor_of):
    operator = actor_of("county_operator")
    with pytest.raises(ValidationFailed) as refused:
        record_close_invalid(actor=operator, pk=_row(batch, 4).pk, note="  ")
    assert "note" in refused.value.errors

    record = record_close_invalid(actor=operator, pk=_row(batch, 4).pk, note="已更正后重新导入")

    assert record.status == Status.CLOSED and record.outcome == Outcome.WRONG_INFO
    assert record.count_clear and not record.four_clear and record.note == "已更正后重新导入"
    assert selectors.batch_progress(actor=operator, batch=batch)["closed"] == 1
    entry = ChangeEntry.objects.get(action="screening.record.closed_invalid")
    assert entry.changes["status"] == [Status.PUSHED, Status.CLOSED]
    with pytest.raises(ValidationFailed):
        record_correct(actor=operator, pk=record.pk, correction=Correction(phone="13912345670"))


def test_only_those_who_manage_screening_correct_and_only_in_scope(batch, actor_of):
    pk = _row(batch, 3).pk
    with pytest.raises(PermissionDenied):
        record_correct(actor=actor_of("grid_worker"), pk=pk, correction=Correction(phone="1"))
    with pytest.raises(NotFound):
        record_correct(actor=actor_of("outsider"), pk=pk, correction=Correction(phone="1"))
    with pytest.raises(ValidationFailed):
        record_correct(
            actor=actor_of("county_operator"), pk=_row(batch, 2).pk,
            correction=Correction(document_number=ID_C),
        )  # fmt: skip


def test_the_record_page_corrects_and_shows_the_senders_values_when_revealed(client, world, batch):
    client.force_login(world.user("county_operator"))
    url = reverse("screening:record", args=[_row(batch, 3).pk])
    page = client.get(url).content.decode()
    assert 'value="correct"' in page and 'value="close_invalid"' in page

    revealed = client.post(url, {"action": "reveal", "purpose": "更正待更正行"})
    assert BAD_ID in revealed.content.decode() and AccessEntry.objects.count() == 1

    wrong = client.post(url, {"action": "correct", "document_number": "123"})
    assert wrong.status_code == 200 and "身份证" in wrong.content.decode()
    done = client.post(url, {"action": "correct", "document_number": ID_C})
    assert done.status_code == 302 and not _row(batch, 3).invalid
    assert 'value="correct"' not in client.get(url).content.decode()


def test_who_may_not_correct_sees_no_form(client, world, batch):
    client.force_login(world.user("grid_worker"))
    page = client.get(reverse("screening:record", args=[_row(batch, 3).pk])).content.decode()
    assert 'value="correct"' not in page
    response = client.post(
        reverse("screening:record", args=[_row(batch, 3).pk]),
        {"action": "correct", "document_number": ID_C},
    )
    assert response.status_code in (200, 403) and _row(batch, 3).invalid


def test_the_pages_show_the_number_a_row_error_quotes_masked(client, world, batch):
    client.force_login(world.user("county_operator"))
    record = _row(batch, 4)  # its message quotes the malformed phone "1391234"
    assert "1391234" in str(record.errors)
    for url in (
        reverse("screening:record", args=[record.pk]),
        reverse("screening:batch", args=[batch.pk]),
    ):
        html = client.get(url).content.decode()
        assert "1391234" not in html and "手机号" in html
