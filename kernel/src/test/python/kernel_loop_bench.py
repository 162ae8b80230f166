"""Round trips through a Hearth kernel, for docs/benchmarks.md: `kernel_info_request` and `execute_request` `1+1`.

Usage: python kernel_loop_bench.py [--runs N] [--before OLD_KERNEL_JAR]
Starts one real gateway; for each kernel jar (the built one, and OLD_KERNEL_JAR if given, e.g. a build of the
basekernel-based kernel) installs a pyspark kernelspec, starts the kernel, warms it up (its Spark session starts),
then times N kernel_info round trips (request sent to reply received) and N `1+1` executions (request sent to
execute_reply received), the jars interleaved run by run. Prints p50/p99/min/max in milliseconds.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_JAR, Gateway, java


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(kc, send):
    start = time.perf_counter()
    msg_id = send()
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            elapsed = (time.perf_counter() - start) * 1000
            assert reply["content"]["status"] == "ok", reply["content"]
            return elapsed


def drain(kc):
    while True:
        try:
            kc.get_iopub_msg(timeout=0.05)
        except Exception:
            return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--before")
    args = parser.parse_args()
    jars = {"after": KERNEL_JAR}
    if args.before:
        jars["before"] = Path(args.before)
    work = Path(tempfile.mkdtemp(prefix="hearth-kernel-bench-"))
    gateway = Gateway(uuid.uuid4().hex, work / "gateway.log")
    kernels = {}
    try:
        for label, jar in jars.items():
            prefix = work / label
            subprocess.run([java(), "-jar", str(jar), "install", "--prefix", str(prefix), "--gateway", gateway.url,
                            "--name", f"bench-{label}"], check=True, capture_output=True)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(str(work / label / "share" / "jupyter") for label in jars)
        for label in jars:
            km, kc = start_new_kernel(kernel_name=f"bench-{label}", startup_timeout=60)
            kernels[label] = (km, kc)
            assert kc.execute_interactive("warm = 1", timeout=300)["content"]["status"] == "ok"
            for _ in range(20):
                timed(kc, kc.kernel_info)
                timed(kc, lambda: kc.execute("1+1"))
        results = {(label, what): [] for label in jars for what in ("kernel_info", "execute 1+1")}
        for _ in range(args.runs):
            for label, (_, kc) in kernels.items():
                results[(label, "kernel_info")].append(timed(kc, kc.kernel_info))
                results[(label, "execute 1+1")].append(timed(kc, lambda: kc.execute("1+1")))
                drain(kc)
        print(f"| request | kernel | runs | p50 | p99 | min | max |\n|---|---|---|---|---|---|---|")
        for (label, what), values in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            print(f"| {what} | {label} | {len(values)} | {percentile(values, 50):.2f} ms | "
                  f"{percentile(values, 99):.2f} ms | {min(values):.2f} ms | {max(values):.2f} ms |")
    finally:
        for km, kc in kernels.values():
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        gateway.stop()


if __name__ == "__main__":
    main()
