#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: install what is missing, build,
# then show extprobe on the bundled example (example/README.md) -- or on the
# files/modules you name: scripts/run.sh inspect FILE... | explain MODULE ...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/deps.sh
[ -f build/build.ninja ] || meson setup build
meson compile -C build >/dev/null
if [ $# -gt 0 ]; then
  exec build/probe/extprobe "$@"
fi
ex=build/example
echo "== extprobe inspect: the compiled module of the example, as installed"
build/probe/extprobe inspect "$ex"/venv/lib/python3*/site-packages/fraise/_fraise_rs*.so
echo
echo "== the symptom: inside the checkout, the package imports but its extension is None"
(cd example && "../$ex/venv/bin/python" -c 'import fraise; print("fraise._fraise_rs =", fraise._fraise_rs)')
echo
echo "== extprobe explain fraise, run as the venv's python from the checkout"
set +e
build/probe/extprobe explain fraise --python "$PWD/$ex/venv/bin/python" -C example
rc=$?
set -e
echo "(exit status $rc: 1 means an error was found, as expected for this example)"
