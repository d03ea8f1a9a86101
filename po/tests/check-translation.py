#!/usr/bin/env python3
# check-translation.py PORTQRY LOCALEDIR DESKTOP METAINFO: the German catalog
# built into LOCALEDIR reaches the user: portqry's --help and an error message
# from the core library come out in German, a real scan keeps PortQry's English
# status keywords (scripts parse them) while its evidence is in German, and the
# built desktop file and metainfo carry the German name and summary.
import gettext
import os
import re
import socket
import subprocess
import sys

portqry, localedir, desktop_path, metainfo_path = sys.argv[1:5]
mo_path = os.path.join(localedir, 'de', 'LC_MESSAGES', 'portquery.mo')
with open(mo_path, 'rb') as f:
    catalog = gettext.GNUTranslations(f)
messages = catalog._catalog  # msgid -> msgstr, as gettext will see them


def german_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith('LC_')}
    # glibc ignores LANGUAGE only in the "C" locale; C.UTF-8 is built in,
    # so no de_DE locale needs to be generated for this test.
    env.update(LANG='C.UTF-8', LANGUAGE='de', PORTQUERY_LOCALEDIR=localedir)
    return env


def run(args):
    return subprocess.run([portqry] + args, env=german_env(), capture_output=True,
                          text=True, timeout=30)


def literal_parts(msgstr):
    """The text between printf conversions, longest first."""
    parts = re.split(r'%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?(?:l|ll|z|h)?[a-zA-Z%]', msgstr)
    return sorted((p.strip() for p in parts if p.strip()), key=len, reverse=True)


failures = []

# 1. --help, from the command line's own strings.
usage_ids = [m for m in messages if isinstance(m, str) and m.startswith('Usage: portqry')]
if not usage_ids:
    failures.append('de.po has no translation of portqry --help')
else:
    expected_first = messages[usage_ids[0]].splitlines()[0]
    out = run(['--help']).stdout
    if not out.startswith(expected_first) or expected_first.startswith('Usage:'):
        failures.append(f'portqry --help starts with {out.splitlines()[:1]!r}, '
                        f'expected the German {expected_first!r}')

# 2. An error message from the core library (its own gettext calls).
msgid = '“%s” is not a protocol. Type tcp, udp or both.'
if msgid not in messages:
    failures.append(f'de.po has no translation of {msgid!r}')
else:
    expected = messages[msgid].replace('%s', 'foo')
    err = run(['-n', '127.0.0.1', '-p', 'foo']).stderr
    if expected not in err:
        failures.append(f'portqry -p foo said {err.strip()!r}, expected {expected!r}')

# 3. A real scan of a port this test opened on loopback.
evidence_id = '%s accepted the TCP connection (handshake completed) on try %u, after %.1f ms.'
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
    listener.bind(('127.0.0.1', 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    result = run(['-n', '127.0.0.1', '-e', str(port), '-nr', '-v'])
    out = result.stdout
    if not re.search(rf'^TCP port {port} \(.*\): LISTENING$', out, re.M):
        failures.append(f'the status line lost PortQry\'s keywords:\n{out}')
    if evidence_id not in messages:
        failures.append(f'de.po has no translation of {evidence_id!r}')
    else:
        piece = literal_parts(messages[evidence_id])[0]
        if piece not in out or 'accepted the TCP connection' in out:
            failures.append(f'the evidence is not in German (looked for {piece!r}):\n{out}')
    if result.returncode != 0:
        failures.append(f'portqry exited {result.returncode} for a listening port')

# 4. What GNOME Shell and Software show: merged at build time from de.po.
with open(desktop_path, encoding='utf-8') as f:
    desktop = f.read()
with open(metainfo_path, encoding='utf-8') as f:
    metainfo = f.read()
comment = re.search(r'^Comment=(.*)$', desktop, re.M).group(1)
if comment not in messages:
    failures.append(f'de.po has no translation of the desktop comment {comment!r}')
elif f'Comment[de]={messages[comment]}' not in desktop:
    failures.append('the desktop file has no German Comment[de]')
summary = re.search(r'<summary>(.*?)</summary>', metainfo).group(1)
if summary not in messages:
    failures.append(f'de.po has no translation of the metainfo summary {summary!r}')
elif f'<summary xml:lang="de">{messages[summary]}</summary>' not in metainfo:
    failures.append('the metainfo has no German summary')

for failure in failures:
    print('FAIL:', failure)
if not failures:
    print('German reaches the user: portqry --help, core errors, evidence (status keywords unchanged), '
          'desktop file and metainfo.')
sys.exit(1 if failures else 0)
