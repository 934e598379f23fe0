// Progress: what a leader knows about one member's log, and the flow control of its replication.
//
// States (etcd's design, Raft dissertation §10.2.1 for pipelining):
//   kProbe      the leader does not know where the follower's log matches. It sends one append
//               at a time (probe_sent pauses further sends until a response or a heartbeat
//               response arrives) and walks `next` back using the follower's conflict hints.
//   kReplicate  the logs match up to `match`; appends are pipelined optimistically (`next` moves
//               past what was sent) within a window of at most max_inflight_msgs messages and
//               max_inflight_bytes bytes; acknowledgements free the window. A rejection falls back
//               to kProbe.
//   kSnapshot   the follower needs entries that were compacted; a snapshot is on its way and
//               nothing else is sent until the follower acknowledges it (or it times out).
//
// Invariants: match < next; match only grows within a term; in kReplicate, every in-flight
// message ends at an index in (match, next).
#pragma once

#include <cstddef>
#include <vector>

#include "raft/core/types.h"

namespace zakros::raft {

// Fixed-capacity ring of in-flight appends (last index, payload bytes). Allocated once per
// follower per term, so the steady-state replication path allocates nothing here.
class Inflights {
 public:
  explicit Inflights(std::size_t capacity = 0) : slots_(capacity) {}
  void add(Index last, std::size_t bytes);
  // Frees every message whose last index <= `index` (they are acknowledged).
  void free_le(Index index);
  void reset() { start_ = count_ = bytes_ = 0; }
  // Frees the oldest message (presumed lost).
  void free_first();
  bool full(std::size_t max_bytes) const {
    return count_ == slots_.size() || (max_bytes > 0 && bytes_ >= max_bytes);
  }
  std::size_t count() const { return count_; }

 private:
  struct Slot {
    Index last = 0;
    std::size_t bytes = 0;
  };
  std::vector<Slot> slots_;
  std::size_t start_ = 0;
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
};

enum class ProgressState : std::uint8_t { kProbe, kReplicate, kSnapshot };
const char* progress_state_name(ProgressState s);

struct Progress {
  NodeId id = kNoNode;
  Index match = 0;
  Index next = 1;
  ProgressState state = ProgressState::kProbe;
  bool probe_sent = false;     // kProbe: an append is outstanding
  bool recent_active = false;  // heard from since the last CheckQuorum round
  Index pending_snapshot = 0;  // kSnapshot: index of the snapshot sent
  int snapshot_ticks = 0;      // kSnapshot: ticks since it was sent (gives up after a while)
  std::uint64_t read_ack = 0;  // newest ReadIndex round this member confirmed in this term
  int stalled_heartbeats = 0;  // kReplicate: heartbeat replies since the last acknowledgement
  Inflights inflights;

  void become_probe();
  void become_replicate();
  void become_snapshot(Index snapshot_index);
  // An acknowledgement up to `index`; returns false if it was stale (told us nothing new).
  bool maybe_update(Index index);
  // A rejection of the append after `rejected` with the follower's hint; returns false if stale.
  bool maybe_decrease(Index rejected, Index hint);
  bool paused(std::size_t max_inflight_bytes) const;
};

}  // namespace zakros::raft
