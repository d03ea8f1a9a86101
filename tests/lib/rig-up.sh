#!/bin/bash
# rig-up.sh RIGDIR - bring up the integration-test rig (root, Debian 12).
# Adapted from ../shared/docs/testbed.md section 6. RIG_PREFIX (default "pq")
# names the namespaces and veths, so rigs of concurrent runs never collide;
# RIG_SKIP (words: samba dnsmasq slapd snmpd dc) leaves servers out;
# RIG_DNS=1 makes $NS_CLI resolve through dnsmasq (test.lan, its SRV records).
# Writes RIGDIR/env with NS_CLI, NS_SRV, NS_DC for the tests to source.
#   $NS_CLI  10.200.77.1 (veth $P-c)  <->  $NS_SRV 10.200.77.2 (veth $P-s)   + fd00:200:77::1 <-> ::2
#          10.200.78.1 (veth $P-c2) <->  $NS_DC  10.200.78.2 (veth $P-d)
# $NS_SRV: nmbd 137-138/udp, smbd 139+445, samba-dcerpcd 135 (+49152..), dnsmasq 53/udp+tcp,
#        slapd 389/tcp, snmpd 161/udp, nft: 8081 DROP, 8082 REJECT admin-prohibited
# $NS_DC : Samba AD DC (rpc nbt cldap ldap kdc): 135, 137-138/udp, 389/tcp+udp, 636, 3268-3269,
#        88/tcp+udp and 464/tcp+udp (Kerberos, realm TEST.LAN)
set -euo pipefail
RIG=$(realpath -m "${1:?usage: rig-up.sh RIGDIR (scratch dir for configs, logs, pids)}")
mkdir -p "$RIG"; cd "$RIG"; : > pids
P=${RIG_PREFIX:-pq}
NS_CLI=${P}cli NS_SRV=${P}srv NS_DC=${P}dc
printf 'NS_CLI=%s\nNS_SRV=%s\nNS_DC=%s\nRIG_PREFIX=%s\n' "$NS_CLI" "$NS_SRV" "$NS_DC" "$P" > env
skip() { case " ${RIG_SKIP:-} " in *" $1 "*) return 0;; esac; return 1; }
now() { date +%s.%N; }
T_ALL=$(now)
lap() { awk -v a="$(now)" -v b="$2" -v n="$1" 'BEGIN{printf "%-28s %6.3f s\n", n, a-b}'; }
# wait_port NS tcp|udp IP:PORT [timeout_s]
wait_port() {
  local ns=$1 proto=$2 addr=$3 t=${4:-20} i
  for ((i = 0; i < t * 50; i++)); do
    if [ "$proto" = tcp ]; then ip netns exec "$ns" ss -Htln | grep -q " $addr " && return 0
    else ip netns exec "$ns" ss -Huln | grep -q " $addr " && return 0; fi
    sleep 0.02
  done
  echo "timeout waiting for $ns $proto $addr" >&2; return 1
}
start() { # start NAME NS cmd... (foreground daemon, output to NAME.out)
  # setsid: own session + process group, so a daemon that signals its whole process group on
  # shutdown (smbd -F --no-process-group does kill(0, SIGTERM)) cannot kill the caller/test runner.
  # In a non-interactive script the background child is not a group leader, so setsid does not
  # fork and $! is the daemon's PID (ip netns exec execs the daemon in place).
  local name=$1 ns=$2; shift 2
  setsid ip netns exec "$ns" "$@" > "$name.out" 2>&1 < /dev/null &
  echo "$name $!" >> pids
}

# ---------- network ----------
t=$(now)
ip netns add $NS_CLI; ip netns add $NS_SRV; ip netns add $NS_DC
ip link add "$P-c" type veth peer name "$P-s"
ip link add "$P-c2" type veth peer name "$P-d"
ip link set "$P-c" netns $NS_CLI; ip link set "$P-c2" netns $NS_CLI
ip link set "$P-s" netns $NS_SRV; ip link set "$P-d" netns $NS_DC
ip -n $NS_CLI addr add 10.200.77.1/24 dev "$P-c"
ip -n $NS_CLI addr add 10.200.78.1/24 dev "$P-c2"
ip -n $NS_SRV addr add 10.200.77.2/24 dev "$P-s"
ip -n $NS_DC  addr add 10.200.78.2/24 dev "$P-d"
# IPv6 ULA on the first link (nodad: usable at once, no 2 s duplicate-address detection)
ip -n $NS_CLI addr add fd00:200:77::1/64 dev "$P-c" nodad
ip -n $NS_SRV addr add fd00:200:77::2/64 dev "$P-s" nodad
for ns in $NS_CLI $NS_SRV $NS_DC; do ip -n $ns link set lo up; done
ip -n $NS_CLI link set "$P-c" up; ip -n $NS_CLI link set "$P-c2" up
ip -n $NS_SRV link set "$P-s" up; ip -n $NS_DC link set "$P-d" up
# no ICMP rate limiting inside the server namespaces (per-netns sysctls)
for ns in $NS_SRV $NS_DC; do ip netns exec $ns sysctl -q -w net.ipv4.icmp_ratemask=0 net.ipv6.icmp.ratemask=; done
ip netns exec $NS_SRV nft -f - <<'EOF'
table inet rigfw {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport 8081 drop
    udp dport 8081 drop
    tcp dport 8082 reject with icmp type admin-prohibited
    udp dport 8082 reject with icmp type admin-prohibited
  }
}
EOF
lap "netns+veth+nft" $t

# ---------- samba (nmbd + smbd + samba-dcerpcd) in $NS_SRV ----------
if ! skip samba; then
mkdir -p smb/{lock,state,cache,private,run,log,share}
cat > smb/smb.conf <<EOF
[global]
  netbios name = TESTSRV
  workgroup = TESTGRP
  server role = standalone server
  interfaces = 10.200.77.2/24
  bind interfaces only = yes
  lock directory = $RIG/smb/lock
  state directory = $RIG/smb/state
  cache directory = $RIG/smb/cache
  private dir = $RIG/smb/private
  pid directory = $RIG/smb/run
  ncalrpc dir = $RIG/smb/run/ncalrpc
  log file = $RIG/smb/log/log.%m
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
  map to guest = bad user
  rpc start on demand helpers = no
[share]
  path = $RIG/smb/share
  guest ok = yes
EOF
t=$(now); start nmbd $NS_SRV nmbd -F --no-process-group --debug-stdout -s "$RIG/smb/smb.conf"
wait_port $NS_SRV udp 10.200.77.2:137; lap "nmbd (137/udp)" $t
t=$(now); start samba-dcerpcd $NS_SRV /usr/libexec/samba/samba-dcerpcd -F --no-process-group --debug-stdout --libexec-rpcds -s "$RIG/smb/smb.conf"
wait_port $NS_SRV tcp 10.200.77.2:135; lap "samba-dcerpcd (135/tcp)" $t
t=$(now); start smbd $NS_SRV smbd -F --no-process-group --debug-stdout -s "$RIG/smb/smb.conf"
wait_port $NS_SRV tcp 10.200.77.2:445; lap "smbd (445/tcp)" $t

fi

# ---------- dnsmasq in $NS_SRV ----------
if ! skip dnsmasq; then
cat > dnsmasq.conf <<'EOF'
no-resolv
no-hosts
bind-interfaces
listen-address=10.200.77.2
user=nobody
group=nogroup
host-record=srv.test.lan,10.200.77.2
srv-host=_ldap._tcp.test.lan,srv.test.lan,389
# The domain's controllers (portqry --domain test.lan): the AD DC and the LDAP server.
host-record=dc1.test.lan,10.200.78.2
srv-host=_ldap._tcp.dc._msdcs.test.lan,dc1.test.lan,389,0,100
srv-host=_ldap._tcp.dc._msdcs.test.lan,srv.test.lan,389,10,50
local=/test.lan/
EOF
t=$(now); start dnsmasq $NS_SRV dnsmasq --keep-in-foreground --log-facility=- --conf-file="$RIG/dnsmasq.conf" --pid-file="$RIG/dnsmasq.pid"
wait_port $NS_SRV tcp 10.200.77.2:53; wait_port $NS_SRV udp 10.200.77.2:53; lap "dnsmasq (53/udp+tcp)" $t
if [ -n "${RIG_DNS:-}" ]; then   # rig-down.sh removes it with the namespace
  mkdir -p "/etc/netns/$NS_CLI"; echo "nameserver 10.200.77.2" > "/etc/netns/$NS_CLI/resolv.conf"
fi

fi

# ---------- slapd in $NS_SRV ----------
if ! skip slapd; then
mkdir -p ldap/db
cat > ldap/slapd.conf <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $RIG/ldap/slapd.pid
argsfile $RIG/ldap/slapd.args
database mdb
maxsize 10485760
suffix "dc=test,dc=lan"
rootdn "cn=admin,dc=test,dc=lan"
rootpw secret
directory $RIG/ldap/db
EOF
t=$(now); start slapd $NS_SRV slapd -d 0 -h "ldap://10.200.77.2:389/" -f "$RIG/ldap/slapd.conf"
wait_port $NS_SRV tcp 10.200.77.2:389; lap "slapd (389/tcp)" $t

fi

# ---------- snmpd in $NS_SRV ----------
if ! skip snmpd; then
mkdir -p snmp
cat > snmp/snmpd.conf <<'EOF'
agentAddress udp:10.200.77.2:161
rocommunity public 10.200.77.0/24
sysDescr PortQry test rig SNMP agent
sysName testsrv
EOF
t=$(now); MIBS= SNMP_PERSISTENT_DIR="$RIG/snmp" start snmpd $NS_SRV snmpd -f -Lo -C -c "$RIG/snmp/snmpd.conf" -p "$RIG/snmp/snmpd.pid"
wait_port $NS_SRV udp 10.200.77.2:161; lap "snmpd (161/udp)" $t

fi

# ---------- Samba AD DC in $NS_DC ----------
if ! skip dc; then
if [ ! -f dc/private/sam.ldb ]; then
  t=$(now)
  samba-tool domain provision --use-rfc2307 --realm=TEST.LAN --domain=TEST --server-role=dc \
    --dns-backend=NONE --adminpass='Passw0rd!Test' --host-name=dc1 --host-ip=10.200.78.2 \
    --option="netbios name=DC1" --option="interfaces=10.200.78.2/24" --option="bind interfaces only=yes" \
    --targetdir="$RIG/dc" > dc-provision.log 2>&1
  mkdir -p dc/run dc/log dc/cache
  sed -i "s|^\tlog file = .*|\tlog file = $RIG/dc/log/log.%m\n\tpid directory = $RIG/dc/run\n\tncalrpc dir = $RIG/dc/run/ncalrpc\n\twinbindd socket directory = $RIG/dc/run/winbindd\n\tload printers = no\n\tprinting = bsd\n\tprintcap name = /dev/null\n\tdisable spoolss = yes|" dc/etc/smb.conf
  sed -i '/^\[printers\]/,/^$/d; /^\[print\$\]/,/^$/d' dc/etc/smb.conf
  lap "samba-tool provision" $t
fi
t=$(now); start samba-dc $NS_DC samba -F --no-process-group --debug-stdout -d1 -M single \
  --option="server services=${DC_SERVICES:-rpc nbt cldap ldap kdc}" -s "$RIG/dc/etc/smb.conf"
wait_port $NS_DC tcp 10.200.78.2:135 60; wait_port $NS_DC udp 10.200.78.2:389 60; wait_port $NS_DC tcp 10.200.78.2:389 60
case " ${DC_SERVICES:-kdc} " in *" kdc "*) wait_port $NS_DC tcp 10.200.78.2:88 60; wait_port $NS_DC udp 10.200.78.2:88 60;; esac
lap "samba AD DC (135,389,88)" $t
fi

lap "TOTAL rig up" $T_ALL
