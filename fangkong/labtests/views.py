"""Test result pages: recent results, entering one result, importing a lab's sheet."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from fangkong.core.decorators import actor_required
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.identity import DocumentType
from fangkong.core.params import day_param, name_param
from fangkong.core.roles import Perm
from fangkong.imports.jobs import job_create, upload_dir

from .models import Purpose, Result
from .selectors import SHEET_JOB_KIND, nat_test_list, sheet_job, sheet_jobs
from .services import nat_result_record, person_for_result
from .tasks import import_sheet

MAX_SHEET_BYTES = 20 * 1024 * 1024
JOBS_PAGE_SIZE = 20
CHINA = dt.timezone(dt.timedelta(hours=8))


@actor_required(Perm.LABTESTS_VIEW)
def result_list(request):
    actor, query = request.actor, request.GET
    filters = {
        "result": query.get("result", ""),
        "day": day_param(query.get("day")),
        "name": name_param(query.get("q")),
    }
    page = Paginator(nat_test_list(actor=actor, **filters), 50).get_page(query.get("page"))
    for test in page:
        # The person's file is linked where the reader may open it (a result stays with the
        # region it was taken in; its person may have moved out of the reader's scope).
        test.person_linked = actor.can(Perm.PEOPLE_VIEW) and test.person.region_id.startswith(
            actor.scope_prefix
        )
    return render(
        request,
        "labtests/list.html",
        {"page": page, "filters": filters, "result": filters["result"], "results": Result.choices},
    )


def _aware(value: str) -> dt.datetime | None:
    parsed = parse_datetime((value or "").replace("T", " ").strip())
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CHINA)


@actor_required(Perm.LABTESTS_RECORD)
def record_page(request):
    fields = ("document_type", "document_number", "sampled_at", "result", "lab", "purpose")
    values = {k: request.POST.get(k, "").strip() for k in fields}
    context = {
        "values": values,
        "document_types": DocumentType.choices,
        "results": [(v, label) for v, label in Result.choices if v != Result.PENDING],
        "purposes": Purpose.choices,
    }
    if request.method != "POST":
        values.update(document_type=DocumentType.RESIDENT_ID, purpose=Purpose.SCHEDULED)
        return render(request, "labtests/record.html", context)
    try:
        try:
            person = person_for_result(
                actor=request.actor,
                document_type=values["document_type"],
                number=values["document_number"],
            )
        except NotFound:
            raise ValidationFailed(
                {"document_number": [_("辖区内没有登记该证件号的人员，请核对或先登记人员")]}
            ) from None
        sampled = _aware(values["sampled_at"])
        if sampled is None:
            raise ValidationFailed({"sampled_at": [_("请填写采样时间，如 2022-01-10 08:30")]})
        test = nat_result_record(
            actor=request.actor, person=person, sampled_at=sampled, result=values["result"],
            lab=values["lab"], purpose=values["purpose"] or Purpose.OTHER,
        )  # fmt: skip
    except ValidationFailed as exc:
        context["errors"] = [str(e) for errs in exc.errors.values() for e in errs]
        return render(request, "labtests/record.html", context, status=422)
    messages.success(
        request,
        _("已录入：%(name)s %(result)s（采样 %(at)s）")
        % {"name": person.masked_name, "result": test.get_result_display(),
           "at": sampled.strftime("%Y-%m-%d %H:%M")},
    )  # fmt: skip
    return redirect("labtests:record")


@actor_required(Perm.LABTESTS_RECORD)
def import_page(request):
    recent = Paginator(sheet_jobs(actor=request.actor), JOBS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if request.method != "POST":
        return render(request, "labtests/import.html", {"recent": recent})
    upload = request.FILES.get("sheet")
    problem = None
    if upload is None:
        problem = _("请选择要导入的结果表（xlsx、xls 或 csv）")
    elif upload.size > MAX_SHEET_BYTES:
        problem = _("文件超过20MB，请分批导入")
    if problem:
        messages.error(request, problem)
        return render(request, "labtests/import.html", {"recent": recent}, status=422)
    path = upload_dir() / f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:8]}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = job_create(
        actor=request.actor, kind=SHEET_JOB_KIND, path=path, filename=upload.name,
        options={"lab": request.POST.get("lab", "")[:100]}, keep_copy=False,
    )  # fmt: skip
    import_sheet.enqueue(job.pk)
    return redirect("labtests:job", pk=job.pk)


@actor_required(Perm.LABTESTS_RECORD)
def job_page(request, pk: int):
    job = sheet_job(actor=request.actor, pk=pk)
    return render(request, "labtests/job.html", {"job": job, "result": job.result or {}})


@actor_required(Perm.LABTESTS_RECORD)
def job_errors(request, pk: int):
    """The refused rows as sent, with 错误说明: fix in place and upload again."""
    job = sheet_job(actor=request.actor, pk=pk)
    name = (job.result or {}).get("error_sheet")
    path = upload_dir() / Path(name).name if name else None
    if path is None or not path.exists():
        raise Http404(_("没有可下载的错误表"))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{Path(job.filename).stem}-错误.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
