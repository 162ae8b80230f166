"""Separate hosts on one machine: Linux network namespaces `notebook`, `gateway` and `node`, made by the test.

Links (veth pairs, addresses of their own, nothing routed beyond them):

    notebook 10.231.1.1 <--notebook link--> 10.231.1.2 gateway 10.231.2.2 <--node link--> 10.231.2.1 node

Each namespace has `lo` up and its own /etc/hosts (`ip netns exec` bind-mounts /etc/netns/<ns>/hosts), so `gateway`
is a host name on `notebook` and `node` (a name a TLS certificate can carry). The gateway does not forward, and no
namespace has a default route: nothing reaches outside them and loopback.

Without root or `ip netns` the `host_bed` fixture skips loudly; with HEARTH_REQUIRE_NETNS=1 (CI) it fails instead.
"""
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest

PREFIX = "hearth-bed-"
NETNS_ETC = Path("/etc/netns")
CAPTURE_SCRIPT = Path(__file__).with_name("packet_capture.py")


@dataclass(frozen=True)
class Link:
    """One veth pair: an end (interface and address) in each of two hosts."""
    name: str
    host_a: str
    iface_a: str
    address_a: str
    host_b: str
    iface_b: str
    address_b: str

    def end(self, host):
        """(interface, address) of this link on host."""
        if host == self.host_a:
            return self.iface_a, self.address_a
        if host == self.host_b:
            return self.iface_b, self.address_b
        raise ValueError(f"link {self.name} does not reach host {host}")


LINKS = (
    Link("notebook", "notebook", "to-gateway", "10.231.1.1", "gateway", "to-notebook", "10.231.1.2"),
    Link("node", "node", "to-gateway", "10.231.2.1", "gateway", "to-node", "10.231.2.2"),
)
HOSTS = ("notebook", "gateway", "node")


def _ip(*args, check=True):
    return subprocess.run(["ip", *args], capture_output=True, text=True, check=check)


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _kill_namespace_processes(ns, grace=10.0):
    """SIGTERM to every process in ns, SIGKILL to those still there after grace seconds."""
    def pids():
        out = _ip("netns", "pids", ns, check=False).stdout.split()
        return [int(p) for p in out if p.isdigit() and int(p) != os.getpid()]

    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        left = pids()
        for pid in left:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = [p for p in pids() if _alive(p)]
        if not left:
            return


def remove_leftovers():
    """Deletes the namespaces (and /etc/netns dirs) of earlier beds whose test process is gone (a crashed run)."""
    names = set()
    for line in _ip("netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if name.startswith(PREFIX):
            names.add(name)
    if NETNS_ETC.is_dir():
        names.update(p.name for p in NETNS_ETC.iterdir() if p.name.startswith(PREFIX))
    for name in sorted(names):
        match = re.match(re.escape(PREFIX) + r"(\d+)-", name)
        if match and _alive(int(match.group(1))):
            continue  # a bed of a test process that still runs (e.g. another checkout's tests)
        _kill_namespace_processes(name, grace=2.0)
        _ip("netns", "del", name, check=False)
        shutil.rmtree(NETNS_ETC / name, ignore_errors=True)


class HostBed:
    """The three namespaces and their links; made by create(), undone by close() (always, even half made)."""

    def __init__(self):
        self.run_id = f"{PREFIX}{os.getpid()}-{secrets.token_hex(2)}"
        self.namespaces = {host: f"{self.run_id}-{host}" for host in HOSTS}
        self.links = {link.name: link for link in LINKS}
        self._processes = []

    def create(self):
        for host, ns in self.namespaces.items():
            _ip("netns", "add", ns)
            _ip("-n", ns, "link", "set", "lo", "up")
            etc = NETNS_ETC / ns
            etc.mkdir(parents=True, exist_ok=True)
            (etc / "hosts").write_text(self._hosts_file(host))
        for link in LINKS:
            a, b = self.namespaces[link.host_a], self.namespaces[link.host_b]
            # Made inside its namespaces at once, so the names never meet in the machine's own namespace.
            _ip("-n", a, "link", "add", link.iface_a, "type", "veth", "peer", "name", link.iface_b, "netns", b)
            for ns, iface, address in ((a, link.iface_a, link.address_a), (b, link.iface_b, link.address_b)):
                _ip("-n", ns, "addr", "add", f"{address}/30", "dev", iface)
                _ip("-n", ns, "link", "set", iface, "up")
        return self

    def _hosts_file(self, host):
        """The host's /etc/hosts: its own name and the machine's on loopback, its neighbours by their link addresses."""
        lines = [f"127.0.0.1 localhost {socket.gethostname()}", "::1 localhost"]
        for link in LINKS:
            if host in (link.host_a, link.host_b):
                other = link.host_b if host == link.host_a else link.host_a
                lines.append(f"{link.end(other)[1]} {other}")
        if host == "gateway":
            lines.append(f"{self.links['notebook'].end('gateway')[1]} gateway")
        return "\n".join(lines) + "\n"

    def address(self, host, seen_from):
        """The address host has on the link to seen_from."""
        for link in LINKS:
            if {host, seen_from} == {link.host_a, link.host_b}:
                return link.end(host)[1]
        raise ValueError(f"no link between {host} and {seen_from}")

    def command(self, host, argv):
        """argv run on host (inside its namespace)."""
        return ["ip", "netns", "exec", self.namespaces[host], *map(str, argv)]

    def popen(self, host, argv, **kwargs):
        """A process on host; stopped by close() if still running. `ip netns exec` execs argv, so the pid is argv's."""
        process = subprocess.Popen(self.command(host, argv), **kwargs)
        self._processes.append(process)
        return process

    def run(self, host, argv, **kwargs):
        """argv run to its end on host (subprocess.run's arguments)."""
        return subprocess.run(self.command(host, argv), **kwargs)

    def free_port(self, host):
        """A TCP port free on host (asked of the kernel inside its namespace)."""
        out = self.run(host, [sys.executable, "-c",
                              "import socket; s = socket.socket(); s.bind(('0.0.0.0', 0)); print(s.getsockname()[1])"],
                       capture_output=True, text=True, check=True)
        return int(out.stdout)

    def cut(self, link_name):
        """Pulls the link's cable at the gateway's end: the other end loses its carrier, packets go nowhere."""
        link = self.links[link_name]
        _ip("-n", self.namespaces["gateway"], "link", "set", link.end("gateway")[0], "down")

    def restore(self, link_name):
        link = self.links[link_name]
        _ip("-n", self.namespaces["gateway"], "link", "set", link.end("gateway")[0], "up")

    def capture(self, host, link_name, path):
        """Starts recording every frame of host's end of a link to path (pcap), until the Capture is stopped."""
        iface = self.links[link_name].end(host)[0]
        process = self.popen(host, [sys.executable, CAPTURE_SCRIPT, iface, path], stdout=subprocess.PIPE, text=True)
        ready = process.stdout.readline()
        if ready.strip() != "capturing":
            process.kill()
            raise AssertionError(f"capture on {host}:{iface} did not start: {ready!r}")
        return Capture(process, Path(path))

    def close(self):
        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for ns in self.namespaces.values():
            _kill_namespace_processes(ns)
            _ip("netns", "del", ns, check=False)
            shutil.rmtree(NETNS_ETC / ns, ignore_errors=True)


class Capture:
    """A link's frames being recorded by a child process on the link's host (a raw AF_PACKET socket)."""

    def __init__(self, process, path):
        self.process = process
        self.path = path

    def stop(self):
        """Stops recording; returns the TCP payloads seen, reassembled per direction of each connection."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)
        return tcp_streams(read_pcap(self.path))


def read_pcap(path):
    """The frames of a classic pcap file (microsecond, little-endian, as packet_capture.py writes)."""
    data = Path(path).read_bytes()
    magic, = struct.unpack_from("<I", data, 0)
    assert magic == 0xA1B2C3D4, f"{path} is not a pcap file"
    frames, offset = [], 24
    while offset + 16 <= len(data):
        _, _, length, _ = struct.unpack_from("<IIII", data, offset)
        frames.append(data[offset + 16: offset + 16 + length])
        offset += 16 + length
    return frames


def tcp_streams(frames):
    """{(src, sport, dst, dport): bytes} of every IPv4 TCP flow in Ethernet frames, in sequence order."""
    segments = {}
    for frame in frames:
        if len(frame) < 34 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack_from("!H", ip, 2)[0]
        if ip[9] != 6:
            continue
        tcp = ip[ihl:total]
        sport, dport, seq = struct.unpack_from("!HHI", tcp, 0)
        payload = tcp[(tcp[12] >> 4) * 4:]
        if payload:
            key = (socket.inet_ntoa(ip[12:16]), sport, socket.inet_ntoa(ip[16:20]), dport)
            segments.setdefault(key, {})[seq] = payload  # a retransmission replaces its first copy
    streams = {}
    for key, by_seq in segments.items():
        out, next_seq = bytearray(), None
        for seq in sorted(by_seq):  # sequence wrap-around is ignored: a test's flows are far below 4 GiB
            payload = by_seq[seq]
            if next_seq is not None and seq < next_seq:
                payload = payload[next_seq - seq:]
            out += payload
            next_seq = max(next_seq or 0, seq + len(by_seq[seq]))
        streams[key] = bytes(out)
    return streams


def netns_unavailable_reason():
    """Why this machine cannot make the bed, or None."""
    if not sys.platform.startswith("linux"):
        return "network namespaces need Linux"
    if os.geteuid() != 0:
        return "making network namespaces needs root (CI runs as root)"
    if shutil.which("ip") is None:
        return "the `ip` command (iproute2) is missing"
    probe = f"{PREFIX}{os.getpid()}-probe"
    made = _ip("netns", "add", probe, check=False)
    if made.returncode != 0:
        return f"`ip netns add` failed: {made.stderr.strip()}"
    _ip("netns", "del", probe, check=False)
    return None


def require_netns():
    """Skips the calling test loudly when namespaces cannot be made; fails instead with HEARTH_REQUIRE_NETNS=1."""
    reason = netns_unavailable_reason()
    if reason is None:
        return
    message = f"separate-hosts tests NOT RUN: {reason}"
    if os.environ.get("HEARTH_REQUIRE_NETNS") == "1":
        pytest.fail(message + " (HEARTH_REQUIRE_NETNS=1: this run must not skip them)", pytrace=False)
    warnings.warn(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def host_bed():
    """The notebook, gateway and node hosts, shared by every test of the run; torn down at its end."""
    require_netns()
    remove_leftovers()
    bed = HostBed()
    try:
        bed.create()
        yield bed
    finally:
        bed.close()
