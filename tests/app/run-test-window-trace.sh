#!/bin/bash
# run-test-window-trace.sh TEST PORTQRY [ARGS...]: build the routed path of
# tests/lib/trace-path.sh (client, two routers, host) and run the window's
# trace test inside the client namespace, as the other window tests run.
# X11 reaches the namespace through the socket file in /tmp/.X11-unix; the
# session bus (an abstract socket) does not, so the test runs without one.
set -uo pipefail
TEST=${1:?usage: run-test-window-trace.sh TEST PORTQRY [ARGS...]}
export PORTQRY=${2:?}
if [ -z "${DISPLAY:-}" ]; then
  echo "SKIP: no X display; scripts/test.sh runs the tests under xvfb-run"
  exit 77
fi
# add_ns, link, servers, and cleanup on exit: the integration tests' own.
. "$(dirname "$0")/../integration/lib.sh"
need_root
. "$TOP/tests/lib/trace-path.sh"
# "gwt" and the PID: never another run's namespaces.
trace_path "gwt$$"
servers "$S" tcp,7006,10.213.3.2
ip netns exec "$C" env -u DBUS_SESSION_BUS_ADDRESS GTK_A11Y=none "$TEST" --tap "${@:3}"
