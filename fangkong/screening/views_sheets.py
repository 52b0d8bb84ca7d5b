"""Sheets written in the background (sheetjobs.py): asked for, followed, downloaded."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.core.decorators import actor_required
from fangkong.core.downloads import sheet_download
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.flash import flash_errors
from fangkong.core.roles import Perm

from . import selectors
from .feedback import BATCH_SHEETS
from .models import SheetKind
from .params import record_filters
from .sheetjobs import (
    batch_sheet_start,
    records_job_start,
    sheet_job_file,
    sheet_job_get,
    sheet_jobs_mine,
)


@require_POST
@actor_required(Perm.SCREENING_MANAGE)
def sheet_start(request):
    """Ask for a feedback sheet (kind=feedback, batch), a batch's rows needing correction
    (kind=errors, batch) or a record list (kind=records, with the list's filters) to be written
    in the background."""
    actor, data = request.actor, request.POST
    kind = data.get("kind", "")
    if kind in BATCH_SHEETS:
        batch = selectors.batch_get(actor=actor, pk=data.get("batch", ""))
        back = reverse("screening:batch", args=[batch.pk])
        start = lambda: batch_sheet_start(actor=actor, batch=batch, kind=kind)  # noqa: E731
    elif kind == SheetKind.RECORDS:
        filters = record_filters(actor, data)
        query = "&".join(f"{k}={data[k]}" for k in ("batch", "region", "status") if data.get(k))
        back = reverse("screening:records") + (f"?{query}" if query else "")
        start = lambda: records_job_start(actor=actor, **filters)  # noqa: E731
    else:
        raise NotFound(SheetKind.__name__)
    try:
        job = start()
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return HttpResponseRedirect(back)
    return redirect("screening:sheet", pk=job.pk)


@actor_required(Perm.SCREENING_MANAGE)
def sheets(request):
    return render(
        request,
        "screening/sheets.html",
        {
            "jobs": sheet_jobs_mine(actor=request.actor),
            "retention_hours": settings.SHEET_RETENTION_HOURS,
        },
    )


@never_cache
@actor_required(Perm.SCREENING_MANAGE)
def sheet(request, pk):
    job = sheet_job_get(actor=request.actor, pk=pk)
    template = "screening/sheet.html#progress" if request.htmx else "screening/sheet.html"
    return render(request, template, {"job": job})


@actor_required(Perm.SCREENING_MANAGE)
def sheet_file(request, pk):
    actor = request.actor
    job = sheet_job_get(actor=actor, pk=pk)
    try:
        path = sheet_job_file(actor=actor, job=job)
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("screening:sheet", pk=job.pk)
    return sheet_download(str(path), job.filename, keep=True)
