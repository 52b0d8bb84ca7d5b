"""The platform's WSGI application under cProfile, for one gunicorn worker of a benchmark.

The profile covers requests only (not start-up) and counts the worker's CPU time, not the wall
clock, so that time spent waiting for PostgreSQL or for a busy machine does not hide where the
worker's own work goes. It is written to BENCH_PROFILE_OUT when the worker exits;
checkpoint_load.py --profile prints its top entries.
"""

from __future__ import annotations

import atexit
import cProfile
import os
import time

from config.wsgi import application as _application

_profile = cProfile.Profile(time.process_time)


def application(environ, start_response):
    _profile.enable()
    try:
        return _application(environ, start_response)
    finally:
        _profile.disable()


@atexit.register
def _dump() -> None:
    target = os.environ.get("BENCH_PROFILE_OUT")
    if target:
        _profile.dump_stats(target)
