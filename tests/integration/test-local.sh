#!/bin/bash
# test-local.sh: portqry -local, -wport and -wpid (PortQry's local mode)
# in a namespace of its own, against sockets this test opens there: as
# root every endpoint has its process; as nobody every endpoint is still
# listed, nobody's own with their process, root's counted as hidden; a
# watch catches a listener and a connection made while it runs, and Ctrl+C
# ends it with the log written.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root
NS=gil$$
add_ns "$NS"

# sockets NAME USER PYTHON: a process named NAME (its comm) run as USER in
# the namespace, holding the sockets PYTHON opens; waits until they are.
sockets() {
  local name=$1 user=$2 code=$3 out=$WORK/sockets-$1.out i
  setsid ip netns exec "$NS" setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups \
    "$PY" -c "
import socket, time
open('/proc/self/comm', 'w').write('$name')
$code
print('ready', flush=True)
time.sleep(120)
" > "$out" 2>&1 < /dev/null &
  own_pids+=($!)
  for i in $(seq 1 100); do
    grep -q '^ready$' "$out" 2> /dev/null && return 0
    sleep 0.05
  done
  echo "FAIL: $name did not start:"; cat "$out"; exit 1
}

sockets pqroot root "
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(('127.0.0.1', 7001)); l.listen()
c = socket.create_connection(('127.0.0.1', 7001)); a, _ = l.accept()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(('::1', 7002))"
sockets pqnobody nobody "
l = socket.socket(socket.AF_INET6); l.bind(('::', 7003)); l.listen()"
ROOT_PID=$(ip netns pids "$NS" | while read -r p; do [ "$(cat /proc/"$p"/comm)" = pqroot ] && echo "$p"; done)
NOBODY_PID=$(ip netns pids "$NS" | while read -r p; do [ "$(cat /proc/"$p"/comm)" = pqnobody ] && echo "$p"; done)

# ---- -local as root ----------------------------------------------------
pq "$NS" -local
expect_rc 0
expect_line "5 active ports found"
expect_line "TCP 7001 +127\.0\.0\.1 +LISTENING"
expect_line "TCP 7001 +127\.0\.0\.1 +ESTABLISHED +127\.0\.0\.1:[0-9]+"
expect_line "TCP [0-9]+ +127\.0\.0\.1 +ESTABLISHED +127\.0\.0\.1:7001"
expect_line "UDP 7002 +::1"
expect_line "TCP 7003 +:: +LISTENING"
expect_line "TCP mappings: 4"
expect_line "UDP mappings: 1"
expect_line "TCP ports in a LISTENING state: 2 = 50\.00%"
expect_line "TCP ports in a ESTABLISHED state: 2 = 50\.00%"
expect_line "5 mappings found"
expect_line "$ROOT_PID:pqroot +TCP 7001 +127\.0\.0\.1 +LISTENING"
expect_line "$ROOT_PID:pqroot +UDP 7002 +::1"
expect_line "$NOBODY_PID:pqnobody +TCP 7003 +:: +LISTENING"
no_line "belong to processes of other users"

pq "$NS" -local -v
expect_line "Process ID: $ROOT_PID \(pqroot\)"
expect_line "Command line: /usr/bin/python3 -c .*"
expect_line "This process does not appear to run as a systemd service\."
expect_line "Process ID: $NOBODY_PID \(pqnobody\)"

# ---- -local as nobody: every socket, only its own processes ------------
LAST="portqry -local (as nobody)"
OUT=$(ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup --clear-groups "$PORTQRY" -local -v 2> "$WORK/err")
RC=$?; ERR=$(cat "$WORK/err")
expect_rc 0
expect_line "5 active ports found"
expect_line "TCP 7001 +127\.0\.0\.1 +LISTENING"
expect_line "1 mappings found"
expect_line "$NOBODY_PID:pqnobody +TCP 7003 +:: +LISTENING"
no_line "pqroot"
expect_line "4 endpoints belong to processes of other users, which this user may not see\. Run portqry as root to see every process\."
expect_line "Note: an ordinary user may not read other users' processes; run portqry as root for the most complete information\."

# ---- the command line ----------------------------------------------------
pq "$NS" -wport 7001 -wt 0
expect_rc 3
pq "$NS" -wport 7001 -wt 1201
expect_rc 3
expect_err "-wt takes a whole number from 1 to 1200"
pq "$NS" -wt 5
expect_rc 3
pq "$NS" -local -wt 5
expect_rc 3
pq "$NS" -local -wport 80
expect_rc 3
expect_err "Use only one of -local, -wport and -wpid"
pq "$NS" -local -n 127.0.0.1
expect_rc 3
pq "$NS" -wpid 999999999
expect_rc 3
expect_err "No process has this PID"

# ---- -wport: a listener and a connection made while it watches ----------
log=$WORK/watch.log
setsid ip netns exec "$NS" "$PORTQRY" -wport 7005 -wt 1 -l "$log" > "$WORK/watch.out" 2>&1 < /dev/null &
watcher=$!
own_pids+=($watcher)
sleep 1.5
sockets pqlate root "
l = socket.socket(); l.bind(('127.0.0.1', 7005)); l.listen()"
sleep 2
ip netns exec "$NS" "$PY" -c "import socket, time; s = socket.create_connection(('127.0.0.1', 7005)); time.sleep(2.5)"
kill -INT "$watcher"
wait "$watcher"
RC=$?
OUT=$(cat "$WORK/watch.out"); ERR=; LAST="portqry -wport 7005 -wt 1 -l"
expect_rc 0
expect_line "Watching port: 7005"
expect_line "Checking for changes every 1 seconds"
expect_line "No endpoint uses port 7005\."
expect_line "[0-9]+:pqlate +TCP 7005 +127\.0\.0\.1 +LISTENING"
expect_line "TCP 7005 +127\.0\.0\.1 +ESTABLISHED +127\.0\.0\.1:[0-9]+"
expect_line "Ctrl\+C pressed: watching stopped"
check "a snapshot per change: none, the listener, the connection, its end" \
  test "$(grep -c '^System Date:' <<< "$OUT")" -ge 4
check "the log has the snapshots" grep -q "pqlate *TCP 7005" "$log"
check "the log ends with PortQry's closing line" grep -q "end of log file" "$log"

# ---- -wpid: a process's endpoints -----------------------------------------
timeout --preserve-status -s INT 2 ip netns exec "$NS" "$PORTQRY" -wpid "$NOBODY_PID" -wt 1 > "$WORK/wpid.out" 2>&1
RC=$?; OUT=$(cat "$WORK/wpid.out"); LAST="portqry -wpid $NOBODY_PID"
expect_rc 0
expect_line "Watching PID: $NOBODY_PID"
expect_line "$NOBODY_PID:pqnobody +TCP 7003 +:: +LISTENING"
no_line "pqroot"
finish
