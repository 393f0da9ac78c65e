#!/usr/bin/env python3
"""Fails, naming file and line, on a boundary without its contract.

  check-contracts.py ROOT                 the project's boundaries
  check-contracts.py --headers H... --sources C...

Every function a boundary header declares (or defines inline) needs a
comment that says what it needs, returns and owns: directly above it, or
above the run of declarations it belongs to (no blank line between them).
Every source file needs a comment near its top saying what it is for.
"""
import glob
import os
import re
import sys

# The headers through which one part of the project calls another: the
# core's interfaces (arch.h among them), the vendor interface of the x86
# layer, the library the hypervisor shares with the SDK, and the parts of
# veneerctl.
BOUNDARY_HEADERS = ['hv/include/hv/*.h', 'hv/arch/x86/vendor.h',
                    'tools/veneerctl/veneerctl.h',
                    'sdk/libvnr/include/libvnr/*.h',
                    'sdk/libvnr/include/libvnr/x86/*.h']
# The Linux module follows the kernel's conventions instead.
SOURCE_TREES = ['hv', 'sdk', 'synthetic-devices', 'tools']

DECL_START = re.compile(r'^[A-Za-z_][\w \t\*]*\b(\w+)\s*\(')
NOT_DECL = re.compile(r'^(typedef|struct\s+\w+\s*\{|enum|union|#|extern\s+"C")')


def statements(lines):
    """Yields (first line number, text) of each file-scope statement."""
    depth = 0
    in_comment = False
    start = None
    text = ''
    for number, line in enumerate(lines, 1):
        code = line
        if in_comment:
            if '*/' not in code:
                continue
            code = code.split('*/', 1)[1]
            in_comment = False
        code = re.sub(r'/\*.*?\*/', '', code)
        if '/*' in code:
            code, in_comment = code.split('/*', 1)[0], True
        code = re.sub(r'//.*', '', code)
        if depth == 0 and start is None:
            if not code.strip() or code.lstrip().startswith('#'):
                continue
            start, text = number, ''
        if start is None:
            depth += code.count('{') - code.count('}')
            continue
        text += code + '\n'
        depth += code.count('{') - code.count('}')
        if depth == 0 and (code.rstrip().endswith(';') or
                           code.rstrip().endswith('}')):
            yield start, text
            start = None


def is_function(text):
    head = text.split('{', 1)[0] if '{' in text else text
    if NOT_DECL.match(text.lstrip()):
        return False
    if '=' in head.split('(', 1)[0]:
        return False
    return bool(DECL_START.match(head.lstrip())) and '(' in head


def commented(lines, first, grouped):
    """Is line `first` (1-based) under a comment or in a commented run?"""
    above = lines[first - 2].rstrip() if first >= 2 else ''
    if above.endswith('*/') or above.lstrip().startswith('//'):
        return True
    return grouped and above.strip() != ''


def check_header(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    problems = []
    prev_ok_end = -1
    for first, text in statements(lines):
        if not is_function(text):
            prev_ok_end = -1
            continue
        name = DECL_START.match(text.split('(')[0].lstrip() + '(').group(1)
        grouped = prev_ok_end == first - 1
        if commented(lines, first, grouped) or '/*' in lines[first - 1]:
            prev_ok_end = first + text.count('\n') - 1
        else:
            problems.append(f'{path}:{first}: {name}() has no contract '
                            'comment above it')
            prev_ok_end = -1
    return problems


def check_source(path):
    lines = open(path, encoding='utf-8').read().split('\n')[:12]
    for line in lines:
        stripped = line.strip()
        if stripped.startswith('#include') or stripped.startswith('#define'):
            break
        if ('/*' in stripped or stripped.startswith('*')) and \
                'SPDX' not in stripped and len(stripped) > 3:
            return []
    return [f'{path}:1: no comment at the top saying what the file is for']


def project_files(root):
    headers = []
    for pattern in BOUNDARY_HEADERS:
        headers += sorted(glob.glob(os.path.join(root, pattern)))
    sources = []
    for tree in SOURCE_TREES:
        for path in sorted(glob.glob(os.path.join(root, tree, '**', '*.c'),
                                     recursive=True)):
            if '/guest-linux/' not in path:
                sources.append(path)
    return headers, sources


def main(argv):
    mode = None
    problems = []
    if len(argv) == 2 and not argv[1].startswith('--'):
        headers, sources = project_files(argv[1])
        argv = [argv[0], '--headers'] + headers + ['--sources'] + sources
    for arg in argv[1:]:
        if arg in ('--headers', '--sources'):
            mode = arg
        elif mode == '--headers':
            problems += check_header(arg)
        elif mode == '--sources':
            problems += check_source(arg)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
