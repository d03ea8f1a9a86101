#!/usr/bin/python3
# capture.py KIND HOST PORT OUT [REALM]: record a real server's reply as a
# fuzz seed in fuzz-codec.c's layout (byte 0 sets the chunk size, then what
# the peer sends). KIND: kerberos (UDP) or kerberos-tcp: the AS-REQ the
# codec sends (client krbtgt, service krbtgt/REALM@REALM, no
# pre-authentication; REALM defaults to EXAMPLE); smb (TCP 445) and
# smb-netbios (TCP 139, after a session request to *SMBSERVER): the SMB1
# multi-protocol NEGOTIATE, then the SMB2 NEGOTIATE when the server picks
# SMB2, as the codec sends them; smb1-only: an SMB1 NEGOTIATE offering
# only "NT LM 0.12".
import socket
import struct
import sys


def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + body


def integer(v, tag=0x02):
    return tlv(tag, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def principal(kind, *names):
    return tlv(0x30, tlv(0xA0, integer(kind)) + tlv(0xA1, tlv(0x30, b"".join(tlv(0x1B, n.encode()) for n in names))))


def as_req(realm, nonce):
    body = (tlv(0xA0, tlv(0x03, b"\x00\x40\x81\x00\x10"))
            + tlv(0xA1, principal(1, "krbtgt"))
            + tlv(0xA2, tlv(0x1B, realm.encode()))
            + tlv(0xA3, principal(2, "krbtgt", realm))
            + tlv(0xA5, tlv(0x18, b"20370913024805Z"))
            + tlv(0xA7, integer(nonce))
            + tlv(0xA8, tlv(0x30, b"".join(integer(e) for e in (18, 17, 20, 19, 23)))))
    req = tlv(0xA1, integer(5)) + tlv(0xA2, integer(10)) + tlv(0xA4, tlv(0x30, body))
    return tlv(0x6A, tlv(0x30, req))


def smb1_negotiate(dialects):
    body = b"".join(b"\x02" + d.encode() + b"\x00" for d in dialects)
    hdr = (b"\xffSMB\x72" + b"\x00" * 4 + b"\x18" + struct.pack("<H", 0xC853) + b"\x00" * 12
           + struct.pack("<HHHH", 0, 0xFEFF, 0, 0))
    msg = hdr + b"\x00" + struct.pack("<H", len(body)) + body
    return struct.pack(">I", len(msg)) + msg


def smb2_negotiate(message_id):
    dialects = (0x0202, 0x0210, 0x0300, 0x0302, 0x0311)
    guid = bytes(range(16))
    fixed = 64 + 36 + 2 * len(dialects)
    pad = (8 - fixed % 8) % 8
    ctx = [(1, struct.pack("<HHH", 1, 32, 1) + bytes(32)),
           (2, struct.pack("<HHHHH", 4, 4, 3, 2, 1)),
           (8, struct.pack("<HHHH", 3, 2, 1, 0))]
    blob = b""
    for i, (t, d) in enumerate(ctx):
        blob += struct.pack("<HHI", t, len(d), 0) + d
        if i < len(ctx) - 1:
            blob += bytes((8 - len(blob) % 8) % 8)
    hdr = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ", 64, 0, 0, 0, 1, 0, 0, message_id, 0, 0, 0) + bytes(16)
    body = struct.pack("<HHHHI", 36, len(dialects), 1, 0, 0x7F) + guid + struct.pack("<IHH", fixed + pad, len(ctx), 0)
    body += b"".join(struct.pack("<H", d) for d in dialects) + bytes(pad) + blob
    msg = hdr + body
    return struct.pack(">I", len(msg)) + msg


def recv_frame(s):
    data = b""
    while len(data) < 4 or len(data) < 4 + (struct.unpack(">I", data[:4])[0] & 0xFFFFFF):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def netbios_name(name):
    raw = name.ljust(15).encode()[:15] + b"\x20"
    return b"\x20" + b"".join(bytes([0x41 + (c >> 4), 0x41 + (c & 15)]) for c in raw) + b"\x00"


def smb(host, port, netbios=False):
    """The multi-protocol negotiate, then SMB2 NEGOTIATE when the server asks for it."""
    s = socket.create_connection((host, port), timeout=5)
    data = b""
    if netbios:
        body = netbios_name("*SMBSERVER") + netbios_name("PORTQRY")
        s.sendall(b"\x81\x00" + struct.pack(">H", len(body)) + body)
        data = recv_frame(s)
    s.sendall(smb1_negotiate(["NT LM 0.12", "SMB 2.002", "SMB 2.???"]))
    first = recv_frame(s)
    data += first
    if first[4:8] == b"\xfeSMB" and first[4 + 64 + 4:4 + 64 + 6] == b"\xff\x02":
        s.sendall(smb2_negotiate(1))
        data += recv_frame(s)
    return data


def main():
    kind, host, port, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    realm = sys.argv[5] if len(sys.argv) > 5 else "EXAMPLE"
    if kind == "kerberos":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(3)
        s.connect((host, port))
        s.send(as_req(realm, 42))
        d = s.recv(65536)
        seed = bytes([(len(d) + 14) // 16]) + d
    elif kind == "kerberos-tcp":
        s = socket.create_connection((host, port), timeout=5)
        req = as_req(realm, 42)
        s.sendall(struct.pack(">I", len(req)) + req)
        data = b""
        while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        seed = bytes([15]) + data
    elif kind == "smb":
        seed = bytes([15]) + smb(host, port)
    elif kind == "smb-netbios":
        seed = bytes([15]) + smb(host, port, netbios=True)
    elif kind == "smb1-only":
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(smb1_negotiate(["NT LM 0.12"]))
        seed = bytes([15]) + recv_frame(s)
    with open(out, "wb") as f:
        f.write(seed)
    print("%s: %d bytes" % (out, len(seed)))


main()
