#!/usr/bin/env python3
"""capture.py HOST PORT OUT: sends the RDP codec's Connection Request
(TLS | CredSSP | RDSTLS) and saves the server's Connection Confirm, as
the fuzz seeds and unit tests under seeds/rdp were made (xrdp 0.9.21)."""
import socket
import sys

REQUEST = bytes.fromhex("030000130ee000000000000100080007000000")
host, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with socket.create_connection((host, port), timeout=5) as s:
    s.sendall(REQUEST)
    head = s.recv(4)
    length = int.from_bytes(head[2:4], "big")
    body = b""
    while len(head) + len(body) < length:
        chunk = s.recv(length - len(head) - len(body))
        if not chunk:
            break
        body += chunk
with open(out, "wb") as f:
    # The fuzz harness reads its chunk size from the first byte (257 here).
    f.write(b"\x10" + head + body)
