"""Render a sample bulletin (综合日报) to docs/: build a small demo city in a throwaway SQLite
database, compile yesterday's bulletin, convert it with LibreOffice and picture page one.

    uv run python scripts/render-bulletin.py [docs/bulletin-sample.png]

Needs LibreOffice and pdftoppm (poppler-utils); fonts come from fonts-noto-cjk through the
bulletin's fonts.conf.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "bulletin-sample.png")
    work = Path(tempfile.mkdtemp(prefix="fangkong-bulletin-"))
    try:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "FANGKONG_VAR_DIR": str(work),
                "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite3'}",
                "FANGKONG_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            }
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.utils import timezone

        call_command("migrate", verbosity=0)
        from fangkong.demo.world import TEST_SPEC, build_world

        world = build_world(TEST_SPEC)
        rng = random.Random(20220110)
        try:
            from fangkong.measures.demo import build_measures_demo
        except ModuleNotFoundError:
            pass
        else:
            build_measures_demo(world, rng)
        from fangkong.reports.bulletin.convert import convert
        from fangkong.reports.bulletins import bulletin_filename, bulletin_render
        from fangkong.reports.demo import build_reports_demo
        from fangkong.reports.models import ReportingPeriod

        build_reports_demo(world, rng)
        period = ReportingPeriod.objects.get()
        day = timezone.localdate() - __import__("datetime").timedelta(days=1)
        docx = work / bulletin_filename(period, day, "docx")
        docx.write_bytes(bulletin_render(period, day, "docx"))
        pdf = convert(docx, to="pdf", out_dir=work)
        stem = work / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(stem.with_suffix(".png"), target)
        print(f"{target} ({target.stat().st_size:,} bytes)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
