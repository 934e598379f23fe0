#!/usr/bin/env bash
# The README's second command (and CI's): install what is missing, build, run every test through
# ctest (unit, simulation, fuzz smoke run, integration with redis-py, Redis's own Tcl suite).
# The last line printed is ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 1500 -j"$(nproc)"
