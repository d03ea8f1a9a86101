#!/usr/bin/python3
# test-atspi-local.py APP REPORT: the This Computer page as a screen reader
# and a keyboard user meet it, with real key events (xdotool) and AT-SPI
# (as Orca reads it). The test listens on a TCP port of its own; Alt+C
# shows the page, whose column headers read their titles; Ctrl+F and the
# port typed find the test's row, read cell by cell; Alt+R goes back.
# Run by run-test-atspi.sh under its own session bus (REPORT unused).
import os
import socket
import subprocess
import sys
import time

import pyatspi

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from atspi_lib import (check, check_names, describe, start_app, finish, focused,  # noqa: E402
                       frame_named, inside, key, stop, walk)

APP = sys.argv[1]
TITLES = ["Protocol", "Local Address", "Local Port", "State", "Remote Address", "Remote Port", "PID",
          "Process"]


def page_table(win):
    for o in walk(win):
        if o.getRoleName() in ("table", "tree table") and o.name == "Endpoints of this computer":
            return o
    return None


def tab_chosen(win, name):
    """The page switcher's tab @name is the one chosen."""
    for o in walk(win):
        if o.getRoleName() == "page tab" and o.name == name:
            states = o.getState()
            if any(states.contains(s) for s in (pyatspi.STATE_CHECKED, pyatspi.STATE_PRESSED,
                                                pyatspi.STATE_SELECTED)):
                return True
    return False


def rows_of(table):
    rows = []
    for r in walk(table):
        if r.getRoleName() == "table row" and r.name != "Column headers":
            rows.append([r.getChildAtIndex(i).name for i in range(r.childCount)])
    return rows


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen()
port = listener.getsockname()[1]
proc, app = start_app([APP])
try:
    win = frame_named(app, "Port Query")
    wid = subprocess.run(["xdotool", "search", "--sync", "--name", "Port Query"],
                         capture_output=True, text=True).stdout.split()[0]
    subprocess.run(["xdotool", "windowfocus", "--sync", wid], check=True)
    time.sleep(0.5)

    key("alt+c")
    time.sleep(1)
    table = page_table(win)
    check(table is not None, "the This Computer table is read by name")
    check(tab_chosen(win, "This Computer"), "Alt+C chooses the This Computer tab")
    if table is not None:
        header_row = table.getChildAtIndex(0)
        headers = [header_row.getChildAtIndex(i).name for i in range(header_row.childCount)]
        check(headers == TITLES, f"the column headers read their titles: {headers}")
        check_names(win, "This Computer")

        key("ctrl+f")
        here = focused(win)
        check(here is not None and here.name == "Filter endpoints",
              f"Ctrl+F puts the focus in the filter ({describe(here)})")
        key(*list(str(port)))
        time.sleep(3)   # the entry's delay, then a refresh
        rows = rows_of(table)
        mine = [r for r in rows if len(r) == 8 and r[2] == str(port)]
        check(len(mine) == 1 and mine[0][0] == "TCP" and mine[0][1] == "127.0.0.1" and
              mine[0][3] == "LISTENING" and mine[0][6] == str(os.getpid()),
              f"the filter finds the test's listener, read cell by cell: {rows}")
        check(all(str(port) in " ".join(r) for r in rows), "the filter shows only rows with the port")
        row_names = [r.name for r in walk(table) if r.getRoleName() == "table row" and str(port) in (r.name or "")]
        check(row_names == [f"TCP, 127.0.0.1, {port}, LISTENING, {os.getpid()}, python3"],
              f"the row is read as one line: {row_names}")

        # Tab from the filter: Listening only, then the table.
        key("Tab")
        switch = focused(win)
        check(switch is not None and switch.name == "Listening only",
              f"Tab goes to Listening only ({describe(switch)})")
        key("Tab")
        into = focused(win)
        check(into is not None and (inside(into, "table") or inside(into, "tree table")),
              f"Tab again goes into the table ({describe(into)})")

    key("alt+r")
    time.sleep(0.5)
    check(tab_chosen(win, "Remote Host") and not tab_chosen(win, "This Computer"),
          "Alt+R chooses the Remote Host tab again")
finally:
    stop(proc)
    listener.close()

finish()
