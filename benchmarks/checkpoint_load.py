"""Checkpoint verdict endpoint under load, against a trivial endpoint of the same server.

    uv run python benchmarks/checkpoint_load.py [--seconds 60] [--workers 2] [--connections 32]

Needs PostgreSQL: without a postgres DATABASE_URL it runs itself again under
scripts/with-postgres.sh (a throwaway cluster on loopback, stopped by its PID when done).
It loads 1,000,000 people and 1,000,000 past checkpoint records with COPY (and the 300,000
arrivals with 600,000 obligations that a month of such checks opened), starts gunicorn
(sync workers, production settings, persistent connections) on a free loopback port, then
drives POST /api/v1/checkpoints/{code}/screenings and GET /healthz for the same number of
seconds each with wrk (or, without wrk, a small threaded http.client generator), and prints
requests per second, p50/p99 latency, errors and the ratio of the two throughputs.
Everything it starts (gunicorn, the load generator) is stopped by PID; it stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SERVER_SETTINGS = "shared_buffers = 2GB"
SECRET = "bench-secret-key-0123456789-0123456789-0123456789"
FIELD_KEY = "bench-field-key-0123456789-0123456789-0123456789"
os.environ.update(FANGKONG_SECRET_KEY=SECRET, FANGKONG_FIELD_KEY=FIELD_KEY)

from lib.checkpoint_data import (  # noqa: E402
    CHECKPOINT_CODE,
    load_checks,
    load_people,
    prepare_world,
    request_bodies,
)
from lib.loadgen import merge, run_load  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--slices", type=int, default=6,
        help="alternate the two endpoints in this many slices of seconds/slices each",
    )  # fmt: skip
    parser.add_argument(
        "--profile", type=int, default=0, metavar="SECONDS",
        help="instead of measuring, drive one cProfile'd worker for SECONDS and print its profile",
    )  # fmt: skip
    parser.add_argument("--profile-out", help="keep the worker's profile in this file")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        script = ROOT / "scripts" / "with-postgres.sh"
        command = [str(script), sys.executable, str(Path(__file__).resolve()), *sys.argv[1:]]
        # The memory of a production server (and of the measurements in performance.md), not
        # the 128 MB PostgreSQL starts with.
        env = {"FANGKONG_PG_SETTINGS": SERVER_SETTINGS, **os.environ}
        return subprocess.call(command, cwd=ROOT, env=env)
    import django

    django.setup()
    _ensure_wrk()
    started = time.monotonic()
    token, destinations = prepare_world()
    world_s = time.monotonic() - started
    load_people(args.people)
    people_s = time.monotonic() - started - world_s
    load_checks(args.checks, people=args.people)
    _settle()
    print(
        f"loaded {args.people:,} people and {args.checks:,} checks in "
        f"{time.monotonic() - started:.0f} s (world {world_s:.0f} s, people {people_s:.0f} s, "
        f"checks {time.monotonic() - started - world_s - people_s:.0f} s)",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="checkpoint-bench-"))
    bodies = work / "bodies.jsonl"
    mix = request_bodies(bodies, people=args.people, destinations=destinations, count=20_000)
    if args.profile:
        _profile(args, token, bodies)
        return 0
    load_before = os.getloadavg()
    port = _free_port()
    server = _start_server(port, args.workers)
    try:
        _wait_ready(port)
        base = f"http://127.0.0.1:{port}"
        warm = dict(seconds=5, connections=args.connections, token=token, bodies=bodies)
        run_load(f"{base}/api/v1/checkpoints/{CHECKPOINT_CODE}/screenings", **warm)
        run_load(f"{base}/healthz", **{**warm, "bodies": None})
        # Both endpoints in alternating slices, so that both meet the same share of a machine
        # that other work may be using; each gets --seconds in all.
        load = dict(seconds=max(args.seconds // args.slices, 1), connections=args.connections,
                    token=token)  # fmt: skip
        verdict_url = f"{base}/api/v1/checkpoints/{CHECKPOINT_CODE}/screenings"
        slices = {"verdict": [], "trivial": []}
        for _ in range(args.slices):
            slices["verdict"].append(_measured(server, verdict_url, bodies, load))
            slices["trivial"].append(_measured(server, f"{base}/healthz", None, load))
        verdict, trivial = (_combined(slices[k]) for k in ("verdict", "trivial"))
    finally:
        _stop(server)
    _report(verdict, trivial, mix, args, load_before, os.getloadavg())
    for path in work.iterdir():
        path.unlink()
    work.rmdir()
    return 0 if verdict["errors"] == 0 and trivial["errors"] == 0 else 1


def _settle() -> None:
    """Vacuum the freshly loaded tables and write their pages out now, so that autovacuum and
    the checkpointer do not spend the measured minutes on the load's aftermath; then load the
    registry and its document index into shared buffers, as they are on a server that has been
    answering checks for a while (a fresh cluster would otherwise read a cold page from the
    operating system for almost every person looked up during the short measurement)."""
    from django.db import connection

    from fangkong.arrivals.models import Arrival, ArrivalObligation
    from fangkong.checkpoints.models import CheckRecord
    from fangkong.people.models import Person

    with connection.cursor() as cursor:
        for model in (Person, CheckRecord, Arrival, ArrivalObligation):
            cursor.execute(f"VACUUM (FREEZE, ANALYZE) {model._meta.db_table}")
        cursor.execute("CHECKPOINT")
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_prewarm'")
        if cursor.fetchone() is None:
            print("pg_prewarm is not available: the registry starts cold", flush=True)
            return
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        cursor.execute(
            "SELECT pg_prewarm(%s), pg_prewarm('person_document_unique')",
            [Person._meta.db_table],
        )


def _measured(server: subprocess.Popen, url: str, bodies: Path | None, load: dict) -> dict:
    """run_load, with the CPU time that the server's workers, PostgreSQL and the load generator
    each spent per request: on a machine of two cores, what the throughput is made of."""
    before = _cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_load(url, bodies=bodies, **load)
    after = _cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN)
    generator = (after[1].ru_utime + after[1].ru_stime) - (before[1].ru_utime + before[1].ru_stime)
    result["cpu_seconds"] = {
        "workers": after[0][0] - before[0][0],
        "postgres": after[0][1] - before[0][1],
        "generator": generator,
    }
    return result


def _combined(results: list[dict]) -> dict:
    combined = merge(results)
    n = max(combined["requests"], 1)
    combined["cpu_ms_per_request"] = {
        key: round(sum(r["cpu_seconds"][key] for r in results) * 1000 / n, 3)
        for key in ("workers", "postgres", "generator")
    }
    combined["slices_rps"] = [round(r["rps"]) for r in results]
    return combined


def _cpu_seconds(gunicorn_pid: int) -> tuple[float, float]:
    """(CPU seconds of the gunicorn workers, of this cluster's PostgreSQL processes), read from
    /proc; the cluster is found as the parent of this process's own database backend."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        postmaster = _stat(cursor.fetchone()[0])[1]
    workers = postgres = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is None:
            continue
        if stat[1] == gunicorn_pid:
            workers += stat[2]
        elif stat[1] == postmaster or int(entry.name) == postmaster:
            postgres += stat[2]
    return workers, postgres


def _stat(pid: int) -> tuple[int, int, float] | None:
    """(pid, parent pid, user + system CPU seconds) of a process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return pid, int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks


def _ensure_wrk() -> None:
    """wrk from Debian when it can be had; otherwise the bounded Python generator is used."""
    if shutil.which("wrk"):
        return
    script = ROOT / "scripts" / "system-packages.sh"
    if subprocess.call([str(script), "wrk"], cwd=ROOT) != 0 or not shutil.which("wrk"):
        print("wrk is not installed: using the Python load generator", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _profile(args, token: str, bodies: Path) -> None:
    """One worker under cProfile (benchmarks/lib/profiled_wsgi.py), driven with few
    connections; prints where the worker's time goes per request."""
    import pstats

    out = Path(args.profile_out).resolve() if args.profile_out else bodies.parent / "worker.prof"
    port = _free_port()
    server = _start_server(
        port, 1, app="lib.profiled_wsgi:application", extra_env={"BENCH_PROFILE_OUT": str(out)}
    )
    try:
        _wait_ready(port)
        url = f"http://127.0.0.1:{port}/api/v1/checkpoints/{CHECKPOINT_CODE}/screenings"
        run_load(url, seconds=3, connections=2, token=token, bodies=bodies)
        result = run_load(url, seconds=args.profile, connections=2, token=token, bodies=bodies)
    finally:
        _stop(server)
    print(f"profiled worker: {result['requests']} requests (+ warm-up), {result['rps']:.0f}/s")
    stats = pstats.Stats(str(out))
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)


def _start_server(
    port: int, workers: int, app: str = "config.wsgi", extra_env: dict | None = None
) -> subprocess.Popen:
    env = {
        **os.environ,
        "FANGKONG_ENV": "production",
        "FANGKONG_ALLOWED_HOSTS": "127.0.0.1",
        "FANGKONG_SSL_REDIRECT": "0",
        "FANGKONG_CONN_MAX_AGE": "600",
        "FANGKONG_LOG_LEVEL": "ERROR",
        **(extra_env or {}),
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [
        str(gunicorn), app, "--pythonpath", str(ROOT / "benchmarks"),
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--worker-class", "sync", "--backlog", "2048", "--log-level", "error",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def _wait_ready(port: int, timeout: float = 60) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not become ready")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)  # gunicorn's master stops its own workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()


def _report(verdict: dict, trivial: dict, mix: dict, args, before, after) -> None:
    ratio = verdict["rps"] / trivial["rps"] if trivial["rps"] else 0.0
    print(
        f"\ncheckpoint load: {args.workers} gunicorn sync workers, {args.connections} "
        f"connections, {args.seconds} s each in {args.slices} alternating slices, generator "
        f"{verdict['generator']}; "
        f"{args.people:,} people, {args.checks:,} past checks"
    )
    b, a = (" ".join(f"{x:.2f}" for x in avg) for avg in (before, after))
    print(f"load average (1, 5, 15 min) before: {b}; after: {a}")
    print(f"request mix: {json.dumps(mix, ensure_ascii=False)}")
    print(f"{'endpoint':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>10}")
    for label, r in (("POST verdict", verdict), ("GET /healthz (trivial)", trivial)):
        print(
            f"{label:<28}{r['rps']:>10.0f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}{r['errors']:>10}"
        )
    print(f"ratio verdict / trivial: {ratio:.2f}")
    print(f"req/s by slice: verdict {verdict['slices_rps']}, trivial {trivial['slices_rps']}")
    print("CPU ms per request      workers  postgres  generator")
    for label, r in (("POST verdict", verdict), ("GET /healthz (trivial)", trivial)):
        cpu = r.get("cpu_ms_per_request", {})
        print(f"{label:<23}{cpu.get('workers', 0):>8.3f}{cpu.get('postgres', 0):>10.3f}"
              f"{cpu.get('generator', 0):>11.3f}")  # fmt: skip
    ok = verdict["errors"] == 0 and verdict["p99_ms"] < 50 and ratio >= 0.5
    print(f"targets (no errors, p99 < 50 ms, ratio >= 0.5): {'met' if ok else 'NOT met'}")
    print(json.dumps({"verdict": verdict, "trivial": trivial, "ratio": round(ratio, 3),
                      "loadavg_before": before, "loadavg_after": after}))  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
