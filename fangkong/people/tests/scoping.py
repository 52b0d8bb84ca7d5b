"""How the scoping matrix (core/tests/test_scoping_matrix.py) reaches people's objects."""

from fangkong.people.models import Person

from .factories import person_in


def _person(world, region) -> Person:
    return person_in(region, name="矩阵测试", ethnic_group=_marker(region))


def _person_kwargs(world, region) -> dict:
    return {"pk": _person(world, region).pk}


def _person_params(world, region) -> dict:
    return {"person_id": _person(world, region).pk}


def _marker(region) -> str:
    # Unique per village and shown in person lists, so a leak is easy to spot.
    return f"矩阵-{region.code}"


def _hidden_marker(world, region) -> str:
    return _marker(region)


URL_CASES = {
    "people:detail": _person_kwargs,
    "people:edit": _person_kwargs,
}

API_CASES = {
    "/people/{person_id}": _person_params,
    "/people/{person_id}/reveal": _person_params,
}

API_HIDDEN_MARKERS = {"people.person": _hidden_marker}
