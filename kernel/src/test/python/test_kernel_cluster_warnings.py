"""A cell whose Spark tasks find no executor says so: a real standalone Master with no Worker (so no executor can ever
come), a real gateway launching engines with spark-submit, and the PySpark (Hearth) kernel through a real Jupyter
client. The cell shows a warning line and its progress display says "waiting for executors"; interrupting it works."""
import os
import subprocess
import time
import uuid
from pathlib import Path

import pyspark
import pytest
from jupyter_client.manager import start_new_kernel

from conftest import Gateway, free_port, install_kernels, wait_until

SPARK_HOME = Path(pyspark.__file__).parent


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    """A standalone Master with no Worker on loopback."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("master") / "master.log"
    env = dict(os.environ, SPARK_HOME=str(SPARK_HOME), SPARK_LOCAL_IP="127.0.0.1")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(SPARK_HOME / "bin" / "spark-class"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
             "--port", str(port), "--webui-port", str(free_port())],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    wait_until(lambda: "Starting Spark master" in log_path.read_text(), 90, what="the Spark master")
    yield f"spark://127.0.0.1:{port}"
    os.killpg(process.pid, 15)
    process.wait(30)


@pytest.fixture(scope="module")
def kernel(master, tmp_path_factory, monkeypatch_module):
    gateway = Gateway(uuid.uuid4().hex, tmp_path_factory.mktemp("gateway") / "gateway.log",
                      HEARTH_SPARK_MASTER=master, SPARK_LOCAL_IP="127.0.0.1")
    data_dir = install_kernels(tmp_path_factory.mktemp("prefix"), gateway.url, name="waiting")
    monkeypatch_module.setenv("JUPYTER_PATH", os.pathsep.join(filter(None, [str(data_dir),
                                                                            os.environ.get("JUPYTER_PATH")])))
    km, kc = start_new_kernel(kernel_name="waiting-pyspark", startup_timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    gateway.stop()


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def run_until(km, kc, code, interrupt_when, timeout=300):
    """Runs code; interrupts the kernel once interrupt_when(messages so far) holds; returns (reply, messages)."""
    msg_id = kc.execute(code)
    seen = []
    interrupted = False
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        seen.append((msg["msg_type"], msg["content"]))
        if not interrupted and interrupt_when(seen):
            km.interrupt_kernel()
            interrupted = True
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=30)
    return reply["content"], seen


def warning_lines(seen):
    return [line for t, c in seen if t == "stream" and c["name"] == "stderr"
            for line in c["text"].splitlines() if line.startswith("Warning: ")]


def progress_texts(seen):
    return [c["data"].get("text/plain", "") for t, c in seen if t in ("display_data", "update_display_data")
            and "hearth-progress" in c.get("transient", {}).get("display_id", "")]


def test_a_cell_waiting_for_executors_shows_a_warning_and_its_progress_says_so(kernel):
    km, kc = kernel
    configure, _ = run_until(km, kc, '%%configure\n{"conf": {"spark.starvation.timeout": "2s"}}', lambda s: False)
    assert configure["status"] == "ok", configure

    def waiting_shown(seen):
        return warning_lines(seen) and any("waiting for executors" in t for t in progress_texts(seen))

    reply, seen = run_until(km, kc, "sc.parallelize(range(4), 2).count()", waiting_shown)
    warnings = warning_lines(seen)
    assert warnings and warnings[0].startswith("Warning: Waiting for executors: 2 tasks of this statement have found"
                                               " no executor"), warnings
    assert "the session has 0 executors" in warnings[0] and "spark.executor.memory=" in warnings[0], warnings
    texts = progress_texts(seen)
    assert any(t.startswith("! waiting for executors\nSpark job 0") for t in texts), texts
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply
