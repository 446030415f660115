#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Size and header checks of src/, run by `make structure`.

Fails when:
- a source file (src/*.c, src/*.h) is over 1,000 lines;
- a function is over 100 lines (from the line of its name to its
  closing brace at column 0);
- superd.h declares a function that only the file defining it uses (it
  should be static there).  Users are src/*.c and the tests
  (tests/unit, tests/fuzz): a test may call a file's function.

A file listed in tests/structure/sizes.allow may stay over 1,000 lines
until it is split (that list only shrinks; a listed file no longer over
is reported so that its line is removed).

usage: sizes.py [ROOT]
"""
import os
import re
import sys

MAX_FILE = 1000
MAX_FUNC = 100
DEF = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)\(', re.M)
PROTO = re.compile(r'\b([a-z_][a-z0-9_]*)\s*\([^()]*(\([^()]*\)[^()]*)*\)'
                   r'\s*(__attribute__\s*\(\(.*?\)\))?\s*;', re.S)
IDENT = re.compile(r'\b([A-Za-z_][A-Za-z0-9_]*)\b')

from callgraph import strip  # noqa: E402 (one reader of C for both checks)


def sources(root, sub, exts=('.c',)):
    """Paths of the files under ROOT/SUB ending in EXTS."""
    d = os.path.join(root, sub)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, n) for n in os.listdir(d)
                  if n.endswith(exts))


def long_functions(path):
    """(name, first line, length) of each function over MAX_FUNC lines."""
    lines = strip(open(path, errors='replace').read()).split('\n')
    out = []
    for i, line in enumerate(lines):
        m = DEF.match(line)
        if not m or line.rstrip().endswith(';'):
            continue
        for j in range(i, len(lines)):
            if lines[j].startswith('}'):
                break
        if j - i + 1 > MAX_FUNC:
            out.append((m.group(1), i + 1, j - i + 1))
    return out


def header_protos(path):
    """Names of the functions a header declares."""
    text = strip(open(path, errors='replace').read())
    text = re.sub(r'^#.*$', '', text, flags=re.M)
    names = set()
    for stmt in text.split(';'):
        stmt = stmt.strip()
        if '{' in stmt or '}' in stmt or stmt.startswith('typedef'):
            stmt = stmt[max(stmt.rfind('{'), stmt.rfind('}')) + 1:].strip()
        m = re.match(r'^(extern\s+)?[A-Za-z_][\w\s\*]*?\b([a-z_][a-z0-9_]*)'
                     r'\s*\(', stmt)
        if m and '(*' not in stmt.split('(')[0] + '(':
            names.add(m.group(2))
    return names


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    root = argv[1] if len(argv) > 1 else os.path.join(here, '..', '..')
    bad = 0
    allow = set()
    for line in open(os.path.join(here, 'sizes.allow')):
        line = line.split('#', 1)[0].strip()
        if line:
            allow.add(line)
    for path in sources(root, 'src', ('.c', '.h')):
        rel = os.path.relpath(path, root)
        n = open(path, errors='replace').read().count('\n')
        if n > MAX_FILE and rel not in allow:
            print(f'{rel}: {n} lines, over {MAX_FILE}')
            bad += 1
        elif n > MAX_FILE:
            print(f'{rel}: {n} lines, over {MAX_FILE} (sizes.allow)')
        elif rel in allow:
            print(f'{rel}: {n} lines: remove it from sizes.allow')
            bad += 1
    for path in sources(root, 'src'):
        for name, line, length in long_functions(path):
            print(f'{os.path.relpath(path, root)}:{line}: {name}: {length} '
                  f'lines, over {MAX_FUNC}')
            bad += 1
    owner, users = {}, {}
    for path in sources(root, 'src'):
        me = os.path.basename(path)
        text = strip(open(path, errors='replace').read())
        for line in text.split('\n'):
            m = DEF.match(line)
            if m and not line.rstrip().endswith(';'):
                owner.setdefault(m.group(1), me)
    for path in (sources(root, 'src') + sources(root, 'tests/unit') +
                 sources(root, 'tests/fuzz')):
        me = os.path.relpath(path, root)
        text = open(path, errors='replace').read()
        # A table header it includes (conf_options.h) is its own text.
        for inc in re.findall(r'^#include "([a-z_]+\.h)"', text, re.M):
            ipath = os.path.join(root, 'src', inc)
            if inc != 'superd.h' and os.path.exists(ipath):
                text += open(ipath, errors='replace').read()
        for ident in set(IDENT.findall(strip(text))):
            users.setdefault(ident, set()).add(os.path.basename(me)
                                               if me.startswith('src')
                                               else me)
    for name in sorted(header_protos(os.path.join(root, 'src', 'superd.h'))):
        if name in owner and users.get(name, set()) <= {owner[name]}:
            print(f'src/superd.h: {name} is used only in {owner[name]}: '
                  f'make it static there')
            bad += 1
    print(f'sizes: {bad} problem{"s" if bad != 1 else ""}')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
