#!/usr/bin/env bash
# Install the Debian packages extprobe needs (sudo when not root). Idempotent:
# does nothing when everything is there. --ci adds what the full test run uses.
set -euo pipefail
pkgs=(build-essential pkg-config meson ninja-build libelf-dev libdwarf-dev
      libcriterion-dev python3-dev python3-venv python3-mesonpy python3-pytest
      binutils elfutils libzip-dev nettle-dev)
if [ "${1:-}" = "--ci" ]; then
  # fixtures from real compilers, the oracles, sanitizers, fuzzing, benchmarks
  pkgs+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross cython3 python3.11-dbg
         python3-numpy python3-yaml python3-lxml python3-exceptiongroup
         pax-utils libtree clang clang-format lld llvm libclang-rt-14-dev tox hyperfine
         python3-pyelftools musl-tools strace
         libstdc++6-11-dbg)  # GCC 11's real libstdc++.so.6.0.29: the older copy of cxx-abi
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing: ${missing[*]}" >&2
# A fresh VM often runs unattended-upgrades at boot: wait for the dpkg and
# apt locks (up to DEPS_LOCK_TIMEOUT seconds, default 600) instead of failing
# at once. apt-get's own lock timeout covers the window between our check
# and its start.
wait=${DEPS_LOCK_TIMEOUT:-600}
locks=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)
held() { command -v fuser >/dev/null 2>&1 && $SUDO fuser "${locks[@]}" >/dev/null 2>&1; }
if held; then
  echo "waiting up to ${wait}s for another package manager (dpkg/apt lock held)" >&2
  for ((t = 0; t < wait; t += 2)); do held || break; sleep 2; done
  if held; then
    echo "deps.sh: the dpkg lock is still held after ${wait}s; try again later" >&2
    exit 1
  fi
fi
apt_opts=(-q -o "DPkg::Lock::Timeout=${wait}")
$SUDO apt-get "${apt_opts[@]}" update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}"
