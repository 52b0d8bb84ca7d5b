"""The re-push list (外推清单): people found elsewhere, by the city they go to; marking them
sent, and each city's list as a sheet with the identifiers in full."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.downloads import sheet_download
from fangkong.core.errors import ValidationFailed
from fangkong.core.flash import flash_errors
from fangkong.core.roles import Perm

from .params import page_number
from .repushes import repush_page, repush_sheet, repushes_mark_sent


def _listing(data) -> dict[str, str]:
    """Which tab and target city a request is about (query or form)."""
    return {"tab": "sent" if data.get("tab") == "sent" else "", "to": data.get("to", "")}


def _query(listing: dict[str, str]) -> str:
    return urlencode({key: value for key, value in listing.items() if value})


def _back(listing: dict[str, str]) -> HttpResponseRedirect:
    query = _query(listing)
    return HttpResponseRedirect(reverse("screening:repushes") + (f"?{query}" if query else ""))


@actor_required(Perm.SCREENING_VIEW)
def repushes(request):
    actor = request.actor
    listing = _listing(request.GET)
    page = repush_page(
        actor=actor, sent=listing["tab"] == "sent", target=listing["to"], page=page_number(request)
    )
    return render(
        request,
        "screening/repushes.html",
        {
            **page,
            "listing": listing,
            "query": _query(listing),
            "can_mark": actor.can(Perm.SCREENING_MANAGE) and listing["tab"] != "sent",
            "can_export": actor.can(Perm.SCREENING_MANAGE) and actor.can(Perm.PEOPLE_EXPORT),
        },
    )


@require_POST
@actor_required(Perm.SCREENING_MANAGE)
def repushes_sent(request):
    listing = _listing(request.POST)
    pks = [int(pk) for pk in request.POST.getlist("repush") if pk.isdigit()]
    try:
        marked = repushes_mark_sent(actor=request.actor, pks=pks)
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return _back(listing)
    messages.success(request, _("已标记 %(n)s 人为已推送") % {"n": marked})
    return _back(listing)


@require_POST
@actor_required(Perm.SCREENING_MANAGE)
def repushes_sheet(request):
    listing = _listing(request.POST)
    try:
        path, _rows = repush_sheet(
            actor=request.actor,
            sent=listing["tab"] == "sent",
            target=listing["to"],
            purpose=request.POST.get("purpose", ""),
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return _back(listing)
    name = _("外推名单")
    place = f"-{listing['to']}" if listing["to"] else ""
    return sheet_download(path, f"{name}{place}-{timezone.localdate():%Y%m%d}.xlsx")
