# shellcheck shell=bash
# trace-path.sh: a routed path of namespaces for the path trace's tests
# (sourced after tests/integration/lib.sh, whose add_ns and link own the
# namespaces and cleanup deletes them):
#   client 10.213.1.1 -- .1.254 R1 .2.1 -- .2.2 R2 .3.254 -- 10.213.3.2 host
# (and fd00:213:N::, the same shape), with Linux's default ICMP limits.
# Port 7001 is dropped at the host's input, 7002 in R1's forward chain,
# 7003 rejected admin-prohibited by R2, 7005 dropped by R1 before it
# routes (so not even hop 1 answers); every other port is closed unless
# the caller starts a server on the host.

# trace_path ID: builds the path, its namespaces named ID + c, a, b, s
# (ID of at most 10 characters: the veths are ID-c, ID-ac, ...); sets
# C, R1, R2 and S to the client's, the routers' and the host's.
trace_path() {
  local id=$1 ns
  C=${id}c R1=${id}a R2=${id}b S=${id}s
  add_ns "$C" "$R1" "$R2" "$S"
  link "$C" "$id-c" 10.213.1.1/24 "$R1" "$id-ac" 10.213.1.254/24
  link "$R1" "$id-ab" 10.213.2.1/24 "$R2" "$id-ba" 10.213.2.2/24
  link "$S" "$id-s" 10.213.3.2/24 "$R2" "$id-bs" 10.213.3.254/24
  ip -n "$C" addr add fd00:213:1::1/64 dev "$id-c" nodad
  ip -n "$R1" addr add fd00:213:1::fe/64 dev "$id-ac" nodad
  ip -n "$R1" addr add fd00:213:2::1/64 dev "$id-ab" nodad
  ip -n "$R2" addr add fd00:213:2::2/64 dev "$id-ba" nodad
  ip -n "$R2" addr add fd00:213:3::fe/64 dev "$id-bs" nodad
  ip -n "$S" addr add fd00:213:3::2/64 dev "$id-s" nodad
  ip -n "$C" route add default via 10.213.1.254
  ip -n "$C" -6 route add default via fd00:213:1::fe
  ip -n "$R1" route add 10.213.3.0/24 via 10.213.2.2
  ip -n "$R1" -6 route add fd00:213:3::/64 via fd00:213:2::2
  ip -n "$R2" route add default via 10.213.2.1
  ip -n "$R2" -6 route add default via fd00:213:2::1
  ip -n "$S" route add default via 10.213.3.254
  ip -n "$S" -6 route add default via fd00:213:3::fe
  for ns in "$R1" "$R2"; do
    ip netns exec "$ns" sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  done
  ip netns exec "$S" nft -f - <<'NFT'
table inet gitfw {
  chain input {
    type filter hook input priority 0; policy accept;
    meta l4proto { tcp, udp } th dport 7001 drop
  }
}
NFT
  ip netns exec "$R1" nft -f - <<'NFT'
table inet gitfw {
  chain forward {
    type filter hook forward priority 0; policy accept;
    meta l4proto { tcp, udp } th dport 7002 drop
  }
  chain pre {
    type filter hook prerouting priority 0; policy accept;
    meta l4proto { tcp, udp } th dport 7005 drop
  }
}
NFT
  ip netns exec "$R2" nft -f - <<'NFT'
table inet gitfw {
  chain forward {
    type filter hook forward priority 0; policy accept;
    meta nfproto ipv4 meta l4proto { tcp, udp } th dport 7003 reject with icmp type admin-prohibited
    meta nfproto ipv6 meta l4proto { tcp, udp } th dport 7003 reject with icmpv6 type admin-prohibited
  }
}
NFT
}
