// A driver for a fuzz target's LLVMFuzzerTestOneInput that needs no libFuzzer, so every build
// (gcc included) runs the target's invariants under ctest as `<target>_smoke`. For the binary
// decoders (fuzz_raft_codec, fuzz_replicated_entry, fuzz_peer_handshake); the RESP parser has its
// own driver (fuzz_resp_smoke_main.cc), which generates requests.
//
// Usage: <target>_smoke <corpus-dir> [iterations] [max-seconds] [seed]
// Runs every corpus file, then up to `iterations` inputs made from a seeded PRNG (corpus files
// with a few bytes changed, inserted or deleted, two files spliced, length fields made large,
// random bytes), stopping early at `max-seconds`. Prints the seed so a failure can be replayed.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void run_one(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

std::string mutate(std::string s, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    const uint64_t op = rng() % 5;
    if (s.empty() || op == 0) {
      s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % (s.size() + 1)),
               static_cast<char>(rng()));
    } else if (op == 1) {
      s[rng() % s.size()] = static_cast<char>(rng());
    } else if (op == 2) {
      s.erase(rng() % s.size(), 1 + rng() % 8);
    } else if (op == 3) {
      // An interesting 32-bit value (a length or count field) at a random offset.
      static constexpr uint32_t kValues[] = {0,    1,      0x7f,       0x80,
                                             0xff, 0xffff, 0x7fffffff, 0xffffffff};
      const uint32_t v = kValues[rng() % std::size(kValues)];
      const size_t at = rng() % s.size();
      for (size_t b = 0; b < 4 && at + b < s.size(); ++b)
        s[at + b] = static_cast<char>(v >> (8 * b));
    } else {
      s.resize(rng() % (s.size() + 1));  // truncated
    }
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <corpus-dir> [iterations] [max-seconds] [seed]\n", argv[0]);
    return 2;
  }
  const long iterations = argc > 2 ? std::atol(argv[2]) : 20000;
  const double max_seconds = argc > 3 ? std::atof(argv[3]) : 10.0;
  const uint64_t seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10)
                                 : static_cast<uint64_t>(std::random_device{}());
  std::printf("%s: seed %llu\n", argv[0], static_cast<unsigned long long>(seed));

  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    run_one(corpus.back());
  }
  std::printf("%s: %zu corpus inputs ok\n", argv[0], corpus.size());
  if (corpus.empty()) return 1;  // a missing corpus would make the run meaningless

  std::mt19937_64 rng(seed);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(max_seconds);
  long done = 0;
  for (; done < iterations && std::chrono::steady_clock::now() < deadline; ++done) {
    const std::string& base = corpus[rng() % corpus.size()];
    std::string input;
    switch (rng() % 8) {
      case 0: {  // random bytes behind a corpus file's mode byte
        input.assign(1, base.empty() ? '\0' : base[0]);
        input.resize(1 + rng() % 96);
        for (size_t i = 1; i < input.size(); ++i) input[i] = static_cast<char>(rng());
        break;
      }
      case 1: {  // the head of one file, the tail of another
        const std::string& other = corpus[rng() % corpus.size()];
        input = base.substr(0, rng() % (base.size() + 1)) +
                other.substr(other.empty() ? 0 : rng() % other.size());
        break;
      }
      default:
        input = mutate(base, rng);
        break;
    }
    run_one(input);
  }
  std::printf("%s: %ld generated inputs ok\n", argv[0], done);
  return 0;
}
