#!/usr/bin/python3
"""servers.py PROTO,PORT,ADDRESS ... - tiny listeners for the integration tests.

tcp,PORT,ADDRESS accepts connections and closes them at once; hold,PORT,ADDRESS
accepts them and keeps them open without a word (a peer that never answers
a protocol query nor closes); udp,PORT,ADDRESS answers every datagram with a
short reply. Bound sockets first, then one
line "ready" on standard output, so the test knows the ports are open before
it queries them. Runs until killed (the test stops it by PID).
"""
import selectors
import socket
import sys

REPLY = b"portquery integration test reply\n"


def bind(proto, port, address):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    kind = socket.SOCK_DGRAM if proto == "udp" else socket.SOCK_STREAM
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    if proto != "udp":
        s.listen(128)
    s.setblocking(False)
    return s


def main():
    sel = selectors.DefaultSelector()
    held = []
    for spec in sys.argv[1:]:
        proto, port, address = spec.split(",", 2)
        s = bind(proto, int(port), address)
        sel.register(s, selectors.EVENT_READ, proto)
    print("ready", flush=True)
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            try:
                if key.data == "tcp":
                    conn, _ = s.accept()
                    conn.close()
                elif key.data == "hold":
                    conn, _ = s.accept()
                    held.append(conn)
                else:
                    data, peer = s.recvfrom(65536)
                    s.sendto(REPLY, peer)
            except (BlockingIOError, ConnectionError):
                pass


if __name__ == "__main__":
    main()
