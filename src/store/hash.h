// Seeded hashing of keys for the keyspace dictionary (XXH3 from Debian's libxxhash).
//
// The seed is random per process, so a client cannot craft keys that all collide in one bucket.
// It only decides bucket placement (SCAN order, RANDOMKEY), never a replicated result: commands
// whose effect depends on randomness take it from ExecContext::seed, not from table order.
#pragma once

#include <cstdint>
#include <string_view>

namespace zakros::store {

// XXH3-64 of `bytes` with the process seed.
uint64_t hash_key(std::string_view bytes);
// Replaces the process seed (tests that need a reproducible layout). Call before any dictionary
// holds data: existing tables are not rehashed.
void set_hash_seed(uint64_t seed);
uint64_t hash_seed();

}  // namespace zakros::store
