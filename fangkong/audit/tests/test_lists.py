import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fangkong.audit.selectors import AccessFilters, ChangeFilters, access_list, change_list
from fangkong.core.errors import PermissionDenied

CHANGES, ACCESS = reverse("audit:changes"), reverse("audit:access")


def test_auditor_sees_the_city_newest_first(actor_of, change, world):
    older = change("county_operator")
    newer = change("outsider", action="people.person.registered")

    entries = list(change_list(actor=actor_of("auditor")))

    assert entries.index(newer) < entries.index(older)


def test_entries_are_scoped_to_the_actors_region(actor_of, change, world):
    home = change("county_operator")
    other = change("outsider")
    county_auditor = _actor_in(actor_of("auditor"), world.home_county)

    entries = list(change_list(actor=county_auditor))

    assert home in entries and other not in entries


def _actor_in(actor, region):
    from fangkong.core.actor import Actor

    return Actor.build(user=actor.user, region=region, role=actor.role)


def test_change_filters(actor_of, change, world):
    target = change("county_operator", action="people.person.registered", region=world.home_village)
    change("county_operator", action="accounts.user.created")
    auditor = actor_of("auditor")

    def found(**filters):
        return list(change_list(actor=auditor, filters=ChangeFilters(**filters)))

    assert found(action="people.person") == [target]
    assert target in found(user="county_operator")
    assert target in found(user=world.user("county_operator").display_name[:3])
    assert found(region=world.home_village.code) == [target]
    assert found(user="hq") == []


def test_change_object_filter(actor_of, change, make_registered_person):
    person = make_registered_person()
    auditor = actor_of("auditor")

    entries = list(
        change_list(
            actor=auditor,
            filters=ChangeFilters(object_type="people.person", object_id=str(person.pk)),
        )
    )

    assert [e.action for e in entries] == ["people.person.registered"]


def test_date_range_uses_local_days(actor_of, change):
    with time_machine.travel(
        dt.datetime(2022, 1, 9, 23, 30, tzinfo=timezone.get_current_timezone())
    ):
        late_on_the_9th = change()
    with time_machine.travel(
        dt.datetime(2022, 1, 10, 8, 0, tzinfo=timezone.get_current_timezone())
    ):
        on_the_10th = change()
    auditor = actor_of("auditor")

    day = dt.date(2022, 1, 10)
    found = list(change_list(actor=auditor, filters=ChangeFilters(date_from=day, date_to=day)))

    assert found == [on_the_10th]
    assert late_on_the_9th not in found


def test_access_filters(actor_of, access, world):
    reveal = access("grid_worker", purpose="电话核实行程")
    access("outsider_grid_worker", purpose="核实身份")
    auditor = actor_of("auditor")

    assert list(access_list(actor=auditor, filters=AccessFilters(user="grid_worker"))) == [reveal]
    assert list(access_list(actor=auditor, filters=AccessFilters(kind="export"))) == []


def test_access_filter_by_person(actor_of, make_registered_person):
    from fangkong.people.services import person_reveal

    person = make_registered_person()
    person_reveal(actor=actor_of("grid_worker"), person_id=person.pk, purpose="核实身份")

    found = list(access_list(actor=actor_of("auditor"), filters=AccessFilters(person_id=person.pk)))

    assert [(e.person_id, e.purpose) for e in found] == [(person.pk, "核实身份")]


@pytest.mark.parametrize("key", ["hq", "county_operator", "grid_worker", "sysadmin"])
def test_only_auditors_read_the_logs(actor_of, key):
    with pytest.raises(PermissionDenied):
        change_list(actor=actor_of(key))
    with pytest.raises(PermissionDenied):
        access_list(actor=actor_of(key))


def test_change_page_lists_entries_with_labels(signed_in, change, make_registered_person):
    person = make_registered_person()
    change(obj=person, changes={"ethnic_group": ["苗族", "土家族"], "phone": ["***", "***"]})

    html = signed_in("auditor").get(CHANGES).content.decode()

    assert "people.person.updated" in html
    assert "民族：苗族 → 土家族" in html and "手机号：*** → ***" in html
    assert 'class="list cards"' in html


def test_change_counting_a_relation_reads_as_the_related_records(signed_in, change, world):
    from fangkong.screening.models import ScreeningBatch

    batch = ScreeningBatch.objects.create(
        region=world.city, category="risk_area", source="checkpoint",
        received_at=timezone.now(), deadline=timezone.now(),
    )  # fmt: skip
    change(obj=batch, changes={"records": 3, "rows": 0}, action="screening.batch.checks_taken_in")

    response = signed_in("auditor").get(CHANGES)

    assert response.status_code == 200
    assert "排查记录：3" in response.content.decode()


def test_access_page_lists_purposes(signed_in, access):
    access(purpose="电话核实行程", fields=["phone"])

    html = signed_in("auditor").get(ACCESS).content.decode()

    assert "电话核实行程" in html and "手机号" in html


def test_pages_are_read_only(signed_in, change, access):
    change(), access()
    client = signed_in("auditor")

    for url in (CHANGES, ACCESS):
        assert client.post(url).status_code == 405
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("key", ["hq", "grid_worker", "county_operator"])
def test_log_pages_are_403_without_the_permission(signed_in, key):
    client = signed_in(key)

    assert client.get(CHANGES).status_code == 403
    assert client.get(ACCESS).status_code == 403


@pytest.mark.parametrize("rows", [3, 30])
def test_change_page_query_count_does_not_grow(signed_in, change, django_assert_num_queries, rows):
    for _ in range(rows):
        change(changes={"name": ["***", "***"]})
    client = signed_in("auditor")
    client.get(CHANGES)

    with django_assert_num_queries(7):
        response = client.get(CHANGES)

    assert response.context["page"].paginator.count >= rows


@pytest.mark.parametrize("rows", [3, 30])
def test_access_page_query_count_does_not_grow(signed_in, access, django_assert_num_queries, rows):
    for _ in range(rows):
        access()
    client = signed_in("auditor")
    client.get(ACCESS)

    with django_assert_num_queries(7):
        response = client.get(ACCESS)

    assert response.context["page"].paginator.count == rows


def test_api_lists_with_filters(signed_in, change, access, world):
    change(action="people.person.registered")
    change(action="accounts.user.created")
    access(purpose="电话核实行程")
    client = signed_in("auditor")

    changes = client.get("/api/v1/audit/changes", {"action": "people."}).json()
    accesses = client.get("/api/v1/audit/access", {"user": "grid_worker"}).json()

    assert [e["action"] for e in changes["results"]] == ["people.person.registered"]
    assert changes["results"][0]["by"]["username"] == "county_operator"
    assert [e["purpose"] for e in accesses["results"]] == ["电话核实行程"]


def test_api_is_403_without_the_permission(signed_in):
    client = signed_in("county_operator")

    assert client.get("/api/v1/audit/changes").status_code == 403
    assert client.get("/api/v1/audit/access").status_code == 403


def test_api_has_no_write_operations():
    from config.api import api

    paths = api.get_openapi_schema()["paths"]
    audit_methods = {m for p, ops in paths.items() if "/audit/" in p for m in ops}
    assert audit_methods == {"get"}


@pytest.fixture
def county_auditor(world):
    from fangkong.accounts.models import RoleAssignment, User
    from fangkong.core.roles import Role

    user = User.objects.create(username="county_auditor", display_name="吉首市审计员")
    RoleAssignment.objects.create(user=user, region=world.home_county, role=Role.AUDITOR)
    return user


def test_county_auditor_pages_and_api_show_only_the_county(client, county_auditor, change, access):
    home, other = change("county_operator"), change("outsider")
    home_access, other_access = access("grid_worker"), access("outsider_grid_worker")
    client.force_login(county_auditor)

    changes = list(client.get(CHANGES).context["page"].object_list)
    accesses = list(client.get(ACCESS).context["page"].object_list)
    api_ids = {e["id"] for e in client.get("/api/v1/audit/changes").json()["results"]}

    assert home in changes and other not in changes
    assert home_access in accesses and other_access not in accesses
    assert home.pk in api_ids and other.pk not in api_ids
