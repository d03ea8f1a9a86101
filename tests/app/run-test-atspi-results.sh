#!/bin/bash
# run-test-atspi-results.sh TEST PORTQUERY PORTQRY RIG-UP RIG-DOWN: bring up the rig's
# Samba AD DC in a network namespace and run the AT-SPI and keyboard test
# (test-atspi-results.py) inside the client namespace with accessibility on, under
# its own session bus (the AT-SPI bus is started from it), on the X display
# the caller gives (xvfb-run in scripts/test.sh and CI). RIG_SKIP and RIG_DNS,
# when set, choose other servers (test-atspi-hosts.py: dnsmasq, no DC).
set -uo pipefail
TEST=${1:?usage: run-test-atspi-results.sh TEST PORTQUERY PORTQRY RIG-UP RIG-DOWN}
PORTQUERY=${2:?}; PORTQRY=${3:?}; RIG_UP=${4:?}; RIG_DOWN=${5:?}
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create the test host's network namespaces"; exit 77
fi
if [ -z "${DISPLAY:-}" ]; then
  echo "SKIP: no X display; scripts/test.sh runs the tests under xvfb-run"; exit 77
fi
RIG_SKIP=${RIG_SKIP:-"samba dnsmasq slapd snmpd"}
case " $RIG_SKIP " in *" dc "*) need=;; *) need=samba;; esac
for tool in xdotool dbus-run-session $need; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"; exit 77; }
done
/usr/bin/python3 -c 'import pyatspi' 2>/dev/null || { echo "SKIP: python3-pyatspi is not installed"; exit 77; }

RIG=$(mktemp -d /tmp/pq-atspi-rig.XXXXXX)
# "gt" and the PID: never the namespaces of another run.
export RIG_PREFIX=gt$$ RIG_SKIP
cleanup() { bash "$RIG_DOWN" "$RIG" >/dev/null 2>&1; rm -rf "$RIG"; }
trap cleanup EXIT
if ! bash "$RIG_UP" "$RIG" > "$RIG/rig-up.log" 2>&1; then
  echo "FAIL: the test host did not come up:"; cat "$RIG/rig-up.log"; exit 1
fi
# shellcheck source=/dev/null
. "$RIG/env"
# Accessibility on: the meson environment of the other window tests turns it off.
ip netns exec "$NS_CLI" env -u DBUS_SESSION_BUS_ADDRESS -u GTK_A11Y -u NO_AT_BRIDGE \
  dbus-run-session -- /usr/bin/python3 "$TEST" "$PORTQUERY" "$PORTQRY" 10.200.78.2
