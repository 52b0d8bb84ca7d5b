"""The shared test world: small, complete, and made of valid data."""

import pytest

from fangkong.accounts.models import RoleAssignment
from fangkong.core import crypto
from fangkong.core.identity import DocumentType, normalize_mobile, parse_resident_id
from fangkong.core.roles import Role
from fangkong.demo.people import ETHNIC_GROUPS
from fangkong.demo.users import named_usernames
from fangkong.demo.world import TEST_SPEC, world_exists
from fangkong.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_test_world_has_a_user_for_every_role(world):
    roles = set(
        RoleAssignment.objects.filter(user__in=world.users.values()).values_list("role", flat=True)
    )
    assert roles == set(Role.values)


def test_the_named_accounts_are_where_the_tests_expect_them(world):
    assert sorted(world.users) == sorted(named_usernames())
    regions = {
        a.user.username: a.region_id
        for a in RoleAssignment.objects.select_related("user").filter(user__in=world.users.values())
    }
    assert regions["hq"] == "4331"
    assert regions["county_operator"] == world.home_county.code == "433101"
    assert regions["outsider"] == world.other_county.code == "433130"
    assert regions["township_operator"] == world.home_township.code
    assert regions["grid_worker"] == world.home_village.code
    assert regions["outsider_grid_worker"].startswith("433130")
    assert world_exists()


def test_every_village_has_its_residents(world):
    people = Person.objects.all()
    assert people.count() == TEST_SPEC.people_per_village * len(world.villages)
    assert {p.region_id for p in people} == {v.code for v in world.villages}


def test_residents_have_valid_ids_phones_and_blind_indexes(world):
    for person in Person.objects.all():
        resident = parse_resident_id(person.document_number)
        assert resident.number == person.document_number
        assert resident.region_code == person.region_id[:6]
        assert (resident.sex, resident.birth_date) == (person.sex, person.birth_date)
        assert person.document_type == DocumentType.RESIDENT_ID
        assert person.document_index == crypto.blind_index(
            DocumentType.RESIDENT_ID, person.document_number
        )
        if person.phone:
            assert normalize_mobile(person.phone) == person.phone
        assert person.phone_index == crypto.blind_index("mobile", person.phone)
        assert person.ethnic_group in ETHNIC_GROUPS


def test_addresses_name_the_real_village(world):
    villages = {v.code: v for v in world.villages}
    for person in Person.objects.all():
        village = villages[person.region_id]
        assert person.household_address.startswith("湖南省湘西土家族苗族自治州")
        assert (village.short_name or village.name) in person.household_address


def test_numbers_are_stored_encrypted(world):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT document_number, phone FROM people_person")
        rows = cursor.fetchall()
    assert rows and all(number.startswith("v1:") for number, _ in rows)
