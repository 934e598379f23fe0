#!/usr/bin/env bash
# Builds a libFuzzer target with clang and fuzzes it for a bounded time: the request parser by
# default, another with ZAKROS_FUZZ_TARGET=fuzz_<name> (fuzz_raft_codec, fuzz_replicated_entry,
# fuzz_peer_handshake: see CMakeLists.txt).
#
#   [ZAKROS_FUZZ_TARGET=fuzz_<name>] tests/fuzz/run_libfuzzer.sh [seconds=60]
#       [build-dir=<repo>/build-fuzz] [extra libFuzzer args]
#
# The checked-in corpus (tests/fuzz/corpus/<name>) is only read: new inputs go to a scratch
# corpus inside the build directory. A crash leaves its input in the build directory (crash-*)
# and exits non-zero; replay it with `<build-dir>/tests/fuzz/fuzz_<name> <file>`.
# ctest runs this as `fuzz_resp_libfuzzer` (60 s) and `fuzz_<name>_libfuzzer` (30 s each) when
# clang++ is installed. Exit code 77 means
# clang cannot link libFuzzer here, which ctest reports as skipped.
set -euo pipefail

seconds=${1:-60}
target=${ZAKROS_FUZZ_TARGET:-fuzz_resp}
name=${target#fuzz_}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${2:-$repo/build-fuzz}
shift $(( $# > 2 ? 2 : $# )) || true

if ! command -v clang++ >/dev/null; then
  echo "clang++ not found: skipping libFuzzer run" >&2
  exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' \
  >"$probe/p.cc"
if ! clang++ -fsanitize=fuzzer "$probe/p.cc" -o "$probe/p" 2>/dev/null; then
  echo "clang++ cannot link libFuzzer (libclang-rt-dev missing?): skipping" >&2
  exit 77
fi

mkdir -p "$build"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DZAKROS_FUZZ=ON >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }
ninja -C "$build" -j2 "$target"

scratch="$build/fuzz-corpus-$name"
mkdir -p "$scratch"
dict=()
if [[ -f "$here/$name.dict" ]]; then dict=(-dict="$here/$name.dict"); fi
cd "$build"
"$build/tests/fuzz/$target" "$scratch" "$here/corpus/$name" \
  "${dict[@]}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 "$@"
