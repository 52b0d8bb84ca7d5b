"""Reads for account management: users, their role assignments and API tokens in scope."""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from fangkong.core.actor import Actor
from fangkong.core.errors import ValidationFailed
from fangkong.core.roles import Role
from fangkong.regions.models import Level, Region

from .models import ApiToken, RoleAssignment, User


def _visible_assignments(actor: Actor) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.visible_to(actor)
        .filter(active=True)
        .select_related("region")
        .order_by("region_id", "role")
    )


def user_list(
    *, actor: Actor, query: str = "", role: str = "", region_code: str = ""
) -> QuerySet[User]:
    """Users with a role assignment in the actor's subtree, each with its in-scope roles.

    Filters narrow by name, by role and by region; the role and region filters look at the
    same assignment, so "grid workers in 矮寨镇" means exactly that.
    """
    users: QuerySet[User] = User.objects.visible_to(actor)
    query = query.strip()
    if query:
        users = users.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    if role in Role.values or (region_code and actor.sees_region_code(region_code)):
        narrowed = RoleAssignment.objects.visible_to(actor).filter(active=True)
        if role in Role.values:
            narrowed = narrowed.filter(role=role)
        if region_code and actor.sees_region_code(region_code):
            narrowed = narrowed.filter(region__code__startswith=region_code)
        users = users.filter(pk__in=narrowed.values("user_id"))
    return users.order_by("username").prefetch_related(
        Prefetch("assignments", queryset=_visible_assignments(actor), to_attr="scoped_roles")
    )


def user_get(*, actor: Actor, pk: int) -> User:
    """A user with at least one assignment in the actor's subtree, or NotFound (404)."""
    user: User = User.objects.get_visible(actor, pk=pk)
    return user


def user_roles(*, actor: Actor, user: User) -> list[RoleAssignment]:
    """The user's active assignments inside the actor's subtree."""
    return list(_visible_assignments(actor).filter(user=user))


def user_has_roles_elsewhere(*, actor: Actor, user: User) -> bool:
    """Whether the user also holds an active role outside the actor's subtree.

    Such an account belongs to a higher level too: its password, activity and second factor
    are managed there, so a county administrator cannot take over a city account.
    """
    return (
        RoleAssignment.objects.filter(user=user, active=True)
        .exclude(region__code__startswith=actor.scope_prefix)
        .exists()
    )


def user_holds_role(*, user: User, roles: set[str]) -> bool:
    return RoleAssignment.objects.filter(user=user, active=True, role__in=roles).exists()


def region_filter_choices(*, actor: Actor) -> list[Region]:
    """The actor's region and two levels below it: enough to filter, short enough to list."""
    deepest = min(actor.region.level + 2, Level.VILLAGE)
    return list(
        Region.objects.filter(code__startswith=actor.scope_prefix, level__lte=deepest).order_by(
            "code"
        )
    )


def region_resolve(*, actor: Actor, text: str, field: str = "region") -> Region:
    """The region in the actor's subtree named by a division code or an unambiguous name."""
    text = text.strip()
    in_scope = Region.objects.filter(code__startswith=actor.scope_prefix)
    if text.isdigit():
        region = in_scope.filter(code=text).first()
    else:
        matches = list(in_scope.filter(Q(name=text) | Q(short_name=text))[:2])
        if len(matches) > 1:
            raise ValidationFailed(
                {field: [_("“%(text)s”对应多个区划，请改填区划代码") % {"text": text}]}
            )
        region = matches[0] if matches else None
    if region is None:
        raise ValidationFailed(
            {
                field: [
                    _("在您的辖区内找不到区划“%(text)s”，请填写辖区内的区划代码，如 %(code)s")
                    % {"text": text, "code": actor.region.code}
                ]
            }
        )
    return region


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.visible_to(actor)
        .select_related("region", "created_by")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at")
    )
