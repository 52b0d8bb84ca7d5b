"""The modules' parts of the demo city, run after the world is built, in this order.

Each entry is called as `builder(world, rng)` with its own random stream derived from the
seed, so adding a module never changes what the others generate.
"""

import random
import zlib
from importlib import import_module

DEMO_EXTENSIONS: list[str] = [
    "fangkong.checkpoints.demo.build_checkpoints",
    "fangkong.checkpoints.demo.build_risk_areas",
    # Before the checks and self-reports, whose transfers look for a free bed.
    "fangkong.measures.demo.build_sites",
    "fangkong.screening.demo.build_screening_demo",
    "fangkong.checkpoints.demo.build_traffic",
    "fangkong.arrivals.demo.build_arrivals",
    "fangkong.arrivals.demo.build_self_reports",
    # After the builders that also place people in quarantine: it tops up to the speech's 339.
    "fangkong.measures.demo.build_measures_demo",
    "fangkong.reports.demo.build_reports_demo",
]


def run_demo_extensions(world, *, seed: int, stdout=None) -> None:
    for dotted in DEMO_EXTENSIONS:
        module, name = dotted.rsplit(".", 1)
        builder = getattr(import_module(module), name)
        # Derived from the builder's name, not its place in the list: inserting a builder
        # leaves the others' data as it was.
        builder(world, random.Random(seed * 1000 + zlib.crc32(dotted.encode())))
        if stdout is not None:
            stdout.write(f"  · {dotted}\n")
