#!/usr/bin/env bash
# Installs everything zakros needs to build and test, from Debian's packages only, and fetches
# Redis's own Tcl test suite (Debian's redis source package) into tests/redis-suite/redis-src.
# Safe to run again: it installs only what is missing. Needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libasio-dev libjemalloc-dev libxxhash-dev libfmt-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev liblzf-dev
  redis-server redis-tools tcl python3-redis python3-pytest dpkg-dev
)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's packaging starts a redis-server on 6379 when installed; the tests start their own on
# free ports, so that one is left alone.

if [ "${ZAKROS_SKIP_REDIS_SUITE:-0}" != 1 ] && [ ! -f tests/redis-suite/redis-src/tests/test_helper.tcl ]; then
  # apt-get source needs a deb-src entry; add one beside the existing deb entries if there is none.
  if ! grep -rqs '^\(Types:.*deb-src\|deb-src\)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sudo_if_needed sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
    else
      sudo_if_needed sh -c "grep '^deb ' /etc/apt/sources.list | sed 's/^deb /deb-src /' > /etc/apt/sources.list.d/zakros-src.list"
    fi
    sudo_if_needed apt-get update -qq
  fi
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get source -qq redis >/dev/null 2>&1)
  src=$(find "$tmp" -maxdepth 1 -type d -name 'redis-*' | head -n 1)
  [ -n "$src" ] || { echo "setup: apt-get source redis failed" >&2; exit 1; }
  rm -rf tests/redis-suite/redis-src
  mv "$src" tests/redis-suite/redis-src
  rm -rf "$tmp"
fi
