// libFuzzer entry point for ReplicatedEntry::decode (server/replicated_entry.h): every node
// decodes the payload of every committed entry, which a peer sent it, so no input may crash it.
//
// The whole input is one entry's payload. Invariants checked (any violation aborts):
//   - decoding never crashes, hangs or reads out of bounds (ASan/UBSan in the libFuzzer build),
//     and allocates no more than a small multiple of the input (libFuzzer's -rss_limit_mb);
//   - what decodes encodes back to exactly the input (the format has one encoding per entry);
//   - decoding into an entry that already holds another one (apply() reuses one) gives the
//     same entry as decoding into a fresh one.
// Built as `fuzz_replicated_entry` (ZAKROS_FUZZ=ON) and, with fuzz_smoke_main.cc, as
// `fuzz_replicated_entry_smoke`, which ctest runs over corpus/replicated_entry in every build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "server/replication/replicated_entry.h"

namespace {

using zakros::server::ReplicatedEntry;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_replicated_entry invariant violated: %s\n", what);
    std::abort();
  }
}

// Reused across inputs, as Replication::apply reuses its entry.
ReplicatedEntry& reused() {
  static ReplicatedEntry entry;
  return entry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  ReplicatedEntry fresh;
  const bool ok = ReplicatedEntry::decode(in, &fresh);
  check(ReplicatedEntry::decode(in, &reused()) == ok, "a reused entry decodes differently");
  if (!ok) return 0;
  const std::string bytes = fresh.encode();
  check(bytes == in, "a decoded entry does not encode back to its bytes");
  check(reused().encode() == bytes, "a reused entry decodes to another entry");
  return 0;
}
