#!/bin/bash
# run-test-atspi.sh APP PORTQRY SCRIPT: the window through AT-SPI and real
# key events. Makes a saved report with portqry (closed ports on
# loopback: no network), then runs SCRIPT under a session bus of its own
# with accessibility on (scripts/test.sh turns it off for the others).
set -uo pipefail
APP=${1:?usage: run-test-atspi.sh APP PORTQRY SCRIPT}
PORTQRY=${2:?}; SCRIPT=${3:?}
if [ -z "${DISPLAY:-}" ]; then
  echo "SKIP: no X display; scripts/test.sh runs the tests under xvfb-run"; exit 77
fi
command -v xdotool >/dev/null || { echo "SKIP: xdotool is not installed (scripts/install-deps.sh)"; exit 77; }
command -v dbus-run-session >/dev/null || { echo "SKIP: dbus is not installed"; exit 77; }
/usr/bin/python3 -c 'import pyatspi' 2>/dev/null ||
  { echo "SKIP: python3-pyatspi is not installed (scripts/install-deps.sh)"; exit 77; }
[ -x /usr/libexec/at-spi-bus-launcher ] ||
  { echo "SKIP: at-spi2-core is not installed (scripts/install-deps.sh)"; exit 77; }

DIR=$(mktemp -d /tmp/pq-atspi.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
export XDG_CONFIG_HOME=$DIR/config GSETTINGS_BACKEND=memory LC_ALL=C.UTF-8
# Ports 1-3 on loopback answer with resets: three rows, in milliseconds.
"$PORTQRY" -n 127.0.0.1 -o 1,2,3 -nr -q --export "$DIR/report.json" >/dev/null 2>&1
[ -s "$DIR/report.json" ] || { echo "FAIL: portqry wrote no report"; exit 1; }
unset NO_AT_BRIDGE
export GTK_A11Y=atspi
exec dbus-run-session -- /usr/bin/python3 "$SCRIPT" "$APP" "$DIR/report.json"
