#!/bin/bash
# test-range.sh: large scans. Every TCP port of a namespace where nothing
# listens, and a scan of 2000 ports with the open-file limit at 64, where
# the engine must run fewer probes at once and still decide every port.
#   client 10.207.3.1 -- 10.207.3.2 server (no firewall)
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

C=gia$$c S=gia$$s
add_ns "$C" "$S"
link "$C" "gia$$-c" 10.207.3.1/24 "$S" "gia$$-s" 10.207.3.2/24
# Closed UDP ports must all be reported here (the rate limit is test-ratelimit's).
ip netns exec "$S" sysctl -q -w net.ipv4.icmp_ratemask=0

# --- 1-65535 over TCP, nothing listening -------------------------------
pq "$C" -n 10.207.3.2 -nr -r 1:65535 --json
expect_rc 1
# (Each check parses the 30 MB document again: two checks only.)
expect_json 'len(res) == 65535 and sorted(x["port"] for x in res) == list(range(1, 65536)) and all(x["state"] == "NOT LISTENING" and x["reason"] == "reset" for x in res)'
expect_json 'd["summary"]["not_listening"] == 65535 and d["summary"]["listening"] == 0 and d["summary"]["filtered"] == 0 and d["exit_code"] == 1'
# About a second on an idle machine; generous for a loaded one.
expect_time_below 30
echo "# full TCP range: ${T}s"

# --- ulimit -n 64 during a range scan ------------------------------------
servers "$S" tcp,22,10.207.3.2 tcp,1500,10.207.3.2 udp,1501,10.207.3.2 tcp,2000,10.207.3.2
ulimited() { # ARGS...: portqry in $C with at most 64 open files
  local t0
  t0=$(now)
  ip netns exec "$C" bash -c 'ulimit -n 64 && exec "$@"' _ "$PORTQRY" "$@" > "$WORK/out" 2> "$WORK/err"
  RC=$?
  T=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
  OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err"); JSON_FILE=$WORK/out
  LAST="(ulimit -n 64) portqry $*"
}
ulimited -n 10.207.3.2 -nr -r 1:2000 -p both --udp-wait 500 --json
expect_rc 1
expect_valid_json
expect_json 'len(res) == 4000'
expect_json 'd["settings"]["ports_in_flight"] < 64'  # the open-file limit, not the 256 asked for
expect_json 'sorted((x["port"], x["protocol"]) for x in res if x["state"] == "LISTENING") == [(22, "tcp"), (1500, "tcp"), (1501, "udp"), (2000, "tcp")]'
expect_json 'all(x["state"] == "NOT LISTENING" for x in res if (x["port"], x["protocol"]) not in [(22, "tcp"), (1500, "tcp"), (1501, "udp"), (2000, "tcp")])'
expect_json 'not any("open files" in x["evidence"] or x["reason"] == "local-error" for x in res)'
check "$LAST: nothing on stderr" test -z "$ERR"
ulimited -n 10.207.3.2 -nr -r 1:2000 -p tcp
expect_rc 1
expect_state TCP 22 LISTENING; expect_state TCP 1500 LISTENING; expect_state TCP 2000 LISTENING
expect_state TCP 1999 "NOT LISTENING"
check "$LAST: 2000 state lines" test "$(grep -Ec '^TCP port [0-9]+ .*: (NOT )?LISTENING$' <<< "$OUT")" -eq 2000

# A low soft limit under a high hard one: portqry raises the soft limit at
# start (every port in flight holds a descriptor), so the 256 asked for run.
if [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 1024 ]; then
  ip netns exec "$C" bash -c 'ulimit -Sn 64 && exec "$@"' _ "$PORTQRY" -n 10.207.3.2 -nr -r 1:300 --json \
    > "$WORK/out" 2> "$WORK/err"
  RC=$?; OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err"); JSON_FILE=$WORK/out
  LAST="(ulimit -Sn 64) portqry -n 10.207.3.2 -nr -r 1:300 --json"
  expect_rc 1
  expect_json 'len(res) == 300 and d["settings"]["ports_in_flight"] == 256'
else
  echo "skip - the hard open-file limit is below 1024: nothing to raise the soft one to"
fi

finish
