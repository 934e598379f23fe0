// Basic Raft vocabulary shared by the core, its storage interfaces and its callers.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "raft/core/bytes.h"

namespace zakros::raft {

// Node ids are chosen by the caller (zakros uses its `node-id`, 0..n-1, so 0 is a valid id).
using NodeId = std::uint64_t;
using Term = std::uint64_t;
using Index = std::uint64_t;

inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

enum class EntryType : std::uint8_t {
  kNormal = 0,      // caller's opaque command
  kNoop = 1,        // appended by every new leader; empty data; callers skip it when applying
  kConfChange = 2,  // data = ConfState::encode() of the configuration it installs
};

// One log entry. Index and term never change once the entry exists somewhere: (index, term)
// identifies the entry across the cluster (Log Matching).
struct Entry {
  Term term = 0;
  Index index = 0;
  EntryType type = EntryType::kNormal;
  Bytes data;
};

// (index, term) of an entry, e.g. what propose() assigned: the proposal committed iff the entry
// later applied at `index` has this `term`.
struct EntryId {
  Index index = 0;
  Term term = 0;
  friend bool operator==(const EntryId&, const EntryId&) = default;
};

// What must survive a crash besides the log. `term` and `vote` must be durable before any message
// that depends on them leaves (Ready::persist_messages); `commit` is advisory (it only saves
// re-learning the commit index after a restart).
struct HardState {
  Term term = 0;
  NodeId vote = kNoNode;
  Index commit = 0;
  friend bool operator==(const HardState&, const HardState&) = default;
};

// A cluster configuration. Voters elect and form quorums; learners only receive the log.
// A node is never both. Kept sorted so two equal configurations compare equal.
struct ConfState {
  std::vector<NodeId> voters;
  std::vector<NodeId> learners;

  bool is_voter(NodeId id) const;
  bool is_learner(NodeId id) const;
  bool contains(NodeId id) const { return is_voter(id) || is_learner(id); }
  void normalize();  // sort and deduplicate

  // Wire/disk format: little-endian u32 voter count, u64 ids, u32 learner count, u64 ids.
  std::string encode() const;
  static std::optional<ConfState> decode(std::string_view bytes);

  friend bool operator==(const ConfState&, const ConfState&) = default;
};

// Describes a snapshot: it replaces every entry up to and including `index` and carries the
// configuration in force at `index` (membership is part of the snapshot).
struct SnapshotMeta {
  Index index = 0;
  Term term = 0;
  ConfState conf;
};

// A state machine snapshot. `data` is the caller's serialized state machine; the core never looks
// inside. Shared and immutable, so sending it to several followers copies nothing.
struct Snapshot {
  SnapshotMeta meta;
  Bytes data;
};

enum class Role : std::uint8_t { kFollower, kPreCandidate, kCandidate, kLeader };
const char* role_name(Role role);

// Volatile state the caller reacts to (redirects, failing pending requests on leadership loss).
struct SoftState {
  NodeId leader = kNoNode;
  Role role = Role::kFollower;
  friend bool operator==(const SoftState&, const SoftState&) = default;
};

// A confirmed linearizable read: serve the read identified by `context` from the state machine
// once everything up to `index` has been applied (always true by the time it is handed out: the
// Ready carrying it also carries, or already carried, the committed entries up to `index`).
struct ReadState {
  std::uint64_t context = 0;
  Index index = 0;
};

enum class ConfChangeType : std::uint8_t {
  kAddVoter,    // add a new voter, or promote a learner
  kAddLearner,  // add a non-voting member
  kRemove,      // remove a voter or learner (the leader itself included)
};

struct ConfChange {
  ConfChangeType type = ConfChangeType::kAddVoter;
  NodeId node = kNoNode;
};

// Result of a request to the core. Nothing is proposed unless kOk.
enum class Status : std::uint8_t {
  kOk,
  kNotLeader,           // only the leader accepts proposals, reads and transfers
  kTransferring,        // a leadership transfer is in progress; retry on the new leader
  kChangeInProgress,    // a configuration change is not yet committed
  kNotCommittedInTerm,  // the leader has not committed an entry of its own term yet
  kInvalid,             // the request makes no sense (unknown node, last voter removed, ...)
};
const char* status_name(Status status);

}  // namespace zakros::raft
