"""`fangkong ticker`: run the platform's periodic duties every few minutes.

Deadlines pass without anyone asking: checks pushed to a village become screening records,
screening records become overdue and escalate, measures complete at their planned end,
arrivals' monitoring closes at day 14, daily reports are chased before the cut-off and missing
ones reported after it, uploaded lists' copies and sheets written in the background are
removed once kept long enough. Each duty is an idempotent command; this runs them in turn,
forever (`--once` for cron or a systemd timer instead).
"""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

# Checks pushed to a village become screening records before overdue records escalate.
PERIODIC_COMMANDS = [
    "screening-intake",
    "screening-escalate",
    "measures-tick",
    "arrivals-sweep",
    "reports-tick",
    "imports-purge",
    "screening-sheets-purge",
]


class Command(BaseCommand):
    help = "Run the periodic duties (escalation, release, sweeps, reminders) every few minutes."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=int, default=300, help="Seconds between rounds.")
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")

    def handle(self, *args: Any, interval: int, once: bool, **options: Any) -> None:
        while True:
            self.run_round()
            if once:
                return
            time.sleep(interval)
            # A long-lived process: drop connections the database or CONN_MAX_AGE has aged out.
            close_old_connections()

    def run_round(self) -> None:
        for name in PERIODIC_COMMANDS:
            try:
                call_command(name, stdout=self.stdout, stderr=self.stderr)
            except Exception as exc:  # noqa: BLE001 - one failing duty must not stop the others
                self.stderr.write(f"{name} failed: {exc!r}")
