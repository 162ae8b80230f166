"""Kernel round trips for docs/benchmarks.md: Hearth's PySpark kernel beside a local ipykernel and sparkmagic's
PySpark kernel, one gateway.

Usage: python kernel_loop_bench.py [--cells N] [--warmup N] [--before OLD_KERNEL_JAR] [--no-sparkmagic]
                                   [--no-ipykernel] [--before-gateway OLD_GATEWAY_JAR] [--before-engine OLD_ENGINE_JAR]

Starts one real gateway and, each with a session of its own on it: the Hearth PySpark kernel of the built jar,
sparkmagic's PySpark kernel (its own kernelspec and config.json, as its README installs it) and, with --before, the
Hearth kernel of an older jar (with --before-gateway/--before-engine, on a second gateway of those older
jars: the whole older cell path); beside them a local ipykernel (this Python's, no Spark), the yardstick of a trivial
cell. Each kernel's first cell is a %%configure (driverMemory 512m, the same for all), its
second starts the session; then the warm-up cells, then N cells `1+1` per kernel, the kernels interleaved cell by cell
(the order rotating each round) so that the machine's load falls on all alike. For every cell it takes, with one
poller on the client's shell and iopub sockets, the time from sending execute_request to receiving execute_reply and to
receiving the cell's `idle` status, and checks that the cell showed `2`; each round also times one kernel_info round
trip per kernel. Then --slow-cells cells that sleep 50 ms (not instant, so sparkmagic's first poll finds them
running), interleaved alike, timed to execute_reply. Prints p50/p99/min/max in milliseconds, and how many runs took 200 ms or more (sparkmagic sleeps
0.2 s after a poll that finds the statement unfinished), as a Markdown table; then each kernel's p50 and p99 as a
multiple of the local ipykernel's, measure by measure.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import zmq
from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_JAR, Gateway, install_kernels

CELL = "1+1"
EXPECTED = "2"
# A statement that is not instant: sparkmagic's first poll finds it running and sleeps 0.2 s.
SLOW_CELL = "import time\ntime.sleep(0.05)\n1+1"
MEASURES = ("execute_request -> execute_reply", "execute_request -> idle", "kernel_info round trip",
            "50 ms cell: execute_request -> execute_reply")
SESSION_SETTINGS = {"driverMemory": "512m"}
IPYKERNEL = "local ipykernel"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Timed:
    """A started kernel and its client, timing requests with one poller on the shell and iopub sockets."""

    def __init__(self, label, km, kc):
        self.label = label
        self.km = km
        self.kc = kc
        self.shell = kc.shell_channel.socket
        self.iopub = kc.iopub_channel.socket
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)

    def request(self, send, timeout=300):
        """Sends a request; returns (ms to its reply, ms to its idle, its reply, its iopub outputs)."""
        drain(self.kc)
        start = time.perf_counter()
        msg_id = send()
        reply = None
        reply_ms = idle_ms = None
        outputs = []
        while reply_ms is None or idle_ms is None:
            ready = dict(self.poller.poll(timeout * 1000))
            now = time.perf_counter()
            if not ready:
                raise TimeoutError(f"{self.label}: no reply or idle within {timeout}s")
            if self.shell in ready:
                msg = self.kc.shell_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") == msg_id:
                    reply, reply_ms = msg, (now - start) * 1000
            if self.iopub in ready:
                msg = self.kc.iopub_channel.get_msg(timeout=0)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    idle_ms = (now - start) * 1000
                elif msg["msg_type"] in ("stream", "execute_result", "display_data", "error"):
                    outputs.append(msg)
        return reply_ms, idle_ms, reply, outputs

    def execute(self, code, timeout=300):
        reply_ms, idle_ms, reply, outputs = self.request(lambda: self.kc.execute(code), timeout)
        if reply["content"]["status"] != "ok":
            raise AssertionError(f"{self.label}: {code!r} failed: {reply['content']} {outputs}")
        return reply_ms, idle_ms, outputs

    def kernel_info(self):
        reply_ms, _, reply, _ = self.request(self.kc.kernel_info, 60)
        assert reply["content"]["status"] == "ok", reply["content"]
        return reply_ms


def drain(kc):
    """Drops what is left on the client's sockets (late messages of the previous request)."""
    for channel in (kc.iopub_channel, kc.shell_channel):
        while channel.msg_ready():
            channel.get_msg(timeout=0)


def shown(outputs):
    """The text a cell showed: its printed lines and its result's text/plain (sparkmagic prints the result)."""
    parts = []
    for msg in outputs:
        if msg["msg_type"] == "stream":
            parts.append(msg["content"]["text"])
        elif msg["msg_type"] == "execute_result":
            parts.append(msg["content"]["data"].get("text/plain", ""))
    return "".join(parts).strip()


def checked(timed, code):
    """Runs {code}, which must show `2`; returns (ms to execute_reply, ms to idle)."""
    reply_ms, idle_ms, outputs = timed.execute(code)
    if shown(outputs) != EXPECTED:
        raise AssertionError(f"{timed.label}: {code!r} showed {shown(outputs)!r}, not {EXPECTED!r}")
    return reply_ms, idle_ms


def install_hearth(jar, prefix, gateway, name):
    install_kernels(prefix, gateway.url, name, jar=jar)


def install_sparkmagic(prefix, conf_dir, gateway):
    """sparkmagic's PySpark kernelspec into {prefix}, and its config.json (pointing at the gateway) into {conf_dir}."""
    # Found without importing sparkmagic: it reads SPARKMAGIC_CONF_DIR once, at its first import.
    package = Path(importlib.util.find_spec("sparkmagic").submodule_search_locations[0])
    subprocess.run([str(Path(sys.executable).parent / "jupyter-kernelspec"), "install",
                    str(package / "kernels" / "pysparkkernel"), "--prefix", str(prefix)], check=True,
                   capture_output=True)
    conf_dir.mkdir(parents=True, exist_ok=True)
    (conf_dir / "config.json").write_text(json.dumps({
        "kernel_python_credentials": {"username": "", "password": "", "url": gateway.url, "auth": "None"},
        "livy_session_startup_timeout_seconds": 300,
        "wait_for_idle_timeout_seconds": 120,
        "use_auto_viz": False,
    }))


def start(label, kernel_name):
    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=120)
    timed = Timed(label, km, kc)
    if label == IPYKERNEL:
        return timed
    force = " -f" if label == "sparkmagic" else ""
    timed.execute(f"%%configure{force}\n{json.dumps(SESSION_SETTINGS)}")
    # The session starts here.
    timed.execute("warm = 1", timeout=600)
    return timed


def table(results, kernels):
    rows = ["| measure | kernel | runs | p50 | p99 | min | max | runs >= 200 ms |", "|---|---|---|---|---|---|---|---|"]
    for measure in MEASURES:
        for kernel in kernels:
            values = results[(measure, kernel)]
            if not values:
                continue
            rows.append(f"| {measure} | {kernel} | {len(values)} | {percentile(values, 50):.2f} ms | "
                        f"{percentile(values, 99):.2f} ms | {min(values):.2f} ms | {max(values):.2f} ms | "
                        f"{sum(v >= 200 for v in values)} |")
    return "\n".join(rows)


def ratios(results, kernels):
    """Each kernel's p50 and p99 over the local ipykernel's, per measure (the ipykernel row is the yardstick)."""
    rows = ["| measure | kernel | p50 / ipykernel p50 | p99 / ipykernel p99 |", "|---|---|---|---|"]
    for measure in MEASURES:
        base = results.get((measure, IPYKERNEL))
        if not base:
            continue
        for kernel in kernels:
            values = results[(measure, kernel)]
            if kernel == IPYKERNEL or not values:
                continue
            rows.append(f"| {measure} | {kernel} | {percentile(values, 50) / percentile(base, 50):.2f}x | "
                        f"{percentile(values, 99) / percentile(base, 99):.2f}x |")
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=500, help="timed `1+1` cells per kernel")
    parser.add_argument("--warmup", type=int, default=50, help="untimed `1+1` cells per kernel first")
    parser.add_argument("--slow-cells", type=int, default=100,
                        help="timed cells sleeping 50 ms per kernel, after the `1+1` ones")
    parser.add_argument("--before", help="an older hearth-kernel.jar to run beside the built one")
    parser.add_argument("--before-gateway", help="with --before: its kernel talks to a second gateway of this older"
                        " hearth-session-gateway.jar")
    parser.add_argument("--before-engine", help="with --before: that second gateway's engines are of this older"
                        " hearth-engine.jar")
    parser.add_argument("--no-sparkmagic", action="store_true", help="no sparkmagic kernel (quicker)")
    parser.add_argument("--no-ipykernel", action="store_true", help="no local ipykernel column")
    args = parser.parse_args()
    if (args.before_gateway or args.before_engine) and not args.before:
        parser.error("--before-gateway and --before-engine need --before (the kernel that uses them)")
    work = Path(tempfile.mkdtemp(prefix="hearth-kernel-bench-"))
    gateway = Gateway(uuid.uuid4().hex, work / "gateway.log")
    gateways = [gateway]
    kernels = []
    try:
        specs = {"hearth": ("bench-hearth", KERNEL_JAR)}
        served_by = {"hearth": gateway}
        if args.before:
            specs["hearth before"] = ("bench-hearth-before", Path(args.before))
            served_by["hearth before"] = gateway
            if args.before_gateway or args.before_engine:
                # The whole older path (kernel, gateway, engine) beside the new one, so that a change anywhere on a
                # cell's path is measured in the same run.
                older = {"HEARTH_ENGINE_JAR": str(Path(args.before_engine))} if args.before_engine else {}
                kw = {"jar": Path(args.before_gateway)} if args.before_gateway else {}
                served_by["hearth before"] = Gateway(uuid.uuid4().hex, work / "gateway-before.log", **kw, **older)
                gateways.append(served_by["hearth before"])
        for label, (name, jar) in specs.items():
            install_hearth(jar, work / name, served_by[label], name)
        paths = [str(work / name / "share" / "jupyter") for name, _ in specs.values()]
        if not args.no_sparkmagic:
            install_sparkmagic(work / "sparkmagic", work / "sparkmagic-conf", gateway)
            paths.append(str(work / "sparkmagic" / "share" / "jupyter"))
            specs["sparkmagic"] = ("pysparkkernel", None)
            # The kernel processes inherit these.
            os.environ["SPARKMAGIC_CONF_DIR"] = str(work / "sparkmagic-conf")
        if not args.no_ipykernel:
            # This Python's own kernel (ipykernel's built-in python3 spec), in the same run and rounds.
            specs[IPYKERNEL] = ("python3", None)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(paths)
        for label, (name, jar) in specs.items():
            # `install --name NAME` writes NAME-pyspark, NAME-spark, ...
            kernels.append(start(label, f"{name}-pyspark" if jar else name))
        for timed in kernels:
            for _ in range(args.warmup):
                timed.execute(CELL)
        labels = [k.label for k in kernels]
        results = {(m, k): [] for m in MEASURES for k in labels}
        for n in range(args.cells):
            for timed in kernels[n % len(kernels):] + kernels[:n % len(kernels)]:
                reply_ms, idle_ms = checked(timed, CELL)
                results[("execute_request -> execute_reply", timed.label)].append(reply_ms)
                results[("execute_request -> idle", timed.label)].append(idle_ms)
                results[("kernel_info round trip", timed.label)].append(timed.kernel_info())
        for n in range(args.slow_cells):
            for timed in kernels[n % len(kernels):] + kernels[:n % len(kernels)]:
                results[("50 ms cell: execute_request -> execute_reply", timed.label)].append(
                    checked(timed, SLOW_CELL)[0])
        print(table(results, labels))
        if not args.no_ipykernel:
            print()
            print(ratios(results, labels))
    finally:
        for timed in kernels:
            timed.kc.stop_channels()
            timed.km.shutdown_kernel(now=False)
        for started in gateways:
            started.stop()


if __name__ == "__main__":
    main()
