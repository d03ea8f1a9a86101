#!/bin/bash
# test-trace.sh: portqry --trace finds where a port's packets stop, as an
# unprivileged user, on a routed path with Linux's default ICMP limits
# (tests/lib/trace-path.sh):
#   client 10.213.1.1 -- .1.254 R1 .2.1 -- .2.2 R2 .3.254 -- 10.213.3.2 host
# Port 7001 is dropped at the host's input, 7002 in R1's forward chain,
# 7003 rejected admin-prohibited by R2, 7004 closed, 7005 dropped by R1
# before it routes (so not even hop 1 answers); 7006 is open.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root
command -v runuser > /dev/null || { echo "SKIP: runuser is not installed"; exit 77; }

. "$TOP/tests/lib/trace-path.sh"
trace_path "git$$"
servers "$S" tcp,7006,10.213.3.2 udp,7006,10.213.3.2

# portqry as nobody: no raw sockets, no capabilities.
BIN=$(mktemp -d /tmp/portquery-trace-bin.XXXXXX)
own_files+=("$BIN")
cp "$PORTQRY" "$BIN/portqry" && chmod 755 "$BIN" "$BIN/portqry"
check "portqry runs as nobody" runuser -u nobody -- "$BIN/portqry" --version
PORTQRY=$BIN/portqry PQ_AS="runuser -u nobody --"
pqn() { pq "$C" "$@"; }   # in the client namespace, as nobody

H1='10\.213\.1\.254' H2='10\.213\.2\.2'
for P in tcp udp; do
  PU=${P^^}
  # A closed port answers, so it is its own reference; the drop at the host.
  pqn -n 10.213.3.2 -nr -o 7004,7001 -p "$P" --trace
  expect_line "    Path trace: reaches the host \(3 hops\), which answers that nothing listens on this port"
  expect_line "    Path trace: reaches the host \(3 hops\); the host or a device right in front of it drops the packets"
  expect_line "      hop 1: $H1 \(time exceeded\)"
  expect_line "      hop 2: $H2 \(time exceeded\)"
  expect_line "      hop 3: no answer"
  expect_line "      Host distance: 3 hops"
  expect_err "tracing the path to 2 ports not listening"
  if [ "$P" = tcp ]; then expect_rc 1; fi

  # R1 drops it in its forward chain: hop 2 never sees it.
  pqn -n 10.213.3.2 -nr -e 7002 -p "$P" --trace --json
  expect_valid_json
  expect_json "r['trace']['hops'][0] == {'ttl': 1, 'address': '10.213.1.254', 'icmp': 'time exceeded', 'answer': None}"
  expect_json "r['trace']['hops'][1]['ttl'] == 2 and r['trace']['hops'][1]['address'] is None"
  expect_json "r['trace']['host_distance'] == 3"
  expect_json "r['trace']['verdict'] == 'blocked after hop 1 (10.213.1.254): hop 2 answers for other ports but never saw these packets'"
  expect_json "all(x['kind'] != 'trace' for x in r['details'])"

  # R2 rejects it: the verdict names R2.
  pqn -n 10.213.3.2 -nr -e 7003 -p "$P" --trace
  expect_state "$PU" 7003 FILTERED
  expect_line "    Path trace: refused at hop 2 \($H2\), which answers administratively prohibited"

  # R1 drops it before routing: not even hop 1 answers for this port.
  pqn -n 10.213.3.2 -nr -e 7005 -p "$P" --trace
  expect_line "    Path trace: not even the first hop answers for this port though it does for others: this computer's firewall or the first router drops it"
done

# An open port is not traced; the exit code is the ports'.
pqn -n 10.213.3.2 -nr -o 7006,7001 -p tcp --trace
expect_state TCP 7006 LISTENING
expect_rc 2
check "only the port not listening is traced" test "$(grep -c 'Path trace' <<< "$OUT")" -eq 1

# Many ports in a row: R1 is asked for "time exceeded" by every trace,
# past its burst of 6; the pacing keeps to its 1/s, so no trace loses hop
# 1 and no verdict is false.
pqn -n 10.213.3.2 -nr -o 7002,7003,7004,7005,7001,7010,7011,7012,7013,7014 -p udp --trace
check "ten traces in a row keep their verdicts" test \
  "$(grep -c 'blocked after hop 1\|refused at hop 2\|not even the first hop answers for this port\|in front of it drops' <<< "$OUT"),$(grep -c 'which answers that nothing listens' <<< "$OUT")" = "4,6"
check "hop 1 answered every trace but the one it drops" test \
  "$(grep -c "hop 1: $H1 (time exceeded)" <<< "$OUT")" -eq 9

# Ctrl+C during the traces (the ports are decided in under a second; the
# traces take 6 s) stops them within a wave; what was traced is printed.
PQ_AS="runuser -u nobody -- timeout --preserve-status -s INT 1.5" pq "$C" -n 10.213.3.2 -nr -o 7004,7002,7005 --trace
expect_rc 4
expect_err "Query cancelled"
expect_line "    Path trace: reaches the host \(3 hops\), which answers that nothing listens on this port"
no_line "TCP port 7005"
expect_time_below 3

# IPv6: hop limit and ICMPv6.
pqn -n fd00:213:3::2 -nr -o 7004,7002,7003 -p tcp --trace
expect_line "      hop 1: fd00:213:1::fe \(time exceeded\)"
expect_line "    Path trace: blocked after hop 1 \(fd00:213:1::fe\): hop 2 answers for other ports but never saw these packets"
expect_line "    Path trace: refused at hop 2 \(fd00:213:2::2\), which answers administratively prohibited"
pqn -n fd00:213:3::2 -nr -o 7001 -p udp --trace --json
expect_json "r['trace']['host_distance'] == 3 and r['trace']['verdict'].startswith('reaches the host (3 hops); the host')"

finish
