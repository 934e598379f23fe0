#!/usr/bin/env bash
# Configures (once) and builds zakros and its tests into ./build. Extra args go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
fi
cmake --build build -j"$(nproc)"
