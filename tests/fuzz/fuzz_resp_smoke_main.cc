// A driver for fuzz_resp.cc's LLVMFuzzerTestOneInput that needs no libFuzzer, so every build
// (gcc included) runs the fuzz target's invariants under ctest as `fuzz_resp_smoke`.
//
// Usage: fuzz_resp_smoke <corpus-dir> [iterations] [max-seconds] [seed]
// Runs every corpus file, then up to `iterations` inputs made from a seeded PRNG (mutated corpus
// entries, generated RESP/inline requests, random bytes), stopping early at `max-seconds`.
// Prints the seed so a failure can be replayed.
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

int run_one(const std::string& input) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

std::string random_request(std::mt19937_64& rng) {
  static const char* kPieces[] = {
      "*",       "$",  "\r\n", "\r",  "\n", "-1", "0",
      "1",       "3",  "10",   "\"",  "'",  "\\", "x",
      " ",       "\t", "\\x4", "SET", "a",  "\0", "*2\r\n$1\r\na\r\n$1\r\nb\r\n",
      "PING\r\n"};
  std::string out;
  const int n = static_cast<int>(rng() % 40);
  for (int i = 0; i < n; ++i) {
    const size_t k = rng() % std::size(kPieces);
    if (kPieces[k][0] == '\0') {
      out.push_back('\0');
    } else {
      out += kPieces[k];
    }
  }
  return out;
}

std::string mutate(std::string s, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    if (s.empty() || rng() % 3 == 0) {
      s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % s.size()),
               static_cast<char>(rng()));
    } else if (rng() % 2) {
      s[rng() % s.size()] = static_cast<char>(rng());
    } else {
      s.erase(rng() % s.size(), 1);
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
  std::printf("fuzz_resp_smoke: seed %llu\n", static_cast<unsigned long long>(seed));

  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    run_one(corpus.back());
  }
  std::printf("fuzz_resp_smoke: %zu corpus inputs ok\n", corpus.size());

  std::mt19937_64 rng(seed);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(max_seconds);
  long done = 0;
  for (; done < iterations && std::chrono::steady_clock::now() < deadline; ++done) {
    std::string header(3, '\0');
    for (auto& c : header) c = static_cast<char>(rng());
    std::string body;
    switch (rng() % 3) {
      case 0:
        body = corpus.empty() ? random_request(rng)
                              : mutate(corpus[rng() % corpus.size()].substr(3), rng);
        break;
      case 1:
        body = random_request(rng) + random_request(rng);
        break;
      default:
        body.resize(rng() % 64);
        for (auto& c : body) c = static_cast<char>(rng());
        break;
    }
    run_one(header + body);
  }
  std::printf("fuzz_resp_smoke: %ld generated inputs ok\n", done);
  return 0;
}
