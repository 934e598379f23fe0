// The payload of a Raft log entry that carries client work (raft::EntryType::kNormal).
//
// Every node applies the same entry with the same code (design.md, "Determinism"), so the entry
// carries everything a command may read besides its arguments and the keyspace: the leader's
// clock (`now_ms`), the randomness (`seed`), the database and the client's protocol version.
//
// Kinds:
//   kCommand      one command (argv).
//   kTransaction  MULTI/EXEC: the queued commands, run as one unit. `watch_index` and
//                 `watched` carry WATCH: the transaction aborts on every node if an entry after
//                 `watch_index` (and before this one) modified a watched key.
//   kExpire       the leader's active expiry: delete these keys of `db` if they are expired at
//                 `now_ms` (followers never expire on their own).
//   kMembers      member addresses (RAFT.NODE ADD, membership.cc): each element of `commands`
//                 is {"<node id>", "<host>:<port>"} and sets that member's address on every
//                 node. The configuration itself (who votes) is a separate raft kConfChange
//                 entry; this one only says where a member listens, so that it is known
//                 everywhere and replayed after a restart. Added after version 1 shipped: the
//                 wire format is unchanged, only the kind value is new (a node that does not
//                 know kind 4 refuses the entry rather than diverging).
//
// Wire format (little-endian), version 1:
//   u8 version=1 | u8 kind | i32 db | u8 protocol | i64 now_ms | u64 seed | u64 watch_index
//   | u32 watched count, each: i32 db, u32 len, bytes
//   | u32 command count, each: u32 argc, each: u32 len, bytes
//   | u32 len, woken key bytes (a blocked command proposed again: the key whose change woke it)
// decode() rejects anything malformed (never reads outside the input); it overwrites every field
// of its output, reusing the memory that output already holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zakros::server {

struct ReplicatedEntry {
  enum class Kind : uint8_t { kCommand = 1, kTransaction = 2, kExpire = 3, kMembers = 4 };
  Kind kind = Kind::kCommand;
  int32_t db = 0;
  uint8_t protocol = 2;
  int64_t now_ms = 0;
  uint64_t seed = 0;
  uint64_t watch_index = 0;
  std::vector<std::pair<int32_t, std::string>> watched;
  std::vector<std::vector<std::string>> commands;
  std::string woken_key;  // see CommandContext::woken_key

  std::string encode() const;
  static bool decode(std::string_view bytes, ReplicatedEntry* out);
};

}  // namespace zakros::server
