"""Synthetic residents: households in every village, with real village names in the address.

Names come from Faker's frequency-weighted zh_CN surnames and given names, matched to the
person's sex. Resident ID numbers are made here rather than with Faker's `ssn()`, which
counts ages back from the day it runs (so one seed gave other numbers the next day) and
silently swaps in a random area code it does not know. Ours are GB 11643-1999 numbers with
the county's code, a birth date counted back from the speech's date, the sex in the parity
of the sequence and the MOD 11-2 check character; unique within the world.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import TYPE_CHECKING

from faker import Faker

from fangkong.core import crypto
from fangkong.core.identity import DocumentType, check_character
from fangkong.people.models import Person
from fangkong.regions.models import Region

if TYPE_CHECKING:
    from .world import World

# Ages are as of the day of the speech, so the demo reads the same whenever it is built.
REFERENCE_DATE = dt.date(2022, 1, 10)
BATCH_SIZE = 2000
HOUSEHOLD_SIZES = (1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6)
# Mobile number blocks of the three carriers; every one is valid for phonenumbers.
MOBILE_PREFIXES = (
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157", "158",
    "159", "178", "182", "183", "187", "188", "198", "130", "131", "132", "155", "156",
    "166", "175", "176", "185", "186", "133", "153", "173", "177", "180", "181", "189", "199",
)  # fmt: skip
# 湘西 is mostly 土家族 and 苗族 (about two fifths and a third), with 汉族 and a few others;
# the 苗族 share is highest in 花垣 and 凤凰, the 土家族 share in 永顺, 龙山 and 保靖.
ETHNIC_GROUPS = ("土家族", "苗族", "汉族", "侗族", "白族", "回族", "瑶族")
ETHNIC_WEIGHTS = (41, 34, 23, 1, 0.5, 0.3, 0.2)
ETHNIC_WEIGHTS_BY_COUNTY = {
    "433123": (16, 58, 24, 1, 0.5, 0.3, 0.2),  # 凤凰县
    "433124": (12, 77, 10, 0.5, 0.3, 0.1, 0.1),  # 花垣县
    "433125": (58, 28, 13, 0.5, 0.3, 0.1, 0.1),  # 保靖县
    "433127": (71, 8, 20, 0.5, 0.3, 0.1, 0.1),  # 永顺县
    "433130": (62, 9, 28, 0.5, 0.3, 0.1, 0.1),  # 龙山县
}
_MOBILE_MIN_AGE = 14


def build_people(world: World, *, per_village: int, seed: int) -> int:
    """`per_village` residents in every village of the world, in code order; returns the count."""
    if per_village <= 0:
        return 0
    residents = Residents(seed)
    province = Region.objects.get(code=world.city.parent_id) if world.city.parent_id else None
    places = {r.code: r for r in [*world.counties, *world.townships]}
    created = 0
    batch: list[Person] = []
    for village in world.villages:
        county = places[village.code[:6]]
        township = places.get(village.code[:9])
        address_prefix = "".join(
            _written(r) for r in (province, world.city, county, township, village) if r
        )
        batch.extend(residents.village(village, county.code, address_prefix, per_village))
        if len(batch) >= BATCH_SIZE:
            created += len(Person.objects.bulk_create(batch))
            batch = []
    created += len(Person.objects.bulk_create(batch))
    return created


def _written(region: Region) -> str:
    return region.short_name or region.name


class Residents:
    """Draws households from one seed; the same calls in the same order give the same people."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.faker = Faker("zh_CN")
        self.faker.seed_instance(seed)
        self.numbers: set[str] = set()
        self.phones: set[str] = set()

    def village(
        self, village: Region, county_code: str, address_prefix: str, count: int
    ) -> Iterator[Person]:
        urban = _written(village).endswith("社区")
        made = 0
        while made < count:
            size = min(count - made, self.rng.choice(HOUSEHOLD_SIZES))
            address = address_prefix + self._house(urban)
            weights = ETHNIC_WEIGHTS_BY_COUNTY.get(county_code, ETHNIC_WEIGHTS)
            ethnic_group = self.rng.choices(ETHNIC_GROUPS, weights)[0]
            surname = self.faker.last_name()
            for index, (sex, age) in enumerate(self._household(size)):
                # The spouse (second member) keeps their own surname; children take the head's.
                own = self.faker.last_name() if index == 1 else surname
                yield self._person(village, county_code, address, ethnic_group, own, sex, age)
            made += size

    def _house(self, urban: bool) -> str:
        rng = self.rng
        if urban:
            building, entrance = rng.randint(1, 30), rng.randint(1, 4)
            return f"{building}栋{entrance}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室"
        return f"{rng.randint(1, 15)}组{rng.randint(1, 60)}号"

    def _household(self, size: int) -> list[tuple[str, int]]:
        """(sex, age) of the head, a spouse, then children and grandchildren."""
        rng = self.rng
        head_sex = rng.choice("MF")
        head_age = rng.randint(24, 82)
        members = [(head_sex, head_age)]
        if size >= 2:
            spouse_age = max(18, head_age + rng.randint(-5, 5))
            members.append(("F" if head_sex == "M" else "M", spouse_age))
        for _ in range(size - len(members)):
            child_age = max(0, head_age - rng.randint(20, 34))
            if child_age > 40 and rng.random() < 0.5:
                child_age = max(0, child_age - rng.randint(20, 30))
            members.append((rng.choice("MF"), child_age))
        return members

    def _person(
        self,
        village: Region,
        county_code: str,
        address: str,
        ethnic_group: str,
        surname: str,
        sex: str,
        age: int,
    ) -> Person:
        rng = self.rng
        given = self.faker.first_name_male() if sex == "M" else self.faker.first_name_female()
        birth_date = REFERENCE_DATE - dt.timedelta(days=age * 365 + rng.randrange(365))
        number = self._resident_id(county_code, birth_date, sex)
        phone = self._mobile() if age >= _MOBILE_MIN_AGE else ""
        return Person(
            name=surname + given,
            sex=sex,
            birth_date=birth_date,
            ethnic_group=ethnic_group,
            document_type=DocumentType.RESIDENT_ID,
            document_number=number,
            document_index=crypto.blind_index(DocumentType.RESIDENT_ID.value, number),
            phone=phone,
            phone_index=crypto.blind_index("mobile", phone),
            household_address=address,
            current_address=address,
            region=village,
        )

    def _resident_id(self, area_code: str, birth_date: dt.date, sex: str) -> str:
        parity = 1 if sex == "M" else 0
        while True:
            sequence = self.rng.randrange(500) * 2 + parity
            first17 = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
            number = first17 + check_character(first17)
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def _mobile(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone
