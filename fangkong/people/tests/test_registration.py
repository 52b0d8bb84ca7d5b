import datetime as dt
import json

import pytest
from django.db import connection

from fangkong.audit.models import ChangeEntry
from fangkong.core import crypto
from fangkong.core.errors import PermissionDenied, ValidationFailed
from fangkong.core.identity import DocumentType
from fangkong.people import services
from fangkong.people.models import Person
from fangkong.people.services import RegisteredElsewhere, person_register

from .factories import resident_id


def register(actor, **values):
    values.setdefault("name", "向明华")
    values.setdefault("document_type", DocumentType.RESIDENT_ID)
    return person_register(actor=actor, **values)


def test_resident_id_registration_defaults_sex_and_birth_date(actor_of, world):
    number = resident_id(born=dt.date(1990, 5, 17), male=False)

    registration = register(actor_of("grid_worker"), document_number=number, phone="139 0743 1234")

    person = Person.objects.get(pk=registration.person.pk)
    assert registration.created
    assert (person.sex, person.birth_date) == ("F", dt.date(1990, 5, 17))
    assert person.region_id == world.home_village.code
    assert person.document_number == number
    assert person.document_index == crypto.blind_index("resident_id", number)
    assert (person.phone, person.phone_index) == (
        "13907431234",
        crypto.blind_index("mobile", "13907431234"),
    )
    assert person.registered_by == world.user("grid_worker")


def test_identifiers_are_encrypted_at_rest(actor_of):
    number = resident_id()
    person = register(actor_of("grid_worker"), document_number=number, phone="13907431234").person

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document_number, phone FROM people_person WHERE id = %s", [person.pk]
        )
        stored = "".join(cursor.fetchone())

    assert stored.startswith("v1:")
    assert number not in stored and "13907431234" not in stored


def test_number_is_normalised_from_lower_x_full_width_and_spaces(actor_of):
    first17 = "43310119491231118"  # check character X
    written = "４３３１０１ 1949 1231 118x"

    person = register(actor_of("county_operator"), document_number=written).person

    assert person.document_number == first17 + "X"


def test_legacy_15_digit_number_is_upgraded(actor_of):
    person = register(actor_of("county_operator"), document_number="433101850307101").person

    assert person.document_number == "433101198503071013"
    assert person.sex == "M"


@pytest.mark.parametrize(
    ("document_type", "written", "stored"),
    [
        (DocumentType.PASSPORT, "e1234 5678", "E12345678"),
        (DocumentType.HK_MACAO_TAIWAN_PERMIT, "H12345678", "H12345678"),
        (DocumentType.FOREIGN_PERMANENT_RESIDENCE, "usa123456789012", "USA123456789012"),
    ],
)
def test_other_documents_are_checked_by_pattern(actor_of, document_type, written, stored):
    person = register(
        actor_of("county_operator"),
        document_type=document_type,
        document_number=written,
        sex="M",
        birth_date=dt.date(1980, 1, 1),
    ).person

    assert (person.document_type, person.document_number) == (document_type, stored)
    assert person.sex == "M"


def test_malformed_passport_is_refused_with_a_field_message(actor_of):
    with pytest.raises(ValidationFailed) as caught:
        register(
            actor_of("county_operator"),
            document_type=DocumentType.PASSPORT,
            document_number="护照123",
        )

    assert "护照号码格式不正确" in caught.value.errors["document_number"][0]


def test_wrong_check_digit_says_what_it_should_be(actor_of):
    number = resident_id()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")

    with pytest.raises(ValidationFailed) as caught:
        register(actor_of("county_operator"), document_number=wrong)

    assert "校验位错误" in caught.value.errors["document_number"][0]


def test_sex_that_disagrees_with_the_id_is_named(actor_of):
    number = resident_id(male=True)

    with pytest.raises(ValidationFailed) as caught:
        register(actor_of("county_operator"), document_number=number, sex="F")

    assert list(caught.value.errors) == ["sex"]
    assert "性别与身份证号不符" in caught.value.errors["sex"][0]


def test_birth_date_that_disagrees_with_the_id_is_named(actor_of):
    number = resident_id(born=dt.date(1985, 3, 7))

    with pytest.raises(ValidationFailed) as caught:
        register(
            actor_of("county_operator"), document_number=number, birth_date=dt.date(1985, 7, 3)
        )

    assert list(caught.value.errors) == ["birth_date"]
    assert "1985-03-07" in caught.value.errors["birth_date"][0]


def test_all_problems_are_reported_together(actor_of):
    with pytest.raises(ValidationFailed) as caught:
        register(actor_of("county_operator"), name=" ", document_number="123", phone="12345")

    assert {"name", "document_number", "phone"} <= set(caught.value.errors)


def test_registration_is_audited_without_identifiers(actor_of):
    number = resident_id()

    person = register(actor_of("grid_worker"), document_number=number, phone="13907431234").person

    entry = ChangeEntry.objects.get(action="people.person.registered", object_id=str(person.pk))
    assert entry.region_id == person.region_id
    assert entry.changes["document_number"] == ["***", "***"]
    assert entry.changes["sex"] == [None, "M"]
    logged = json.dumps(entry.changes, ensure_ascii=False) + entry.object_repr
    assert number not in logged and "13907431234" not in logged and "向明华" not in logged


def test_same_document_in_scope_finds_the_existing_person(actor_of, make_person):
    existing = make_person()
    before = Person.objects.count(), ChangeEntry.objects.count()

    registration = register(
        actor_of("grid_worker"), name="另一个名字", document_number=existing.document_number.lower()
    )

    assert (registration.person.pk, registration.created) == (existing.pk, False)
    assert (Person.objects.count(), ChangeEntry.objects.count()) == before


def test_same_document_out_of_scope_registers_nothing_and_discloses_nothing(
    actor_of, make_person, outsider_village
):
    existing = make_person(region=outsider_village, name="彭秀英")
    count = Person.objects.count()

    with pytest.raises(RegisteredElsewhere) as caught:
        register(actor_of("grid_worker"), document_number=existing.document_number)

    message = caught.value.errors["document_number"][0]
    assert "其他地区登记" in message and "指挥部" in message
    assert "彭秀英" not in message and outsider_village.name not in message
    assert Person.objects.count() == count


def test_a_concurrent_registration_is_treated_as_found(actor_of, make_person, monkeypatch):
    existing = make_person()
    real_lookup = services.person_with_document
    calls = []

    def lookup_missing_the_first_time(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_lookup(*args)

    monkeypatch.setattr(services, "person_with_document", lookup_missing_the_first_time)

    registration = register(actor_of("grid_worker"), document_number=existing.document_number)

    assert (registration.person.pk, registration.created) == (existing.pk, False)
    assert len(calls) == 2


def test_village_worker_cannot_register_into_another_village(actor_of, other_village):
    with pytest.raises(ValidationFailed) as caught:
        register(
            actor_of("grid_worker"), document_number=resident_id(), region_code=other_village.code
        )

    assert "本辖区" in caught.value.errors["region"][0]


def test_county_operator_registers_into_a_village_of_the_county(actor_of, other_village):
    person = register(
        actor_of("county_operator"), document_number=resident_id(), region_code=other_village.code
    ).person

    assert person.region_id == other_village.code


@pytest.mark.parametrize("key", ["inspector", "auditor", "sysadmin"])
def test_roles_without_the_permission_cannot_register(actor_of, key):
    with pytest.raises(PermissionDenied):
        register(actor_of(key), document_number=resident_id())
