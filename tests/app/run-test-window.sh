#!/bin/bash
# run-test-window.sh TEST RIG-UP RIG-DOWN [ARGS...]: bring up a test host (dnsmasq on
# 53, 8081 dropped) in network namespaces and run the window test inside
# the client namespace. X11 reaches the namespace through the socket file
# in /tmp/.X11-unix; the session bus (an abstract socket) does not, so the
# test runs without one. ARGS go to the test (-p /app/window/query: one test).
set -uo pipefail
TEST=${1:?usage: run-test-window.sh TEST RIG-UP RIG-DOWN}
RIG_UP=${2:?}; RIG_DOWN=${3:?}
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create the test host's network namespaces"
  exit 77
fi
if [ -z "${DISPLAY:-}" ]; then
  echo "SKIP: no X display; scripts/test.sh runs the tests under xvfb-run"
  exit 77
fi
command -v dnsmasq >/dev/null || { echo "SKIP: dnsmasq is not installed (scripts/install-deps.sh installs it)"; exit 77; }

RIG=$(mktemp -d /tmp/pq-app-rig.XXXXXX)
# "ga" and the PID: two runs at once (two build directories) never share
# namespaces or veths ("ga12345-c2" stays within 15 characters).
export RIG_PREFIX=ga$$ RIG_SKIP="samba dc slapd snmpd"
cleanup() { bash "$RIG_DOWN" "$RIG" >/dev/null 2>&1; rm -rf "$RIG"; }
trap cleanup EXIT

if ! bash "$RIG_UP" "$RIG" > "$RIG/rig-up.log" 2>&1; then
  echo "FAIL: the test host did not come up:"; cat "$RIG/rig-up.log"; exit 1
fi
# shellcheck source=/dev/null
. "$RIG/env"
ip netns exec "$NS_CLI" env -u DBUS_SESSION_BUS_ADDRESS GTK_A11Y=none "$TEST" --tap "${@:4}"
