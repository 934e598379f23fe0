#include "raft/core/progress.h"

#include <algorithm>

namespace zakros::raft {

void Inflights::add(Index last, std::size_t bytes) {
  // Callers check full() first; a full ring here would be a flow-control bug.
  if (count_ == slots_.size()) return;
  slots_[(start_ + count_) % slots_.size()] = Slot{last, bytes};
  ++count_;
  bytes_ += bytes;
}

void Inflights::free_le(Index index) {
  while (count_ > 0 && slots_[start_].last <= index) {
    bytes_ -= slots_[start_].bytes;
    start_ = (start_ + 1) % slots_.size();
    --count_;
  }
  if (count_ == 0) start_ = 0;
}

void Inflights::free_first() {
  if (count_ == 0) return;
  bytes_ -= slots_[start_].bytes;
  start_ = (start_ + 1) % slots_.size();
  if (--count_ == 0) start_ = 0;
}

const char* progress_state_name(ProgressState s) {
  switch (s) {
    case ProgressState::kProbe:
      return "probe";
    case ProgressState::kReplicate:
      return "replicate";
    case ProgressState::kSnapshot:
      return "snapshot";
  }
  return "?";
}

void Progress::become_probe() {
  // After a snapshot the follower has at least the snapshot; start probing right after it.
  if (state == ProgressState::kSnapshot) {
    next = std::max(match + 1, pending_snapshot + 1);
  } else {
    next = match + 1;
  }
  state = ProgressState::kProbe;
  probe_sent = false;
  stalled_heartbeats = 0;
  pending_snapshot = 0;
  snapshot_ticks = 0;
  inflights.reset();
}

void Progress::become_replicate() {
  state = ProgressState::kReplicate;
  next = match + 1;
  probe_sent = false;
  stalled_heartbeats = 0;
  pending_snapshot = 0;
  inflights.reset();
}

void Progress::become_snapshot(Index snapshot_index) {
  state = ProgressState::kSnapshot;
  pending_snapshot = snapshot_index;
  snapshot_ticks = 0;
  probe_sent = false;
  inflights.reset();
}

bool Progress::maybe_update(Index index) {
  bool updated = false;
  if (index > match) {
    match = index;
    updated = true;
    probe_sent = false;
  }
  next = std::max(next, index + 1);
  return updated;
}

bool Progress::maybe_decrease(Index rejected, Index hint) {
  if (state == ProgressState::kReplicate) {
    // A rejection of something already known to match is a stale, reordered message.
    if (rejected <= match) return false;
    next = match + 1;
    return true;
  }
  // Probe (or snapshot): only the rejection of the append we are waiting for counts.
  if (next - 1 != rejected) return false;
  next = std::max(std::min(rejected, hint + 1), match + 1);
  probe_sent = false;
  return true;
}

bool Progress::paused(std::size_t max_inflight_bytes) const {
  switch (state) {
    case ProgressState::kProbe:
      return probe_sent;
    case ProgressState::kReplicate:
      return inflights.full(max_inflight_bytes);
    case ProgressState::kSnapshot:
      return true;
  }
  return true;
}

}  // namespace zakros::raft
