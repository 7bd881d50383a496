#!/usr/bin/env bash
# The documented offline `pip install .` route (docs/building.md): Debian's
# meson-python in a venv with system site packages, no build isolation, no
# index. The installed wheel must give a working `python -m extprobe` and
# `extprobe` command.
# usage: check_pip.sh SOURCE_DIR
set -euo pipefail
src=$(realpath "$1")
/usr/bin/python3 -c 'import mesonpy' 2>/dev/null || { echo "SKIP: python3-mesonpy is not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work" "$src"/.mesonpy-*' EXIT
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
PIP_NO_INDEX=1 "$work/venv/bin/pip" install -q --no-cache-dir --no-build-isolation --no-index "$src"
cd "$work"
"$work/venv/bin/extprobe" --version
"$work/venv/bin/python" -m extprobe json --no-import >/dev/null
# A broken module through both routes of the installed copy: exit 1.
mkdir -p site/brk && echo 'from . import _ext' > site/brk/__init__.py
set +e
PYTHONPATH=site "$work/venv/bin/python" -m extprobe brk --json > shim.json
rc1=$?
PYTHONPATH=site "$work/venv/bin/extprobe" explain brk --python "$work/venv/bin/python" --json > cli.json
rc2=$?
set -e
[ $rc1 = 1 ] && [ $rc2 = 1 ] || { echo "FAIL: exit status $rc1 (shim) and $rc2 (cli), expected 1"; exit 1; }
/usr/bin/python3 - shim.json cli.json <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ca, cb = ([f["code"] for f in d["findings"]] for d in (a, b))
assert ca == cb and ca and ca[0] == "module-not-found", (ca, cb)
print("installed copy: python -m extprobe and extprobe agree:", ca)
PY
