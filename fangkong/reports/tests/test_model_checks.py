"""The models' system checks pass whatever the time of day they run at."""

import datetime as dt

import time_machine
from django.core import checks

from fangkong.reports.models import DEFAULT_CUTOFF


def test_model_checks_are_clean_at_the_default_cutoff():
    # Django warns about a fixed time default when the check runs within ten seconds of it.
    at_cutoff = dt.datetime.combine(dt.date(2026, 1, 5), DEFAULT_CUTOFF, tzinfo=dt.UTC)
    with time_machine.travel(at_cutoff + dt.timedelta(seconds=3), tick=False):
        assert checks.run_checks(tags=[checks.Tags.models]) == []
