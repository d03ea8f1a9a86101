#!/bin/bash
# screenshots-trace.sh BUILDDIR OUTDIR: the path trace's screenshots in
# data/screenshots/ (root, a display: xvfb-run -a -s '-screen 0 1400x1100x24'
# tests/app/screenshots-trace.sh build data/screenshots). Builds the routed
# path of tests/lib/trace-path.sh, traces TCP 7006 (open), 7004 (closed),
# 7002 (dropped by the first router) and 7003 (refused by the second) with
# portqry --trace into a report, opens it in the window and opens 7002's
# pane from the keyboard: light and dark, and narrow (360 px).
set -euo pipefail
BUILD=$(realpath "${1:?usage: screenshots-trace.sh BUILDDIR OUTDIR}")
OUT=$(realpath "${2:?}")
export PORTQRY=$BUILD/src/cli/portqry
. "$(dirname "$0")/../integration/lib.sh"
need_root
. "$TOP/tests/lib/trace-path.sh"
trace_path "gst$$"
servers "$S" tcp,7006,10.213.3.2
ip netns exec "$C" "$PORTQRY" -n 10.213.3.2 -o 7006,7004,7002,7003 -nr --trace \
  --export "$WORK/trace.json" > /dev/null || true

# shot NAME SCHEME WIDTH HEIGHT ROW_Y: the first row (7002, rows sorted by
# port) clicked at ROW_Y in the window, Right
shot() {
  GSETTINGS_SCHEMA_DIR="$BUILD/data" GSETTINGS_BACKEND=memory GTK_A11Y=none GSK_RENDERER=cairo \
    XDG_CONFIG_HOME="$WORK" ADW_DEBUG_COLOR_SCHEME=$2 "$BUILD/src/app/portquery" "$WORK/trace.json" &
  local pid=$! wid
  wid=$(xdotool search --sync --name "Port Query" | head -1)
  # Twice, as a window manager sends sizes while the edge is dragged: at
  # the first the header still holds the page switcher, which gives way
  # to the title only once the window is narrower than it.
  sleep 1; xdotool windowsize "$wid" "$3" "$4"; sleep 1; xdotool windowsize "$wid" "$3" "$4"; sleep 1
  eval "$(xdotool getwindowgeometry --shell "$wid")"
  xdotool mousemove $((X + WIDTH / 3)) $((Y + $5)) click 1; sleep 0.5
  xdotool key Right; sleep 1.5
  import -window "$wid" "$OUT/$1.png"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
shot trace-light prefer-light 1200 900 306
shot trace-dark prefer-dark 1200 900 306
shot trace-narrow-dark prefer-dark 360 1000 449
echo "written: $(cd "$OUT" && ls trace-*.png | tr '\n' ' ')"
