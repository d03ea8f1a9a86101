#!/bin/bash
# test-tls-rdp.sh PORTQRY BUILDDIR: TLS certificates and RDP on real
# servers, read by portqry from the rig's client namespace:
#   the Samba AD DC's self-signed LDAPS certificate on 636 and 3269
#     (compared with what openssl s_client reads);
#   lighttpd over HTTPS on 443 (a test CA's certificate that expires in 12
#     days, trusted in the client namespace) and 8443 (one that expired 3
#     days ago: a problem in the output and in every report);
#   slapd's StartTLS on 389; STARTTLS on 25 and 587 from smtp-starttls.py
#     (OpenSMTPD 6.8 fails every handshake under Debian 12's OpenSSL 3);
#   xrdp on 3389 (negotiation, then its certificate; no NLA, a finding);
#   rdp-nla.py, an RDP negotiation from MS-RDPBCGR that prefers CredSSP:
#     on 3390 it refuses a second connection offering TLS alone
#     (HYBRID_REQUIRED_BY_SERVER: NLA required), on 3391 it accepts it;
#   a peer that never answers the handshake, one that answers garbage.
set -uo pipefail
PORTQRY=${1:?usage: test-tls-rdp.sh PORTQRY BUILDDIR}
BUILD=${2:?usage: test-tls-rdp.sh PORTQRY BUILDDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create network namespaces"
  exit 77
fi
for tool in samba lighttpd slapd xrdp openssl; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done
[ -f /usr/lib/lighttpd/mod_openssl.so ] || { echo "SKIP: lighttpd-mod-openssl is not installed"; exit 77; }

# The provisioned AD DC is kept in the build directory between runs; the
# file server's namespace gets this test's own servers instead of the rig's.
RIG=$BUILD/rig-tls
export RIG_PREFIX=tl$$ RIG_SKIP="samba dnsmasq slapd snmpd"
cleanup() {
  "$HERE/../../lib/rig-down.sh" "$RIG" > /dev/null 2>&1
  [ -n "${NS_CLI:-}" ] && rm -rf "/etc/netns/$NS_CLI"
}
trap cleanup EXIT
"$HERE/../../lib/rig-down.sh" "$RIG" > /dev/null 2>&1
if ! "$HERE/../../lib/rig-up.sh" "$RIG" > "$BUILD/rig-tls.log" 2>&1; then
  echo "FAIL: the rig did not come up:"; cat "$BUILD/rig-tls.log"; exit 1
fi
# shellcheck source=/dev/null
. "$RIG/env"
SRV=10.200.77.2 DC=10.200.78.2
W=$RIG/tls; rm -rf "$W"; mkdir -p "$W"
start() { # start NAME CMD...: a daemon in the file server's namespace
  local name=$1; shift
  setsid ip netns exec "$NS_SRV" "$@" > "$W/$name.out" 2>&1 < /dev/null &
  echo "$name $!" >> "$RIG/pids"
}
wait_tcp() { # wait_tcp NS ADDR:PORT
  for _ in $(seq 500); do ip netns exec "$1" ss -Htln | grep -q " $2 " && return 0; sleep 0.02; done
  echo "FAIL: nothing listens on $2 in $1"; cat "$W"/*.out 2>/dev/null | tail -20; exit 1
}

# ---- certificates: a test CA, and one certificate per server ----
stamp() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
cert() { "$HERE/make-cert.sh" "$W/ca" "$@" || { echo "FAIL: openssl could not make $1"; exit 1; }; }
cert www.test.lan "$(stamp '-1 day')" "$(stamp '+12 days +2 hours')"
cert old.test.lan 20250101000000Z "$(stamp '-3 days -2 hours')"
cert ldap.test.lan "$(stamp '-1 day')" "$(stamp '+365 days')"
NEWKEY="ec -pkeyopt ec_paramgen_curve:P-256" cert mail.test.lan "$(stamp '-1 day')" "$(stamp '+365 days')"
cert rdp.test.lan "$(stamp '-1 day')" "$(stamp '+365 days')"
# The client namespace trusts the test CA and nothing else (ip netns exec
# binds /etc/netns/NS/ssl over /etc/ssl), and knows the servers' names.
mkdir -p "/etc/netns/$NS_CLI/ssl/certs"
cp "$W/ca/ca.pem" "/etc/netns/$NS_CLI/ssl/certs/ca-certificates.crt"
{ printf '%s dc1.test.lan\n' $DC
  for n in www old ldap mail rdp; do printf '%s %s.test.lan\n' $SRV $n; done; } > "/etc/netns/$NS_CLI/hosts"

# ---- servers ----
mkdir -p "$W/www"; echo hello > "$W/www/index.html"
cat > "$W/lighttpd.conf" <<CONF
server.modules = ("mod_openssl")
server.document-root = "$W/www"
server.bind = "$SRV"
server.port = 18080
\$SERVER["socket"] == "$SRV:443" { ssl.engine = "enable" ssl.pemfile = "$W/ca/www.test.lan.pem" ssl.privkey = "$W/ca/www.test.lan.key" }
\$SERVER["socket"] == "$SRV:8443" { ssl.engine = "enable" ssl.pemfile = "$W/ca/old.test.lan.pem" ssl.privkey = "$W/ca/old.test.lan.key" }
CONF
start lighttpd lighttpd -D -f "$W/lighttpd.conf"

mkdir -p "$W/ldap/db"
cat > "$W/ldap/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $W/ldap/slapd.pid
TLSCertificateFile $W/ca/ldap.test.lan.pem
TLSCertificateKeyFile $W/ca/ldap.test.lan.key
database mdb
maxsize 10485760
suffix "dc=test,dc=lan"
directory $W/ldap/db
CONF
start slapd slapd -d 0 -h "ldap://$SRV:389/" -f "$W/ldap/slapd.conf"

start smtp python3 "$HERE/smtp-starttls.py" $SRV "$W/ca/mail.test.lan.pem" "$W/ca/mail.test.lan.key" 25 587

sed -e "s|^certificate=.*|certificate=$W/ca/rdp.test.lan.pem|" -e "s|^key_file=.*|key_file=$W/ca/rdp.test.lan.key|" \
    -e "s|^fork=.*|fork=false|" -e "s|^security_layer=.*|security_layer=negotiate|" \
    -e "0,/^port=.*/s||port=tcp://$SRV:3389|" /etc/xrdp/xrdp.ini > "$W/xrdp.ini"
start xrdp xrdp -n -c "$W/xrdp.ini"
start rdp-nla python3 "$HERE/rdp-nla.py" $SRV 3390 "$W/ca/rdp.test.lan.pem" "$W/ca/rdp.test.lan.key" required
start rdp-nla-optional python3 "$HERE/rdp-nla.py" $SRV 3391 "$W/ca/rdp.test.lan.pem" "$W/ca/rdp.test.lan.key" optional

# Hostile TLS peers: one silent after the connection, one that answers garbage.
start silent python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$SRV', 9443)); s.listen(8); conns = []
while True: conns.append(s.accept()[0])"
start garbage python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$SRV', 9444)); s.listen(8)
while True:
    c = s.accept()[0]; c.recv(4096); c.sendall(b'HTTP/1.0 400 Bad Request\r\n\r\n' * 4); c.close()"
for p in 443 8443 389 25 587 3389 3390 3391 9443 9444; do wait_tcp "$NS_SRV" "$SRV:$p"; done
wait_tcp "$NS_DC" "$DC:636"; wait_tcp "$NS_DC" "$DC:3269"

fails=0; checks=0
ok() { checks=$((checks + 1)); echo "ok - $1"; }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "not ok - $1"; }
check() { # check DESCRIPTION PATTERN TEXT
  if grep -qF -- "$2" <<<"$3"; then ok "$1"
  else bad "$1: expected '$2' in:"; echo "$3" | head -60 | sed 's/^/    /'; fi
}
q() { ip netns exec "$NS_CLI" "$PORTQRY" "$@"; }

# ---- the AD DC's LDAPS and global catalog over TLS ----
out=$(q -n $DC -o 636,3269 -nr)
check "LDAPS 636 LISTENING" "TCP port 636 (ldaps service): LISTENING" "$out"
check "GC over TLS 3269 LISTENING" "TCP port 3269 (msft-gc-ssl service): LISTENING" "$out"
[ "$(grep -c '^    Subject: .*CN=DC1.test.lan' <<<"$out")" -eq 2 ] && ok "the DC's certificate subject on 636 and 3269" \
  || { bad "the DC's subject on both ports"; echo "$out" | sed 's/^/    /'; }
# The expiry as openssl reads it, in portqry's form.
end=$(ip netns exec "$NS_CLI" openssl s_client -connect $DC:636 < /dev/null 2>/dev/null | openssl x509 -noout -enddate | cut -d= -f2)
want=$(date -u -d "$end" '+%Y-%m-%d %H:%M UTC')
days=$(( ($(date -u -d "$end" +%s) - $(date -u +%s)) / 86400 ))
check "DC certificate: days left and expiry as openssl reads them" "Certificate: expires in $days days ($want)" "$out"
check "DC certificate: issued by Samba's own CA" "Issuer: O=Samba Administration,OU=Samba - temporary autogenerated CA certificate,CN=DC1.test.lan" "$out"
check "DC certificate: not trusted here, and why" "Trusted: no: issued by an authority this computer does not trust" "$out"
check "DC certificate: key" "Public key: RSA, 4096 bits" "$out"

# ---- HTTPS: a certificate near its end, and an expired one ----
out=$(q -n www.test.lan -o 443,8443 -v)
check "443: TLS version" "TLS version: TLS 1.3" "$out"
check "443: subject" "Subject: CN=www.test.lan" "$out"
check "443: issuer" "Issuer: CN=Port Query Test CA" "$out"
check "443: alternative names" "Alternative names: www.test.lan" "$out"
check "443: key" "Public key: RSA, 2048 bits" "$out"
check "443: signature" "Signature algorithm: SHA-256 with RSA" "$out"
check "443: 12 days left" "Certificate: expires in 12 days" "$out"
check "443: trusted through the test CA for the name" "Trusted: yes, for the name www.test.lan" "$out"
check "8443: expired 3 days ago, as a problem" "Certificate problem: expired 3 days ago" "$out"
check "8443: the summary leads with the problem" "TLS 1.3 handshake: PROBLEM: the certificate CN=old.test.lan expired 3 days ago" "$out"
check "8443: not trusted: expired, other name" "Trusted: no: expired, not issued for the name www.test.lan" "$out"
out=$(q -n $SRV -e 443 -nr)
check "443 by address: the name checked is the address" "not issued for the name 10.200.77.2" "$out"
# Every report carries the problem: JSON (the window's saved report), HTML, CSV, text.
json=$(q -n www.test.lan -e 8443 --json)
check "JSON: the expired finding's kind" '"kind": "tls-expired"' "$json"
for ext in html csv txt; do
  q -n www.test.lan -e 8443 --export "$W/report.$ext" > /dev/null
  check "the $ext report says the certificate expired" "expired 3 days ago" "$(cat "$W/report.$ext")"
done

# ---- STARTTLS: slapd on 389, OpenSMTPD on 25 and 587 ----
out=$(q -n ldap.test.lan -e 389 -v)
check "LDAP 389: StartTLS offered in the root entry" "1.3.6.1.4.1.1466.20037" "$out"
check "LDAP 389: the certificate after StartTLS" "Subject: CN=ldap.test.lan" "$out"
check "LDAP 389: trusted" "Trusted: yes, for the name ldap.test.lan" "$out"
check "LDAP 389: both in the evidence" "LDAP answered with result 0 (success)" "$out"
out=$(q -n mail.test.lan -o 25,587 -v)
check "SMTP 25: greeting kept" "Greeting: 220 mail.test.lan ESMTP test" "$out"
check "SMTP: an EC key" "Public key: EC P-256, 256 bits" "$out"
check "SMTP: the evidence has the greeting, then TLS" "SMTP greeting: 220 mail.test.lan ESMTP test. TLS 1" "$out"
[ "$(grep -c 'Subject: CN=mail.test.lan' <<<"$out")" -eq 2 ] && ok "SMTP: the certificate after STARTTLS on 25 and 587" \
  || { bad "SMTP STARTTLS on 25 and 587"; echo "$out" | sed 's/^/    /'; }

# ---- RDP: xrdp ----
out=$(q -n rdp.test.lan -e 3389 -v)
check "RDP 3389 LISTENING" "TCP port 3389 (ms-wbt-server service): LISTENING" "$out"
check "RDP: the protocol xrdp chose" "Security protocol chosen: TLS" "$out"
check "RDP: NLA not required, a security finding" "Network Level Authentication: not required: offered CredSSP, the server chose TLS, so it accepts connections without NLA" "$out"
check "RDP: the certificate after the negotiation" "Subject: CN=rdp.test.lan" "$out"
check "RDP: evidence" "RDP answered: the server chose TLS, NLA not required: a security risk. TLS 1.3 handshake: certificate CN=rdp.test.lan" "$out"
json=$(q -n rdp.test.lan -e 3389 --json)
check "RDP: the NLA finding in the JSON report" '"kind": "rdp-nla"' "$json"

# ---- RDP that prefers CredSSP: a second connection offering TLS alone ----
printf 'ms-wbt-server 3390/tcp\nms-wbt-server 3391/tcp\n' > "$W/rdp-services"
out=$(q -n rdp.test.lan -e 3390 --services "$W/rdp-services" -v)
check "NLA required: CredSSP chosen" "Security protocol chosen: CredSSP (NLA)" "$out"
check "NLA required: the refusal of TLS alone" "Network Level Authentication: required: a second connection offering TLS alone was refused (HYBRID_REQUIRED_BY_SERVER)" "$out"
check "NLA required: the certificate from a third connection" "Subject: CN=rdp.test.lan" "$out"
check "NLA required: evidence, connections counted" "RDP answered: the server chose CredSSP (NLA), NLA required. TLS 1" "$out"
check "NLA required: 2 more connections" "The RDP query opened 2 more connections to the host." "$out"
out=$(q -n rdp.test.lan -e 3391 --services "$W/rdp-services" -v)
check "NLA preferred only: TLS alone accepted, a finding" "Network Level Authentication: supported, not required: a second connection offering TLS alone was accepted" "$out"
check "NLA preferred only: the certificate on the second" "Subject: CN=rdp.test.lan" "$out"
check "NLA preferred only: 1 more connection" "The RDP query opened 1 more connection to the host." "$out"

# ---- hostile TLS peers: bounded, and said ----
printf 'https-alt 9443/tcp\nhttps-alt 9444/tcp\n' > "$W/services"
start_s=$(date +%s)
out=$(q -n $SRV -o 9443,9444 --services "$W/services" -nr -v)
took=$(( $(date +%s) - start_s ))
[ $took -le 15 ] && ok "a silent TLS peer ends within the handshake's limit (${took}s)" || bad "silent TLS peer took ${took}s"
check "silent peer: no answer, said so" "The TLS query got no answer: no reply in time." "$out"
check "garbage peer: the handshake failed, and why" "The TLS handshake failed:" "$out"

echo "$((checks - fails)) passed, $fails failed"
[ $fails -eq 0 ]
