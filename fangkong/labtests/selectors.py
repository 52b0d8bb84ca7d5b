"""Reads of test results: always through the actor's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.roles import Perm
from fangkong.imports.models import ImportJob

from .models import NatTest, Result

SHEET_JOB_KIND = "labtests.sheet"


def nat_test_list(*, actor: Actor, result: str = "") -> QuerySet[NatTest]:
    actor.require(Perm.LABTESTS_VIEW)
    qs = NatTest.objects.visible_to(actor).select_related("person", "region")
    if result in Result.values:
        qs = qs.filter(result=result)
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
