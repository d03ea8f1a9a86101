#!/usr/bin/python3
"""Captures real replies as fuzz seeds and unit-test data, run by hand in
the client namespace of a rig from tests/lib/rig-up.sh:
  ip netns exec $NS_CLI capture-seeds.py seeds
The sqlbrowser seeds come from peers.py's replies (no SQL Server here).
Queries carry transaction id 42, the id the codecs use with seed 42 (the
fuzz harness and the unit tests). Each seed file is the harness input:
one byte for the chunk size, then the reply (TCP: with its length prefix)."""
import os, socket, struct, sys

out = sys.argv[1]
SRV, DC = "10.200.77.2", "10.200.78.2"

def dns_query(name, qtype):
    q = struct.pack(">HHHHHH", 42, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        if label:
            q += bytes([len(label)]) + label.encode()
    return q + b"\0" + struct.pack(">HH", qtype, 1)

def udp(addr, port, data):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.sendto(data, (addr, port))
    reply = s.recv(65536)
    s.close()
    return reply

def tcp(addr, port, data):
    s = socket.create_connection((addr, port), timeout=3)
    s.sendall(struct.pack(">H", len(data)) + data)
    reply = b""
    while len(reply) < 2 or len(reply) < 2 + struct.unpack(">H", reply[:2])[0]:
        chunk = s.recv(65536)
        if not chunk:
            break
        reply += chunk
    s.close()
    return reply

def save(kind, name, chunk, data):
    with open(os.path.join(out, kind, name), "wb") as f:
        f.write(bytes([chunk]) + data)

queries = {
    "a-srv": ("srv.test.lan", 1),
    "srv-ldap": ("_ldap._tcp.test.lan", 33),
    "ptr": ("2.77.200.10.in-addr.arpa", 12),
    "nxdomain": ("nothere.test.lan", 1),
    "refused-root-ns": ("", 2),
}
for name, (qname, qtype) in queries.items():
    save("dns", name, 0xff, udp(SRV, 53, dns_query(qname, qtype)))
    save("dns-tcp", name, 2, tcp(SRV, 53, dns_query(qname, qtype)))

nbstat = struct.pack(">HHHHHH", 42, 0, 1, 0, 0, 0) + b"\x20" + b"CK" + b"AA" * 15 + b"\0" + struct.pack(">HH", 0x21, 1)
save("nbstat", "nmbd", 0xff, udp(SRV, 137, nbstat))
save("nbstat", "samba-dc", 0xff, udp(DC, 137, nbstat))
