"""Reads of the person registry. Every one starts from Person.objects.visible_to(actor)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.identity import InvalidIdentifier, normalize_document
from fangkong.core.roles import Perm
from fangkong.regions.models import Level, Region

from .identity import SearchTerms, document_index, read_query
from .models import Person


def person_search(*, actor: Actor, query: str = "", region_code: str = "") -> QuerySet[Person]:
    """People in scope matching the query, newest first.

    A document or mobile number is matched exactly through its blind index; anything else
    is a part of a name. region_code narrows to a subtree of the actor's region.
    """
    actor.require(Perm.PEOPLE_VIEW)
    people = Person.objects.visible_to(actor).select_related("region")
    terms = read_query(query)
    if terms.problem:
        raise ValidationFailed({"q": [terms.problem]})
    if terms.kind == "name":
        people = people.filter(name__contains=terms.name)
    elif terms.kind == "identifier":
        people = people.filter(_identifier_match(terms))
    region_code = (region_code or "").strip()
    if region_code:
        people = people.filter(region__code__startswith=region_code)
    return people.order_by("-id")


def _identifier_match(terms: SearchTerms) -> Q:
    match = Q(pk__in=[])
    for document_type, index in terms.documents:
        match |= Q(document_type=document_type, document_index=index)
    if terms.phone_index:
        match |= Q(phone_index=terms.phone_index)
    return match


def person_get(*, actor: Actor, pk: int) -> Person:
    """One person in scope, or NotFound (missing and out of scope look alike)."""
    actor.require(Perm.PEOPLE_VIEW)
    return Person.objects.select_related("region", "registered_by").get_visible(actor, pk=pk)


def person_find_by_document(*, actor: Actor, document_type: str, number: str) -> Person | None:
    """The person in scope holding this document, or None."""
    actor.require(Perm.PEOPLE_VIEW)
    try:
        normalized = normalize_document(document_type, number)
    except InvalidIdentifier as exc:
        raise ValidationFailed({"document_number": [str(exc)]}) from None
    return (
        Person.objects.visible_to(actor)
        .select_related("region")
        .filter(
            document_type=document_type, document_index=document_index(document_type, normalized)
        )
        .first()
    )


def region_chain(*, region: Region) -> list[Region]:
    """The region and its ancestors from the city down (州 › 县 › 乡镇 › 村). One query."""
    codes = [code for code in region.ancestor_codes() if len(code) > 2] or [region.code]
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def region_filter_options(*, actor: Actor, selected: str = "", depth: int = 2) -> list[Region]:
    """The actor's region and the levels just below it, in tree order, for a filter select;
    also the selected region when it lies deeper in the actor's subtree."""
    lowest = min(actor.region.level + depth, Level.VILLAGE)
    return list(
        Region.objects.filter(code__startswith=actor.region.code)
        .filter(Q(level__lte=lowest) | Q(code=selected))
        .only("code", "name", "level")
        .order_by("code")
    )


def region_register_options(*, actor: Actor) -> list[Region]:
    """Where a person may be registered: the actor's region and its townships and villages."""
    return list(
        Region.objects.filter(code__startswith=actor.region.code)
        .filter(Q(level__gte=Level.TOWNSHIP) | Q(code=actor.region.code))
        .only("code", "name", "level")
        .order_by("code")
    )


def describe_query(query: str) -> str:
    """Which kind of search a query ran, for the result header."""
    kind = read_query(query).kind
    if kind == "identifier":
        return _("按证件号码或手机号精确查找")
    if kind == "name":
        return _("按姓名查找")
    return ""
