#!/usr/bin/python3
# test-atspi-results.py PORTQUERY PORTQRY SERVER: the window read the way a screen
# reader reads it (AT-SPI, the interface Orca uses) and driven by real key
# events (xdotool, through the X server), on a report of the rig's Samba AD
# DC queried by portqry: its endpoint mapper, NetBIOS name service and LDAP.
# Run by run-test-atspi.sh inside the rig's client namespace, under
# dbus-run-session, with accessibility on.
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import pyatspi

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import atspi_util  # noqa: E402
from atspi_util import check, click, find, focused, key, role, visible, walk  # noqa: E402

PORTQUERY, PORTQRY, SERVER = sys.argv[1:4]
STATE_WORDS = r"(LISTENING|NOT LISTENING|FILTERED|LISTENING or FILTERED)"


def pane_for(app, prefix):
    return find(app, lambda a: role(a) == "panel" and a.name.startswith(prefix) and visible(a), 5)


def inside(acc, ancestor):
    while acc is not None and ancestor is not None:
        if acc == ancestor:
            return True
        acc = acc.parent
    return False


def table_cells(row):
    return [row.getChildAtIndex(i).name for i in range(row.childCount)]


def wait_for_names():
    """The DC registers DC1 and TEST some seconds after it starts: wait for
    its name table to be complete, as test-golden.sh does."""
    for _ in range(120):
        out = subprocess.run([PORTQRY, "-n", SERVER, "-e", "137", "-p", "udp", "-nr"],
                             capture_output=True, text=True).stdout
        if all(n in out for n in ("DC1 <00>", "DC1 <20>", "TEST <1C>", "TEST <00>")):
            return True
        time.sleep(0.5)
    return False


def query_dc(tmp):
    check(wait_for_names(), "the DC registered its NetBIOS names")
    report = os.path.join(tmp, "dc.json")
    text = subprocess.run([PORTQRY, "-n", SERVER, "-o", "135,137,389", "-p", "both", "-nr",
                           "--export", report], capture_output=True, text=True).stdout
    with open(report) as f:
        return json.load(f), report, text


def details_of(doc, port, protocol):
    for r in doc["results"]:
        if r["port"] == port and r["protocol"] == protocol:
            return r["details"]
    return []


def check_names(app):
    names = [a.name for a in walk(app) if role(a) in ("push button", "toggle button", "table row")]
    doubled = [n for n in names if "_" in n and re.search(r"_(\w+).* \1", n)]
    results = find(app, lambda a: a.name == "Query results" and role(a) == "tree table")
    check(results is not None, "the results table is a tree table named “Query results”")
    show = find(app, lambda a: a.name == "Show" and role(a) == "panel")
    buttons = [(show.getChildAtIndex(i).name, role(show.getChildAtIndex(i))) for i in range(show.childCount)]
    check([b[0] for b in buttons] == ["All", "Listening", "Problems"],
          "the switch's buttons read their labels, without the mnemonic: %s" % buttons)
    # The titles read as "filler", not "column header", and the window
    # cannot change that on GTK 4.8: GtkColumnViewTitle's role is already
    # GTK_ACCESSIBLE_ROLE_COLUMN_HEADER (test-window.c asserts it), but
    # GTK's AT-SPI backend maps that role to nothing (gtk/a11y/
    # gtkatspiutils.c, gtk_accessible_role_to_atspi_role: "case
    # GTK_ACCESSIBLE_ROLE_COLUMN_HEADER: break;", then ATSPI_ROLE_FILLER),
    # and no other GtkAccessibleRole becomes ATSPI_ROLE_COLUMN_HEADER. So
    # each title is named for its column, and the row of titles "Column
    # headers" (pq_findings_table_name_headers).
    headers = [c.name for c in walk(results) if role(c) == "filler" and c.name in
               ("Port", "Protocol", "Service", "Status", "Evidence", "Time")]
    check(headers == ["Port", "Protocol", "Service", "Status", "Evidence", "Time"],
          "the results table's column headers read their titles: %s" % headers)
    rows = [a.name for a in walk(results) if role(a) == "table row" and a.name != "Column headers"]
    check(len(rows) == 6 and all(re.fullmatch(r"(TCP|UDP) \d+( \S+)?, " + STATE_WORDS, r) for r in rows),
          "every row is named for its port and state: %s" % rows)
    check(not [n for n in doubled if "Query results" in n], "no doubled mnemonic names in the results")


def check_endpoints(app, doc, text):
    endpoints = [d for d in details_of(doc, 135, "tcp") if d["kind"] == "rpc-endpoint"]
    row = find(app, lambda a: role(a) == "table row" and a.name.startswith("TCP 135 "))
    opener = find(row, lambda a: a.name == "Show findings for TCP 135", 2)
    check(opener is not None, "the arrow of TCP 135 reads “Show findings for TCP 135”")
    click(row)
    key("Right")
    pane = pane_for(app, "TCP 135 epmap")
    check(pane is not None, "Right opens TCP 135's pane")
    if pane is None:
        return
    check(opener.getState().contains(pyatspi.STATE_PRESSED) or opener.getState().contains(pyatspi.STATE_CHECKED),
          "its arrow reads as pressed")
    check(find(pane, lambda a: a.name == "Copy Row" and role(a) == "push button", 2) is not None,
          "the table's Copy Row button reads “Copy Row”")
    check(find(pane, lambda a: a.name == "Filter endpoints" and role(a) in ("entry", "text"), 2) is not None,
          "the filter entry is named")
    table = find(pane, lambda a: a.name == "Endpoints" and role(a) == "tree table")
    total = find(pane, lambda a: role(a) == "label" and re.match(r"\d+ endpoints", a.name))
    check(total is not None and total.name.startswith("%d endpoints: " % len(endpoints)),
          "the total says %d endpoints: %s" % (len(endpoints), total.name if total else None))
    header_row = table.getChildAtIndex(0) if table else None
    headers = [header_row.getChildAtIndex(i).name for i in range(header_row.childCount)] if header_row else []
    titles = ["Interface", "UUID", "Version", "Protocol", "Address, port or pipe", "Annotation"]
    check(headers == titles, "the endpoint table's column headers read: %s" % headers)
    rows = [a for a in walk(table) if role(a) == "table row" and a.name != "Column headers"]
    check(len(rows) >= 5, "the endpoint table shows rows (%d on screen)" % len(rows))
    uuids = {d["value"].split(" ")[0] for d in endpoints}
    for r in rows[:8]:
        cells = table_cells(r)
        ok = (len(cells) == 6 and cells[1] in uuids and cells[1] in text and
              cells[3] in ("TCP", "named pipe", "local RPC", "HTTP", "UDP") and
              re.fullmatch(r"\d+\.\d+", cells[2]) is not None and re.split(r"[\\:]", cells[4])[-1] in text)
        check(ok, "endpoint row read cell by cell, as portqry printed it: %s" % cells)
    key("Left")
    check(pane_for(app, "TCP 135 epmap") is None, "Left closes the pane")
    key("Return")
    check(pane_for(app, "TCP 135 epmap") is not None, "Enter opens it again")
    key("minus")
    check(pane_for(app, "TCP 135 epmap") is None, "minus closes it")
    key("plus")
    check(pane_for(app, "TCP 135 epmap") is not None, "plus opens it")
    key("Tab")
    focus = focused(app)
    check(focus is not None and inside(focus, pane_for(app, "TCP 135 epmap")),
          "Tab goes from the row into the open pane in one step: %s" % (focus.name if focus else None))
    key("shift+Tab")
    focus = focused(app)
    check(focus is not None and role(focus) == "table row" and focus.name.startswith("TCP 135 "),
          "Shift+Tab comes back to the row: %s" % (focus.name if focus else None))


def check_netbios(app, doc):
    key("Down")
    key("Down")
    key("Down")
    pane = pane_for(app, "UDP 137 netbios-ns")
    check(pane is not None, "Down moves to UDP 137 and the open pane follows")
    if pane is None:
        return
    mac = [d["value"] for d in details_of(doc, 137, "udp") if d["kind"] == "mac"]
    check(bool(mac) and find(pane, lambda a: role(a) == "label" and a.name == mac[0], 3) is not None,
          "the MAC address shows: %s" % mac)
    check(find(pane, lambda a: a.name == "Copy the MAC address", 2) is not None, "with a Copy button")
    table = find(pane, lambda a: a.name == "NetBIOS names" and role(a) == "tree table")
    names = [d for d in details_of(doc, 137, "udp") if d["kind"] == "netbios-names"]
    expected = len(names[0]["children"]) if names else -1
    rows = []
    for _ in range(25):   # the rows arrive on the bus a moment after the table
        rows = [table_cells(a) for a in walk(table) if role(a) == "table row" and a.name != "Column headers"]
        if len(rows) == expected:
            break
        time.sleep(0.2)
    check(len(rows) == expected, "the name table has a row per name (%d)" % expected)
    check(["DC1", "<00>", "Workstation Service", "unique", "active"] in rows,
          "the name table reads DC1 <00> cell by cell: %s" % rows[:3])
    check(any(r[0] == "TEST" and r[3] == "group" for r in rows), "the domain's group name is there")


def check_ldap(app):
    key("Down")
    pane = pane_for(app, "TCP 389 ldap")
    check(pane is not None, "Down again: TCP 389's LDAP pane")
    if pane is None:
        return
    labels = [a.name for a in walk(pane) if role(a) == "label"]
    first = next((i for i, n in enumerate(labels) if n.endswith("Functionality")), None)
    other = labels.index("configurationNamingContext") if "configurationNamingContext" in labels else None
    check(first is not None and other is not None and first < other,
          "functional levels come before the other attributes, names in full")
    check("DC=test,DC=lan" in labels, "values beside their names")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        doc, report, text = query_dc(tmp)
        env = dict(os.environ)
        env.pop("GTK_A11Y", None)
        env.pop("NO_AT_BRIDGE", None)

        def body(app):
            find(app, lambda a: role(a) == "table row" and a.name.startswith("TCP 135 "), 10)
            check_names(app)
            check_endpoints(app, doc, text)
            check_netbios(app, doc)
            check_ldap(app)

        return atspi_util.run_app([PORTQUERY, report], env, body)


sys.exit(main())
