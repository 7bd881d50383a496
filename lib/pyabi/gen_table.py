# Turn lib/pyabi/stable_abi.txt (written by scripts/gen_stable_abi.py) into
# the C table behind ep_stable_abi_find(): sorted by byte order for bsearch,
# each row checked so a bad edit fails the build instead of a lookup.
# usage: gen_table.py INPUT OUTPUT
import re
import sys

KINDS = {"function": "EP_STABLE_ABI_FUNCTION", "data": "EP_STABLE_ABI_DATA"}


def fail(lineno, why):
    sys.exit("%s:%d: %s" % (sys.argv[1], lineno, why))


rows = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for lineno, line in enumerate(f, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        if len(fields) != 4:
            fail(lineno, "want 4 columns: name kind added abi_only")
        name, kind, added, abi_only = fields
        if not re.fullmatch(r"_?Py[A-Za-z0-9_]*", name):
            fail(lineno, "not a Py/_Py name: " + name)
        if kind not in KINDS:
            fail(lineno, "kind is function or data, not " + kind)
        m = re.fullmatch(r"3\.(\d+)", added)
        if not m or not 2 <= int(m.group(1)) <= 255:
            fail(lineno, "added is 3.N, N >= 2, not " + added)
        if abi_only not in ("yes", "no"):
            fail(lineno, "abi_only is yes or no, not " + abi_only)
        if name in rows:
            fail(lineno, "duplicate name " + name)
        rows[name] = (KINDS[kind], int(m.group(1)), abi_only == "yes")
if not rows:
    fail(0, "no rows")

out = ["/* Generated from stable_abi.txt by gen_table.py; do not edit. */",
       '#include "pyabi/stable_abi.h"', "",
       "const ep_stable_abi_entry ep_stable_abi_table[] = {"]
for name in sorted(rows, key=lambda n: n.encode()):
    kind, added, abi_only = rows[name]
    out.append('    {"%s", %s, %d, %s},' % (name, kind, added, "true" if abi_only else "false"))
out += ["};", "",
        "const size_t ep_stable_abi_count = %d;" % len(rows), ""]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("\n".join(out))
