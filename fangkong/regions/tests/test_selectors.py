import pytest

from fangkong.core.errors import NotFound
from fangkong.core.roles import Role
from fangkong.people.models import Person
from fangkong.regions.models import Region
from fangkong.regions.selectors import (
    region_breadcrumb,
    region_children,
    region_get,
    region_people_count,
    region_resolve_division_code,
)

from .conftest import township_with_villages


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("430000", "43"),
        ("433100", "4331"),
        ("433101", "433101"),
        ("43", "43"),
        ("4331", "4331"),
        ("433101100", "433101100"),
        ("433101100200", "433101100200"),
        ("433101000000", "433101"),
        ("433101100000", "433101100"),
        ("433100000000", "4331"),
        (" 433100 ", "4331"),
    ],
)
def test_resolve_accepts_compact_and_padded_codes(world, code, expected):
    assert region_resolve_division_code(code).code == expected


@pytest.mark.parametrize("code", ["", "abc", "43310", "990000", "433199", "4331011002001"])
def test_resolve_answers_none_for_what_is_not_a_known_code(world, code):
    assert region_resolve_division_code(code) is None


def test_county_actor_opens_its_own_subtree(world, actor_at):
    actor = actor_at(world.home_county)

    assert region_get(actor=actor, code=world.home_county.code) == world.home_county
    assert region_get(actor=actor, code=world.home_village.code) == world.home_village


@pytest.mark.parametrize("code", ["433130", "433130200201", "4331", "43", "420106", "nonsense"])
def test_outsider_and_ancestor_regions_are_not_found(world, actor_at, code):
    with pytest.raises(NotFound):
        region_get(actor=actor_at(world.home_county), code=code)


def test_breadcrumb_runs_from_the_actor_region_down(world, actor_at):
    actor = actor_at(world.home_county)

    crumbs = region_breadcrumb(actor=actor, region=world.home_village)

    assert [r.code for r in crumbs] == [
        world.home_county.code,
        world.home_township.code,
        world.home_village.code,
    ]


def test_children_carry_the_people_in_their_subtree(world, actor_at):
    actor = actor_at(world.city, Role.HQ_COMMANDER)
    expected = {
        county.code: Person.objects.filter(region__code__startswith=county.code).count()
        for county in world.counties
    }

    children = region_children(actor=actor, region=world.city)

    assert {c.code: c.people_count for c in children} == expected
    assert all(count > 0 for count in expected.values())
    assert region_people_count(actor=actor, region=world.city) == sum(expected.values())


def test_children_of_another_region_are_not_found(world, actor_at):
    with pytest.raises(NotFound):
        region_children(actor=actor_at(world.home_county), region=world.other_county)


def test_people_counts_need_the_people_permission(world, actor_at, django_assert_num_queries):
    auditor = actor_at(world.city, Role.AUDITOR)

    with django_assert_num_queries(1):
        children = region_children(actor=auditor, region=world.city)
    assert [c.people_count for c in children] == [None] * len(children)
    assert region_people_count(actor=auditor, region=world.city) is None


@pytest.mark.parametrize("count", [2, 20])
def test_children_counts_take_two_queries_however_many_children(
    world, actor_at, django_assert_num_queries, count
):
    township = township_with_villages(world.home_county, f"43310199{count % 10}", count)
    actor = actor_at(world.city, Role.HQ_COMMANDER)

    with django_assert_num_queries(2):
        children = region_children(actor=actor, region=township)

    assert len(children) == count
    assert [c.people_count for c in children] == [1] * count


def test_counts_only_include_people_the_actor_sees(world, actor_at):
    township = township_with_villages(world.home_county, "433101990", 2)
    village_actor = actor_at(Region.objects.get(code="433101990001"), Role.GRID_WORKER)

    assert region_people_count(actor=village_actor, region=village_actor.region) == 1
    with pytest.raises(NotFound):
        region_people_count(actor=village_actor, region=township)
