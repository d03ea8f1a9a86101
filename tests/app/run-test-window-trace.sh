#!/bin/bash
# run-test-window-trace.sh PORTQRY COMMAND [ARGS...]: build the routed path of
# tests/lib/trace-path.sh (client, two routers, host; TCP 7006 open) and run
# COMMAND, a window test, inside the client namespace as the other window
# tests run. X11 reaches the namespace through the socket file in
# /tmp/.X11-unix; the session bus (an abstract socket) does not, so COMMAND
# starts its own if it needs one.
set -uo pipefail
export PORTQRY=${1:?usage: run-test-window-trace.sh PORTQRY COMMAND [ARGS...]}
shift
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
ip netns exec "$C" env -u DBUS_SESSION_BUS_ADDRESS "$@"
