import datetime as dt
import zoneinfo

import pytest
import time_machine

from fangkong.accounts.models import RoleAssignment
from fangkong.core.actor import Actor
from fangkong.core.roles import Role
from fangkong.org.models import CommandUnit, UnitKind
from fangkong.reports import senders
from fangkong.reports.services import default_units, period_create

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# A day of the 2022 special period, before that day's 16:00 cut-off.
DAY = dt.date(2022, 1, 20)
MORNING = dt.datetime(2022, 1, 20, 10, 0, tzinfo=TZ)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0, micro: int = 0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=TZ)


@pytest.fixture
def period(world):
    hq_actor = Actor.build(user=None, region=world.city, role=Role.COMPREHENSIVE_STAFF)
    with time_machine.travel(MORNING, tick=False):
        return period_create(
            actor=hq_actor,
            name="2022年“两节”疫情防控特护期",
            hq=world.hq,
            starts_on=dt.date(2022, 1, 10),
            ends_on=dt.date(2022, 3, 15),
            units=default_units(world.hq),
        )


@pytest.fixture
def units(world, period):
    """The units by the key of the account that reports for them."""
    workgroup = RoleAssignment.objects.get(user=world.user("workgroup")).unit
    county = CommandUnit.objects.get(region=world.home_county, kind=UnitKind.HQ)
    other = CommandUnit.objects.get(region=world.other_county, kind=UnitKind.HQ)
    return {"workgroup": workgroup, "county_operator": county, "outsider": other}


@pytest.fixture(autouse=True)
def memory_sender(settings):
    settings.REPORTS_SENDER = "fangkong.reports.senders.MemorySender"
    senders.outbox.clear()
    yield senders.outbox
    senders.outbox.clear()
