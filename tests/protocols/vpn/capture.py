#!/usr/bin/python3
"""capture.py SERVER OUTDIR: the replies of real TFTP, L2TP and IKE (500, 4500) servers
to the requests portqry's codecs send (rebuilt here byte for byte), kept as
seeds for test-vpn.c and the fuzz targets. Run in a client namespace next
to test-vpn.sh's servers (tftpd-hpa, xl2tpd, charon):
  ip netns exec NS python3 capture.py 10.207.0.2 seeds
Each seed is in fuzz-codec.c's layout: byte 0 sets the chunk size (one
chunk holds the datagram), then the reply. The IKE replies get the SPI of
the codec's request for the fuzz harness's seed 42 in place of this
script's (test-vpn.c puts in the one of its own request)."""
import os
import socket
import struct
import sys

server, outdir = sys.argv[1], sys.argv[2]
SPI = bytes([0x81, 2, 3, 4, 5, 6, 7, 8])


def ask(port, data, source=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", source))
    s.settimeout(2)
    s.sendto(data, (server, port))
    try:
        reply, _ = s.recvfrom(65536)
    except socket.timeout:
        reply = None
    s.close()
    return reply


def spi_for_seed_42():
    """pq-ike.c's initiator SPI for seed 42 (xorshift32 from 42 | 1)."""
    x, out = 43, []
    for _ in range(8):
        x ^= (x << 13) & 0xffffffff
        x ^= x >> 17
        x ^= (x << 5) & 0xffffffff
        out.append(x & 0xff)
    out[0] |= 0x80
    return bytes(out)


def save(name, data):
    if data is None:
        sys.exit(f"no reply for {name}")
    if name.startswith("ike/"):
        data = spi_for_seed_42() + data[8:]
    elif name.startswith("ike-natt/"):   # behind the non-ESP marker
        data = data[:4] + spi_for_seed_42() + data[12:]
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(bytes([(len(data) + 14) // 16]) + data)
    print(f"{name}: {len(data)} bytes")


def avp(t, value):
    return struct.pack(">HHH", 0x8000 | (6 + len(value)), 0, t) + value


def l2tp(msg_type, to, ns, nr, extra):
    body = avp(0, struct.pack(">H", msg_type)) + extra
    return struct.pack(">HHHHHH", 0xC802, 12 + len(body), to, 0, ns, nr) + body


def ike_v2():
    sa = bytes([34, 0, 0, 48, 0, 0, 0, 44, 1, 1, 0, 4,
                3, 0, 0, 12, 1, 0, 0, 12, 0x80, 14, 0, 128, 3, 0, 0, 8, 2, 0, 0, 5,
                3, 0, 0, 8, 3, 0, 0, 12, 0, 0, 0, 8, 4, 0, 0, 14])
    ke = bytes([40, 0, 1, 8, 0, 14, 0, 0]) + bytes([0x7f]) + os.urandom(255)
    nonce = bytes([0, 0, 0, 36]) + os.urandom(32)
    body = sa + ke + nonce
    return SPI + bytes(8) + bytes([33, 0x20, 34, 0x08]) + bytes(4) + struct.pack(">I", 28 + len(body)) + body


def ike_v1():
    sa = bytes([0, 0, 0, 56, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 44, 1, 1, 0, 1, 0, 0, 0, 36, 1, 1, 0, 0,
                0x80, 1, 0, 7, 0x80, 14, 0, 128, 0x80, 2, 0, 2, 0x80, 3, 0, 1,
                0x80, 4, 0, 14, 0x80, 11, 0, 1, 0x80, 12, 0x70, 0x80])
    return SPI + bytes(8) + bytes([1, 0x10, 2, 0]) + bytes(4) + struct.pack(">I", 28 + len(sa)) + sa


save("tftp/tftpd-hpa-not-found", ask(69, b"\0\1portqry-00000000.none\0octet\0"))
sccrq_avps = (avp(2, b"\1\0") + avp(7, b"portqry") + avp(3, b"\0\0\0\3") + avp(9, b"\x12\x35"))
sccrp = ask(1701, l2tp(1, 0, 0, 0, sccrq_avps))
save("l2tp/xl2tpd-sccrp", sccrp)
# Close the tunnel the SCCRP opened, as the codec does.
peer = [struct.unpack(">H", sccrp[i + 6:i + 8])[0] for i in range(12, len(sccrp) - 7)
        if sccrp[i + 2:i + 6] == b"\0\0\0\x09"][0]
ask(1701, l2tp(4, peer, 1, 1, avp(9, b"\x12\x35") + avp(1, b"\0\1")))
save("ike/charon-v2-no-proposal", ask(500, ike_v2()))
save("ike/charon-v1-no-proposal", ask(500, ike_v1()))
# UDP 4500 (NAT traversal): the same messages behind the non-ESP marker.
save("ike-natt/charon-v2-no-proposal", ask(4500, bytes(4) + ike_v2()))
save("ike-natt/charon-v1-no-proposal", ask(4500, bytes(4) + ike_v1()))
