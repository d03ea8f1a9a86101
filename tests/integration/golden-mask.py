#!/usr/bin/python3
"""golden-mask.py FORMAT FILE [--replace OLD=NEW]...: FILE, with what differs
from one run of test-golden.sh to the next replaced by <PLACEHOLDERS>, on
standard output.

FORMAT is text (portqry's output, the log file, the .txt and .html reports),
csv (the .csv report) or json (--json and the .json report). --replace
swaps a literal string first (the test's temporary directory, the path of
the portqry binary, both part of the log's "Command run" line).
--sort-endpoints sorts the endpoint mapper's entries (text: each "UUID:"
line with the lines under it; JSON: the rpc-endpoint findings), for a
server that registers them in a different order in each run.

Only what was seen to change between runs on the same rig is masked, so
every state, service name, evidence sentence and finding stays compared.
Kept on purpose because they did not change: the LDAP clock skew line (the
rig's servers share this computer's clock), highestCommittedUSN (a freshly
provisioned DC gives the same number), and every byte count but SNMP's. The
NBSTAT MAC address is masked for both hosts: the AD DC gave zeros in one run
of many, so zeros from nmbd cannot be told from chance.

A JSON document is parsed, masked and written again with indent 2 in the
document's own key order, so the golden file pins the keys, their order and
the values, not the whitespace. The CSV report is read and written again with
every field quoted and CRLF line ends (RFC 4180); the script fails if that
does not give back the file byte for byte, so the golden file pins the
report's layout too.
"""

import csv
import io
import json
import re
import socket
import sys

MASK_MS = "<MS>"
DYNAMIC_PORT_MIN = 49152  # IANA's dynamic range, where Samba puts its RPC servers


def dynamic_port(match):
    port = int(match.group(2))
    return match.group(1) + ("<DYNAMIC-PORT>" if port >= DYNAMIC_PORT_MIN else match.group(2)) + "]"


# Each pattern matches the value only in the format portqry writes it today
# (elapsed times with one decimal, dates as the writer prints them): a
# value written another way is left alone and shows in the diff.
DATE_ISO = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"      # 2026-11-29 12:51:07 UTC
DATE_C = r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}"  # Sun Nov 29 12:51:06 2026
HOSTNAME = re.escape(socket.gethostname())

# (pattern, replacement, why): applied to the whole text, to every JSON
# string and to "label: value" of every JSON finding, and to every CSV cell.
RULES = [
    (r"(?<=after )\d+\.\d ms", MASK_MS + " ms",
     "elapsed time of a probe: 'on try 1, after 0.3 ms', 'from the target X after 0.2 ms'"),
    (r"(<td>)\d+\.\d ms(</td>)", r"\1" + MASK_MS + r" ms\2",
     "elapsed time of a probe (the HTML report's Time column)"),
    (r"(?m)^(System Date: )(?:%s|%s)$" % (DATE_C, DATE_ISO), r"\1<DATE>",
     "when the log (C locale date) or the text report (UTC) was written"),
    (r"(<dt>(?:Started|Finished)</dt><dd>)%s(</dd>)" % DATE_ISO, r"\1<DATE>\2",
     "when the query ran (HTML report)"),
    (r"(?m)^(Local computer name:\n\n )%s$" % HOSTNAME, r"\1<HOSTNAME>",
     "the name of the computer the test runs on (log file)"),
    (r"(?m)^(\s*currentTime: )\d{14}\.\dZ \(%s\)$" % DATE_ISO, r"\1<GENERALIZED-TIME> (<DATE>)",
     "the AD DC's clock (LDAP root entry)"),
    (r"(sysUpTime \(1\.3\.6\.1\.2\.1\.1\.3\.0\): Timeticks: )"
     r"\(\d+\) \d+ days, \d+ hours, \d+ minutes, \d+\.\d\d seconds", r"\1(<TICKS>) <UPTIME>",
     "how long snmpd has run"),
    (r"(MAC address:? )[0-9a-f]{2}(?::[0-9a-f]{2}){5}", r"\1<MAC>",
     "the Samba AD DC answers NBSTAT with a random MAC address on each start, and now and then "
     "with zeros; nmbd with zeros"),
    (r"(MAC address: )[0-9a-f]{12}\b", r"\1<MAC>",
     "the same, in PortQry's text layout: 12 hex digits"),
    (r"(sent a reply of )\d+( bytes after \S+ ms\. SNMP )", r"\1<BYTES>\2",
     "portqry's SNMP request-id is random, and BER gives it 1 to 4 bytes in the reply"),
    (r"(?m)^(\s*Server time: )%s$" % DATE_ISO, r"\1<DATE>",
     "smbd's clock (SMB NEGOTIATE response)"),
    (r"(?m)^(\s*Clock skew: )in step with this computer \(within \d+ s\)$",
     r"\1in step with this computer (within <N> s)",
     "seconds of skew between smbd's clock and this computer's, rounded: 0 or 1"),
    (r"(ncacn_ip_tcp:[^\[\s]*\[)(\d+)\]", dynamic_port,
     "samba-dcerpcd's helpers bind 49152, 49153, ... in the order they start, which varies"),
]
COMPILED = [(re.compile(p), r) for p, r, _ in RULES]


def mask_text(text):
    for pattern, replacement in COMPILED:
        text = pattern.sub(replacement, text)
    return text


def mask_local_address(value):
    """The local port of a probe is the kernel's choice; the address is kept."""
    if not isinstance(value, str):
        return value
    return re.sub(r"^((?:\d+\.){3}\d+|\[[0-9a-f:]+\]):\d+$", r"\1:<PORT>", value)


def mask_json_value(key, value, parent):
    if key in ("started", "finished") and isinstance(value, str) and \
            re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", value):
        return "<DATE>"  # when the query ran
    if key == "elapsed_ms" and isinstance(value, (int, float)):
        return MASK_MS  # elapsed time of a probe
    if key == "local_address":
        return mask_local_address(value)
    if key == "bytes_received" and parent.get("probe") == "snmp":
        return "<BYTES>"  # the random request-id's length, as in the evidence
    return mask_json(value)


def mask_finding(node):
    """A finding {kind, label, value, children}: masked as the text shows it,
    "label: value", so one rule covers both outputs."""
    label, value = node["label"], node["value"]
    if isinstance(label, str) and isinstance(value, str):
        prefix = label + ": "
        masked = mask_text(prefix + value)
        if masked.startswith(prefix):
            value = masked[len(prefix):]
    out = {}
    for key, item in node.items():
        out[key] = value if key == "value" else mask_json_value(key, item, node)
    return out


def mask_json(value):
    if isinstance(value, dict):
        if {"kind", "label", "value"} <= value.keys():
            return mask_finding(value)
        return {key: mask_json_value(key, item, value) for key, item in value.items()}
    if isinstance(value, list):
        return [mask_json(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def sort_endpoints_text(text):
    """Sorts each run of endpoint blocks: a "    UUID: " line and the more
    deeply indented lines under it."""
    lines = text.split("\n")
    out = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("    UUID: "):
            out.append(lines[i])
            i += 1
            continue
        blocks = []
        while i < len(lines) and lines[i].startswith("    UUID: "):
            block = [lines[i]]
            i += 1
            while i < len(lines) and lines[i].startswith("      "):
                block.append(lines[i])
                i += 1
            blocks.append(block)
        for block in sorted(blocks):
            out.extend(block)
    return "\n".join(out)


def sort_endpoints_json(value):
    """Sorts each run of rpc-endpoint findings in every list of findings."""
    if isinstance(value, dict):
        return {key: sort_endpoints_json(item) for key, item in value.items()}
    if not isinstance(value, list):
        return value
    items = [sort_endpoints_json(item) for item in value]
    out = []
    run = []
    for item in items + [None]:
        if isinstance(item, dict) and item.get("kind") == "rpc-endpoint":
            run.append(item)
            continue
        out.extend(sorted(run, key=lambda x: json.dumps(x, ensure_ascii=False)))
        run = []
        if item is not None:
            out.append(item)
    return out


def write_csv(rows):
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def mask_csv(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if write_csv(rows) != text:
        sys.exit("golden-mask.py: the CSV report is not written as every field quoted, "
                 "rows ending in CRLF: its layout changed")
    header = rows[0]
    masked = [header]
    for row in rows[1:]:
        cells = []
        for name, cell in zip(header, row):
            if name == "elapsed_ms" and re.fullmatch(r"\d+\.\d{3}", cell):
                cells.append(MASK_MS)
            elif name == "local_address":
                cells.append(mask_local_address(cell))
            else:
                cells.append(mask_text(cell))
        masked.append(cells + row[len(header):])
    return write_csv(masked)


def main():
    sys.stdout.reconfigure(encoding="utf-8", newline="")
    args = sys.argv[1:]
    if len(args) < 2 or args[0] not in ("text", "csv", "json"):
        sys.exit("usage: golden-mask.py text|csv|json FILE [--replace OLD=NEW]...")
    fmt, path, rest = args[0], args[1], args[2:]
    sort_endpoints = "--sort-endpoints" in rest
    rest = [arg for arg in rest if arg != "--sort-endpoints"]
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    while rest:
        if rest[0] != "--replace" or len(rest) < 2 or "=" not in rest[1]:
            sys.exit("golden-mask.py: expected --replace OLD=NEW, not %r" % rest[0])
        old, new = rest[1].split("=", 1)
        text = text.replace(old, new)
        rest = rest[2:]

    if fmt == "json":
        try:
            document = json.loads(text)
        except ValueError as e:
            sys.exit("golden-mask.py: %s is not JSON: %s" % (path, e))
        document = mask_json(document)
        if sort_endpoints:
            document = sort_endpoints_json(document)
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        sys.stdout.write(mask_csv(text))
    else:
        text = mask_text(text)
        sys.stdout.write(sort_endpoints_text(text) if sort_endpoints else text)


if __name__ == "__main__":
    main()
