"""Reads of the command organisation."""

from django.db.models import QuerySet
from django.utils import timezone

from fangkong.core.actor import Actor

from .models import CommandUnit, DutyShift, UnitKind


def duty_now(*, actor: Actor, at=None) -> DutyShift | None:
    """The shift on duty now at the HQ nearest above (or at) the actor's region.

    The duty desk of one's own chain of command is what a field worker must be able to call,
    so this read covers the actor's ancestors as well as its own region.
    """
    at = at or timezone.now()
    chain = actor.region.ancestor_codes()
    return (
        DutyShift.objects.filter(
            unit__region_id__in=chain,
            unit__kind=UnitKind.HQ,
            starts_at__lte=at,
            ends_at__gt=at,
        )
        .select_related("leader", "officer", "unit")
        .order_by("-unit__region_id")
        .first()
    )


def unit_list(*, actor: Actor) -> QuerySet[CommandUnit]:
    return CommandUnit.objects.visible_to(actor).select_related("region", "parent")
