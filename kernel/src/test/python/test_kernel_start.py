"""The kernel's own start: kernel.json from `install` starts the JVM from the kernel's class archive, and a kernel that
starts its session early (the default) asks the gateway at once without ever making the first replies wait for it."""
import json
import socket
import subprocess
import threading
import time

from jupyter_client.manager import start_new_kernel

from conftest import install_kernels


def test_the_installed_kernelspec_starts_the_kernel_jvm_from_its_class_archive(kernelspecs):
    argv = json.loads((kernelspecs / "share" / "jupyter" / "kernels" / "hearth-pyspark" / "kernel.json")
                      .read_text())["argv"]
    archive = next(a.split("=", 1)[1] for a in argv if a.startswith("-XX:SharedArchiveFile="))
    assert "-XX:TieredStopAtLevel=1" in argv
    jar_at = argv.index("-jar")
    run = subprocess.run([*argv[:jar_at], "-Xlog:class+load=info", *argv[jar_at:-1], "--help"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    loaded = [line for line in run.stdout.splitlines() if "io.hearth.kernel.KernelMain " in line]
    assert loaded and loaded[0].endswith("source: shared objects file (top)"), (archive, loaded)


class SilentGateway:
    """A gateway that takes connections and requests and never answers: the fault of a hung gateway, which a real
    gateway cannot be made to show on demand. Records the first line of each request it got."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.requests, self.connections = [], []
        threading.Thread(target=self._accept, name="silent-gateway", daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections.append(connection)
            data = connection.recv(65536).decode(errors="replace")
            self.requests.append(data.split("\r\n", 1)[0])

    def close(self):
        self.server.close()
        for connection in self.connections:
            connection.close()


def test_an_early_start_asks_the_gateway_at_once_and_a_hung_gateway_delays_no_reply(tmp_path, monkeypatch):
    gateway = SilentGateway()
    try:
        monkeypatch.setenv("HEARTH_SESSION_START", "early")
        monkeypatch.setenv("JUPYTER_PATH", str(install_kernels(tmp_path, gateway.url, "early")))
        km, kc = start_new_kernel(kernel_name="early-pyspark", startup_timeout=60)
        try:
            started = time.monotonic()
            assert kc.kernel_info(reply=True, timeout=10)["content"]["status"] == "ok"
            assert kc.complete("spark.ran", 9, reply=True, timeout=10)["content"]["matches"] == []
            kc.is_complete("for x in range(3):")
            assert kc.get_shell_msg(timeout=10)["content"]["status"] == "incomplete"
            assert time.monotonic() - started < 10
            deadline = time.monotonic() + 30
            while "POST /sessions HTTP/1.1" not in gateway.requests and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "POST /sessions HTTP/1.1" in gateway.requests, gateway.requests
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
    finally:
        gateway.close()
