"""libextprobe.so exports exactly the ep_* functions its public header
declares with EP_API -- checked with extprobe itself (dogfood): the exports
come from `extprobe inspect --json`, cross-checked with `nm -D`.
usage: exports.py EXTPROBE LIBEXTPROBE_SO HEADER
"""
import json
import re
import shutil
import subprocess
import sys

extprobe, lib, header = sys.argv[1:4]
text = open(header, encoding="utf-8").read()
declared = set(re.findall(r"EP_API\s+[^;(]*?\b(ep_\w+)\s*\(", text, flags=re.S))
doc = json.loads(subprocess.check_output([extprobe, "inspect", "--json", lib]))
exported = set(doc["files"][0]["exports"])
problems = []
for name in sorted(exported - declared):
    problems.append("exported but not in the header: %s" % name)
for name in sorted(declared - exported):
    problems.append("declared EP_API but not exported: %s" % name)
if shutil.which("nm"):
    out = subprocess.check_output(["nm", "-D", "--defined-only", lib], text=True)
    nm = {line.split()[-1].split("@")[0] for line in out.splitlines() if line.split()[1:2] in (["T"], ["D"], ["B"], ["R"])}
    if nm != exported:
        problems.append("extprobe and nm -D disagree: %s" % sorted(nm ^ exported))
print("%d functions declared, %d exported" % (len(declared), len(exported)))
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
