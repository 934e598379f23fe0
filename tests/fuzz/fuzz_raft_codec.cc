// libFuzzer entry point for the Raft codec (raft/codec.h): peer messages arrive from the network
// and entries and hard state from disk, so no input may crash a decoder (design.md: "Fuzz ...
// every decoder of bytes from disk or network").
//
// Input layout: byte 0 picks the decoder (mod 4), the rest is its input:
//   0 = decode_message (one frame's payload), 1 = decode_entry repeated until the input is used
//   up (a run of log records), 2 = decode_hard_state, 3 = ConfState::decode.
// Invariants checked (any violation aborts):
//   - no decoder crashes, hangs or reads out of bounds (ASan/UBSan in the libFuzzer build);
//   - what decodes encodes to bytes that decode again and encode to the same bytes (a stable
//     round trip), of the input's length (only unknown flag bits may differ), and for entries,
//     hard state and configurations exactly the input (their encodings are canonical).
// Built as `fuzz_raft_codec` (ZAKROS_FUZZ=ON) and, with fuzz_smoke_main.cc, as
// `fuzz_raft_codec_smoke`, which ctest runs over corpus/raft_codec in every build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "raft/transport/codec.h"

namespace {

namespace raft = zakros::raft;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_raft_codec invariant violated: %s\n", what);
    std::abort();
  }
}

void fuzz_message(std::string_view in) {
  raft::Message m;
  if (!raft::decode_message(in, &m)) return;
  std::string first;
  raft::encode_message(m, &first);
  check(first.size() == in.size(), "a decoded message encodes to another length");
  raft::Message again;
  check(raft::decode_message(first, &again), "an encoded message does not decode");
  std::string second;
  raft::encode_message(again, &second);
  check(second == first, "message encode -> decode -> encode is not stable");
}

void fuzz_entries(std::string_view in) {
  const std::string_view all = in;
  std::string out;
  while (!in.empty()) {
    raft::Entry e;
    if (!raft::decode_entry(&in, &e)) return;
    raft::encode_entry(e, &out);
  }
  check(out == all, "entries do not encode back to their bytes");
}

void fuzz_hard_state(std::string_view in) {
  raft::HardState hs;
  if (!raft::decode_hard_state(in, &hs)) return;
  check(raft::encode_hard_state(hs) == in, "hard state does not encode back to its bytes");
}

void fuzz_conf_state(std::string_view in) {
  auto cs = raft::ConfState::decode(in);
  if (!cs) return;
  check(cs->encode() == in, "a configuration does not encode back to its bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] & 3) {
    case 0:
      fuzz_message(body);
      break;
    case 1:
      fuzz_entries(body);
      break;
    case 2:
      fuzz_hard_state(body);
      break;
    default:
      fuzz_conf_state(body);
      break;
  }
  return 0;
}
