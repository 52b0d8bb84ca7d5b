import pytest


@pytest.fixture
def county_client(client, world):
    client.force_login(world.user("county_operator"))
    return client


def test_region_with_children_and_counts(county_client, world):
    response = county_client.get(f"/api/v1/regions/{world.home_county.code}")

    assert response.status_code == 200
    body = response.json()
    assert body["region"]["code"] == world.home_county.code
    assert body["region"]["path"] == world.home_county.path
    assert body["parent_code"] is None
    children = {c["code"]: c for c in body["children"]}
    assert world.home_township.code in children
    assert children[world.home_township.code]["people_count"] > 0


def test_outsider_region_is_404(county_client, world):
    assert county_client.get(f"/api/v1/regions/{world.other_county.code}").status_code == 404
    assert county_client.get(f"/api/v1/regions/{world.city.code}").status_code == 404


def test_resolve_any_division_code(county_client, world):
    response = county_client.get("/api/v1/regions/resolve", {"code": "433100"})

    assert response.status_code == 200
    assert response.json() == {
        "code": "4331",
        "name": world.city.name,
        "short_name": world.city.short_name,
        "level": 2,
        "level_label": str(world.city.get_level_display()),
        "path": "43/4331",
    }


def test_resolve_answers_outside_the_actor_region_too(county_client, world):
    response = county_client.get("/api/v1/regions/resolve", {"code": "420106"})

    assert response.status_code == 200
    assert response.json()["path"] == "42/4201/420106"


def test_resolve_unknown_code_is_404(county_client, world):
    assert county_client.get("/api/v1/regions/resolve", {"code": "999999"}).status_code == 404


def test_anonymous_caller_is_401(client, world):
    assert client.get("/api/v1/regions/resolve", {"code": "433100"}).status_code == 401
