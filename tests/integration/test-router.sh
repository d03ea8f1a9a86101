#!/bin/bash
# test-router.sh: a port unreachable that does not come from the target.
#   client 10.207.1.1 -- 10.207.1.254 router 10.207.2.254 -- 10.207.2.2 server
# The router rejects port 7777 in its forward chain with an ICMP port
# unreachable from its own address: nmap's rules make that FILTERED (a
# router or firewall answered), while the same message from the server
# itself (port 7778) means NOT LISTENING.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

C=gir$$c R=gir$$r S=gir$$s
add_ns "$C" "$R" "$S"
link "$C" "gir$$-c" 10.207.1.1/24 "$R" "gir$$-rc" 10.207.1.254/24
link "$S" "gir$$-s" 10.207.2.2/24 "$R" "gir$$-rs" 10.207.2.254/24
ip -n "$C" addr add fd00:207:1::1/64 dev "gir$$-c" nodad
ip -n "$R" addr add fd00:207:1::fe/64 dev "gir$$-rc" nodad
ip -n "$R" addr add fd00:207:2::fe/64 dev "gir$$-rs" nodad
ip -n "$S" addr add fd00:207:2::2/64 dev "gir$$-s" nodad
ip -n "$C" route add default via 10.207.1.254
ip -n "$S" route add default via 10.207.2.254
ip -n "$C" -6 route add default via fd00:207:1::fe
ip -n "$S" -6 route add default via fd00:207:2::fe
ip netns exec "$R" sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
for ns in "$R" "$S"; do
  ip netns exec "$ns" sysctl -q -w net.ipv4.icmp_ratemask=0 net.ipv6.icmp.ratemask=
done
ip netns exec "$R" nft -f - <<'EOF'
table inet girfw {
  chain forward {
    type filter hook forward priority 0; policy accept;
    meta nfproto ipv4 udp dport 7777 reject with icmp type port-unreachable
    meta nfproto ipv4 tcp dport 7777 reject with icmp type port-unreachable
    meta nfproto ipv6 udp dport 7777 reject with icmpv6 type port-unreachable
  }
}
EOF
servers "$S" udp,9999,10.207.2.2

# The path works: the server's own answers come through the router.
pq "$C" -n 10.207.2.2 -nr -e 9999 -p udp
expect_state UDP 9999 LISTENING; expect_rc 0

# UDP: port unreachable from the router: FILTERED, and the evidence says who.
pq "$C" -n 10.207.2.2 -nr -e 7777 -p udp -v
expect_state UDP 7777 FILTERED; expect_rc 2
expect_line "    ICMP port unreachable \(type 3 code 3\) from 10\.207\.1\.254, not from the target 10\.207\.2\.2: a router or firewall on the way answered for it, after [0-9.]+ ms\."
pq "$C" -n 10.207.2.2 -nr -e 7777 -p udp --json
expect_valid_json
expect_json 'r["state"] == "FILTERED" and r["reason"] == "port-unreach-from-other-host" and r["reply_from"] == "10.207.1.254" and r["icmp_type"] == 3 and r["icmp_code"] == 3'
expect_json 'd["exit_code"] == 2'

# The same message from the target itself: NOT LISTENING.
pq "$C" -n 10.207.2.2 -nr -e 7778 -p udp -v
expect_state UDP 7778 "NOT LISTENING"; expect_rc 1
expect_line "    ICMP port unreachable \(type 3 code 3\) from the target 10\.207\.2\.2 after [0-9.]+ ms\."

# TCP: the router's port unreachable is not the server's reset.
pq "$C" -n 10.207.2.2 -nr -e 7777 -p tcp --json
expect_rc 2
expect_json 'r["state"] == "FILTERED" and r["reply_from"] == "10.207.1.254"'
pq "$C" -n 10.207.2.2 -nr -e 7778 -p tcp
expect_state TCP 7778 "NOT LISTENING"; expect_rc 1

# IPv6: ICMPv6 port unreachable (type 1 code 4) from the router.
pq "$C" -n fd00:207:2::2 -nr -e 7777 -p udp -v
expect_state UDP 7777 FILTERED; expect_rc 2
expect_line "    ICMPv6 port unreachable \(type 1 code 4\) from fd00:207:1::fe, not from the target fd00:207:2::2: .*"
pq "$C" -n fd00:207:2::2 -nr -e 7778 -p udp
expect_state UDP 7778 "NOT LISTENING"; expect_rc 1

# Several ports through the router: the combined exit code.
pq "$C" -n 10.207.2.2 -nr -o 9999,7777 -p udp
expect_rc 2
pq "$C" -n 10.207.2.2 -nr -o 9999,7777,7778 -p udp
expect_rc 1

finish
