"""Work pages: a grid worker's records and the one-screen form; progress (down the region
tree), the records behind each figure, overdue."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.downloads import DIRECT_ROWS, sheet_or_back
from fangkong.core.errors import ValidationFailed
from fangkong.core.flash import flash_errors, form_errors
from fangkong.core.roles import Perm

from . import selectors, services
from .correction import Correction, record_close_invalid, record_correct
from .display import countdown, decorate
from .forms import MEASURES, CloseInvalidForm, CorrectionForm, VerifyForm
from .links import records_url, status_tabs
from .listsheet import RECORDS_PURPOSE, record_list_sheet
from .params import opened_at, page_number, record_filters, region_param, region_trail
from .reveal import record_reveal


@actor_required(Perm.SCREENING_VIEW)
def mine(request):
    actor = request.actor
    closed = request.GET.get("tab") == "closed"
    page = selectors.my_page(actor=actor, closed=closed, page=page_number(request))
    decorate(page["records"])
    return render(
        request,
        "screening/mine.html",
        {**page, "counts": selectors.my_counts(actor=actor), "closed": closed},
    )


@never_cache
@actor_required(Perm.SCREENING_VIEW)
def record(request, pk):
    """The one-screen form: receive, verify, reassign; and the record's details in plain for
    a stated purpose (shown once, never put in a URL)."""
    actor = request.actor
    item = selectors.record_get(actor=actor, pk=pk)
    form = VerifyForm(initial={"measure": item.measure, "place": item.place})
    revealed, reveal_errors = None, []
    action = request.POST.get("action", "")
    correction, closing = CorrectionForm(), CloseInvalidForm()
    if request.method == "POST" and action == "reveal":
        revealed, reveal_errors = _reveal(actor, item, request.POST.get("purpose", ""))
    elif request.method == "POST" and action in ("correct", "close_invalid"):
        correction, closing, done = _correct(request, item, action)
        if done is not None:
            return done
    elif request.method == "POST":
        form, done = _act(request, item, action, form)
        if done is not None:
            return done
        item = selectors.record_get(actor=actor, pk=pk)
    decorate([item])
    return render(
        request,
        "screening/record.html",
        {
            "record": item,
            "form": form,
            "measures": MEASURES,
            "can_verify": actor.can(Perm.SCREENING_VERIFY)
            and item.is_open
            and item.merged_into_id is None
            and not item.invalid,
            "targets": selectors.reassign_targets(actor=actor, record=item),
            "countdown": countdown(item.deadline) if item.is_open else "",
            "can_manage": actor.can(Perm.SCREENING_MANAGE),
            "can_correct": actor.can(Perm.SCREENING_MANAGE) and item.invalid and item.is_open,
            "correction": correction,
            "closing": closing,
            "can_reveal": actor.can(Perm.PEOPLE_REVEAL),
            "revealed": revealed,
            "reveal_errors": reveal_errors,
        },
    )


def _correct(request, item, action: str):
    """Correct a row needing correction, or close it as 信息有误: (the two forms to show
    again, or a redirect when done)."""
    correction = CorrectionForm(request.POST if action == "correct" else None)
    closing = CloseInvalidForm(request.POST if action == "close_invalid" else None)
    form = correction if action == "correct" else closing
    if not form.is_valid():
        return correction, closing, None
    try:
        if action == "correct":
            record_correct(
                actor=request.actor, pk=item.pk, correction=Correction(**form.cleaned_data)
            )
            messages.success(request, _("已更正，记录已转为有效并交由责任区划核查"))
        else:
            record_close_invalid(actor=request.actor, pk=item.pk, note=form.cleaned_data["note"])
            messages.success(request, _("已按“信息有误”闭环"))
    except ValidationFailed as exc:
        form_errors(form, exc)
        return correction, closing, None
    return correction, closing, redirect("screening:record", pk=item.pk)


def _reveal(actor, item, purpose: str):
    try:
        return record_reveal(actor=actor, pk=item.pk, purpose=purpose), []
    except ValidationFailed as exc:
        return None, exc.errors.get("purpose", [])


def _act(request, item, action: str, form: VerifyForm):
    """Carry out a step; (the form to show again, or a redirect when the step is done)."""
    actor = request.actor
    try:
        if action == "receive":
            services.record_receive(actor=actor, pk=item.pk)
            messages.success(request, _("已签收"))
            return form, redirect("screening:record", pk=item.pk)
        if action == "check":
            services.record_start_check(actor=actor, pk=item.pk)
            messages.success(request, _("已开始核查"))
            return form, redirect("screening:record", pk=item.pk)
        if action == "reassign":
            region_code = request.POST.get("region", "")
            services.record_reassign(actor=actor, pk=item.pk, region_code=region_code)
            messages.success(request, _("已改派"))
            return form, redirect("screening:mine")
        form = VerifyForm(request.POST)
        if form.is_valid():
            services.record_verify(actor=actor, pk=item.pk, **form.cleaned_data)
            messages.success(request, _("核查结果已保存，记录已闭环"))
            return form, redirect("screening:mine")
    except ValidationFailed as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                if field in form.fields:
                    form.add_error(field, error)
                else:
                    messages.error(request, error)
    return form, None


@actor_required(Perm.SCREENING_VIEW)
def progress(request):
    actor = request.actor
    region = region_param(request)
    page = selectors.progress_page(actor=actor, region=region)
    return render(
        request,
        "screening/progress.html",
        {**page, **opened_at(actor, region, None, page["regions"])},
    )


@actor_required(Perm.SCREENING_VIEW)
def records(request):
    actor = request.actor
    filters = record_filters(request.actor, request.GET)
    page = selectors.record_page(actor=actor, **filters, page=page_number(request))
    decorate(page["records"], page["now"])
    region = filters["region"]
    linked = {
        "batch": filters["batch"],
        "region": region.code if region else "",
        "here": filters["here"],
    }
    return render(
        request,
        "screening/records.html",
        {
            **page,
            "batch": filters["batch"],
            "within": region,
            "here": filters["here"],
            "trail": region_trail(actor, region),
            "tabs": status_tabs(page["counts"], **linked),
            "base_query": records_url(**linked, status=page["status"]).partition("?")[2],
            "can_export": actor.can(Perm.SCREENING_MANAGE),
            "sheet_in_background": page["count"] > DIRECT_ROWS,
            "bulk_targets": _bulk_targets(actor, region, filters["here"], page["records"]),
            "next_url": request.get_full_path(),
        },
    )


def _bulk_targets(actor, region, here: bool, records) -> list:
    """A list of the records placed on a region itself (`here`) may be moved several at once,
    when the page holds one that may move (open, its own, complete)."""
    movable = any(r.reassignable for r in records)
    if region is None or not here or not movable or not actor.can(Perm.SCREENING_VERIFY):
        return []
    return selectors.region_targets(actor=actor, region=region)


@require_POST
@actor_required(Perm.SCREENING_VERIFY)
def records_reassign(request):
    """Move the ticked records of a record list to one region, then show the list again."""
    back = request.POST.get("next", "")
    if not back.startswith(reverse("screening:records")):
        back = reverse("screening:records")
    pks = [int(pk) for pk in request.POST.getlist("record") if pk.isdigit()]
    try:
        moved = services.records_reassign(
            actor=request.actor, pks=pks, region_code=request.POST.get("region", "")
        )
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return HttpResponseRedirect(back)
    messages.success(request, _("已改派 %(n)s 条记录") % {"n": moved})
    return HttpResponseRedirect(back)


@actor_required(Perm.SCREENING_MANAGE)
def records_sheet(request):
    actor = request.actor
    filters = record_filters(request.actor, request.GET)
    region = filters["region"]
    return sheet_or_back(
        request,
        lambda: record_list_sheet(
            actor=actor,
            records=selectors.record_rows(actor=actor, **filters),
            region_code=region.code if region else actor.scope_prefix,
            purpose=str(RECORDS_PURPOSE),
        ),
        filename=f"核查名单-{timezone.localdate():%Y%m%d}.xlsx",
        back=reverse("screening:records"),
    )


@actor_required(Perm.SCREENING_VIEW)
def overdue(request):
    actor = request.actor
    page = selectors.overdue_page(actor=actor, page=page_number(request))
    decorate(page["records"], page["now"])
    page["can_export"] = actor.can(Perm.SCREENING_MANAGE)
    return render(request, "screening/overdue.html", page)
