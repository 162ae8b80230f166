"""The release bundle installs and runs from the tarball alone: unpacked in a clean directory, with a PATH holding only
a JDK 17, Jupyter and the system's tools (no Maven, no checkout), its gateway runs on a host of its own over HTTPS with
a token (certificate and token made with the bundle's own tools), its kernels install on the notebook host pointing
there with the CA, and the quickstart notebook (the bundle's copy) runs through the installed kernelspec with nbclient
(jupyter nbconvert). The bed is release_bundle.BundleBed, shared with test_notebook_on_another_host."""
import json
import re
import shutil
import signal
import subprocess
import zipfile

import nbformat
import pytest

from bakery_orders import assert_quickstart_outputs
from conftest import REPO, processes_with_marker, wait_until

# The venv, the one part of the checkout the running bundle may touch (release_bundle.SESSION_PYTHON): its own path,
# not its interpreter's resolved one.
VENV = (REPO / ".venv").resolve()


def checkout_paths_in(text, allowed=(str(REPO / ".venv"), str(VENV))):
    """The paths into the checkout that text names, minus those under the allowed directories."""
    roots = "|".join(re.escape(r) for r in {str(REPO), str(REPO.resolve())})
    found = re.findall(rf"(?:{roots})(?=[/\0\s:\"',;=]|$)[^\0\s:\"',;=]*", text)
    return [p for p in found if not any(p == a or p.startswith(a + "/") for a in allowed)]


def test_the_hosts_path_has_a_jdk_17_and_jupyter_but_no_maven(bundle_bed):
    path = bundle_bed.env["PATH"]
    assert shutil.which("mvn", path=path) is None
    assert shutil.which("jupyter", path=path) is not None
    java = subprocess.run(["java", "-version"], env=bundle_bed.env, capture_output=True, text=True)
    assert 'version "17' in java.stderr


def test_the_kernels_install_from_the_bundle_pointing_at_its_gateway(bundle_bed):
    assert bundle_bed.install.returncode == 0, bundle_bed.install.stdout + bundle_bed.install.stderr
    kernels = bundle_bed.prefix / "share" / "jupyter" / "kernels"
    assert sorted(p.name for p in kernels.iterdir()) == ["hearth-java", "hearth-pyspark", "hearth-spark", "hearth-sql"]
    spec = json.loads((kernels / "hearth-pyspark" / "kernel.json").read_text())
    argv = spec["argv"]
    assert argv[argv.index("-jar") + 1] == str(bundle_bed.bundle / "lib" / "kernel" / "hearth-kernel.jar")
    # install's default: the kernel starts from its class archive, made beside the kernelspecs, not in the bundle.
    archive = kernels / "hearth-pyspark" / "hearth-kernel.jsa"
    assert f"-XX:SharedArchiveFile={archive}" in argv and archive.is_file(), argv
    assert spec["env"]["HEARTH_GATEWAY_URL"].startswith("https://gateway:")
    assert spec["env"]["HEARTH_GATEWAY_CA_FILE"] == str(bundle_bed.ca)
    assert bundle_bed.token not in json.dumps(spec)
    assert checkout_paths_in(json.dumps(spec), allowed=()) == []


def test_the_quickstart_runs_through_the_installed_kernel(bundle_bed):
    run = bundle_bed.quickstart
    assert run.returncode == 0, run.stdout + run.stderr + bundle_bed.log_path.read_text()
    assert_quickstart_outputs(nbformat.read(bundle_bed.executed, as_version=4), "local[*]")


def test_the_gateway_kernel_and_engine_touch_nothing_of_the_checkout_but_the_python_they_were_given(bundle_bed):
    references = bundle_bed.references
    lib = bundle_bed.bundle / "lib"
    ran = {part: [pid for pid, text in references.items() if f"{lib / part}/hearth-" in text]
           for part in ("gateway", "kernel", "engine")}
    assert bundle_bed.gateway.pid in ran["gateway"]
    assert ran["kernel"] and ran["engine"], ran
    for pid, text in references.items():
        assert checkout_paths_in(text) == [], f"process {pid} names the checkout"


def test_no_file_of_the_bundle_names_the_checkout(unpacked_bundle):
    offenders = []
    for path in sorted(unpacked_bundle[0].rglob("*")):
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


def test_the_bundle_carries_the_licenses_of_its_libraries(unpacked_bundle):
    bundle = unpacked_bundle[0]
    table = (bundle / "licenses" / "THIRD-PARTY.md").read_text()
    libraries = {p.name for p in bundle.glob("lib/*/lib/*.jar") if not p.name.startswith("hearth-")}
    listed = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ") and ".jar" in line}
    assert libraries == listed
    assert "org.apache.spark:spark-core_2.13:4.2.0 | Apache" in table
    assert (bundle / "licenses" / "spark-core_2.13-4.2.0" / "META-INF_LICENSE").is_file()


@pytest.mark.stops_bundle_bed
def test_the_gateway_stops_with_its_engines_on_sigterm(bundle_bed):
    bundle_bed.gateway.send_signal(signal.SIGTERM)
    bundle_bed.gateway.wait(60)
    wait_until(lambda: processes_with_marker(bundle_bed.marker) == [], 30, what="no process of the bundle's gateway left")


def run_launcher(unpacked_bundle, *args, **env):
    bundle, host, _ = unpacked_bundle
    return subprocess.run([str(bundle / "bin" / "hearth"), *args], env={**host, **env}, capture_output=True,
                          text=True, timeout=60)


def test_the_gateway_without_a_python_that_has_pyspark_says_what_to_install(unpacked_bundle):
    missing = run_launcher(unpacked_bundle, "gateway", HEARTH_PYTHON="/nonexistent/python3")
    assert missing.returncode == 1
    assert "no Python for sessions: '/nonexistent/python3' is not found" in missing.stderr
    assert "pip install pyspark==4.2.0" in missing.stderr and "hearth.python" in missing.stderr
    # The system's Python, without pyspark: the one on the host's PATH.
    bare = run_launcher(unpacked_bundle, "gateway", HEARTH_PYTHON="python3")
    assert bare.returncode == 1
    assert "cannot import pyspark (ModuleNotFoundError: No module named 'pyspark'): install pyspark==4.2.0 in it" \
        in bare.stderr


def test_the_launcher_refuses_a_java_other_than_17_or_21_saying_which_it_found(unpacked_bundle, tmp_path):
    # A fake JDK: no Java 11 is installed here to cause this for real. It answers -version as Java 11 does.
    fake = tmp_path / "jdk11"
    (fake / "bin").mkdir(parents=True)
    (fake / "bin" / "java").write_text('#!/bin/sh\necho \'openjdk version "11.0.22" 2024-01-16\' >&2\n')
    (fake / "bin" / "java").chmod(0o755)
    old = run_launcher(unpacked_bundle, "gateway", JAVA_HOME=str(fake))
    assert old.returncode == 1
    assert f"{fake}/bin/java is Java 11, but Spark 4.2.0 runs on Java 17 or 21: set JAVA_HOME to a JDK 17" in old.stderr
    kernel = run_launcher(unpacked_bundle, "kernel", "list", JAVA_HOME=str(fake))
    assert "the Hearth kernel needs Java 17 or newer" in kernel.stderr
    nowhere = run_launcher(unpacked_bundle, "kernel", "list", JAVA_HOME=str(tmp_path / "none"))
    assert "which has no bin/java" in nowhere.stderr


def test_the_gateways_tools_pass_through_without_python(unpacked_bundle):
    result = run_launcher(unpacked_bundle, "gateway", "settings", HEARTH_PYTHON="/nonexistent/python3")
    assert result.returncode == 0, result.stderr
    assert "| `hearth.python` | `HEARTH_PYTHON` |" in result.stdout
    assert run_launcher(unpacked_bundle, "version").stdout.startswith("Hearth ")


def test_every_key_of_the_example_configuration_is_a_gateway_setting(unpacked_bundle):
    example = (unpacked_bundle[0] / "conf" / "hearth.properties.example").read_text()
    keys = set(re.findall(r"^#?(hearth\.[a-z.-]+)=", example, re.MULTILINE))
    settings = run_launcher(unpacked_bundle, "gateway", "settings").stdout
    known = set(re.findall(r"^\| `(hearth\.[a-z.-]+)` \|", settings, re.MULTILINE))
    assert len(keys) > 20 and keys <= known, keys - known


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_the_systemd_unit_example_is_a_valid_unit(unpacked_bundle, tmp_path):
    # Verified as systemd reads it; only the program is swapped for one that exists here (no /opt/hearth).
    unit = (unpacked_bundle[0] / "systemd" / "hearth-gateway.service").read_text()
    assert "ExecStart=/opt/hearth/bin/hearth-gateway --config /etc/hearth/hearth.properties" in unit
    (tmp_path / "hearth-gateway.service").write_text(unit.replace("/opt/hearth/bin/hearth-gateway", "/bin/true"))
    verify = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "hearth-gateway.service")],
                            capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0 and verify.stderr == "", verify.stderr
