#!/usr/bin/python3
# capture.py KIND HOST PORT OUT: record a real server's reply as a fuzz
# seed in fuzz-codec.c's layout (byte 0 sets the chunk size, then what the
# peer sends). KIND: ldap (TCP), cldap (UDP) or snmp (UDP: the v1 reply,
# then the v2c one). Message and request ids are 43 and 44, as the codecs
# make them from the harness's seed 42.
import socket
import sys

ATTRS = ("currentTime subschemaSubentry dsServiceName namingContexts defaultNamingContext "
         "schemaNamingContext configurationNamingContext rootDomainNamingContext supportedControl "
         "supportedLDAPVersion supportedLDAPPolicies supportedSASLMechanisms highestCommittedUSN "
         "dnsHostName ldapServiceName serverName supportedCapabilities isSynchronized "
         "isGlobalCatalogReady domainFunctionality forestFunctionality domainControllerFunctionality "
         "vendorName vendorVersion supportedExtension supportedFeatures objectClass "
         "structuralObjectClass entryDN configContext").split()


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


def oid(dotted):
    arcs = [int(a) for a in dotted.split(".")]
    arcs = [arcs[0] * 40 + arcs[1]] + arcs[2:]
    out = b""
    for a in arcs:
        enc = [a & 0x7F]
        a >>= 7
        while a:
            enc.insert(0, 0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(enc)
    return tlv(0x06, out)


def ldap_request():
    search = (tlv(0x04, b"") + integer(0, 0x0A) + integer(0, 0x0A) + integer(1) + integer(10)
              + tlv(0x01, b"\x00") + tlv(0x87, b"objectClass")
              + tlv(0x30, b"".join(tlv(0x04, a.encode()) for a in ATTRS)))
    return tlv(0x30, integer(43) + tlv(0x63, search))


def snmp_request(version, rid):
    vbs = b"".join(tlv(0x30, oid("1.3.6.1.2.1.1.%d.0" % i) + b"\x05\x00") for i in range(1, 7))
    pdu = integer(rid) + integer(0) + integer(0) + tlv(0x30, vbs)
    return tlv(0x30, integer(version) + tlv(0x04, b"public") + tlv(0xA0, pdu))


def pad_to_chunk(datagrams):
    """UDP seeds: every datagram padded to one chunk size (1 + b0 * 16)."""
    longest = max(len(d) for d in datagrams)
    b0 = (longest - 1 + 15) // 16
    chunk = 1 + b0 * 16
    return bytes([b0]) + b"".join(d + b"\x00" * (chunk - len(d)) for d in datagrams)


def main():
    kind, host, port, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    if kind == "ldap":
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(ldap_request())
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            data += chunk
            if b"\x65" in data[-64:] and len(data) > 64:
                s.settimeout(0.5)
        seed = bytes([15]) + data
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(3)
        s.connect((host, port))
        if kind == "cldap":
            s.send(ldap_request())
            seed = pad_to_chunk([s.recv(65536)])
        else:
            s.send(snmp_request(0, 43))
            v1 = s.recv(65536)
            s.send(snmp_request(1, 44))
            seed = pad_to_chunk([v1, s.recv(65536)])
    with open(out, "wb") as f:
        f.write(seed)
    print("%s: %d bytes" % (out, len(seed)))


main()
