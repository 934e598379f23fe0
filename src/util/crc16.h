// CRC16 and Redis Cluster hash slots.
//
// Who calls it: CLUSTER KEYSLOT, the MOVED redirect of a follower (design.md "Reads and
// redirects"), and anything that must agree with cluster-aware clients about which slot a key
// lives in. Clients compute the same function, so it must be bit-exact with Redis Cluster.
#pragma once

#include <cstdint>
#include <string_view>

namespace zakros::util {

// Number of hash slots in a Redis Cluster.
inline constexpr int kClusterSlots = 16384;

// CRC-16/XMODEM (CCITT polynomial 0x1021, initial value 0, no reflection, no final xor), the
// variant Redis Cluster uses. crc16("123456789") == 0x31c3.
uint16_t crc16(std::string_view data);

// The cluster slot of `key` (0..16383): crc16 of the key modulo 16384, except that when the key
// contains a '{' followed later by a '}' with at least one byte between the first '{' and the
// first '}' after it, only those bytes are hashed ("{user1000}.following" and
// "{user1000}.followers" share a slot; "foo{}{bar}" hashes the whole key).
int key_hash_slot(std::string_view key);

}  // namespace zakros::util
