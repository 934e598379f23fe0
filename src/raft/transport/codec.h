// Binary encodings of the core's types, for the peer transport (Message) and the disk log
// (Entry, HardState). The core itself never encodes anything; these are helpers for its callers.
//
// All integers are little-endian fixed width; every variable-length field is preceded by its u32
// length. Decoders check every length against the input and reject trailing bytes, so they are
// safe on untrusted input (a peer, a corrupted file).
//
//   Entry      u64 term, u64 index, u8 type, u32 len, data
//   HardState  u64 term, u64 vote, u64 commit
//   Message    u8 version (1), u8 type, u64 from, u64 to, u64 term, u64 log_term, u64 index,
//              u64 commit, u64 reject_hint, u64 context, u8 flags (1 = reject, 2 = force,
//              4 = has snapshot), u32 entry count, entries,
//              [snapshot: u64 index, u64 term, u32 len, ConfState::encode(), u32 len, data]
#pragma once

#include <string>
#include <string_view>

#include "raft/core/messages.h"
#include "raft/core/types.h"

namespace zakros::raft {

void encode_entry(const Entry& e, std::string* out);
// Decodes one entry from the front of `in` and advances it.
bool decode_entry(std::string_view* in, Entry* e);

std::string encode_hard_state(const HardState& hs);
bool decode_hard_state(std::string_view in, HardState* hs);

void encode_message(const Message& m, std::string* out);
bool decode_message(std::string_view in, Message* m);

}  // namespace zakros::raft
