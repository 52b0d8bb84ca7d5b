"""`fangkong measures-tick`: close stages whose time is up (run every few minutes by cron or
a systemd timer; results arriving trigger the same evaluation at once)."""

from django.core.management.base import BaseCommand

from fangkong.measures.release import measures_tick


class Command(BaseCommand):
    help = "Release, step on or flag 'cannot release' every measure whose stage has ended."

    def handle(self, *args, **options):
        counts = measures_tick()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
