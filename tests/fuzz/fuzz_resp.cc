// libFuzzer entry point for resp::RequestParser (design.md: "Fuzz the RESP parser").
//
// Input layout: byte 0 picks the parser limits and auth mode, bytes 1-2 seed the chunking, the
// rest is what a client sends. The bytes are fed to a simulated connection in pseudo-random
// chunks (the way reads arrive), and the invariants below are checked; any violation aborts.
//   - consumed <= buffered bytes, always;
//   - an incomplete request consumes nothing; a complete one consumes at least one byte (its
//     argv may be empty: a request Redis ignores); multibulk arguments are views that lie
//     inside the bytes the request consumed, in order; inline arguments are no longer in total
//     than the line they came from;
//   - with the default limits, parsing the same bytes in one read and in chunks gives the same
//     requests and the same error (the size-limit errors legitimately depend on chunking, so the
//     small-limit runs check only the invariants);
//   - the whole run is linear in the input, so libFuzzer's timeout catches any hang.
// Built as `fuzz_resp` (clang, -fsanitize=fuzzer,address,undefined; ZAKROS_FUZZ=ON) and linked
// into `fuzz_resp_smoke` with a small driver that ctest runs in every build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "resp/request_parser.h"

namespace {

using zakros::resp::RequestParser;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_resp invariant violated: %s\n", what);
    std::abort();
  }
}

struct Outcome {
  std::vector<std::vector<std::string>> requests;
  std::string error;
};

// Feeds `input` to a fresh parser in chunks whose sizes come from `seed` (seed 0: one chunk).
Outcome run(std::string_view input, const RequestParser::Limits& limits, bool auth, uint32_t seed) {
  RequestParser parser(limits);
  parser.set_auth_required(auth);
  Outcome out;
  std::string pending;
  std::vector<std::string_view> argv;
  size_t offset = 0;
  uint32_t rng = seed * 2654435761u + 1;
  while (offset < input.size()) {
    size_t chunk = input.size() - offset;
    if (seed != 0) {
      rng = rng * 1103515245u + 12345u;
      chunk = std::min<size_t>(chunk, 1 + (rng >> 16) % 17);
    }
    pending.append(input.substr(offset, chunk));
    offset += chunk;
    for (;;) {
      size_t consumed = 12345;
      const auto status = parser.parse(pending, &consumed, &argv);
      if (status == RequestParser::Status::kError) {
        check(!parser.error().empty(), "error without text");
        out.error = std::string(parser.error());
        return out;
      }
      check(consumed <= pending.size(), "consumed beyond the buffer");
      check(status == RequestParser::Status::kComplete || consumed == 0,
            "incomplete request consumed bytes");
      if (status == RequestParser::Status::kComplete) {
        check(consumed > 0, "complete request consumed nothing");
        size_t total = 0;
        const char* begin = pending.data();
        const char* prev_end = begin;
        for (std::string_view arg : argv) {
          total += arg.size();
          if (!parser.last_was_inline()) {
            check(arg.data() >= prev_end && arg.data() + arg.size() <= begin + consumed,
                  "multibulk argument outside the consumed bytes");
            prev_end = arg.data() + arg.size();
          }
        }
        check(total <= consumed, "arguments longer than the request");
        // An empty argv is a request Redis ignores ("*0", blank line): kept in the record.
        out.requests.emplace_back(argv.begin(), argv.end());
      } else {
        check(argv.empty(), "incomplete request with arguments");
      }
      pending.erase(0, consumed);
      if (status == RequestParser::Status::kIncomplete) break;
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const uint8_t mode = data[0];
  const uint32_t seed = static_cast<uint32_t>(data[1]) | (static_cast<uint32_t>(data[2]) << 8);
  const std::string_view input(reinterpret_cast<const char*>(data) + 3, size - 3);
  const bool auth = mode & 1;
  RequestParser::Limits limits;
  const bool small_limits = mode & 2;
  if (small_limits) {
    limits.max_inline_size = 1 + (mode >> 2);
    limits.max_bulk_len = mode >> 2;
    limits.max_multibulk_len = mode >> 3;
  }
  const Outcome whole = run(input, limits, auth, 0);
  const Outcome chunked = run(input, limits, auth, seed | 1);
  const Outcome bytewise = run(input, limits, auth, 0xffffffffu);
  if (!small_limits) {
    check(whole.requests == chunked.requests && whole.error == chunked.error,
          "chunked parse differs from a single read");
    check(whole.requests == bytewise.requests && whole.error == bytewise.error,
          "small-chunk parse differs from a single read");
  }
  return 0;
}
