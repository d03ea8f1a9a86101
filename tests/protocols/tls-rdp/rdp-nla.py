#!/usr/bin/env python3
"""rdp-nla.py HOST PORT CERT KEY required|optional: an RDP server's
connection negotiation as MS-RDPBCGR 2.2.1.2 and 3.3.5.3.1 describe it
for a Windows host that prefers CredSSP (NLA): a request offering CredSSP
gets it chosen, then a TLS handshake with CERT; a request without CredSSP
is refused with HYBRID_REQUIRED_BY_SERVER when NLA is required, and gets
TLS when it is only preferred. xrdp does no CredSSP, so this stands in for
Windows in the test of "NLA required"."""
import socket
import ssl
import sys
import threading

PROTOCOL_SSL, PROTOCOL_HYBRID = 0x1, 0x2
host, port, cert, key, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)


def confirm(kind, value):
    # TPKT, X.224 Connection Confirm (LI 14), RDP_NEG_RSP or RDP_NEG_FAILURE
    flags = 0x1f if kind == 2 else 0
    return (bytes.fromhex("030000130ed00000123400") + bytes([kind, flags]) +
            (8).to_bytes(2, "little") + value.to_bytes(4, "little"))


def serve(conn):
    with conn:
        conn.settimeout(10)
        request = b""
        while len(request) < 19:
            chunk = conn.recv(19 - len(request))
            if not chunk:
                return
            request += chunk
        offered = int.from_bytes(request[15:19], "little")
        if offered & PROTOCOL_HYBRID:
            chosen = PROTOCOL_HYBRID
        elif mode == "optional" and offered & PROTOCOL_SSL:
            chosen = PROTOCOL_SSL
        else:
            conn.sendall(confirm(3, 5))      # HYBRID_REQUIRED_BY_SERVER
            return
        conn.sendall(confirm(2, chosen))
        try:
            with context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1)
        except (ssl.SSLError, OSError):
            pass


server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((host, port))
server.listen(8)
while True:
    threading.Thread(target=serve, args=(server.accept()[0],), daemon=True).start()
