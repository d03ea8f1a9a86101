#!/bin/bash
# test-hosts.sh: several hosts in one query: -n given several times, a
# CIDR block, a last-octet range; results grouped by host in the order
# given, a summary per host and overall, the exit code over all results,
# hosts queried at once.
#   client 10.214.0.100 -- 10.214.0.1 ... 10.214.0.14 (one namespace)
# Every host listens on TCP 7006 and drops TCP 7001; only 10.214.0.1
# listens on 7008.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

C=gih$$c S=gih$$s
add_ns "$C" "$S"
link "$C" "gih$$-c" 10.214.0.100/24 "$S" "gih$$-s" 10.214.0.1/24
for i in $(seq 2 14); do ip -n "$S" addr add "10.214.0.$i/24" dev "gih$$-s"; done
ip netns exec "$S" nft -f - <<'NFT'
table inet gihfw {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 7001 drop
  }
}
NFT
servers "$S" tcp,7006,0.0.0.0 tcp,7008,10.214.0.1

# Hosts at once: a port filtered on a host that answers nothing else
# costs 3 s (3 tries of 1 s), so 14 hosts one after the other take 42 s.
pq "$C" -n 10.214.0.0/28 -e 7001 -nr
expect_rc 2
expect_line "14 hosts queried: 14 filtered"
expect_time_below 15

# A /28: its 14 hosts, in order, each under its own heading.
pq "$C" -n 10.214.0.0/28 -o 7006,7001 -nr
expect_rc 2
check "14 hosts, each once, in order" test "$(grep -A2 '^Querying target system called:' <<< "$OUT" | grep -Eo '10\.214\.0\.[0-9]+' | tr '\n' ' ')" = "$(seq -s ' ' -f '10.214.0.%g' 1 14) "
expect_line " 10\.214\.0\.14: 1 listening, 1 filtered"
expect_line "14 hosts queried: 14 listening, 14 filtered"
check "each host's ports come under its heading" bash -c \
  "awk '/^ 10\.214\.0\./ { h = \$1 } /^TCP port/ { print h, \$3 }' <<< \"\$1\" | head -4 | tr '\n' ' ' | grep -qx '10.214.0.1 7006 10.214.0.1 7001 10.214.0.2 7006 10.214.0.2 7001 '" _ "$OUT"

# -n several times, a range among them; JSON lists every host.
pq "$C" -n 10.214.0.1-3 -n 10.214.0.9 -e 7006 -nr --json
expect_rc 0
expect_valid_json
expect_json "[t['input'] for t in d['targets']] == ['10.214.0.1', '10.214.0.2', '10.214.0.3', '10.214.0.9']"
expect_json "[x['address'] for x in res] == ['10.214.0.1', '10.214.0.2', '10.214.0.3', '10.214.0.9']"
expect_json "d['targets'][3]['queried'][0]['summary'] == '1 listening' and d['target']['input'] == '10.214.0.1'"

# The exit code over all hosts: one host not listening makes it 1.
pq "$C" -n 10.214.0.1,10.214.0.2 -e 7008 -nr
expect_rc 1
expect_line " 10\.214\.0\.1: 1 listening"
expect_line " 10\.214\.0\.2: 1 not listening"

# A host that does not resolve is said so; the others are queried; exit 4.
pq "$C" -n 10.214.0.1 -n nosuch.invalid -e 7006 -nr
expect_rc 4
expect_state TCP 7006 LISTENING
expect_line " nosuch\.invalid: not queried: .*"
expect_err "portqry: nosuch\.invalid: "

# Traces of several hosts: each under its host; no port of the query
# answers, so TCP 33434's reset gives each host's distance.
pq "$C" -n 10.214.0.1-2 -e 7001 -nr --trace --json
expect_json "[x['trace']['verdict'] for x in res] == ['reaches the host (1 hop); the host or a device right in front of it drops the packets'] * 2"
expect_json "[x['trace']['hops'] for x in res] == [[{'ttl': 1, 'address': None, 'icmp': None, 'answer': None}]] * 2"

# Too many hosts: a message before anything is sent.
pq "$C" -n 10.0.0.0/19 -e 7006
expect_rc 3
expect_err "more than 4096 hosts"

finish
