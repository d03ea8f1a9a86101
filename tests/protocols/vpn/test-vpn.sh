#!/bin/bash
# test-vpn.sh PORTQRY: portqry's TFTP, L2TP and IKE (500 and 4500) queries against real
# servers from Debian in a server network namespace (tftpd-hpa, xl2tpd,
# strongSwan's charon), from a client namespace: each makes its port
# LISTENING with what the server said; xl2tpd sees the tunnel closed
# again; a stopped server is NOT LISTENING; IKE goes from port 500 when
# it may (root) and says so when it may not (nobody).
set -uo pipefail
PORTQRY=${1:?usage: test-vpn.sh PORTQRY}
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create network namespaces"
  exit 77
fi
for tool in /usr/sbin/in.tftpd /usr/sbin/xl2tpd /usr/lib/ipsec/charon; do
  [ -x "$tool" ] || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done

id=$$
C=pqv$id-c; S=pqv$id-s
RIG=$(mktemp -d /tmp/pq-vpn.XXXXXX)
chmod 755 "$RIG"
SRV=10.207.0.2
pids=()
failures=0; checks=0
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for i in $(seq 1 50); do [ -z "$(ip netns pids "$S" 2>/dev/null)" ] && break; sleep 0.05; done
  for p in $(ip netns pids "$S" 2>/dev/null) $(ip netns pids "$C" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  ip netns del "$C" 2>/dev/null; ip netns del "$S" 2>/dev/null
  rm -rf "$RIG"
}
trap cleanup EXIT

ok() { checks=$((checks + 1)); echo "ok $checks - $1"; }
bad() { checks=$((checks + 1)); failures=$((failures + 1)); echo "not ok $checks - $1"; }
check() { # check DESCRIPTION TEXT-EXPECTED TEXT
  if grep -qF -- "$2" <<<"$3"; then ok "$1"
  else bad "$1: expected '$2' in:"; sed 's/^/    /' <<<"$3" | head -40; fi
}

ip netns add "$C"; ip netns add "$S"
ip link add "pqv$id-a" type veth peer name "pqv$id-b"
ip link set "pqv$id-a" netns "$C"; ip link set "pqv$id-b" netns "$S"
ip -n "$C" addr add 10.207.0.1/24 dev "pqv$id-a"
ip -n "$S" addr add $SRV/24 dev "pqv$id-b"
for ns in "$C" "$S"; do ip -n "$ns" link set lo up; done
ip -n "$C" link set "pqv$id-a" up; ip -n "$S" link set "pqv$id-b" up

start() { # start NAME CMD...: a daemon in the server namespace, its own session
  local name=$1; shift
  setsid ip netns exec "$S" "$@" > "$RIG/$name.out" 2>&1 < /dev/null &
  pids+=($!)
  echo $! > "$RIG/$name.pid"
}
wait_udp() {
  for i in $(seq 1 100); do
    ip netns exec "$S" ss -Hulnp | grep -q ":$1 " && return 0
    sleep 0.05
  done
  echo "not ok - nothing listens on UDP $1:"; cat "$RIG"/*.out; exit 1
}

mkdir -p "$RIG/tftp"
start tftpd /usr/sbin/in.tftpd -L -v -s "$RIG/tftp" --address $SRV:69
cat > "$RIG/xl2tpd.conf" <<CONF
[global]
listen-addr = $SRV
port = 1701
[lns default]
ip range = 192.168.250.10-192.168.250.20
local ip = 192.168.250.1
require authentication = no
CONF
start xl2tpd /usr/sbin/xl2tpd -D -c "$RIG/xl2tpd.conf" -p "$RIG/xl2tpd.pidfile" -C "$RIG/l2tp-control"
# charon keeps its pid file and control socket under /run: a tmpfs of its
# own there, in the namespace's own mount table.
start charon sh -c 'mount -t tmpfs none /run && exec /usr/lib/ipsec/charon'
for port in 69 1701 500 4500; do wait_udp $port; done

q() { ip netns exec "$C" "$PORTQRY" "$@" 2>&1; }

out=$(q -n $SRV -p udp -o 69,1701,500,4500 -nr -v); rc=$?
[ $rc -eq 0 ] && ok "all four LISTENING: exit 0" || bad "exit $rc, not 0"
check "TFTP: LISTENING" "UDP port 69 (tftp service): LISTENING" "$out"
check "TFTP: PortQry's line" "    Sending TFTP query to UDP port 69..." "$out"
check "TFTP: the server's error for a file that does not exist" "Error: 1 (File not found): File not found" "$out"
check "L2TP: LISTENING" "UDP port 1701 (l2f service): LISTENING" "$out"
check "L2TP: PortQry's line" "    Sending L2TP query to UDP port 1701..." "$out"
check "L2TP: xl2tpd accepts the tunnel" "Answer: SCCRP: the server would accept a tunnel" "$out"
check "L2TP: xl2tpd's vendor" "Vendor: xelerance.com" "$out"
sleep 0.3
check "L2TP: the tunnel was closed again (xl2tpd's log)" "control_finish: Connection closed to 10.207.0.1" "$(cat "$RIG/xl2tpd.out")"
check "IKE: LISTENING" "UDP port 500 (isakmp service): LISTENING" "$out"
check "IKE: PortQry's line" "    Sending ISAKMP query to UDP port 500..." "$out"
check "IKE: charon's answer to IKE_SA_INIT" "Notify: NO_PROPOSAL_CHOSEN (14)" "$out"
check "IKE: in the evidence" "IKEv2 responder answered (IKE_SA_INIT): NO_PROPOSAL_CHOSEN (14)." "$out"
# NAT traversal: the same query behind the non-ESP marker, charon's
# answer behind it too.
check "IKE on 4500: LISTENING" "UDP port 4500 (ipsec-nat-t service): LISTENING" "$out"
check "IKE on 4500: PortQry's line" "    Sending ISAKMP query to UDP port 4500..." "$out"
natt=$(sed -n '/UDP port 4500/,$p' <<<"$out")
check "IKE on 4500: charon's answer to IKE_SA_INIT" "Notify: NO_PROPOSAL_CHOSEN (14)" "$natt"

# (tftpd-hpa answers from a port of its own, RFC 1350's transfer id: the
# reply above came from another port of the target than 69.)

# A stopped server: the kernel's port unreachable.
kill "$(cat "$RIG/tftpd.pid")"
for i in $(seq 1 50); do ip netns exec "$S" ss -Hulnp | grep -q ":69 " || break; sleep 0.05; done
out=$(q -n $SRV -p udp -e 69 -nr -v)
check "TFTP stopped: NOT LISTENING" "UDP port 69 (tftp service): NOT LISTENING" "$out"
check "TFTP stopped: the ICMP says so" "ICMP port unreachable (type 3 code 3) from the target" "$out"

# Source port 500: a silent recorder in place of an IKE peer (isakmp
# named on port 5500 by a services file) notes where each query came from.
echo "isakmp 5500/udp" > "$RIG/services"
setsid ip netns exec "$S" python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('$SRV', 5500))
print('ready', flush=True)
while True:
    _, (_, port) = s.recvfrom(4096); print(port, flush=True)
" > "$RIG/recorder.out" 2>&1 < /dev/null &
pids+=($!)
for i in $(seq 1 100); do grep -q ready "$RIG/recorder.out" && break; sleep 0.05; done
out=$(q -n $SRV -p udp -e 5500 -nr -v --services "$RIG/services" --udp-wait 300)
sources=$(grep -v ready "$RIG/recorder.out" | sort -u | tr '\n' ' ')
seen=$(wc -l < "$RIG/recorder.out")
[ "$sources" = "500 " ] && ok "IKE as root goes from port 500" || bad "IKE as root went from '$sources'"
check "IKE as root: a silent peer is FILTERED" "UDP port 5500 (isakmp service): FILTERED" "$out"
if grep -q "not 500" <<<"$out"; then bad "no note about port 500 as root"; sed 's/^/    /' <<<"$out"; else ok "no note about port 500 as root"; fi
out=$(ip netns exec "$C" setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$PORTQRY" -n $SRV -p udp -e 5500 -nr -v --services "$RIG/services" --udp-wait 300 2>&1)
sources=$(tail -n +$((seen + 1)) "$RIG/recorder.out" | sort -u | tr '\n' ' ')
[ -n "$sources" ] && ! grep -qw 500 <<<"$sources" && ok "IKE as nobody goes from another port ($sources)" \
  || bad "IKE as nobody went from '$sources'"
check "IKE as nobody: the evidence says some peers answer only to 500" \
  "not 500: some peers answer only queries from port 500, which needs root here" "$out"

echo "$checks checks, $failures failed"
[ "$failures" -eq 0 ]
