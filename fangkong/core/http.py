"""Request types: what the middleware and the API authentication add to Django's request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from .actor import Actor


class SessionRequest(HttpRequest):
    """A request past accounts' ActorMiddleware: the signed-in role's Actor, or None.

    Only for annotations: views receive Django's own HttpRequest with `actor` set on it.
    """

    actor: Actor | None


class ActorRequest(HttpRequest):
    """A request that reached a view with an Actor (actor_required or the API authentication).

    Only for annotations: views receive Django's own HttpRequest with `actor` set on it.
    """

    actor: Actor
