#!/bin/bash
# run-test-window-local.sh TEST: the This Computer page and Repeat
# (test-window-local.c) in a network namespace of their own, as root;
# then the page as nobody (its own XDG_RUNTIME_DIR and X authority)
# while a root process listens in the same namespace.
set -uo pipefail
TEST=${1:?usage: run-test-window-local.sh TEST}
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: needs root to create a network namespace"; exit 77
fi
if [ -z "${DISPLAY:-}" ]; then
  echo "SKIP: no X display; scripts/test.sh runs the tests under xvfb-run"; exit 77
fi
command -v nft >/dev/null || { echo "SKIP: nft is not installed"; exit 77; }

NS=pqwl$$
TMP=$(mktemp -d /tmp/pq-window-local.XXXXXX)
LISTENER=
cleanup() {
  [ -n "$LISTENER" ] && kill "$LISTENER" 2>/dev/null
  ip netns del "$NS" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
ip netns add "$NS" && ip -n "$NS" link set lo up || { echo "FAIL: no namespace"; exit 1; }

ip netns exec "$NS" env -u DBUS_SESSION_BUS_ADDRESS GTK_A11Y=none "$TEST" --tap || exit 1

# As nobody: root's listener on 8086 is listed, its process is not.
ip netns exec "$NS" setsid python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 8086)); s.listen(); time.sleep(300)' &
LISTENER=$!
for _ in $(seq 1 50); do ip netns exec "$NS" ss -ltn | grep -q ':8086 ' && break; sleep 0.1; done
mkdir -m 700 "$TMP/run" "$TMP/shots" && chown nobody "$TMP/run" "$TMP/shots"
if [ -n "${XAUTHORITY:-}" ] && [ -r "$XAUTHORITY" ]; then
  cp "$XAUTHORITY" "$TMP/xauth" && chown nobody "$TMP/xauth"
  export XAUTHORITY="$TMP/xauth"
fi
chmod 755 "$TMP"
cd "$TMP" && ip netns exec "$NS" setpriv --reuid=nobody --regid=nogroup --clear-groups \
  env -u DBUS_SESSION_BUS_ADDRESS HOME="$TMP" XDG_RUNTIME_DIR="$TMP/run" PQ_ROOT_PORT=8086 \
  PQ_SCREENSHOT_DIR="$TMP/shots" GTK_A11Y=none "$TEST" --tap -p /app/window-local/as-nobody
status=$?
[ -n "${PQ_SCREENSHOT_DIR:-}" ] && cp "$TMP"/shots/*.png "$PQ_SCREENSHOT_DIR"/ 2>/dev/null
exit $status
