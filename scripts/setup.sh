#!/usr/bin/env bash
# Installs what zakros needs, from Debian's packages only. One argument, the purpose:
#   run   what building and running the server needs, and redis-cli (scripts/run.sh);
#   test  that, plus the tests' and benchmarks' tools and Debian's redis-server (the reference
#         the tests compare against), and Redis's own Tcl suite fetched into
#         tests/redis-suite/redis-src (scripts/test.sh).
# Safe to run again: it installs only what is missing. Needs root (or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-}

# Every package list lives here, one per purpose; README.md's "The two commands" names them.
# Building and running: the compiler and build tools, and the -dev packages of the libraries the
# zakros binary links (CMakeLists.txt). redis-tools is there for redis-cli only: it has no
# service and listens on nothing.
run_packages=(
  build-essential cmake ninja-build pkg-config
  libasio-dev libjemalloc-dev libxxhash-dev libfmt-dev libspdlog-dev liblzf-dev libssl-dev
  redis-tools
)
# Testing and benchmarking: clang and its runtime for the libFuzzer run, GoogleTest, Google
# Benchmark, tclsh for Redis's suite, pytest and redis-py for the integration, differential and
# fault tests, dpkg-dev for `apt-get source`, and redis-server, which the tests start on free
# ports of their own.
test_packages=(
  clang libclang-rt-14-dev libgtest-dev libgmock-dev libbenchmark-dev
  tcl python3-redis python3-pytest dpkg-dev redis-server
)

case "$profile" in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${run_packages[@]}" "${test_packages[@]}") ;;
  *)
    echo "usage: scripts/setup.sh run|test" >&2
    exit 2
    ;;
esac

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# policy-rc.d is Debian's switch for maintainer scripts' service starts (invoke-rc.d and, under
# systemd, deb-systemd-invoke both ask it; exit code 101 means "do not start").
policy=/usr/sbin/policy-rc.d
policy_mark="zakros scripts/setup.sh"
remove_our_policy() {
  # Only the file we wrote: a machine's own policy-rc.d (Docker images ship one) stays.
  if grep -qs "$policy_mark" "$policy"; then sudo_if_needed rm -f "$policy"; fi
}

# Debian's redis-server package enables and starts its own service on port 6379, zakros's
# default: the user's next scripts/run.sh would then fail to bind, or redis-cli would talk to
# that Redis instead of zakros. No service of the packages installed here may start.
install_without_starting_services() {
  if [ ! -e "$policy" ]; then
    trap remove_our_policy EXIT  # also when apt-get fails or the user interrupts it
    sudo_if_needed sh -c "printf '#!/bin/sh\n# $policy_mark: no service starts while it installs packages.\nexit 101\n' > $policy && chmod 755 $policy"
  fi
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  remove_our_policy
  trap - EXIT
  # policy-rc.d only governs this install: the boot must not start Redis either. Under systemd
  # `disable` covers the unit (and the SysV links); without it, update-rc.d removes the links
  # an init would follow. A Redis the user installed or enabled before is left alone.
  if [[ " $* " == *" redis-server "* ]]; then
    local out
    if [ -d /run/systemd/system ]; then
      out=$(sudo_if_needed systemctl disable --now redis-server.service 2>&1) ||
        { echo "$out" >&2; exit 1; }
    else
      out=$(sudo_if_needed update-rc.d redis-server disable 2>&1) || { echo "$out" >&2; exit 1; }
    fi
    echo "setup: Debian's redis-server service stays disabled: port 6379 is for zakros"
  fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup ($profile): installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  install_without_starting_services "${missing[@]}"
fi

if [ "$profile" = test ] && [ ! -f tests/redis-suite/redis-src/tests/test_helper.tcl ]; then
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
