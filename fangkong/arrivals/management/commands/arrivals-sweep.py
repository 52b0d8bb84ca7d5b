"""`fangkong arrivals-sweep [--json]`: the hourly pass over arrivals' obligations (cron or a
systemd timer): monitoring closes itself after its 14 days, arrivals with nothing left open
close, and every county with overdue arrival tests or missed monitoring days is alerted once
a day."""

import json

from django.core.management.base import BaseCommand

from fangkong.arrivals.services import arrivals_sweep


class Command(BaseCommand):
    help = (
        "Close finished health monitoring and settled arrivals; alert each county with overdue "
        "arrival tests, overdue tasks or missed monitoring days (once a day). Run hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args, as_json, **options):
        counts = arrivals_sweep()
        if as_json:
            self.stdout.write(json.dumps(counts))
            return
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
