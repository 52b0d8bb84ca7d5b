import datetime as dt

import pytest

from fangkong.audit.models import AccessEntry, ChangeEntry
from fangkong.core.errors import NotFound, PermissionDenied, ValidationFailed
from fangkong.people.models import Person
from fangkong.people.services import RegisteredElsewhere, person_reveal, person_update

from .factories import resident_id


def test_update_changes_only_what_is_given_and_audits_redacted(actor_of, make_person):
    person = make_person(phone="13907430000", ethnic_group="苗族")

    person_update(
        actor=actor_of("grid_worker"), person_id=person.pk, phone="13907439999", ethnic_group="土家"
    )

    person.refresh_from_db()
    assert (person.phone, person.ethnic_group) == ("13907439999", "土家族")
    entry = ChangeEntry.objects.get(action="people.person.updated", object_id=str(person.pk))
    assert entry.changes == {"ethnic_group": ["苗族", "土家族"], "phone": ["***", "***"]}


def test_update_without_changes_writes_no_entry(actor_of, make_person):
    person = make_person()

    person_update(actor=actor_of("grid_worker"), person_id=person.pk, name=person.name)

    assert not ChangeEntry.objects.filter(object_id=str(person.pk)).exists()


def test_new_resident_id_rederives_sex_and_birth_date(actor_of, make_person):
    person = make_person(sex="M", birth_date=dt.date(1985, 3, 7))
    number = resident_id(born=dt.date(2001, 2, 3), male=False)

    person_update(actor=actor_of("grid_worker"), person_id=person.pk, document_number=number)

    person.refresh_from_db()
    assert (person.sex, person.birth_date) == ("F", dt.date(2001, 2, 3))


def test_update_to_a_document_held_by_another_person_is_refused(actor_of, make_person):
    person, other = make_person(), make_person()

    with pytest.raises(ValidationFailed) as caught:
        person_update(
            actor=actor_of("grid_worker"),
            person_id=person.pk,
            document_number=other.document_number,
        )

    assert str(other.pk) in caught.value.errors["document_number"][0]


def test_update_to_a_document_held_outside_scope_discloses_nothing(
    actor_of, make_person, outsider_village
):
    person, other = make_person(), make_person(region=outsider_village)

    with pytest.raises(RegisteredElsewhere):
        person_update(
            actor=actor_of("grid_worker"),
            person_id=person.pk,
            document_number=other.document_number,
        )


def test_update_outside_scope_is_not_found(actor_of, make_person, other_village):
    person = make_person(region=other_village)

    with pytest.raises(NotFound):
        person_update(actor=actor_of("grid_worker"), person_id=person.pk, name="改名")


def test_reveal_returns_plain_values_and_logs_one_access(actor_of, make_person, world):
    person = make_person(phone="13907431111")

    values = person_reveal(
        actor=actor_of("grid_worker"),
        person_id=person.pk,
        purpose=" 电话核实行程 ",
        fields=["phone", "document_number"],
    )

    assert values == {"phone": "13907431111", "document_number": person.document_number}
    entry = AccessEntry.objects.get()
    assert (entry.kind, entry.purpose, entry.person_id) == ("reveal", "电话核实行程", person.pk)
    assert entry.fields == ["phone", "document_number"]
    assert (entry.user, entry.region_id) == (world.user("grid_worker"), person.region_id)
    assert person.name not in entry.subject


def test_reveal_defaults_to_document_and_phone(actor_of, make_person):
    person = make_person()

    values = person_reveal(actor=actor_of("grid_worker"), person_id=person.pk, purpose="核实身份")

    assert set(values) == {"document_number", "phone"}


@pytest.mark.parametrize("purpose", ["", "  ", "查"])
def test_reveal_without_a_purpose_is_refused_and_not_logged(actor_of, make_person, purpose):
    person = make_person()

    with pytest.raises(ValidationFailed) as caught:
        person_reveal(actor=actor_of("grid_worker"), person_id=person.pk, purpose=purpose)

    assert "用途" in caught.value.errors["purpose"][0]
    assert not AccessEntry.objects.exists()


def test_reveal_of_an_unknown_field_is_refused(actor_of, make_person):
    person = make_person()

    with pytest.raises(ValidationFailed) as caught:
        person_reveal(
            actor=actor_of("grid_worker"),
            person_id=person.pk,
            purpose="核实身份",
            fields=["document_index"],
        )

    assert "fields" in caught.value.errors


def test_reveal_outside_scope_is_not_found_and_not_logged(actor_of, make_person, other_village):
    person = make_person(region=other_village)

    with pytest.raises(NotFound):
        person_reveal(actor=actor_of("grid_worker"), person_id=person.pk, purpose="核实身份")
    assert not AccessEntry.objects.exists()


def test_inspector_may_view_but_not_reveal(actor_of, make_person):
    person = make_person()

    with pytest.raises(PermissionDenied):
        person_reveal(actor=actor_of("inspector"), person_id=person.pk, purpose="核实身份")


def test_person_count_is_unchanged_by_reveal(actor_of, make_person):
    person = make_person()
    count = Person.objects.count()

    person_reveal(actor=actor_of("county_operator"), person_id=person.pk, purpose="核实身份")

    assert Person.objects.count() == count
