#!/usr/bin/env bash
# The README's second command (and CI's): install what the tests need (scripts/setup.sh test),
# build everything, compile zakros in Release too (what only -O3 warns about fails there), then
# run every test through ctest (unit, simulation, fuzz smoke run, integration with redis-py,
# Redis's own Tcl suite, differential, fault injection). The last line printed is ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
scripts/build.sh test
scripts/build.sh release
cd build
ctest --output-on-failure --timeout 1500 -j"$(nproc)"
