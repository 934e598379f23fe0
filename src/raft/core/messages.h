// Messages exchanged between Raft peers. The core creates and consumes them; the transport
// (src/raft peer transport, or the simulator's network) carries them and may lose, duplicate,
// delay or reorder any of them: the core is correct under all of that.
//
// Field use by type (fields not listed are zero/empty):
//
//   kPreVote / kVote            candidate -> voter. term = the term the candidate would have
//                               (PreVote: current term + 1, without having incremented it);
//                               index/log_term = candidate's last log index/term (the
//                               "at least as up-to-date" check); force = part of a leadership
//                               transfer (bypasses the voter's leader lease).
//   kPreVoteResponse /          voter -> candidate. term = the request's term when granted, the
//   kVoteResponse               voter's own term when rejected; reject = not granted.
//   kAppend                     leader -> follower/learner. index/log_term = the entry preceding
//                               `entries` (prevLogIndex/prevLogTerm); entries = a batch (possibly
//                               empty: a probe or a commit notification); commit = leader commit.
//   kAppendResponse             follower -> leader. Accepted: index = last index now known to
//                               match the leader. Rejected: index = the prevLogIndex rejected,
//                               reject_hint/log_term = the follower's guess of the last index
//                               that may match (the largest index <= min(index, its last index)
//                               whose term <= the rejected log_term) and the term there, so
//                               the leader skips a whole divergent term per round trip.
//                               Also the answer to kSnapshot (index = snapshot index).
//   kHeartbeat                  leader -> follower. commit = min(leader commit, follower match)
//                               so a follower never commits an entry it may not have;
//                               context = the newest ReadIndex round started by the leader.
//   kHeartbeatResponse          follower -> leader. context echoes the heartbeat's, confirming
//                               every read round <= context (the follower saw this leader's term
//                               after those reads arrived).
//   kSnapshot                   leader -> follower too far behind (its next entry is compacted).
//                               snapshot = the whole snapshot; the transport may stream its data
//                               in chunks and deliver the message once complete.
//   kTimeoutNow                 leader -> transfer target: start an election now (no PreVote).
//
// Every message carries `term`; a message from a newer term makes the receiver adopt it (except
// PreVote traffic, which never changes anyone's term), a message from an older term is ignored
// (or answered so that a stale leader learns the new term).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "raft/core/types.h"

namespace zakros::raft {

enum class MessageType : std::uint8_t {
  kPreVote,
  kPreVoteResponse,
  kVote,
  kVoteResponse,
  kAppend,
  kAppendResponse,
  kHeartbeat,
  kHeartbeatResponse,
  kSnapshot,
  kTimeoutNow,
  kTransferLeader,  // a voter asks the leader to hand it leadership (request_leadership)
};
const char* message_type_name(MessageType type);

struct Message {
  MessageType type = MessageType::kAppend;
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  Term term = 0;
  Term log_term = 0;
  Index index = 0;
  Index commit = 0;
  Index reject_hint = 0;
  std::uint64_t context = 0;
  bool reject = false;
  bool force = false;
  std::vector<Entry> entries;
  std::shared_ptr<const Snapshot> snapshot;
};

// Whether `type` is a reply to a request (used by transports to pick a connection direction).
bool is_response(MessageType type);

}  // namespace zakros::raft
