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

APP, REPORT = sys.argv[1], sys.argv[2]
failures = []


def check(cond, what):
    print(("ok - " if cond else "not ok - ") + what, flush=True)
    if not cond:
        failures.append(what)


def find_app(timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            sys.exit(f"FAIL: the application exited ({proc.returncode})")
        for a in pyatspi.Registry.getDesktop(0):
            if a is not None and a.name == "portquery" and a.childCount > 0:
                return a
        time.sleep(0.2)
    sys.exit("FAIL: the application never showed on the accessibility bus")


def frame_named(app, pattern, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        for w in app:
            if w is not None and re.search(pattern, w.name or ""):
                return w
        time.sleep(0.2)
    return None


def walk(node):
    """Every object under node that is visible (GTK 4.8 sets no SHOWING)."""
    try:
        states = node.getState()
    except Exception:
        return
    if not states.contains(pyatspi.STATE_VISIBLE):
        return
    yield node
    for child in node:
        if child is not None:
            yield from walk(child)


CONTROLS = {"push button", "toggle button", "check box", "radio button", "text",
            "entry", "combo box", "spin button", "toggle button", "page tab",
            "slider", "menu item", "password text"}


def names_read(root):
    """(role, name) of every control a user can reach."""
    found = []
    for o in walk(root):
        role = o.getRoleName()
        if role in CONTROLS and o.getState().contains(pyatspi.STATE_FOCUSABLE):
            found.append((role, o.name or ""))
    return found


def doubled(name):
    words = name.split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]


# libadwaita 1.2's preferences window wraps its Close button in a
# button read as "GtkImage" that the application cannot reach; its
# inner button is read "Close". Known, not ours to name.
KNOWN = {("Preferences", "push button", "GtkImage")}


def check_names(root, where):
    for role, name in names_read(root):
        if (where, role, name) in KNOWN:
            continue
        check(name != "" and not name.startswith("Gtk") and not name.startswith("Adw"),
              f"{where}: the {role} has a name a user reads ({name!r})")
        check(not re.search(r"(^|\s)_\w|\w_\w", name), f"{where}: {role} {name!r} has no mnemonic underscore")
        check(not doubled(name), f"{where}: {role} {name!r} is not said twice")


def focused(root):
    for o in walk(root):
        if o.getState().contains(pyatspi.STATE_FOCUSED):
            return o
    return None


def same(a, b):
    try:
        return a is not None and b is not None and a.path == b.path
    except Exception:
        return False


def tab(keys, root, before):
    """Sends keys, then waits (a loaded machine is slow) for the focus
    to leave before; returns where it went."""
    key(keys)
    end = time.time() + 3
    now = focused(root)
    while (now is None or same(now, before)) and time.time() < end:
        time.sleep(0.1)
        now = focused(root)
    return now


def inside(o, role):
    while o is not None:
        if o.getRoleName() == role:
            return True
        o = o.parent
    return False


def key(*keys):
    subprocess.run(["xdotool", "key", "--clearmodifiers", *keys], check=True)
    time.sleep(0.35)


def describe(o):
    return f"{o.getRoleName()} {o.name!r}" if o is not None else "nothing"


proc = subprocess.Popen([APP, REPORT])
try:
    app = find_app()
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
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()

print(f"# {len(failures)} failed", flush=True)
sys.exit(1 if failures else 0)
