#!/bin/bash
# test-states.sh: every port state and exit code portqry reports, against
# the shared rig (dnsmasq on 10.200.77.2, nft 8081 DROP, 8082 REJECT
# admin-prohibited) plus a TCP listener and a UDP responder of the test's
# own on the server's IPv4 and IPv6 addresses.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

rig_up "gis$$"
SRV=10.200.77.2 SRV6=fd00:200:77::2
# 8080/tcp and 9999/udp: no protocol probe, so the plain test decides.
servers "$NS_SRV" tcp,8080,$SRV udp,9999,$SRV tcp,8080,$SRV6 udp,9999,$SRV6

# --- listening -------------------------------------------------------
pq "$NS_CLI" -n $SRV -e 53 -p tcp
expect_state TCP 53 LISTENING; expect_rc 0
pq "$NS_CLI" -n $SRV -e 53 -p tcp -q
expect_rc 0; check "$LAST: -q prints nothing" test -z "$OUT"

# dnsmasq ignores PortQry's empty datagram: silence, which is ambiguous.
pq "$NS_CLI" -n $SRV -e 53 -p udp --no-probes -v --udp-wait 300 --fixed-timeout
expect_state UDP 53 "LISTENING or FILTERED"; expect_rc 2
expect_line "    No reply to 2 datagrams after waiting 300 ms for each: .*"
# With the DNS query in place of the empty datagram dnsmasq answers.
if [ "${HAVE_DNS_CODEC:-false}" = true ]; then
  pq "$NS_CLI" -n $SRV -e 53 -p udp -q
  expect_rc 0
  pq "$NS_CLI" -n $SRV -e 53 -p udp --json
  expect_json 'r["state"] == "LISTENING" and r["reason"] == "udp-response" and r["bytes_received"] > 12'
else
  echo "skip - UDP 53 with the DNS query: this build has no DNS codec (src/core/protocols/pq-dns.c)"
fi

pq "$NS_CLI" -n $SRV -e 9999 -p udp -v
expect_state UDP 9999 LISTENING; expect_rc 0
expect_line "    $SRV sent a reply of 33 bytes after [0-9.]+ ms\."
pq "$NS_CLI" -n $SRV -e 8080 -p tcp --json
expect_valid_json
expect_json 'd["exit_code"] == 0 and r["state"] == "LISTENING" and r["reason"] == "syn-ack" and r["reply_from"] == "10.200.77.2" and r["tries"] == 1'
expect_json 'r["local_address"].startswith("10.200.77.1:")'

# --- not listening -----------------------------------------------------
pq "$NS_CLI" -n $SRV -e 80 -p tcp -v
expect_state TCP 80 "NOT LISTENING"; expect_rc 1
expect_line "    $SRV refused the connection with a TCP reset after [0-9.]+ ms: .*"
pq "$NS_CLI" -n $SRV -e 80 -p udp -v
expect_state UDP 80 "NOT LISTENING"; expect_rc 1
expect_line "    ICMP port unreachable \(type 3 code 3\) from the target $SRV after [0-9.]+ ms\."
pq "$NS_CLI" -n $SRV -e 80 -p both --json
expect_valid_json
expect_json '[(x["protocol"], x["state"], x["reason"]) for x in res] == [("tcp", "NOT LISTENING", "reset"), ("udp", "NOT LISTENING", "port-unreach")]'
expect_json 'res[1]["icmp_type"] == 3 and res[1]["icmp_code"] == 3 and res[1]["reply_from"] == "10.200.77.2"'
expect_json 'd["exit_code"] == 1 and d["summary"]["not_listening"] == 2'

# --- DROP: silence -----------------------------------------------------
# --fixed-timeout: the configured waits, whatever the round trip.
pq "$NS_CLI" -n $SRV -e 8081 -p tcp --timeout 200 --fixed-timeout -v
expect_state TCP 8081 FILTERED; expect_rc 2
expect_line "    No answer to 3 connection attempts of 200 ms each\."
expect_time_above 0.6
pq "$NS_CLI" -n $SRV -e 8081 -p udp --udp-wait 200 --fixed-timeout -v
expect_state UDP 8081 "LISTENING or FILTERED"; expect_rc 2
expect_line "    No reply to 2 datagrams after waiting 200 ms for each: .*"
pq "$NS_CLI" -n $SRV -e 8081 -p udp --udp-wait 200 --json
expect_json 'r["reason"] == "no-response" and r["tries"] == 2 and r["reply_from"] is None'

# PortQry's rule on one DROP port, fixed: 3 attempts of 1000 ms each.
pq "$NS_CLI" -n $SRV -e 8081 -p tcp --fixed-timeout --json
expect_json 'r["state"] == "FILTERED" and r["reason"] == "no-response" and r["tries"] == 3'
expect_json 'd["settings"]["tcp_timeout_ms"] == 1000 and d["settings"]["tcp_tries"] == 3'
expect_json '2900 <= r["elapsed_ms"] <= 3500'
expect_time_above 2.9; expect_time_below 5
# The defaults: no port asked answers, but an ICMP echo gives the round
# trip (pq-scan-engine.c), so the 3 attempts wait 100 ms each
# (nmap's floor) and a silent UDP port's 2 datagrams as long.
pq "$NS_CLI" -n $SRV -e 8081 -p tcp -v
expect_state TCP 8081 FILTERED; expect_rc 2
expect_line "    No answer to 3 connection attempts of 100 ms each\."
expect_time_above 0.3; expect_time_below 2
pq "$NS_CLI" -n $SRV -e 8081 -p udp -v
expect_state UDP 8081 "LISTENING or FILTERED"; expect_rc 2
expect_line "    No reply to 2 datagrams after waiting 100 ms for each: .*"
expect_time_above 0.2; expect_time_below 2
# The host reports closed UDP ports without a rate limit (the rig turns it
# off). A silent port followed by two that the host reported closed is
# silent itself: no second look, no note.
pq "$NS_CLI" -n $SRV -nr -o 8081,80,81 -p udp -v
expect_state UDP 8081 "LISTENING or FILTERED"; expect_rc 1
expect_line "    No reply to 2 datagrams after waiting 100 ms for each: a UDP service may ignore an empty datagram, or a firewall may drop it\."
expect_time_below 1
# The last one asked, with nothing after it, gets a check look followed by
# two datagrams to a closed port; they are answered, so it is not asked
# again one a second (1.1 s a look, as on a host that limits).
pq "$NS_CLI" -n $SRV -nr -o 80,81,8081 -p udp -v
expect_state UDP 8081 "LISTENING or FILTERED"; expect_rc 1
expect_line "    .* It was asked again, followed by a closed port that the host reported at once, so the silence is this port's own\."
expect_time_below 1

# --- REJECT with admin-prohibited -------------------------------------
for proto in tcp udp; do
  P=${proto^^}
  pq "$NS_CLI" -n $SRV -e 8082 -p $proto -v
  expect_state "$P" 8082 FILTERED; expect_rc 2
  expect_line "    ICMP communication administratively prohibited \(type 3 code 13\) from the target $SRV after [0-9.]+ ms\."
  pq "$NS_CLI" -n $SRV -e 8082 -p $proto --json
  expect_json 'r["state"] == "FILTERED" and r["reason"] == "admin-prohibited" and r["icmp_type"] == 3 and r["icmp_code"] == 13 and r["reply_from"] == "10.200.77.2"'
  expect_json 'r["elapsed_ms"] < 500'
done

# --- IPv6, plain and in brackets --------------------------------------
for name in $SRV6 "[$SRV6]"; do
  pq "$NS_CLI" -n "$name" -nr -o 8080,80 -p both -v
  expect_state TCP 8080 LISTENING
  expect_state UDP 8080 "NOT LISTENING"
  expect_state TCP 80 "NOT LISTENING"
  expect_state UDP 80 "NOT LISTENING"
  expect_line "    ICMPv6 port unreachable \(type 1 code 4\) from the target $SRV6 after [0-9.]+ ms\."
  expect_rc 1
  pq "$NS_CLI" -n "$name" -e 9999 -p udp --json
  expect_rc 0
  expect_json 'r["address"] == "fd00:200:77::2" and r["state"] == "LISTENING" and r["bytes_received"] == 33'
  expect_json 'r["local_address"].startswith("[fd00:200:77::1]:")'
done
# The rig's "reject with icmp type" rules match IPv4 only; this rig's own
# server gets an ICMPv6 one.
ip netns exec "$NS_SRV" nft add rule inet rigfw input meta nfproto ipv6 tcp dport 8083 reject with icmpv6 type admin-prohibited
pq "$NS_CLI" -n "[$SRV6]" -nr -e 8083 -p tcp -v
expect_state TCP 8083 FILTERED; expect_rc 2
expect_line "    ICMPv6 communication administratively prohibited \(type 1 code 1\) from the target $SRV6 after [0-9.]+ ms\."

# Link-local: the interface after % reaches the socket (scope id).
IF="$RIG_PREFIX-c"
ip -n "$NS_SRV" addr add fe80::77:2/64 dev "$RIG_PREFIX-s" nodad
ip -n "$NS_CLI" addr add fe80::77:1/64 dev "$IF" nodad
for name in "fe80::77:2%$IF" "[fe80::77:2%$IF]"; do
  pq "$NS_CLI" -n "$name" -nr -e 80 -p both -v
  expect_state TCP 80 "NOT LISTENING"; expect_state UDP 80 "NOT LISTENING"; expect_rc 1
  expect_line "    ICMPv6 port unreachable \(type 1 code 4\) from the target fe80::77:2%$IF after [0-9.]+ ms\."
done
pq "$NS_CLI" -n "fe80::77:2" -nr -e 80
expect_rc 3
expect_err "link-local address, which needs the network interface"

# --- several ports: the combined exit code -----------------------------
pq "$NS_CLI" -n $SRV -nr -o 53,8080 -p tcp
expect_state TCP 53 LISTENING; expect_state TCP 8080 LISTENING; expect_rc 0
pq "$NS_CLI" -n $SRV -nr -o 53,8082,80 -p tcp
expect_state TCP 80 "NOT LISTENING"; expect_rc 1      # any not listening: 1
pq "$NS_CLI" -n $SRV -nr -o 53,8082 -p tcp
expect_state TCP 8082 FILTERED; expect_rc 2            # none not listening, one filtered: 2
pq "$NS_CLI" -n $SRV -nr -o 8080,8081 -p tcp --timeout 200 --json
expect_rc 2
expect_json 'd["exit_code"] == 2 and d["summary"]["listening"] == 1 and d["summary"]["filtered"] == 1'
pq "$NS_CLI" -n $SRV -nr -o 9999,8081 -p udp --udp-wait 200
expect_state UDP 9999 LISTENING; expect_state UDP 8081 "LISTENING or FILTERED"; expect_rc 2
# Printed in the order asked, whatever order they were decided in.
pq "$NS_CLI" -n $SRV -nr -o 8081,80,53 -p tcp --timeout 200
check "$LAST: ports in the order given" test "$(grep -Eo '^TCP port [0-9]+' <<< "$OUT" | tr '\n' ' ')" = "TCP port 8081 TCP port 80 TCP port 53 "
expect_rc 1

# --- JSON and exported reports -----------------------------------------
pq "$NS_CLI" -n $SRV -nr -o 53,80,8082 -p both --json --export "$WORK/r.html" --udp-wait 300
expect_rc 1
expect_valid_json
expect_json 'len(res) == 6 and d["cancelled"] is False and d["target"]["input"] == "10.200.77.2"'
expect_json '[x["port"] for x in res] == [53, 53, 80, 80, 8082, 8082]'
check "$LAST: the HTML report is written" test -s "$WORK/r.html"
check "$LAST: HTML names the admin-prohibited port" grep -q "administratively prohibited" "$WORK/r.html"
check "$LAST: HTML is a document" grep -qi "<html" "$WORK/r.html"
for ext in csv txt json; do
  pq "$NS_CLI" -n $SRV -nr -o 53,80 -p tcp --export "$WORK/r.$ext"
  expect_rc 1
  check "$LAST: the .$ext report is written" test -s "$WORK/r.$ext"
done
check "csv: one row per port, both states" "$PY" -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
text = "\n".join(",".join(r) for r in rows)
sys.exit(not (len(rows) >= 3 and "LISTENING" in text and "NOT LISTENING" in text and "53" in text and "80" in text))' "$WORK/r.csv"
check "txt: the state lines" grep -q "TCP port 80 .*NOT LISTENING" "$WORK/r.txt"
JSON_FILE=$WORK/r.json
expect_json '[(x["port"], x["state"]) for x in res] == [(53, "LISTENING"), (80, "NOT LISTENING")]'
pq "$NS_CLI" -n $SRV -e 53 --export "$WORK/r.doc"
expect_rc 3
check "no report for an unknown extension" test ! -e "$WORK/r.doc"

finish
