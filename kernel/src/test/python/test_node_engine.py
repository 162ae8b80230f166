"""An engine on another host: a Spark standalone Master and the gateway on `gateway`, a Worker on `node`, and a session
in cluster deploy mode whose engine the Worker runs on `node` (separate_hosts' namespaces).

One engine start serves every check: the engine dials the gateway's channel across the node link over TLS; a capture
of that link shows no statement code, output, session secret or token in clear; a plain connection to the channel from
`node` is refused; cutting the link for 10 s during a running statement and restoring it leaves the statement's output
complete (the channel's TCP connection rides out a 10 s cut by retransmitting; an engine whose connection breaks
redials within the reconnect grace, which this cut does not force); the secret is in the driver's environment only (no command line, no file of the Worker's); the driver killed
on `node` makes its session dead with the cluster's word for it.

The standalone cluster runs with Spark's RPC authenticated and encrypted (spark.authenticate,
spark.network.crypto.enabled): the Master hands the Worker the driver's environment, which carries the session's
secret (docs/architecture.md, "spark-submit, cluster mode"), and that must not cross the link in clear either.
"""
import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

from conftest import wait_until
from on_hosts import Credentials, GatewayOnHost, TestCertificates

SPARK_HOME = Path(__import__("pyspark").__file__).parent
CODE_MARKER = "CODE_MARKER_" + secrets.token_hex(4)
OUTPUT_MARKER = "OUTPUT_MARKER_" + secrets.token_hex(4)

# One REST call from `notebook`, where the gateway is a host name: method, url, body (or ""), token, CA file; prints
# {"status": ..., "body": ...}.
REST_CALL = """
import json, ssl, sys, urllib.request, urllib.error
method, url, body, token, ca_file = sys.argv[1:6]
request = urllib.request.Request(url, data=body.encode() if body else None, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
try:
    with urllib.request.urlopen(request, timeout=30, context=ssl.create_default_context(cafile=ca_file)) as r:
        print(json.dumps({"status": r.status, "body": json.loads(r.read() or b"null")}))
except urllib.error.HTTPError as e:
    print(json.dumps({"status": e.code, "body": e.read().decode()}))
"""

# A plain channel opened from `node` as an engine without TLS opens it (ChannelTransport.PLAIN, then it waits for the
# gateway's challenge); prints what came back.
PLAIN_DIAL = """
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10) as s:
    s.sendall(b"H")
    got = b""
    try:
        while len(got) < 4096:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    print(got.hex())
"""


class Cluster:
    """The Master on `gateway` (its address on the node link) and a Worker on `node`, Spark RPC encrypted."""

    def __init__(self, bed, tmp, spark_conf):
        self.bed = bed
        self.master_host = bed.address("gateway", seen_from="node")
        self.worker_host = bed.address("node", seen_from="gateway")
        self.port = bed.free_port("gateway")
        self.url = f"spark://{self.master_host}:{self.port}"
        self.work = tmp / "work"
        self.work.mkdir()
        conf = tmp / "cluster.conf"
        conf.write_text("".join(f"{k} {v}\n" for k, v in {**spark_conf, "spark.master.rest.enabled": "false"}.items()))
        conf.chmod(0o600)
        self.master_log, self.worker_log = tmp / "master.log", tmp / "worker.log"
        self.master = self._spark_class("gateway", self.master_host, self.master_log, [
            "org.apache.spark.deploy.master.Master", "--host", self.master_host, "--port", self.port,
            "--webui-port", bed.free_port("gateway"), "--properties-file", conf])
        wait_until(lambda: "Starting Spark master" in self.master_log.read_text(), 90, what="the Master")
        self.worker = self._spark_class("node", self.worker_host, self.worker_log, [
            "org.apache.spark.deploy.worker.Worker", "--host", self.worker_host, "--webui-port",
            bed.free_port("node"), "--cores", "2", "--memory", "1536m", "--work-dir", self.work,
            "--properties-file", conf, self.url])
        wait_until(lambda: "Registering worker" in self.master_log.read_text(), 90, what="the Worker registering")

    def _spark_class(self, host, address, log, args):
        env = dict(os.environ, SPARK_HOME=str(SPARK_HOME), SPARK_LOCAL_IP=address)
        return self.bed.popen(host, [SPARK_HOME / "bin" / "spark-class", *args], env=env,
                              stdout=open(log, "wb"), stderr=subprocess.STDOUT)


class NodeGateway:
    """The gateway on `gateway` (on_hosts.GatewayOnHost: every address of that host, HTTPS, token authentication)
    with the channel on a fixed port, advertised as its address on the node link, and sessions in standalone cluster
    mode; the cluster's Spark settings in its spark-defaults.conf. Clients call it from `notebook`."""

    def __init__(self, bed, tmp, cluster, spark_conf):
        self.bed = bed
        self.credentials = Credentials(tmp)
        self.certificates = TestCertificates(tmp)
        self.channel_port = bed.free_port("gateway")
        conf_dir = tmp / "spark-conf"
        conf_dir.mkdir()
        defaults = conf_dir / "spark-defaults.conf"
        defaults.write_text("".join(f"{k} {v}\n" for k, v in spark_conf.items()))
        defaults.chmod(0o600)
        self.process = GatewayOnHost(bed, tmp / "gateway.log", uuid.uuid4().hex, self.credentials.tokens_file,
                                     self.credentials.users_file, tls=self.certificates.server,
                                     HEARTH_SPARK_MASTER=cluster.url, HEARTH_SPARK_DEPLOY_MODE="cluster",
                                     HEARTH_CHANNEL_PORT=str(self.channel_port),
                                     HEARTH_CHANNEL_ADVERTISED_HOST=cluster.master_host,
                                     HEARTH_SPARK_CONF_DIR=str(conf_dir))
        self.log_path = self.process.log_path
        self.url = self.process.url()

    def call(self, method, path, body=None):
        if self.process.process.poll() is not None:
            raise AssertionError(f"the gateway exited: {self.log_path.read_text()}")
        out = self.bed.run("notebook", [sys.executable, "-c", REST_CALL, method, self.url + path,
                                        json.dumps(body) if body is not None else "", self.credentials.token,
                                        self.certificates.ca_file],
                           capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            return {"status": 0, "body": out.stderr}
        return json.loads(out.stdout)

    def await_json(self, path, done, timeout, what):
        def check():
            r = self.call("GET", path)
            return r["body"] if r["status"] == 200 and done(r["body"]) else None
        return wait_until(check, timeout, interval=1, what=what)

    def stop(self):
        self.process.stop()


def driver_on_node(worker_pid):
    """(pid, environment) of the engine the Worker started: a descendant of the Worker running DriverWrapper."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            if b"org.apache.spark.deploy.worker.DriverWrapper" not in cmdline:
                continue
            pid, ancestor = int(entry.name), int(entry.name)
            while ancestor > 1:
                ancestor = int((Path("/proc") / str(ancestor) / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if ancestor == worker_pid:
                    env = dict(e.split(b"=", 1) for e in (entry / "environ").read_bytes().split(b"\0") if b"=" in e)
                    return pid, {k.decode(): v.decode() for k, v in env.items()}
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    return None


def why_not_idle(gateway, sid, cluster):
    log = gateway.call("GET", f"/sessions/{sid}/log?size=-1")["body"]
    drivers = "".join(f"\n--- {f}:\n" + "\n".join(f.read_text(errors="replace").splitlines()[-40:])
                      for f in sorted(cluster.work.glob("driver-*/stderr")))
    return "session log:\n" + "\n".join(log["log"][-30:]) + drivers


def command_lines():
    out = []
    for entry in Path("/proc").iterdir():
        try:
            out.append((entry / "cmdline").read_bytes())
        except (FileNotFoundError, NotADirectoryError, ProcessLookupError, PermissionError):
            continue
    return out


def test_an_engine_on_node_reaches_the_channel_over_tls_and_survives_a_cut_link(host_bed, tmp_path):
    spark_conf = {"spark.authenticate": "true", "spark.authenticate.secret": secrets.token_hex(16),
                  "spark.network.crypto.enabled": "true"}
    cluster = Cluster(host_bed, tmp_path, spark_conf)
    gateway = NodeGateway(host_bed, tmp_path, cluster, spark_conf)
    capture = host_bed.capture("gateway", "node", tmp_path / "node-link.pcap")
    streams = None
    try:
        created = gateway.call("POST", "/sessions", {
            "kind": "pyspark", "driverMemory": "512m", "executorMemory": "512m",
            "conf": {"spark.cores.max": "1", "spark.ui.enabled": "false"}})
        assert created["status"] == 201, created
        sid = created["body"]["id"]
        gateway.await_json(f"/sessions/{sid}", lambda s: s["state"] == "idle" or s["state"] == "dead", 300,
                           "the session to start")
        session = gateway.call("GET", f"/sessions/{sid}")["body"]
        assert session["state"] == "idle", why_not_idle(gateway, sid, cluster)

        found = driver_on_node(cluster.worker.pid)
        assert found, "the Worker on node runs the engine as its driver"
        driver_pid, driver_env = found
        secret = driver_env["HEARTH_SESSION_SECRET"]
        assert len(secret) >= 32
        assert driver_env["HEARTH_GATEWAY_HOST"] == cluster.master_host
        assert not any(secret.encode() in c for c in command_lines()), "the secret is in no command line"

        # A statement that prints for ~24 s; the node link is cut for 10 s while it runs.
        code = (f"# {CODE_MARKER}\nimport time\nmark = ''.join(['OUTPUT_', '{OUTPUT_MARKER[len('OUTPUT_'):]}'])\n"
                "for i in range(12):\n    print(mark, i, flush=True)\n    time.sleep(2)\n"
                "print(sc.parallelize(range(10), 2).map(lambda x: x * 2).sum())")
        posted = gateway.call("POST", f"/sessions/{sid}/statements", {"code": code})
        assert posted["status"] == 201, posted
        st_id = posted["body"]["id"]
        gateway.await_json(f"/sessions/{sid}/statements/{st_id}",
                           lambda st: OUTPUT_MARKER + " 1" in json.dumps(st), 60, "the statement to print")
        host_bed.cut("node")
        time.sleep(10)
        host_bed.restore("node")
        done = gateway.await_json(f"/sessions/{sid}/statements/{st_id}", lambda st: st["state"] == "available", 150,
                                  "the statement to end after the link came back")
        assert done["output"]["status"] == "ok", done
        printed = done["output"]["data"]["text/plain"].splitlines()
        assert printed == [f"{OUTPUT_MARKER} {i}" for i in range(12)] + ["90"], printed

        plain = host_bed.run("node", [sys.executable, "-c", PLAIN_DIAL, cluster.master_host,
                                      gateway.channel_port], capture_output=True, text=True, timeout=30)
        answer = bytes.fromhex(plain.stdout.strip())
        assert b"must use TLS" in answer and b"nonce" not in answer, \
            f"a plain connection from node is refused, never challenged: {answer!r} {plain.stderr}"

        for f in cluster.work.glob("driver-*/*"):
            if f.is_file() and f.suffix != ".jar":
                assert secret.encode() not in f.read_bytes(), f"the secret is in the Worker's {f}"

        # The driver killed on node, as its OOM killer would: the session ends with the cluster's word for it.
        driver_id = next(cluster.work.glob("driver-*")).name
        os.kill(driver_pid, 9)
        dead = gateway.await_json(f"/sessions/{sid}", lambda s: s["state"] == "dead", 60, "the session to die")
        log = "\n".join(gateway.call("GET", f"/sessions/{sid}/log?size=-1")["body"]["log"])
        assert f"the standalone driver {driver_id} ended FAILED" in log, log
        assert secret not in log and secret not in json.dumps(dead)
    finally:
        streams = capture.stop()
        gateway.stop()

    channel = [data for (src, sport, dst, dport), data in streams.items()
               if gateway.channel_port in (sport, dport)]
    assert channel and all(data[:1] == b"\x16" for data in channel if data), \
        "the channel crossed the link, as TLS records (a handshake first)"
    everything = b"".join(streams.values())
    for clear, what in ((CODE_MARKER, "statement code"), (OUTPUT_MARKER, "statement output"), (secret, "secret"),
                        (gateway.credentials.token, "token")):
        assert clear.encode() not in everything, f"the {what} crossed the node link in clear"
