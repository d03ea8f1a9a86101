#!/usr/bin/python3
"""pqb.py: scan-bench's helpers: compare portqry's JSON with nmap's XML port
by port, read portqry's settings, medians and ratios.

  pqb.py compare PQ_JSON NMAP_XML PROTO LO HI      every port LO-HI of PROTO
  pqb.py compare-check PQ_JSON NMAP_XML PORTS      a TCP+UDP check of PORTS (a,b,c)
  pqb.py settings PQ_JSON
  pqb.py median X...
  pqb.py ratio A B LIMIT                           prints A/B and PASS or FAIL

compare-check allows one difference, and names it: a UDP port that nmap
found silent (open|filtered) and portqry's protocol query got an answer
from (LISTENING, reason udp-response), or the other way round, a port
that nmap's own UDP payload got an answer from while portqry, with
--no-probes, sent PortQry's empty datagram and met silence.

Copyright 2026 The Port Query authors
SPDX-License-Identifier: GPL-3.0-or-later
"""
import json
import statistics
import sys
import xml.etree.ElementTree as ET

NMAP_TO_PQ = {
    "open": "LISTENING",
    "closed": "NOT LISTENING",
    "filtered": "FILTERED",
    "open|filtered": "LISTENING or FILTERED",
}


def expand(spec):
    out = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            lo, hi = part.split("-")
            out.extend(range(int(lo), int(hi) + 1))
        else:
            out.append(int(part))
    return out


def portqry_results(path, proto):
    with open(path) as f:
        doc = json.load(f)
    results, dup = {}, 0
    for r in doc.get("results", []):
        if r.get("protocol") != proto:
            continue
        if r["port"] in results:
            dup += 1
        results[r["port"]] = r
    return results, dup


def nmap_states(path, proto):
    """{port: (state, reason)}, duplicates, problems"""
    root = ET.parse(path).getroot()
    states, dup, problems = {}, 0, []
    for host in root.iter("host"):
        ports = host.find("ports")
        if ports is None:
            continue
        for p in ports.findall("port"):
            if p.get("protocol") != proto:
                continue
            n = int(p.get("portid"))
            if n in states:
                dup += 1
            st = p.find("state")
            states[n] = (st.get("state"), st.get("reason"))
        # Ports nmap folds into "Not shown: N closed ports": --reason makes it
        # list them in <extrareasons ports="...">; every one is expanded.
        for ex in ports.findall("extraports"):
            st, count, seen = ex.get("state"), int(ex.get("count")), 0
            for er in ex.findall("extrareasons"):
                if er.get("proto", proto) != proto:
                    seen += int(er.get("count", 0))
                    continue
                if er.get("ports") is None:
                    problems.append("extrareasons without a ports list (nmap too old?)")
                    continue
                for n in expand(er.get("ports")):
                    if n in states:
                        dup += 1
                    states[n] = (st, er.get("reason"))
                    seen += 1
            if seen != count:
                problems.append(f"extraports state={st}: count={count} but {seen} ports listed")
    return states, dup, problems


def histogram(states, want):
    counts = {}
    for p in want:
        if p in states:
            counts[states[p]] = counts.get(states[p], 0) + 1
    return ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))


def compare_one(pq_json, nmap_xml, proto, want, allow_query):
    """Returns (ok, lines, exceptions)"""
    pq, pq_dup = portqry_results(pq_json, proto)
    nm, nm_dup, problems = nmap_states(nmap_xml, proto)
    ok, lines, diffs, excused = True, [], [], []
    for name, keys, dup in (("portqry", pq.keys(), pq_dup), ("nmap", nm.keys(), nm_dup)):
        missing, extra = set(want) - set(keys), set(keys) - set(want)
        if missing or extra or dup:
            ok = False
            lines.append(f"{name}: {len(missing)} ports missing, {len(extra)} unexpected, {dup} duplicates")
    for p in problems:
        ok = False
        lines.append("nmap: " + p)
    for port in want:
        if port not in pq or port not in nm:
            continue
        a, (b, why) = pq[port]["state"], nm[port]
        if NMAP_TO_PQ.get(b) == a:
            continue
        if allow_query and proto == "udp":
            if a == "LISTENING" and b == "open|filtered" and pq[port]["reason"] == "udp-response":
                excused.append(f"{port}/udp: LISTENING, portqry's protocol query was answered; nmap open|filtered")
                continue
            if a == "LISTENING or FILTERED" and b == "open" and why == "udp-response":
                excused.append(f"{port}/udp: LISTENING or FILTERED, portqry sent the empty datagram; nmap open, its payload was answered")
                continue
        diffs.append((port, a, b))
    if diffs:
        ok = False
    compared = sum(1 for p in want if p in pq and p in nm)
    lines.insert(0, f"states: portqry [{histogram({p: r['state'] for p, r in pq.items()}, want)}]  "
                    f"nmap [{histogram({p: s for p, (s, _) in nm.items()}, want)}]")
    lines.insert(1, f"compared {compared} of {len(want)} {proto} ports: {compared - len(diffs)} equal"
                    f"{' or explained' if excused else ''}, {len(diffs)} differ")
    for port, a, b in diffs[:15]:
        lines.append(f"  port {port}/{proto}: portqry {a!r}, nmap {b!r}")
    if len(diffs) > 15:
        lines.append(f"  ... {len(diffs) - 15} more")
    return ok, lines, excused


def cmd_compare(pq_json, nmap_xml, proto, lo, hi):
    ok, lines, _ = compare_one(pq_json, nmap_xml, proto, list(range(int(lo), int(hi) + 1)), False)
    for line in lines:
        print("   " + line)
    print(f"   -> {'EQUAL' if ok else 'DIFFERENT'}")
    sys.exit(0 if ok else 1)


def cmd_compare_check(pq_json, nmap_xml, ports):
    want = expand(ports)
    all_ok = True
    for proto in ("tcp", "udp"):
        ok, lines, excused = compare_one(pq_json, nmap_xml, proto, want, True)
        all_ok = all_ok and ok
        for line in lines:
            print("   " + line)
        for e in excused:
            print("     explained: " + e)
    print(f"   -> {'EQUAL' if all_ok else 'DIFFERENT'}")
    sys.exit(0 if all_ok else 1)


def cmd_settings(pq_json):
    with open(pq_json) as f:
        s = json.load(f)["settings"]
    print(f"TCP {s['tcp_tries']} tries x {s['tcp_timeout_ms']} ms, "
          f"UDP {s['udp_tries']} tries x {s['udp_wait_ms']} ms, "
          f"{s['ports_in_flight']} ports in flight, protocol probes "
          f"{'on' if s['protocol_probes'] else 'off'}")


def cmd_median(*xs):
    print(f"{statistics.median(float(x) for x in xs):.3f}")


def cmd_ratio(a, b, limit):
    r = float(a) / float(b)
    print(f"{r:.3f} {'PASS' if r <= float(limit) else 'FAIL'}")


{"compare": cmd_compare, "compare-check": cmd_compare_check, "settings": cmd_settings,
 "median": cmd_median, "ratio": cmd_ratio}[sys.argv[1]](*sys.argv[2:])
