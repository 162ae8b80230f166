"""A trivial cell over HTTPS and over plain HTTP, notebook and gateway on separate hosts, for docs/benchmarks.md.

Usage (as root, from kernel/src/test/python): python tls_bench.py [--cells N] [--warmup N]

Makes the separate-hosts bed (separate_hosts.py) and, on `gateway`, two real gateways with token authentication: one
serving HTTPS (a test CA's certificate for `gateway`), one plain HTTP (hearth.gateway.allow-plain-http=true). On
`notebook`, one PySpark (Hearth) kernel per gateway, each driven by its own Jupyter client (kernel_runner.py) and each
with a session of its own. After the warm-up cells, N cells `1+1` per kernel, interleaved cell by cell (the order
swapping each round, so the machine's load falls on both alike), each timed by the client from sending
execute_request to the cell's end (reply and idle). Prints p50/p99/min/max per scheme as a Markdown table.
"""
import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from on_hosts import (Credentials, GatewayOnHost, KernelOnHost, TestCertificates, install_kernelspecs, kernel_env,
                      stdout_text)
from separate_hosts import HostBed, netns_unavailable_reason, remove_leftovers

CELL = "1+1"


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed_cell(kernel):
    reply, outputs, elapsed = kernel.execute(CELL, timeout=120)
    shown = [c["data"]["text/plain"] for t, c, _ in outputs if t == "execute_result"]
    if reply["status"] != "ok" or shown != ["2"]:
        raise AssertionError(f"the cell failed: {reply} {outputs} {stdout_text(outputs)}")
    return elapsed * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()
    reason = netns_unavailable_reason()
    if reason:
        sys.exit(f"tls_bench: {reason}")
    work = Path(tempfile.mkdtemp(prefix="hearth-tls-bench-"))
    remove_leftovers()
    bed = HostBed().create()
    gateways, kernels = [], {}
    try:
        credentials = Credentials(work)
        certificates = TestCertificates(work)
        https = GatewayOnHost(bed, work / "https-gateway.log", uuid.uuid4().hex, credentials.tokens_file,
                              credentials.users_file, tls=certificates.server)
        gateways.append(https)
        plain = GatewayOnHost(bed, work / "http-gateway.log", uuid.uuid4().hex, credentials.tokens_file,
                              credentials.users_file, HEARTH_GATEWAY_ALLOW_PLAIN_HTTP="true")
        gateways.append(plain)
        for label, gateway in (("HTTPS", https), ("HTTP", plain)):
            jupyter_path = install_kernelspecs(work / f"prefix-{label}", gateway.url(), certificates.ca_file)
            kernels[label] = KernelOnHost(bed, "hearth-pyspark", kernel_env(
                jupyter_path, work, HEARTH_GATEWAY_TOKEN=credentials.token), work / f"runner-{label}.log")
        for kernel in kernels.values():
            kernel.wait_ready()
            timed_cell(kernel)  # starts the session
        for _ in range(args.warmup):
            for kernel in kernels.values():
                timed_cell(kernel)
        times = {label: [] for label in kernels}
        started = time.monotonic()
        for i in range(args.cells):
            order = list(kernels) if i % 2 == 0 else list(reversed(kernels))
            for label in order:
                times[label].append(timed_cell(kernels[label]))
        took = time.monotonic() - started
    finally:
        for kernel in kernels.values():
            kernel.close()
        for gateway in gateways:
            gateway.stop()
        bed.close()
    print(f"{args.cells} cells `{CELL}` per scheme after {args.warmup} warm-up cells, interleaved, in {took:.0f} s; "
          f"load average {os.getloadavg()[0]:.1f}; logs in {work}")
    print("| scheme | cells | p50 | p99 | min | max |")
    print("|---|---|---|---|---|---|")
    for label, values in times.items():
        print(f"| {label} | {len(values)} | {percentile(values, 50):.2f} ms | {percentile(values, 99):.2f} ms | "
              f"{min(values):.2f} ms | {max(values):.2f} ms |")


if __name__ == "__main__":
    main()
