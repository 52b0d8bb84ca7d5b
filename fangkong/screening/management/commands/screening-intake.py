"""`fangkong screening-intake [--json]`: turn the checkpoint checks pushed to a village into
key-population screening records (fangkong.screening.sweeps). Run by the ticker every few
minutes; a run with nothing waiting does nothing."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from fangkong.screening.sweeps import screening_from_checks


class Command(BaseCommand):
    help = (
        "Turn checkpoint checks pushed to a village into screening records of the day's "
        "checkpoint batch of the destination county. Run every few minutes."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, as_json: bool, **options: Any) -> None:
        counts = screening_from_checks()
        if as_json:
            self.stdout.write(json.dumps(counts))
            return
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
