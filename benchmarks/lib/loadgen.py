"""A bounded load generator for loopback benchmarks: wrk when installed, else http.client
threads. Both stop by themselves after the given seconds; wrk is stopped by its PID."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

WRK_SCRIPT = r"""
local bodies = {}
local token = os.getenv("BENCH_TOKEN") or ""
local path = os.getenv("BENCH_BODIES") or ""
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("offset", threads * 7919)
end
init = function(args)
  if path ~= "" then
    for line in io.lines(path) do bodies[#bodies + 1] = line end
  end
  counter = offset
end
request = function()
  local headers = {["Authorization"] = "Bearer " .. token}
  if #bodies > 0 then
    counter = counter % #bodies + 1
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", nil, headers, bodies[counter])
  end
  return wrk.format("GET", nil, headers, nil)
end
done = function(summary, latency, requests)
  local points = {}
  for i = 0, 99 do points[#points + 1] = string.format("%d", latency:percentile(i + 0.5)) end
  io.write(string.format(
    'JSON{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d,"p50":%d,"p99":%d,"points":[%s]}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(points, ",")))
end
"""


def merge(results: list[dict]) -> dict:
    """Runs of one endpoint taken as one: throughput over their summed time, errors summed,
    p50/p99 from their latency distributions weighted by their requests."""
    requests = sum(r["requests"] for r in results)
    seconds = sum(r["seconds"] for r in results)
    weighted = sorted(
        (point, r["requests"] / 100) for r in results for point in r.get("points_ms", [])
    )
    total = sum(w for _p, w in weighted) or 1

    def percentile(q: float) -> float:
        seen = 0.0
        for point, weight in weighted:
            seen += weight
            if seen >= total * q:
                return point
        return weighted[-1][0] if weighted else 0.0

    merged = {
        "generator": results[0]["generator"],
        "runs": len(results),
        "requests": requests,
        "seconds": round(seconds, 2),
        "rps": requests / seconds if seconds else 0.0,
        "p50_ms": percentile(0.50),
        "p99_ms": percentile(0.99),
        "worst_run_p99_ms": max(r["p99_ms"] for r in results),
        "errors": sum(r["errors"] for r in results),
    }
    details = [r["error_detail"] for r in results if "error_detail" in r]
    if details:
        merged["error_detail"] = {k: sum(d[k] for d in details) for k in details[0]}
    return merged


def run_load(url: str, *, seconds: int, connections: int, token: str, bodies: Path | None):
    if shutil.which("wrk"):
        return _wrk(url, seconds, connections, token, bodies)
    return _threads(url, seconds, connections, token, bodies)


def _wrk(url, seconds, connections, token, bodies) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    env = {**os.environ, "BENCH_TOKEN": token, "BENCH_BODIES": str(bodies or "")}
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
               "-s", script.name, url]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    try:
        out, _ = process.communicate(timeout=seconds + 30)
    except subprocess.TimeoutExpired:
        process.kill()  # by PID: the wrk we started
        out, _ = process.communicate()
    finally:
        Path(script.name).unlink()
    line = next(x for x in out.splitlines() if x.startswith("JSON"))
    raw = json.loads(line[4:])
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    # Sync workers close the connection after each response: wrk counts the reconnects as
    # read errors only when a response was cut short, which is what we want to see.
    return {
        "generator": "wrk",
        "requests": raw["requests"],
        "seconds": raw["duration_us"] / 1e6,
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        # The latency at the middle of each percent of requests, for merging runs.
        "points_ms": [x / 1000 for x in raw["points"]],
        "p50_ms": raw["p50"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "errors": errors,
        "error_detail": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
    }


def _threads(url, seconds, connections, token, bodies) -> dict:
    parts = urlsplit(url)
    lines = bodies.read_text().splitlines() if bodies else []
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset: int) -> None:
        i = offset
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            headers = {"Authorization": f"Bearer {token}"}
            body = None
            method = "GET"
            if lines:
                i = (i + 1) % len(lines)
                body, method = lines[i].encode(), "POST"
                headers["Content-Type"] = "application/json"
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
                conn.request(method, parts.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(n * 7919,)) for n in range(connections)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    n = len(latencies)
    points = (
        [latencies[min(int((i + 0.5) * n / 100), n - 1)] * 1000 for i in range(100)] if n else []
    )
    return {
        "generator": "http.client threads",
        "requests": n,
        "seconds": elapsed,
        "rps": n / elapsed,
        "points_ms": points,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
        "errors": errors[0],
    }
