"""Large results for docs/benchmarks.md: Livy clients' downloads of 100,000 rows, and the gateway's heap for 60 MiB.

Usage: python big_results_bench.py [--runs N] [--heaps 256,512] [--gateway-jar JAR] [--skip-downloads] [--skip-heap]

Downloads: one real gateway and one pyspark session on it, started by sparkmagic's own LivySession; a temp view of
100,000 rows x 4 columns (the Python tests' query). Then --runs times each, the two clients alternating: sparkmagic's
`%%sql -o df -n 100000` (its SQLQuery with the take method, as the magic runs it) and pylivy's LivySession.download()
of the same rows, each timed from the call until the pandas DataFrame is in hand (its rows checked).

Heap: for each -Xmx in --heaps, a fresh gateway with that heap (and -XX:+ExitOnOutOfMemoryError, so running out is
plain) and a session; one statement printing 60 MiB (629,145 lines of 100 bytes, then 60 bytes); the client waits for
its end with the long-poll, then GETs its Livy JSON and reads its event stream, each checked whole. Reports whether
that passed, how long each read took, and the gateway's live heap (jcmd GC.class_histogram, after a full GC) before the
statement and after it: what the gateway keeps of it. --gateway-jar runs another build's gateway (the engine is the
built one). Processes a run starts are found by a marker in their environment and ended by pid at the end.
"""
import argparse
import hashlib
import json
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

from conftest import GATEWAY_JAR, Gateway, processes_with_marker, wait_until

ROWS = 100_000
QUERY = "SELECT id, id % 52 AS week, concat('loaf-', id) AS name, id / 3 AS third FROM range(100000)"
LINES = 629_145
TAIL = 60
PRINTED = LINES * 100 + TAIL  # 62,914,560 bytes = 60 MiB
PRINT_60_MIB = ("import sys\n"
                f"for b in range(0, {LINES}, 10000):\n"
                f"    _ = sys.stdout.write(''.join('%08d\\t\"q\" %s\\n' % (i, 'y' * 86) for i in range(b, min(b + 10000, {LINES}))))\n"
                f"_ = sys.stdout.write('z' * {TAIL})")


def expected_digest():
    h = hashlib.sha256()
    filler = "y" * 86
    for b in range(0, LINES, 10000):
        h.update("".join('%08d\t"q" %s\n' % (i, filler) for i in range(b, min(b + 10000, LINES))).encode())
    h.update(b"z" * TAIL)
    return h.hexdigest()


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def lines(response):
    """The response's lines, joined from its chunks once each (requests' iter_lines re-joins a long line per chunk)."""
    pending = []
    for chunk in response.iter_content(chunk_size=1 << 20):
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            pending.append(chunk[start:end])
            yield b"".join(pending).decode()
            pending = []
            start = end + 1
        pending.append(chunk[start:])
    if any(pending):
        yield b"".join(pending).decode()


def start_session(url, **body):
    s = requests.post(url + "/sessions", json={"kind": "pyspark", **body}).json()
    wait_until(lambda: requests.get(f"{url}/sessions/{s['id']}").json()["state"] in ("idle", "dead"), 600,
               interval=0.5, what="the session")
    state = requests.get(f"{url}/sessions/{s['id']}").json()["state"]
    if state != "idle":
        raise RuntimeError(f"session {s['id']} is {state}")
    return s["id"]


def run(url, session, code):
    st = requests.post(f"{url}/sessions/{session}/statements", json={"code": code}).json()
    path = f"{url}/sessions/{session}/statements/{st['id']}"
    while True:
        st = requests.get(path + "?wait=30s").json()
        if st["state"] in ("available", "cancelled"):
            return path, st


def ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def summary(label, times):
    return (f"| {label} | {len(times)} | {ms(statistics.median(times))} | {ms(min(times))} | {ms(max(times))} |")


def downloads(args, marker, tmp):
    conf_dir = Path(tmp) / "sparkmagic"
    conf_dir.mkdir()
    gateway = Gateway(marker, Path(tmp) / "gateway-downloads.log", jar=args.gateway_jar)
    try:
        (conf_dir / "config.json").write_text(json.dumps({
            "kernel_python_credentials": {"username": "", "password": "", "url": gateway.url, "auth": "None"},
            "livy_session_startup_timeout_seconds": 600, "wait_for_idle_timeout_seconds": 600}))
        os.environ["SPARKMAGIC_CONF_DIR"] = str(conf_dir)  # read at sparkmagic's first import, below
        from conftest import Display
        from livy import LivySession as PylivySession
        from sparkmagic.livyclientlib.command import Command
        from sparkmagic.livyclientlib.endpoint import Endpoint
        from sparkmagic.livyclientlib.livyreliablehttpclient import LivyReliableHttpClient
        from sparkmagic.livyclientlib.livysession import LivySession
        from sparkmagic.livyclientlib.sqlquery import SQLQuery
        import sparkmagic.utils.configuration as conf

        client = LivyReliableHttpClient.from_endpoint(Endpoint(gateway.url, None))
        session = LivySession(client, conf.get_session_properties("python"), Display(), heartbeat_timeout=60)
        session.start()
        ok, out, _ = Command(f'loaves = spark.sql("{QUERY}")\nloaves.createOrReplaceTempView("loaves")\n'
                             'loaves.cache().count()').execute(session)
        assert ok, out
        pylivy = PylivySession(gateway.url, session.id, echo=False)
        times = {"sparkmagic `%%sql -o df -n 100000`": [], "pylivy `download()`": []}
        for i in range(args.runs + 1):
            for label in times:
                start = time.perf_counter()
                if label.startswith("sparkmagic"):
                    df = SQLQuery("SELECT * FROM loaves", samplemethod="take", maxrows=ROWS).execute(session)
                else:
                    df = pylivy.download("loaves")
                took = time.perf_counter() - start
                assert len(df) == ROWS and df["id"].tolist() == list(range(ROWS)), label
                if i > 0:  # the first round warms both up
                    times[label].append(took)
        pylivy.client.close()
        # The engine's own time for each of those statements, from its log: they alternate as the calls did.
        log = requests.get(f"{gateway.url}/sessions/{session.id}/log?size=-1").json()["log"]
        engine = [int(m.group(1)) / 1000 for line in log
                  if (m := re.search(r"StatementRunner: statement \d+ available in (\d+) ms", line))]
        engine = engine[len(engine) - 2 * args.runs:]
        session.delete()
        print("| 100,000 rows x 4 columns, call -> pandas DataFrame | runs | median | min | max |"
              " engine's own time, median |")
        print("|---|---|---|---|---|---|")
        for i, (label, t) in enumerate(times.items()):
            print(summary(label, t) + f" {ms(statistics.median(engine[i::2]))} |")
    finally:
        gateway.stop()


def live_heap(pid):
    """Bytes of live objects after a full GC (the class histogram forces one)."""
    out = subprocess.run(["jcmd", str(pid), "GC.class_histogram"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Total\s+\d+\s+(\d+)", out, re.M).group(1))


def heap(args, marker, tmp, xmx, expected):
    log = Path(tmp) / f"gateway-{xmx}.log"
    gateway = Gateway(marker, log, jar=args.gateway_jar, jvm_options=(f"-Xmx{xmx}", "-XX:+ExitOnOutOfMemoryError"))
    row = {"heap": xmx}
    try:
        session = start_session(gateway.url)
        before = live_heap(gateway.process.pid)
        start = time.perf_counter()
        path, st = run(gateway.url, session, PRINT_60_MIB)
        row["statement"] = time.perf_counter() - start
        assert st["output"]["status"] == "ok", st["output"]
        start = time.perf_counter()
        answer = requests.get(path)
        text = answer.json()["output"]["data"]["text/plain"]
        row["get"] = time.perf_counter() - start
        assert len(text) == PRINTED and digest(text) == expected, f"GET gave {len(text)} characters"
        del text, answer
        start = time.perf_counter()
        printed = []
        with requests.get(path + "/events", stream=True) as events:
            kind = None
            for line in lines(events):
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "output":
                    printed.append(json.loads(line[6:])["text"])
                elif line.startswith("data: ") and kind == "result":
                    result = json.loads(line[6:])
        row["events"] = time.perf_counter() - start
        assert digest("".join(printed)) == expected and result["output"]["status"] == "ok", "event stream"
        del printed, result
        row["kept"] = live_heap(gateway.process.pid) - before
        row["outcome"] = "passed"
    except Exception as e:  # a gateway that ran out of memory exited: say how it ended
        row["outcome"] = "failed: " + (f"gateway exited ({gateway.process.poll()})" if gateway.process.poll()
                                       is not None else repr(e)[:120])
    finally:
        gateway.stop()
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="timed downloads per client, after one warm-up each")
    parser.add_argument("--heaps", default="256m", help="comma list of gateway -Xmx values for the 60 MiB statement")
    parser.add_argument("--gateway-jar", default=str(GATEWAY_JAR), help="the gateway to measure (default: the built one)")
    parser.add_argument("--skip-downloads", action="store_true")
    parser.add_argument("--skip-heap", action="store_true")
    args = parser.parse_args()
    marker = uuid.uuid4().hex
    print(f"gateway {args.gateway_jar}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="hearth-bench-results-") as tmp:
        try:
            if not args.skip_downloads:
                downloads(args, marker, tmp)
            if not args.skip_heap:
                expected = expected_digest()
                print("\n| gateway -Xmx | 60 MiB statement | POST -> end | GET Livy JSON | event stream | kept after"
                      " (live heap) |")
                print("|---|---|---|---|---|---|")
                for xmx in args.heaps.split(","):
                    r = heap(args, marker, tmp, xmx.strip(), expected)
                    print(f"| {r['heap']} | {r['outcome']} | {ms(r['statement']) if 'statement' in r else '-'} | "
                          f"{ms(r['get']) if 'get' in r else '-'} | {ms(r['events']) if 'events' in r else '-'} | "
                          f"{r['kept'] / 2**20:.0f} MiB |" if "kept" in r else
                          f"| {r['heap']} | {r['outcome']} | - | - | - | - |", flush=True)
        finally:
            for pid in processes_with_marker(marker):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    sys.exit(main())
