import itertools
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fangkong.arrivals.models import Arrival, ArrivalObligation
from fangkong.checkpoints import fastpath
from fangkong.checkpoints.models import CheckRecord
from fangkong.people.models import Person
from fangkong.riskareas.models import RiskArea

from .conftest import TODAY, check_payload

pytestmark = pytest.mark.django_db


def post(client, token, code, payload):
    return client.post(
        f"/api/v1/checkpoints/{code}/screenings", data=json.dumps(payload),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip


@time_machine.travel(TODAY, tick=False)
def test_out_of_province_with_certificate_passes_with_arrival_test(
    client, world, checkpoint, token_for
):
    response = post(client, token_for(), checkpoint.code, check_payload(world))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verdict"] == "pass_with_arrival_test"
    assert [o["kind"] for o in body["obligations"]] == ["arrival_test", "health_monitoring"]
    assert body["obligations"][0]["due_at"].startswith("2022-01-11T13:30")
    record = CheckRecord.objects.get(pk=body["record_id"])
    assert record.checkpoint == checkpoint and record.region_id == world.home_county.code
    arrival = Arrival.objects.get(source_ref=f"check:{record.pk}")
    assert arrival.region_id == world.home_village.code
    assert set(
        ArrivalObligation.objects.filter(arrival=arrival).values_list("kind", flat=True)
    ) == {"arrival_test", "health_monitoring"}


@time_machine.travel(TODAY, tick=False)
def test_a_new_person_is_registered_once(client, world, checkpoint, token_for):
    token = token_for()
    payload = check_payload(world)
    post(client, token, checkpoint.code, payload)
    post(client, token, checkpoint.code, payload)

    assert Person.objects.filter(name="张晓明").count() == 1
    assert CheckRecord.objects.filter(checkpoint=checkpoint).count() == 2


@time_machine.travel(TODAY, tick=False)
def test_high_risk_origin_transfers(client, world, checkpoint, token_for, more_regions):
    RiskArea.objects.create(
        code="440305001",
        county_code="440305",
        name="南山区某街道",
        level="high",
        effective_from=TODAY.replace(day=1),
    )
    response = post(
        client,
        token_for(),
        checkpoint.code,
        check_payload(world, origin="440305", itinerary=["440305"]),
    )

    assert response.json()["verdict"] == "transfer"
    assert response.json()["reasons"][0]["code"] == "high_risk_area"


@time_machine.travel(TODAY, tick=False)
def test_in_province_green_passes_with_one_record_and_nothing_owed(
    client, world, checkpoint, token_for
):
    payload = check_payload(
        world, origin="433130", itinerary=[], nat_sampled_at=None, nat_result=None
    )
    response = post(client, token_for(), checkpoint.code, payload)

    assert response.json()["verdict"] == "pass"
    assert response.json()["obligations"] == []
    assert not Arrival.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_invalid_input_names_every_bad_field(client, world, checkpoint, token_for):
    payload = check_payload(
        world,
        document_number="433101198503070000",
        health_code="blue",
        arrival_at="2022-01-11T09:00:00+08:00",
        origin="999999",
        destination="420106",
        temperature="hot",
        nat_result="maybe",
    )
    response = post(client, token_for(), checkpoint.code, payload)

    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["detail"]}
    assert fields == {
        "document_number",
        "health_code",
        "arrival_at",
        "origin",
        "destination",
        "temperature",
        "nat_result",
    }
    assert not CheckRecord.objects.exists()


def test_wrong_types_answer_422_with_the_field(client, world, checkpoint, token_for):
    response = post(client, token_for(), checkpoint.code, check_payload(world, itinerary_star="x"))

    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "itinerary_star"


@time_machine.travel(TODAY, tick=False)
def test_other_countys_checkpoint_is_404(client, world, outsider_checkpoint, token_for):
    response = post(client, token_for(), outsider_checkpoint.code, check_payload(world))

    assert response.status_code == 404
    assert not CheckRecord.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_unknown_checkpoint_is_404(client, world, token_for):
    assert post(client, token_for(), "nowhere", check_payload(world)).status_code == 404


@time_machine.travel(TODAY, tick=False)
def test_a_role_without_checking_gets_404(client, world, checkpoint, token_for):
    assert (
        post(client, token_for("county_site"), checkpoint.code, check_payload(world)).status_code
        == 404
    )


def test_list_shows_only_the_callers_checkpoints(
    client, world, checkpoint, outsider_checkpoint, token_for
):
    response = client.get("/api/v1/checkpoints", HTTP_AUTHORIZATION=f"Bearer {token_for()}")

    assert response.json() == [
        {"code": "jishou-east", "name": "吉首东站", "type": "high_speed_rail", "region": "433101"}
    ]


def test_hq_lists_every_checkpoint(client, world, checkpoint, outsider_checkpoint, token_for):
    response = client.get("/api/v1/checkpoints", HTTP_AUTHORIZATION=f"Bearer {token_for('hq')}")

    assert {c["code"] for c in response.json()} == {"jishou-east", "longshan-crossing"}


@time_machine.travel(TODAY, tick=False)
def test_the_check_costs_a_fixed_number_of_queries(
    client, world, checkpoint, token_for, django_assert_max_num_queries
):
    token = token_for()
    payload = check_payload(
        world, origin="433130", itinerary=[], nat_sampled_at=None, nat_result=None
    )
    post(client, token, checkpoint.code, payload)  # warms the caches, registers the person
    # Person lookup and one insert: the token, the checkpoint, the rules and the risk areas
    # come from the process's caches.
    with django_assert_max_num_queries(2):
        response = post(client, token, checkpoint.code, payload)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("changes", "verdict"),
    [
        ({"origin": "433130", "itinerary": [], "nat_sampled_at": None, "nat_result": None},
         "pass"),
        ({}, "pass_with_arrival_test"),
    ],
)  # fmt: skip
@time_machine.travel(TODAY, tick=False)
def test_a_registered_persons_check_is_one_statement_on_postgresql(
    client, world, checkpoint, token_for, monkeypatch, changes, verdict
):
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement path is PostgreSQL's")
    token = token_for()
    payload = check_payload(world, **changes)
    post(client, token, checkpoint.code, payload)  # warms the caches, registers the person
    statements = []
    original = fastpath._fetchone

    def counted(sql, params):
        statements.append(sql)
        return original(sql, params)

    monkeypatch.setattr(fastpath, "_fetchone", counted)

    with CaptureQueriesContext(connection) as through_django:
        response = post(client, token, checkpoint.code, payload)

    assert response.json()["verdict"] == verdict
    assert len(statements) == 1 and not through_django.captured_queries
    assert CheckRecord.objects.get(pk=response.json()["record_id"]).person.name == "张晓明"
    assert Person.objects.filter(name="张晓明").count() == 1
    arrivals = Arrival.objects.filter(source_ref=f"check:{response.json()['record_id']}")
    assert arrivals.count() == (1 if verdict != "pass" else 0)
    for arrival in arrivals:
        assert {o.person_id for o in arrival.obligations.all()} == {arrival.person_id}
    # Parsed and planned once per connection: the statement is prepared on the server (Django
    # turns psycopg's preparing off unless the settings ask for it).
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = {row[0] for row in cursor.fetchall()}
    numbered = itertools.count(1)
    assert re.sub("%s", lambda _m: f"${next(numbered)}", statements[0]) in prepared


@time_machine.travel(TODAY, tick=False)
def test_a_body_that_is_not_a_json_object_is_422(client, world, checkpoint, token_for):
    token = token_for()
    for body in ("not json", "[1, 2]", ""):
        response = client.post(
            f"/api/v1/checkpoints/{checkpoint.code}/screenings", data=body,
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        )  # fmt: skip

        assert response.status_code == 422, body
        assert response.json()["detail"][0]["field"] == "body"
    assert not CheckRecord.objects.exists()


def test_the_check_served_ahead_of_the_api_framework_answers_like_it(
    client, world, checkpoint, token_for
):
    url = f"/api/v1/checkpoints/{checkpoint.code}/screenings"
    token, outsider = token_for(), token_for("outsider")

    def send(path=url, bearer=None, method="POST"):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
        return client.generic(method, path, data="{}", content_type="application/json",
                              **headers)  # fmt: skip

    assert send().status_code == 401 and send().json()["detail"]
    assert send(bearer="not-a-token").status_code == 401
    assert send(bearer=token, method="GET").status_code == 405
    assert send(bearer=token).status_code == 422
    assert send("/api/v1/checkpoints/nope/screenings", bearer=token).status_code == 404
    assert send(bearer=outsider).status_code == 404
    client.force_login(world.user("county_checkpoint"))
    assert send().status_code == 422  # a signed-in session (the test client skips CSRF)
    assert not CheckRecord.objects.exists()
