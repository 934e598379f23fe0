// Thresholds at which a small collection leaves its compact encoding (listpack, intset) for the
// large one (quicklist, hashtable, skiplist), under Redis 7.0's option names. The server copies
// them from the configuration into the Keyspace at start-up and on CONFIG SET; the type objects
// read them from there (through the command handler) when an element is added.
//
// Conversions only ever go from compact to large while a value lives (as in Redis); values
// created by RESTORE or loaded from a snapshot pick their encoding with the same limits.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zakros::store {

struct EncodingLimits {
  // list-max-listpack-size: > 0 = entries per quicklist node, -1..-5 = 4/8/16/32/64 KB per node.
  int list_max_listpack_size = -2;
  int list_compress_depth = 0;  // accepted and reported; zakros does not compress list nodes
  size_t hash_max_listpack_entries = 512;
  size_t hash_max_listpack_value = 64;
  size_t set_max_intset_entries = 512;
  size_t zset_max_listpack_entries = 128;
  size_t zset_max_listpack_value = 64;
  size_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
};

}  // namespace zakros::store
