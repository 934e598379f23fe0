// DEBUG DIGEST and DEBUG DIGEST-VALUE: Redis 7.0's SHA1 digests of a dataset and of single
// values (debug.c), so that one dataset gives the same 40 hex digits on every zakros replica and
// on redis-server. Replicas are compared with them (design.md, "Determinism").
//
// The algorithm, over the logical content (never the encoding, so a listpack and a hashtable
// with the same fields digest alike):
//   xor(d, bytes)  d ^= SHA1(bytes)                 order-independent accumulation
//   mix(d, bytes)  d = SHA1(d ^ SHA1(bytes))        order-dependent accumulation
//   value(d, e):   mix(type as a big-endian u32, Redis's OBJ_* number), then
//     string       mix(bytes; an "int" as its decimal text)
//     list         mix(element) head to tail
//     set          xor(member) for each member
//     hash         xor(E) per field, E = 20 zero bytes, mix(E, field), mix(E, value)
//     sorted set   xor(E) per member, E = 20 zero bytes, mix(E, member), mix(E, "%.17g" of score)
//     stream       per live entry in ID order: mix("<ms>.<seq>"), then mix(field), mix(value)
//                  per pair. Consumer groups, PELs, the last ID and deleted entries are not part
//                  of it (Redis iterates entries only).
//     then, when the key has a TTL (whatever its value, even if past): xor("!!expire!!").
//   DEBUG DIGEST-VALUE key: value(zeros, e); 40 zeros for a missing key.
//   DEBUG DIGEST: F = zeros; for each non-empty database j in order: mix(F, j as a big-endian
//   u32); for each key: K = zeros, mix(K, key), value(K, e), xor(F, K). An empty dataset is 40
//   zeros. Logically expired keys still stored are included, as in Redis.
//
// Who calls it: DEBUG (server/debug_command.cc) and the replica-equality tests. Pure functions:
// no RESP, no clock; they never touch LRU data or expire anything.
#pragma once

#include <array>
#include <string>

namespace zakros::store {

class Entry;
class Keyspace;

using Digest = std::array<unsigned char, 20>;

// DEBUG DIGEST-VALUE of one entry (type, value, TTL mark; not the key name).
Digest value_digest(const Entry& e);
// DEBUG DIGEST of every database of `keyspace`.
Digest dataset_digest(const Keyspace& keyspace);
// 40 lowercase hex digits, as DEBUG prints a digest.
std::string digest_hex(const Digest& digest);

}  // namespace zakros::store
