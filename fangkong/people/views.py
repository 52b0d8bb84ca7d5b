"""Pages of the person registry: search, register, detail with reveal, edit."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from fangkong.core.decorators import actor_required
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Perm

from .dossier import dossier_for
from .ethnic_groups import ethnic_group_label
from .forms import IDENTIFYING_FIELDS, REVEAL_LABELS, PersonForm, RevealForm, SearchForm
from .identity import mask_query, read_query
from .models import Person
from .selectors import (
    describe_query,
    person_get,
    person_search,
    region_chain,
    region_filter_options,
    region_register_options,
)
from .services import person_register, person_reveal, person_update

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50


@actor_required(Perm.PEOPLE_VIEW)
def search(request):
    """Search by name, document or mobile number.

    The page's form posts, so that an identifier typed into it never lands in a URL (and so
    in browser history, proxy logs or a Referer); it is not echoed back either, only masked.
    Name and region searches page through GET links.
    """
    actor = request.actor
    data = request.POST if request.method == "POST" else request.GET
    regions = region_filter_options(actor=actor, selected=data.get("region", ""))
    form = SearchForm(data, regions=regions)
    people = Person.objects.none()
    query, region_code = "", ""
    if form.is_valid():
        query, region_code = form.cleaned_data["q"], form.cleaned_data["region"]
        try:
            people = person_search(actor=actor, query=query, region_code=region_code)
        except ValidationFailed as exc:
            form.add_error("q", exc.errors.get("q", [str(exc)]))
    page = Paginator(people, PAGE_SIZE).get_page(data.get("page"))
    context = {
        "form": form,
        "page": page,
        "show_region_filter": len(form.fields["region"].choices) > 2,
        "can_register": actor.can(Perm.PEOPLE_REGISTER),
        **_query_echo(form, query, region_code),
    }
    template = "people/search.html#results" if request.htmx else "people/search.html"
    return render(request, template, context)


def _query_echo(form: SearchForm, query: str, region_code: str) -> dict:
    """How the query is shown back: names as typed, identifiers masked and not in links."""
    kind = read_query(query).kind
    if kind == "identifier":
        # The search form is always bound to request.GET or request.POST.
        data = cast(QueryDict, form.data).copy()
        data["q"] = ""
        form.data = data
    return {
        "search_kind": describe_query(query),
        "masked_query": mask_query(query) if kind == "identifier" else "",
        "page_query": urlencode(
            {"q": query if kind == "name" else "", "region": region_code or ""}
        ),
    }


def _service_values(cleaned: dict) -> dict:
    values = dict(cleaned)
    values["region_code"] = values.pop("region")
    return values


@actor_required(Perm.PEOPLE_REGISTER)
def register(request):
    actor = request.actor
    form = PersonForm(
        request.POST or None,
        regions=region_register_options(actor=actor),
        initial={"region": actor.region.code},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = person_register(actor=actor, **_service_values(form.cleaned_data))
        except ValidationFailed as exc:
            form.add_service_errors(exc)
        else:
            person = registration.person
            if registration.created:
                messages.success(request, _("已登记 %(name)s") % {"name": person.masked_name})
            else:
                messages.info(request, _("该证件已登记，已为您打开现有人员"))
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@never_cache
@actor_required(Perm.PEOPLE_VIEW)
def detail(request, pk: int):
    """The person, masked, with what each domain the actor may read holds of them (一人一档);
    POST asks to reveal identifying details for a stated purpose."""
    actor = request.actor
    person = person_get(actor=actor, pk=pk)
    reveal_form = RevealForm(request.POST if request.method == "POST" else None)
    revealed = None
    if request.method == "POST":
        actor.require(Perm.PEOPLE_REVEAL)
        revealed = _reveal(actor, person, reveal_form)
    context = {
        "person": person,
        "ethnic_group": ethnic_group_label(person.ethnic_group),
        "chain": [
            (region, actor.sees_region_code(region.code))
            for region in region_chain(region=person.region)
        ],
        "reveal_form": reveal_form,
        "revealed": revealed,
        "can_reveal": actor.can(Perm.PEOPLE_REVEAL),
        "can_edit": actor.can(Perm.PEOPLE_REGISTER),
    }
    if request.htmx and request.method == "POST":
        return render(request, "people/detail.html#reveal", context)
    context["dossier"] = dossier_for(actor, person)
    return render(request, "people/detail.html", context)


def _reveal(actor, person: Person, form: RevealForm) -> list[tuple[StrOrPromise, str]] | None:
    if not form.is_valid():
        return None
    try:
        values = person_reveal(
            actor=actor,
            person_id=person.pk,
            purpose=form.cleaned_data["purpose"],
            fields=form.cleaned_data["show"],
        )
    except ValidationFailed as exc:
        form.add_service_errors(exc)
        return None
    return [(REVEAL_LABELS[field], value) for field, value in values.items()]


@actor_required(Perm.PEOPLE_REGISTER)
def edit(request, pk: int):
    actor = request.actor
    person = person_get(actor=actor, pk=pk)
    regions = region_register_options(actor=actor)
    if all(region.code != person.region_id for region in regions):
        regions = sorted([*regions, person.region], key=lambda r: r.code)
    form = PersonForm(
        request.POST or None,
        regions=regions,
        editing=person,
        initial={
            "sex": person.sex,
            "birth_date": person.birth_date,
            "ethnic_group": person.ethnic_group,
            "document_type": person.document_type,
            "region": person.region_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_update(actor=actor, person_id=person.pk, **_changed_values(form))
        except ValidationFailed as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("已保存 %(name)s 的信息") % {"name": person.masked_name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


def _changed_values(form: PersonForm) -> dict:
    """What the user changed; identifying fields left blank keep their stored values."""
    changed = {}
    for field in form.changed_data:
        value = form.cleaned_data[field]
        if field in IDENTIFYING_FIELDS and not value:
            continue
        if field == "birth_date" and value is None:
            continue
        changed[field] = value
    return _service_values(changed) if "region" in changed else changed
