import io
import json

from django.core.management import call_command

from fangkong.demo.extensions import run_demo_extensions


def test_the_demo_city_has_the_speechs_339_in_centralised_quarantine(world):
    run_demo_extensions(world, seed=7)
    out = io.StringIO()
    call_command("stats", "--json", stdout=out)
    centralised = json.loads(out.getvalue())["quarantine"]["centralised"]
    assert centralised["total"] == 339
    assert centralised["by_category"] == {
        "close_contact": 2,
        "secondary_contact": 95,
        "inbound": 24,
        "risk_area": 218,
        "other": 0,
    }
