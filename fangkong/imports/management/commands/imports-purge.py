"""`fangkong imports-purge [--json]`: remove uploaded lists' private copies once nothing needs
them (run by the ticker)."""

import json

from django.core.management.base import BaseCommand

from fangkong.imports.retention import uploads_purge


class Command(BaseCommand):
    help = (
        "Remove the copies of uploaded lists kept past the retention period "
        "(FANGKONG_UPLOAD_RETENTION_HOURS): refused or unfinished imports and stray files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, as_json, **options):
        counts = uploads_purge()
        if as_json:
            self.stdout.write(json.dumps(counts))
            return
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
