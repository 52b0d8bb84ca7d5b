"""`fangkong screening-sheets-purge [--json]`: remove sheets written in the background once kept
for SHEET_RETENTION_HOURS (run by the ticker)."""

import json

from django.core.management.base import BaseCommand

from fangkong.screening.sheetjobs import sheets_purge


class Command(BaseCommand):
    help = (
        "Remove feedback sheets and record lists written in the background once kept for "
        "FANGKONG_SHEET_RETENTION_HOURS; fail jobs no worker finished within it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, as_json, **options):
        counts = sheets_purge()
        if as_json:
            self.stdout.write(json.dumps(counts))
            return
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
