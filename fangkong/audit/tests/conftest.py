import pytest

from fangkong.audit.services import access_record, audit_record


@pytest.fixture
def actor_of(actor_of):
    """The shared actor_of, signed in from a known address (the logs record it)."""
    return lambda key: actor_of(key, ip="10.0.0.8", assignment_id=None)


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
