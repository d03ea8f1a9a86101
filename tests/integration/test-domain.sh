#!/bin/bash
# test-domain.sh: portqry --domain finds a domain's controllers through DNS
# SRV records and queries each. The rig's dnsmasq (10.200.77.2) serves
# _ldap._tcp.dc._msdcs.test.lan: dc1.test.lan (10.200.78.2, priority 0,
# weight 100) and srv.test.lan (10.200.77.2, priority 10, weight 50); the
# client namespace resolves through it. Only dnsmasq runs: TCP 53 listens
# on srv.test.lan, nothing on dc1.test.lan.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

rig_up "gid$$"
SRV=10.200.77.2
mkdir -p "/etc/netns/$NS_CLI"
own_files+=("/etc/netns/$NS_CLI")
echo "nameserver $SRV" > "/etc/netns/$NS_CLI/resolv.conf"

pq "$NS_CLI" --domain test.lan -e 53 -p tcp
expect_line "Domain controllers of test\.lan \(DNS SRV records _ldap\._tcp\.dc\._msdcs\.test\.lan\):"
expect_line " dc1\.test\.lan \(priority 0, weight 100, port 389\)"
expect_line " srv\.test\.lan \(priority 10, weight 50, port 389\)"
check "the controllers are listed in the order a client tries them" bash -c \
  "grep -n 'priority' <<< \"\$1\" | head -1 | grep -q dc1" _ "$OUT"
expect_line "Name resolved to 10\.200\.78\.2"
expect_line "Name resolved to $SRV"
expect_line " dc1\.test\.lan \(10\.200\.78\.2\): 1 not listening"
expect_line " srv\.test\.lan \($SRV\): 1 listening"
expect_rc 1

# The controllers are the hosts of the report.
pq "$NS_CLI" --domain test.lan. -e 53 -p tcp --json
expect_valid_json
expect_json "[t['input'] for t in d['targets']] == ['dc1.test.lan', 'srv.test.lan']"
expect_json "[(x['address'], x['state']) for x in res] == [('10.200.78.2', 'NOT LISTENING'), ('$SRV', 'LISTENING')]"

# -n and --domain together: the -n hosts first.
pq "$NS_CLI" -n $SRV --domain test.lan -e 53 -p tcp -nr
expect_line "3 hosts queried: 2 listening, 1 not listening"

# A domain without such records says so plainly, and nothing is queried.
pq "$NS_CLI" --domain nodc.test.lan -e 53
expect_rc 4
expect_err "The domain nodc\.test\.lan has no domain controllers in DNS: there is no SRV record _ldap\._tcp\.dc\._msdcs\.nodc\.test\.lan\."
no_line "Querying target system"
pq "$NS_CLI" --domain "not a domain" -e 53
expect_rc 3
expect_err "is not a domain name"

finish
