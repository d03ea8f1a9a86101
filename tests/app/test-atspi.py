#!/usr/bin/python3
# test-atspi.py APP REPORT: the window as a screen reader and a keyboard
# user meet it. Starts APP on REPORT (a saved query), reads the window
# through AT-SPI (the interface Orca uses) and types into it with real
# X key events (xdotool, XTEST): no action is called from inside.
# Run by run-test-atspi.sh under its own session bus, accessibility on.
import os
import re
import subprocess
import sys
import time

import pyatspi

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_lib import (check, check_names, describe, start_app, finish, focused,  # noqa: E402
                       frame_named, inside, key, names_read, stop, tab, walk)

APP, REPORT = sys.argv[1], sys.argv[2]
proc, app = start_app([APP, REPORT])
try:
    base = os.path.basename(REPORT)
    win = frame_named(app, re.escape(base) + " — Port Query")
    check(win is not None, f"the window opened on a report is titled by its file ({base})")
    win = win or frame_named(app, "Port Query")
    time.sleep(1)

    # Names and roles: every control, then the ones the issue named.
    check_names(win, "main window")
    read = names_read(win)
    for role, name in [("push button", "Query"), ("push button", "Stop"), ("check box", "Ports"),
                       ("check box", "Service check"), ("text", "Host"), ("push button", "Protocol"),
                       ("push button", "Service to check"), ("push button", "Recent Hosts"),
                       ("push button", "Table"), ("push button", "Text")]:
        check((role, name) in read, f"the {role} {name!r} is read as such")
    for name in ("All", "Listening", "Problems"):
        check(any(n == name for _, n in read), f"the rows switch's {name!r} is read without an underscore")

    # Keyboard: focus the Host field with its mnemonic (Alt+H), then Tab.
    wid = subprocess.run(["xdotool", "search", "--sync", "--name", "Port Query"],
                         capture_output=True, text=True).stdout.split()[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True)
    time.sleep(0.5)
    key("alt+h")
    start = focused(win)
    check(start is not None and start.getRoleName() == "text" and start.name == "Host",
          f"Alt+H puts the focus in Host ({describe(start)})")

    stops = []
    here = start
    def in_results(o):
        return inside(o, "tree table") or inside(o, "table")

    for _ in range(25):
        here = tab("Tab", win, here)
        stops.append(here)
        # The first stop past the results is the bottom bar: far enough.
        if len(stops) > 1 and in_results(stops[-2]) and not in_results(here):
            break
    print("# Tab stops: " + " → ".join(describe(o) for o in stops), flush=True)
    in_table = [inside(o, "tree table") or inside(o, "table") for o in stops]
    check(any(in_table), "Tab reaches the results")
    check(sum(in_table) == 1, f"the results are one Tab stop, not every row ({sum(in_table)} stops)")
    check(any(o is not None and not inside(o, "tree table") and i > in_table.index(True)
              for i, o in enumerate(stops) if True in in_table),
          "Tab goes on past the results to the bottom bar")

    # Shift+Tab back: one step into the results, one more out to the form.
    back = tab("shift+Tab", win, here)
    check(inside(back, "tree table") or inside(back, "table"), f"Shift+Tab goes back into the results ({describe(back)})")
    out = tab("shift+Tab", win, back)
    check(out is not None and not inside(out, "tree table") and not inside(out, "table"),
          f"Shift+Tab again leaves the results in one step ({describe(out)})")

    # Alt+X: the query as PortQry's log, read through the Text interface.
    key("alt+x")
    text_button = [o for o in walk(win) if o.getRoleName() == "push button" and o.name == "Text"]
    check(bool(text_button) and text_button[0].getState().contains(pyatspi.STATE_PRESSED),
          "Alt+X presses Text")
    logs = [o for o in walk(win) if o.getRoleName() == "text" and o.name == "Query log"]
    content = logs[0].queryText().getText(0, -1) if logs else ""
    check("TCP port 1 (" in content and "NOT LISTENING" in content and "Querying target system called" in content,
          "the query log reads as PortQry's log")
    key("alt+t")

    # The host emptied from the keyboard: Query cannot be pressed.
    key("alt+h")
    key("ctrl+a")
    key("BackSpace")
    query = [o for o in walk(win) if o.getRoleName() == "push button" and o.name == "Query"]
    check(bool(query) and not query[0].getState().contains(pyatspi.STATE_SENSITIVE),
          "without a host Query is read as unavailable")
    key("1", "2", "7", "period", "0", "period", "0", "period", "1")
    query = [o for o in walk(win) if o.getRoleName() == "push button" and o.name == "Query"]
    check(bool(query) and query[0].getState().contains(pyatspi.STATE_SENSITIVE),
          "with a host typed Query is available again")

    # Preferences from the keyboard: Ctrl+comma.
    key("ctrl+comma")
    prefs = frame_named(app, "^Preferences$")
    check(prefs is not None, "Ctrl+comma opens Preferences")
    if prefs is not None:
        time.sleep(1)
        check_names(prefs, "Preferences")
        pread = names_read(prefs)
        for role, name in [("check box", "Slow link"), ("spin button", "Timeout"),
                           ("check box", "Look up names of addresses"), ("spin button", "Source port")]:
            check((role, name) in pread, f"Preferences: the {role} {name!r} is read as such")
finally:
    stop(proc)

finish()
