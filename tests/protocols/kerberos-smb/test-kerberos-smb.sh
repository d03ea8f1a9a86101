#!/bin/bash
# test-kerberos-smb.sh PORTQRY BUILDDIR: the Samba AD DC's KDC on TCP and
# UDP 88 (by address, the realm from its LDAP root entry, and by name:
# realm, error, clock) and smbd's SMB2 negotiate on 445 and 139 with a
# second connection asking whether SMB1 is still accepted (smbd as
# installed, and with "server min protocol = NT1"), read by portqry from
# the rig's client namespace and compared with what Samba's own client says.
set -uo pipefail
PORTQRY=${1:?usage: test-kerberos-smb.sh PORTQRY BUILDDIR}
BUILD=${2:?usage: test-kerberos-smb.sh PORTQRY BUILDDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create network namespaces"
  exit 77
fi
for tool in samba smbd smbclient; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done

# The provisioned AD DC is kept in the build directory between runs.
RIG=$BUILD/rig-ks
export RIG_PREFIX=ks$$ RIG_SKIP="dnsmasq slapd snmpd"
cleanup() {
  "$HERE/../../lib/rig-down.sh" "$RIG" > /dev/null 2>&1
  [ -n "${NS_CLI:-}" ] && rm -rf "/etc/netns/$NS_CLI"
}
trap cleanup EXIT
"$HERE/../../lib/rig-down.sh" "$RIG" > /dev/null 2>&1
if ! "$HERE/../../lib/rig-up.sh" "$RIG" > "$BUILD/rig-ks.log" 2>&1; then
  echo "FAIL: the rig did not come up:"; cat "$BUILD/rig-ks.log"; exit 1
fi
# shellcheck source=/dev/null
. "$RIG/env"
SRV=10.200.77.2 DC=10.200.78.2
# Names for the client namespace only: ip netns exec binds this over /etc/hosts.
mkdir -p "/etc/netns/$NS_CLI"
printf '%s dc1.test.lan\n%s dc1.other.lan\n' $DC $DC > "/etc/netns/$NS_CLI/hosts"

fails=0; checks=0
ok() { checks=$((checks + 1)); echo "ok - $1"; }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "not ok - $1"; }
check() { # check DESCRIPTION PATTERN TEXT
  if grep -qF -- "$2" <<<"$3"; then ok "$1"
  else bad "$1: expected '$2' in:"; echo "$3" | head -40 | sed 's/^/    /'; fi
}
q() { ip netns exec "$NS_CLI" "$PORTQRY" "$@"; }

# ---- Kerberos: the AD DC's KDC ----
out=$(q -n $DC -e 88 -p both -v)
check "KDC by address: TCP 88 LISTENING" "TCP port 88 (kerberos service): LISTENING" "$out"
check "KDC by address: UDP 88 LISTENING (the reply)" "UDP port 88 (kerberos service): LISTENING" "$out"
# The realm from the DC's LDAP root entry, as OpenLDAP's ldapsearch reads it.
ref=$(ip netns exec "$NS_CLI" ldapsearch -x -LLL -H "ldap://$DC" -s base -b "" ldapServiceName 2>/dev/null | sed -n 's/^ldapServiceName: .*@//p')
[ "$ref" = TEST.LAN ] && ok "ldapsearch reads the realm TEST.LAN from ldapServiceName" || bad "ldapsearch read the realm '$ref'"
[ "$(grep -c "krbtgt@$ref without pre-authentication (realm from the host's LDAP root entry, ldapServiceName)" <<<"$out")" -eq 2 ] \
  && ok "KDC by address: the realm asked comes from LDAP, over TCP and UDP" || { bad "KDC by address: realm from LDAP"; echo "$out" | sed 's/^/    /'; }
[ "$(grep -c 'Error: 25 KDC_ERR_PREAUTH_REQUIRED: the KDC works and serves this realm' <<<"$out")" -eq 2 ] \
  && ok "KDC by address: PREAUTH_REQUIRED over TCP and UDP, not WRONG_REALM" || bad "KDC by address: PREAUTH_REQUIRED twice"
check "KDC by address, TCP: the connections counted" "The Kerberos query opened 2 more connections to the host." "$out"
check "KDC by address, UDP: the LDAP connection counted" "The Kerberos query opened 1 more connection to the host." "$out"
check "KDC by address: clock in step" "Clock skew: in step with this computer (within 1 s)" "$out"
[ "$(grep -c 'Clock skew: in step' <<<"$out")" -eq 2 ] && ok "KDC clock checked over TCP and UDP" || bad "KDC clock over both"

out=$(q -n dc1.test.lan -e 88 -p both -v)
check "KDC by name: realm from the name" "krbtgt@TEST.LAN without pre-authentication (realm from the name typed)" "$out"
check "KDC by name: serves the realm" "Error: 25 KDC_ERR_PREAUTH_REQUIRED: the KDC works and serves this realm" "$out"
check "KDC by name: realm shown" "Realm: TEST.LAN" "$out"
check "KDC by name: salt names the realm" "Salt: TEST.LANkrbtgt" "$out"
check "KDC by name: encryption types" "Encryption types for pre-authentication: aes256-cts-hmac-sha1-96 (18)" "$out"
check "KDC by name: evidence" "Kerberos KDC answered KDC_ERR_PREAUTH_REQUIRED (25) for realm TEST.LAN" "$out"
# The KDC's time, as printed, within a few seconds of this computer's.
kdc=$(sed -n 's/.*KDC time: \(.*\) UTC$/\1/p' <<<"$out" | head -1)
if [ -n "$kdc" ] && [ $(( $(date -u +%s) - $(date -u -d "$kdc" +%s) )) -le 5 ]; then ok "KDC time $kdc agrees with the clock"
else bad "KDC time '$kdc'"; fi

out=$(q -n dc1.other.lan -e 88 -p udp -v)
check "KDC asked for a realm it does not serve: said so" "does not serve the realm asked for" "$out"

# ---- SMB: smbd on the file server ----
ref=$(ip netns exec "$NS_CLI" smbclient -L "//$SRV" -N -d10 2>&1 | sed -n 's/.*negotiated dialect\[\([^]]*\)\].*/\1/p' | head -1)
[ "$ref" = SMB3_11 ] && ok "smbclient negotiates SMB3_11" || bad "smbclient negotiated '$ref'"
out=$(q -n $SRV -o 445,139 -p tcp -v)
check "SMB 445: LISTENING" "TCP port 445 (microsoft-ds service): LISTENING" "$out"
check "SMB 139: LISTENING" "TCP port 139 (netbios-ssn service): LISTENING" "$out"
[ "$(grep -c 'Dialect: SMB 3.1.1' <<<"$out")" -eq 2 ] && ok "SMB 3.1.1 on 445 and on 139, as smbclient" \
  || { bad "dialect on 445 and 139"; echo "$out" | sed 's/^/    /'; }
check "SMB: signing as smb.conf leaves it" "Signing: enabled, not required" "$out"
check "SMB: the cipher chosen" "Cipher: AES-128-GCM" "$out"
check "SMB: preauth integrity" "Pre-authentication integrity: SHA-512" "$out"
check "SMB: clock" "Clock skew: in step with this computer (within 1 s)" "$out"
check "SMB: security blob" "Authentication offered: NTLMSSP" "$out"
# What smbclient negotiates offering SMB1 alone (none: smbd as installed
# wants SMB2_02 at least).
smb1_ref() { # smb1_ref PORT: the dialect negotiated, empty if none
  ip netns exec "$NS_CLI" smbclient -L "//$SRV" -p "$1" -N -m NT1 --option='client min protocol=NT1' -d10 2>&1 |
    sed -n 's/.*negotiated dialect\[\([^]]*\)\].*/\1/p' | head -1
}
ref=$(smb1_ref 445)
[ -z "$ref" ] && ok "smbclient offering SMB1 alone is refused" || bad "smbclient offering SMB1 alone negotiated '$ref'"
[ "$(grep -c 'SMB1: not accepted: offered alone on a second connection' <<<"$out")" -eq 2 ] \
  && ok "SMB1 not accepted, on 445 and on 139, as smbclient" || { bad "SMB1 refused on 445 and 139"; echo "$out" | sed 's/^/    /'; }
check "SMB: evidence" "SMB answered: SMB 3.1.1, signing enabled, not required, encryption AES-128-GCM, SMB1 not accepted." "$out"
check "SMB: the second connection counted" "The SMB query opened 1 more connection to the host." "$out"

# smbd ON PORT with its own directory under $RIG and extra smb.conf lines.
extra_smbd() { # extra_smbd NAME PORT LINE...
  local name=$1 dir=$RIG/$1 port=$2; shift 2
  mkdir -p "$dir"/lock "$dir"/state "$dir"/cache "$dir"/private "$dir"/run "$dir"/log
  printf '%s\n' "[global]" "netbios name = ${name^^}" "server role = standalone server" \
    "interfaces = $SRV/24" "bind interfaces only = yes" "smb ports = $port" "$@" \
    "lock directory = $dir/lock" "state directory = $dir/state" "cache directory = $dir/cache" \
    "private dir = $dir/private" "pid directory = $dir/run" "ncalrpc dir = $dir/run/ncalrpc" \
    "log file = $dir/log/log.%m" "load printers = no" "printing = bsd" "printcap name = /dev/null" \
    "disable spoolss = yes" "rpc start on demand helpers = no" > "$dir/smb.conf"
  setsid ip netns exec "$NS_SRV" smbd -F --no-process-group --debug-stdout -s "$dir/smb.conf" > "$dir/smbd.out" 2>&1 < /dev/null &
  echo "smbd-$name $!" >> "$RIG/pids"
  for _ in $(seq 250); do ip netns exec "$NS_SRV" ss -Htln | grep -q " $SRV:$port " && return 0; sleep 0.02; done
  echo "FAIL: smbd $name does not listen on $port"; cat "$dir/smbd.out"; exit 1
}

# An smbd that still accepts SMB1 besides SMB2 and 3 ("server min protocol = NT1"), on 2445.
extra_smbd smb1too 2445 "server min protocol = NT1"
printf 'microsoft-ds 2445/tcp\n' > "$RIG/services"
ref=$(smb1_ref 2445)
[ "$ref" = NT1 ] && ok "smbclient offering SMB1 alone to 2445 negotiates NT1" || bad "smbclient to 2445 negotiated '$ref'"
out=$(q -n $SRV -e 2445 --services "$RIG/services" -v)
check "SMB1 too: SMB 3.1.1 negotiated first" "Dialect: SMB 3.1.1" "$out"
check "SMB1 too: a security finding" "SMB1: accepted as well as SMB2" "$out"
check "SMB1 too: said as a risk in the evidence" "SMB1 accepted too: a security risk." "$out"
json=$(q -n $SRV -e 2445 --services "$RIG/services" --json)
check "SMB1 too: in the JSON report" '"kind": "smb-smb1"' "$json"
check "SMB1 too: its value in the JSON report" 'accepted as well as SMB2' "$json"
for ext in html csv txt; do
  q -n $SRV -e 2445 --services "$RIG/services" --export "$RIG/smb1too.$ext" > /dev/null
  check "SMB1 too: the $ext report says so" "SMB1 accepted too: a security risk" "$(cat "$RIG/smb1too.$ext")"
done

# An smbd that speaks only SMB1 (and requires signing), on 1445.
extra_smbd oldsrv 1445 "server min protocol = NT1" "server max protocol = NT1" "server signing = mandatory"
printf 'microsoft-ds 1445/tcp\n' > "$RIG/services"
out=$(q -n $SRV -e 1445 --services "$RIG/services" -v)
check "SMB1-only server: the dialect" "Dialect: NT LM 0.12 (SMB1)" "$out"
check "SMB1-only server: a security finding" "SMB answered with SMB1 only (NT LM 0.12): a security risk." "$out"
check "SMB1-only server: signing required" "Signing: required" "$out"

echo "$((checks - fails)) passed, $fails failed"
[ $fails -eq 0 ]
