"""People found not to be here (不在本地), pushed on to the city where they are.

A grid worker's `not_local` outcome opens an outgoing re-push. The HQ (or a county) lists them
by the city they go to, downloads each city's list with the identifiers in full (a purpose is
stated, the export is logged) to send to that city's HQ, and marks them sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.audit.models import AccessKind
from fangkong.audit.services import access_record, audit_record
from fangkong.core.actor import Actor
from fangkong.core.downloads import local_minute, streamed_workbook
from fangkong.core.errors import NotFound, ValidationFailed
from fangkong.core.roles import Perm
from fangkong.people.services import purpose_errors

from .models import OutgoingRepush

PAGE_SIZE = 50
MARK_LIMIT = 200
# The sheet sent to the target city: who, where to, and what the check found.
SHEET_HEADER = (
    gettext_lazy("姓名"),
    gettext_lazy("证件号码"),
    gettext_lazy("手机号"),
    gettext_lazy("推送至"),
    gettext_lazy("来源地"),
    gettext_lazy("抵达时间"),
    gettext_lazy("原名单"),
    gettext_lazy("原表行号"),
    gettext_lazy("核查区划"),
    gettext_lazy("核查人"),
    gettext_lazy("核查时间"),
    gettext_lazy("备注"),
)
SHEET_FIELDS = ["name", "document_number", "phone"]


def _visible(actor: Actor) -> QuerySet[OutgoingRepush]:
    actor.require(Perm.SCREENING_VIEW)
    return OutgoingRepush.objects.visible_to(actor)


def _listed(actor: Actor, *, sent: bool, target: str) -> QuerySet[OutgoingRepush]:
    listed = _visible(actor).filter(sent_at__isnull=not sent)
    return listed.filter(target_place=target) if target else listed


def repushes_waiting(*, actor: Actor) -> int:
    return _visible(actor).filter(sent_at__isnull=True).count()


def repush_page(
    *, actor: Actor, sent: bool = False, target: str = "", page: int = 1
) -> dict[str, Any]:
    """One page of the re-pushes waiting (or sent), by target city, oldest first; the
    tabs' counts and the target cities of the tab with their counts. Four queries."""
    counts = _visible(actor).aggregate(
        pending=Count("pk", filter=Q(sent_at__isnull=True)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    targets = list(
        _visible(actor)
        .filter(sent_at__isnull=not sent)
        .values("target_place")
        .annotate(n=Count("pk"))
        .order_by("target_place")
    )
    listed = _listed(actor, sent=sent, target=target)
    count = listed.count()
    start = (max(page, 1) - 1) * PAGE_SIZE
    items = list(
        listed.select_related("record__batch", "record__region", "created_by", "sent_by").order_by(
            "target_place", "created_at", "id"
        )[start : start + PAGE_SIZE]
    )
    return {
        "repushes": items,
        "counts": counts,
        "targets": targets,
        "count": count,
        "page": page,
        "has_next": start + PAGE_SIZE < count,
    }


@transaction.atomic
def repushes_mark_sent(*, actor: Actor, pks: Sequence[int]) -> int:
    """Mark re-pushes sent to their city, all or none; each is audited on its record."""
    actor.require(Perm.SCREENING_MANAGE)
    wanted = set(pks)
    if not wanted:
        raise ValidationFailed({"repushes": [_("请先勾选已推送的人员")]})
    if len(wanted) > MARK_LIMIT:
        raise ValidationFailed({"repushes": [_("一次最多标记 %(n)s 人") % {"n": MARK_LIMIT}]})
    items = list(_visible(actor).select_for_update().filter(pk__in=wanted).select_related("record"))
    if len(items) != len(wanted):
        raise NotFound(OutgoingRepush._meta.verbose_name)
    if already := [i for i in items if i.sent_at is not None]:
        names = "、".join(i.record.masked_name for i in already)
        raise ValidationFailed({"repushes": [_("%(names)s 已标记为已推送") % {"names": names}]})
    now = timezone.now()
    for item in items:
        item.sent_at, item.sent_by = now, actor.user
        item.save(update_fields=["sent_at", "sent_by"])
        audit_record(
            actor=actor,
            action="screening.record.repush_sent",
            obj=item.record,
            changes={"target_place": item.target_place},
        )
    return len(items)


def repush_sheet(*, actor: Actor, sent: bool, target: str, purpose: str) -> tuple[str, int]:
    """The listed re-pushes as a sheet for the target city, identifiers in full: a purpose is
    required and the export is written to the access log. Returns the path and the rows."""
    actor.require(Perm.SCREENING_MANAGE)
    actor.require(Perm.PEOPLE_EXPORT)
    purpose = " ".join((purpose or "").split())
    if problems := purpose_errors(purpose):
        raise ValidationFailed({"purpose": problems})
    listed = _listed(actor, sent=sent, target=target).select_related(
        "record__batch", "record__region", "created_by"
    )
    path, workbook, sheet = streamed_workbook(_("外推人员"), [str(h) for h in SHEET_HEADER])
    count = 0
    for count, item in enumerate(listed.order_by("target_place", "created_at", "id"), 1):
        for col, value in enumerate(_sheet_row(item)):
            if value:
                sheet.write_string(count, col, value)
    workbook.close()
    access_record(
        actor=actor,
        kind=AccessKind.EXPORT,
        purpose=purpose,
        region_code=actor.scope_prefix,
        subject=_("外推名单：%(to)s") % {"to": target or _("全部去向")},
        fields=SHEET_FIELDS,
        row_count=count,
    )
    return path, count


def _sheet_row(item: OutgoingRepush) -> list[str]:
    record = item.record
    checker = item.created_by
    return [
        record.name,
        record.document_number,
        record.phone,
        item.target_place,
        record.source_place,
        local_minute(record.arrived_at),
        f"#{record.batch_id} {record.batch.get_category_display()} · {record.batch.source}",
        str(record.row_number) if record.row_number else "",
        record.region.name,
        (checker.display_name or checker.username) if checker else "",
        local_minute(record.checked_at),
        record.note,
    ]
