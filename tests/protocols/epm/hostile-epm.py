#!/usr/bin/python3
"""Endpoint mappers that misbehave, one per port on ADDRESS (TCP unless said):
  BASE+0  truncated: a bind_ack cut in the middle, then the connection closes
  BASE+1  frag_length past the end: a header claiming 4000 bytes, 100 sent, silence
  BASE+2  huge counts: num_ents / max_count 0x7fffffff with two entries' bytes
  BASE+3  a tower whose length runs past the end of the reply
  BASE+4  never says "no more": one entry and a fresh handle for every call
  BASE+5  sends without end: response fragments that never have the last flag
  BASE+7  rejects the bind (bind_nak, reason 4: protocol version not supported)
  BASE+6  UDP: a connectionless endpoint mapper that follows the spec, answering
          ept_lookup with the entries of REPLAY (a capture from Samba, the AD DC)
          in groups of the size asked, "no more" with the last group
Every connection is bounded: it stops after 60 s."""
import socket, struct, sys, threading, time

address, base, replay = sys.argv[1], int(sys.argv[2]), sys.argv[3]
NDR = bytes.fromhex("045d888aeb1cc9119fe808002b104860")
SAMR = bytes.fromhex("785734123412cdabef000123456789ac")
NOT_REGISTERED = 0x16c9a0d6


def header(ptype, flags, length, call_id):
    return struct.pack("<BBBB4sHHI", 5, 0, ptype, flags, b"\x10\0\0\0", length, 0, call_id)


def bind_ack(call_id):
    body = struct.pack("<HHIH", 5840, 5840, 0x1234, 4) + b"135\0" + b"\0\0"
    body += struct.pack("<BBHHH", 1, 0, 0, 0, 0) + NDR + struct.pack("<I", 2)
    return header(12, 3, 16 + len(body), call_id) + body


def response(call_id, stub, flags=3):
    return header(2, flags, 24 + len(stub), call_id) + struct.pack("<IHBB", len(stub), 0, 0, 0) + stub


def tower(port):
    floors = [(b"\x0d" + SAMR + b"\x01\0", b"\0\0"), (b"\x0d" + NDR + b"\x02\0", b"\0\0"),
              (b"\x0b", b"\0\0"), (b"\x07", struct.pack(">H", port)), (b"\x09", bytes([10, 200, 77, 2]))]
    t = struct.pack("<H", len(floors))
    for lhs, rhs in floors:
        t += struct.pack("<H", len(lhs)) + lhs + struct.pack("<H", len(rhs)) + rhs
    return t


def stub(entries, status, handle=b"\0" * 20, num=None, tower_len=None):
    """entries: annotations; each entry gets tower(1025)"""
    n = len(entries) if num is None else num
    s = handle + struct.pack("<IIII", n, n, 0, n)
    for i, note in enumerate(entries):
        a = note.encode() + b"\0"
        s += b"\0" * 16 + struct.pack("<III", 0x20000 + i, 0, len(a)) + a
        s += b"\0" * (-len(s) % 4)
    for _ in entries:
        t = tower(1025)
        length = len(t) if tower_len is None else tower_len
        s += struct.pack("<II", length, length) + t
        s += b"\0" * (-len(s) % 4)
    return s + struct.pack("<I", status)


def read_pdu(c):
    buf = b""
    while len(buf) < 16:
        more = c.recv(65536)
        if not more:
            raise OSError("closed")
        buf += more
    length = struct.unpack_from("<H", buf, 8)[0]
    while len(buf) < length:
        more = c.recv(65536)
        if not more:
            raise OSError("closed")
        buf += more
    return buf[:length]


def call_id(pdu):
    return struct.unpack_from("<I", pdu, 12)[0]


def serve(port, talk):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        c.settimeout(60)
        threading.Thread(target=guarded, args=(c, talk), daemon=True).start()


def guarded(c, talk):
    try:
        talk(c)
    except OSError:
        pass
    c.close()


def truncated(c):
    ack = bind_ack(call_id(read_pdu(c)))
    c.sendall(ack[:len(ack) // 2])
    time.sleep(0.5)


def past_end(c):
    read_pdu(c)
    c.sendall(header(12, 3, 4000, 1) + b"\0" * 84)
    time.sleep(60)


def after_bind(c):
    c.sendall(bind_ack(call_id(read_pdu(c))))
    return call_id(read_pdu(c))


def huge_counts(c):
    cid = after_bind(c)
    c.sendall(response(cid, stub(["a", "b"], 0, b"\1" * 20, num=0x7fffffff)))
    time.sleep(1)


def tower_past_end(c):
    cid = after_bind(c)
    c.sendall(response(cid, stub(["a"], NOT_REGISTERED, tower_len=100000)))
    time.sleep(1)


def never_ends(c):
    c.sendall(bind_ack(call_id(read_pdu(c))))
    n = 0
    while True:
        cid = call_id(read_pdu(c))
        n += 1
        c.sendall(response(cid, stub(["round %d" % n], 0, struct.pack("<I16s", 0, b"%16d" % n))))


def endless(c):
    cid = after_bind(c)
    end = time.time() + 60
    first = True
    while time.time() < end:
        c.sendall(response(cid, b"A" * 4096, flags=1 if first else 0))
        first = False


def bind_nak(c):
    cid = call_id(read_pdu(c))
    body = struct.pack("<HB", 4, 1) + b"\x05\x00"
    c.sendall(header(13, 3, 16 + len(body), cid) + body)
    time.sleep(1)


def udp_epm(port):
    """Connectionless ept_lookup (C706 chapter 12) over the captured entries."""
    data = open(replay, "rb").read()[1:]
    # The entries of the capture: every response stub's entries, re-encoded per request.
    stubs, cur, pos = [], b"", 0
    while pos + 16 <= len(data):
        length = struct.unpack_from("<H", data, pos + 8)[0]
        if data[pos + 2] == 2:
            cur += data[pos + 24:pos + length]
            if data[pos + 3] & 2:
                stubs.append(cur)
                cur = b""
        pos += length
    entries = []
    for s in stubs:
        n = struct.unpack_from("<I", s, 20)[0]
        p, heads = 36, []
        for _ in range(n):
            obj, ref, _off, alen = struct.unpack_from("<16sIII", s, p)
            p += 28
            heads.append((obj, ref, s[p:p + alen]))
            p += alen
            p += -p % 4
        for obj, ref, note in heads:
            tl = struct.unpack_from("<I", s, p + 4)[0] if ref else 0
            tw = s[p + 8:p + 8 + tl] if ref else None
            if ref:
                p += 8 + tl
                p += -p % 4
            entries.append((obj, note, tw))

    def encode(group, handle, status):
        s = handle + struct.pack("<IIII", len(group), len(group), 0, len(group))
        for i, (obj, note, tw) in enumerate(group):
            s += obj + struct.pack("<III", 0x20000 + i if tw else 0, 0, len(note)) + note
            s += b"\0" * (-len(s) % 4)
        for obj, note, tw in group:
            if tw:
                s += struct.pack("<II", len(tw), len(tw)) + tw
                s += b"\0" * (-len(s) % 4)
        return s + struct.pack("<I", status)

    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((address, port))
    while True:
        req, peer = u.recvfrom(65536)
        if len(req) < 80 + 40 or req[0] != 4 or req[1] != 0 or struct.unpack_from("<H", req, 68)[0] != 2:
            continue
        body = req[80:]
        handle = body[16:36]
        max_ents = struct.unpack_from("<I", body, 36)[0]
        start = struct.unpack_from("<I", handle, 4)[0]
        group = entries[start:start + max(1, min(max_ents, 50))]
        nxt = start + len(group)
        last = nxt >= len(entries)
        reply_stub = encode(group, b"\0" * 20 if last else struct.pack("<II12s", 0, nxt, b"epm-cl-handle"),
                            NOT_REGISTERED if last else 0)
        head = bytearray(req[:80])
        head[1] = 2          # response
        head[2] = 0
        struct.pack_into("<I", head, 56, 0x5eed)   # server boot time
        struct.pack_into("<H", head, 74, len(reply_stub))
        u.sendto(bytes(head) + reply_stub, peer)


talks = [truncated, past_end, huge_counts, tower_past_end, never_ends, endless]
for i, f in enumerate(talks):
    threading.Thread(target=serve, args=(base + i, f), daemon=True).start()
threading.Thread(target=udp_epm, args=(base + len(talks),), daemon=True).start()
threading.Thread(target=serve, args=(base + len(talks) + 1, bind_nak), daemon=True).start()
while True:
    time.sleep(3600)
