"""Policies over the API, mounted at /policies: read, edit with a reason, re-plan measures."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from fangkong.core.actor import Actor
from fangkong.core.errors import NotFound
from fangkong.core.http import ActorRequest
from fangkong.core.roles import Perm
from fangkong.measures.planning import measures_replan_behind

from .models import Policy
from .services import policy_update

router = Router(tags=["policies"])


class VersionOut(Schema):
    version: int
    reason: str
    created_at: dt.datetime


class PolicyOut(Schema):
    id: int
    code: str
    name: str
    effective_from: dt.date
    active: bool
    version: int
    stages: dict
    certificate_validity_hours: int
    arrival_test_window_hours: int
    monitoring_days: int
    arrival_applies_to: str
    notes: str


class PolicyDetailOut(PolicyOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(obj.versions.order_by("-version"))


class PolicyPatch(Schema):
    reason: str
    name: str | None = None
    effective_from: dt.date | None = None
    active: bool | None = None
    stages: dict | None = None
    certificate_validity_hours: int | None = None
    arrival_test_window_hours: int | None = None
    monitoring_days: int | None = None
    arrival_applies_to: str | None = None
    notes: str | None = None


class ReplanIn(Schema):
    reason: str


def _policy(actor: Actor, policy_id: int) -> Policy:
    actor.require(Perm.POLICIES_VIEW)
    policy = Policy.objects.filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(Policy._meta.verbose_name)
    return policy


@router.get("", response=list[PolicyOut], summary="Policy editions")
def list_policies(request: ActorRequest):
    actor: Actor = request.actor
    actor.require(Perm.POLICIES_VIEW)
    return list(Policy.objects.order_by("effective_from"))


@router.get("/{policy_id}", response=PolicyDetailOut, summary="One policy with its versions")
def get_policy(request: ActorRequest, policy_id: int):
    return _policy(request.actor, policy_id)


@router.patch("/{policy_id}", response=PolicyDetailOut, summary="Edit a policy (new version)")
def patch_policy(request: ActorRequest, policy_id: int, payload: PolicyPatch):
    actor: Actor = request.actor
    policy = _policy(actor, policy_id)
    changes = payload.dict(exclude_none=True)
    reason = changes.pop("reason")
    return policy_update(actor=actor, policy_id=policy.pk, reason=reason, **changes)


@router.post("/{policy_id}/replan", summary="Re-plan running measures behind the policy")
def replan(request: ActorRequest, policy_id: int, payload: ReplanIn):
    actor: Actor = request.actor
    policy = _policy(actor, policy_id)
    return measures_replan_behind(actor=actor, policy_id=policy.pk, reason=payload.reason)
