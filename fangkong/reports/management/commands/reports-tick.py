"""`fangkong reports-tick`: reminders before the cut-off, the missing list after it, and the
dashboard's summary figures; run every few minutes by cron or a systemd timer."""

from django.core.management.base import BaseCommand

from fangkong.reports.reminders import reports_tick


class Command(BaseCommand):
    help = "Send due reminders and escalations of the daily reports; refresh dashboard figures."

    def handle(self, *args, **options):
        counts = reports_tick()
        try:
            from fangkong.dashboards.snapshot import snapshot_refresh
        except ModuleNotFoundError:
            pass
        else:
            counts["figures"] = snapshot_refresh()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
