#!/usr/bin/python3
# hostile-peer.py HOST: LDAP and SNMP peers that answer badly, for
# test-ldap-snmp.sh. Each echoes the request's message or request id, so
# the codec reads on to the bad part.
#   TCP 3891 truncated reply, then close      TCP 3895 silent, never closes
#   TCP 3892 length of 4 GB (0x84 ffffffff)   TCP 3896 one message of 256 KB, then endless bytes
#   TCP 3893 BER nested 400 deep              TCP 3897 escape sequences, 5000 values, result 0
#   TCP 3894 endless search references        TCP 3898 a clock 2 h 1 min 30 s slow
#   UDP 3891 CLDAP with 2000 values in one datagram
#   UDP 1161 SNMP truncated  UDP 1162 SNMP 4 GB length  UDP 1163 SNMP nested 400 deep
import socket
import sys
import threading
import time


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + body


def integer(v):
    return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def first_id(req):
    """The first INTEGER inside the outer SEQUENCE (LDAP's messageID), or
    for SNMP the PDU's request-id (the third INTEGER-ish field)."""
    i = 1
    i += 1 + (req[i] & 0x7F) if req[i] & 0x80 else 1
    if req[i] != 0x02:
        return 1, i
    n = req[i + 1]
    return int.from_bytes(req[i + 2:i + 2 + n], "big", signed=True), i + 2 + n


def snmp_request_id(req):
    version, i = first_id(req)
    i += 2 + req[i + 1]                      # community
    i += 1                                   # PDU tag
    i += 1 + (req[i] & 0x7F) if req[i] & 0x80 else 1
    n = req[i + 1]
    return version, int.from_bytes(req[i + 2:i + 2 + n], "big", signed=True)


def ldap_msg(mid, tag, body):
    return tlv(0x30, integer(mid) + tlv(tag, body))


def entry(mid, attrs):
    body = tlv(0x04, b"") + tlv(0x30, b"".join(
        tlv(0x30, tlv(0x04, name) + tlv(0x31, b"".join(tlv(0x04, v) for v in vals))) for name, vals in attrs))
    return ldap_msg(mid, 0x64, body)


def done(mid, code=0):
    return ldap_msg(mid, 0x65, tlv(0x0A, bytes([code])) + tlv(0x04, b"") + tlv(0x04, b""))


def nested(depth, core):
    for _ in range(depth):
        core = tlv(0x30, core)
    return core


def tcp_case(port, conn):
    req = conn.recv(65536)
    mid = first_id(req)[0] if req[:1] == b"\x30" else 1
    good = entry(mid, [(b"dnsHostName", [b"hostile.test.lan"])]) + done(mid)
    if port == 3891:
        conn.sendall(good[:40])
    elif port == 3892:
        conn.sendall(b"\x30\x84\xff\xff\xff\xff" + integer(mid) + b"\x64\x00")
        time.sleep(30)
    elif port == 3893:
        conn.sendall(ldap_msg(mid, 0x64, tlv(0x04, b"") + nested(400, b"")))
        time.sleep(30)
    elif port == 3894:
        ref = ldap_msg(mid, 0x73, tlv(0x04, b"ldap://again.test.lan/"))
        while True:
            conn.sendall(ref * 64)
    elif port == 3895:
        time.sleep(60)
    elif port == 3896:
        conn.sendall(b"\x30\x83\x03\xff\xff" + integer(mid))
        while True:
            conn.sendall(b"\x00" * 65536)
    elif port == 3898:
        skewed = time.strftime("%Y%m%d%H%M%S.0Z", time.gmtime(time.time() - 2 * 3600 - 90))
        conn.sendall(entry(mid, [(b"currentTime", [skewed.encode()])]) + done(mid))
        time.sleep(30)
    elif port == 3897:
        conn.sendall(entry(mid, [(b"dnsHostName", [b"evil\x1b]0;pwned\x07\x1b[2J.test.lan"]),
                                 (b"supportedControl", [b"1.2.3.%d" % i for i in range(5000)])]) + done(mid))
        time.sleep(30)


def serve_tcp(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, port))
    s.listen(16)
    while True:
        conn, _ = s.accept()

        def run(c=conn):
            try:
                tcp_case(port, c)
            except OSError:
                pass
            finally:
                c.close()
        threading.Thread(target=run, daemon=True).start()


def udp_reply(port, req):
    if port == 3891:
        mid = first_id(req)[0]
        return entry(mid, [(b"supportedCapabilities", [b"1.2.840.113556.1.4.%d" % i for i in range(2000)])]) + done(mid)
    version, rid = snmp_request_id(req)
    vb = tlv(0x30, tlv(0x06, b"\x2b\x06\x01\x02\x01\x01\x05\x00") + tlv(0x04, b"hostile"))
    pdu = integer(rid) + integer(0) + integer(0)
    if port == 1161:
        full = tlv(0x30, integer(version) + tlv(0x04, b"public") + tlv(0xA2, pdu + tlv(0x30, vb)))
        return full[:len(full) // 2]
    if port == 1162:
        return b"\x30\x84\xff\xff\xff\xff" + integer(version) + tlv(0x04, b"public")
    return tlv(0x30, integer(version) + tlv(0x04, b"public") + tlv(0xA2, pdu + nested(400, vb)))


def serve_udp(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((host, port))
    while True:
        req, peer = s.recvfrom(65536)
        try:
            s.sendto(udp_reply(port, req), peer)
        except (IndexError, OSError):
            pass


def main():
    host = sys.argv[1]
    for p in range(3891, 3899):
        threading.Thread(target=serve_tcp, args=(host, p), daemon=True).start()
    for p in (3891, 1161, 1162, 1163):
        threading.Thread(target=serve_udp, args=(host, p), daemon=True).start()
    while True:
        time.sleep(3600)


main()
