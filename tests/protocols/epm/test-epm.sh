#!/bin/bash
# test-epm.sh BUILD_ROOT PORTQRY: portqry's endpoint mapper dump against
# Samba's two endpoint mappers (the AD DC and samba-dcerpcd), each compared
# with Samba's own client (rpcclient epmlookup) and with the ports that really
# listen; then misbehaving endpoint mappers (hostile-epm.py), and UDP 135.
set -uo pipefail
BUILD=${1:?usage: test-epm.sh BUILD_ROOT PORTQRY}
PORTQRY=${2:?usage: test-epm.sh BUILD_ROOT PORTQRY}
HERE=$(cd "$(dirname "$0")" && pwd)
LIB=$HERE/../../lib
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create network namespaces"
  exit 77
fi
for tool in rpcclient samba samba-tool /usr/libexec/samba/samba-dcerpcd; do
  command -v "$tool" >/dev/null || [ -x "$tool" ] || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done

# The provisioned AD DC is kept under the build root between runs.
RIG=$BUILD/rig-epm
export RIG_PREFIX=he$$ RIG_SKIP="dnsmasq slapd snmpd"
SCRATCH=$(mktemp -d /tmp/pq-epm.XXXXXX)
hostile=
cleanup() {
  [ -n "$hostile" ] && kill "$hostile" 2>/dev/null
  "$LIB/rig-down.sh" "$RIG" >/dev/null 2>&1
  rm -rf "$SCRATCH"
}
trap cleanup EXIT
"$LIB/rig-down.sh" "$RIG" >/dev/null 2>&1   # a rig left over by a killed run
"$LIB/rig-up.sh" "$RIG" > "$SCRATCH/rig-up.log" 2>&1 || { echo "FAIL: rig-up.sh"; cat "$SCRATCH/rig-up.log"; exit 1; }
# shellcheck source=/dev/null
. "$RIG/env"

fails=0; checks=0
ok() { checks=$((checks + 1)); echo "ok - $1"; }
not_ok() { checks=$((checks + 1)); fails=$((fails + 1)); echo "not ok - $1"; }
check() { # check DESCRIPTION PATTERN TEXT
  if grep -qF -- "$2" <<<"$3"; then ok "$1"
  else not_ok "$1: expected '$2' in:"; echo "$3" | head -40 | sed 's/^/    /'; fi
}

# portqry's listing as "interface-uuid binding" lines, sorted.
ours() { # OUTPUT
  awk '/^    UUID: / { uuid = $2; next }
       /^      (ncacn|ncadg|ncalrpc)/ && uuid != "" { print uuid, $1; uuid = "" }' <<<"$1" | sort
}
# rpcclient's: "obj ncacn_np:[\pipe\x,abstract_syntax=UUID/0xV]: name" -> "UUID ncacn_np:[\pipe\x]"
theirs() { # HOST
  ip netns exec "$NS_CLI" rpcclient -U% "ncacn_ip_tcp:$1" -c epmlookup 2>&1 |
    sed -nE 's/^[0-9a-f-]+ ([a-z_]+:[^[]*)\[([^],]*),abstract_syntax=([0-9a-f-]+)\/[^]]*\]: .*/\3 \1[\2]/p' | sort
}

compare_with_samba() { # NAME HOST NS
  local name=$1 host=$2 ns=$3 out list ref n port listening last
  out=$(ip netns exec "$NS_CLI" "$PORTQRY" -n "$host" -e 135 -nr -v); rc=$?
  check "$name: TCP 135 LISTENING (exit $rc)" "TCP port 135 (epmap service): LISTENING" "$out"
  list=$(ours "$out"); ref=$(theirs "$host")
  n=$(wc -l <<<"$list")
  if [ "$(wc -l <<<"$ref")" -lt 10 ]; then not_ok "$name: rpcclient listed only $(wc -l <<<"$ref") endpoints"; echo "$ref"; return; fi
  # rpcclient asks for one entry at a time and, like impacket, drops the
  # entry that comes with "no more" (samba-dcerpcd sends them together): it
  # may miss exactly one, which must be the last one portqry lists.
  last=$(ours "$(grep -E '^    UUID: |^      (ncacn|ncadg|ncalrpc)' <<<"$out" | tail -2)")
  if [ "$list" = "$ref" ]; then ok "$name: the same $n endpoints as rpcclient epmlookup"
  elif [ "$(sort <(echo "$ref") <(echo "$last"))" = "$list" ]; then
    ok "$name: the same $n endpoints as rpcclient epmlookup, and the last one ($last) that rpcclient drops"
  else not_ok "$name: endpoints differ from rpcclient (< portqry, > rpcclient)"; diff <(echo "$list") <(echo "$ref") | head -20; fi
  check "$name: total" "Total endpoints found: $n" "$out"
  check "$name: summary" "The endpoint mapper listed $n endpoints" "$out"
  # Every ncacn_ip_tcp port it lists must be a listening port of the server.
  listening=$(ip netns exec "$ns" ss -Htln | awk '{ sub(/.*:/, "", $4); print $4 }' | sort -u)
  for port in $(grep -o 'ncacn_ip_tcp:[^[]*\[[0-9]*\]' <<<"$list" | sed 's/.*\[\(.*\)\]/\1/' | sort -u); do
    if grep -qx "$port" <<<"$listening"; then ok "$name: listed TCP port $port listens"
    else not_ok "$name: listed TCP port $port does not listen"; fi
  done
  echo "$out" > "$SCRATCH/$name.out"
}

compare_with_samba "AD DC" 10.200.78.2 "$NS_DC"
compare_with_samba "samba-dcerpcd" 10.200.77.2 "$NS_SRV"
# samba-dcerpcd sends its last entries together with "no more" (impacket's
# rpcdump loses them); the netdfs entries come last.
check "samba-dcerpcd: the last entries are kept" "ncalrpc:[rpcd_classic]" "$(cat "$SCRATCH/samba-dcerpcd.out")"
check "AD DC: interface names" "Interface: netlogon (Netlogon) v1.0" "$(cat "$SCRATCH/AD DC.out")"

json=$(ip netns exec "$NS_CLI" "$PORTQRY" -n 10.200.78.2 -e 135 -nr --json)
check "JSON carries the endpoints" '"kind": "rpc-endpoint"' "$json"
/usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$json" && ok "JSON parses" || not_ok "JSON does not parse"
# The endpoint table is kilobytes: the count of bytes received must say so.
/usr/bin/python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["results"][0]["bytes_received"] < 1000)' <<<"$json" \
  && ok "JSON counts the bytes of the conversation" || not_ok "JSON bytes_received misses the conversation"

# UDP 135: Samba serves no ncadg_ip_udp, so the port is closed ...
out=$(ip netns exec "$NS_CLI" "$PORTQRY" -n 10.200.77.2 -p udp -e 135 -nr)
check "UDP 135 on Samba: NOT LISTENING" "UDP port 135 (epmap service): NOT LISTENING" "$out"

# ... and a connectionless endpoint mapper written to the spec (serving the
# AD DC's captured entries) is read through.
setsid ip netns exec "$NS_SRV" /usr/bin/python3 "$HERE/hostile-epm.py" 10.200.77.2 2701 \
  "$HERE/seeds/epm/samba-ad-dc" > "$SCRATCH/hostile.out" 2>&1 < /dev/null &
hostile=$!
for i in $(seq 1 100); do
  [ "$(ip netns exec "$NS_SRV" ss -Htln | grep -c ' 10.200.77.2:270')" -ge 7 ] &&
    ip netns exec "$NS_SRV" ss -Huln | grep -q ' 10.200.77.2:2707 ' && break
  sleep 0.05
done
svc=$SCRATCH/services
for p in 2701 2702 2703 2704 2705 2706 2708; do echo "epmap $p/tcp"; done > "$svc"
echo "epmap 2707/udp" >> "$svc"
q() { ip netns exec "$NS_CLI" "$PORTQRY" -n 10.200.77.2 -nr -v --services "$svc" "$@"; }

out=$(q -p udp -e 2707)
check "UDP: connectionless ept_lookup LISTENING" "UDP port 2707 (epmap service): LISTENING" "$out"
check "UDP: all 53 entries, in groups" "Total endpoints found: 53" "$out"
check "UDP: bindings" "ncacn_ip_tcp:0.0.0.0[135]" "$out"

# Hostile endpoint mappers: each ends, bounded in time, with a clear result.
start_s=$(date +%s)
out=$(q -o 2701,2702,2703,2704,2705,2706,2708)
took=$(( $(date +%s) - start_s ))
if [ $took -le 30 ]; then ok "hostile endpoint mappers answered in ${took}s"
else not_ok "hostile endpoint mappers took ${took}s (at most 30)"; fi
check "truncated PDU" "The endpoint mapper's reply stopped part-way: 30 of 60 bytes of a PDU." "$out"
check "frag_length past the end" "stopped part-way: 100 of 4000 bytes of a PDU." "$out"
check "huge num_ents" "malformed: it claims more entries than its bytes can hold." "$out"
check "tower past the end" "malformed: a tower's length runs past the end of the reply." "$out"
check "never says no more" "The endpoint mapper kept returning entries; stopped after 40 requests." "$out"
check "never says no more: entries kept" "Total endpoints found: 40" "$out"
check "sends without end" "the reply grows past the limit without its last fragment." "$out"
check "bind rejected" "Bind rejected: protocol version not supported (4)" "$out"
for p in 2701 2702 2703 2704 2705 2706 2708; do
  check "hostile $p still LISTENING" "TCP port $p (epmap service): LISTENING" "$out"
done

echo "$((checks - fails)) passed, $fails failed"
[ $fails -eq 0 ]
