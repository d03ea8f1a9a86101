# shellcheck shell=bash
# lib.sh: shared by the integration tests (sourced, not run).
#
# Each test calls need_root, then builds its hosts: the shared rig
# (rig_up PREFIX, see tests/lib/rig-up.sh) or namespaces of its own (add_ns),
# all named with the test's own prefix starting with "gi". cleanup, run on
# EXIT, stops by PID what the test started and deletes only its namespaces.
#
# Checks print "ok" or "FAIL" lines; the script's exit code is 1 if any
# check failed. Every portqry run keeps its output in $OUT, $ERR, $RC, and
# $T (wall-clock seconds), and $JSON_FILE when --json was given.

PORTQRY=${PORTQRY:?set PORTQRY to the portqry binary}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
PY=/usr/bin/python3   # Debian's, not a pyenv shim (testbed.md §8.14)

failures=0
checks=0
own_ns=()
own_pids=()
own_files=()
rig_dir=
WORK=$(mktemp -d "/tmp/portquery-$(basename "$0" .sh).XXXXXX")

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: $(basename "$0") needs root to build network namespaces (run scripts/test.sh as root)"
    exit 77
  fi
  for tool in ip nft ss "$PY"; do
    command -v "$tool" > /dev/null || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
  done
}

cleanup() {
  local p i left
  for p in "${own_pids[@]}"; do kill "$p" 2> /dev/null; done
  [ -n "$rig_dir" ] && "$TOP/tests/lib/rig-down.sh" "$rig_dir" > /dev/null 2>&1
  for i in $(seq 1 50); do
    left=
    for ns in "${own_ns[@]}"; do left+=$(ip netns pids "$ns" 2> /dev/null); done
    [ -z "$left" ] && break
    sleep 0.05
  done
  for ns in "${own_ns[@]}"; do
    for p in $(ip netns pids "$ns" 2> /dev/null); do kill -9 "$p" 2> /dev/null; done
    ip netns del "$ns" 2> /dev/null
  done
  for f in "${own_files[@]}"; do rm -rf "$f"; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# rig_up PREFIX: the shared rig with only dnsmasq (and the nft rules);
# sets NS_CLI and NS_SRV.
rig_up() {
  rig_dir=$WORK/rig
  if ! RIG_PREFIX=$1 RIG_SKIP="samba dc slapd snmpd" "$TOP/tests/lib/rig-up.sh" "$rig_dir" > "$WORK/rig-up.log" 2>&1; then
    echo "FAIL: the rig did not come up:"; cat "$WORK/rig-up.log"; exit 1
  fi
  # shellcheck source=/dev/null
  . "$rig_dir/env"
}

# add_ns NAME...: empty namespaces with lo up, deleted by cleanup.
add_ns() {
  local ns
  for ns in "$@"; do
    ip netns add "$ns" || { echo "FAIL: cannot create namespace $ns"; exit 1; }
    own_ns+=("$ns")
    ip -n "$ns" link set lo up
    # No duplicate-address detection: a router's link-local address would
    # stay "tentative" for about 1.5 s, and while it is, Linux does not
    # resolve neighbours for the packets it forwards.
    ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  done
}

# link NS_A IF_A ADDR_A NS_B IF_B ADDR_B: a veth pair between two namespaces.
link() {
  ip link add "$2" type veth peer name "$5"
  ip link set "$2" netns "$1"; ip link set "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2"; ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up; ip -n "$4" link set "$5" up
}

# servers NS PROTO,PORT,ADDRESS...: servers.py in NS, waits until bound.
servers() {
  local ns=$1 out i
  shift
  out=$WORK/servers-$ns-${#own_pids[@]}.out
  setsid ip netns exec "$ns" "$PY" "$HERE/servers.py" "$@" > "$out" 2>&1 < /dev/null &
  own_pids+=($!)
  for i in $(seq 1 100); do
    grep -q '^ready$' "$out" 2> /dev/null && return 0
    sleep 0.05
  done
  echo "FAIL: servers.py $* did not start:"; cat "$out"; exit 1
}

now() { date +%s.%N; }

# pq NS ARGS...: runs portqry in NS (under $PQ_AS if set); sets OUT ERR RC T (and JSON_FILE).
pq() {
  local ns=$1 t0 arg
  shift
  JSON_FILE=
  for arg in "$@"; do [ "$arg" = --json ] && JSON_FILE=$WORK/last.json; done
  t0=$(now)
  # $PQ_AS: a command portqry runs under, such as "runuser -u nobody --".
  # shellcheck disable=SC2086
  ip netns exec "$ns" ${PQ_AS:-} "$PORTQRY" "$@" > "$WORK/out" 2> "$WORK/err"
  RC=$?
  T=$(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')
  OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err")
  [ -n "$JSON_FILE" ] && cp "$WORK/out" "$JSON_FILE"
  LAST="portqry $*"
  [ -n "${PQ_TRACE:-}" ] && echo "# ${T}s portqry $*"
}

pass() { checks=$((checks + 1)); echo "ok $checks - $1"; }
fail() {
  checks=$((checks + 1)); failures=$((failures + 1))
  echo "FAIL $checks - $1"
  echo "    command: $LAST (exit $RC, ${T}s)"
  sed 's/^/    stdout: /' <<< "$OUT" | head -40
  sed 's/^/    stderr: /' <<< "$ERR" | head -10
}
check() { # check DESCRIPTION CONDITION...
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# expect_rc CODE: the exit code of the last run.
expect_rc() { check "$LAST: exit code $1" test "$RC" -eq "$1"; }

# expect_line REGEX: a line of standard output matches (grep -E, whole line).
expect_line() { check "$LAST: line '$1'" grep -Eqx -- "$1" <<< "$OUT"; }
no_line() { check "$LAST: no line '$1'" bash -c '! grep -Eq -- "$1" <<< "$2"' _ "$1" "$OUT"; }
expect_err() { check "$LAST: stderr says '$1'" grep -Eq -- "$1" <<< "$ERR"; }

# expect_state PROTO PORT STATE: PortQry's result line, e.g. "TCP port 53 (domain service): LISTENING".
expect_state() { expect_line "$1 port $2 \([^)]*\): $3"; }

# expect_json PYTHON_CONDITION: d is the last JSON document, r its first
# result, res all results; the condition must be true (json.load must work).
expect_json() {
  check "$LAST: JSON $1" "$PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
res = d["results"]
r = res[0] if res else None
if not eval(sys.argv[2]):
    sys.exit(1)
' "$JSON_FILE" "$1"
}

# expect_valid_json: python3 -m json.tool accepts the last output.
expect_valid_json() { check "$LAST: output is valid JSON" "$PY" -m json.tool "$JSON_FILE" /dev/null; }

# expect_time_below SECONDS
expect_time_below() { check "$LAST: took ${T}s, under $1 s" awk -v t="$T" -v m="$1" 'BEGIN { exit !(t < m) }'; }
expect_time_above() { check "$LAST: took ${T}s, at least $1 s" awk -v t="$T" -v m="$1" 'BEGIN { exit !(t >= m) }'; }

finish() {
  echo "$checks checks, $failures failed"
  [ "$failures" -eq 0 ]
  exit $?
}
