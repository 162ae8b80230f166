"""Every process a command starts is stopped when it ends: after Ctrl-C, after a failure, after the gateway is killed."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
import uuid

from conftest import REPO, Gateway, free_port, hearth_env, processes_with_marker, wait_until


def engine_pids(marker):
    pids = []
    for pid in processes_with_marker(marker):
        try:
            if b"hearth-engine.jar" in open(f"/proc/{pid}/cmdline", "rb").read():
                pids.append(pid)
        except FileNotFoundError:
            pass
    return pids


def test_ctrl_c_during_quickstart_stops_gateway_engine_kernel_and_python(tmp_path):
    marker = uuid.uuid4().hex
    quickstart = subprocess.Popen([str(REPO / "bin" / "hearth"), "quickstart"], cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
                                  env=hearth_env(HEARTH_PORT=str(free_port()), HEARTH_TEST_MARKER=marker))
    try:
        def engine_started():
            if quickstart.poll() is not None:
                raise AssertionError(f"quickstart exited with {quickstart.returncode} before its engine was seen:\n"
                                     + quickstart.stdout.read().decode(errors="replace"))
            return engine_pids(marker)

        wait_until(engine_started, 240, what="the quickstart's engine to start")
        # A terminal's Ctrl-C signals the whole foreground process group.
        os.killpg(quickstart.pid, signal.SIGINT)
        assert quickstart.wait(60) != 0
        wait_until(lambda: not processes_with_marker(marker), 30, what="every quickstart process to exit")
    finally:
        if quickstart.poll() is None:
            os.killpg(quickstart.pid, signal.SIGKILL)
        quickstart.stdout.close()


def test_quickstart_on_a_busy_port_fails_clearly_and_starts_nothing():
    marker = uuid.uuid4().hex
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([str(REPO / "bin" / "hearth"), "quickstart"], cwd=REPO, capture_output=True, text=True,
                                timeout=600, env=hearth_env(HEARTH_PORT=str(port), HEARTH_TEST_MARKER=marker))
    assert result.returncode != 0
    assert f"port {port}" in result.stderr and "already in use" in result.stderr
    assert processes_with_marker(marker) == []


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def post_json(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_engines_exit_when_their_gateway_is_killed_once_the_reconnect_grace_has_passed(tmp_path):
    marker = uuid.uuid4().hex
    # Short, to keep the test fast; the default gives a restarted gateway two minutes to take its engines back.
    gateway = Gateway(marker, tmp_path / "gateway.log", HEARTH_ENGINE_RECONNECT_GRACE="4s")
    try:
        session = post_json(f"{gateway.url}/sessions", {"kind": "pyspark"})
        wait_until(lambda: get_json(f"{gateway.url}/sessions/{session['id']}")["state"] == "idle", 240,
                   what="the session to be ready")
        engines = engine_pids(marker)
        assert engines
        gateway.process.send_signal(signal.SIGKILL)
        gateway.process.wait(10)
        killed_at = time.monotonic()
        time.sleep(1)
        assert engine_pids(marker) == engines, "an engine waits for its gateway to come back, for the grace"
        wait_until(lambda: not processes_with_marker(marker), 60,
                   what=f"the engine of session {session['id']} and its Python to exit after the gateway died")
        assert time.monotonic() - killed_at >= 3.5, "the engine stopped before its reconnect grace was over"
    finally:
        gateway.stop()
        for pid in processes_with_marker(marker):
            os.kill(pid, signal.SIGKILL)
