#!/usr/bin/env bash
# Install the Debian packages extprobe needs (sudo when not root). Idempotent:
# does nothing when everything is there. --ci adds what the full test run uses.
set -euo pipefail
pkgs=(build-essential pkg-config meson ninja-build libelf-dev
      libcriterion-dev python3-dev python3-venv python3-mesonpy python3-pytest
      binutils elfutils)
if [ "${1:-}" = "--ci" ]; then
  # fixtures from real compilers, the oracles, sanitizers, fuzzing, benchmarks
  pkgs+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross cython3 python3.11-dbg
         python3-numpy python3-yaml python3-lxml python3-exceptiongroup
         pax-utils libtree clang lld llvm libclang-rt-14-dev tox hyperfine
         python3-pyelftools)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing: ${missing[*]}" >&2
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
