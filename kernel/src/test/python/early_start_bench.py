"""First cell of a new notebook with the session started early (the default) and at the first cell, for
docs/benchmarks.md.

Usage: python early_start_bench.py [--runs N] [--think SECONDS]

Starts one real gateway (the built jars, no pool settings given) and installs the kernelspecs (with the class archive).
Then N times each, interleaved run by run: starts the PySpark kernel with HEARTH_SESSION_START=early or first-cell,
waits for kernel_info, waits --think seconds (the user writing the first cell), runs `spark.range(10).count()` and
takes the time from starting the kernel to the cell's result, checking it is 10; shuts the kernel down (which deletes
its session). Prints p50/min/max in milliseconds as a Markdown table.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from conftest import Gateway, install_kernels

CELL = "spark.range(10).count()"


def first_cell(mode, think):
    os.environ["HEARTH_SESSION_START"] = mode
    started = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="hearth-pyspark", startup_timeout=120)
    try:
        time.sleep(think)
        result = []
        reply = kc.execute_interactive(CELL, timeout=300, output_hook=lambda m: result.append(m))
        elapsed = (time.perf_counter() - started) * 1000
        shown = [m["content"]["data"]["text/plain"] for m in result if m["msg_type"] == "execute_result"]
        assert reply["content"]["status"] == "ok" and shown == ["10"], (reply["content"], shown)
        return elapsed
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--think", type=float, default=0.0)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="early-start-bench-"))
    gateway = Gateway(uuid.uuid4().hex, root / "gateway.log")
    try:
        os.environ["JUPYTER_PATH"] = str(install_kernels(root / "prefix", gateway.url, class_archive=True))
        modes = ["early", "first-cell"]
        times = {mode: [] for mode in modes}
        for r in range(args.runs):
            for mode in modes[r % 2:] + modes[:r % 2]:
                times[mode].append(first_cell(mode, args.think))
        print(f"kernel start -> result of {CELL}, think {args.think} s, {args.runs} runs each, interleaved; "
              f"load average at the end {os.getloadavg()[0]:.1f}")
        print("| session start | p50 ms | min ms | max ms |")
        print("|---|---|---|---|")
        for mode, values in times.items():
            print(f"| {mode} | {statistics.median(values):.0f} | {min(values):.0f} | {max(values):.0f} |")
    finally:
        gateway.stop()


if __name__ == "__main__":
    sys.exit(main())
