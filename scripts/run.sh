#!/usr/bin/env bash
# The README's first command: install what building and running need (scripts/setup.sh run),
# build the zakros binary alone, and run it with the given arguments (default: a persistent
# single node on port 6379, data under ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
scripts/build.sh run
exec build/zakros "$@"
