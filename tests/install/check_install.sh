#!/usr/bin/env bash
# `meson install` into a temporary DESTDIR, then build the docs/c-api.md
# example against that installed copy through pkg-config, as another C tool
# would, and run it on a real extension module.
# usage: check_install.sh BUILD_DIR SOURCE_DIR FIXTURE_SO
set -euo pipefail
build=$1 src=$2 fixture=$3
command -v pkg-config >/dev/null || { echo "pkg-config not installed"; exit 77; }
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions | /usr/bin/python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
pc=$(find "$dest" -name extprobe.pc | head -n1)
[ -n "$pc" ] || { echo "FAIL: no extprobe.pc installed"; exit 1; }
for f in include/extprobe/extprobe.h bin/extprobe share/man/man1/extprobe.1; do
  [ -e "$dest$prefix/$f" ] || { echo "FAIL: $prefix/$f not installed"; exit 1; }
done
ls "$dest$prefix"/lib*/*/libextprobe.a "$dest$prefix"/lib*/*/libextprobe.so >/dev/null 2>&1 \
  || ls "$dest$prefix"/lib*/libextprobe.a "$dest$prefix"/lib*/libextprobe.so >/dev/null
export PKG_CONFIG_PATH=$(dirname "$pc")
flags=$(pkg-config --define-variable=prefix="$dest$prefix" --cflags --libs extprobe)
echo "pkg-config: $flags"
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror "$src/docs/examples/pyinit.c" $flags -o "$dest/pyinit"
libdir=$(pkg-config --define-variable=prefix="$dest$prefix" --variable=libdir extprobe)
out=$(LD_LIBRARY_PATH="$libdir" "$dest/pyinit" "$fixture")
echo "$out"
case "$out" in
  *PyInit_fxmod*) echo "installed library works through pkg-config" ;;
  *) echo "FAIL: the example did not name PyInit_fxmod"; exit 1 ;;
esac
# The example links the installed libextprobe.so, not the build tree's.
# (grep reads all of ldd's output: with -q it could stop at the first match,
# ldd would die of SIGPIPE, and pipefail would call that a failure.)
LD_LIBRARY_PATH="$libdir" ldd "$dest/pyinit" | grep "$dest" >/dev/null \
  || { echo "FAIL: not linked against the installed copy"; exit 1; }
