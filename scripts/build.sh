#!/usr/bin/env bash
# Configures (when needed) and builds. One argument, the purpose:
#   run      the zakros binary only, in ./build (RelWithDebInfo); a new ./build is configured
#            without the tests, so that it needs only the run packages (scripts/setup.sh run);
#   test     everything in ./build: zakros, the unit tests, simulator, fuzz drivers, benchmarks;
#   release  zakros and the libraries in ./build-release with CMAKE_BUILD_TYPE=Release (-O3), so
#            that CI catches what only the optimiser warns about (-Werror makes it fatal).
set -euo pipefail
cd "$(dirname "$0")/.."

# A configured ./build keeps its own setting unless the purpose needs another, so a developer's
# own cmake options survive.
configure() {
  local dir=$1 type=$2 tests=$3
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" -DZAKROS_TESTS="$tests"
  elif [ "$tests" = ON ] && ! grep -qx 'ZAKROS_TESTS:BOOL=ON' "$dir/CMakeCache.txt"; then
    cmake -S . -B "$dir" -DZAKROS_TESTS=ON
  fi
}

case "${1:-}" in
  run)
    configure build RelWithDebInfo OFF
    cmake --build build --target zakros -j"$(nproc)"
    ;;
  test)
    configure build RelWithDebInfo ON
    cmake --build build -j"$(nproc)"
    ;;
  release)
    configure build-release Release OFF
    cmake --build build-release --target zakros -j"$(nproc)"
    ;;
  *)
    echo "usage: scripts/build.sh run|test|release" >&2
    exit 2
    ;;
esac
