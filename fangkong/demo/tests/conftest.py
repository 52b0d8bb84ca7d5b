import pytest

from fangkong.accounts.models import User
from fangkong.org.models import CommandUnit, DutyShift
from fangkong.people.models import Person


def clear_world() -> None:
    """Remove the built world (not the division tree), inside the test's transaction."""
    DutyShift.objects.all().delete()
    while CommandUnit.objects.exists():
        # Units protect their children: remove the tree from the leaves up.
        CommandUnit.objects.filter(children__isnull=True).delete()
    Person.objects.all().delete()
    User.objects.all().delete()


@pytest.fixture
def empty_world(db):
    clear_world()
