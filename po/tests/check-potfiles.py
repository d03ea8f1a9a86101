#!/usr/bin/env python3
# check-potfiles.py SOURCE_ROOT: fail when a file with translatable strings
# is missing from po/POTFILES.in (so a new window or codec is not shipped
# untranslated), or when POTFILES.in names a file that does not exist.
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1]).resolve()

# A gettext call opens with a string literal; comments that mention "N_()"
# do not. ngettext and C_ take the string as their first argument too.
C_CALL = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|Q_|ngettext)\s*\(\s*"')
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true)"')
SCANNED = ('src', 'ui', 'data')


def needs_translation(path):
    name = path.name
    if name.endswith(('.desktop.in', '.metainfo.xml.in', '.gschema.xml')):
        return True  # their user-visible fields are translatable by default
    try:
        text = path.read_text(encoding='utf-8', errors='replace')
    except OSError:
        return False
    if name.endswith(('.c', '.h')):
        return C_CALL.search(text) is not None
    if name.endswith(('.ui', '.blp', '.xml', '.in')):
        return UI_MARK.search(text) is not None
    return False


listed = set()
for line in (root / 'po' / 'POTFILES.in').read_text(encoding='utf-8').splitlines():
    line = line.strip()
    if line and not line.startswith('#'):
        listed.add(line)

status = 0
for entry in sorted(listed):
    if not (root / entry).is_file():
        print(f'po/POTFILES.in lists {entry}, which does not exist: remove the line.')
        status = 1

found = []
for top in SCANNED:
    for path in sorted((root / top).rglob('*')):
        if path.is_file() and needs_translation(path):
            found.append(path.relative_to(root).as_posix())

for entry in found:
    if entry not in listed:
        print(f'{entry} has translatable strings but is not in po/POTFILES.in: add the line "{entry}".')
        status = 1

# xgettext cuts a message at a format macro ("%" G_GSIZE_FORMAT " bytes"
# becomes "%"), so the text is never translated: write %zu, or cast and use
# %llu / %lld, inside translatable strings.
MACRO_IN_MESSAGE = re.compile(
    r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext)\s*\((?:[^()"]|"(?:[^"\\]|\\.)*")*?"(?:[^"\\]|\\.)*"\s*G_G[A-Z0-9]*_FORMAT')
for entry in found:
    if not entry.endswith('.c'):
        continue
    text = (root / entry).read_text(encoding='utf-8', errors='replace')
    for m in MACRO_IN_MESSAGE.finditer(text):
        line = text.count('\n', 0, m.start()) + 1
        print(f'{entry}:{line}: a format macro inside a translatable string: xgettext cuts the message there.')
        status = 1

if status == 0:
    print(f'POTFILES.in lists all {len(found)} files with translatable strings.')
sys.exit(status)
