#!/bin/bash
# test-cancel.sh: Ctrl+C (SIGINT) in every phase: forward resolution and
# reverse lookup with a silent DNS server, a long scan of ports behind DROP,
# a protocol query to a peer that never answers nor closes, and writing the
# log into a FIFO nobody reads. portqry must stop within 200 ms, print what
# it had decided, say "Query cancelled." and exit with 4 (README: the query
# could not run); a log says it was cancelled.
#   client 10.207.5.1 -- 10.207.5.2 server (nft: 30000-30999, DNS, and the
#   ICMP echo that gives the round trip, DROP; TCP 25 accepts and then says
#   nothing)
# The client's resolver is the silent server, through
# /etc/netns/<client>/resolv.conf: `ip netns exec` binds it over
# /etc/resolv.conf for this test's namespace only.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

C=gic$$c S=gic$$s
add_ns "$C" "$S"
link "$C" "gic$$-c" 10.207.5.1/24 "$S" "gic$$-s" 10.207.5.2/24
ip netns exec "$S" nft -f - <<'EOF'
table inet gicfw {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 30000-30999 drop
    udp dport 30000-30999 drop
    udp dport 53 drop
    tcp dport 53 drop
    icmp type echo-request drop
  }
}
EOF
mkdir -p "/etc/netns/$C"
own_files+=("/etc/netns/$C")
echo "nameserver 10.207.5.2" > "/etc/netns/$C/resolv.conf"
servers "$S" hold,25,10.207.5.2

# interrupted AFTER_S ARGS...: portqry in $C, SIGINT after AFTER_S seconds;
# sets OUT ERR RC, and T to the seconds from the signal to its exit.
interrupted() {
  local after=$1 pid t0
  shift
  env --default-signal=INT ip netns exec "$C" "$PORTQRY" "$@" > "$WORK/out" 2> "$WORK/err" &
  pid=$!
  sleep "$after"
  t0=$(now)
  kill -INT "$pid"
  wait "$pid"
  RC=$?
  T=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
  OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err"); JSON_FILE=$WORK/out
  LAST="portqry $* (SIGINT after ${after}s)"
}
# The promise of the README: Ctrl+C ends portqry within 200 ms.
prompt_stop() {
  expect_rc 4
  expect_time_below 0.2
  expect_err "^portqry: Query cancelled\.$"
  no_noise
}
no_noise() { check "$LAST: no warnings on stderr" bash -c '! grep -Eq "CRITICAL|WARNING|assertion" <<< "$1"' _ "$ERR"; }

# Two closed ports answer at once, then 1000 ports wait 3 x 1000 ms
# (--fixed-timeout: the closed ports' round trip does not shorten them).
interrupted 0.7 -n 10.207.5.2 -nr -o 80,81,30000-30999 -p tcp --fixed-timeout
expect_rc 4
expect_time_below 0.2
expect_state TCP 80 "NOT LISTENING"
expect_state TCP 81 "NOT LISTENING"
no_line "TCP port 30000"
expect_err "^portqry: Query cancelled\.$"
no_noise

# The documented defaults, TCP and UDP, nothing answering (not even the
# ICMP echo, which then holds nothing up): no partial lines.
interrupted 1.5 -n 10.207.5.2 -nr -r 30000:30999 -p both
expect_rc 4
expect_time_below 0.2
no_line "port 30"
expect_line "querying\.\.\."
expect_err "^portqry: Query cancelled\.$"
no_noise

# JSON: still a valid document, marked cancelled, with the decided ports only.
interrupted 0.7 -n 10.207.5.2 -nr -o 80,81,30000-30999 -p both --fixed-timeout --json
expect_rc 4
expect_time_below 0.2
expect_valid_json
expect_json 'd["cancelled"] is True and d["finished"] is not None and d["exit_code"] == 4'
expect_json '[(x["port"], x["protocol"], x["state"]) for x in res] == [(80, "tcp", "NOT LISTENING"), (80, "udp", "NOT LISTENING"), (81, "tcp", "NOT LISTENING"), (81, "udp", "NOT LISTENING")]'
no_noise

# While silent UDP ports wait for their paced second looks (the server
# namespace keeps Linux's default ICMP rate limit): the first ports the
# host reported closed are printed, the rest is not.
interrupted 4 -n 10.207.5.2 -nr -r 20001:20050 -p udp
expect_rc 4
expect_time_below 0.2
expect_state UDP 20001 "NOT LISTENING"
check "$LAST: the ports decided before the pause" test "$(grep -Ec '^UDP port 200[0-9][0-9] .*: NOT LISTENING$' <<< "$OUT")" -ge 6
no_line "UDP port 20050"
expect_err "^portqry: Query cancelled\.$"
no_noise

# A log file of a cancelled query keeps what was printed, and says so; so
# does its export (the Ctrl+C that ended the query does not stop it).
interrupted 0.7 -n 10.207.5.2 -nr -o 81,30000-30999 -p tcp --fixed-timeout -l "$WORK/cancel.log" \
  --export "$WORK/cancel.json"
prompt_stop
check "$LAST: the export is written and says it was cancelled" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(not (d["cancelled"] is True and [r["port"] for r in d["results"]] == [81]))
' "$WORK/cancel.json"
check "$LAST: the log has the decided port" grep -q "TCP port 81 .*NOT LISTENING" "$WORK/cancel.log"
check "$LAST: the log says it was cancelled" grep -qx "Query cancelled\." "$WORK/cancel.log"
check "$LAST: the log is whole" grep -q "end of log file" "$WORK/cancel.log"

# Forward resolution: the DNS server never answers.
interrupted 0.5 -n silent.gic.test -e 81 -l "$WORK/resolve.log"
prompt_stop
check "$LAST: the log says it was cancelled" grep -qx "Query cancelled\." "$WORK/resolve.log"

# Reverse lookup of an address: the same silent server.
interrupted 0.5 -n 10.207.5.2 -e 81
prompt_stop
no_line "TCP port 81"

# A protocol query: TCP 25 accepted, and the SMTP greeting never comes.
interrupted 0.7 -n 10.207.5.2 -nr -e 25
prompt_stop
no_line "TCP port 25"

# Writing: the log is a FIFO nobody reads, so opening it waits.
mkfifo "$WORK/fifo"
interrupted 0.5 -n 10.207.5.2 -nr -e 81 -l "$WORK/fifo"
prompt_stop
expect_state TCP 81 "NOT LISTENING"

# Writing an export: 65,535 ports of the client's own loopback (each
# refused at once) to a report that exists. SIGINT once the temporary file
# beside it appears: the old report stays, the temporary file goes. The
# file is written in some milliseconds, so the watch forks nothing between
# seeing it and the signal (a read with a time-out on a FIFO is the sleep).
echo "yesterday's report" > "$WORK/report.json"
mkfifo "$WORK/tick"
exec 9<>"$WORK/tick"
env --default-signal=INT ip netns exec "$C" "$PORTQRY" -n 127.0.0.1 -nr -r 1:65535 -p tcp -q \
  --export "$WORK/report.json" > "$WORK/out" 2> "$WORK/err" &
pid=$!
seen=
for _ in $(seq 30000); do
  if compgen -G "$WORK/.report.json.*" > /dev/null; then
    seen=1
    break
  fi
  read -r -t 0.002 -u 9 || true
done
t0=$EPOCHREALTIME
kill -INT "$pid"
wait "$pid"
RC=$?
T=$(awk -v a="$EPOCHREALTIME" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
exec 9>&-
OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
LAST="portqry --export (SIGINT while it is written)"
check "$LAST: the temporary file was seen" test -n "$seen"
if [ "$RC" = 4 ]; then
  prompt_stop
  check "$LAST: the old report is intact" grep -qx "yesterday's report" "$WORK/report.json"
else
  # The signal came after the rename: the new report is whole and the
  # exit code is the query's (all 65,535 ports NOT LISTENING), not 4.
  echo "# the export was complete before SIGINT arrived"
  expect_rc 1
  check "$LAST: the new report is whole" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if len(d["results"]) == 65535 else 1)' "$WORK/report.json"
fi
check "$LAST: no temporary file is left" bash -c '! compgen -G "$1/.report.json.*"' _ "$WORK"

finish
