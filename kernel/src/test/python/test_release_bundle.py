"""The release bundle installs and runs from the tarball alone: unpacked in a clean directory, with a PATH holding only
a JDK 17, Jupyter and the system's tools (no Maven, no checkout), its gateway runs on loopback over HTTPS with a token
(certificate and token made with the bundle's own tools), its kernels install pointing there with the CA, and the
quickstart notebook (the bundle's copy) runs through the installed kernelspec with nbclient (jupyter nbconvert)."""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import uuid
import zipfile
from pathlib import Path

import nbformat
import pytest

from bakery_orders import assert_quickstart_outputs
from conftest import REPO, free_port, processes_with_marker, wait_until
from release_bundle import host_env, kernel_install_command, unpack_bundle

# The Python the operator gives the gateway for its sessions: the venv's (it lives in the checkout here, so it is the
# one part of the checkout the running bundle may touch). The venv's own path, not its interpreter's resolved one.
VENV = (REPO / ".venv").resolve()
PYTHON = REPO / ".venv" / "bin" / "python"


def checkout_paths_in(text, allowed=(str(REPO / ".venv"), str(VENV))):
    """The paths into the checkout that text names, minus those under the allowed directories."""
    roots = "|".join(re.escape(r) for r in {str(REPO), str(REPO.resolve())})
    found = re.findall(rf"(?:{roots})(?=[/\0\s:\"',;=]|$)[^\0\s:\"',;=]*", text)
    return [p for p in found if not any(p == a or p.startswith(a + "/") for a in allowed)]


def process_references(pid):
    """What a live process names: its command line, environment, working directory and open files."""
    proc = Path("/proc") / str(pid)
    parts = [(proc / "cmdline").read_bytes().decode(errors="replace"),
             (proc / "environ").read_bytes().decode(errors="replace"), os.readlink(proc / "cwd")]
    for fd in (proc / "fd").iterdir():
        try:
            parts.append(os.readlink(fd))
        except OSError:
            continue
    return "\0".join(parts)


def sample_references(marker, references, stop):
    """Adds what each process carrying the marker names to references, each second until stop is set."""
    while not stop.is_set():
        for pid in processes_with_marker(marker):
            try:
                references[pid] = references.get(pid, "") + "\0" + process_references(pid)
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue  # it ended while being read
        stop.wait(1)


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    """The bundle unpacked in a clean directory, and the environment of a host with a JDK 17 and Jupyter."""
    tmp = tmp_path_factory.mktemp("release")
    bundle = unpack_bundle(tmp / "opt")
    (tmp / "home").mkdir()
    return bundle, host_env(tmp / "tools", tmp / "home"), tmp


@pytest.fixture(scope="module")
def bed(unpacked):
    """The operator's steps with the bundle's own tools: a CA and certificate, a token, a config; the gateway over
    HTTPS with token authentication on loopback; the kernels installed with its URL and CA; the quickstart run."""
    bundle, env, tmp = unpacked
    marker = uuid.uuid4().hex
    tls = tmp / "tls"
    made = subprocess.run([str(bundle / "bin" / "hearth"), "gateway", "tls-selfsigned", "localhost", "--out", str(tls)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stdout + made.stderr
    token = secrets.token_urlsafe(32)
    hashed = subprocess.run([str(bundle / "bin" / "hearth"), "gateway", "hash-token", "alice"], input=token + "\n",
                            env=env, capture_output=True, text=True, timeout=60, check=True)
    (tmp / "tokens").write_text(hashed.stdout)
    config = tmp / "hearth.properties"
    config.write_text(f"hearth.python={PYTHON}\nhearth.state.dir={tmp / 'state'}\n"
                      f"hearth.gateway.tls.cert-file={tls / 'server.pem'}\n"
                      f"hearth.gateway.tls.key-file={tls / 'server-key.pem'}\n"
                      f"hearth.auth.methods=token\nhearth.auth.tokens-file={tmp / 'tokens'}\n"
                      # Engines as the gateway's own account: the test has no OS account per user.
                      "hearth.engine.shared-os-user=true\n"
                      # No warm engine beside the test's own session: it would only cost the test time.
                      "hearth.pool.size=0\n")
    port = free_port()
    log = open(tmp / "gateway.log", "wb")
    # In the bundle's directory, so that the quickstart's notebooks/data paths are the bundle's copy.
    gateway = subprocess.Popen(
        [str(bundle / "bin" / "hearth-gateway"), "--port", str(port), "--config", str(config)], cwd=bundle,
        stdout=log, stderr=subprocess.STDOUT,
        env={**env, "HEARTH_TEST_MARKER": marker, "HEARTH_ENGINE_ENV": "HEARTH_TEST_MARKER"})

    def listening():
        assert gateway.poll() is None, (tmp / "gateway.log").read_text()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    wait_until(listening, 60, what="the bundle's gateway")
    url = f"https://localhost:{port}"
    prefix = tmp / "jupyter"
    install = subprocess.run(kernel_install_command(bundle, prefix, url, "--ca-file", str(tls / "ca.pem")), env=env,
                             capture_output=True, text=True, timeout=60)
    executed = tmp / "quickstart.executed.ipynb"
    # While the notebook runs: what the gateway, the kernel and the engine (and its Python) name, sampled each second.
    references, stop = {}, threading.Event()
    sampler = threading.Thread(target=sample_references, args=(marker, references, stop), name="bundle-sampler")
    sampler.start()
    run = subprocess.run(
        ["jupyter", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=hearth-pyspark",
         "--ExecutePreprocessor.timeout=600", "--ExecutePreprocessor.startup_timeout=120", "--output-dir", str(tmp),
         "--output", executed.name, str(bundle / "notebooks" / "quickstart.ipynb")],
        cwd=tmp, env={**env, "JUPYTER_PATH": str(prefix / "share" / "jupyter"), "HEARTH_TEST_MARKER": marker,
                      "HEARTH_GATEWAY_TOKEN": token},
        capture_output=True, text=True, timeout=900)
    stop.set()
    sampler.join()
    yield {"bundle": bundle, "env": env, "install": install, "run": run, "executed": executed, "prefix": prefix,
           "ca": tls / "ca.pem", "token": token,
           "references": references, "gateway": gateway, "marker": marker, "log": tmp / "gateway.log"}
    if gateway.poll() is None:
        gateway.send_signal(signal.SIGTERM)
        try:
            gateway.wait(60)
        except subprocess.TimeoutExpired:
            gateway.kill()
            gateway.wait()
    log.close()


def test_the_hosts_path_has_a_jdk_17_and_jupyter_but_no_maven(bed):
    path = bed["env"]["PATH"]
    assert shutil.which("mvn", path=path) is None
    assert shutil.which("jupyter", path=path) is not None
    java = subprocess.run(["java", "-version"], env=bed["env"], capture_output=True, text=True)
    assert 'version "17' in java.stderr


def test_the_kernels_install_from_the_bundle_pointing_at_its_gateway(bed):
    assert bed["install"].returncode == 0, bed["install"].stdout + bed["install"].stderr
    kernels = bed["prefix"] / "share" / "jupyter" / "kernels"
    assert sorted(p.name for p in kernels.iterdir()) == ["hearth-java", "hearth-pyspark", "hearth-spark", "hearth-sql"]
    spec = json.loads((kernels / "hearth-pyspark" / "kernel.json").read_text())
    assert spec["argv"][2] == str(bed["bundle"] / "lib" / "kernel" / "hearth-kernel.jar")
    assert spec["env"]["HEARTH_GATEWAY_URL"].startswith("https://localhost:")
    assert spec["env"]["HEARTH_GATEWAY_CA_FILE"] == str(bed["ca"])
    assert bed["token"] not in json.dumps(spec)
    assert checkout_paths_in(json.dumps(spec), allowed=()) == []


def test_the_quickstart_runs_through_the_installed_kernel(bed):
    run = bed["run"]
    assert run.returncode == 0, run.stdout + run.stderr + bed["log"].read_text()
    assert_quickstart_outputs(nbformat.read(bed["executed"], as_version=4), "local[*]")


def test_the_gateway_kernel_and_engine_touch_nothing_of_the_checkout_but_the_python_they_were_given(bed):
    references = bed["references"]
    lib = bed["bundle"] / "lib"
    ran = {part: [pid for pid, text in references.items() if f"{lib / part}/hearth-" in text]
           for part in ("gateway", "kernel", "engine")}
    assert bed["gateway"].pid in ran["gateway"]
    assert ran["kernel"] and ran["engine"], ran
    for pid, text in references.items():
        assert checkout_paths_in(text) == [], f"process {pid} names the checkout"


def test_no_file_of_the_bundle_names_the_checkout(unpacked):
    offenders = []
    for path in sorted(unpacked[0].rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".jar":
            if not path.name.startswith("hearth-"):
                continue  # a library from Maven Central cannot know this checkout
            with zipfile.ZipFile(path) as z:
                for entry in z.namelist():
                    if checkout_paths_in(z.read(entry).decode("latin-1"), allowed=()):
                        offenders.append(f"{path}!{entry}")
        elif checkout_paths_in(path.read_bytes().decode("latin-1"), allowed=()):
            offenders.append(str(path))
    assert offenders == []


def test_the_bundle_carries_the_licenses_of_its_libraries(unpacked):
    bundle = unpacked[0]
    table = (bundle / "licenses" / "THIRD-PARTY.md").read_text()
    libraries = {p.name for p in bundle.glob("lib/*/lib/*.jar") if not p.name.startswith("hearth-")}
    listed = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and ".jar" in line}
    assert libraries == listed
    assert "org.apache.spark:spark-core_2.13:4.2.0 | Apache" in table
    assert (bundle / "licenses" / "spark-core_2.13-4.2.0" / "META-INF_LICENSE").is_file()


def test_the_gateway_stops_with_its_engines_on_sigterm(bed):
    bed["gateway"].send_signal(signal.SIGTERM)
    bed["gateway"].wait(60)
    wait_until(lambda: processes_with_marker(bed["marker"]) == [], 30, what="no process of the bundle's gateway left")


def run_launcher(unpacked, *args, **env):
    bundle, host, _ = unpacked
    return subprocess.run([str(bundle / "bin" / "hearth"), *args], env={**host, **env}, capture_output=True,
                          text=True, timeout=60)


def test_the_gateway_without_a_python_that_has_pyspark_says_what_to_install(unpacked):
    missing = run_launcher(unpacked, "gateway", HEARTH_PYTHON="/nonexistent/python3")
    assert missing.returncode == 1
    assert "no Python for sessions: '/nonexistent/python3' is not found" in missing.stderr
    assert "pip install pyspark==4.2.0" in missing.stderr and "hearth.python" in missing.stderr
    # The system's Python, without pyspark: the one on the host's PATH.
    bare = run_launcher(unpacked, "gateway", HEARTH_PYTHON="python3")
    assert bare.returncode == 1
    assert "cannot import pyspark (ModuleNotFoundError: No module named 'pyspark'): install pyspark==4.2.0 in it" \
        in bare.stderr


def test_the_launcher_refuses_a_java_other_than_17_or_21_saying_which_it_found(unpacked, tmp_path):
    # A fake JDK: no Java 11 is installed here to cause this for real. It answers -version as Java 11 does.
    fake = tmp_path / "jdk11"
    (fake / "bin").mkdir(parents=True)
    (fake / "bin" / "java").write_text('#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n')
    (fake / "bin" / "java").chmod(0o755)
    old = run_launcher(unpacked, "gateway", JAVA_HOME=str(fake))
    assert old.returncode == 1
    assert f"{fake}/bin/java is Java 11, but Spark 4.2.0 runs on Java 17 or 21: set JAVA_HOME to a JDK 17" in old.stderr
    kernel = run_launcher(unpacked, "kernel", "list", JAVA_HOME=str(fake))
    assert "the Hearth kernel needs Java 17 or newer" in kernel.stderr
    nowhere = run_launcher(unpacked, "kernel", "list", JAVA_HOME=str(tmp_path / "none"))
    assert "which has no bin/java" in nowhere.stderr


def test_the_gateways_tools_pass_through_without_python(unpacked):
    result = run_launcher(unpacked, "gateway", "settings", HEARTH_PYTHON="/nonexistent/python3")
    assert result.returncode == 0, result.stderr
    assert "| `hearth.python` | `HEARTH_PYTHON` |" in result.stdout
    assert run_launcher(unpacked, "version").stdout.startswith("Hearth ")


def test_every_key_of_the_example_configuration_is_a_gateway_setting(unpacked):
    example = (unpacked[0] / "conf" / "hearth.properties.example").read_text()
    keys = set(re.findall(r"^#?(hearth\.[a-z.-]+)=", example, re.MULTILINE))
    settings = run_launcher(unpacked, "gateway", "settings").stdout
    known = set(re.findall(r"^\| `(hearth\.[a-z.-]+)` \|", settings, re.MULTILINE))
    assert len(keys) > 20 and keys <= known, keys - known


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_the_systemd_unit_example_is_a_valid_unit(unpacked, tmp_path):
    # Verified as systemd reads it; only the program is swapped for one that exists here (no /opt/hearth).
    unit = (unpacked[0] / "systemd" / "hearth-gateway.service").read_text()
    assert "ExecStart=/opt/hearth/bin/hearth-gateway --config /etc/hearth/hearth.properties" in unit
    (tmp_path / "hearth-gateway.service").write_text(unit.replace("/opt/hearth/bin/hearth-gateway", "/bin/true"))
    verify = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "hearth-gateway.service")],
                            capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and verify.stderr == "", verify.stderr
