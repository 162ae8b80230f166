"""What a notebook user sees from the four Hearth kernels: session start, streaming, live progress, interrupt,
results, shutdown and errors. Real Jupyter clients, a real gateway, real engines with local Spark."""
import hashlib
import json
import os
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from conftest import KERNEL_JAR, Gateway, free_port, install_kernels


def collect(kc, code, timeout=300):
    """Runs code; returns (execute_reply content, [(seconds since submit, msg_type, content)] of its iopub messages)."""
    started = time.monotonic()
    msg_id = kc.execute(code)
    seen = []
    deadline = started + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        seen.append((time.monotonic() - started, msg["msg_type"], msg["content"]))
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:  # start_new_kernel leaves its kernel_info_reply behind
        reply = kc.get_shell_msg(timeout=30)
    return reply["content"], seen


def outputs(seen, *types):
    return [c for _, t, c in seen if t in types]


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def session_state(gateway, session_id):
    """The session's state, or "gone" once the gateway no longer knows it (deleted)."""
    try:
        return get_json(f"{gateway.url}/sessions/{session_id}/state")["state"]
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return "gone"
        raise


@pytest.fixture(scope="module")
def pyspark(kernelspecs):
    km, kc = start_new_kernel(kernel_name="hearth-pyspark", startup_timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def test_first_cell_shows_the_session_starting_then_a_table_with_its_links(pyspark, gateway):
    _, kc = pyspark
    reply, seen = collect(kc, "1 + 1")
    assert reply["status"] == "ok"
    stderr = "".join(c["text"] for c in outputs(seen, "stream") if c["name"] == "stderr")
    assert "Starting Spark session" in stderr
    cards = [c["data"] for c in outputs(seen, "display_data") if "hearth-session" in c["data"].get("text/html", "")]
    assert len(cards) == 1
    session = get_json(f"{gateway.url}/sessions")["sessions"][-1]
    html = cards[0]["text/html"]
    assert f"<td>{session['id']}</td>" in html and session["appId"] in html
    assert f"{gateway.url}/sessions/{session['id']}/log" in html
    assert session["appInfo"]["sparkUiUrl"] in html
    assert f"Spark session {session['id']} started" in cards[0]["text/plain"]
    assert [c["data"]["text/plain"] for c in outputs(seen, "execute_result")] == ["2"]

    reply, seen = collect(kc, "3")
    assert not outputs(seen, "display_data"), "the card shows once, at the start"


def test_output_streams_into_the_cell_before_the_cell_ends(pyspark):
    _, kc = pyspark
    reply, seen = collect(kc, "import time\nprint('first', flush=True)\ntime.sleep(3)\nprint('second')")
    assert reply["status"] == "ok"
    streams = [(t, c["text"]) for t, kind, c in seen if kind == "stream" and c["name"] == "stdout"]
    assert "".join(text for _, text in streams) == "first\nsecond\n"
    first_at = next(t for t, text in streams if "first" in text)
    end_at = seen[-1][0]
    assert end_at - first_at > 2, f"'first' came at {first_at:.2f}s, the cell ended at {end_at:.2f}s"


def test_spark_jobs_show_a_progress_bar_updated_in_place_until_done(pyspark):
    _, kc = pyspark
    reply, seen = collect(kc, "import time\n"
                              "sc.parallelize(range(8), 8).map(lambda x: time.sleep(0.6) or x).count()")
    assert reply["status"] == "ok"
    assert [c["data"]["text/plain"] for c in outputs(seen, "execute_result")] == ["8"]
    shown = [c for c in outputs(seen, "display_data") if "hearth-progress" in c["data"].get("text/html", "")]
    assert len(shown) == 1, "one progress display per statement"
    display_id = shown[0]["transient"]["display_id"]
    updates = [(t, c) for t, kind, c in seen if kind == "update_display_data"]
    assert all(c["transient"]["display_id"] == display_id for _, c in updates)
    assert len(updates) >= 3, f"only {len(updates)} updates for a job of about 2.4 s"
    # Throttled to 4/s at the kernel (the last, final one excepted); at least 2/s while the job runs. Timed at the
    # client, so single gaps jitter: the median gap is what the kernel controls.
    times = [t for t, _ in updates[:-1]]
    gaps = sorted(b - a for a, b in zip(times, times[1:]))
    assert 0.2 <= gaps[len(gaps) // 2] <= 0.5, f"update times: {times}"
    last = updates[-1][1]["data"]
    assert "<progress" in last["text/html"] and 'value="8" max="8"' in last["text/html"]
    assert "tasks 8/8" in last["text/plain"] and "SUCCEEDED" in last["text/plain"]


@pytest.mark.parametrize("busy", [
    "while True:\n    pass",
    "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(120) or x).count()",
], ids=["python-loop", "spark-job"])
def test_interrupt_cancels_the_statement_quickly_and_the_session_goes_on(pyspark, busy):
    km, kc = pyspark
    collect(kc, "still_here = 41")
    msg_id = kc.execute(busy)
    time.sleep(2)
    asked = time.monotonic()
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=10)
        if reply["parent_header"]["msg_id"] == msg_id:
            break
    took = time.monotonic() - asked
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert took < 2, f"the interrupt took {took:.2f}s"
    reply, seen = collect(kc, "still_here + 1")
    assert reply["status"] == "ok"
    assert [c["data"]["text/plain"] for c in outputs(seen, "execute_result")] == ["42"]


def test_livy_table_results_are_rendered_as_html_tables(pyspark):
    _, kc = pyspark
    reply, seen = collect(kc, "\n".join([
        "class LivyTable:",
        "    def _repr_mimebundle_(self, include=None, exclude=None):",
        "        return {'text/plain': 'a table', 'application/vnd.livy.table.v1+json':",
        "                {'headers': [{'name': 'loaf', 'type': 'STRING_TYPE'}, {'name': 'n', 'type': 'INT_TYPE'}],",
        "                 'data': [['rye <dark>', 3], ['spelt', None]]}}",
        "LivyTable()",
    ]))
    assert reply["status"] == "ok"
    [data] = [c["data"] for c in outputs(seen, "execute_result")]
    assert data["application/vnd.livy.table.v1+json"]["data"][0] == ["rye <dark>", 3]
    html = data["text/html"]
    assert "<th>loaf</th><th>n</th>" in html
    assert "<td>rye &lt;dark&gt;</td><td>3</td>" in html and "<td>spelt</td><td>null</td>" in html


@pytest.mark.parametrize("kernel_name, code, check", [
    ("hearth-spark", "val x = 1 + 1", lambda data: "x: Int = 2" in data["text/plain"]),
    ("hearth-sql", "SELECT 1 AS one", lambda data: "<table" in data["text/html"] and "one" in data["text/html"]),
    ("hearth-java", "int y = 2 + 3;\ny * 2", lambda data: "10" in data["text/plain"]),
])
def test_each_language_kernel_runs_a_cell_and_deletes_its_session_at_shutdown(kernelspecs, gateway, kernel_name,
                                                                                code, check):
    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=60)
    try:
        reply, seen = collect(kc, code)
        assert reply["status"] == "ok", reply
        results = [c["data"] for c in outputs(seen, "execute_result")]
        assert len(results) == 1 and check(results[0]), seen
        session = get_json(f"{gateway.url}/sessions")["sessions"][-1]
        assert session["kind"] == kernel_name.split("-")[1] and session["state"] in ("idle", "busy")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert session_state(gateway, session["id"]) in ("gone", "killed", "dead", "shutting_down")


def test_a_plain_sql_cell_shows_the_same_tables_as_the_sql_magic_and_livy_clients_still_get_json(kernelspecs, gateway):
    km, kc = start_new_kernel(kernel_name="hearth-sql", startup_timeout=60)
    try:
        reply, _ = collect(kc, "CREATE OR REPLACE TEMP VIEW loaves AS "
                               "SELECT * FROM VALUES ('rye', 3), ('spelt <old>', 1) AS t(loaf, n)")
        assert reply["status"] == "ok", reply
        query = "SELECT loaf, n FROM loaves ORDER BY loaf"
        reply, seen = collect(kc, query)
        assert reply["status"] == "ok", reply
        [plain] = [c["data"] for c in outputs(seen, "execute_result")]
        assert not any("application/json" in d["data"] for d in outputs(seen, "display_data"))
        # JupyterLab would draw application/json as a JSON tree above the table: the cell shows only the tables.
        assert set(plain) == {"text/html", "text/plain"}, plain.keys()
        assert "<td>spelt &lt;old&gt;</td>" in plain["text/html"] and "rye" in plain["text/plain"]
        reply, seen = collect(kc, "%%sql\n" + query)
        assert reply["status"] == "ok", reply
        assert [c["data"] for c in outputs(seen, "execute_result")] == [plain]

        session = get_json(f"{gateway.url}/sessions")["sessions"][-1]
        statements = get_json(f"{gateway.url}/sessions/{session['id']}/statements")["statements"]
        livy = [st for st in statements if st["code"] == query][0]
        assert livy["output"]["data"]["application/json"]["data"] == [["rye", 3], ["spelt <old>", 1]]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_restart_gives_a_fresh_session_and_deletes_the_old_one(kernelspecs, gateway):
    km, kc = start_new_kernel(kernel_name="hearth-pyspark", startup_timeout=60)
    try:
        collect(kc, "crumbs = 3")
        first = get_json(f"{gateway.url}/sessions")["sessions"][-1]["id"]
        kc.stop_channels()
        km.restart_kernel(now=False)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        reply, seen = collect(kc, "'crumbs' in globals()")
        assert reply["status"] == "ok"
        assert [c["data"]["text/plain"] for c in outputs(seen, "execute_result")] == ["False"]
        assert get_json(f"{gateway.url}/sessions")["sessions"][-1]["id"] != first
        assert session_state(gateway, first) in ("gone", "killed", "dead", "shutting_down")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_a_kept_session_survives_a_restart_and_attach_brings_its_variables_back(kernelspecs, gateway):
    km, kc = start_new_kernel(kernel_name="hearth-pyspark", startup_timeout=60)
    kept = None
    try:
        reply, seen = collect(kc, "%keep")
        assert reply["status"] == "error" and reply["ename"] == "NoSession"
        collect(kc, "crumbs = 3")
        kept = get_json(f"{gateway.url}/sessions")["sessions"][-1]["id"]
        reply, seen = collect(kc, "%keep")
        assert reply["status"] == "ok", reply
        assert f"%attach {kept} reattaches" in "".join(c["text"] for c in outputs(seen, "stream"))
        kc.stop_channels()
        km.restart_kernel(now=False)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        assert session_state(gateway, kept) == "idle", "a kept session outlives the kernel's restart"
        reply, _ = collect(kc, f"%attach {kept}")
        assert reply["status"] == "ok", reply
        reply, seen = collect(kc, "crumbs + 39")
        assert [c["data"]["text/plain"] for c in outputs(seen, "execute_result")] == ["42"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        if kept is not None:
            assert session_state(gateway, kept) == "idle", "an attached session outlives the kernel's shutdown"
            urllib.request.urlopen(urllib.request.Request(f"{gateway.url}/sessions/{kept}", method="DELETE"),
                                   timeout=30).close()


def test_a_dead_session_shows_why_and_its_log_and_the_next_cell_starts_a_new_one(kernelspecs, gateway):
    km, kc = start_new_kernel(kernel_name="hearth-pyspark", startup_timeout=60)
    try:
        collect(kc, "1")
        first = get_json(f"{gateway.url}/sessions")["sessions"][-1]["id"]
        # The Python interpreter's parent is the engine JVM: killing it is the engine crash this test needs.
        reply, seen = collect(kc, "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(30)")
        assert reply["status"] == "error"
        [error] = outputs(seen, "error")
        text = "\n".join(error["traceback"])
        assert f"Spark session {first} is" in text
        assert "The last lines of its log:" in text and "The next cell starts a new session." in text
        assert "at io.hearth" not in text and ".java:" not in text

        reply, seen = collect(kc, "40 + 2")
        assert reply["status"] == "ok"
        assert [c["data"]["text/plain"] for c in outputs(seen, "execute_result")] == ["42"]
        assert get_json(f"{gateway.url}/sessions")["sessions"][-1]["id"] != first
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_no_gateway_says_which_url_was_tried_and_how_to_start_one(tmp_path, monkeypatch):
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("JUPYTER_PATH", str(install_kernels(tmp_path, url, "nogw")))
    km, kc = start_new_kernel(kernel_name="nogw-pyspark", startup_timeout=60)
    try:
        reply, seen = collect(kc, "1 + 1", timeout=60)
        assert reply["status"] == "error" and reply["ename"] == "GatewayUnreachableError"
        text = "\n".join(outputs(seen, "error")[0]["traceback"])
        assert url in text and "bin/hearth lab" in text
        assert "at io.hearth" not in text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_kernel_install_list_remove_through_bin_hearth(tmp_path):
    hearth = str(KERNEL_JAR.parents[2] / "bin" / "hearth")
    installed = subprocess.run([hearth, "kernel", "install", "--prefix", str(tmp_path), "--gateway",
                                "http://127.0.0.1:8998"], check=True, capture_output=True, text=True)
    assert installed.stdout.count("Installed kernelspec") == 4
    env = dict(os.environ, JUPYTER_PATH=str(tmp_path / "share" / "jupyter"))
    jupyter = subprocess.run([str(KERNEL_JAR.parents[2] / ".venv" / "bin" / "jupyter"), "kernelspec", "list", "--json"],
                             check=True, capture_output=True, text=True, env=env)
    specs = json.loads(jupyter.stdout)["kernelspecs"]
    assert {specs[n]["spec"]["display_name"] for n in ("hearth-pyspark", "hearth-spark", "hearth-sql", "hearth-java")} \
        == {"PySpark (Hearth)", "Spark Scala (Hearth)", "Spark SQL (Hearth)", "Java Spark (Hearth)"}
    assert specs["hearth-sql"]["spec"]["language"] == "sql"
    listed = subprocess.run([hearth, "kernel", "list", "--prefix", str(tmp_path)], check=True, capture_output=True,
                            text=True).stdout
    assert len(listed.strip().splitlines()) == 4
    subprocess.run([hearth, "kernel", "remove", "--prefix", str(tmp_path)], check=True, capture_output=True)
    listed = subprocess.run([hearth, "kernel", "list", "--prefix", str(tmp_path)], check=True, capture_output=True,
                            text=True).stdout
    assert "No Hearth kernelspecs" in listed


def test_credentials_come_from_the_environment_or_the_config_file_never_the_notebook(tmp_path, monkeypatch):
    token = "bakery-" + uuid.uuid4().hex
    tokens = tmp_path / "tokens"
    tokens.write_text(f"ada:sha256:{hashlib.sha256(token.encode()).hexdigest()}\n")
    tokens.chmod(0o600)
    gw = Gateway(uuid.uuid4().hex, tmp_path / "gateway.log", HEARTH_AUTH_METHODS="token",
                 HEARTH_AUTH_TOKENS_FILE=str(tokens), HEARTH_ENGINE_SHARED_OS_USER="true")
    try:
        monkeypatch.setenv("JUPYTER_PATH", str(install_kernels(tmp_path, gw.url, "auth")))
        config = tmp_path / "kernel.json"
        monkeypatch.setenv("HEARTH_KERNEL_CONFIG", str(config))
        monkeypatch.delenv("HEARTH_GATEWAY_TOKEN", raising=False)

        km, kc = start_new_kernel(kernel_name="auth-pyspark", startup_timeout=60)
        try:
            reply, seen = collect(kc, "1 + 1", timeout=60)
            assert reply["status"] == "error" and "401" in reply["evalue"], reply
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)

        config.write_text(json.dumps({"token": token}))
        km, kc = start_new_kernel(kernel_name="auth-pyspark", startup_timeout=60)
        try:
            reply, seen = collect(kc, "6 * 7")
            assert reply["status"] == "ok", reply
            assert [c["data"]["text/plain"] for c in outputs(seen, "execute_result")] == ["42"]
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        assert token not in Path(gw.log_path).read_text()
    finally:
        gw.stop()


def test_a_session_that_cannot_start_shows_why_with_its_log_and_the_next_cell_tries_a_new_one(tmp_path, monkeypatch):
    # A gateway whose Python does not exist: every pyspark engine fails its start-up check, a real start failure.
    gw = Gateway(uuid.uuid4().hex, tmp_path / "gateway.log", HEARTH_PYTHON=str(tmp_path / "no-such-python"))
    try:
        monkeypatch.setenv("JUPYTER_PATH", str(install_kernels(tmp_path, gw.url, "nopy")))
        km, kc = start_new_kernel(kernel_name="nopy-pyspark", startup_timeout=60)
        try:
            tried = []
            for _ in range(2):
                reply, seen = collect(kc, "1 + 1", timeout=180)
                assert reply["status"] == "error" and reply["ename"] == "SparkSessionError", reply
                text = "\n".join(outputs(seen, "error")[0]["traceback"])
                assert "The last lines of its log:" in text and "no-such-python" in text, text
                assert "The next cell starts a new session." in text
                assert "at io.hearth" not in text
                tried.append(int(text.split("Spark session ")[1].split(" ")[0]))
            assert tried[0] != tried[1], "the second cell started a new session"
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
    finally:
        gw.stop()


class EventlessProxy:
    """A loopback HTTP proxy in front of the real gateway that answers 404 for statement events, as a plain Livy server
    does. A fake for a fault the real gateway cannot be made to show: it always serves its events endpoint. With
    livy=True it also acts as Livy does in the rest: the long-poll's query parameters are ignored (dropped) and
    statements carry no "hearth" extension."""

    def __init__(self, target, livy):
        import http.server
        import threading
        proxy = self
        self.target = target
        self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.forward()

            def do_POST(self):
                self.forward()

            def do_DELETE(self):
                self.forward()

            def forward(self):
                proxy.requests.append((self.command, self.path))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path
                if path.split("?")[0].endswith("/events"):
                    return self.answer(404, b'{"msg": "Not Found"}')
                if livy:
                    path = path.split("?")[0]
                # Accept is dropped too: a server without events answers a statement's POST with JSON, whatever
                # the client accepts.
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "content-length", "accept-encoding", "accept")}
                request = urllib.request.Request(proxy.target + path, data=body if body else None, method=self.command,
                                                 headers=headers)
                try:
                    with urllib.request.urlopen(request, timeout=70) as r:
                        status, answer = r.status, r.read()
                except urllib.error.HTTPError as e:
                    status, answer = e.code, e.read()
                if livy and answer.startswith(b"{"):
                    parsed = json.loads(answer)
                    parsed.pop("hearth", None)
                    answer = json.dumps(parsed).encode()
                self.answer(status, answer)

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except BrokenPipeError:  # the kernel's quick DELETE at shutdown may not wait for the answer
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="eventless-proxy", daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)


@pytest.mark.parametrize("livy", [True, False], ids=["plain-livy", "hearth-without-events"])
def test_without_the_events_endpoint_the_kernel_polls_and_still_shows_output_results_and_errors(
        gateway, tmp_path, monkeypatch, livy):
    proxy = EventlessProxy(gateway.url, livy)
    try:
        monkeypatch.setenv("JUPYTER_PATH", str(install_kernels(tmp_path, proxy.url, "eventless")))
        km, kc = start_new_kernel(kernel_name="eventless-pyspark", startup_timeout=60)
        try:
            reply, seen = collect(kc, 'print("rye")\n6 * 7')
            assert reply["status"] == "ok", reply
            [result] = [c["data"]["text/plain"] for c in outputs(seen, "execute_result")]
            stdout = "".join(c["text"] for c in outputs(seen, "stream") if c["name"] == "stdout")
            if livy:
                # Livy's output: the printed text and the result's, together, at the end.
                assert result == "rye\n42", result
            else:
                assert (stdout, result) == ("rye\n", "42")

            reply, seen = collect(kc, "def divide(a, b):\n    return a / b\n\ndivide(1, 0)")
            assert reply["status"] == "error" and reply["ename"] == "ZeroDivisionError", reply
            assert "return a / b" in "\n".join(outputs(seen, "error")[0]["traceback"])

            reply, seen = collect(kc, "spark.range(10).count()")
            assert reply["status"] == "ok", reply
            assert [c["data"]["text/plain"] for c in outputs(seen, "execute_result")][0].endswith("10")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        events = [path for _, path in proxy.requests if path.split("?")[0].endswith("/events")]
        assert len(events) == 1, "the session's missing events endpoint is remembered after the first 404"
    finally:
        proxy.stop()
