"""The release bundle (`bin/hearth dist`) for tests: the tarball, unpacked into a clean directory, and a PATH like a
host's that has only a JDK 17, Jupyter and the system's own tools (no Maven, no other Java, nothing of the checkout).

Reusable by any test that installs from the bundle (e.g. on a notebook host in a network namespace): `bundle_tarball()`,
`unpack_bundle(dest)`, `host_path(tools_dir)`, `kernel_install_command(...)`.
"""
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from conftest import REPO

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
