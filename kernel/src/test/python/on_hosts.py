"""Real parts placed on the separate hosts of separate_hosts.py: a gateway on `gateway`, a Jupyter kernel (driven by
kernel_runner.py) on `notebook`, and the certificates a test CA signs for them."""
import datetime
import hashlib
import json
import os
import queue
import re
import secrets
import subprocess
import sys
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import GATEWAY_JAR, KERNEL_JAR, REPO, hearth_env, java, wait_until

RUNNER = Path(__file__).with_name("kernel_runner.py")


class GatewayOnHost:
    """A real gateway process on a bed's host, listening on all its addresses, with token and Basic authentication
    (engines run as this account: the tests run as root) and, given cert and key files, HTTPS."""

    def __init__(self, bed, log_path, marker, tokens_file, users_file, host="gateway", tls=None, **extra_env):
        self.bed, self.host, self.log_path = bed, host, Path(log_path)
        env = dict(HEARTH_TEST_MARKER=marker, HEARTH_AUTH_METHODS="token,basic",
                   HEARTH_AUTH_TOKENS_FILE=str(tokens_file), HEARTH_AUTH_USERS_FILE=str(users_file),
                   HEARTH_ENGINE_SHARED_OS_USER="true",
                   # Engines' Spark stays on loopback (the machine's own name is loopback on every host of the bed).
                   SPARK_LOCAL_IP="127.0.0.1", **extra_env)
        if tls:
            env.update(HEARTH_GATEWAY_TLS_CERT_FILE=str(tls[0]), HEARTH_GATEWAY_TLS_KEY_FILE=str(tls[1]))
        self.scheme = "https" if tls else "http"
        self.log = open(self.log_path, "wb")
        self.process = bed.popen(host, [java(), "-jar", GATEWAY_JAR, "--host", "0.0.0.0", "--port", "0"], cwd=REPO,
                                 stdout=self.log, stderr=subprocess.STDOUT, env=hearth_env(**env))
        self.port = int(wait_until(self._port, 90, what=f"the gateway on {host} (log: {log_path})"))

    def _port(self):
        if self.process.poll() is not None:
            raise AssertionError(f"gateway exited with {self.process.returncode}: {self.log_path.read_text()}")
        found = re.search(r"Hearth gateway listening on \S+:(\d+)", self.log_path.read_text(errors="replace"))
        return found and found.group(1)

    def url(self, name="gateway"):
        """The URL a client on another host uses, by host name (or an address)."""
        return f"{self.scheme}://{name}:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Credentials:
    """A token user and a Basic user for a gateway, with the files the gateway reads (hashes only)."""

    def __init__(self, directory):
        directory = Path(directory)
        self.token = "tok-" + secrets.token_urlsafe(24)
        self.user, self.password = "sparkmagic", "pw-" + secrets.token_urlsafe(18)
        self.tokens_file = directory / "tokens"
        self.tokens_file.write_text(f"ada:sha256:{hashlib.sha256(self.token.encode()).hexdigest()}\n")
        self.users_file = directory / "users"
        line = subprocess.run([java(), "-jar", GATEWAY_JAR, "hash-password", self.user], input=self.password + "\n",
                              capture_output=True, text=True, check=True).stdout.strip()
        self.users_file.write_text(line + "\n")
        for f in (self.tokens_file, self.users_file):
            f.chmod(0o600)


def install_kernelspecs(prefix, gateway_url=None, ca_file=None, name=None):
    """The Hearth kernelspecs in prefix (the kernel jar's own installer); returns the dir for JUPYTER_PATH."""
    command = [java(), "-jar", str(KERNEL_JAR), "install", "--prefix", str(prefix)]
    if gateway_url:
        command += ["--gateway", gateway_url]
    if ca_file:
        command += ["--ca-file", str(ca_file)]
    if name:
        command += ["--name", name]
    subprocess.run(command, check=True, capture_output=True)
    return Path(prefix) / "share" / "jupyter"


def kernel_env(jupyter_path, tmp_dir, base=None, **settings):
    """The notebook host's environment for a kernel runner: base (default: this process's) without its gateway
    settings, kernelspecs from jupyter_path, no kernel config file, and the gateway settings given."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith("HEARTH_GATEWAY_")}
    env.update(JUPYTER_PATH=str(jupyter_path), HEARTH_KERNEL_CONFIG=str(tmp_dir / "no-kernel-config.json"),
               JUPYTER_RUNTIME_DIR=str(tmp_dir / "jupyter-runtime"), **settings)
    return env


class KernelOnHost:
    """A Jupyter kernel and its client on a bed's host (kernel_runner.py there), driven over the runner's pipes;
    starting, call wait_ready() before anything else."""

    def __init__(self, bed, kernel_name, env, log_path, host="notebook"):
        self.stderr = open(log_path, "wb")
        self.process = bed.popen(host, [sys.executable, RUNNER, kernel_name], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=env)
        self.messages = queue.Queue()
        self.reader = threading.Thread(target=self._read, name=f"kernel-runner-{kernel_name}", daemon=True)
        self.reader.start()

    def wait_ready(self, timeout=180):
        """Waits for the kernel to answer (kernels started together start side by side)."""
        ready = self._next(timeout)
        assert "ready" in ready, ready
        return self

    def _read(self):
        for line in self.process.stdout:
            self.messages.put(json.loads(line))
        self.messages.put({"exited": self.process.wait()})

    def _next(self, timeout):
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the kernel runner said nothing for {timeout}s") from None
        if "exited" in message:
            raise AssertionError(f"the kernel runner exited with {message['exited']}: "
                                 f"{Path(self.stderr.name).read_text(errors='replace')[-4000:]}")
        return message

    def _send(self, request):
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def execute(self, code, timeout=300, on_output=None):
        """Runs code as a cell; returns (execute_reply content, [(type, content, arrival)], elapsed s), arrival being
        time.monotonic() when the runner got it. on_output(type, content) is called in this thread for each output."""
        self._send({"code": code, "timeout": timeout})
        outputs = []
        while True:
            message = self._next(timeout + 30)
            if "output" in message:
                output = message["output"]
                outputs.append((output["type"], output["content"], output["at"]))
                if on_output:
                    on_output(output["type"], output["content"])
            else:
                return message["reply"], outputs, message["elapsed"]

    def run_notebook(self, path, out, timeout=600):
        self._send({"notebook": str(path), "out": str(out), "timeout": timeout})
        message = self._next(timeout + 60)
        assert "notebook_done" in message, message.get("notebook_error", message)
        return message["elapsed"]

    def close(self):
        """Shuts the kernel down (its session is deleted) and waits for the runner."""
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(10)
        self.stderr.close()


def stdout_text(outputs):
    return "".join(c["text"] for t, c, *_ in outputs if t == "stream" and c["name"] == "stdout")


class TestCertificates:
    """A test CA, a server certificate it signs for `gateway`, an expired one, one for another name, and an unrelated
    CA: PEM files in a directory. (Made here rather than by the gateway's tls-selfsigned, which makes no bad ones.)"""

    __test__ = False  # not a pytest test class

    def __init__(self, directory, name="gateway"):
        self.dir = Path(directory)
        now = datetime.datetime.now(datetime.timezone.utc)
        ca_key, ca_cert = self._ca("Hearth test CA", now)
        self.ca_file = self._write("ca.pem", ca_cert)
        _, other_ca = self._ca("Some other CA", now)
        self.other_ca_file = self._write("other-ca.pem", other_ca)
        self.server = self._server(name, ca_key, ca_cert, now - datetime.timedelta(days=1),
                                   now + datetime.timedelta(days=30), "server")
        self.expired = self._server(name, ca_key, ca_cert, now - datetime.timedelta(days=30),
                                    now - datetime.timedelta(days=1), "expired")
        self.other_name = self._server("elsewhere", ca_key, ca_cert, now - datetime.timedelta(days=1),
                                       now + datetime.timedelta(days=30), "elsewhere")

    def _write(self, file_name, cert):
        path = self.dir / file_name
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return path

    @staticmethod
    def _ca(common_name, now):
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(days=60)).not_valid_after(now + datetime.timedelta(days=60))
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                             content_commitment=False, key_encipherment=False, data_encipherment=False,
                                             key_agreement=False, encipher_only=False, decipher_only=False),
                               critical=True)
                .sign(key, hashes.SHA256()))
        return key, cert

    def _server(self, host_name, ca_key, ca_cert, not_before, not_after, stem):
        """(cert file, key file) of a server certificate for host_name."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host_name)]))
                .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(not_before).not_valid_after(not_after)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(host_name)]), critical=False)
                .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        cert_file = self._write(f"{stem}.pem", cert)
        key_file = self.dir / f"{stem}-key.pem"
        key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        key_file.chmod(0o600)
        return cert_file, key_file

