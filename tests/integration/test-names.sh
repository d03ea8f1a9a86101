#!/bin/bash
# test-names.sh: names and source ports. The client namespace gets a
# resolver (dnsmasq on 10.200.77.2, which knows srv.test.lan and answers
# NXDOMAIN for the rest of test.lan) through /etc/netns/NS/resolv.conf,
# which `ip netns exec` bind-mounts over /etc/resolv.conf.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
need_root

rig_up "gin$$"
SRV=10.200.77.2
mkdir -p "/etc/netns/$NS_CLI"
own_files+=("/etc/netns/$NS_CLI")
echo "nameserver $SRV" > "/etc/netns/$NS_CLI/resolv.conf"

# --- a name that resolves, and the reverse lookup -----------------------
pq "$NS_CLI" -n srv.test.lan -e 53 -p tcp
expect_line " srv.test.lan"
expect_line "Attempting to resolve name to IP address\.\.\."
expect_line "Name resolved to $SRV"
expect_state TCP 53 LISTENING; expect_rc 0
pq "$NS_CLI" -n srv.test.lan -e 53 --json
expect_json 'd["target"]["input"] == "srv.test.lan" and d["target"]["addresses"] == ["10.200.77.2"] and r["address"] == "10.200.77.2"'

pq "$NS_CLI" -n $SRV -e 53 -p tcp
expect_line "Attempting to resolve IP address to a name\.\.\."
expect_line "IP address resolved to srv\.test\.lan"
expect_rc 0
pq "$NS_CLI" -n $SRV -e 53 --json
expect_json 'd["target"]["queried"] == [{"address": "10.200.77.2", "reverse_name": "srv.test.lan"}] and d["target"]["reverse_lookup"] is True'

# -nr: no reverse lookup at all. (Port 80: the DNS probe on 53 would
# print the PTR record it asked for.)
pq "$NS_CLI" -n $SRV -e 80 -p tcp -nr
no_line "resolve IP address"
no_line "srv\.test\.lan"
expect_state TCP 80 "NOT LISTENING"; expect_rc 1
pq "$NS_CLI" -n $SRV -e 53 -nr --json
expect_json 'd["target"]["reverse_lookup"] is False and d["target"]["queried"][0]["reverse_name"] is None'

# An address without a PTR record.
pq "$NS_CLI" -n 10.200.77.1 -e 9 -p tcp
expect_line "Failed to resolve IP address to name"

# --- a name that does not resolve: a clear message, exit 4, at once -----
pq "$NS_CLI" -n nosuch.test.lan -e 53
expect_rc 4
expect_err "^portqry: Failed to resolve name to IP address: .*nosuch\.test\.lan"
no_line "port 53"
expect_time_below 5
pq "$NS_CLI" -n nosuch.test.lan -e 53 -q
expect_rc 4
check "$LAST: -q still prints the error" test -n "$ERR"
pq "$NS_CLI" -n nosuch.test.lan -e 53 --json
expect_rc 4

# --- -sp: a source port in use is refused before any probe --------------
servers "$NS_CLI" tcp,40000,0.0.0.0 udp,40001,0.0.0.0
pq "$NS_CLI" -n $SRV -e 53 -p tcp -sp 40000
expect_rc 4
expect_err "source port 40000 cannot be used because it is in use on this computer \(TCP\)\. Choose another port with -sp"
no_line "port 53"
pq "$NS_CLI" -n $SRV -e 53 -p udp -sp 40001
expect_rc 4
expect_err "source port 40001 .*in use on this computer \(UDP\)"
pq "$NS_CLI" -n $SRV -e 53 -p both -sp 40001
expect_rc 4
# The TCP port 40000 is free for UDP, and the other way round.
pq "$NS_CLI" -n $SRV -e 80 -p udp -sp 40000 -nr --json
expect_rc 1
expect_json 'r["local_address"] == "10.200.77.1:40000" and d["settings"]["source_port"] == 40000'
# A free source port serves several probes, TCP and UDP alike.
pq "$NS_CLI" -n $SRV -o 53,80,81 -p both -sp 41000 -nr --json --udp-wait 300
expect_rc 1
expect_json 'all(x["local_address"] == "10.200.77.1:41000" for x in res) and len(res) == 6'
expect_json '[(x["port"], x["protocol"], x["state"]) for x in res if x["port"] != 53] == [(80, "tcp", "NOT LISTENING"), (80, "udp", "NOT LISTENING"), (81, "tcp", "NOT LISTENING"), (81, "udp", "NOT LISTENING")]'
expect_json 'res[0]["state"] == "LISTENING"'

finish
