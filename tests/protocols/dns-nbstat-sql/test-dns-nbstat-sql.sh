#!/bin/bash
# test-dns-nbstat-sql.sh PORTQRY BUILDDIR: the DNS, NetBIOS node status and
# SQL Server browser probes against real servers in the shared rig
# (tests/lib/rig-up.sh: dnsmasq and Samba nmbd in $NS_SRV, the Samba AD DC
# in $NS_DC), compared with dig and nmblookup; then a SQL Server browser
# responder following [MC-SQLR] and hostile peers (peers.py).
set -uo pipefail
PORTQRY=${1:?usage: test-dns-nbstat-sql.sh PORTQRY BUILDDIR}
BUILD=${2:?usage: test-dns-nbstat-sql.sh PORTQRY BUILDDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create network namespaces"
  exit 77
fi
for tool in dig nmblookup nmbd dnsmasq samba samba-tool; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done

# The AD DC's provisioning is kept between runs under the build dir.
RIG="$BUILD/rig-hdt"
export RIG_PREFIX=hd$$ RIG_SKIP="slapd snmpd"
SRV=10.200.77.2 DC=10.200.78.2
cleanup() {
  "$TOP/tests/lib/rig-down.sh" "$RIG" >/dev/null 2>&1
  rm -rf "/etc/netns/${RIG_PREFIX}cli"
}
trap cleanup EXIT
# A rig left over by an interrupted run goes first.
"$TOP/tests/lib/rig-down.sh" "$RIG" >/dev/null 2>&1
if ! "$TOP/tests/lib/rig-up.sh" "$RIG" > "$RIG.log" 2>&1; then
  echo "FAIL: the rig did not come up:"; cat "$RIG.log"; exit 1
fi
# shellcheck source=/dev/null
. "$RIG/env"

# The peers run in the server namespace; rig-down.sh stops them by PID.
setsid ip netns exec "$NS_SRV" /usr/bin/python3 "$HERE/peers.py" $SRV > "$RIG/peers.out" 2>&1 < /dev/null &
echo "peers $!" >> "$RIG/pids"
for i in $(seq 1 100); do
  ip netns exec "$NS_SRV" ss -Htln | grep -q " $SRV:5314 " && break
  sleep 0.05
done

# The client resolves names through dnsmasq (ip netns exec mounts this file).
mkdir -p "/etc/netns/$NS_CLI"
echo "nameserver $SRV" > "/etc/netns/$NS_CLI/resolv.conf"

fails=0; checks=0
ok() { checks=$((checks + 1)); echo "ok - $1"; }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/    /'; }
check() { # check DESCRIPTION PATTERN TEXT
  if grep -qF -- "$2" <<<"$3"; then ok "$1"; else bad "$1: expected '$2' in:" "$3"; fi
}
svc="$RIG/services"
{
  printf 'domain 53/tcp\ndomain 53/udp\nnetbios-ns 137/udp\nms-sql-m 1434/udp\nnetbios-ns 8081/udp\n'
  for p in 14341 14342 14343 14344 14345; do echo "ms-sql-m $p/udp"; done
  for p in 5301 5302 5303 5304 5305; do echo "domain $p/udp"; done
  for p in 5311 5312 5313 5314; do echo "domain $p/tcp"; done
  for p in 1371 1372 1373 1374 1375; do echo "netbios-ns $p/udp"; done
} > "$svc"
q() { ip netns exec "$NS_CLI" "$PORTQRY" -nr --services "$svc" "$@"; }
cli() { ip netns exec "$NS_CLI" "$@"; }

# ---------------------------------------------------------------- DNS
# An address is asked for its PTR record, over UDP and TCP, as dig -x.
out=$(q -n $SRV -e 53 -p both -v)
check "DNS TCP listening" "TCP port 53 (domain service): LISTENING" "$out"
check "DNS UDP listening" "UDP port 53 (domain service): LISTENING" "$out"
for proto in udp tcp; do
  opt=; [ $proto = tcp ] && opt=+tcp
  ptr=$(cli dig +short $opt -x $SRV @$SRV | head -1); ptr=${ptr%.}
  status=$(cli dig $opt -x $SRV @$SRV | sed -n 's/.*status: \([A-Z]*\),.*/\1/p')
  flags=$(cli dig $opt -x $SRV @$SRV | sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p')
  block=$(awk -v p="${proto^^} port 53 " 'index($0, p) == 1 {on = 1; print; next} /^[A-Z]/ {on = 0} on' <<<"$out")
  check "DNS $proto: the PTR answer dig shows ($ptr)" "2.77.200.10.in-addr.arpa PTR: $ptr (TTL" "$block"
  check "DNS $proto: dig's status ($status)" "Response code: $status" "$block"
  if [[ " $flags " == *" aa "* ]]; then check "DNS $proto: authoritative as dig says" "authoritative" "$block"
  else check "DNS $proto: not authoritative as dig says" "Flags: recursion" "$block"; fi
  check "DNS $proto: evidence for the help desk" "DNS answered $status for 2.77.200.10.in-addr.arpa PTR" "$block"
done

# A name is asked for its A record.
a=$(cli dig +short srv.test.lan @$SRV)
out=$(q -n srv.test.lan -e 53 -p udp -v)
check "DNS A record of the target name, as dig ($a)" "srv.test.lan A: $a (TTL" "$out"
check "DNS A evidence" "DNS answered NOERROR for srv.test.lan A, authoritative, recursion available, 1 answer ($a)." "$out"

# ---------------------------------------------------------------- NetBIOS
# nmblookup -A before and after: names there both times must be in ours
# (nmbd adds <1D> and __MSBROWSE__ after some 25 s), and ours must be in
# one of the two.
nb_names() { # nmblookup output -> "NAME <XX>: UNIQUE|GROUP" lines
  sed -n -e 's/^\t\(.*[^ ]\) *<\([0-9a-f][0-9a-f]\)> - <GROUP>.*/\1 <\U\2\E>: GROUP/p' \
         -e 's/^\t\(.*[^ ]\) *<\([0-9a-f][0-9a-f]\)> - .*/\1 <\U\2\E>: UNIQUE/p'
}
nbstat_compare() { # HOST: sets $out
  local host=$1 before after mine mac_theirs mac_before line
  before=$(cli nmblookup -A "$host")
  out=$(q -n "$host" -e 137 -p udp -v)
  after=$(cli nmblookup -A "$host")
  check "NetBIOS $host listening" "UDP port 137 (netbios-ns service): LISTENING" "$out"
  mine=$(sed -n 's/^      \(.* <[0-9A-F][0-9A-F]>: [A-Z]*\).*/\1/p' <<<"$out")
  local both
  both=$(comm -12 <(nb_names <<<"$before" | sort) <(nb_names <<<"$after" | sort))
  [ -n "$both" ] || bad "NetBIOS $host: nmblookup found no names" "$before"
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    if grep -qxF -- "$line" <<<"$mine"; then ok "NetBIOS $host: $line"; else bad "NetBIOS $host: '$line' missing" "$out"; fi
  done <<<"$both"
  while IFS= read -r line; do
    if grep -qxF -- "$line" <(nb_names <<<"$before$after"); then :; else bad "NetBIOS $host: '$line' not in nmblookup's" "$before"; fi
  done <<<"$mine"
  # The Samba AD DC fills the unit id with bytes that look like a pointer
  # (stable while it runs): ours must be one nmblookup saw, before or after,
  # in PortQry's layout (12 hex digits).
  mac_theirs=$(sed -n 's/.*MAC Address = \([0-9A-F-]*\).*/\1/p' <<<"$after" | tr 'A-F' 'a-f' | tr -d -)
  mac_before=$(sed -n 's/.*MAC Address = \([0-9A-F-]*\).*/\1/p' <<<"$before" | tr 'A-F' 'a-f' | tr -d -)
  if [ "$mac_theirs" = "000000000000" ]; then
    check "NetBIOS $host: MAC not reported, as nmblookup shows" "MAC address: 000000000000 (the host did not report its MAC address)" "$out"
    check "NetBIOS $host: evidence says so" "MAC address not reported." "$out"
  elif grep -qF "MAC address: $mac_before" <<<"$out"; then
    ok "NetBIOS $host: nmblookup's MAC ($mac_before)"
  else
    check "NetBIOS $host: nmblookup's MAC ($mac_theirs)" "MAC address: $mac_theirs" "$out"
  fi
}
nbstat_compare $SRV
check "NetBIOS evidence names computer and workgroup" "(computer TESTSRV, workgroup or domain TESTGRP)" "$out"
nbstat_compare $DC

json=$(q -n $SRV -e 137 -p udp --json)
check "JSON carries the name table" '"kind": "netbios-name"' "$json"
python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$json" && ok "JSON parses" || bad "JSON does not parse"

# A dropped query (nft drops 8081): FILTERED, with the hint. The three
# waits run side by side.
waits=()
hints=("netbios-ns:No reply to a NetBIOS name query" "domain:No reply to a DNS query"
       "ms-sql-m:No reply to a SQL Server browser query")
for pair in "${hints[@]}"; do
  name=${pair%%:*}
  echo "$name 8081/udp" > "$RIG/services-$name"
  ip netns exec "$NS_CLI" "$PORTQRY" -nr --services "$RIG/services-$name" -n $SRV -e 8081 -p udp -v \
    > "$RIG/silence-$name.out" 2>&1 &
  waits+=($!)
done
wait "${waits[@]}"
for pair in "${hints[@]}"; do
  name=${pair%%:*}
  out=$(cat "$RIG/silence-$name.out")
  check "$name silence: filtered" "UDP port 8081 ($name service): FILTERED" "$out"
  check "$name silence: hint" "${pair#*:}" "$out"
done

# ---------------------------------------------------------------- SQL
out=$(q -n $SRV -e 1434 -p udp -v)
check "SQL browser listening" "UDP port 1434 (ms-sql-m service): LISTENING" "$out"
check "SQL evidence" "SQL Server browser: 2 instances (SQLHOST\\SQLEXPRESS on TCP port 50123, SQLHOST (default instance) on TCP port 1433)." "$out"
check "SQL named instance" "Instance: SQLHOST\\SQLEXPRESS" "$out"
check "SQL version" "Version: 15.0.2000.5" "$out"
check "SQL TCP port" "TCP port: 50123" "$out"
check "SQL named pipe" 'Named pipe: \\SQLHOST\pipe\MSSQL$SQLEXPRESS\sql\query' "$out"
check "SQL clustered" "Clustered: Yes" "$out"
check "SQL other pairs" "VIA: SQLHOST,1433:1433" "$out"

# ---------------------------------------------------------------- hostile
start_s=$(date +%s)
out=$(q -n $SRV -o 14341,14342,14343,14344,14345,5301,5302,5303,5304,5305,1371,1372,1373,1374,1375 -p udp -v)
out+=$'\n'$(q -n $SRV -o 5311,5312,5313,5314 -p tcp -v)
took=$(( $(date +%s) - start_s ))
if [ $took -le 30 ]; then ok "hostile peers answered in ${took}s"; else bad "hostile peers took ${took}s"; fi
for p in 14341 14342 14343 14344 14345 5301 5302 5303 5304 5305 1371 1372 1373 1374 1375; do
  check "hostile UDP $p: listening" "UDP port $p " "$(grep "UDP port $p " <<<"$out" | grep LISTENING)"
done
for p in 5311 5312 5313 5314; do
  check "hostile TCP $p: listening" "TCP port $p " "$(grep "TCP port $p " <<<"$out" | grep LISTENING)"
done
check "SQL length past end" "the reply was malformed: its length runs past the end of the reply." "$out"
check "SQL odd number of fields" "1 instance (ODD\\ONE); the reply was malformed" "$out"
check "SQL missing ;;" "the last instance does not end with ;;." "$out"
check "SQL huge" "more instances not shown" "$out"
check "SQL not SVR_RESP" "SQL Server browser reply malformed: it is not an SVR_RESP message." "$out"
check "DNS short" "DNS reply malformed: 5 bytes, too short for a DNS header." "$out"
check "DNS compression loop" "the reply was malformed: a name has a compression loop." "$out"
check "DNS huge count" "65535 answers (first: 10.200.77.9); the reply was malformed" "$out"
check "DNS rdlength past end" "a record's data runs past the end." "$out"
check "DNS other id" "does not match the query's" "$out"
check "DNS TCP 65535 prefix, short data" "DNS reply incomplete: 20 of 65535 bytes arrived." "$out"
check "DNS TCP byte by byte" "1 answer (10.200.77.9)." "$out"
check "DNS TCP silent peer" "The DNS query got no answer: no reply in time." "$out"
check "DNS TCP endless garbage" "DNS reply malformed" "$(grep -A20 'TCP port 5314' <<<"$out")"
check "NetBIOS huge count" "NetBIOS: 255 names (computer HOSTILE); the reply was malformed" "$out"
check "NetBIOS header only" "NetBIOS reply malformed: a name runs past the end." "$out"
check "NetBIOS length past end" "its data length runs past the end." "$out"
check "NetBIOS escapes neutralised" "EVIL.[2J. <20>" "$out"
check "NetBIOS compression loop" "NetBIOS reply malformed: a name has a compression loop." "$out"
if grep -q $'\x1b' <<<"$out"; then bad "a raw escape reached the terminal"; else ok "no raw escape"; fi

echo "$checks checks, $fails failed"
[ $fails -eq 0 ]
