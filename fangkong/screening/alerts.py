"""Alerts screening raises through notifications: a new list reaching each county (and the
city, for the people whose address named no county), records escalated (services), and a
list cleared (batch_status)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.notifications.models import Level as AlertLevel
from fangkong.notifications.services import notify
from fangkong.regions.models import CODE_LENGTHS, Level

from .models import MergeKind, ScreeningBatch, ScreeningRecord

COUNTY_LENGTH = CODE_LENGTHS[Level.COUNTY]


def list_arrived(batch: ScreeningBatch) -> int:
    """One alert per county the list's people were placed in, with their number, the deadline
    and a link to the list opened at the county; one to the city for those it must place
    itself. One query for the counts. Returns the number of alerts.

    Counted for the platform, not through the importer's scope: a list's people may live in
    counties its importer does not see, and each of those counties must hear of them. Only
    counts leave here, and each alert is read within its own region's scope."""
    people = (
        ScreeningRecord.objects.filter(batch=batch, invalid=False)
        .exclude(merge_kind=MergeKind.FILE)
        .annotate(county=Substr("region_id", 1, COUNTY_LENGTH))
        .values("county")
        .annotate(n=Count("*"))
        .order_by("county")
    )
    deadline = timezone.localtime(batch.deadline).strftime("%m-%d %H:%M")
    heading = f"#{batch.pk} {batch.get_category_display()} · {batch.source}"
    alerts = 0
    for group in people:
        code, n = group["county"], group["n"]
        if len(code) < COUNTY_LENGTH:
            message = _("新名单 %(list)s：%(n)s 人地址未能分派到县，请指挥部分派") % {
                "list": heading,
                "n": n,
            }
            query = urlencode({"batch": batch.pk, "region": code, "here": 1})
            link = f"{reverse('screening:records')}?{query}"
        else:
            message = _("新名单 %(list)s：本县 %(n)s 人待核查，%(deadline)s 前反馈") % {
                "list": heading,
                "n": n,
                "deadline": deadline,
            }
            link = f"{reverse('screening:batch', args=[batch.pk])}?region={code}"
        notify(region_code=code, kind="screening.list", message=message, link=link)
        alerts += 1
    return alerts


def records_escalated(*, batch_id: int, region_code: str, records: int) -> None:
    """The level a list's overdue records were reported to hears of it once, with a link to
    them (the records overdue in its area for that list)."""
    query = urlencode({"batch": batch_id, "region": region_code, "status": "overdue"})
    notify(
        region_code=region_code,
        kind="screening.escalated",
        message=_("批次 #%(batch)s：%(n)s 条排查记录逾期未反馈，已上报本级督办")
        % {"batch": batch_id, "n": records},
        link=f"{reverse('screening:records')}?{query}",
        level="danger",
    )


def list_cleared(batch: ScreeningBatch, closed_at: dt.datetime) -> None:
    """The region that received a list hears once that every record of it is closed, how long
    it took, and where its feedback sheet is (the sheet the sender waits for). Not for the
    system batches of checks and self-reports, which close and open again all day."""
    if batch.intake_key:
        return
    hours = max((closed_at - batch.received_at).total_seconds(), 0) / 3600
    notify(
        region_code=batch.region_id,
        kind="screening.cleared",
        message=_("名单 #%(batch)s %(category)s · %(source)s 已全部闭环，用时 %(hours).1f 小时，"
                  "可下载反馈表") % {
            "batch": batch.pk, "category": batch.get_category_display(), "source": batch.source,
            "hours": hours,
        },
        link=reverse("screening:batch", args=[batch.pk]),
        level=AlertLevel.INFO,
    )  # fmt: skip
