#!/usr/bin/python3
# test-atspi-ad.py PORTQUERY PORTQRY SERVER: what Active Directory troubleshooting
# asks next, read in the window the way a screen reader reads it (AT-SPI) and
# reached with real keys (xdotool): the rig's Samba AD DC's Kerberos on TCP and
# UDP 88 (realm, the KDC's answer, clock skew), its LDAPS certificate on 636
# (subject, expiry), and the file server's SMB on 445 (dialect, signing, SMB1).
# The reports are portqry's (--export), opened in the window as a user opens a
# saved report. Run by run-test-atspi-results.sh inside the rig's client
# namespace, under dbus-run-session, with accessibility on.
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import atspi_util  # noqa: E402
from atspi_util import check, click, find, key, role, visible, walk  # noqa: E402

PORTQUERY, PORTQRY, SERVER = sys.argv[1:4]
FILE_SERVER = "10.200.77.2"


def export(tmp, name, host, *args):
    report = os.path.join(tmp, name)
    subprocess.run([PORTQRY, "-n", host, "-nr", "--export", report, *args],
                   capture_output=True, text=True)
    with open(report) as f:
        return json.load(f), report


def value_of(doc, port, protocol, label):
    for r in doc["results"]:
        if r["port"] == port and r["protocol"] == protocol:
            for d in r["details"]:
                if d["label"] == label:
                    return d["value"]
    return None


def pane_for(app, prefix):
    return find(app, lambda a: role(a) == "panel" and a.name.startswith(prefix) and visible(a), 5)


def labels_of(pane):
    return [a.name for a in walk(pane) if role(a) == "label"]


def check_values(app, doc, prefix, port, protocol, wanted):
    """The pane of @prefix shows each finding of @wanted beside its value,
    as portqry's report has it."""
    pane = pane_for(app, prefix)
    check(pane is not None, "%s's pane is open" % prefix)
    if pane is None:
        return
    labels = labels_of(pane)
    for label, must in wanted:
        value = value_of(doc, port, protocol, label)
        check(value is not None and must in value,
              "%s: the report's %s says “%s”: %s" % (prefix, label, must, value))
        check(value is not None and any(value in n for n in labels),
              "%s: the pane reads %s “%s”" % (prefix, label, value))


def check_dc(app, doc):
    row = find(app, lambda a: role(a) == "table row" and a.name.startswith("TCP 88 "), 10)
    check(row is not None and row.name.endswith(", LISTENING"), "TCP 88 reads LISTENING: %s" % (row and row.name))
    udp = find(app, lambda a: role(a) == "table row" and a.name.startswith("UDP 88 "), 2)
    check(udp is not None and udp.name.endswith(", LISTENING"),
          "UDP 88 reads LISTENING, settled by the KDC's answer: %s" % (udp and udp.name))
    if row is None:
        return
    click(row)
    key("Right")
    kerberos = [("Realm", "TEST.LAN"), ("Error", "KDC_ERR_PREAUTH_REQUIRED"),
                ("Clock skew", "in step with this computer")]
    check_values(app, doc, "TCP 88 kerberos", 88, "tcp", kerberos)
    key("Down")
    check_values(app, doc, "UDP 88 kerberos", 88, "udp", kerberos)
    key("Down")
    check_values(app, doc, "TCP 636 ldaps", 636, "tcp",
                 [("Subject", "CN=DC1.test.lan"), ("Certificate", "expires in"),
                  ("Trusted", "no")])


def check_file_server(app, doc):
    row = find(app, lambda a: role(a) == "table row" and a.name.startswith("TCP 445 "), 10)
    check(row is not None, "TCP 445 has its row")
    if row is None:
        return
    click(row)
    key("Right")
    check_values(app, doc, "TCP 445 microsoft-ds", 445, "tcp",
                 [("Dialect", "SMB 3.1.1"), ("Signing", "enabled"), ("SMB1", "not accepted")])


def main():
    env = dict(os.environ)
    env.pop("GTK_A11Y", None)
    env.pop("NO_AT_BRIDGE", None)
    with tempfile.TemporaryDirectory() as tmp:
        dc, dc_report = export(tmp, "dc.json", SERVER, "-o", "88,636", "-p", "both")
        fs, fs_report = export(tmp, "fs.json", FILE_SERVER, "-e", "445")
        code = atspi_util.run_app([PORTQUERY, dc_report], env, lambda app: check_dc(app, dc))
        return code or atspi_util.run_app([PORTQUERY, fs_report], env, lambda app: check_file_server(app, fs))


sys.exit(main())
