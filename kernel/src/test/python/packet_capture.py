"""Records every frame of one network interface to a pcap file, both directions, until SIGTERM.

Usage (inside the interface's namespace): python packet_capture.py IFACE OUT.pcap
Prints "capturing" once the raw socket is bound, so the caller knows nothing sent after that is missed. Needs root
(a raw AF_PACKET socket): the stand-in for tcpdump, which this machine does not have.
"""
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003


def write_frame(out, frame):
    now = time.time()
    out.write(struct.pack("<IIII", int(now), int(now % 1 * 1e6), len(frame), len(frame)))
    out.write(frame)


def main(iface, out_path):
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((iface, 0))
    sock.settimeout(0.1)
    with open(out_path, "wb") as out:
        # Classic pcap: magic, version 2.4, zone 0, accuracy 0, snap length, link type 1 (Ethernet).
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        out.flush()
        print("capturing", flush=True)
        while not stopping:
            try:
                frame = sock.recv(262144)
            except socket.timeout:
                continue
            except InterruptedError:
                continue
            write_frame(out, frame)
        # Frames already queued on the socket when SIGTERM came were sent before the caller asked to stop.
        sock.setblocking(False)
        while True:
            try:
                frame = sock.recv(262144)
            except (BlockingIOError, InterruptedError):
                break
            write_frame(out, frame)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
