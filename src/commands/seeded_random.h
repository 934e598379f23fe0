// SeededRandom: the one source of randomness of SPOP, SRANDMEMBER, HRANDFIELD and friends.
// A splitmix64 stream started from ExecContext::seed, so that a command applied from the Raft
// log picks the same elements on every node (design.md, "Determinism"). Elements are picked by
// position in the value's deterministic order (see store/dense_table.h), never by hash-table
// bucket.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <utility>
#include <vector>

namespace zakros::commands {

class SeededRandom {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0 (the modulo bias is negligible for collection sizes).
  uint64_t below(uint64_t n) { return next() % n; }

 private:
  uint64_t state_;
};

// `count` distinct positions in [0, size), count < size, in the order drawn: a partial
// Fisher-Yates shuffle when many are wanted, rejection sampling when few.
inline std::vector<size_t> distinct_positions(SeededRandom& rng, size_t size, size_t count) {
  std::vector<size_t> picked;
  if (count * 3 > size) {
    std::vector<size_t> all(size);
    for (size_t i = 0; i < size; ++i) all[i] = i;
    for (size_t i = 0; i < count; ++i) std::swap(all[i], all[i + rng.below(size - i)]);
    all.resize(count);
    return all;
  }
  std::unordered_set<size_t> seen;
  picked.reserve(count);
  while (picked.size() < count) {
    size_t i = rng.below(size);
    if (seen.insert(i).second) picked.push_back(i);
  }
  return picked;
}

}  // namespace zakros::commands
