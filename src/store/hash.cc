#include "store/hash.h"

#include <xxhash.h>

#include <random>

namespace zakros::store {

namespace {

uint64_t random_seed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

uint64_t g_seed = random_seed();

}  // namespace

uint64_t hash_key(std::string_view bytes) {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), g_seed);
}

void set_hash_seed(uint64_t seed) {
  g_seed = seed;
}
uint64_t hash_seed() {
  return g_seed;
}

}  // namespace zakros::store
