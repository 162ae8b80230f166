"""The separate-hosts bed itself: names resolve per host, nothing is routed beyond the links, a capture sees what crosses
a link, and a cut link carries nothing until it is restored."""
import subprocess
import sys

# A TCP server on the gateway host that prints each connection's bytes (one line per connection).
RECEIVER = """
import socket, sys
server = socket.socket()
server.bind(("0.0.0.0", int(sys.argv[1])))
server.listen()
print("listening", flush=True)
while True:
    conn, _ = server.accept()
    with conn:
        data = b""
        while chunk := conn.recv(4096):
            data += chunk
        print(data.decode(), flush=True)
"""

SENDER = """
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[4])) as s:
    s.sendall(sys.argv[3].encode())
"""


def send(bed, message, port, timeout=5):
    return bed.run("notebook", [sys.executable, "-c", SENDER, "gateway", port, message, timeout],
                   capture_output=True, text=True, timeout=timeout + 10)


def test_gateway_is_a_host_name_on_notebook_and_nothing_is_routed_beyond_the_links(host_bed):
    resolved = host_bed.run("notebook", ["getent", "hosts", "gateway"], capture_output=True, text=True, check=True)
    assert resolved.stdout.split()[0] == "10.231.1.2"
    from_node = host_bed.run("node", ["getent", "hosts", "gateway"], capture_output=True, text=True, check=True)
    assert from_node.stdout.split()[0] == "10.231.2.2"
    for host, target in (("notebook", "10.231.2.1"), ("notebook", "1.1.1.1"), ("node", "10.231.1.1"),
                         ("gateway", "1.1.1.1")):
        route = host_bed.run(host, ["ip", "route", "get", target], capture_output=True, text=True)
        assert route.returncode != 0 and "unreachable" in route.stderr, (host, target, route.stdout)


def test_capture_sees_clear_bytes_and_a_cut_link_carries_nothing_until_restored(host_bed, tmp_path):
    port = host_bed.free_port("gateway")
    receiver = host_bed.popen("gateway", [sys.executable, "-c", RECEIVER, port], stdout=subprocess.PIPE, text=True)
    try:
        assert receiver.stdout.readline().strip() == "listening"
        capture = host_bed.capture("gateway", "notebook", tmp_path / "link.pcap")
        assert send(host_bed, "sourdough-1", port).returncode == 0
        assert receiver.stdout.readline().strip() == "sourdough-1"
        streams = capture.stop()
        sent = [data for (src, _, dst, dport), data in streams.items() if (src, dst, dport) == ("10.231.1.1", "10.231.1.2", port)]
        assert sent == [b"sourdough-1"]

        host_bed.cut("notebook")
        try:
            cut = send(host_bed, "sourdough-2", port, timeout=2)
            assert cut.returncode != 0 and ("timed out" in cut.stderr or "unreachable" in cut.stderr), cut.stderr
        finally:
            host_bed.restore("notebook")
        assert send(host_bed, "sourdough-3", port).returncode == 0
        assert receiver.stdout.readline().strip() == "sourdough-3"
    finally:
        receiver.kill()
        receiver.wait()
