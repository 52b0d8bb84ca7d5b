"""An import is atomic: a crash or a kill leaves the whole batch or nothing."""

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DataError, connection

from fangkong.people.models import Person
from fangkong.screening import merge
from fangkong.screening.models import PersonSource, ScreeningBatch, ScreeningRecord

from .conftest import HEADER, csv_bytes, row

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("killable_import.py")


def _ids(count: int) -> list[str]:
    from fangkong.core.identity import check_character

    out = []
    for n in range(count):
        born = dt.date(1990, 1, 1) + dt.timedelta(days=n // 1000)
        first17 = f"433101{born:%Y%m%d}{n % 1000:03d}"
        out.append(first17 + check_character(first17))
    return out


def _rows(count: int) -> bytes:
    ids = _ids(count)
    return csv_bytes(
        [HEADER] + [row(n, "张三", ids[n], address="吉首市峒河街道峒河社区") for n in range(count)]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("failure", ["process", "database"])
def test_a_crash_in_the_middle_of_the_merge_stores_nothing(run_import, monkeypatch, failure):
    """The error that stopped the merge is the one raised (a database error leaves the
    transaction unusable: nothing may run after it but the rollback)."""
    people_before = Person.objects.count()

    def crash(batch, people):
        assert ScreeningRecord.objects.filter(batch=batch).count() == 20  # written, then…
        if failure == "database":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 / (COUNT(*) - COUNT(*)) FROM " + people)
        raise RuntimeError("disk full")

    monkeypatch.setattr(merge, "_link_open_lists", crash)
    expected = DataError if failure == "database" and connection.vendor == "postgresql" else None
    with pytest.raises(expected or RuntimeError):
        run_import(_rows(20))
    assert ScreeningBatch.objects.count() == 0
    assert ScreeningRecord.objects.count() == 0 and PersonSource.objects.count() == 0
    assert Person.objects.count() == people_before


def _child(db, path, mode):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), str(db), str(path), mode],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _counts(db) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("screening_screeningbatch", "screening_screeningrecord", "people_person")
        )


def test_an_import_killed_while_writing_or_merging_leaves_nothing(tmp_path):
    db, path = tmp_path / "kill.sqlite3", tmp_path / "list.csv"
    path.write_bytes(_rows(2000))
    setup = _child(db, path, "setup")
    assert setup.wait(timeout=300) == 0, setup.stderr.read()
    before = _counts(db)
    for mode in ("writing", "merging"):
        child = _child(db, path, mode)
        try:
            line = child.stdout.readline().strip()
            assert line == mode, child.stderr.read()
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=60)
        assert _counts(db) == before


def test_generated_ids_are_valid():
    from fangkong.core.identity import parse_resident_id

    assert all(parse_resident_id(i) for i in _ids(1500))
