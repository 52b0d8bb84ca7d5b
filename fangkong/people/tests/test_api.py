import pytest

from fangkong.accounts.tokens import api_token_create
from fangkong.audit.models import AccessEntry
from fangkong.core.roles import Role
from fangkong.people.models import Person

from .factories import resident_id

PEOPLE = "/api/v1/people"


@pytest.fixture
def api(client, world):
    def as_user(key: str):
        client.force_login(world.user(key))
        return client

    return as_user


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_list_is_masked_and_paginated(api, make_person):
    person = make_person(phone="13907437777")

    body = api("grid_worker").get(PEOPLE).json()

    assert body["count"] == 4 and body["page"] == 1 and body["pages"] == 1
    listed = next(p for p in body["results"] if p["id"] == person.pk)
    assert listed["masked_document"] == person.masked_document
    assert listed["masked_phone"] == "139****7777"
    text = str(body)
    assert person.document_number not in text and person.name not in text


def test_list_searches_by_document(api, make_person):
    person = make_person()

    body = api("county_operator").get(PEOPLE, {"q": person.document_number}).json()

    assert [p["id"] for p in body["results"]] == [person.pk]


def test_bad_id_query_is_422_with_the_reason(api, make_person):
    number = make_person().document_number
    wrong = number[:17] + ("0" if number[17] != "0" else "1")

    response = api("county_operator").get(PEOPLE, {"q": wrong})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "q"


def test_detail_is_masked_with_region_path(api, world, make_person):
    person = make_person()

    body = api("grid_worker").get(f"{PEOPLE}/{person.pk}").json()

    assert body["masked_name"] == person.masked_name
    assert [r["code"] for r in body["region_path"]][-1] == world.home_village.code
    assert person.document_number not in str(body)


def test_another_villages_person_is_404(api, make_person, other_village):
    person = make_person(region=other_village)
    client = api("grid_worker")

    assert client.get(f"{PEOPLE}/{person.pk}").status_code == 404
    assert post(client, f"{PEOPLE}/{person.pk}/reveal", {"purpose": "核实身份"}).status_code == 404
    assert not AccessEntry.objects.exists()


def test_register_new_is_201_then_200_for_the_same_document(api, world):
    client = api("grid_worker")
    body = {"name": "石慧敏", "document_type": "resident_id", "document_number": resident_id()}

    first = post(client, PEOPLE, body)
    second = post(client, PEOPLE, {**body, "name": "别名"})

    assert first.status_code == 201 and first.json()["created"] is True
    assert second.status_code == 200 and second.json()["created"] is False
    assert first.json()["person"]["id"] == second.json()["person"]["id"]
    assert first.json()["person"]["region"]["code"] == world.home_village.code


def test_register_invalid_is_422_with_field_errors(api):
    response = post(
        api("grid_worker"),
        PEOPLE,
        {
            "name": "张三",
            "document_type": "resident_id",
            "document_number": resident_id(male=True),
            "sex": "F",
        },
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "sex"


def test_register_of_a_document_known_elsewhere_is_409_without_data(
    api, make_person, outsider_village
):
    existing = make_person(region=outsider_village, name="彭金莲")

    response = post(
        api("grid_worker"),
        PEOPLE,
        {
            "name": "彭金莲",
            "document_type": "resident_id",
            "document_number": existing.document_number,
        },
    )

    assert response.status_code == 409
    [error] = response.json()["detail"]
    assert error["field"] == "document_number" and "指挥部" in error["message"]
    assert outsider_village.name not in error["message"]


def test_reveal_returns_plain_values_and_is_logged(api, make_person):
    person = make_person(phone="13907438888")

    response = post(
        api("grid_worker"),
        f"{PEOPLE}/{person.pk}/reveal",
        {"purpose": "电话核实行程", "fields": ["phone"]},
    )

    assert response.status_code == 200
    assert response.json() == {"id": person.pk, "values": {"phone": "13907438888"}}
    assert AccessEntry.objects.get().purpose == "电话核实行程"


def test_reveal_without_purpose_is_422_and_not_logged(api, make_person):
    person = make_person()

    response = post(api("grid_worker"), f"{PEOPLE}/{person.pk}/reveal", {})

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "purpose"
    assert not AccessEntry.objects.exists()


def test_patch_updates_within_scope(api, make_person):
    person = make_person()

    response = api("grid_worker").patch(
        f"{PEOPLE}/{person.pk}", {"ethnic_group": "苗族"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).ethnic_group == "苗族"


def test_auditor_gets_403(api):
    assert api("auditor").get(PEOPLE).status_code == 403


def test_bearer_token_of_a_village_sees_only_that_village(
    client, world, make_person, other_village
):
    hidden = make_person(region=other_village)
    _, raw = api_token_create(
        actor=None, name="村级对接", region=world.home_village, role=Role.GRID_WORKER
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    listed = client.get(PEOPLE, **auth).json()["results"]

    assert {p["region"]["code"] for p in listed} == {world.home_village.code}
    assert client.get(f"{PEOPLE}/{hidden.pk}", **auth).status_code == 404


def test_without_credentials_is_401(client):
    assert client.get(PEOPLE).status_code == 401
