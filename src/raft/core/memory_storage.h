// In-memory LogStore / HardStateStore / SnapshotStore: "durable" means "in this object". Used by
// the unit tests, the simulator (which models a crash by keeping these and dropping the Node) and
// `raft-storage memory`.
#pragma once

#include <vector>

#include "raft/core/storage.h"

namespace zakros::raft {

class MemoryLogStore final : public LogStore {
 public:
  Index first_index() const override { return offset_ + 1; }
  Index last_index() const override { return offset_ + entries_.size(); }
  void append(std::span<const Entry> entries) override;
  void read(Index lo, Index hi, std::vector<Entry>* out) const override;
  void compact(Index index) override;
  void reset(Index index) override;
  // Simulates a torn write: forgets the last `n` entries (never below the first index).
  void drop_last(std::size_t n);

 private:
  Index offset_ = 0;  // index of the entry before entries_[0]
  std::vector<Entry> entries_;
};

class MemoryHardStateStore final : public HardStateStore {
 public:
  HardState load() const override { return hs_; }
  void save(const HardState& hs) override { hs_ = hs; }

 private:
  HardState hs_;
};

class MemorySnapshotStore final : public SnapshotStore {
 public:
  std::shared_ptr<const Snapshot> load() const override { return snap_; }
  void save(std::shared_ptr<const Snapshot> snapshot) override { snap_ = std::move(snapshot); }

 private:
  std::shared_ptr<const Snapshot> snap_;
};

// The three together, as one node's disk.
struct MemoryStorage {
  MemoryLogStore log;
  MemoryHardStateStore hard_state;
  MemorySnapshotStore snapshots;
};

}  // namespace zakros::raft
