"""How the scoping matrix (core/tests/test_scoping_matrix.py) reaches accounts' objects."""

from fangkong.accounts.models import ApiToken, RoleAssignment, User
from fangkong.core.roles import Role


def _assignment_in(world, region) -> RoleAssignment:
    user, _ = User.objects.get_or_create(
        username=f"matrix-{region.code}", defaults={"display_name": f"{region.name}矩阵测试"}
    )
    assignment, _ = RoleAssignment.objects.get_or_create(
        user=user, region=region, role=Role.GRID_WORKER
    )
    return assignment


def _user_kwargs(world, region) -> dict:
    return {"pk": _assignment_in(world, region).user_id}


def _assignment_kwargs(world, region) -> dict:
    assignment = _assignment_in(world, region)
    return {"pk": assignment.user_id, "assignment_pk": assignment.pk}


def _token_kwargs(world, region) -> dict:
    token, _ = ApiToken.objects.get_or_create(
        prefix=f"fk_{region.code[-7:]}",
        defaults={
            "name": f"{region.name}矩阵令牌",
            "digest": region.code.ljust(64, "0"),
            "region": region,
            "role": Role.GRID_WORKER,
        },
    )
    return {"pk": token.pk}


URL_CASES = {
    "accounts:user_detail": _user_kwargs,
    "accounts:user_set_active": _user_kwargs,
    "accounts:user_unlock": _user_kwargs,
    "accounts:user_password_reset": _user_kwargs,
    "accounts:user_totp_reset": _user_kwargs,
    "accounts:user_role_add": _user_kwargs,
    "accounts:user_role_remove": _assignment_kwargs,
    "accounts:api_token_revoke": _token_kwargs,
}
