"""Desk pages: lists received, uploads with a progress bar, batch figures, sheets."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from fangkong.core.categories import PersonCategory
from fangkong.core.decorators import actor_required
from fangkong.core.downloads import DIRECT_ROWS, sheet_download
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.flash import flash_errors
from fangkong.core.roles import Perm
from fangkong.imports.headers import find_header
from fangkong.imports.jobs import job_create, mapping_remember
from fangkong.imports.models import ImportJob, JobStatus
from fangkong.imports.readers import FileRefused, open_table

from . import selectors
from .feedback import BATCH_SHEETS, batch_sheet_now
from .forms import UploadForm, mapping_form
from .importer import MAPPING_KIND, REFUSED_NO_HEADER, REFUSED_REPEATED
from .links import records_url
from .models import SheetKind, Source
from .params import opened_at, page_number, region_param
from .tasks import import_list


@actor_required(Perm.SCREENING_VIEW)
def home(request):
    actor = request.actor
    if actor.can(Perm.SCREENING_MANAGE):
        return redirect("screening:progress")
    return redirect("screening:mine")


@actor_required(Perm.SCREENING_VIEW)
def batches(request):
    actor = request.actor
    form = UploadForm()
    if request.method == "POST":
        actor.require(Perm.SCREENING_IMPORT)
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = _start_job(request, form.cleaned_data)
            return redirect("screening:job", pk=job.pk)
    category = request.GET.get("category", "")
    category = category if category in PersonCategory.values else ""
    page = selectors.batch_page(actor=actor, category=category, page=page_number(request))
    return render(
        request,
        "screening/batches.html",
        {
            **page,
            "category": category,
            "categories": PersonCategory.choices,
            "form": form,
            "can_import": actor.can(Perm.SCREENING_IMPORT),
        },
    )


def _start_job(request, data) -> ImportJob:
    upload = data["file"]
    with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix, delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    options = {
        "category": data["category"],
        "source": str(dict(Source.choices).get(data["source"], data["source"])),
        "deadline_hours": data.get("deadline_hours"),
        "expected_rows": data.get("expected_rows"),
        "allow_duplicate": bool(data.get("allow_duplicate")),
    }
    job = job_create(
        actor=request.actor,
        kind=MAPPING_KIND,
        path=Path(handle.name),
        filename=upload.name,
        options=options,
    )
    Path(handle.name).unlink(missing_ok=True)
    import_list.enqueue(job.pk)
    return job


def _job(actor, pk) -> ImportJob:
    try:
        return ImportJob.objects.visible_to(actor).get(pk=pk, kind=MAPPING_KIND)
    except (ImportJob.DoesNotExist, ValueError):
        raise NotFound(ImportJob._meta.verbose_name) from None


@actor_required(Perm.SCREENING_IMPORT)
def job(request, pk):
    item = _job(request.actor, pk)
    if item.status == JobStatus.DONE and not item.result.get("unknown_headers"):
        # The page polling the import's progress goes on to the batch once it is stored.
        if request.htmx:
            return HttpResponseClientRedirect(reverse("screening:batch", args=[item.object_id]))
        return redirect("screening:batch", pk=item.object_id)
    labels = _mapping_labels(item)
    template = "screening/job.html#progress" if request.htmx else "screening/job.html"
    return render(
        request,
        template,
        {
            "job": item,
            "mapping": mapping_form(labels)() if labels else None,
            "may_import_again": _refused_for(item, REFUSED_REPEATED),
            "earlier_batch": _earlier_batch(request.actor, item),
        },
    )


def _refused_for(item: ImportJob, reason: str) -> bool:
    """Refused for this reason, and the upload's copy is still there to import."""
    return (
        item.status == JobStatus.REFUSED
        and item.result.get("refused") == reason
        and bool(item.path)
        and Path(item.path).exists()
    )


def _earlier_batch(actor, item: ImportJob):
    """The batch a repeated file was imported as, when the user may open it."""
    pk = item.result.get("batch") if item.status == JobStatus.REFUSED else None
    try:
        return selectors.batch_get(actor=actor, pk=pk) if pk else None
    except NotFound:
        return None


def _mapping_labels(item: ImportJob) -> list[str]:
    if item.status == JobStatus.DONE:
        return item.result.get("unknown_headers", [])
    if not _refused_for(item, REFUSED_NO_HEADER):
        return []
    try:
        rows = open_table(item.path, item.filename).rows()
        header, _after = find_header(rows, {}, minimum=0)
    except FileRefused:
        return []
    if header is None:
        return []
    return [label for label in header.labels.values()][:30]


@actor_required(Perm.SCREENING_IMPORT)
def job_mapping(request, pk):
    """Remember how this source's unknown headers map to fields, then import again."""
    item = _job(request.actor, pk)
    labels = _mapping_labels(item)
    form = mapping_form(labels)(request.POST or None)
    if request.method != "POST" or not labels or not form.is_valid():
        return redirect("screening:job", pk=item.pk)
    source = item.options.get("source", "")
    for i, label in enumerate(labels):
        field = form.cleaned_data.get(f"col_{i}")
        if field:
            mapping_remember(kind=MAPPING_KIND, source=source, label=label, field=field)
    if item.status == JobStatus.REFUSED:
        again = job_create(
            actor=request.actor,
            kind=MAPPING_KIND,
            path=Path(item.path),
            filename=item.filename,
            options=item.options,
        )
        import_list.enqueue(again.pk)
        return redirect("screening:job", pk=again.pk)
    messages.success(request, _("已记住“%(s)s”的列对应关系，下次导入自动使用") % {"s": source})
    return redirect("screening:batch", pk=item.object_id)


@require_POST
@actor_required(Perm.SCREENING_IMPORT)
def job_again(request, pk):
    """Import a file refused as imported before, as a new batch, once the user confirms."""
    item = _job(request.actor, pk)
    if not _refused_for(item, REFUSED_REPEATED):
        return redirect("screening:job", pk=item.pk)
    again = job_create(
        actor=request.actor,
        kind=MAPPING_KIND,
        path=Path(item.path),
        filename=item.filename,
        options={**item.options, "allow_duplicate": True},
    )
    import_list.enqueue(again.pk)
    return redirect("screening:job", pk=again.pk)


@actor_required(Perm.SCREENING_VIEW)
def batch(request, pk):
    actor = request.actor
    item = selectors.batch_get(actor=actor, pk=pk)
    region = region_param(request)
    page = selectors.progress_page(actor=actor, batch=item, region=region)
    progress = selectors.batch_progress(actor=actor, batch=item, region=region)
    invalid_rows = []
    if progress["invalid"]:
        invalid_rows = selectors.invalid_rows_first(actor=actor, batch=item, region=region)
    return render(
        request,
        "screening/batch.html",
        {
            "batch": item,
            "progress": progress,
            "regions": page["regions"],
            **opened_at(actor, region, item, page["regions"]),
            "can_export": actor.can(Perm.SCREENING_MANAGE),
            "feedback_in_background": item.rows > DIRECT_ROWS,
            "errors_in_background": progress["invalid"] > DIRECT_ROWS,
            "invalid_rows": invalid_rows,
            "invalid_link": records_url(
                batch=item, region=region.code if region else "", status="invalid"
            ),
        },
    )


def _batch_sheet(request, pk, kind: str):
    actor = request.actor
    item = selectors.batch_get(actor=actor, pk=pk)
    try:
        path = batch_sheet_now(actor=actor, batch=item, kind=kind)
    except ValidationFailed as exc:
        flash_errors(request, exc)
        return redirect("screening:batch", pk=item.pk)
    return sheet_download(path, BATCH_SHEETS[kind].filename.format(pk=item.pk))


@actor_required(Perm.SCREENING_MANAGE)
def feedback(request, pk):
    return _batch_sheet(request, pk, SheetKind.FEEDBACK)


@actor_required(Perm.SCREENING_MANAGE)
def errors(request, pk):
    return _batch_sheet(request, pk, SheetKind.ERRORS)


def job_url(item: ImportJob) -> str:
    return reverse("screening:job", kwargs={"pk": item.pk})
