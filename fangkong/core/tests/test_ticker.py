import io

from django.core.management import call_command

from fangkong.core.management.commands.ticker import PERIODIC_COMMANDS


def test_one_round_runs_every_periodic_duty_without_failure(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("ticker", "--once", stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert len(PERIODIC_COMMANDS) == 7
