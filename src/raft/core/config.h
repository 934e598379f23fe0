// Tunables of one Raft node. Times are in ticks: the caller decides how long a tick is (zakros
// uses 100 ms by default) and calls Node::tick() that often.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "raft/core/types.h"

namespace zakros::raft {

// How the leader confirms a ReadIndex request.
enum class ReadMode : std::uint8_t {
  // A heartbeat round acknowledged by a quorum proves no newer leader existed when the read
  // arrived. Always linearizable.
  kSafe,
  // The leader answers from its commit index without a round trip, trusting that no other leader
  // can be elected while it still holds a CheckQuorum lease (it heard from a quorum within the last
  // election timeout, and voters ignore candidates for an election timeout after hearing from a
  // leader). Linearizable only if every node's clock rate is within the margin between the
  // election timeout and the lease (bounded drift, no long pauses of the leader process);
  // requires check_quorum. Saves one round trip per read batch.
  kLeaseBased,
};

// Deliberately broken behaviours, for the simulator's tests that prove it can catch each of them.
// Never set outside tests.
enum class Broken : std::uint8_t {
  kNone,
  kCommitPreviousTerm,    // count replicas of previous-term entries for commitment (Fig. 8 bug)
  kSkipNoop,              // no no-op at election; reads served before the term's first commit
  kReadWithoutHeartbeat,  // ReadIndex answered without the heartbeat round
  kNoPreVote,             // disable PreVote and the voters' leader lease
  kNoCheckQuorum,         // an isolated leader never steps down
  kVoteBeforePersist,     // vote responses sent before the vote is durable
  kNoLogCheckOnVote,      // grant votes without the up-to-date log check
};

struct Config {
  NodeId id = kNoNode;
  // The first configuration, used only when the storage is empty (first start). Afterwards the
  // configuration stored in the snapshot and log is authoritative. A node joining a running
  // cluster starts with both empty and learns its configuration from the leader.
  std::vector<NodeId> voters;
  std::vector<NodeId> learners;

  int election_ticks = 10;  // followers wait a random time in [election_ticks, 2*election_ticks)
  int heartbeat_ticks = 1;  // must be well below election_ticks
  bool pre_vote = true;
  bool check_quorum = true;
  ReadMode read_mode = ReadMode::kSafe;

  std::size_t max_msg_entries = 1024;             // entries per append message
  std::size_t max_msg_bytes = 1 << 20;            // payload bytes per append message
  std::size_t max_inflight_msgs = 256;            // per-follower pipeline window (messages)
  std::size_t max_inflight_bytes = 64u << 20;     // per-follower pipeline window (bytes)
  std::size_t max_committed_per_ready = 1 << 16;  // committed entries handed out per Ready

  // On restart: the index the caller's state machine has already applied (at least the snapshot
  // index; zakros's state machine is in memory, so this is the snapshot index).
  Index applied = 0;

  // Seeds the generator of randomized election timeouts. Different nodes need different seeds.
  std::uint64_t seed = 1;

  // Called when a consensus invariant is broken (e.g. a committed entry would be truncated). The
  // default prints and aborts; the simulator reports the seed instead. Must not return normally
  // into the core (throw or abort).
  std::function<void(const char* what)> panic;

  Broken broken = Broken::kNone;
};

}  // namespace zakros::raft
