import pytest

from fangkong.core.errors import PermissionDenied, ValidationFailed
from fangkong.core.identity import DocumentType
from fangkong.people.identity import read_query
from fangkong.people.models import Person
from fangkong.people.selectors import person_find_by_document, person_get, person_search


def test_document_query_in_any_writing_finds_the_person(actor_of, make_person):
    person = make_person()
    written = " ".join([person.document_number[:6], person.document_number[6:]]).lower()

    found = list(person_search(actor=actor_of("county_operator"), query=written))

    assert found == [person]


def test_legacy_15_digit_query_finds_the_upgraded_number(actor_of, make_person):
    person = make_person(number="433101198503071013")

    found = list(person_search(actor=actor_of("county_operator"), query="433101850307101"))

    assert found == [person]


def test_mobile_query_finds_everyone_with_that_phone(actor_of, make_person):
    people = {make_person(phone="13907438888"), make_person(phone="13907438888")}
    make_person(phone="13907437777")

    found = set(person_search(actor=actor_of("county_operator"), query="+86 139-0743-8888"))

    assert found == people


def test_name_query_matches_part_of_the_name(actor_of, make_person):
    wanted = make_person(name="田秋菊")
    make_person(name="龙建国")

    found = list(person_search(actor=actor_of("county_operator"), query="秋菊"))

    assert found == [wanted]


def test_passport_query_is_exact(actor_of, make_person, world):
    person = make_person()
    Person.objects.filter(pk=person.pk).update(document_type=DocumentType.PASSPORT)
    from fangkong.people.identity import document_index

    Person.objects.filter(pk=person.pk).update(
        document_index=document_index(DocumentType.PASSPORT, "E12345678")
    )

    found = list(person_search(actor=actor_of("county_operator"), query="e12345678"))

    assert [p.pk for p in found] == [person.pk]


def test_id_shaped_query_with_a_bad_check_digit_says_why(actor_of, make_person):
    number = make_person().document_number
    wrong = number[:17] + ("0" if number[17] != "0" else "1")

    with pytest.raises(ValidationFailed) as caught:
        person_search(actor=actor_of("county_operator"), query=wrong)

    assert "校验位" in caught.value.errors["q"][0]


def test_grid_worker_sees_only_his_village(actor_of, world):
    found = person_search(actor=actor_of("grid_worker"), query="")

    assert found.count() == 3
    assert {p.region_id for p in found} == {world.home_village.code}


def test_document_of_a_person_out_of_scope_finds_nothing(actor_of, make_person, other_village):
    person = make_person(region=other_village)
    grid_worker = actor_of("grid_worker")

    assert list(person_search(actor=grid_worker, query=person.document_number)) == []
    assert (
        person_find_by_document(
            actor=grid_worker, document_type=DocumentType.RESIDENT_ID, number=person.document_number
        )
        is None
    )


def test_find_by_document_in_scope(actor_of, make_person):
    person = make_person()

    found = person_find_by_document(
        actor=actor_of("grid_worker"),
        document_type=DocumentType.RESIDENT_ID,
        number=person.document_number.lower(),
    )

    assert found == person


def test_region_filter_narrows_to_a_subtree(actor_of, world, other_village):
    found = person_search(actor=actor_of("hq"), query="", region_code=other_village.code)

    assert {p.region_id for p in found} == {other_village.code}


def test_region_filter_cannot_widen_the_scope(actor_of, world):
    found = person_search(actor=actor_of("grid_worker"), query="", region_code=world.city.code)

    assert {p.region_id for p in found} == {world.home_village.code}


def test_person_get_outside_scope_is_not_found(actor_of, make_person, outsider_village):
    from fangkong.core.errors import NotFound

    person = make_person(region=outsider_village)

    with pytest.raises(NotFound):
        person_get(actor=actor_of("county_operator"), pk=person.pk)


@pytest.mark.parametrize("key", ["auditor", "sysadmin"])
def test_roles_without_people_view_cannot_search(actor_of, key):
    with pytest.raises(PermissionDenied):
        person_search(actor=actor_of(key), query="")


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("", "empty"),
        ("张", "name"),
        ("John Smith", "name"),
        ("433101198503071013", "identifier"),
        ("13907431234", "identifier"),
        ("E12345678", "identifier"),
    ],
)
def test_queries_are_read_as_identifiers_or_names(query, kind):
    assert read_query(query).kind == kind


def test_mobile_query_carries_a_phone_index():
    assert read_query("139 0743 1234").phone_index
    assert not read_query("E12345678").phone_index
