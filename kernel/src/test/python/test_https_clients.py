"""Clients of a gateway serving HTTPS (its own `tls-selfsigned` CA, a certificate for localhost), each trusting that CA
its own way: sparkmagic and pylivy, unchanged, through requests' REQUESTS_CA_BUNDLE; the Hearth kernel through the
CA file its kernelspec names (`install --ca-file`). One Spark session, started by sparkmagic, serves all three. And the
kernel told https:// for the plain HTTP gateway says so at its first cell."""
import json

import pytest
import requests
from jupyter_client.manager import start_new_kernel
from livy import LivySession
from livy.client import LivyClient

from conftest import install_kernels, start_sparkmagic_session
from test_kernel_experience import collect, outputs


@pytest.fixture(scope="module")
def trusting(https_gateway):
    """REQUESTS_CA_BUNDLE naming the gateway's CA, for the module's tests."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REQUESTS_CA_BUNDLE", str(https_gateway.ca))
        yield https_gateway


@pytest.fixture(scope="module")
def session(sparkmagic, trusting):
    s = start_sparkmagic_session(sparkmagic, url=trusting.url, conf={"spark.sql.shuffle.partitions": "4"})
    yield s
    s.delete()


def test_sparkmagic_starts_a_session_and_runs_commands_over_https(sparkmagic, session):
    # start() returned: sparkmagic saw the session idle over HTTPS (its status may read busy again a moment later).
    assert session.id >= 0
    command = sparkmagic["livyclientlib.command"].Command('print("over TLS")\n6 * 7')
    assert command.execute(session) == (True, "over TLS\n42", "text/plain")


def test_pylivy_runs_statements_over_https_and_refuses_the_certificate_without_the_ca(trusting, session, monkeypatch):
    pylivy = LivySession(trusting.url, session.id, echo=False)
    assert pylivy.run("'a' * 3").text == "'aaa'"
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    with pytest.raises(requests.exceptions.SSLError):
        LivyClient(trusting.url).server_version()


def test_the_hearth_kernel_installed_with_the_ca_file_runs_cells_over_https(trusting, session, tmp_path, monkeypatch):
    data = install_kernels(tmp_path, trusting.url, "tls", ca_file=trusting.ca)
    spec = json.loads((data / "kernels" / "tls-pyspark" / "kernel.json").read_text())
    assert spec["env"]["HEARTH_GATEWAY_CA_FILE"] == str(trusting.ca)
    monkeypatch.setenv("JUPYTER_PATH", str(data))
    km, kc = start_new_kernel(kernel_name="tls-pyspark", startup_timeout=60)
    try:
        # The session sparkmagic started, so that no second Spark starts; attached, so the kernel leaves it running.
        reply, _ = collect(kc, f"%attach {session.id}")
        assert reply["status"] == "ok", reply
        reply, seen = collect(kc, "print('kernel over TLS')\n6 * 7")
        assert reply["status"] == "ok", reply
        assert "kernel over TLS\n" in "".join(c["text"] for c in outputs(seen, "stream"))
        assert outputs(seen, "execute_result")[0]["data"]["text/plain"] == "42"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_an_https_url_to_a_plain_http_gateway_fails_the_first_cell_saying_so(gateway, tmp_path, monkeypatch):
    https_url = gateway.url.replace("http://", "https://")
    monkeypatch.setenv("JUPYTER_PATH", str(install_kernels(tmp_path, https_url, "mismatch")))
    km, kc = start_new_kernel(kernel_name="mismatch-pyspark", startup_timeout=60)
    try:
        reply, seen = collect(kc, "1 + 1", timeout=60)
        assert reply["status"] == "error" and reply["ename"] == "GatewayTlsError", reply
        text = "\n".join(outputs(seen, "error")[0]["traceback"])
        assert f"The Hearth gateway at {https_url} speaks plain HTTP, not HTTPS." in text
        assert f"use {gateway.url} as the gateway URL (HEARTH_GATEWAY_URL)" in text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
