"""The layering of lib/: each part uses only the parts its row of the table
in docs/design/layers.md lists.

Two checks, both against that one table:
- includes: a file of part P includes "Q/..." only when P may use Q;
- symbols (when the build is given): an object file of part P references a
  function or datum defined in part Q only when P may use Q -- a dependency
  hidden behind another part's header shows here.
A part folder that the table does not list fails too, so a new part comes
with its row. The table itself must have no cycle.
usage: layering.py SOURCE_ROOT [STATIC_LIBRARY]
"""
import os
import re
import subprocess
import sys

root = sys.argv[1]
lib = os.path.join(root, "lib")
doc = os.path.join(root, "docs", "design", "layers.md")
problems = []

allowed = {}
row = re.compile(r"^\|\s*(\w+)\s*\|[^|]*\|([^|]*)\|\s*$")
for line in open(doc, encoding="utf-8"):
    m = row.match(line)
    if m and m.group(1) != "part":
        allowed[m.group(1)] = {p.strip() for p in m.group(2).split(",") if p.strip()}
if not allowed:
    sys.exit(f"{doc}: no layering table found")

for part, uses in allowed.items():
    for q in uses:
        if q not in allowed:
            problems.append(f"{doc}: {part} may use '{q}', which has no row")


def cycle_from(start):
    stack, seen = [(start, [start])], set()
    while stack:
        node, trail = stack.pop()
        for q in allowed.get(node, ()):
            if q == start:
                return trail + [q]
            if q not in seen:
                seen.add(q)
                stack.append((q, trail + [q]))
    return None


for part in allowed:
    c = cycle_from(part)
    if c:
        problems.append(f"{doc}: the table has a cycle: {' -> '.join(c)}")
        break

parts = sorted(d for d in os.listdir(lib)
               if os.path.isdir(os.path.join(lib, d)) and d != "include")
for d in parts:
    if d not in allowed:
        problems.append(f"lib/{d}/ is a part without a row in {doc}")

# Sources made at build time, by the part whose data they hold.
GENERATED = {"facts_py": "interp", "trial_py": "interp", "onestart_py": "interp", "stable_abi_table": "pyabi"}

include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
nfiles = 0
for d in parts:
    for dirpath, _, files in os.walk(os.path.join(lib, d)):
        for name in sorted(files):
            if not name.endswith((".c", ".h", ".def")):
                continue
            path = os.path.join(dirpath, name)
            nfiles += 1
            text = open(path, encoding="utf-8").read()
            for m in include.finditer(text):
                inc = m.group(1)
                if "/" not in inc:
                    problems.append(f"{os.path.relpath(path, root)}: "
                                    f"#include \"{inc}\": name the part (\"{d}/{inc}\")")
                    continue
                q = inc.split("/")[0]
                if q != d and q not in allowed.get(d, ()):
                    problems.append(f"{os.path.relpath(path, root)}: {d} includes "
                                    f"{inc}, but {d} may not use {q}")

nobjs = 0
if len(sys.argv) > 2:
    archive = sys.argv[2]
    out = subprocess.run(["nm", "-A", archive], capture_output=True, text=True,
                         check=True).stdout
    defined, used = {}, []
    for line in out.splitlines():
        head, _, rest = line.rpartition(":")
        obj = os.path.basename(head.rsplit(":", 1)[-1])
        fields = rest.split()
        # Objects are named <part>_<file>.c.o by meson; generated sources
        # (meson-generated_*) belong to the part GENERATED names.
        if obj.startswith("meson-generated"):
            part = next((p for k, p in GENERATED.items() if k in obj), "?")
        else:
            part = obj.split("_", 1)[0]
        if len(fields) == 3 and fields[1] in "TDBR":
            defined[fields[2]] = part
        elif len(fields) == 2 and fields[0] == "U":
            used.append((obj, part, fields[1]))
    seen = set()
    for obj, part, sym in used:
        q = defined.get(sym)
        if q is None or q == part:
            continue
        nobjs += 1
        if q not in allowed.get(part, ()) and (obj, q) not in seen:
            seen.add((obj, q))
            problems.append(f"{obj}: {part} calls {sym} of {q}, but {part} may not use {q}")

for p in problems:
    print(p)
print(f"layering: {len(allowed)} parts, {nfiles} files, {nobjs} cross-part "
      f"references checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
