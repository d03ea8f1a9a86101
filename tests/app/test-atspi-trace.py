#!/usr/bin/python3
# test-atspi-trace.py PORTQUERY PORTQRY: "Where is it blocked?" read the way a
# screen reader reads it (AT-SPI, as Orca) and pressed with real keys
# (xdotool), on the routed path of tests/lib/trace-path.sh: R1 drops 7002 in
# its forward chain, the host drops 7001 at its input. The window shows a
# report portqry wrote; the trace runs from the window. Run by
# run-test-window-trace.sh inside the client namespace, under
# dbus-run-session, with accessibility on.
import os
import subprocess
import sys
import tempfile
import time

import pyatspi

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import atspi_util  # noqa: E402
from atspi_util import check, click, find, focused, key, role, visible  # noqa: E402

PORTQUERY, PORTQRY = sys.argv[1:3]
HOST = "10.213.3.2"
VERDICT_7002 = "Blocked after hop 1 (10.213.1.254): hop 2 answers for other ports but never saw these packets"


def trace_button(app, port):
    name = "Where is it blocked? TCP %d" % port
    return find(app, lambda a: role(a) == "push button" and a.name == name and visible(a), 5)


def tab_to(app, target, most=8):
    """Tab from the row into the pane until @target has the focus."""
    for _ in range(most):
        focus = focused(app)
        if focus is not None and focus == target:
            return True
        key("Tab")
    return False


def open_row(app, port):
    row = find(app, lambda a: role(a) == "table row" and a.name.startswith("TCP %d" % port))
    check(row is not None, "the row of TCP %d is there" % port)
    click(row)
    key("Right")


def press_trace(app, port):
    """Opens @port's pane, Tabs to its button and presses Space.
    Returns: whether the trace started"""
    open_row(app, port)
    button = trace_button(app, port)
    check(button is not None, "the pane's button reads “Where is it blocked? TCP %d”" % port)
    if button is None:
        return False
    check(tab_to(app, button), "Tab reaches it")
    key("space")
    progress = find(app, lambda a: role(a) == "label" and a.name.startswith("Tracing TCP %d" % port) and
                    visible(a), 5)
    check(progress is not None, "the progress reads “Tracing TCP %d…”: %s" % (port, progress.name if progress else None))
    return progress is not None


def check_trace(app):
    started = time.time()
    if not press_trace(app, 7002):
        return
    verdict = find(app, lambda a: role(a) == "label" and a.name == VERDICT_7002 and visible(a), 40)
    check(verdict is not None, "the verdict is a label the screen reader reaches, naming R1 (%.1f s)"
          % (time.time() - started))
    check(find(app, lambda a: role(a) == "label" and a.name == "Host distance: 3 hops" and visible(a), 2)
          is not None, "the host's distance is read")
    check(trace_button(app, 7002) is None, "the traced port no longer offers the button")


def check_escape(app):
    """7001 is dropped at the host: its hop 3 stays silent for three tries
    of 0.9 s, time enough for Escape."""
    if not press_trace(app, 7001):
        return
    query = find(app, lambda a: role(a) == "push button" and a.name == "Query" and visible(a), 2)
    check(query is not None and not query.getState().contains(pyatspi.STATE_SENSITIVE),
          "Query waits while the trace runs")
    started = time.time()
    key("Escape")
    ready = find(app, lambda a: role(a) == "push button" and a.name == "Query" and visible(a) and
                 a.getState().contains(pyatspi.STATE_SENSITIVE), 0.5)
    check(ready is not None, "Escape stops it: Query is ready again %.1f s after the key (with its 0.6 s pause)"
          % (time.time() - started))
    # Not stopped, the trace would end within these 3 s and hide the button.
    time.sleep(3)
    check(trace_button(app, 7001) is not None, "and the port offers the button again, untraced")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "path.json")
        subprocess.run([PORTQRY, "-n", HOST, "-o", "7002,7001", "-nr", "-q", "--export", report],
                       capture_output=True)
        check(os.path.getsize(report) > 0 if os.path.exists(report) else False, "portqry wrote the report")
        env = dict(os.environ, XDG_CONFIG_HOME=tmp, GSETTINGS_BACKEND="memory", LC_ALL="C.UTF-8",
                   GTK_A11Y="atspi")
        env.pop("NO_AT_BRIDGE", None)

        def body(app):
            check_trace(app)
            check_escape(app)

        return atspi_util.run_app([PORTQUERY, report], env, body)


sys.exit(main())
