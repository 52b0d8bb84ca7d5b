"""scripts/with-postgres.sh removes its throwaway cluster however the command's output ends."""

import re
import subprocess
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "with-postgres.sh"


@pytest.mark.skipif(
    not Path("/usr/lib/postgresql/15/bin/postgres").exists(), reason="no PostgreSQL 15 server"
)
def test_the_cluster_is_removed_when_the_reader_of_the_output_goes_away():
    """`... 2>&1 | head` closes the pipe while the command still writes: the cleanup's own
    messages then fail, and it must still stop the server and remove the folder."""
    if connection.vendor == "postgresql":
        pytest.skip("the script does not depend on the suite's database: run once, on SQLite")
    command = (
        f"{SCRIPT} sh -c 'for i in $(seq 100); do echo line $i; sleep 0.05; done' 2>&1 | head -3"
    )
    shown = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, timeout=120
    ).stdout
    folder = Path(re.search(r"cluster in (\S+)", shown).group(1))
    deadline = time.monotonic() + 60
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not folder.exists()
