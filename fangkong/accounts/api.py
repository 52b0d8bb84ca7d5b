"""GET /api/v1/me: who is calling, with which role, in which region, allowed to do what."""

from ninja import Router, Schema

from fangkong.core.roles import Role

from .models import ApiToken

router = Router(tags=["accounts"])


class UserOut(Schema):
    username: str
    display_name: str


class RegionOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    user: UserOut | None
    token: str | None
    role: str
    role_label: str
    region: RegionOut
    permissions: list[str]


@router.get("", response=MeOut, summary="当前调用者")
def me(request):
    """The caller's identity: a signed-in user, or an API token (then `user` is null)."""
    actor = request.actor
    user = actor.user
    token = request.auth if isinstance(request.auth, ApiToken) else None
    return {
        "user": {"username": user.username, "display_name": user.display_name} if user else None,
        "token": token.name if token else None,
        "role": actor.role,
        "role_label": str(Role(actor.role).label),
        "region": {"code": actor.region.code, "name": actor.region.name},
        "permissions": sorted(actor.permissions),
    }
