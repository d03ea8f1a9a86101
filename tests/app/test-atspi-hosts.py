#!/usr/bin/python3
# test-atspi-hosts.py PORTQUERY PORTQRY SERVER: "Domain Controllers of…" as a
# keyboard and screen reader user meets it: the main menu opened with F10,
# the dialog read through AT-SPI (the interface Orca uses), the domain typed
# with real key events (xdotool); a domain without records, then test.lan's
# two controllers with priority and weight, both queried, the results read
# host by host. Run by run-test-atspi-results.sh in the rig's client
# namespace (RIG_DNS: it resolves through the rig's dnsmasq), under
# dbus-run-session, with accessibility on.
import os
import re
import subprocess
import sys
import tempfile
import time

import pyatspi

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
from atspi_util import start_window  # noqa: E402

PORTQUERY = sys.argv[1]
results = []


def check(ok, what):
    results.append(ok)
    print("%s %d %s" % ("ok" if ok else "not ok", len(results), what), flush=True)


def safely(pred):
    """A predicate that reads an object gone meanwhile is false, not an error."""
    def test(acc):
        try:
            return acc is not None and pred(acc)
        except Exception:
            return False
    return test


def tree(acc, pred=lambda a: True):
    """Every object under acc (acc too) that pred accepts, in order (pyatspi's own search)."""
    return ([acc] if safely(pred)(acc) else []) + pyatspi.findAllDescendants(acc, safely(pred))


def shown(acc):
    """Visible with every ancestor (GTK 4.8 keeps hidden widgets in the tree)."""
    while acc is not None and acc.getRoleName() != "application":
        if not acc.getState().contains(pyatspi.STATE_VISIBLE):
            return False
        acc = acc.parent
    return True


def wait_for(root, pred, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = tree(root, lambda a: pred(a) and shown(a))
        if found:
            return found[0]
        time.sleep(0.2)
    return None


def named(name, *roles):
    return lambda a: a.name == name and (not roles or a.getRoleName() in roles)


def press(*names):
    subprocess.run(["xdotool", "key", "--clearmodifiers", *names], check=True)
    time.sleep(0.5)


def type_text(text):
    subprocess.run(["xdotool", "type", "--delay", "40", text], check=True)
    time.sleep(0.5)


def shoot(name):
    """For a person to look at: the screen, where PQ_SCREENSHOT_DIR says."""
    if os.environ.get("PQ_SCREENSHOT_DIR"):
        subprocess.run(["import", "-window", "root", os.path.join(os.environ["PQ_SCREENSHOT_DIR"], name)])


def has_focus(acc):
    return acc is not None and acc.getState().contains(pyatspi.STATE_FOCUSED)


def open_dialog(app):
    """F10 opens the main menu; Down to the item, as a keyboard user goes."""
    press("F10")
    item = wait_for(app, lambda a: a.getRoleName() == "menu item" and "Domain Controllers of" in a.name, 5)
    check(item is not None, "the main menu lists “Domain Controllers of…”")
    for _ in range(10):
        if has_focus(item):
            break
        press("Down")
    check(has_focus(item), "Down reaches it")
    press("Return")
    return wait_for(app, lambda a: a.getRoleName() in ("frame", "dialog") and a.name == "Domain Controllers", 10)


def check_no_records(dialog):
    entry = wait_for(dialog, named("Domain", "text", "entry"), 5)
    check(has_focus(entry), "the dialog opens in its field, read as “Domain”")
    type_text("nodc.test.lan")
    press("Return")
    said = wait_for(dialog, lambda a: a.getRoleName() == "label" and
                    a.name.startswith("The domain nodc.test.lan has no domain controllers in DNS"), 15)
    check(said is not None, "a domain without records says so in the dialog")
    query = wait_for(dialog, named("Query Controllers", "push button"), 2)
    check(query is not None and not query.getState().contains(pyatspi.STATE_SENSITIVE),
          "nothing to query: “Query Controllers” is unavailable")


def check_controllers(dialog):
    press("ctrl+a")
    type_text("test.lan")
    press("Return")
    found = wait_for(dialog, named("Domain controllers found", "list", "list box"), 15)
    check(found is not None, "the controllers' list is read as “Domain controllers found”")
    if found is None:
        return
    labels = [a.name for a in tree(found, lambda a: a.getRoleName() == "label")]
    expected = ["dc1.test.lan", "priority 0, weight 100, port 389",
                "srv.test.lan", "priority 10, weight 50, port 389"]
    check([n for n in labels if n in expected] == expected,
          "both controllers with priority and weight, in the order a client tries them: %s" % labels)
    query = wait_for(dialog, named("Query Controllers", "push button"), 2)
    check(has_focus(query), "the focus moves to “Query Controllers”")
    shoot("domain-found.png")
    press("Return")


def check_results(app):
    rows = []
    deadline = time.time() + 30
    while time.time() < deadline and len(rows) < 4:
        rows = sorted(a.name for a in tree(app, lambda a: a.getRoleName() == "table row" and ": TCP " in a.name))
        time.sleep(0.3)
    check(rows == ["dc1.test.lan: TCP 443 https, NOT LISTENING", "dc1.test.lan: TCP 80 http, NOT LISTENING",
                   "srv.test.lan: TCP 443 https, NOT LISTENING", "srv.test.lan: TCP 80 http, NOT LISTENING"],
          "each row is read with its host first: %s" % rows)
    openers = sorted(a.name for a in tree(app, lambda a: a.name.startswith("Show findings for ")))
    check(openers == ["Show findings for TCP 443 of dc1.test.lan", "Show findings for TCP 443 of srv.test.lan",
                      "Show findings for TCP 80 of dc1.test.lan", "Show findings for TCP 80 of srv.test.lan"],
          "each row's arrow names its host too: %s" % openers)
    check(wait_for(app, named("Host", "filler", "column header", "table column header"), 5) is not None,
          "the Host column's header reads “Host”")
    summary = wait_for(app, lambda a: a.getRoleName() == "label" and a.name.startswith("2 hosts: "), 10)
    check(summary is not None and summary.name == "2 hosts: 2 with problems · 4 not listening",
          "the summary counts the hosts: %s" % (summary.name if summary else None))
    check(wait_for(app, named("By Host", "toggle button", "push button"), 5) is not None,
          "“By Host” is read by its label")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_CONFIG_HOME=tmp, GSETTINGS_BACKEND="memory", LC_ALL="C.UTF-8")
        env.pop("GTK_A11Y", None)
        env.pop("NO_AT_BRIDGE", None)
        proc, app = start_window([PORTQUERY], env)
        try:
            check(app is not None, "the window is on the accessibility bus")
            if app is None:
                return 1
            wait_for(app, lambda a: a.getRoleName() == "frame" and "Port Query" in a.name, 10)
            time.sleep(1)
            dialog = open_dialog(app)
            check(dialog is not None, "Enter opens the “Domain Controllers” dialog")
            if dialog is None:
                return 1
            check_no_records(dialog)
            shoot("domain-none.png")
            check_controllers(dialog)
            check_results(app)
        finally:
            proc.terminate()
            proc.wait()
    print("1..%d" % len(results))
    return 0 if all(results) else 1


sys.exit(main())
