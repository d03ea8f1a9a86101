#!/bin/bash
# test-engine.sh: what the scan engine's shortcuts must not change. A
# refused connection's socket asks the slot's next port (pq_scan_dissolve),
# so resets, ICMP rejections, dropped ports and listeners interleaved in
# one range must each keep their own state, evidence and local address;
# and no port is touched that was not asked: the round trip comes from
# one ICMP echo, and without an answer to it the waits stay as configured.
#   client 10.207.9.1 / fd00:207:9::1 -- 10.207.9.2 / fd00:207:9::2 server
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

C=gie$$c S=gie$$s
add_ns "$C" "$S"
link "$C" "gie$$-c" 10.207.9.1/24 "$S" "gie$$-s" 10.207.9.2/24
ip -n "$C" addr add fd00:207:9::1/64 dev "gie$$-c"
ip -n "$S" addr add fd00:207:9::2/64 dev "gie$$-s"
SRV=10.207.9.2 SRV6=fd00:207:9::2
# Every rejection answered: no ICMP rate limit (test-ratelimit's subject).
ip netns exec "$S" sysctl -q -w net.ipv4.icmp_ratemask=0

# Odd ports of 1001-1099 rejected with an ICMP port unreachable (also
# ECONNREFUSED, as a reset), odd ports of 1101-1149 with admin-prohibited,
# 1150-1154 dropped; every other port resets. Counters: any TCP or UDP
# packet to a port outside the range asked, and the echo requests.
odd() { seq -s, "$1" 2 "$2"; }
ip netns exec "$S" nft -f - <<EOF2
table inet giefw {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport != 990-1210 counter name unasked
    udp dport != 990-1210 counter name unasked
    icmp type echo-request counter name echo
    icmpv6 type echo-request counter name echo
    tcp dport { $(odd 1001 1099) } reject with icmp type port-unreachable
    tcp dport { $(odd 1101 1149) } reject with icmp type admin-prohibited
    tcp dport 1150-1154 drop
  }
  counter unasked { }
  counter echo { }
}
EOF2
servers "$S" tcp,1200,$SRV tcp,1202,$SRV
counted() { ip netns exec "$S" nft list counter inet giefw "$1" | awk '/packets/ { print $2 }'; }

# --- resets, rejections, drops and listeners in one range -------------
pq "$C" -n $SRV -nr -r 990:1210 --json
expect_rc 1
expect_json 'len(res) == 221 and [x["port"] for x in res] == list(range(990, 1211))'
# The state and reason each port must have, as (state, reason).
expect_json 'all((x["state"], x["reason"]) ==
  (("LISTENING", "syn-ack") if x["port"] in (1200, 1202) else
   ("FILTERED", "no-response") if 1150 <= x["port"] <= 1154 else
   ("NOT LISTENING", "port-unreach") if 1001 <= x["port"] <= 1099 and x["port"] % 2 else
   ("FILTERED", "admin-prohibited") if 1101 <= x["port"] <= 1149 and x["port"] % 2 else
   ("NOT LISTENING", "reset")) for x in res)'
expect_json 'all(x["evidence"].startswith("10.207.9.2 refused the connection with a TCP reset") for x in res if x["reason"] == "reset")'
expect_json 'all(x["evidence"].startswith("ICMP port unreachable (type 3 code 3) from the target 10.207.9.2") for x in res if x["reason"] == "port-unreach")'
expect_json 'all(x["reply_from"] == "10.207.9.2" for x in res if x["state"] != "FILTERED" or x["reason"] == "admin-prohibited")'
# Every port its own connection: a local address with a port of its own.
expect_json 'all(x["local_address"].startswith("10.207.9.1:") and int(x["local_address"].split(":")[1]) > 0 for x in res)'
check "$LAST: no port outside 990-1210 touched" test "$(counted unasked)" = 0

# --- the round trip from an ICMP echo, not from a port ----------------
# 1150 is dropped, so no port asked answers: the echo gives the round
# trip, and the 3 attempts wait 100 ms each (nmap's floor).
echo_before=$(counted echo)
pq "$C" -n $SRV -nr -e 1150 -v
expect_state TCP 1150 FILTERED; expect_rc 2
expect_line "    No answer to 3 connection attempts of 100 ms each\."
expect_time_below 2
check "$LAST: one echo request" test "$(counted echo)" = $((echo_before + 1))
pq "$C" -n $SRV6 -nr -e 1150 -v
expect_state TCP 1150 FILTERED; expect_rc 2
expect_line "    No answer to 3 connection attempts of 100 ms each\."
check "no port outside 990-1210 touched" test "$(counted unasked)" = 0

# A host that answers no echo: the configured wait (400 ms here) stays.
ip netns exec "$S" nft insert rule inet giefw input icmp type echo-request drop
pq "$C" -n $SRV -nr -e 1150 -v --timeout 400
expect_state TCP 1150 FILTERED; expect_rc 2
expect_line "    No answer to 3 connection attempts of 400 ms each\."
expect_time_above 1.2
check "no port outside 990-1210 touched" test "$(counted unasked)" = 0

finish
