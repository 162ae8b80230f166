"""A notebook on one host and the gateway on another (network namespaces joined by a veth link, separate_hosts.py):
the Hearth kernel and its Jupyter client on `notebook`, a real gateway with token authentication and its local engines
on `gateway`. One gateway and one session serve every test here."""
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from bakery_orders import assert_quickstart_outputs
from conftest import REPO
from on_hosts import Credentials, GatewayOnHost, KernelOnHost, install_kernelspecs, stdout_text


def kernel_env(jupyter_path, tmp_dir, **settings):
    """The notebook host's environment for a kernel runner: kernelspecs from jupyter_path, no kernel config file, and
    the gateway settings given (none of the test process's own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_GATEWAY_")}
    env.update(JUPYTER_PATH=str(jupyter_path), HEARTH_KERNEL_CONFIG=str(tmp_dir / "no-kernel-config.json"),
               JUPYTER_RUNTIME_DIR=str(tmp_dir / "jupyter-runtime"), **settings)
    return env


@pytest.fixture(scope="module")
def credentials(tmp_path_factory):
    return Credentials(tmp_path_factory.mktemp("credentials"))


@pytest.fixture(scope="module")
def remote_gateway(host_bed, credentials, tmp_path_factory):
    gw = GatewayOnHost(host_bed, tmp_path_factory.mktemp("remote-gateway") / "gateway.log", "notebook-host-tests",
                       credentials.tokens_file, credentials.users_file)
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def notebook_kernel(host_bed, remote_gateway, credentials, tmp_path_factory):
    """The PySpark (Hearth) kernel on `notebook`, installed pointing at the gateway by its host name, token in env."""
    tmp = tmp_path_factory.mktemp("notebook-kernel")
    jupyter_path = install_kernelspecs(tmp / "prefix", remote_gateway.url())
    kernel = KernelOnHost(host_bed, "hearth-pyspark",
                          kernel_env(jupyter_path, tmp, HEARTH_GATEWAY_TOKEN=credentials.token), tmp / "runner.log")
    kernel.wait_ready()
    yield kernel
    kernel.close()


def test_quickstart_notebook_runs_from_the_notebook_host(notebook_kernel, tmp_path):
    executed = tmp_path / "quickstart.executed.ipynb"
    notebook_kernel.run_notebook(REPO / "notebooks" / "quickstart.ipynb", executed)
    assert_quickstart_outputs(nbformat.read(executed, as_version=4), "local[*]")


def test_sparkmagic_kernel_runs_a_cell_from_the_notebook_host(host_bed, remote_gateway, credentials, tmp_path):
    """sparkmagic's own PySpark kernel, installed as its README says, with Basic credentials in its config.json."""
    package = Path(importlib.util.find_spec("sparkmagic").submodule_search_locations[0])
    subprocess.run([str(Path(sys.executable).parent / "jupyter-kernelspec"), "install",
                    str(package / "kernels" / "pysparkkernel"), "--prefix", str(tmp_path / "prefix")],
                   check=True, capture_output=True)
    conf_dir = tmp_path / "sparkmagic-conf"
    conf_dir.mkdir()
    (conf_dir / "config.json").write_text(json.dumps({
        "kernel_python_credentials": {"username": credentials.user, "password": credentials.password,
                                      "url": remote_gateway.url(), "auth": "Basic_Access"},
        "livy_session_startup_timeout_seconds": 300,
        "wait_for_idle_timeout_seconds": 120,
    }))
    kernel = KernelOnHost(host_bed, "pysparkkernel",
                          kernel_env(tmp_path / "prefix" / "share" / "jupyter", tmp_path,
                                     SPARKMAGIC_CONF_DIR=str(conf_dir)),
                          tmp_path / "runner.log").wait_ready()
    try:
        reply, outputs, _ = kernel.execute("sc.parallelize(range(1, 101), 4).sum()", timeout=400)
    finally:
        kernel.close()
    assert reply["status"] == "ok", (reply, outputs)
    assert stdout_text(outputs).strip().endswith("5050"), outputs


TICKING_CELL = """import time
for i in range(20):
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
    assert stdout_text(outputs).splitlines() == [f"tick {i}: {i * (i + 1) // 2}" for i in range(20)]
    # The cut was real: nothing reached the notebook host while it lasted, though the cell printed all along.
    (cut_at, restored), = cut
    arrivals = [at for kind, _, at in outputs if kind == "stream"]
    assert not [at for at in arrivals if cut_at + 0.5 < at < restored], (cut_at, restored, arrivals)
    tick_5 = next(at for kind, content, at in outputs if kind == "stream" and "tick 5:" in content["text"])
    assert tick_5 >= restored, (cut_at, restored, arrivals)
    # 20 s of ticks; the 10 s cut overlaps them, and the kernel and gateway catch up well within the reconnect grace
    # (the gateway's default, 120 s).
    assert elapsed < 20 + 120, elapsed
