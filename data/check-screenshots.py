#!/usr/bin/env python3
# check-screenshots.py METAINFO SOURCE_ROOT: every screenshot the metainfo
# names in this repository exists here and is a PNG, so the store pages do
# not show a broken image after a file is renamed or moved.
import pathlib
import sys
import xml.etree.ElementTree as ET

RAW = 'https://raw.githubusercontent.com/portquery/portquery/main/'
metainfo, root = sys.argv[1], pathlib.Path(sys.argv[2])

images = [i.text.strip() for i in ET.parse(metainfo).getroot().iter('image')]
failures = [] if images else ['the metainfo has no screenshot']
for url in images:
    if not url.startswith(RAW):
        continue
    path = root / url[len(RAW):]
    if not path.is_file():
        failures.append(f'{url} names {path.relative_to(root)}, which does not exist')
    elif path.read_bytes()[:8] != b'\x89PNG\r\n\x1a\n':
        failures.append(f'{path.relative_to(root)} is not a PNG image')
for failure in failures:
    print('FAIL:', failure)
if not failures:
    print('screenshots present:', ', '.join(images))
sys.exit(1 if failures else 0)
