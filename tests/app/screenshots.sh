#!/bin/bash
# screenshots.sh BUILDDIR OUTDIR: the screenshots in data/screenshots/ (root,
# a display: xvfb-run -a -s '-screen 0 1400x1100x24' tests/app/screenshots.sh
# build data/screenshots). Queries the rig's Samba AD DC with portqry, opens
# the report in the window and opens a port's pane from the keyboard: the
# endpoint table (TCP 135), the NetBIOS pane (UDP 137), the LDAP pane
# (TCP 389), each light and dark, and the NetBIOS pane 360 px wide; a
# query of two hosts grouped by host, light and dark, wide and 360 px.
set -euo pipefail
BUILD=$(realpath "${1:?usage: screenshots.sh BUILDDIR OUTDIR}"); OUT=$(realpath "${2:?}")
HERE=$(cd "$(dirname "$0")" && pwd)
RIG=$(mktemp -d /tmp/pq-shots-rig.XXXXXX)
export RIG_PREFIX=gs$$ RIG_SKIP="samba dnsmasq slapd snmpd"
cleanup() { bash "$HERE/../lib/rig-down.sh" "$RIG" >/dev/null 2>&1; rm -rf "$RIG"; }
trap cleanup EXIT
bash "$HERE/../lib/rig-up.sh" "$RIG" > "$RIG/up.log" 2>&1
# shellcheck source=/dev/null
. "$RIG/env"
for _ in $(seq 1 120); do   # the DC registers its NetBIOS names after it starts
  ip netns exec "$NS_CLI" "$BUILD/src/cli/portqry" -n 10.200.78.2 -e 137 -p udp -nr | grep -q 'TEST <1C>' && break
  sleep 0.5
done
ip netns exec "$NS_CLI" "$BUILD/src/cli/portqry" -n 10.200.78.2 -o 135,137,389 -p both -nr \
  --export "$RIG/dc.json" > /dev/null || true

# shot NAME SCHEME WIDTH HEIGHT DOWNS [REPORT]: the first row clicked, DOWNS rows
# down, Right (DOWNS -1: no row opened); REPORT in $RIG, dc.json by default
shot() {
  GSETTINGS_SCHEMA_DIR="$BUILD/data" GSETTINGS_BACKEND=memory GTK_A11Y=none GSK_RENDERER=cairo \
    ADW_DEBUG_COLOR_SCHEME=$2 "$BUILD/src/app/portquery" "$RIG/${6:-dc.json}" &
  local pid=$! wid
  wid=$(xdotool search --sync --name "Port Query" | head -1)
  # Twice: the layout for a narrower window lets it go narrower still.
  sleep 1; xdotool windowsize "$wid" "$3" "$4"; sleep 1; xdotool windowsize "$wid" "$3" "$4"; sleep 1
  eval "$(xdotool getwindowgeometry --shell "$wid")"
  if [ "$5" -ge 0 ]; then
    xdotool mousemove $((X + WIDTH - 60)) $((Y + ${ROW_Y:-306})) click 1; sleep 0.5
    for ((i = 0; i < $5; i++)); do xdotool key Down; sleep 0.3; done
    xdotool key Right
  fi
  sleep 1.5
  import -window "$wid" "$OUT/$1.png"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
for scheme in light dark; do
  s=$([ $scheme = dark ] && echo prefer-dark || echo prefer-light)
  shot "endpoints-$scheme" $s 1200 1000 0
  shot "netbios-$scheme" $s 1200 1000 3
  shot "ldap-$scheme" $s 1200 1000 4
done
shot netbios-narrow prefer-light 360 900 3
# Two hosts in one query: the DC and the server with nothing running.
ip netns exec "$NS_CLI" "$BUILD/src/cli/portqry" -n 10.200.78.2,10.200.77.2 -o 53,88,135,389,445,8081 -nr \
  --export "$RIG/hosts.json" > /dev/null || true
shot hosts-light prefer-light 1200 800 -1 hosts.json
shot hosts-dark prefer-dark 1200 800 -1 hosts.json
shot hosts-narrow-dark prefer-dark 360 900 -1 hosts.json
echo "written: $(cd "$OUT" && ls endpoints-*.png netbios-*.png ldap-*.png hosts-*.png | tr '\n' ' ')"
