#!/usr/bin/python3
"""Peers for the DNS, NetBIOS and SQL Server browser tests, on ADDRESS.

SQL Server has no Debian package, so a responder following [MC-SQLR]
answers CLNT_UCAST_EX (0x03) with SVR_RESP: 0x05, a 2-byte little-endian
length, then "key;value;" pairs, each instance ended by ";;".

  UDP 1434   two instances (a named one and the default one)
  UDP 14341  the length runs past the end of the datagram
  UDP 14342  an odd number of fields (a name without a value)
  UDP 14343  the last instance lacks its ";;"
  UDP 14344  huge: 1200 instances, about 60 kB
  UDP 14345  not SVR_RESP at all

Hostile DNS servers (a reply echoes the query's id unless said otherwise):
  UDP 5301   5 bytes, shorter than a header
  UDP 5302   an answer whose name is a compression loop
  UDP 5303   65535 answers announced, 1 present
  UDP 5304   rdlength past the end
  UDP 5305   a reply with another id
  TCP 5311   length prefix 65535, 20 bytes of data, never closes
  TCP 5312   a correct reply sent one byte at a time
  TCP 5313   accepts and never says anything, never closes
  TCP 5314   endless frames of garbage

Hostile NetBIOS name servers (node status replies):
  UDP 1371   255 names announced, 2 present
  UDP 1372   the header only
  UDP 1373   rdlength past the end
  UDP 1374   names with terminal escapes and high bytes, a real MAC
  UDP 1375   the answer's name is a compression loop

Every connection and the whole process are bounded in time (120 s)."""
import socket, struct, sys, threading, time

address = sys.argv[1]
deadline = time.time() + 120

# ---------------------------------------------------------------- SQL
def svr_resp(text, size=None):
    data = text.encode("latin-1")
    return b"\x05" + struct.pack("<H", len(data) if size is None else size) + data

SQL_GOOD = ("ServerName;SQLHOST;InstanceName;SQLEXPRESS;IsClustered;No;Version;15.0.2000.5;"
            "tcp;50123;np;\\\\SQLHOST\\pipe\\MSSQL$SQLEXPRESS\\sql\\query;;"
            "ServerName;SQLHOST;InstanceName;MSSQLSERVER;IsClustered;Yes;Version;16.0.1000.6;"
            "tcp;1433;np;\\\\SQLHOST\\pipe\\sql\\query;via;SQLHOST,1433:1433;;")

def sql_reply(port):
    if port == 1434:
        return svr_resp(SQL_GOOD)
    if port == 14341:
        return svr_resp(SQL_GOOD, size=60000)
    if port == 14342:
        return svr_resp("ServerName;ODD;InstanceName;ONE;IsClustered")
    if port == 14343:
        return svr_resp("ServerName;NOEND;InstanceName;TWO;IsClustered;No;Version;14.0.1000.169;tcp;1435;")
    if port == 14344:
        text = "".join(f"ServerName;BIG;InstanceName;I{i:04d};IsClustered;No;Version;15.0;tcp;{2000 + i};;"
                       for i in range(1200))
        return svr_resp(text[:60000], size=min(len(text), 60000))
    return b"\x15\x03\x01\x00\x02\x02\x28"   # a TLS alert, not SVR_RESP

# ---------------------------------------------------------------- DNS
def dns_header(qid, flags, qd, an, ns=0, ar=0):
    return struct.pack(">HHHHHH", qid, flags, qd, an, ns, ar)

def question_of(query):
    # the question as sent: from byte 12 to the end of the query
    return query[12:]

def dns_reply(port, query):
    qid = struct.unpack(">H", query[:2])[0]
    q = question_of(query)
    a_rr = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([10, 200, 77, 9])
    if port == 5301:
        return query[:2] + b"\x81\x80\x00"
    if port == 5302:
        # the answer's owner name points at itself
        loop_at = 12 + len(q)
        return (dns_header(qid, 0x8580, 1, 1) + q + struct.pack(">H", 0xc000 | loop_at) +
                struct.pack(">HHIH", 1, 1, 60, 4) + bytes(4))
    if port == 5303:
        return dns_header(qid, 0x8580, 1, 65535) + q + a_rr
    if port == 5304:
        return dns_header(qid, 0x8580, 1, 1) + q + b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 400) + bytes(4)
    if port == 5305:
        return dns_header(qid ^ 0x5555, 0x8580, 1, 1) + q + a_rr
    # a correct answer (TCP 5312)
    return dns_header(qid, 0x8580, 1, 1) + q + a_rr

# ---------------------------------------------------------------- NetBIOS
def nb_name(text, suffix, flags):
    return text.ljust(15, b" ")[:15] + bytes([suffix]) + struct.pack(">H", flags)

def nbstat_reply(port, query):
    qid = struct.unpack(">H", query[:2])[0]
    head = dns_header(qid, 0x8400, 0, 1)
    rr_name = query[12:12 + 34]
    names = nb_name(b"HOSTILE", 0x00, 0x0400) + nb_name(b"HOSTILE", 0x20, 0x0400)
    stats = bytes([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]) + bytes(40)
    if port == 1371:
        rdata = bytes([255]) + names + stats
        return head + rr_name + struct.pack(">HHIH", 0x21, 1, 0, len(rdata)) + rdata
    if port == 1372:
        return head
    if port == 1373:
        rdata = bytes([2]) + names + stats
        return head + rr_name + struct.pack(">HHIH", 0x21, 1, 0, 4000) + rdata
    if port == 1374:
        evil = nb_name(b"EVIL\x1b[2J\x07", 0x20, 0x0400) + nb_name(b"\xff\xfe\xc3(X", 0x00, 0x8400)
        rdata = bytes([2]) + evil + stats
        return head + rr_name + struct.pack(">HHIH", 0x21, 1, 0, len(rdata)) + rdata
    # 1375: the owner name is a pointer to itself
    rdata = bytes([2]) + names + stats
    return head + b"\xc0\x0c" + struct.pack(">HHIH", 0x21, 1, 0, len(rdata)) + rdata

# ---------------------------------------------------------------- servers
def udp_server(port, reply):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((address, port))
    while time.time() < deadline:
        data, peer = s.recvfrom(65536)
        answer = reply(port, data)
        if answer is not None:
            s.sendto(answer, peer)

def tcp_server(port, talk):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(16)
    while time.time() < deadline:
        c, _ = s.accept()
        threading.Thread(target=talk, args=(c,), daemon=True).start()

def read_query(c):
    data = b""
    c.settimeout(10)
    while len(data) < 2 or len(data) < 2 + struct.unpack(">H", data[:2])[0]:
        chunk = c.recv(4096)
        if not chunk:
            break
        data += chunk
    return data[2:]

def short_and_silent(c):
    read_query(c)
    c.sendall(b"\xff\xff" + bytes(20))
    time.sleep(60)
    c.close()

def byte_by_byte(c):
    query = read_query(c)
    reply = dns_reply(5312, query)
    try:
        for b in struct.pack(">H", len(reply)) + reply:
            c.sendall(bytes([b]))
            time.sleep(0.005)
        time.sleep(2)
    except OSError:
        pass
    c.close()

def silent(c):
    time.sleep(60)
    c.close()

def endless(c):
    read_query(c)
    end = time.time() + 60
    try:
        while time.time() < end:
            c.sendall(b"\xff\xff" + b"\xee" * 65535)
    except OSError:
        pass
    c.close()

servers = [(udp_server, p, lambda port, data: sql_reply(port)) for p in (1434, 14341, 14342, 14343, 14344, 14345)]
servers += [(udp_server, p, dns_reply) for p in (5301, 5302, 5303, 5304, 5305)]
servers += [(udp_server, p, nbstat_reply) for p in (1371, 1372, 1373, 1374, 1375)]
servers += [(tcp_server, 5311, short_and_silent), (tcp_server, 5312, byte_by_byte),
            (tcp_server, 5313, silent), (tcp_server, 5314, endless)]
for serve, port, handler in servers:
    threading.Thread(target=serve, args=(port, handler), daemon=True).start()
while time.time() < deadline:
    time.sleep(1)
