"""Reads of test results: always through the actor's scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.params import day_bounds
from fangkong.core.roles import Perm
from fangkong.imports.models import ImportJob

from .models import NatTest, Result

SHEET_JOB_KIND = "labtests.sheet"


def nat_test_list(
    *, actor: Actor, result: str = "", day: dt.date | None = None, name: str = ""
) -> QuerySet[NatTest]:
    """The results the actor sees, newest sample first; of one result, sampled on one day
    (China time), of people whose name holds `name`."""
    actor.require(Perm.LABTESTS_VIEW)
    qs = NatTest.objects.visible_to(actor).select_related("person", "region")
    if result in Result.values:
        qs = qs.filter(result=result)
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(sampled_at__gte=start, sampled_at__lt=end)
    if name:
        qs = qs.filter(person__name__contains=name)
    return qs.order_by("-sampled_at", "-id")


def sheet_jobs(*, actor: Actor) -> QuerySet[ImportJob]:
    """The result sheets uploaded in the actor's scope, newest first."""
    actor.require(Perm.LABTESTS_RECORD)
    return (
        ImportJob.objects.visible_to(actor)
        .filter(kind=SHEET_JOB_KIND)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def sheet_job(*, actor: Actor, pk: int) -> ImportJob:
    job = sheet_jobs(actor=actor).filter(pk=pk).first()
    if job is None:
        raise NotFound(ImportJob._meta.verbose_name)
    return job
