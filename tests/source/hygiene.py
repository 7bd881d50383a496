"""Source hygiene: what the library must never do, and the finding table kept
in step with the public header and the docs.

- lib/ never prints, exits or aborts (errors are values; the library may live
  inside a Python process), and never uses the unbounded string functions.
- lib/findings/findings.def and ep_finding_code in the public header list
  the same codes, in the same order, with the same values.
- every slug has docs/findings/<slug>.md, and every page there has a slug;
- every slug has a scenario, tests/scenarios/<slug>/scenario.py.
usage: hygiene.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1]
problems = []

BANNED = [
    (re.compile(r"\b(strcpy|strcat|sprintf|vsprintf|gets)\s*\("), "unbounded string function"),
    (re.compile(r"(?<![\w.])(exit|_exit|abort)\s*\("), "the library must not end the process"),
    (re.compile(r"(?<![\w.])(printf|puts|putchar|perror)\s*\("), "the library must not print"),
    (re.compile(r"\bfprintf\s*\(\s*std(err|out)"), "the library must not print"),
]


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


checked = 0
for dirpath, _, files in os.walk(os.path.join(root, "lib")):
    for name in files:
        if not name.endswith((".c", ".h")):
            continue
        path = os.path.join(dirpath, name)
        text = strip_comments_and_strings(open(path, encoding="utf-8").read())
        checked += 1
        for lineno, line in enumerate(text.splitlines(), 1):
            for rx, why in BANNED:
                if rx.search(line):
                    problems.append("%s:%d: %s: %s" % (os.path.relpath(path, root), lineno,
                                                       why, line.strip()))

header = open(os.path.join(root, "lib/include/extprobe/extprobe.h"), encoding="utf-8").read()
enum = re.findall(r"EP_FINDING_([A-Z_]+)\s*=\s*(\d+)", header)
table = re.findall(r'^EP_FINDING\((\w+),\s*"([a-z0-9-]+)"', open(
    os.path.join(root, "lib/findings/findings.def"), encoding="utf-8").read(), flags=re.M)
if [e for e, _ in enum] != [t for t, _ in table]:
    problems.append("findings.def %s and the header's ep_finding_code %s disagree"
                    % ([t for t, _ in table], [e for e, _ in enum]))
if [int(v) for _, v in enum] != list(range(1, len(enum) + 1)):
    problems.append("ep_finding_code values are not 1..N in order")
slugs = [s for _, s in table]
for e, s in table:
    if s != e.lower().replace("_", "-"):
        problems.append("slug %s does not match its enum name %s" % (s, e))

docs = os.path.join(root, "docs", "findings")
pages = {f[:-3] for f in os.listdir(docs) if f.endswith(".md") and f != "README.md"} \
    if os.path.isdir(docs) else set()
for s in slugs:
    if s not in pages:
        problems.append("finding %s has no docs/findings/%s.md" % (s, s))
for p in sorted(pages - set(slugs)):
    problems.append("docs/findings/%s.md names no finding" % p)

scen = os.path.join(root, "tests", "scenarios")
for sl in slugs:
    if not os.path.isfile(os.path.join(scen, sl, "scenario.py")):
        problems.append("finding %s has no scenario tests/scenarios/%s/scenario.py" % (sl, sl))

print("checked %d lib/ sources, %d finding codes, %d docs pages" % (checked, len(slugs), len(pages)))
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
