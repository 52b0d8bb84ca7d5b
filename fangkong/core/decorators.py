"""View decorators: who may open a page, and how scoping errors become responses."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBase
from django.shortcuts import render

from .errors import NotFound, PermissionDenied
from .http import SessionRequest

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def actor_required(permission: str | None = None) -> Callable[[View], View]:
    """Require a signed-in user with a role assignment (and the permission, if given).

    NotFound from a selector or service becomes 404, so an object outside the actor's
    region answers exactly like a missing one.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: SessionRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = request.actor
            if actor is None:
                return render(request, "core/no_role.html", status=403)
            if permission is not None and not actor.can(permission):
                raise PermissionDenied(permission)
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc)) from None

        return cast(View, wrapper)

    return decorator
