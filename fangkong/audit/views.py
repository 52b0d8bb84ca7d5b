"""The audit logs as read-only, filterable lists. There is nothing to edit or delete."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fangkong.core.decorators import actor_required
from fangkong.core.roles import Perm

from .forms import AccessFilterForm, ChangeFilterForm
from .presentation import change_lines, reveal_field_labels, role_label
from .selectors import access_list, audit_region_options, change_list

PAGE_SIZE = 50


def _page(request, entries):
    return Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
@actor_required(Perm.AUDIT_VIEW)
def changes(request):
    actor = request.actor
    form = ChangeFilterForm(request.GET, regions=audit_region_options(actor=actor))
    page = _page(request, change_list(actor=actor, filters=form.filters()))
    for entry in page.object_list:
        entry.lines = change_lines(entry)
        entry.role_label = role_label(entry.role)
    return render(request, "audit/changes.html", {"form": form, "page": page})


@require_GET
@actor_required(Perm.AUDIT_VIEW)
def access(request):
    actor = request.actor
    form = AccessFilterForm(request.GET, regions=audit_region_options(actor=actor))
    page = _page(request, access_list(actor=actor, filters=form.filters()))
    for entry in page.object_list:
        entry.field_labels = reveal_field_labels(entry.fields)
        entry.role_label = role_label(entry.role)
    return render(request, "audit/access.html", {"form": form, "page": page})
