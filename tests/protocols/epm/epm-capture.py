#!/usr/bin/python3
"""epm-capture.py HOST OUTFILE [MAX_ENTS]: ask HOST's endpoint mapper (TCP 135)
for its entries the way pq-epm.c does (bind, then ept_lookup with call ids
1, 2, 3...) and save every byte the server sent, for the unit tests and as a
fuzz seed (first byte: the fuzzer's chunk size)."""
import socket, struct, sys

host, outfile = sys.argv[1], sys.argv[2]
max_ents = int(sys.argv[3]) if len(sys.argv) > 3 else 100
EPM = bytes.fromhex("0883afe11f5dc91191a408002b14a0fa")
NDR = bytes.fromhex("045d888aeb1cc9119fe808002b104860")

def pdu(ptype, call_id, body):
    return struct.pack("<BBBB4sHHI", 5, 0, ptype, 3, b"\x10\0\0\0", 16 + len(body), 0, call_id) + body

def read_pdu(s, got):
    buf = b""
    while True:
        while len(buf) < 16:
            buf += s.recv(65536)
        flen = struct.unpack_from("<H", buf, 8)[0]
        while len(buf) < flen:
            buf += s.recv(65536)
        frag, buf = buf[:flen], buf[flen:]
        got.append(frag)
        assert not buf
        if frag[3] & 2 or frag[2] != 2:
            return frag

s = socket.create_connection((host, 135), timeout=5)
got = []
s.sendall(pdu(11, 1, struct.pack("<HHIIHH", 5840, 5840, 0, 1, 0, 1) + EPM + struct.pack("<I", 3) + NDR + struct.pack("<I", 2)))
read_pdu(s, got)
handle, call_id = b"\0" * 20, 2
while call_id < 50:
    stub = struct.pack("<IIII", 0, 0, 0, 1) + handle + struct.pack("<I", max_ents)
    s.sendall(pdu(0, call_id, struct.pack("<IHH", len(stub), 0, 2) + stub))
    start = len(got)
    last = read_pdu(s, got)
    if last[2] != 2:
        break
    data = b"".join(f[24:] for f in got[start:])
    handle = data[:20]
    num = struct.unpack_from("<I", data, 20)[0]
    status = struct.unpack_from("<I", data, len(data) - 4)[0]
    print("call %d: %d entries, status 0x%08x, %d fragments" % (call_id, num, status, len(got) - start))
    if status or num == 0 or handle == b"\0" * 20:
        break
    call_id += 1
with open(outfile, "wb") as f:
    f.write(bytes([15]) + b"".join(got))
