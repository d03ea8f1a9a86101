#!/usr/bin/env python3
# check-code-size.py SRCDIR: the layout rules of the README, checked.
# No .c file under src/ outside src/core/protocols/ is over 900 lines, and no
# function anywhere under src/ is over 80 lines (from its opening brace in
# column 0 to its closing one, as style-models.md measures). A file or a
# function that grows past them is a sign it holds more than one job.
import os
import re
import sys

MAX_FILE_LINES = 900
MAX_FUNCTION_LINES = 80

src = os.path.join(sys.argv[1], 'src')
problems = []


def functions(lines):
    """(name, length, first line) of every function body in GNU style."""
    i = 0
    while i < len(lines):
        # A body opens with "{" alone in column 0 after a parameter list.
        if lines[i] == '{' and i > 0 and lines[i - 1].rstrip().endswith(')'):
            j = i + 1
            while j < len(lines) and lines[j] != '}':
                j += 1
            k = i - 1
            while k > 0 and not re.match(r'^[A-Za-z_]\w* *\(', lines[k]):
                k -= 1
            name = re.match(r'^([A-Za-z_]\w*)', lines[k]).group(1)
            yield name, j - i + 1, k + 1
            i = j
        i += 1


for root, _, files in os.walk(src):
    for f in sorted(files):
        if not f.endswith('.c'):
            continue
        path = os.path.join(root, f)
        rel = os.path.relpath(path, sys.argv[1])
        lines = open(path, encoding='utf-8').read().split('\n')
        if len(lines) - 1 > MAX_FILE_LINES and not rel.startswith('src/core/protocols/'):
            problems.append(f'{rel}: {len(lines) - 1} lines (at most {MAX_FILE_LINES})')
        for name, length, line in functions(lines):
            if length > MAX_FUNCTION_LINES:
                problems.append(f'{rel}:{line}: {name} is {length} lines (at most {MAX_FUNCTION_LINES})')

for p in problems:
    print(p)
print(f'{len(problems)} problem(s)' if problems else 'every file and function within the limits')
sys.exit(1 if problems else 0)
