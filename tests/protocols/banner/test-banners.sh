#!/bin/bash
# test-banners.sh PORTQRY: greetings of real FTP, SMTP, POP3, IMAP and HTTP
# servers from Debian, each in a server network namespace, read by portqry
# from a client namespace; and the FTP anonymous-login verdict both ways.
set -uo pipefail
PORTQRY=${1:?usage: test-banners.sh PORTQRY}
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create network namespaces"
  exit 77
fi
for tool in vsftpd smtpd dovecot lighttpd; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done

id=$$
C=pqn$id-c; S=pqn$id-s
RIG=$(mktemp -d /tmp/pq-banner.XXXXXX)
SRV=10.206.0.2
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for i in $(seq 1 50); do [ -z "$(ip netns pids "$S" 2>/dev/null)" ] && break; sleep 0.05; done
  for p in $(ip netns pids "$S" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  ip netns del "$C" 2>/dev/null; ip netns del "$S" 2>/dev/null
  rm -rf "$RIG"
}
trap cleanup EXIT

ip netns add "$C"; ip netns add "$S"
ip link add "pqn$id-a" type veth peer name "pqn$id-b"
ip link set "pqn$id-a" netns "$C"; ip link set "pqn$id-b" netns "$S"
ip -n "$C" addr add 10.206.0.1/24 dev "pqn$id-a"
ip -n "$S" addr add $SRV/24 dev "pqn$id-b"
for ns in "$C" "$S"; do ip -n "$ns" link set lo up; done
ip -n "$C" link set "pqn$id-a" up; ip -n "$S" link set "pqn$id-b" up

start() { # start NAME CMD...: a daemon in the server namespace, its own session
  local name=$1; shift
  setsid ip netns exec "$S" "$@" > "$RIG/$name.out" 2>&1 < /dev/null &
  pids+=($!)
}
wait_port() {
  for i in $(seq 1 100); do
    ip netns exec "$S" ss -Htln | grep -q " $SRV:$1 " && return 0
    sleep 0.05
  done
  echo "FAIL: nothing listens on $1 (see $RIG)"; cat "$RIG"/*.out; exit 1
}

# vsftpd on 21, anonymous allowed; a second one on 2121 that refuses it.
mkdir -p "$RIG/ftp/empty" "$RIG/ftp/anon"
write_vsftpd() { # PORT ANON
  local local_enable=NO
  [ "$2" = NO ] && local_enable=YES   # vsftpd will not start with both off
  cat > "$RIG/vsftpd-$1.conf" <<CONF
listen=YES
listen_ipv6=NO
listen_address=$SRV
listen_port=$1
background=NO
anonymous_enable=$2
local_enable=$local_enable
anon_root=$RIG/ftp/anon
secure_chroot_dir=$RIG/ftp/empty
ftpd_banner=PortQuery test FTP
xferlog_enable=NO
seccomp_sandbox=NO
run_as_launching_user=YES
CONF
}
write_vsftpd 21 YES; write_vsftpd 2121 NO
start vsftpd /usr/sbin/vsftpd "$RIG/vsftpd-21.conf"
start vsftpd2 /usr/sbin/vsftpd "$RIG/vsftpd-2121.conf"

# OpenSMTPD on 25
cat > "$RIG/smtpd.conf" <<CONF
listen on $SRV port 25 hostname mail.test.lan
action "local" mbox
match from any for local action "local"
CONF
chmod 600 "$RIG/smtpd.conf"
mkdir -p "$RIG/spool"
start smtpd /usr/sbin/smtpd -d -f "$RIG/smtpd.conf"

# Dovecot on 110 and 143
mkdir -p "$RIG/dovecot/base"
cat > "$RIG/dovecot.conf" <<CONF
protocols = pop3 imap
listen = $SRV
base_dir = $RIG/dovecot/base
state_dir = $RIG/dovecot/state
log_path = $RIG/dovecot.log
ssl = no
login_greeting = PortQuery test mail ready.
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$RIG/dovecot/home
}
CONF
start dovecot /usr/sbin/dovecot -F -c "$RIG/dovecot.conf"

# lighttpd on 80
mkdir -p "$RIG/www"; echo hello > "$RIG/www/index.html"
cat > "$RIG/lighttpd.conf" <<CONF
server.document-root = "$RIG/www"
server.bind = "$SRV"
server.port = 80
server.tag = "lighttpd-portquery-test"
server.errorlog = "$RIG/lighttpd.log"
index-file.names = ( "index.html" )
CONF
start lighttpd /usr/sbin/lighttpd -D -f "$RIG/lighttpd.conf"

# Hostile peers on 2601-2604 (see hostile-peer.py).
start hostile /usr/bin/python3 "$(dirname "$0")/hostile-peer.py" $SRV 2601

for p in 21 2121 25 110 143 80 2601 2602 2603 2604; do wait_port $p; done

fails=0; checks=0
check() { # check DESCRIPTION PATTERN TEXT
  checks=$((checks + 1))
  if grep -qF -- "$2" <<<"$3"; then echo "ok - $1"
  else echo "not ok - $1: expected '$2' in:"; echo "$3" | sed 's/^/    /'; fails=$((fails + 1)); fi
}

svc="$RIG/services"
printf 'ftp 21/tcp\nftp 2121/tcp\nsmtp 25/tcp\npop3 110/tcp\nimap2 143/tcp imap\nhttp 80/tcp www\n' > "$svc"
printf 'smtp 2601/tcp\nsmtp 2602/tcp\nsmtp 2603/tcp\nsmtp 2604/tcp\n' >> "$svc"
q() { ip netns exec "$C" "$PORTQRY" -n $SRV -nr --services "$svc" "$@"; }

out=$(q -e 21 -v); rc=$?
check "FTP listening, exit 0 ($rc)" "TCP port 21 (ftp service): LISTENING" "$out"
check "FTP greeting" "Greeting: 220 PortQuery test FTP" "$out"
check "FTP anonymous accepted" "Anonymous login: accepted (230" "$out"
[ $rc -eq 0 ] || { echo "not ok - exit code $rc"; fails=$((fails + 1)); }

out=$(q -e 2121)
check "FTP anonymous refused" "Anonymous login: refused (530" "$out"

out=$(q -e 25)
check "SMTP greeting" "Greeting: 220 mail.test.lan ESMTP OpenSMTPD" "$out"

out=$(q -o 110,143)
check "POP3 greeting" "Greeting: +OK PortQuery test mail ready." "$out"
check "IMAP greeting" "PortQuery test mail ready." "$out"
check "IMAP line" "Greeting: * OK" "$out"

out=$(q -e 80)
check "HTTP status" "Status: HTTP/1.0 200 OK" "$out"
check "HTTP server header" "Server: lighttpd-portquery-test" "$out"

# The same findings through --json, as the report writers get them.
json=$(q -o 21,80 --json)
check "JSON carries the FTP verdict" '"kind": "ftp-anonymous"' "$json"
check "JSON carries the Server header" '"value": "lighttpd-portquery-test"' "$json"
python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$json" || { echo "not ok - JSON does not parse"; fails=$((fails + 1)); }

# With --no-probes only the plain test runs.
out=$(q -e 80 --no-probes)
if grep -q "Status:" <<<"$out"; then echo "not ok - --no-probes still probed"; fails=$((fails + 1)); else echo "ok - --no-probes"; fi

# Hostile peers: each query ends, bounded in time, with a clear result.
start_s=$(date +%s)
out=$(q -o 2601,2602,2603,2604 -v); rc=$?
took=$(( $(date +%s) - start_s ))
checks=$((checks + 1))
# The silent one is given the full 5 s wait for a greeting, no more than the 20 s limit.
if [ $took -ge 4 ] && [ $took -le 30 ]; then echo "ok - hostile peers answered in ${took}s"
else echo "not ok - hostile peers took ${took}s (expected 4 to 30)"; fails=$((fails + 1)); fi
check "endless continuation lines end at the line limit" "TCP port 2601 (smtp service): LISTENING" "$out"
check "endless bytes end at a line cut" "TCP port 2602 (smtp service): LISTENING" "$out"
check "silent peer: no greeting, said so" "The SMTP query got no answer: no reply in time." "$out"
check "escape sequences are neutralised" 'Greeting: 220 evil\x1b]0;pwned\x07\x1b[2J' "$out"
if grep -q $'\x1b' <<<"$out"; then echo "not ok - a raw escape reached the terminal"; fails=$((fails + 1)); fi

echo "$((checks + 1 - fails)) passed, $fails failed"
[ $fails -eq 0 ]
