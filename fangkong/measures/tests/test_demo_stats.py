import datetime as dt
import json
import random
from io import StringIO

from django.core.management import call_command

from fangkong.measures.demo import build_measures_demo
from fangkong.measures.models import Site


def test_demo_reports_the_speech_339_in_centralised_quarantine(world):
    build_measures_demo(world, random.Random(20220110))
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    centralised = figures["quarantine"]["centralised"]
    assert centralised["total"] == 339
    assert centralised["by_category"] == {
        "close_contact": 2,
        "secondary_contact": 95,
        "inbound": 24,
        "risk_area": 218,
        "other": 0,
    }
    assert figures["quarantine"]["overdue_tests"] >= 1
    # The next test due kept on each measure agrees with its scheduled tests.
    from fangkong.measures.models import Measure

    assert Measure.objects.filter(next_test_due__lt=dt.date.today()).exists()
    near_full = Site.objects.get(name="吉首市乾州集中隔离点")
    used = near_full.placements.filter(ended_at__isnull=True).count()
    assert used / 60 >= 0.9
