import pytest

from fangkong.accounts.models import RoleAssignment
from fangkong.audit.services import access_record, audit_record
from fangkong.core.actor import Actor


@pytest.fixture
def actor_of(world):
    """The actor a user acts as after signing in (its first role assignment)."""

    def build(key: str) -> Actor:
        user = world.user(key)
        assignment = (
            RoleAssignment.objects.filter(user=user, active=True)
            .select_related("region")
            .order_by("region_id", "role")
            .first()
        )
        assert assignment is not None, key
        return Actor.build(user=user, region=assignment.region, role=assignment.role, ip="10.0.0.8")

    return build


@pytest.fixture
def change(actor_of):
    """Append a change entry made by a user, in a region (default: the user's own)."""

    def write(key="county_operator", action="people.person.updated", region=None, **extra):
        actor = actor_of(key)
        return audit_record(
            actor=actor, action=action, region_code=(region or actor.region).code, **extra
        )

    return write


@pytest.fixture
def access(actor_of):
    def write(key="grid_worker", purpose="电话核实行程", region=None, **extra):
        actor = actor_of(key)
        return access_record(
            actor=actor,
            kind="reveal",
            purpose=purpose,
            region_code=(region or actor.region).code,
            **extra,
        )

    return write


@pytest.fixture
def signed_in(client, world):
    def sign_in(key: str):
        client.force_login(world.user(key))
        return client

    return sign_in


@pytest.fixture
def make_registered_person(actor_of):
    """A person registered through the service in the grid worker's village (audited)."""
    from fangkong.people.services import person_register
    from fangkong.people.tests.factories import resident_id

    def register():
        return person_register(
            actor=actor_of("grid_worker"),
            name="审计测试",
            document_type="resident_id",
            document_number=resident_id(),
        ).person

    return register
