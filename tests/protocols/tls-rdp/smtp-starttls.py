#!/usr/bin/env python3
"""smtp-starttls.py ADDRESS CERT KEY PORT...: an SMTP server that offers
STARTTLS (RFC 3207) and speaks TLS after it, for the certificate probe's
tests. OpenSMTPD would be the real one, but 6.8 on Debian 12 fails every
handshake under OpenSSL 3 ("EVP lib"), for openssl s_client as well."""
import socket
import ssl
import sys
import threading

address, cert, key = sys.argv[1:4]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)


def session(conn):
    with conn:
        f = conn.makefile("rwb", buffering=0)
        f.write(b"220 mail.test.lan ESMTP test\r\n")
        for line in f:
            verb = line.strip().upper()
            if verb.startswith(b"EHLO"):
                f.write(b"250-mail.test.lan\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 SIZE 1000000\r\n")
            elif verb == b"STARTTLS":
                f.write(b"220 2.0.0 Ready to start TLS\r\n")
                try:
                    with context.wrap_socket(conn, server_side=True) as tls:
                        tls.recv(1)   # until the client goes
                except (OSError, ssl.SSLError):
                    pass
                return
            else:
                f.write(b"221 bye\r\n")
                return


def serve(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(8)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=session, args=(conn,), daemon=True).start()


for p in sys.argv[5:]:
    threading.Thread(target=serve, args=(int(p),), daemon=True).start()
serve(int(sys.argv[4]))
