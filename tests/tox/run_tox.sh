#!/usr/bin/env bash
# A real tox run (Debian's tox, offline) on tests/tox/project: the env must
# fail in commands_pre with extprobe's explanation (the checkout shadows the
# installed package, whose compiled module is then swallowed into None), and
# pass once the project is fixed (commands run from tests/, not the checkout).
# Both ways: the C CLI with --python {envpython}, and the wheel installed into
# the env with `python -m extprobe`.
# usage: run_tox.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(realpath "$1") src=$(realpath "$2")
command -v tox >/dev/null || { echo "SKIP: tox is not installed"; exit 77; }
so=$(ls "$build"/example/_fraise_rs.cpython-*.so 2>/dev/null | head -n1)
[ -n "$so" ] || { echo "SKIP: the example module was not built (-Dpython=false?)"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src/tests/tox/project" "$work/project"
cd "$work/project"
export EXTPROBE="$build/probe/extprobe" EXTPROBE_SO="$so" PIP_NO_INDEX=1
export PATH="/usr/bin:$PATH"   # tox's `python` for envlist py: Debian's 3.11
fail=0
check() {  # check NAME EXPECTED_STATUS(0|nonzero) PATTERN... -- command
  local name=$1 want=$2; shift 2
  local pats=()
  while [ "$1" != "--" ]; do pats+=("$1"); shift; done
  shift
  "$@" >"$work/$name.log" 2>&1
  local rc=$?
  local ok=1
  if [ "$want" = 0 ] && [ $rc -ne 0 ]; then ok=0; fi
  if [ "$want" != 0 ] && [ $rc -eq 0 ]; then ok=0; fi
  for p in "${pats[@]}"; do grep -q -- "$p" "$work/$name.log" || { ok=0; echo "   missing: $p"; }; done
  if [ $ok = 1 ]; then echo "ok   $name (tox exit $rc)"; else
    echo "FAIL $name (tox exit $rc)"; tail -40 "$work/$name.log"; fail=1; fi
}
check cli-broken nonzero "InvocationError for command .*extprobe explain fraise" "swallowed-import-error" "shadowed-by-source" -- \
  /usr/bin/tox -e py
check cli-fixed 0 -- env CHANGEDIR=tests /usr/bin/tox -e py
# The wheel for `deps = extprobe`.
if /usr/bin/python3 -c 'import mesonpy' 2>/dev/null; then
  /usr/bin/python3 -m pip wheel -q --no-build-isolation --no-deps -w "$work/dist" "$src" >"$work/wheel.log" 2>&1 \
    || { echo "FAIL building the wheel"; tail -20 "$work/wheel.log"; exit 1; }
  rm -rf "$src"/.mesonpy-*
  export EXTPROBE_WHEEL=$(ls "$work"/dist/extprobe-*.whl)
  check shim-broken nonzero "InvocationError for command .*python -m extprobe fraise" "swallowed-import-error" "shadowed-by-source" -- /usr/bin/tox -e shim
  check shim-fixed 0 -- env CHANGEDIR=tests /usr/bin/tox -e shim
else
  echo "SKIP shim: meson-python is not installed"
fi
exit $fail
