"""Kernel process start for docs/benchmarks.md: from starting the kernel's JVM to its first kernel_info_reply.

Usage: python kernel_start_bench.py [--runs N] [--jar KERNEL_JAR]

Installs the Hearth kernelspecs of the built jar twice, as `bin/hearth kernel install` does: with its class archive
(the default: one training run, then -XX:SharedArchiveFile and -XX:TieredStopAtLevel=1 in kernel.json) and with
--no-class-archive (the kernel.json of before). Then starts the PySpark kernel of each N times, interleaved run by run
(order alternating) so that the machine's load falls on both alike, each through jupyter_client as Jupyter does. The
gateway URL points at a closed port and sessions start at the first cell, so no gateway is involved. Prints the
install times and p50/p90/min/max in milliseconds as a Markdown table.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from conftest import KERNEL_JAR, install_kernels


def one_start(ksm, name):
    km = KernelManager(kernel_name=name, kernel_spec_manager=ksm)
    started = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.kernel_info(reply=True, timeout=60)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--jar", default=str(KERNEL_JAR))
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="kernel-start-bench-"))
    os.environ["HEARTH_SESSION_START"] = "first-cell"
    installs, variants = {}, {}
    for label, archive in (("kernel.json of before (--no-class-archive)", False),
                           ("class archive + C1 (install's default)", True)):
        started = time.perf_counter()
        data = install_kernels(root / ("with" if archive else "without"), "http://127.0.0.1:9", jar=args.jar,
                               class_archive=archive)
        installs[label] = (time.perf_counter() - started) * 1000
        variants[label] = (KernelSpecManager(kernel_dirs=[str(data / "kernels")]), "hearth-pyspark")
    times = {label: [] for label in variants}
    labels = list(variants)
    for r in range(args.runs):
        for label in labels[r % len(labels):] + labels[:r % len(labels)]:
            times[label].append(one_start(*variants[label]))
    print(f"kernel JVM start -> first kernel_info_reply, {args.runs} runs each, interleaved; "
          f"load average at the end {os.getloadavg()[0]:.1f}")
    print("| kernelspec | install ms | p50 ms | p90 ms | min ms | max ms |")
    print("|---|---|---|---|---|---|")
    for label, values in times.items():
        values.sort()
        p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
        print(f"| {label} | {installs[label]:.0f} | {statistics.median(values):.0f} | {p90:.0f} | {values[0]:.0f} | {values[-1]:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
