#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""File-level call graph of src/*.c and its circles.

An arrow A -> B means a function defined in A calls (or takes the address
of) a non-static function defined in B.  Every arrow that lies on a circle
(a strongly connected component of two or more files) must be listed in
tests/structure/circles.allow; a new one fails the check.  Arrows listed
there that no longer lie on a circle are reported so that the list only
shrinks.

A configuration is immutable after its load: only the files listed in
tests/structure/conf_writers.allow (the parsers and what they call) may
call service_conf_edit, and no file but svctab.c may cast to a
non-const struct service_conf pointer.

usage: callgraph.py [--dot | --list] [SRCDIR]
  --dot   the whole graph in Graphviz form
  --list  the arrows on circles, in the form circles.allow takes
"""
import os
import re
import sys

DEF = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*)\(', re.M)
IDENT = re.compile(r'\b([A-Za-z_][A-Za-z0-9_]*)\b')


TOKEN = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"'
                   r"|'(?:\\.|[^'\\\n])*'", re.S)


def strip(text):
    """Text without comments, string and character literals (line breaks
    kept), read in one pass, so that "//" in a string or a quote in a
    comment is not taken for the start of something else."""
    def blank(m):
        t = m.group(0)
        if t.startswith('/*'):
            return '\n' * t.count('\n')
        if t.startswith('//'):
            return ' '
        return '""' if t[0] == '"' else "''"
    return TOKEN.sub(blank, text)


def definitions(src):
    """Map of each non-static function name to the file that defines it."""
    owner = {}
    for name in sorted(os.listdir(src)):
        if not name.endswith('.c'):
            continue
        text = strip(open(os.path.join(src, name), errors='replace').read())
        lines = text.split('\n')
        for i, line in enumerate(lines):
            m = DEF.match(line)
            if not m or line.rstrip().endswith(';'):
                continue
            prev = lines[i - 1] if i else ''
            if re.match(r'\s*static\b', prev) or 'static ' in prev:
                continue
            owner.setdefault(m.group(1), name[:-2])
    return owner


def edges(src, owner):
    """Set of (from, to) file arrows."""
    out = set()
    for name in sorted(os.listdir(src)):
        if not name.endswith('.c'):
            continue
        me = name[:-2]
        text = strip(open(os.path.join(src, name), errors='replace').read())
        for ident in set(IDENT.findall(text)):
            other = owner.get(ident)
            if other and other != me:
                out.add((me, other))
    return out


CAST = re.compile(r'\(\s*struct\s+service_conf\s*\*\s*\)')


def conf_writers(src, here):
    """Problems: a file not in conf_writers.allow that calls
    service_conf_edit, or a file other than svctab.c that casts to
    (struct service_conf *)."""
    allow = set()
    for line in open(os.path.join(here, 'conf_writers.allow')):
        allow.update(line.split('#', 1)[0].split())
    bad = []
    for name in sorted(os.listdir(src)):
        if not name.endswith('.c') or name == 'svctab.c':
            continue
        text = strip(open(os.path.join(src, name), errors='replace').read())
        if 'service_conf_edit' in IDENT.findall(text) and \
                name[:-2] not in allow:
            bad.append(f'{name} calls service_conf_edit (a configuration '
                       f'is written only while it is parsed: '
                       f'conf_writers.allow)')
        if CAST.search(text):
            bad.append(f'{name} casts to (struct service_conf *)')
    return bad


def circles(nodes, arrows):
    """Strongly connected components of two or more files (Tarjan)."""
    succ = {n: sorted(b for a, b in arrows if a == n) for n in nodes}
    index, low, stack, on, comps = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for n in sorted(nodes):
        if n not in index:
            visit(n)
    return comps


def main(argv):
    dot = '--dot' in argv
    listing = '--list' in argv
    args = [a for a in argv if a not in ('--dot', '--list')]
    here = os.path.dirname(os.path.abspath(__file__))
    src = args[0] if args else os.path.join(here, '..', '..', 'src')
    owner = definitions(src)
    arrows = edges(src, owner)
    nodes = {n[:-2] for n in os.listdir(src) if n.endswith('.c')}
    if dot:
        print('digraph superd {')
        for a, b in sorted(arrows):
            print(f'  "{a}" -> "{b}";')
        print('}')
        return 0
    comps = circles(nodes, arrows)
    oncircle = set()
    for comp in comps:
        members = set(comp)
        oncircle |= {(a, b) for a, b in arrows if a in members and b in members}
    if listing:
        for a, b in sorted(oncircle):
            print(f'{a} -> {b}')
        return 0
    allow = set()
    path = os.path.join(here, 'circles.allow')
    for line in open(path):
        line = line.split('#', 1)[0].split()
        if len(line) == 3 and line[1] == '->':
            allow.add((line[0], line[2]))
    new = sorted(oncircle - allow)
    stale = sorted(allow - oncircle)
    for comp in comps:
        print('circle: ' + ' '.join(comp))
    for a, b in stale:
        print(f'no longer on a circle (remove from circles.allow): {a} -> {b}')
    for a, b in new:
        print(f'NEW arrow on a circle: {a} -> {b}')
    writers = conf_writers(src, here)
    for w in writers:
        print('CONFIG WRITER: ' + w)
    print(f'callgraph: {len(nodes)} files, {len(arrows)} arrows, '
          f'{len(comps)} circles, {len(oncircle)} arrows on circles '
          f'({len(new)} new), {len(writers)} configuration writers '
          f'not allowed')
    return 1 if new or writers else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
