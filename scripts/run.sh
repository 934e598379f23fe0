#!/usr/bin/env bash
# The README's first command: install what is missing, build, run the server with the given args.
set -euo pipefail
cd "$(dirname "$0")/.."
ZAKROS_SKIP_REDIS_SUITE=1 scripts/setup.sh
scripts/build.sh
exec build/zakros "$@"
