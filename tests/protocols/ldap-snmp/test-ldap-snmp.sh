#!/bin/bash
# test-ldap-snmp.sh PORTQRY BUILDDIR: the root entry of slapd and of Samba's
# AD DC (TCP 389 and 3268, CLDAP on UDP 389) and the system group of snmpd,
# read by portqry from the rig's client namespace and compared, value by
# value, with ldapsearch and snmpget; a wrong community; and hostile LDAP
# and SNMP peers, each ending bounded in time with a clear result.
set -uo pipefail
PORTQRY=${1:?usage: test-ldap-snmp.sh PORTQRY BUILDDIR}
BUILD=${2:?usage: test-ldap-snmp.sh PORTQRY BUILDDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create network namespaces"
  exit 77
fi
for tool in slapd samba snmpd ldapsearch snmpget; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done

# The provisioned AD DC is kept in the build directory between runs.
RIG=$BUILD/rig-hli
export RIG_PREFIX=hl$$ RIG_SKIP="samba dnsmasq"
cleanup() { "$HERE/../../lib/rig-down.sh" "$RIG" > /dev/null 2>&1; }
trap cleanup EXIT
cleanup
if ! "$HERE/../../lib/rig-up.sh" "$RIG" > "$BUILD/rig-hli.log" 2>&1; then
  echo "FAIL: the rig did not come up:"; cat "$BUILD/rig-hli.log"; exit 1
fi
# shellcheck source=/dev/null
. "$RIG/env"
SRV=10.200.77.2 DC=10.200.78.2
export MIBS=

# Hostile peers in the server namespace; rig-down.sh stops them by PID.
setsid ip netns exec "$NS_SRV" /usr/bin/python3 "$HERE/hostile-peer.py" $SRV > "$RIG/hostile.out" 2>&1 < /dev/null &
echo "hostile $!" >> "$RIG/pids"

fails=0; checks=0
ok() { checks=$((checks + 1)); echo "ok - $1"; }
bad() { checks=$((checks + 1)); fails=$((fails + 1)); echo "not ok - $1"; }
check() { # check DESCRIPTION PATTERN TEXT
  if grep -qF -- "$2" <<<"$3"; then ok "$1"
  else bad "$1: expected '$2' in:"; echo "$3" | head -40 | sed 's/^/    /'; fi
}

svc="$RIG/services"
{
  printf 'ldap 389/tcp\nldap 389/udp\nmsft-gc 3268/tcp\nsnmp 161/udp\n'
  for p in 3891 3892 3893 3894 3895 3896 3897 3898; do printf 'ldap %s/tcp\n' $p; done
  printf 'ldap 3891/udp\nsnmp 1161/udp\nsnmp 1162/udp\nsnmp 1163/udp\nsnmp 1164/udp\n'
} > "$svc"
q() { ip netns exec "$NS_CLI" "$PORTQRY" -nr --services "$svc" "$@"; }

ATTRS="currentTime subschemaSubentry dsServiceName namingContexts defaultNamingContext schemaNamingContext
 configurationNamingContext rootDomainNamingContext supportedControl supportedLDAPVersion supportedLDAPPolicies
 supportedSASLMechanisms highestCommittedUSN dnsHostName ldapServiceName serverName supportedCapabilities
 isSynchronized isGlobalCatalogReady domainFunctionality forestFunctionality domainControllerFunctionality
 vendorName vendorVersion supportedExtension supportedFeatures objectClass structuralObjectClass entryDN configContext"

# compare_ldap DESCRIPTION LDIF JSON PORT PROTO [subset]: every attribute and
# value ldapsearch printed is in portqry's findings for that port, in the
# same order (and, unless "subset", nothing more). currentTime may differ
# by a few seconds between the two queries.
compare_ldap() {
  local out
  if out=$(/usr/bin/python3 - "$2" "$3" "$4" "$5" "${6:-all}" <<'PY'
import json, re, sys, calendar, time
ldif, js, port, proto, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
text = open(ldif).read().replace("\n ", "")          # LDIF continuation lines
want = {}
for line in text.splitlines():
    if not line or line.startswith("#") or line.startswith("dn:") or line.startswith("search:") or line.startswith("result:"):
        continue
    name, _, value = line.partition(":")
    want.setdefault(name, []).append(value.strip())
report = json.load(open(js))
res = [r for r in report["results"] if r["port"] == port and r["protocol"] == proto][0]
got = {}
for d in res["details"]:
    if d["kind"] != "ldap-attribute":
        continue
    vals = [c["value"] for c in d["children"]] if d["children"] else [d["value"]]
    got[d["label"]] = vals
def raw(shown, expected):
    if expected == "":
        return shown == "(empty)"
    return shown == expected or shown.startswith(expected + " (")
def stamp(v):
    return calendar.timegm(time.strptime(v.split(".")[0].rstrip("Z"), "%Y%m%d%H%M%S"))
errors = []
for name, vals in want.items():
    if name not in got:
        if mode == "all":
            errors.append("missing attribute %s" % name)
        continue
    if len(got[name]) != len(vals):
        errors.append("%s: %d values, ldapsearch %d" % (name, len(got[name]), len(vals)))
        continue
    for g, w in zip(got[name], vals):
        if name == "currentTime":
            if abs(stamp(g.split()[0]) - stamp(w)) > 5:
                errors.append("currentTime %s vs %s" % (g, w))
        elif not raw(g, w):
            errors.append("%s: %r vs ldapsearch %r" % (name, g, w))
extra = set(got) - set(want)
if extra:
    errors.append("attributes ldapsearch did not show: %s" % sorted(extra))
if len(got) < 5:
    errors.append("only %d attributes" % len(got))
print("; ".join(errors) if errors else "%d attributes, %d values match" % (len(got), sum(map(len, got.values()))))
sys.exit(1 if errors else 0)
PY
  ); then ok "$1: $out"; else bad "$1: $out"; fi
}

ldif() { # ldif HOST PORT FILE
  # shellcheck disable=SC2086
  ip netns exec "$NS_CLI" ldapsearch -x -LLL -o ldif-wrap=no -H "ldap://$1:$2" -s base -b "" $ATTRS > "$3" 2>&1
}

# ---- slapd, TCP 389 ----
ldif $SRV 389 "$RIG/slapd.ldif"
q -n $SRV -e 389 -p tcp --json > "$RIG/slapd.json"
compare_ldap "slapd root entry equals ldapsearch's" "$RIG/slapd.ldif" "$RIG/slapd.json" 389 tcp
out=$(q -n $SRV -e 389 -p tcp -v)
check "slapd: LISTENING" "TCP port 389 (ldap service): LISTENING" "$out"
check "slapd: result in the evidence" "LDAP answered with result 0 (success): root entry with" "$out"
check "slapd: multi-valued attribute, one value a line" "      OpenLDAProotDSE" "$out"
check "slapd: control names" "1.2.840.113556.1.4.319 (Paged results)" "$out"
check "slapd: result line" "Result: 0 (success)" "$out"

# ---- Samba AD DC: TCP 389 and 3268, CLDAP on UDP 389 ----
ldif $DC 389 "$RIG/dc.ldif"
ldif $DC 3268 "$RIG/gc.ldif"
q -n $DC -e 389 -p both --json > "$RIG/dc.json"
compare_ldap "AD DC root entry (TCP 389) equals ldapsearch's" "$RIG/dc.ldif" "$RIG/dc.json" 389 tcp
compare_ldap "AD DC root entry over CLDAP (UDP 389) agrees with ldapsearch" "$RIG/dc.ldif" "$RIG/dc.json" 389 udp subset
q -n $DC -e 3268 -p tcp --json > "$RIG/gc.json"
compare_ldap "global catalog (TCP 3268) equals ldapsearch's" "$RIG/gc.ldif" "$RIG/gc.json" 3268 tcp
out=$(q -n $DC -e 389 -p both -v)
check "CLDAP: UDP 389 LISTENING" "UDP port 389 (ldap service): LISTENING" "$out"
check "AD: functional level decoded" "domainFunctionality: 4 (Windows Server 2008 R2)" "$out"
check "AD: capability named" "1.2.840.113556.1.4.800 (Active Directory)" "$out"
check "AD: clock skew checked" "Clock skew: in step with this computer" "$out"
check "AD: host in the evidence" "host dc1.test.lan, domain level Windows Server 2008 R2" "$out"
python3 -c 'import json,sys; json.load(sys.stdin)' < "$RIG/dc.json" && ok "JSON parses" || bad "JSON does not parse"

# ---- snmpd, UDP 161 ----
oids=".1.3.6.1.2.1.1.1.0 .1.3.6.1.2.1.1.2.0 .1.3.6.1.2.1.1.4.0 .1.3.6.1.2.1.1.5.0 .1.3.6.1.2.1.1.6.0"
# shellcheck disable=SC2086
ref=$(ip netns exec "$NS_CLI" snmpget -v2c -c public -On $SRV $oids)
out=$(q -n $SRV -e 161 -p udp -v)
check "SNMP: LISTENING" "UDP port 161 (snmp service): LISTENING" "$out"
# PortQry's lines, in order (grep -F would take each line on its own).
pq_lines=$'    community name for query:\n    public\n    Sending SNMP query to UDP port 161...'
if [[ $out == *"$pq_lines"* ]]; then ok "SNMP: community echoed as PortQry does"
else bad "SNMP: PortQry's community lines missing"; echo "$out" | head -20; fi
check "SNMP: both versions" "Versions answered: v1, v2c" "$out"
check "SNMP: uptime in days, hours, minutes" "sysUpTime (1.3.6.1.2.1.1.3.0): Timeticks: (" "$out"
while read -r oid _ type value; do
  value=${value#\"}; value=${value%\"}; value=${value#.}
  check "SNMP ${oid#.} equals snmpget's" "(${oid#.}): $type $value" "$out"
done <<<"$ref"
uptime=$(ip netns exec "$NS_CLI" snmpget -v1 -c public -On -Ot $SRV .1.3.6.1.2.1.1.3.0 | awk '{print $NF}')
mine=$(sed -n 's/.*Timeticks: (\([0-9]*\)).*/\1/p' <<<"$out")
if [ -n "$mine" ] && [ $(( uptime - mine )) -ge 0 ] && [ $(( uptime - mine )) -lt 500 ]; then ok "SNMP uptime $mine agrees with snmpget -v1 ($uptime)"
else bad "SNMP uptime '$mine' vs snmpget -v1 '$uptime'"; fi

# A wrong community: snmpget times out, and portqry says why it may have.
ref=$(ip netns exec "$NS_CLI" snmpget -v2c -c wrong -t 1 -r 0 $SRV .1.3.6.1.2.1.1.1.0 2>&1)
check "snmpget with a wrong community gets no answer" "Timeout" "$ref"
out=$(q -n $SRV -e 161 -p udp -cn '!wrong!' -v)
check "wrong community: no answer" "UDP port 161 (snmp service): FILTERED" "$out"
check "wrong community: the hint" "No reply; wrong community?" "$out"
if [[ $out == *$'community name for query:\n    wrong\n'* ]]; then ok "wrong community: the community sent is shown"
else bad "wrong community: the community sent is not shown"; echo "$out" | head -20; fi
# PortQry's -cn takes the name between exclamation marks.
out=$(q -n $SRV -e 161 -p udp -cn '!public!' -v)
check "-cn !public! is sent as public" 'SNMP v1 and v2c agent answered community "public": testsrv' "$out"

# An agent that speaks only v2c: v1 gets silence, the second try asks in v2c.
mkdir -p "$RIG/snmp2"
cat > "$RIG/snmp2/snmpd.conf" <<EOF
agentAddress udp:$SRV:1164
com2sec v2only 10.200.77.0/24 public
group v2group v2c v2only
view all included .1
access v2group "" any noauth exact all none none
sysName v2only
EOF
MIBS= SNMP_PERSISTENT_DIR="$RIG/snmp2" setsid ip netns exec "$NS_SRV" snmpd -f -Lo -C -c "$RIG/snmp2/snmpd.conf" \
  -p "$RIG/snmp2/snmpd.pid" > "$RIG/snmp2.out" 2>&1 < /dev/null &
echo "snmpd-v2c $!" >> "$RIG/pids"
for _ in $(seq 100); do ip netns exec "$NS_SRV" ss -Huln | grep -q " $SRV:1164 " && break; sleep 0.05; done
ref=$(ip netns exec "$NS_CLI" snmpget -v1 -c public -t 1 -r 0 $SRV:1164 .1.3.6.1.2.1.1.5.0 2>&1)
check "v2c-only agent: snmpget -v1 gets no answer" "Timeout" "$ref"
ref=$(ip netns exec "$NS_CLI" snmpget -v2c -c public -On $SRV:1164 .1.3.6.1.2.1.1.5.0 2>&1)
check "v2c-only agent: snmpget -v2c answers" 'STRING: "v2only"' "$ref"
out=$(q -n $SRV -e 1164 -p udp -v)
check "v2c-only agent: LISTENING" "UDP port 1164 (snmp service): LISTENING" "$out"
check "v2c-only agent: sysName as snmpget" 'sysName (1.3.6.1.2.1.1.5.0): STRING: v2only' "$out"
check "v2c-only agent: the version said" "Versions answered: v2c" "$out"
check "v2c-only agent: evidence" 'SNMP v2c agent answered community "public" (v1 got no reply): v2only' "$out"

# ---- hostile peers ----
start_s=$(date +%s)
out=$(q -n $SRV -o 3891,3892,3893,3894,3895,3896,3897 -p tcp -v); rc=$?
took=$(( $(date +%s) - start_s ))
# The silent peer gets the 5 s wait for a reply; nothing may run past the 20 s bound.
if [ $took -ge 4 ] && [ $took -le 30 ]; then ok "hostile TCP peers answered in ${took}s"
else bad "hostile TCP peers took ${took}s (expected 4 to 30)"; fi
check "truncated reply: said so" "LDAP answered, but the reply is incomplete: 40 of" "$out"
check "4 GB length: not LDAP" "TCP port 3892 (ldap service): LISTENING" "$out"
check "4 GB, nesting, endless bytes: not LDAP" "The reply was not a LDAP answer." "$out"
check "endless references stop" "LDAP answered, but never ended the search." "$out"
check "silent peer: said so" "The LDAP query got no answer: no reply in time." "$out"
check "escape sequences are neutralised" 'dnsHostName: evil\x1b]0;pwned\x07\x1b[2J.test.lan' "$out"
check "5000 values: 256 shown, the rest counted" "… 4744 more values not shown" "$out"
if grep -q $'\x1b' <<<"$out"; then bad "a raw escape reached the terminal"; else ok "no raw escape in the output"; fi
[ "$(grep -c 'Result: 0 (success)' <<<"$out")" -eq 1 ] && ok "only the well-formed peer has a result" || bad "result lines"

out=$(q -n $SRV -o 3898 -p tcp -v)
check "clock skew over 5 minutes: warned" "Clock skew: 2 h 1 min behind this computer: more than 5 minutes, Kerberos authentication will fail" "$out"
check "clock skew in the evidence" ", clock 2 h 1 min behind this computer: more than 5 minutes" "$out"

out=$(q -n $SRV -o 3891 -p udp -v)
check "CLDAP 2000 values in a datagram: bounded" "supportedCapabilities: 2000 values" "$out"
out=$(q -n $SRV -o 1161,1162,1163 -p udp -v)
for p in 1161 1162 1163; do
  check "SNMP hostile $p: LISTENING, not SNMP" "UDP port $p (snmp service): LISTENING" "$out"
done
[ "$(grep -c 'The reply was not a SNMP answer.' <<<"$out")" -eq 3 ] && ok "truncated, 4 GB, nested SNMP: malformed" \
  || { bad "SNMP hostile verdicts"; echo "$out" | sed 's/^/    /'; }

echo "$((checks - fails)) passed, $fails failed"
[ $fails -eq 0 ]
