"""Session start benchmark for docs/benchmarks.md ("Instant sessions"): `bin/hearth bench start`.

Usage: python start_bench.py [--runs N] [--warmup N]

Table A, the first cell of a new notebook: from starting the Hearth PySpark kernel from its kernelspec (jupyter_client,
as a notebook front end does) to the `execute_result` of `spark.range(10).count()`, sent as soon as the kernel is ready
the way jupyter_server's kernel nudge sees it: a kernel_info_reply on shell and a message on IOPub (so the result cannot
be lost). jupyter_client's own wait_for_ready() then also waits for 0.2 s of silence on IOPub, which no notebook front
end pays; one row keeps it, for comparison with earlier runs. Rows: the default pool with early session start (the
kernel's default), the same readied by wait_for_ready(), the pool with
HEARTH_SESSION_START=first-cell, the pool off (HEARTH_POOL_SIZE=0), and a fresh Python process attaching to a Spark
Connect server that this script started (SparkSession.builder.remote) and counting the same, timed from process start
to the printed result.

Table B, a cold session start: POST /sessions (pyspark, pool off) -> idle (polled every 10 ms) -> the statement
`spark.range(10).count()` -> its result (long-poll), beside a fresh Python process running a bare pyspark
`SparkSession.builder.master('local[*]').getOrCreate()` and the same count, timed from process start to the result.

Two gateways are started once: one with the default pool, one with the pool off. All rows run interleaved, run by run,
the order rotating each run so that the machine's load falls on all alike. After every run the script waits until the
machine is back at rest for the next one: no sessions left, the gateway's engines gone (pool off) or the pool refilled
(read from /metrics), the Spark Connect client's process exited. Rows whose gateway has no pool (a gateway built before
the pool) are reported as "pool not available".
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from queue import Empty

from jupyter_client.manager import KernelManager

from conftest import Gateway, free_port, install_kernels, processes_with_marker, wait_until

CODE = "spark.range(10).count()"
EXPECTED = "10"
POOL_WARM = "default pool, early start"
POOL_WARM_CLIENT_WAIT = "default pool, early start, jupyter_client wait_for_ready()"
POOL_FIRST_CELL = "pool, early start off (first-cell)"
POOL_OFF = "pool off"
CONNECT = "Spark Connect attach (fresh Python process)"
HEARTH_COLD = "Hearth: POST /sessions -> idle -> result (pool off)"
BARE = "bare pyspark getOrCreate() + count (fresh Python process)"
TABLE_A = (POOL_WARM, POOL_WARM_CLIENT_WAIT, POOL_FIRST_CELL, POOL_OFF, CONNECT)
TABLE_B = (HEARTH_COLD, BARE)
PYSPARK_HOME = Path(__import__("pyspark").__file__).parent


def percentile(values, p):
    """The p-th percentile of values, interpolated linearly between the two nearest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = p / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def row(label, values, note=""):
    """One Markdown table row: runs, p50, p10-p90, min-max (values in seconds, shown in ms), and a note."""
    if not values:
        return f"| {label} | 0 | | | | {note or 'not run'} |"
    ms = [v * 1000 for v in values]
    return (f"| {label} | {len(ms)} | {percentile(ms, 50):,.0f} ms | {percentile(ms, 10):,.0f}–{percentile(ms, 90):,.0f} ms"
            f" | {min(ms):,.0f}–{max(ms):,.0f} ms | {note} |")


def table(labels, results, notes):
    lines = ["| row | runs | p50 | p10–p90 | min–max | note |", "|---|---|---|---|---|---|"]
    lines += [row(label, results.get(label, []), notes.get(label, "")) for label in labels]
    return "\n".join(lines)


def ratio(results, numerator, denominator):
    """p50 of numerator / p50 of denominator, or None when either has no runs."""
    if not results.get(numerator) or not results.get(denominator):
        return None
    return percentile(results[numerator], 50) / percentile(results[denominator], 50)


def get_json(url, method="GET", body=None, timeout=70):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read()
    return json.loads(text) if text else None


def metrics(gateway):
    with urllib.request.urlopen(gateway.url + "/metrics", timeout=30) as response:
        return response.read().decode()


def pool_gauges(gateway):
    """The gateway's pool gauges from /metrics ({name: value} for every hearth_pool_* sample), empty without a pool."""
    found = {}
    for line in metrics(gateway).splitlines():
        match = re.match(r"(hearth_pool_[a-z_]+)(\{[^}]*\})?\s+([0-9.eE+-]+)$", line)
        if match:
            found[match.group(1) + (match.group(2) or "")] = float(match.group(3))
    return found


def pool_full(gateway):
    """Whether every engine in the pool is ready: engines made ready (refills) less those handed out (hits) cover the
    pool's engines (started or starting), per the pool's /metrics."""
    gauges = pool_gauges(gateway)
    engines = sum(v for k, v in gauges.items() if k.startswith("hearth_pool_engines"))  # by state: ready, starting
    ready = gauges.get("hearth_pool_refill_duration_seconds_count", 0) - gauges.get("hearth_pool_hits_total", 0)
    return engines >= 1 and ready >= engines


def no_sessions(gateway):
    return get_json(gateway.url + "/sessions")["total"] == 0


def at_rest(gateway, pooled):
    """Waits until the gateway has no sessions and only its pool's engines (or none) run."""
    wait_until(lambda: no_sessions(gateway), 120, what=f"no sessions on {gateway.url}")
    if pooled:
        wait_until(lambda: pool_full(gateway), 300, interval=0.1, what=f"the pool of {gateway.url} to refill")
    else:
        wait_until(lambda: processes_with_marker(gateway.marker) == [gateway.process.pid], 120,
                   what=f"the engines of {gateway.url} to exit")


def start_mode(gateway):
    """The `start.mode` (warm/warming/cold) of the gateway's only session, or None if the gateway does not report it."""
    sessions = get_json(gateway.url + "/sessions")["sessions"]
    return (sessions[0].get("start") or {}).get("mode") if len(sessions) == 1 else None


def nudge_ready(kc, timeout=120):
    """Returns once the kernel answered kernel_info on shell and IOPub delivered a message: what jupyter_server's nudge
    waits for before a notebook's first execute_request can rely on IOPub (a SUB socket drops what is published before
    it is connected). Asks again each second, as the nudge does."""
    deadline = time.monotonic() + timeout
    replied = iopub_seen = False
    while time.monotonic() < deadline:
        msg_id = kc.kernel_info()
        ask_again = time.monotonic() + 1
        while time.monotonic() < ask_again:
            try:
                if kc.get_shell_msg(timeout=0.005)["parent_header"].get("msg_id") == msg_id:
                    replied = True
            except Empty:
                pass
            try:
                kc.get_iopub_msg(timeout=0.005)
                iopub_seen = True
            except Empty:
                pass
            if replied and iopub_seen:
                return
    raise AssertionError(f"the kernel was not ready within {timeout} s (kernel_info {replied}, IOPub {iopub_seen})")


def first_cell(kernel_name, env, gateway, client_wait=False):
    """Starts the kernel, runs CODE once it is ready (nudge_ready, or jupyter_client's wait_for_ready with client_wait);
    returns (seconds from kernel start to the result, the session's start mode)."""
    km = KernelManager(kernel_name=kernel_name)
    began = time.perf_counter()
    km.start_kernel(env={**os.environ, **env})
    kc = km.client()
    try:
        kc.start_channels()
        if client_wait:
            kc.wait_for_ready(timeout=120)
        else:
            nudge_ready(kc)
        msg_id = kc.execute(CODE)
        result = None
        while result is None:
            msg = kc.get_iopub_msg(timeout=300)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "execute_result":
                result = msg["content"]["data"].get("text/plain", "")
                took = time.perf_counter() - began
            elif msg["msg_type"] == "error":
                raise AssertionError(f"{kernel_name}: {CODE} failed: {msg['content']['traceback']}")
        if result.strip() != EXPECTED:
            raise AssertionError(f"{kernel_name}: {CODE} showed {result!r}, not {EXPECTED!r}")
        reply = kc.get_shell_msg(timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
        return took, start_mode(gateway)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def fresh_python(code, log_path):
    """Runs code in a new Python process; returns the seconds from its start to its printed EXPECTED line, after it
    exited (so that it loads nothing after)."""
    with open(log_path, "ab") as log:
        began = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=log, cwd=log_path.parent,
                                   env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"})
        took = None
        for line in process.stdout:
            if line.decode().strip() == EXPECTED:
                took = time.perf_counter() - began
        process.wait(120)
    if took is None:
        raise AssertionError(f"no {EXPECTED} from {code!r} (exit {process.returncode}); see {log_path}")
    return took


def bare_pyspark_code():
    return ("from pyspark.sql import SparkSession\n"
            "spark = SparkSession.builder.master('local[*]').getOrCreate()\n"
            f"print({CODE}, flush=True)\n")


def connect_code(port):
    return ("from pyspark.sql import SparkSession\n"
            f"spark = SparkSession.builder.remote('sc://127.0.0.1:{port}').getOrCreate()\n"
            f"print({CODE}, flush=True)\n")


class SparkConnectServer:
    """A Spark Connect server from the venv's pyspark distribution, on a free loopback port, in its own process group."""

    def __init__(self, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [str(PYSPARK_HOME / "bin" / "spark-submit"), "--class",
             "org.apache.spark.sql.connect.service.SparkConnectServer",
             "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
             "--conf", f"spark.connect.grpc.binding.port={self.port}", "spark-internal"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "SPARK_HOME": str(PYSPARK_HOME), "SPARK_LOCAL_IP": "127.0.0.1"})
        wait_until(self._started, 300, what=f"the Spark Connect server (log: {log_path})")

    def _started(self):
        if self.process.poll() is not None:
            raise AssertionError(f"Spark Connect server exited with {self.process.returncode}: see {self.log_path}")
        return "Spark Connect server started at" in Path(self.log_path).read_text(errors="replace")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def cold_session(gateway):
    """POST /sessions -> idle (polled every 10 ms) -> CODE's result; returns the seconds, after deleting the session."""
    began = time.perf_counter()
    session = get_json(gateway.url + "/sessions", "POST", {"kind": "pyspark"})
    url = f"{gateway.url}/sessions/{session['id']}"
    try:
        while (state := get_json(url)["state"]) != "idle":
            if state in ("dead", "error", "killed", "shutting_down"):
                raise AssertionError(f"session {session['id']} is {state}")
            time.sleep(0.01)
        statement = get_json(url + "/statements", "POST", {"code": CODE})
        while statement["state"] not in ("available", "error", "cancelled"):
            statement = get_json(f"{url}/statements/{statement['id']}?wait=60s")
        took = time.perf_counter() - began
        output = statement["output"]
        shown = output.get("data", {}).get("text/plain", "") if output else ""
        if output is None or output["status"] != "ok" or shown.strip() != EXPECTED:
            raise AssertionError(f"{CODE} gave {output}")
        return took
    finally:
        get_json(url, "DELETE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10, help="runs of every row")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds of every row first")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hearth-start-bench-"))
    print(f"logs in {work}", file=sys.stderr)
    pooled = Gateway(uuid.uuid4().hex, work / "gateway-pool.log", HEARTH_POOL_SIZE="-1")
    unpooled = Gateway(uuid.uuid4().hex, work / "gateway-nopool.log", HEARTH_POOL_SIZE="0")
    connect = None
    try:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([
            str(install_kernels(work / "pool", pooled.url, "bench-pool", class_archive=True)),
            str(install_kernels(work / "nopool", unpooled.url, "bench-nopool", class_archive=True))])
        connect = SparkConnectServer(work / "spark-connect.log")
        has_pool = bool(pool_gauges(pooled))
        notes = {} if has_pool else {label: "pool not available"
                                     for label in (POOL_WARM, POOL_WARM_CLIENT_WAIT, POOL_FIRST_CELL)}
        modes = {label: [] for label in (POOL_WARM, POOL_WARM_CLIENT_WAIT, POOL_FIRST_CELL, POOL_OFF)}
        runs = {
            POOL_WARM: lambda: first_cell("bench-pool-pyspark", {"HEARTH_SESSION_START": "early"}, pooled),
            POOL_WARM_CLIENT_WAIT: lambda: first_cell("bench-pool-pyspark", {"HEARTH_SESSION_START": "early"}, pooled,
                                                      client_wait=True),
            POOL_FIRST_CELL: lambda: first_cell("bench-pool-pyspark", {"HEARTH_SESSION_START": "first-cell"}, pooled),
            POOL_OFF: lambda: first_cell("bench-nopool-pyspark", {}, unpooled),
            CONNECT: lambda: fresh_python(connect_code(connect.port), work / "connect-client.log"),
            HEARTH_COLD: lambda: cold_session(unpooled),
            BARE: lambda: fresh_python(bare_pyspark_code(), work / "bare-pyspark.log"),
        }
        labels = [label for label in TABLE_A + TABLE_B if label not in notes]
        results = {label: [] for label in labels}
        # Untimed rounds first: the first JVMs after a build read their jars from disk.
        at_rest(unpooled, False)
        if has_pool:
            at_rest(pooled, True)
        for n in range(-args.warmup, args.runs):
            for label in labels[n % len(labels):] + labels[:n % len(labels)]:
                value = runs[label]()
                if label in modes:
                    value, mode = value
                    if n >= 0:
                        modes[label].append(mode)
                if n >= 0:
                    results[label].append(value)
                at_rest(unpooled, False)
                if has_pool:
                    at_rest(pooled, True)
            # Each run's figures as they come, so that a run cut short still leaves its figures.
            print(f"run {n + 1}/{args.runs}: " + ", ".join(f"{label} {values[-1] * 1000:.0f} ms"
                                                       for label, values in results.items() if values)
                  if n >= 0 else "warm-up round done", file=sys.stderr, flush=True)
        for label, seen in modes.items():
            if seen and any(seen):
                counts = {mode: seen.count(mode) for mode in sorted(set(map(str, seen)))}
                notes[label] = "start: " + ", ".join(f"{m} {c}" for m, c in counts.items())
        print("\nTable A, first cell of a new notebook: kernel start -> result of " + CODE + "\n")
        print(table(TABLE_A, results, notes))
        warm_vs_connect = ratio(results, POOL_WARM, CONNECT)
        if warm_vs_connect is not None:
            print(f"\ndefault pool p50 / Spark Connect p50 = {warm_vs_connect:.2f} (target <= 1.2; "
                  f"default pool p50 target <= 1,000 ms)")
        print("\nTable B, cold session start (pool off) beside bare pyspark in a fresh Python process\n")
        print(table(TABLE_B, results, notes))
        cold_vs_bare = ratio(results, HEARTH_COLD, BARE)
        if cold_vs_bare is not None:
            print(f"\nHearth cold p50 / bare pyspark p50 = {cold_vs_bare:.2f} (target <= 0.7)")
    finally:
        if connect is not None:
            connect.stop()
        pooled.stop()
        unpooled.stop()


if __name__ == "__main__":
    main()
