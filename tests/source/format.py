"""The C sources of the library, the CLI, the shim and the fuzz targets are
formatted as .clang-format says (STYLE.md 4.4: formatting is the tool's
job). Fails with the files that differ and the command that fixes them.
usage: format.py SOURCE_ROOT
"""
import os
import shutil
import subprocess
import sys

root = sys.argv[1]
tool = shutil.which("clang-format-14") or shutil.which("clang-format")
if tool is None:
    print("SKIP: clang-format is not installed (apt-get install clang-format)")
    sys.exit(77)
files = []
for top in ("lib", "probe", "pyshim", "fuzz"):
    for dirpath, _, names in os.walk(os.path.join(root, top)):
        files += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith((".c", ".h"))]
bad = []
for f in files:
    r = subprocess.run([tool, "--dry-run", "--Werror", f], capture_output=True, text=True)
    if r.returncode != 0:
        bad.append(os.path.relpath(f, root))
for f in bad:
    print("not formatted:", f)
if bad:
    print("fix with: clang-format -i " + " ".join(bad))
print("format: %d files, %d not formatted" % (len(files), len(bad)))
sys.exit(1 if bad else 0)
