"""A notebook on one host and the gateway on another (network namespaces joined by a veth link, separate_hosts.py):
the Hearth kernel (installed from the release bundle) and its Jupyter client on `notebook`, the bundle's gateway over
HTTPS with token and Basic authentication and its local engines on `gateway` (release_bundle.BundleBed, shared with
test_release_bundle, which also proves that the bundle's quickstart runs on `notebook`). One Hearth session serves
every test here (sparkmagic's kernel has a session of its own); the certificate error cases start no session."""
import importlib.util
import json
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from on_hosts import GatewayOnHost, KernelOnHost, TestCertificates, install_kernelspecs, kernel_env, stdout_text
from separate_hosts import read_pcap


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """An expired certificate for `gateway` and a CA that signed no certificate of the bundle's gateway."""
    return TestCertificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def notebook_kernel(host_bed, bundle_bed, tmp_path_factory):
    """The PySpark (Hearth) kernel installed from the bundle on `notebook`, the token in its environment."""
    tmp = tmp_path_factory.mktemp("notebook-kernel")
    kernel = KernelOnHost(host_bed, "hearth-pyspark",
                          kernel_env(bundle_bed.jupyter_path, tmp, base=bundle_bed.env,
                                     HEARTH_GATEWAY_TOKEN=bundle_bed.token),
                          tmp / "runner.log")
    kernel.wait_ready()
    yield kernel
    kernel.close()


def test_sparkmagic_kernel_runs_a_cell_from_the_notebook_host(host_bed, bundle_bed, tmp_path):
    """sparkmagic's own PySpark kernel, installed as its README says, with Basic credentials in its config.json and
    the test CA in REQUESTS_CA_BUNDLE (requests' own setting, which sparkmagic's HTTP client honours)."""
    package = Path(importlib.util.find_spec("sparkmagic").submodule_search_locations[0])
    subprocess.run([str(Path(sys.executable).parent / "jupyter-kernelspec"), "install",
                    str(package / "kernels" / "pysparkkernel"), "--prefix", str(tmp_path / "prefix")],
                   check=True, capture_output=True)
    conf_dir = tmp_path / "sparkmagic-conf"
    conf_dir.mkdir()
    (conf_dir / "config.json").write_text(json.dumps({
        "kernel_python_credentials": {"username": bundle_bed.user, "password": bundle_bed.password,
                                      "url": bundle_bed.url(), "auth": "Basic_Access"},
        "livy_session_startup_timeout_seconds": 300,
        "wait_for_idle_timeout_seconds": 120,
    }))
    kernel = KernelOnHost(host_bed, "pysparkkernel",
                          kernel_env(tmp_path / "prefix" / "share" / "jupyter", tmp_path,
                                     SPARKMAGIC_CONF_DIR=str(conf_dir),
                                     REQUESTS_CA_BUNDLE=str(bundle_bed.ca)),
                          tmp_path / "runner.log").wait_ready()
    try:
        reply, outputs, _ = kernel.execute("sc.parallelize(range(1, 101), 4).sum()", timeout=400)
    finally:
        kernel.close()
    assert reply["status"] == "ok", (reply, outputs)
    assert stdout_text(outputs).strip().endswith("5050"), outputs


PLAIN_GET = """
import sys, urllib.error, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
        print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
"""


def test_plain_http_from_the_notebook_host_is_refused_with_the_https_url(host_bed, bundle_bed):
    url = f"http://gateway:{bundle_bed.port}/sessions"
    answer = host_bed.run("notebook", [sys.executable, "-c", PLAIN_GET, url],
                          capture_output=True, text=True, timeout=30)
    assert answer.stdout.startswith("400 "), answer
    assert f"https://gateway:{bundle_bed.port}/" in answer.stdout, answer


def test_statement_code_output_and_token_never_cross_the_link_in_clear(host_bed, notebook_kernel, bundle_bed,
                                                                       tmp_path):
    name = "rye_" + secrets.token_hex(6)  # only in the code
    made = "crumb" + secrets.token_hex(6)  # only in the output: the code has it in two halves
    canary = "canary" + secrets.token_hex(6)
    capture = host_bed.capture("gateway", "notebook", tmp_path / "notebook-link.pcap")
    try:
        reply, outputs, _ = notebook_kernel.execute(f'{name} = "{made[:8]}" + "{made[8:]}"\nprint({name}.upper())',
                                                    timeout=120)
        # The capture does see clear text on this link and port: a plain request naming the canary (refused).
        host_bed.run("notebook", [sys.executable, "-c", PLAIN_GET, f"http://gateway:{bundle_bed.port}/{canary}"],
                     capture_output=True, timeout=30)
    finally:
        streams = capture.stop()
    assert reply["status"] == "ok", reply
    assert stdout_text(outputs) == made.upper() + "\n"
    everything = b"".join(streams.values()) + b"".join(read_pcap(capture.path))
    assert canary.encode() in everything
    tls_flows = [data for (_, _, _, port), data in streams.items()
                 if port == bundle_bed.port and b"\x17\x03\x03" in data]
    assert tls_flows, "no TLS application data from the kernel to the gateway was captured"
    for secret, what in ((name, "statement code"), (made.upper(), "statement output"), (bundle_bed.token, "token")):
        assert secret.encode() not in everything, f"the {what} crossed the link in clear"


TICKING_CELL = """import time
for i in range(15):
    print(f"tick {i}: {sc.parallelize(range(i + 1)).sum()}", flush=True)
    time.sleep(1)
"""


def test_a_cell_running_while_the_link_is_cut_for_10s_completes_with_its_whole_output(host_bed, notebook_kernel):
    cut = []  # (cut, restored) times

    def cut_at_first_tick(kind, content):
        if not cut and kind == "stream" and "tick 0" in content.get("text", ""):
            host_bed.cut("notebook")
            cut_at = time.monotonic()
            try:
                time.sleep(10)  # the runner's later messages wait in its queue meanwhile
            finally:
                host_bed.restore("notebook")
                cut.append((cut_at, time.monotonic()))

    reply, outputs, elapsed = notebook_kernel.execute(TICKING_CELL, timeout=240, on_output=cut_at_first_tick)
    assert cut, "the cell never printed its first tick"
    assert reply["status"] == "ok", reply
    assert stdout_text(outputs).splitlines() == [f"tick {i}: {i * (i + 1) // 2}" for i in range(15)]
    # The cut was real: nothing reached the notebook host while it lasted, though the cell printed all along.
    (cut_at, restored), = cut
    arrivals = [at for kind, _, at in outputs if kind == "stream"]
    assert not [at for at in arrivals if cut_at + 0.5 < at < restored], (cut_at, restored, arrivals)
    tick_5 = next(at for kind, content, at in outputs if kind == "stream" and "tick 5:" in content["text"])
    assert tick_5 >= restored, (cut_at, restored, arrivals)
    # 15 s of ticks; the 10 s cut overlaps them, and the kernel and gateway catch up well within the reconnect grace
    # (the gateway's default, 120 s).
    assert elapsed < 15 + 120, elapsed


@pytest.fixture(scope="module")
def expired_gateway(host_bed, bundle_bed, certificates, tmp_path_factory):
    """A second gateway, serving a certificate that has expired (no session is ever started on it)."""
    gw = GatewayOnHost(host_bed, tmp_path_factory.mktemp("expired-gateway") / "gateway.log", uuid.uuid4().hex,
                       bundle_bed.tokens_file, bundle_bed.users_file, tls=certificates.expired)
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def first_cells(host_bed, bundle_bed, expired_gateway, certificates, tmp_path_factory):
    """The first cell of a kernel on `notebook` set up wrongly in each way, the kernels started side by side:
    {case: (reply, outputs)}."""
    tmp = tmp_path_factory.mktemp("first-cells")
    jupyter_path = install_kernelspecs(tmp / "prefix")  # the gateway URL and CA come from each kernel's environment
    by_ip = bundle_bed.url(host_bed.address("gateway", "notebook"))
    cases = {
        "unknown CA": (bundle_bed.url(), certificates.other_ca_file),
        "wrong host name": (by_ip, bundle_bed.ca),
        "expired": (expired_gateway.url(), certificates.ca_file),
        "plain HTTP": (f"http://gateway:{bundle_bed.port}", bundle_bed.ca),
    }
    kernels = {}
    try:
        for case, (url, ca_file) in cases.items():
            kernels[case] = KernelOnHost(host_bed, "hearth-pyspark", kernel_env(
                jupyter_path, tmp, HEARTH_GATEWAY_URL=url, HEARTH_GATEWAY_CA_FILE=str(ca_file),
                HEARTH_GATEWAY_TOKEN=bundle_bed.token), tmp / f"runner-{case.replace(' ', '-')}.log")
        results = {}
        for case, kernel in kernels.items():
            kernel.wait_ready()
            reply, outputs, _ = kernel.execute("6 * 7", timeout=90)
            results[case] = reply, outputs
        return results
    finally:
        for kernel in kernels.values():
            kernel.close()


@pytest.mark.parametrize("case, says", [
    ("unknown CA", "a CA this kernel does not trust"),
    ("wrong host name", "is for gateway, not for 10.231.1.2"),
    ("expired", "expired on"),
    ("plain HTTP", "speaks HTTPS, not plain HTTP.\nUse https://gateway:"),
])
def test_a_wrongly_set_up_kernel_fails_its_first_cell_saying_what_is_wrong(first_cells, case, says):
    reply, outputs = first_cells[case]
    assert reply["status"] == "error", (case, reply, outputs)
    shown = "\n".join(c.get("text", "") + c.get("evalue", "") + "\n".join(c.get("traceback", []))
                      for _, c, _ in outputs)
    assert says in shown, (case, shown)
