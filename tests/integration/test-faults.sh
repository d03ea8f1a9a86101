#!/bin/bash
# test-faults.sh: what goes wrong around a query, each case as a user meets
# it: the target's link goes down mid-scan; this computer's own link goes
# down mid-scan (no route: an ERROR for each port left, exit 4); the DNS
# server is silent; the disk fills while the export or the log is written
# (no partial file, the old file intact, a clear message, exit 4); the
# open-file limit is 16 (the scan completes with fewer ports in flight);
# this computer's own queue drops every packet (ENOBUFS: an ERROR, exit 4).
#   client 10.207.9.1 -- 10.207.9.2 server (TCP 80 listens, the rest
#   resets; nft: 30000-30999 DROP, DNS DROP)
# The client's resolver is the silent server, through
# /etc/netns/<client>/resolv.conf, for this test's namespace only.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root
command -v unshare > /dev/null || { echo "SKIP: unshare (util-linux) is not installed"; exit 77; }

C=gif$$c S=gif$$s
SRV=10.207.9.2
add_ns "$C" "$S"
link "$C" "gif$$-c" 10.207.9.1/24 "$S" "gif$$-s" $SRV/24
ip netns exec "$S" nft -f - <<'EOF'
table inet giffw {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 30000-30999 drop
    udp dport 53 drop
    tcp dport 53 drop
  }
}
EOF
mkdir -p "/etc/netns/$C"
own_files+=("/etc/netns/$C")
printf 'nameserver %s\noptions timeout:1 attempts:1\n' $SRV > "/etc/netns/$C/resolv.conf"
servers "$S" tcp,80,$SRV

# pq_during AFTER_S COMMAND ARGS...: portqry in $C, COMMAND (a shell line) run
# AFTER_S seconds into the query; sets OUT ERR RC T like pq.
pq_during() {
  local after=$1 action=$2 pid t0
  shift 2
  t0=$(now)
  ip netns exec "$C" "$PORTQRY" "$@" > "$WORK/out" 2> "$WORK/err" &
  pid=$!
  sleep "$after"
  eval "$action"
  wait "$pid"
  RC=$?
  T=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
  OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
  LAST="portqry $* ($action after ${after}s)"
}
count_lines() { grep -Ec -- "$1" <<< "$OUT"; }

# Sixteen ports in flight: 32 dropped ports hold the first 0.6 s, then
# ports 1-100 (80 listening, the rest closed) are asked.
SCAN=(-n $SRV -nr -o 30000-30031,1-100 -p tcp --parallel 16 --timeout 300 --tries 1 --fixed-timeout)

# --- the target's link goes down mid-scan ------------------------------
pq "$C" "${SCAN[@]}"
expect_rc 1
expect_state TCP 80 LISTENING
expect_state TCP 81 "NOT LISTENING"

pq_during 0.4 "ip -n $S link set gif$$-s down" "${SCAN[@]}"
ip -n "$S" link set "gif$$-s" up
# Nothing comes back any more: every port left is silent, and says so.
expect_rc 2
expect_time_below 6
check "$LAST: every port has its line" test "$(count_lines '^TCP port [0-9]+ ')" -eq 132
expect_state TCP 80 FILTERED
expect_state TCP 100 FILTERED
no_line "ERROR"
check "$LAST: no warnings" bash -c '! grep -Eq "CRITICAL|WARNING" <<< "$1"' _ "$ERR"

# --- this computer's own link goes down mid-scan -----------------------
pq_during 0.4 "ip -n $C link set gif$$-c down" "${SCAN[@]}" -v
ip -n "$C" link set "gif$$-c" up
ip -n "$C" addr replace 10.207.9.1/24 dev "gif$$-c"
# No route: the ports left were never asked. An error, not a state.
expect_rc 4
expect_time_below 6
check "$LAST: every port has its line" test "$(count_lines '^TCP port [0-9]+ ')" -eq 132
expect_state TCP 80 ERROR
expect_state TCP 100 ERROR
expect_line "    The probe could not be sent from this computer: Network is unreachable\."
no_line "TCP port 80 .*: (LISTENING|FILTERED)$"
sleep 0.5   # the link's carrier comes back

# --- the DNS server is silent ------------------------------------------
pq "$C" -n silent.gif.test -e 80
expect_rc 4
expect_time_below 5
expect_line "Attempting to resolve name to IP address\.\.\."
check "$LAST: says the name did not resolve" grep -q "silent.gif.test" <<< "$ERR"
no_line "TCP port 80"

# An address whose reverse lookup goes unanswered is still queried.
pq "$C" -n $SRV -e 80
expect_rc 0
expect_time_below 5
expect_line "Failed to resolve IP address to name"
expect_state TCP 80 LISTENING

# --- the disk fills while the export and the log are written -----------
# A 64 KiB tmpfs in a mount namespace of its own: it goes with the process.
# The report of 2,000 ports does not fit in what is left.
full_disk() { # full_disk WHAT ARGS...: portqry writing into the small disk
  local what=$1
  shift
  LAST="portqry $* (into a full disk: $what)"
  ip netns exec "$C" unshare -m --propagation private bash -c '
    disk=$1 what=$2
    shift 2
    mount -t tmpfs -o size=64k pqfull "$disk" || exit 99
    printf "old %s\n" "$what" > "$disk/$what"
    head -c 40000 /dev/zero > "$disk/filler"
    "$PORTQRY" "$@" > "$0/out" 2> "$0/err"
    echo $? > "$0/rc"
    ls -A "$disk" > "$0/left"
    cat "$disk/$what" > "$0/kept" 2> /dev/null
    true
  ' "$WORK" "$WORK/disk" "$what" "$@"
  RC=$(cat "$WORK/rc"); OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err"); T=0
}
mkdir -p "$WORK/disk"
full_disk report.json -n $SRV -nr -r 1:2000 -p tcp -q --export "$WORK/disk/report.json"
expect_rc 4
check "$LAST: the message names the file" grep -q "$WORK/disk/report.json" <<< "$ERR"
check "$LAST: the message says the disk is full" grep -Eqi "full|space" <<< "$ERR"
check "$LAST: the old file is intact" test "$(cat "$WORK/kept")" = "old report.json"
check "$LAST: no temporary file left" test "$(sort "$WORK/left" | tr '\n' ' ')" = "filler report.json "

full_disk run.log -n $SRV -nr -r 1:2000 -p tcp -y -l "$WORK/disk/run.log"
expect_rc 4
check "$LAST: the message names the file" grep -q "$WORK/disk/run.log" <<< "$ERR"
check "$LAST: the old file is intact" test "$(cat "$WORK/kept")" = "old run.log"
check "$LAST: no temporary file left" test "$(sort "$WORK/left" | tr '\n' ' ')" = "filler run.log "

# --- at most 16 open files ---------------------------------------------
pq "$C" -n $SRV -nr -r 1:3000 -p tcp --json
cp "$WORK/out" "$WORK/unlimited.json"
LAST="portqry -n $SRV -nr -r 1:3000 -p tcp --json (ulimit -n 16)"
ip netns exec "$C" bash -c 'ulimit -n 16 && exec "$0" "$@"' "$PORTQRY" \
  -n $SRV -nr -r 1:3000 -p tcp --json > "$WORK/limited.json" 2> "$WORK/err"
RC=$?; ERR=$(cat "$WORK/err"); OUT=
expect_rc 1
check "$LAST: the same states as without the limit" "$PY" -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
states = lambda d: [(r["port"], r["state"]) for r in d["results"]]
sys.exit(not (len(states(b)) == 3000 and states(a) == states(b)))
' "$WORK/unlimited.json" "$WORK/limited.json"
check "$LAST: fewer ports in flight" "$PY" -c '
import json, sys
sys.exit(not json.load(open(sys.argv[1]))["settings"]["ports_in_flight"] < 16)
' "$WORK/limited.json"
check "$LAST: no warnings" bash -c '! grep -Eq "CRITICAL|WARNING|Too many open files" <<< "$1"' _ "$ERR"

# --- no buffer space: this computer's own queue drops every packet -----
# A pfifo queue of length 0 on the client's link drops whatever is sent,
# and the kernel says so to the sender: sendto() on a UDP socket with
# IP_RECVERR (the scanner's) fails with ENOBUFS, on every try. The server's
# MAC is a permanent neighbour entry: otherwise the ARP request is dropped
# too and the datagram waits for it, so sendto() succeeds and the loss is
# never reported. TCP cannot be tested this way: connect() hears nothing
# of a SYN its own queue dropped (Linux retransmits it, as it would one
# lost on the way), so such a port is FILTERED, as README says.
mac=$(ip -n "$S" -j link show "gif$$-s" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)[0]["address"])')
ip -n "$C" neigh replace $SRV lladdr "$mac" dev "gif$$-c" nud permanent
ip netns exec "$C" tc qdisc add dev "gif$$-c" root pfifo limit 0
pq "$C" -n $SRV -nr -o 161,5000 -p udp
expect_rc 4
expect_state UDP 161 ERROR
expect_state UDP 5000 ERROR
expect_line "    The probe could not be sent from this computer: No buffer space available\."
no_line "LISTENING|FILTERED"
pq "$C" -n $SRV -nr -e 5000 -p udp --json
expect_rc 4
expect_json 'res[0]["state"] == "ERROR" and "No buffer space" in res[0]["evidence"] and d["summary"]["errors"] == 1'
ip netns exec "$C" tc qdisc del dev "gif$$-c" root

finish
