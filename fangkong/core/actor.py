"""The Actor: who acts, with which role, in which region. Built once per request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import PermissionDenied
from .roles import permissions_for

if TYPE_CHECKING:
    from fangkong.accounts.models import User
    from fangkong.regions.models import Region


@dataclass(frozen=True)
class Actor:
    user: User | None
    region: Region
    role: str
    assignment_id: int | None = None
    api_token_id: int | None = None
    ip: str | None = None
    permissions: frozenset[str] = field(default=frozenset())

    @classmethod
    def build(
        cls,
        *,
        user: User | None,
        region: Region,
        role: str,
        assignment_id: int | None = None,
        api_token_id: int | None = None,
        ip: str | None = None,
    ) -> Actor:
        return cls(
            user=user,
            region=region,
            role=role,
            assignment_id=assignment_id,
            api_token_id=api_token_id,
            ip=ip,
            permissions=permissions_for(role),
        )

    @property
    def scope_prefix(self) -> str:
        """Every division code in the actor's subtree starts with this prefix."""
        return self.region.code

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(permission)

    def sees_region_code(self, code: str) -> bool:
        return code.startswith(self.scope_prefix)


def system_actor() -> Actor:
    """The platform itself, for what no person does (automatic transitions, the ticker's
    sweeps, the public self-report form); audited like any other change."""
    from fangkong.regions.models import Region

    return Actor.build(user=None, region=Region(code="", name="system", path=""), role="system")
