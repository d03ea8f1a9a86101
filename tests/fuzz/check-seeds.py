#!/usr/bin/env python3
# check-seeds.py SRCDIR: every libFuzzer target starts from seeds kept in
# the repository, so a fresh clone fuzzes from real inputs, not from
# nothing (the report reader once reached coverage 47 in 45 s without).
# The targets are read from tests/fuzz/meson.build; the seeds are found as
# run-fuzz.sh finds them: tests/protocols/*/seeds/<name> or
# tests/fuzz/seeds/<name>, holding at least one non-empty file.
import glob
import os
import re
import sys

top = sys.argv[1]
build = open(os.path.join(top, 'tests', 'fuzz', 'meson.build')).read()
# "executable('fuzz-ber', ..." and the codec table's "['smtp', ..."
names = set(re.findall(r"executable\('fuzz-([a-z0-9-]+)'", build))
names |= set(re.findall(r"^\s*\['([a-z0-9-]+)',", build, re.M))
names.discard("' + f[0] + '")
problems = []
for name in sorted(names):
    dirs = sorted(glob.glob(os.path.join(top, 'tests', 'protocols', '*', 'seeds', name)) +
                  glob.glob(os.path.join(top, 'tests', 'fuzz', 'seeds', name)))
    files = [f for d in dirs[:1] for f in glob.glob(os.path.join(d, '*'))
             if os.path.isfile(f) and os.path.getsize(f) > 0]
    if not files:
        problems.append(f'fuzz-{name}: no seeds in tests/protocols/*/seeds/{name} '
                        f'or tests/fuzz/seeds/{name}; add a captured reply or a saved file there')
    else:
        print(f'ok fuzz-{name}: {len(files)} seeds in {os.path.relpath(dirs[0], top)}')
if len(names) < 3:
    problems.append(f'only {len(names)} fuzz targets found in tests/fuzz/meson.build: is the pattern still right?')
for p in problems:
    print('FAIL', p)
sys.exit(1 if problems else 0)
