"""The release bundle (`bin/hearth dist`) for tests: the tarball, unpacked into a clean directory, and a PATH like a
host's that has only a JDK 17, Jupyter and the system's own tools (no Maven, no other Java, nothing of the checkout).

Reusable by any test that installs from the bundle (e.g. on a notebook host in a network namespace): `bundle_tarball()`,
`unpack_bundle(dest)`, `host_path(tools_dir)`, `kernel_install_command(...)`.

One bed made from the bundle serves every test of the run that needs a bundle's gateway or kernel (test_release_bundle,
test_notebook_on_another_host): the `bundle_bed` fixture (conftest imports it), since unpacking the bundle and running
the quickstart through it are among the slowest steps of the Python-side tests.
"""
import os
import re
import secrets
import shutil
import subprocess
import tarfile
import threading
import uuid
from pathlib import Path

import pytest

from conftest import REPO, processes_with_marker, wait_until

VENV_BIN = REPO / ".venv" / "bin"
# The JDK the build uses (bin/hearth exports JAVA_HOME); else the java on PATH, resolved to its JDK.
_JAVA = Path(os.environ["JAVA_HOME"]) / "bin" / "java" if os.environ.get("JAVA_HOME") else None
SYSTEM_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
# What a host without a build tool chain lacks: Maven, and any Java but the JDK we put first.
NOT_ON_A_HOST = ("/usr/share/maven", "/usr/lib/jvm")


def jdk_home():
    """The JDK 17 the tests run with: JAVA_HOME's, else the one of the java on PATH."""
    java = _JAVA if _JAVA and _JAVA.exists() else Path(shutil.which("java"))
    return java.resolve().parents[1]


def _newest_input():
    """The newest modification time among what the bundle is made of (the jars, and dist/'s own files)."""
    inputs = [REPO / "session-gateway/target/hearth-session-gateway.jar", REPO / "engine/target/hearth-engine.jar",
              REPO / "kernel/target/hearth-kernel.jar"]
    for folder in ("dist", "notebooks", "kernelspec"):
        inputs += [p for p in (REPO / folder).rglob("*") if p.is_file() and not p.name.endswith((".tar.gz", ".part"))]
    return max(p.stat().st_mtime for p in inputs)


def bundle_tarball():
    """The tarball: $HEARTH_DIST_TARBALL (`bin/hearth test` builds it once), else dist/hearth-*.tar.gz, built with
    `bin/hearth dist --fast` when missing or older than what it is made of."""
    given = os.environ.get("HEARTH_DIST_TARBALL")
    if given:
        return Path(given)
    built = sorted((REPO / "dist").glob("hearth-*.tar.gz"))
    if len(built) != 1 or built[0].stat().st_mtime < _newest_input():
        for old in built:
            old.unlink()
        subprocess.run([str(REPO / "bin" / "hearth"), "dist", "--fast"], cwd=REPO, check=True, capture_output=True,
                       timeout=900)
        built = sorted((REPO / "dist").glob("hearth-*.tar.gz"))
    assert len(built) == 1, built
    return built[0]


def unpack_bundle(dest, tarball=None):
    """Unpacks the bundle into dest (created, must be empty or new); returns its top directory (hearth-<version>)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball or bundle_tarball()) as tar:
        tops = {m.name.split("/", 1)[0] for m in tar.getmembers()}
        assert len(tops) == 1, f"the bundle must have one top directory, has {tops}"
        tar.extractall(dest, filter="tar")
    return dest / tops.pop()


def host_path(tools_dir):
    """A PATH for a host that has a JDK 17, Jupyter (the venv's) and its system tools but no Maven and no other Java:
    tools_dir is filled with links to the system's executables (minus those) and to the venv's jupyter commands."""
    system = Path(tools_dir) / "system"
    jupyter = Path(tools_dir) / "jupyter"
    system.mkdir(parents=True, exist_ok=True)
    jupyter.mkdir(parents=True, exist_ok=True)
    for folder in SYSTEM_DIRS:
        if not os.path.isdir(folder):
            continue
        for entry in os.scandir(folder):
            target = os.path.realpath(entry.path)
            if any(target.startswith(p) or entry.path.startswith(p) for p in NOT_ON_A_HOST) \
                    or entry.name.startswith("mvn") or (system / entry.name).exists() \
                    or not os.access(target, os.X_OK) or os.path.isdir(target):
                continue
            (system / entry.name).symlink_to(target)
    for entry in VENV_BIN.iterdir():
        if entry.name.startswith("jupyter"):
            (jupyter / entry.name).symlink_to(entry)
    return os.pathsep.join([str(jdk_home() / "bin"), str(jupyter), str(system)])


def host_env(tools_dir, home, **extra):
    """A minimal environment of such a host: its PATH, a HOME of its own, no JAVA_HOME, no HEARTH_* of the caller."""
    env = {"PATH": host_path(tools_dir), "HOME": str(home), "LANG": os.environ.get("LANG", "C.UTF-8")}
    env.update(extra)
    return env


def kernel_install_command(bundle, prefix, gateway_url, *more):
    """The command that installs the four kernels from the bundle into prefix, pointing at gateway_url."""
    return [str(Path(bundle) / "bin" / "hearth"), "kernel", "install", "--prefix", str(prefix),
            "--gateway", gateway_url, *more]


# The Python the operator gives the gateway for its sessions: the venv's (it lives in the checkout here, so it is the
# one part of the checkout the running bundle may touch). The venv's own path, not its interpreter's resolved one.
SESSION_PYTHON = REPO / ".venv" / "bin" / "python"


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


class BundleBed:
    """The bundle unpacked on a clean host and set up as its README tells an operator, with the bundle's own tools
    only: a CA and a certificate for `gateway`, a token and a Basic user, a config; its gateway on the `gateway` host
    of the separate-hosts bed (HTTPS, token and Basic authentication, all addresses); its kernels installed on
    `notebook` pointing at it with the CA; and the bundle's quickstart run there with jupyter nbconvert while what
    every process of it names is sampled."""

    def __init__(self, host_bed, unpacked):
        self.host_bed = host_bed
        self.bundle, self.env, tmp = unpacked
        self.tmp = tmp
        self.marker = uuid.uuid4().hex
        tls = tmp / "tls"
        made = self.tool("gateway", "tls-selfsigned", "gateway", "--out", str(tls))
        assert made.returncode == 0, made.stdout + made.stderr
        self.ca = tls / "ca.pem"
        self.token, self.user, self.password = secrets.token_urlsafe(32), "sparkmagic", secrets.token_urlsafe(18)
        self.tokens_file, self.users_file = tmp / "tokens", tmp / "users"
        for file, command, user, secret in ((self.tokens_file, "hash-token", "alice", self.token),
                                            (self.users_file, "hash-password", self.user, self.password)):
            hashed = self.tool("gateway", command, user, secret=secret)
            assert hashed.returncode == 0, hashed.stdout + hashed.stderr
            file.write_text(hashed.stdout)
        config = tmp / "hearth.properties"
        config.write_text(f"hearth.python={SESSION_PYTHON}\nhearth.state.dir={tmp / 'state'}\n"
                          f"hearth.gateway.tls.cert-file={tls / 'server.pem'}\n"
                          f"hearth.gateway.tls.key-file={tls / 'server-key.pem'}\n"
                          f"hearth.auth.methods=token,basic\nhearth.auth.tokens-file={self.tokens_file}\n"
                          f"hearth.auth.users-file={self.users_file}\n"
                          # Engines as the gateway's own account: the test has no OS account per user.
                          "hearth.engine.shared-os-user=true\n"
                          # No warm engine beside the tests' own sessions: it would only cost test time.
                          "hearth.pool.size=0\n")
        self.log_path = tmp / "gateway.log"
        self.log = open(self.log_path, "wb")
        # In the bundle's directory, so that the quickstart's notebooks/data paths are the bundle's copy. Engines' Spark
        # stays on loopback (the machine's own name is loopback on every host of the bed).
        self.gateway = host_bed.popen(
            "gateway", [self.bundle / "bin" / "hearth-gateway", "--host", "0.0.0.0", "--port", "0", "--config", config],
            cwd=self.bundle, stdout=self.log, stderr=subprocess.STDOUT,
            env={**self.env, "HEARTH_TEST_MARKER": self.marker, "HEARTH_ENGINE_ENV": "HEARTH_TEST_MARKER",
                 "SPARK_LOCAL_IP": "127.0.0.1"})
        self.port = int(wait_until(self._port, 90, what=f"the bundle's gateway (log: {self.log_path})"))
        self.prefix = tmp / "jupyter"
        self.install = host_bed.run("notebook", kernel_install_command(self.bundle, self.prefix, self.url(),
                                                                       "--ca-file", str(self.ca)),
                                    env=self.env, capture_output=True, text=True, timeout=120)
        self.jupyter_path = self.prefix / "share" / "jupyter"
        self.executed = tmp / "quickstart.executed.ipynb"
        self.references = {}
        self.quickstart = self._run_quickstart()

    def tool(self, *args, secret=None):
        """The bundle's launcher run on this host (`hearth gateway hash-token ...`), secret on its stdin."""
        return subprocess.run([str(self.bundle / "bin" / "hearth"), *args], env=self.env, input=secret and secret + "\n",
                              capture_output=True, text=True, timeout=60)

    def _port(self):
        if self.gateway.poll() is not None:
            raise AssertionError(f"the bundle's gateway exited with {self.gateway.returncode}: "
                                 f"{self.log_path.read_text(errors='replace')}")
        found = re.search(r"Hearth gateway listening on \S+:(\d+)", self.log_path.read_text(errors="replace"))
        return found and found.group(1)

    def url(self, name="gateway"):
        """The gateway's URL for a client on another host, by host name (or an address)."""
        return f"https://{name}:{self.port}"

    def _run_quickstart(self):
        # While the notebook runs: what the gateway, the kernel and the engine (and its Python) name, each second.
        stop = threading.Event()
        sampler = threading.Thread(target=sample_references, args=(self.marker, self.references, stop),
                                   name="bundle-sampler")
        sampler.start()
        try:
            return self.host_bed.run(
                "notebook",
                ["jupyter", "nbconvert", "--to", "notebook", "--execute",
                 "--ExecutePreprocessor.kernel_name=hearth-pyspark", "--ExecutePreprocessor.timeout=600",
                 "--ExecutePreprocessor.startup_timeout=120", "--output-dir", self.tmp, "--output", self.executed.name,
                 self.bundle / "notebooks" / "quickstart.ipynb"],
                cwd=self.tmp, env={**self.env, "JUPYTER_PATH": str(self.jupyter_path),
                                   "HEARTH_TEST_MARKER": self.marker, "HEARTH_GATEWAY_TOKEN": self.token},
                capture_output=True, text=True, timeout=900)
        finally:
            stop.set()
            sampler.join()

    def stop(self):
        if self.gateway.poll() is None:
            self.gateway.terminate()
            try:
                self.gateway.wait(60)
            except subprocess.TimeoutExpired:
                self.gateway.kill()
                self.gateway.wait()
        self.log.close()


@pytest.fixture(scope="session")
def unpacked_bundle(tmp_path_factory):
    """The bundle unpacked in a clean directory, and the environment of a host with a JDK 17 and Jupyter:
    (bundle dir, environment, work dir)."""
    tmp = tmp_path_factory.mktemp("release")
    bundle = unpack_bundle(tmp / "opt")
    (tmp / "home").mkdir()
    return bundle, host_env(tmp / "tools", tmp / "home"), tmp


@pytest.fixture(scope="session")
def bundle_bed(host_bed, unpacked_bundle):
    """The one BundleBed of the run (its gateway stops at the run's end, or in the test that stops it on purpose)."""
    bed = BundleBed(host_bed, unpacked_bundle)
    yield bed
    bed.stop()
