"""Reads of test results: always through the actor's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from fangkong.core.actor import Actor
from fangkong.core.roles import Perm

from .models import NatTest, Result


def nat_test_list(*, actor: Actor, result: str = "") -> QuerySet[NatTest]:
    actor.require(Perm.LABTESTS_VIEW)
    qs = NatTest.objects.visible_to(actor).select_related("person", "region")
    if result in Result.values:
        qs = qs.filter(result=result)
    return qs.order_by("-sampled_at", "-id")
