"""`fangkong stats [--json] [--section KEY]`: the platform's headline figures.

Sections come from fangkong.core.stats.STATS_SECTIONS, so later modules add theirs there.
"""

import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from fangkong.core.stats import collect


class Command(BaseCommand):
    help = "Print the platform's headline figures (one JSON object with --json)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
        parser.add_argument("--section", action="append", help="only this section (repeatable)")

    def handle(self, *args, **options):
        figures = collect(at=timezone.now(), only=options["section"])
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, cls=DjangoJSONEncoder))
            return
        for line in _lines(figures):
            self.stdout.write(line)


def _lines(data, prefix=""):
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _lines(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}: {value}"
