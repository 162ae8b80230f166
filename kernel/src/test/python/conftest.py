"""Shared real parts for the Python-side tests: one gateway (real HTTP, real engines) and the Hearth kernelspecs."""
import importlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from separate_hosts import host_bed  # noqa: F401 (the separate-hosts bed, one per test run)

REPO = Path(__file__).resolve().parents[4]
# Kernels the tests start open their session at the first cell, as before: a kernel started early would start an engine
# for every test that only asks for completions or kernel_info. Tests of the early start set "early" themselves.
os.environ.setdefault("HEARTH_SESSION_START", "first-cell")

GATEWAY_JAR = REPO / "session-gateway" / "target" / "hearth-session-gateway.jar"
ENGINE_JAR = REPO / "engine" / "target" / "hearth-engine.jar"
KERNEL_JAR = REPO / "kernel" / "target" / "hearth-kernel.jar"


def java():
    home = os.environ.get("JAVA_HOME")
    return str(Path(home) / "bin" / "java") if home else "java"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hearth_env(**extra):
    """The environment bin/hearth gives its children, plus a marker that lets a test find every process it caused."""
    env = dict(os.environ)
    env.pop("JUPYTER_PATH", None)  # the kernelspecs fixture's private prefix is for in-process clients only
    env.setdefault("HEARTH_ENGINE_JAR", str(ENGINE_JAR))
    env.setdefault("HEARTH_PYTHON", sys.executable)
    # Every gateway a test starts keeps its sessions in a directory of its own, never in the user's.
    env["HEARTH_STATE_DIR"] = tempfile.mkdtemp(prefix="hearth-test-state-")
    # Engines get only an allow-list of the gateway's environment: the marker must be named to reach them.
    env["HEARTH_ENGINE_ENV"] = "HEARTH_TEST_MARKER"
    # No pool of warm engines unless a test asks for one: an engine nobody uses costs the suite time and memory.
    env.setdefault("HEARTH_POOL_SIZE", "0")
    env.update(extra)
    return env


def processes_with_marker(marker):
    """Pids of live processes whose environment carries HEARTH_TEST_MARKER=marker (children inherit it)."""
    needle = f"HEARTH_TEST_MARKER={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                status = (entry / "status").read_text()
                if "State:\tZ" not in status:
                    found.append(int(entry.name))
        except (FileNotFoundError, PermissionError, ProcessLookupError):
            continue
    return found


def wait_until(predicate, timeout, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Gateway:
    """A real gateway process on a free loopback port, started from the built jar (or another, with JVM options);
    over HTTPS when its environment names a certificate (url says https://localhost:PORT then)."""

    def __init__(self, marker, log_path, jar=GATEWAY_JAR, jvm_options=(), **extra_env):
        self.marker = marker
        self.port = free_port()
        self.url = (f"https://localhost:{self.port}" if "HEARTH_GATEWAY_TLS_CERT_FILE" in extra_env
                    else f"http://127.0.0.1:{self.port}")
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [java(), *jvm_options, "-jar", str(jar), "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=REPO, stdout=self.log, stderr=subprocess.STDOUT,
            env=hearth_env(HEARTH_TEST_MARKER=marker, **extra_env))
        wait_until(self._listening, 60, what=f"the gateway on {self.url} (log: {log_path})")

    def _listening(self):
        if self.process.poll() is not None:
            raise AssertionError(f"gateway exited with {self.process.returncode}: {Path(self.log_path).read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def gateway(tmp_path_factory):
    gw = Gateway(uuid.uuid4().hex, tmp_path_factory.mktemp("gateway") / "gateway.log")
    yield gw
    gw.stop()


def tls_selfsigned(directory, *hosts):
    """A CA and a server certificate for hosts, made by the gateway's own `tls-selfsigned`; returns the directory
    (ca.pem, server.pem, server-key.pem)."""
    subprocess.run([java(), "-jar", str(GATEWAY_JAR), "tls-selfsigned", "--out", str(directory), *hosts], check=True,
                   capture_output=True)
    return Path(directory)


@pytest.fixture(scope="session")
def https_gateway(tmp_path_factory):
    """A second real gateway, serving HTTPS with a certificate for localhost from its own CA (https_gateway.ca)."""
    tls = tls_selfsigned(tmp_path_factory.mktemp("tls") / "tls", "localhost")
    gw = Gateway(uuid.uuid4().hex, tmp_path_factory.mktemp("https-gateway") / "gateway.log",
                 HEARTH_GATEWAY_TLS_CERT_FILE=str(tls / "server.pem"),
                 HEARTH_GATEWAY_TLS_KEY_FILE=str(tls / "server-key.pem"))
    gw.ca = tls / "ca.pem"
    yield gw
    gw.stop()


def install_kernels(prefix, gateway_url, name=None, jar=KERNEL_JAR, ca_file=None, class_archive=False):
    """Installs the Hearth kernelspecs into prefix, as `bin/hearth kernel install --prefix` does; returns the Jupyter
    data dir that holds them (for JUPYTER_PATH). The class archive's training run (seconds) is made only where asked:
    for the shared kernelspecs, whose many kernels then start faster."""
    command = [java(), "-jar", str(jar), "install", "--prefix", str(prefix), "--gateway", gateway_url]
    if not class_archive:
        command.append("--no-class-archive")
    if name:
        command += ["--name", name]
    if ca_file:
        command += ["--ca-file", str(ca_file)]
    subprocess.run(command, check=True, capture_output=True)
    return Path(prefix) / "share" / "jupyter"


@pytest.fixture(scope="session")
def kernelspecs(gateway, tmp_path_factory):
    """Installs the Hearth kernelspecs into a private prefix and points Jupyter at it."""
    prefix = tmp_path_factory.mktemp("jupyter-prefix")
    os.environ["JUPYTER_PATH"] = str(install_kernels(prefix, gateway.url, class_archive=True))
    return prefix


@pytest.fixture(scope="session")
def sparkmagic(gateway, tmp_path_factory):
    """sparkmagic's modules, imported after its configuration directory points at the shared gateway (once per test
    process: sparkmagic reads its configuration at its first import)."""
    conf_dir = tmp_path_factory.mktemp("sparkmagic-conf")
    (conf_dir / "config.json").write_text(json.dumps({
        "kernel_python_credentials": {"username": "", "password": "", "url": gateway.url, "auth": "None"},
        # A Spark JVM on a busy 2-core machine can take a while; sparkmagic's default is 60 s.
        "livy_session_startup_timeout_seconds": 300,
        "wait_for_idle_timeout_seconds": 120,
    }))
    with pytest.MonkeyPatch.context() as mp:
        # Read when sparkmagic is first imported (hence the late imports), and when it first reads a setting.
        mp.setenv("SPARKMAGIC_CONF_DIR", str(conf_dir))
        modules = {name: importlib.import_module("sparkmagic." + name) for name in (
            "livyclientlib.endpoint", "livyclientlib.livyreliablehttpclient", "livyclientlib.livysession",
            "livyclientlib.command", "livyclientlib.sqlquery", "livyclientlib.exceptions", "utils.configuration")}
        assert modules["utils.configuration"].kernel_python_credentials()["url"] == gateway.url
    return modules


class Display:
    """What sparkmagic shows a user, collected instead of printed (sparkmagic takes any object with these methods)."""

    def __init__(self):
        self.lines, self.errors, self.htmls, self.shown = [], [], [], []

    def writeln(self, text):
        self.lines.append(text)

    def write(self, text):
        self.lines.append(text)

    def send_error(self, text):
        self.errors.append(text)

    def html(self, text):
        self.htmls.append(text)

    def display(self, obj):
        self.shown.append(obj)


def start_sparkmagic_session(sparkmagic, url=None, **properties):
    """A session started by sparkmagic's own LivySession, as its kernels start one, with these extra properties, on
    the gateway of sparkmagic's configuration or at url."""
    conf = sparkmagic["utils.configuration"]
    endpoint = sparkmagic["livyclientlib.endpoint"].Endpoint(url or conf.kernel_python_credentials()["url"], None)
    client = sparkmagic["livyclientlib.livyreliablehttpclient"].LivyReliableHttpClient.from_endpoint(endpoint)
    session_properties = conf.get_session_properties("python")
    session_properties.update(properties)
    s = sparkmagic["livyclientlib.livysession"].LivySession(client, session_properties, Display(),
                                                             heartbeat_timeout=60)
    s.start()
    return s
