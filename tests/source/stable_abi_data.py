"""The Stable ABI data and its table generator (lib/pyabi/).

- gen_table.py turns lib/pyabi/stable_abi.txt into a table with one entry per
  row, sorted by byte order (what bsearch in ep_stable_abi_find() needs);
- it refuses a malformed row with FILE:LINE and the reason, so a bad edit
  fails the build instead of a lookup;
- lib/pyabi/ stays a leaf part: its sources include only pyabi/, util/ and
  system headers.
usage: stable_abi_data.py SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

root = sys.argv[1]
gen = os.path.join(root, "lib", "pyabi", "gen_table.py")
data = os.path.join(root, "lib", "pyabi", "stable_abi.txt")
problems = []


def run_gen(text, tmp):
    src, out = os.path.join(tmp, "in.txt"), os.path.join(tmp, "out.c")
    with open(src, "w") as f:
        f.write(text)
    r = subprocess.run([sys.executable, gen, src, out], capture_output=True, text=True)
    return r, (open(out).read() if r.returncode == 0 else "")


with tempfile.TemporaryDirectory() as tmp:
    text = open(data, encoding="utf-8").read()
    rows = [l.split()[0] for l in text.splitlines() if l.strip() and not l.startswith("#")]
    r, c = run_gen(text, tmp)
    names = re.findall(r'^    \{"([^"]+)"', c, flags=re.M)
    if r.returncode != 0:
        problems.append("gen_table.py failed on stable_abi.txt: " + r.stderr.strip())
    elif len(names) != len(rows) or names != sorted(rows, key=lambda n: n.encode()):
        problems.append("table has %d names, data %d, or they are not in byte order"
                        % (len(names), len(rows)))
    elif "ep_stable_abi_count = %d;" % len(rows) not in c:
        problems.append("ep_stable_abi_count does not match the rows")

    good = "PyFoo function 3.2 no\n"
    bad = {
        "duplicate name": good + good,
        "want 4 columns": "PyFoo function 3.2\n",
        "kind is function or data": "PyFoo method 3.2 no\n",
        "added is 3.N": "PyFoo function 2.7 no\n",
        "abi_only is yes or no": "PyFoo function 3.2 maybe\n",
        "not a Py/_Py name": "malloc function 3.2 no\n",
    }
    for why, row in bad.items():
        r, _ = run_gen("# header\n" + row, tmp)
        line = row.count("\n") + 1
        if r.returncode == 0 or why not in r.stderr or ("in.txt:%d:" % line) not in r.stderr:
            problems.append("gen_table.py accepted or misreported a row (%s): rc=%s %r"
                            % (why, r.returncode, r.stderr.strip()))

pyabi = os.path.join(root, "lib", "pyabi")
for name in sorted(os.listdir(pyabi)):
    if name.endswith((".c", ".h")):
        for inc in re.findall(r'#include\s+"([^"]+)"', open(os.path.join(pyabi, name)).read()):
            if not inc.startswith(("pyabi/", "util/")):
                problems.append("lib/pyabi/%s includes %s: pyabi is a leaf part" % (name, inc))

print("checked %d Stable ABI rows, %d malformed-row cases" % (len(rows), len(bad)))
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
