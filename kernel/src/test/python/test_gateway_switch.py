"""After %%configure {"gatewayUrl": ...} every part of the kernel talks to the gateway it names: cells, %%info, %logs,
%%delete and %%cleanup. Two real gateway processes, a real Jupyter client, and a real engine on the second gateway."""
import uuid

import pytest
import requests
from conftest import Gateway, hearth_env, install_kernels
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager


@pytest.fixture(scope="module")
def gateways(tmp_path_factory):
    started = []
    try:
        for name in ("first", "second"):
            started.append(Gateway(uuid.uuid4().hex, tmp_path_factory.mktemp(f"{name}-gateway") / "gateway.log"))
        yield started
    finally:
        for gw in started:
            gw.stop()


@pytest.fixture(scope="module")
def kernel(gateways, tmp_path_factory):
    """The PySpark kernel, installed pointing at the first gateway."""
    prefix = tmp_path_factory.mktemp("switch-prefix")
    specs = KernelSpecManager(kernel_dirs=[str(install_kernels(prefix, gateways[0].url) / "kernels")])
    km = KernelManager(kernel_name="hearth-pyspark", kernel_spec_manager=specs)
    km.start_kernel(env=hearth_env())
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def run(kc, code, timeout=300):
    outputs = []

    def hook(msg):
        if msg["msg_type"] in ("stream", "execute_result", "error"):
            outputs.append((msg["msg_type"], msg["content"]))

    reply = kc.execute_interactive(code, output_hook=hook, timeout=timeout)
    stdout = "".join(c["text"] for t, c in outputs if t == "stream" and c["name"] == "stdout")
    results = [c["data"]["text/plain"] for t, c in outputs if t == "execute_result"]
    return reply["content"], stdout, results


def sessions(gateway):
    return requests.get(f"{gateway.url}/sessions", timeout=10).json()["sessions"]


def test_every_magic_follows_the_gateway_that_configure_names(kernel, gateways):
    first, second = gateways
    reply, _, _ = run(kernel, '%%configure\n{"gatewayUrl": "' + second.url + '/"}')
    assert reply["status"] == "ok", reply
    reply, _, results = run(kernel, "1 + 1")
    assert reply["status"] == "ok", reply
    assert results == ["2"]
    [own] = sessions(second)
    other = requests.post(f"{second.url}/sessions", json={"kind": "pyspark"}, timeout=30).json()

    # Each magic's answer, gathered before judging, so that one look shows which magics went astray.
    seen = {}
    _, _, info = run(kernel, "%%info")
    seen["%%info"] = info[0].splitlines()[0] if info else None
    _, log, _ = run(kernel, "%logs -n 20")
    seen["%logs"] = log
    expected_log = requests.get(f"{second.url}/sessions/{own['id']}/log?size=20", timeout=10).json()["log"]
    reply, log, _ = run(kernel, f"%%delete -s {other['id']} -f")
    seen["%%delete"] = log or reply.get("evalue")
    reply, log, _ = run(kernel, "%%cleanup -f")
    seen["%%cleanup"] = log or reply.get("evalue")

    assert expected_log, "an engine logs something while it starts"
    assert seen == {
        "%%info": f"Hearth gateway {second.url}: this kernel's session is {own['id']}.",
        "%logs": "\n".join(expected_log) + "\n",
        "%%delete": f"Deleted session {other['id']}.\n",
        "%%cleanup": f"Deleted session {own['id']}.\n",
    }
    assert sessions(second) == []
    assert sessions(first) == [], "the first gateway was never asked to start anything"
