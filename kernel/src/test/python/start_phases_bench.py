"""Where a cold session start goes: N cold pyspark sessions on one real gateway, each from POST /sessions to idle and
to the first result of `spark.range(10).count()`, with the phases the engine logs (`start phases: ...` in the session
log), interleaved run by run with a bare pyspark `SparkSession.builder.getOrCreate()` + the same count in a fresh
Python process. Run by `bin/hearth bench phases [--runs N]`; figures in docs/benchmarks.md.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

from conftest import Gateway, processes_with_marker

BARE = ("from pyspark.sql import SparkSession\n"
        "spark = SparkSession.builder.getOrCreate()\n"
        "assert spark.range(10).count() == 10\n")
PHASES = re.compile(r"start phases: (.*)")


def cold_start(url):
    """Seconds POST -> idle and POST -> first count's result, and the engine's phases (name -> ms)."""
    t0 = time.monotonic()
    s = requests.post(url + "/sessions", json={"kind": "pyspark"}).json()
    path = f"{url}/sessions/{s['id']}"
    while True:
        state = requests.get(path).json()["state"]
        if state == "idle":
            break
        if state in ("dead", "error", "killed"):
            raise RuntimeError(f"session {s['id']} is {state}: {requests.get(path + '/log?size=200').json()}")
        time.sleep(0.01)
    idle = time.monotonic() - t0
    st = requests.post(path + "/statements", json={"code": "spark.range(10).count()"}).json()
    while True:
        st = requests.get(f"{path}/statements/{st['id']}?wait=30s").json()
        if st["state"] == "available":
            break
    first = time.monotonic() - t0
    if st["output"]["status"] != "ok" or "10" not in st["output"]["data"]["text/plain"]:
        raise RuntimeError(f"unexpected result {st['output']}")
    phases = {}
    for line in requests.get(path + "/log?from=0&size=100000").json()["log"]:
        m = PHASES.search(line)
        if m:
            phases = {k: float(v.rstrip("ms")) for k, v in (p.split("=") for p in m.group(1).split())}
    requests.delete(path)
    return idle, first, phases


def bare_start(python):
    t0 = time.monotonic()
    subprocess.run([python, "-c", BARE], check=True, capture_output=True)
    return time.monotonic() - t0


def row(label, values, unit=1000.0):
    v = [x * unit for x in values]
    return (f"| {label} | {len(v)} | {statistics.median(v):.0f} ms | {min(v):.0f} ms | {max(v):.0f} ms | "
            f"{(statistics.stdev(v) if len(v) > 1 else 0):.0f} ms |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7, help="cold starts of each kind, after one warm-up of each")
    args = parser.parse_args()
    marker = uuid.uuid4().hex
    python = os.environ.get("HEARTH_PYTHON", sys.executable)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    idles, firsts, bares, phases = [], [], [], {}
    with tempfile.TemporaryDirectory(prefix="hearth-bench-phases-") as tmp:
        gateway = Gateway(marker, Path(tmp) / "gateway.log", HEARTH_POOL_SIZE="0")
        try:
            cold_start(gateway.url)
            bare_start(python)
            for i in range(args.runs):
                idle, first, engine = cold_start(gateway.url)
                bare = bare_start(python)
                idles.append(idle)
                firsts.append(first)
                bares.append(bare)
                for k, v in engine.items():
                    phases.setdefault(k, []).append(v)
                print(f"run {i + 1}: idle {idle * 1000:.0f} ms, first result {first * 1000:.0f} ms, bare pyspark "
                      f"{bare * 1000:.0f} ms; engine {engine}", flush=True)
        finally:
            gateway.stop()
            for pid in processes_with_marker(marker):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    print("\n| measured | runs | p50 | min | max | stdev |")
    print("|---|---|---|---|---|---|")
    print(row("Hearth: POST -> idle", idles))
    print(row("Hearth: POST -> first `spark.range(10).count()`", firsts))
    print(row("bare pyspark: process start -> same count", bares))
    for name, values in phases.items():
        print(row(f"engine phase `{name}`", values, unit=1.0))
    print(f"\nHearth / bare pyspark, p50: {statistics.median(firsts) / statistics.median(bares):.2f}; "
          f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
