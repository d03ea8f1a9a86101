#!/bin/bash
# test-ratelimit.sh: 50 closed UDP ports of a host that keeps Linux's
# default ICMP rate limit (a burst of 6 port unreachables, then one a
# second: testbed.md §2.4). A first look at all of them gets about 7
# answers; the engine then asks silent ports again, one every 1.1 s, at
# most 32 of them (README: "How a state is decided"). So at least 6 + 32
# ports must come out NOT LISTENING, none LISTENING or FILTERED, and every
# port still silent must say that the host limits its ICMP errors.
#
# A second server gets 2100 closed UDP ports at the same time (its own
# namespace, so its own rate limit): a scan that large once ran on several
# lanes, each pacing its own second looks, which together overran the
# host's one answer a second; closed ports then "stayed silent" when asked
# again. No second look may stay silent there either.
#   client 10.207.4.1 -- 10.207.4.2 server  (fresh namespaces: default limits)
#          10.207.6.1 -- 10.207.6.2 server2
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

C=gil$$c S=gil$$s S2=gil$$t
add_ns "$C" "$S" "$S2"
link "$C" "gil$$-c" 10.207.4.1/24 "$S" "gil$$-s" 10.207.4.2/24
link "$C" "gil$$-c2" 10.207.6.1/24 "$S2" "gil$$-t" 10.207.6.2/24
check "the server namespace limits ICMP port unreachables (ratemask 6168)" \
  test "$(ip netns exec "$S" sysctl -n net.ipv4.icmp_ratemask)" = 6168
check "the server namespace allows one ICMP error a second (ratelimit 1000)" \
  test "$(ip netns exec "$S" sysctl -n net.ipv4.icmp_ratelimit)" = 1000

# The large scan runs in the background meanwhile.
ip netns exec "$C" "$PORTQRY" -n 10.207.6.2 -nr -r 20001:22100 -p udp --udp-tries 1 --udp-wait 300 --json \
  > "$WORK/large.json" 2> "$WORK/large.err" &
large_pid=$!
own_pids+=("$large_pid")

pq "$C" -n 10.207.4.2 -nr -r 20001:20050 -p udp --json
echo "# 50 closed UDP ports behind the ICMP rate limit: ${T}s"
expect_rc 1
expect_valid_json
expect_json 'len(res) == 50 and sorted(x["port"] for x in res) == list(range(20001, 20051))'
expect_json 'not any(x["state"] in ("LISTENING", "FILTERED") for x in res)'
expect_json 'sum(x["state"] == "NOT LISTENING" for x in res) >= 6 + 32'
expect_json 'all(x["reason"] == "port-unreach" and x["reply_from"] == "10.207.4.2" for x in res if x["state"] == "NOT LISTENING")'
expect_json 'all("may be closed" in x["evidence"] or "asked again after a pause" in x["evidence"] for x in res if x["state"] != "NOT LISTENING")'
# The second looks are paced: 32 of them take at least 31 intervals of
# 1.1 s. Without pacing the scan would end after 2 s with ~43 ports silent;
# with waits that never ended it would run past the limit.
expect_time_above 30
expect_time_below 60
# Seen from outside: the host really suppressed port unreachables.
check "the server counted rate-limited ICMP errors" \
  bash -c "ip netns exec '$S' nstat -az IcmpOutRateLimitHost | awk '/IcmpOutRateLimitHost/ { exit !(\$2 > 0) }'"

wait "$large_pid"; RC=$?
OUT=$(cat "$WORK/large.json"); ERR=$(cat "$WORK/large.err"); JSON_FILE=$WORK/large.json
LAST="portqry -n 10.207.6.2 -nr -r 20001:22100 -p udp --udp-tries 1 --udp-wait 300 --json"
expect_rc 1
expect_json 'len(res) == 2100 and not any(x["state"] in ("LISTENING", "FILTERED") for x in res)'
expect_json 'sum(x["state"] == "NOT LISTENING" for x in res) >= 6 + 32'
expect_json 'not any("asked again after a pause" in x["evidence"] for x in res)'

finish
