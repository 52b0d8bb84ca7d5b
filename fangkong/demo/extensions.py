"""The modules' parts of the demo city, run after the world is built, in this order.

Each entry is called as `builder(world, rng)` with its own random stream derived from the
seed, so adding a module never changes what the others generate.
"""

import random
from importlib import import_module

DEMO_EXTENSIONS: list[str] = [
    "fangkong.checkpoints.demo.build_checkpoints",
    "fangkong.checkpoints.demo.build_risk_areas",
    "fangkong.screening.demo.build_screening_demo",
    "fangkong.checkpoints.demo.build_traffic",
    "fangkong.arrivals.demo.build_arrivals",
    # After the builders that also place people in quarantine: it tops up to the speech's 339.
    "fangkong.measures.demo.build_measures_demo",
    "fangkong.reports.demo.build_reports_demo",
]


def run_demo_extensions(world, *, seed: int, stdout=None) -> None:
    for index, dotted in enumerate(DEMO_EXTENSIONS):
        module, name = dotted.rsplit(".", 1)
        builder = getattr(import_module(module), name)
        builder(world, random.Random(seed * 1000 + index))
        if stdout is not None:
            stdout.write(f"  · {dotted}\n")
