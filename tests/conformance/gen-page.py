#!/usr/bin/env python3
"""Writes the "Conformance suite" section of docs/spec/conformance.md.

  gen-page.py ROOT            rewrites the section from checks.def
  gen-page.py --check ROOT    fails if the section differs from checks.def

The section is the text between <!-- conformance-checks: begin --> and
<!-- conformance-checks: end -->: a table of every check by area, then the
statements left unchecked.  Each spec reference must name a file of
docs/spec/ and, after '#', the anchor of one of its headings, so that a
renamed section fails the check instead of leaving a dead link.
"""
import os
import re
import sys

BEGIN = '<!-- conformance-checks: begin -->'
END = '<!-- conformance-checks: end -->'
ENTRY = re.compile(r'^(CHECK|RUNNER_CHECK)\((\w+?)_(\d+), "([^"]+)", "((?:[^"\\]|\\.)*)"\)$')
UNCHECKED = re.compile(r'^UNCHECKED\("([^"]+)", "((?:[^"\\]|\\.)*)"\)$')
AREAS = [('BOOT', 'Boot protocol'), ('DISC', 'Discovery'),
         ('MSR', 'Synthetic and architectural MSRs'),
         ('CONV', 'Hypercall conventions'), ('HC', 'Hypercalls'),
         ('SYNIC', 'Synthetic interrupt controller'),
         ('LOG', 'The serial log (checked by the runner)')]


def anchor(heading):
    """The anchor a Markdown renderer gives a heading."""
    text = heading.strip().lower()
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


def anchors(spec_dir, name):
    path = os.path.join(spec_dir, name)
    if not os.path.isfile(path):
        return None
    with open(path, encoding='utf-8') as f:
        return {anchor(line.lstrip('#')) for line in f
                if line.startswith('#')}


def link(spec_dir, ref, errors, where):
    name, _, section = ref.partition('#')
    found = anchors(spec_dir, name)
    if found is None:
        errors.append(f'{where}: no spec file {name}')
    elif section and section not in found:
        errors.append(f'{where}: {name} has no section #{section}')
    return f'[{ref}]({ref})'


def unescape(text):
    return text.replace('\\"', '"').replace('|', '\\|')


def section(root, errors):
    spec_dir = os.path.join(root, 'docs', 'spec')
    checks, unchecked = [], []
    path = os.path.join(root, 'tests', 'conformance', 'checks.def')
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            where = f'checks.def:{number}'
            m = ENTRY.match(line)
            if m:
                kind, area, num, ref, text = m.groups()
                checks.append((area, f'{area}-{num}', kind, ref, text, where))
                continue
            m = UNCHECKED.match(line)
            if m:
                unchecked.append((m.group(1), m.group(2), where))
                continue
            if re.match(r'^(CHECK|RUNNER_CHECK|UNCHECKED)\b', line):
                errors.append(f'{where}: malformed line')
    seen = set()
    for area, cid, _, _, _, where in checks:
        if cid in seen:
            errors.append(f'{where}: {cid} twice')
        seen.add(cid)
        if area not in dict(AREAS):
            errors.append(f'{where}: unknown area {area}')

    guest = sum(1 for c in checks if c[2] == 'CHECK')
    out = [BEGIN, '',
           'Generated from `tests/conformance/checks.def` by '
           '`tests/conformance/gen-page.py`; the test `conformance.page` '
           'fails when this list and the file differ.', '',
           f'{len(checks)} checks: {guest} made by the guest, '
           f'{len(checks) - guest} by the runner on the serial log.', '']
    for area, title in AREAS:
        rows = [c for c in checks if c[0] == area]
        if not rows:
            continue
        out += [f'### {title} ({len(rows)})', '',
                '| Check | Specification | Statement |',
                '|-------|---------------|-----------|']
        for _, cid, _, ref, text, where in rows:
            out.append(f'| {cid} | {link(spec_dir, ref, errors, where)} '
                       f'| {unescape(text)} |')
        out.append('')
    out += ['### Unchecked', '',
            'Normative statements the suite does not check, and why:', '']
    for ref, text, where in unchecked:
        out.append(f'- {link(spec_dir, ref, errors, where)}: '
                   f'{unescape(text)}.')
    out += ['', END]
    return '\n'.join(out)


def main(argv):
    check = '--check' in argv
    args = [a for a in argv if a != '--check']
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = args[0]
    errors = []
    text = section(root, errors)
    page = os.path.join(root, 'docs', 'spec', 'conformance.md')
    with open(page, encoding='utf-8') as f:
        current = f.read()
    if current.count(BEGIN) != 1 or current.count(END) != 1:
        errors.append(f'{page}: needs one {BEGIN} and one {END}')
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        return 1
    start = current.index(BEGIN)
    end = current.index(END) + len(END)
    wanted = current[:start] + text + current[end:]
    if check:
        if wanted != current:
            print(f'{page}: the conformance suite section differs from '
                  'checks.def (run tests/conformance/gen-page.py)',
                  file=sys.stderr)
            return 1
        return 0
    with open(page, 'w', encoding='utf-8') as f:
        f.write(wanted)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
