"""The scoping matrix: every URL and API endpoint, requested by every role, outsider included.

Two objects of each kind are made, one in the home village (in 吉首市) and one in a village of
the other county (龙山县). For every user:
- an object outside the user's region answers 404 (or the same 403/405/302 the user gets for
  the visible one, when the user may not use that page at all), to GET and to POST alike,
  and a POST to it changes nothing;
- list pages never link to an object outside the user's region;
- no page or endpoint answers with a server error.
Each app declares how to reach its objects in `<app>/tests/scoping.py` (URL_CASES, API_CASES);
a URL or endpoint with parameters that no app declares fails the coverage tests below.
"""

from __future__ import annotations

import json
import re
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from config.api import api
from fangkong.accounts.tokens import api_token_create
from fangkong.audit.models import ChangeEntry

ALLOWED_WITHOUT_USE = {302, 403, 405, 422}
# 422: the endpoint validates its input before looking the object up; an empty body is refused
# the same way whoever asks, so it tells nothing about objects of other regions.


def _scoping_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.scoping"
        if (
            config.name.startswith("fangkong.")
            and find_spec(f"{config.name}.tests")
            and find_spec(name)
        ):
            yield import_module(name)


def _collect(attribute: str) -> dict:
    cases: dict = {}
    for module in _scoping_modules():
        cases.update(getattr(module, attribute, {}))
    return cases


def _exempt(attribute: str) -> dict:
    exempt: dict = {}
    for module in _scoping_modules():
        exempt.update(getattr(module, attribute, {}))
    return exempt


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def site_urls() -> dict[str, str]:
    """Every named page of the site (the API is covered separately)."""
    return {
        name: route
        for name, route in _walk(get_resolver().url_patterns)
        if not name.startswith("api:") and not route.startswith("api/")
    }


def _has_parameters(route: str) -> bool:
    return "<" in route or "(?P" in route


def api_operations() -> list[tuple[str, str]]:
    """(method, path) for every operation; paths as routers declare them, without /api/v1."""
    schema = api.get_openapi_schema(path_prefix="")
    return [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _users(world):
    return sorted(world.users.items())


def _sees(user_region_code: str, village_code: str) -> bool:
    return village_code.startswith(user_region_code)


def _region_of(user):
    return user.assignments.filter(active=True).order_by("region_id", "role").first().region_id


def _hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"#?]+)', html))


# --- coverage ------------------------------------------------------------------------------


def test_every_page_with_parameters_has_a_scoping_case():
    cases, exempt = _collect("URL_CASES"), _exempt("URL_EXEMPT")
    missing = [
        name
        for name, route in site_urls().items()
        if _has_parameters(route) and name not in cases and name not in exempt
    ]
    assert missing == [], f"add these to an app's tests/scoping.py URL_CASES: {missing}"


def test_every_api_operation_with_parameters_has_a_scoping_case():
    cases, exempt = _collect("API_CASES"), _exempt("API_EXEMPT")
    missing = [
        f"{method} {path}"
        for method, path in api_operations()
        if "{" in path and path not in cases and path not in exempt
    ]
    assert missing == [], f"add these to an app's tests/scoping.py API_CASES: {missing}"


# --- pages ---------------------------------------------------------------------------------


def _villages(world):
    return [world.home_village, world.first_village_in(world.other_county)]


@pytest.fixture
def objects(world):
    """For each parametrised page: kwargs for an object in each of the two villages."""
    return {
        name: {village.code: factory(world, village) for village in _villages(world)}
        for name, factory in _collect("URL_CASES").items()
    }


def _acceptable_for_hidden(hidden_status: int, visible_status: int | None) -> bool:
    """404, or the very answer the user gets for a visible object when the page is not for them."""
    if hidden_status == 404:
        return True
    if visible_status is None:
        return hidden_status in ALLOWED_WITHOUT_USE
    return visible_status in ALLOWED_WITHOUT_USE and hidden_status == visible_status


def test_object_pages_answer_404_outside_the_users_region(client, world, objects):
    failures = []
    for username, user in _users(world):
        client.force_login(user)
        scope = _region_of(user)
        for name, by_village in objects.items():
            statuses = {
                v: client.get(reverse(name, kwargs=kw)).status_code for v, kw in by_village.items()
            }
            visible = [s for v, s in statuses.items() if _sees(scope, v)]
            for village, status in statuses.items():
                if (
                    status >= 500
                    or not _sees(scope, village)
                    and not _acceptable_for_hidden(status, visible[0] if visible else None)
                ):
                    failures.append(f"{username} GET {name}@{village}: {status}")
        client.logout()
    assert failures == []


def test_posts_to_objects_outside_the_users_region_change_nothing(client, world, objects):
    failures = []
    for username, user in _users(world):
        client.force_login(user)
        scope = _region_of(user)
        for name, by_village in objects.items():
            for village, kwargs in by_village.items():
                if _sees(scope, village):
                    continue
                before = ChangeEntry.objects.count()
                status = client.post(reverse(name, kwargs=kwargs), {}).status_code
                if status not in (403, 404, 405) or ChangeEntry.objects.count() != before:
                    failures.append(f"{username} POST {name}@{village}: {status}")
        client.logout()
    assert failures == []


def test_list_pages_never_link_to_objects_outside_the_users_region(client, world, objects):
    pages = [n for n, route in site_urls().items() if not _has_parameters(route)]
    skip = set(_exempt("URL_EXEMPT")) | {"accounts:logout", "set_language", "core:switch_role"}
    failures = []
    for username, user in _users(world):
        client.force_login(user)
        scope = _region_of(user)
        hidden = {
            reverse(name, kwargs=kwargs)
            for name, by_village in objects.items()
            for village, kwargs in by_village.items()
            if not _sees(scope, village)
        }
        for name in pages:
            if name in skip:
                continue
            response = client.get(reverse(name))
            if response.status_code >= 500:
                failures.append(f"{username} GET {name}: {response.status_code}")
                continue
            # A download (a sheet) is read too: it has no links, but it must not fail.
            body = b"".join(response.streaming_content) if response.streaming else response.content
            html = body.decode(errors="replace")
            leaked = _hrefs(html) & hidden
            if leaked:
                failures.append(f"{username} GET {name} links to {sorted(leaked)}")
        client.logout()
    assert failures == []


# --- API -----------------------------------------------------------------------------------


@pytest.fixture
def tokens(world):
    issued = {}
    for username, user in _users(world):
        assignment = user.assignments.filter(active=True).order_by("region_id", "role").first()
        _, raw = api_token_create(
            actor=None, name=f"matrix-{username}", region=assignment.region, role=assignment.role
        )
        issued[username] = (raw, assignment.region_id)
    return issued


@pytest.fixture
def api_objects(world):
    return {
        path: {village.code: factory(world, village) for village in _villages(world)}
        for path, factory in _collect("API_CASES").items()
    }


def _call(client, method, path, token, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if method == "GET":
        return client.get(path, **headers)
    return client.generic(
        method, path, data=body or "{}", content_type="application/json", **headers
    )


def test_api_answers_401_without_a_token(client):
    for method, path in api_operations():
        if "{" in path:
            continue
        response = client.generic(method, f"/api/v1{path}")
        assert response.status_code == 401, f"{method} {path}"
        assert response.json()["detail"]


def test_api_objects_outside_the_callers_region_are_404(client, world, tokens, api_objects):
    failures = []
    operations = [(m, p) for m, p in api_operations() if p in api_objects]
    for username, (token, scope) in tokens.items():
        for method, path in operations:
            statuses = {}
            for village, params in api_objects[path].items():
                url = "/api/v1" + path.format(**params)
                before = ChangeEntry.objects.count()
                statuses[village] = _call(client, method, url, token).status_code
                if not _sees(scope, village) and ChangeEntry.objects.count() != before:
                    failures.append(f"{username} {method} {path}@{village} changed data")
            visible = [s for v, s in statuses.items() if _sees(scope, v)]
            for village, status in statuses.items():
                if (
                    status >= 500
                    or not _sees(scope, village)
                    and not _acceptable_for_hidden(status, visible[0] if visible else None)
                ):
                    failures.append(f"{username} {method} {path}@{village}: {status}")
    assert failures == []


def test_api_lists_never_include_objects_outside_the_callers_region(
    client, world, tokens, api_objects
):
    hidden_ids = _collect("API_HIDDEN_MARKERS")
    failures = []
    lists = [p for m, p in api_operations() if m == "GET" and "{" not in p]
    for username, (token, scope) in tokens.items():
        for path in lists:
            response = _call(client, "GET", "/api/v1" + path, token)
            if response.status_code >= 500:
                failures.append(f"{username} GET {path}: {response.status_code}")
                continue
            # JSON's escapes (\uXXXX) would hide a Chinese marker from a plain text search.
            body = json.dumps(response.json(), ensure_ascii=False)
            for marker_factory in hidden_ids.values():
                for village in _villages(world):
                    if _sees(scope, village.code):
                        continue
                    marker = marker_factory(world, village)
                    if marker and marker in body:
                        failures.append(f"{username} GET {path} shows {marker}")
    assert failures == []
