// Storage interfaces of the Raft core. The core itself never calls them on the hot path: it keeps
// its log in memory and tells the caller what to write through Ready. They are read once, when a
// Node starts (Node's constructor), and written by the caller (see persist() for the order).
//
// Durability contract the core relies on:
//   * Whatever a Ready asks to write is durable before that Ready's persist_messages are sent and
//     before Node::advance(ready) is called.
//   * A crash may lose a suffix of what was being written (a torn last write) but never anything
//     that was acknowledged by advance(); after a restart the stores hold a prefix-consistent
//     state: snapshot, a log that continues it without gaps, and a hard state whose commit index
//     refers only to entries that were durable before it.
// The in-memory implementations (memory_storage.h) serve the tests, the simulator and
// `raft-storage memory`; the disk implementations live with the replicated server.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "raft/core/types.h"

namespace zakros::raft {

struct Ready;

class LogStore {
 public:
  virtual ~LogStore() = default;
  // Index of the first entry held (the snapshot index + 1 when compacted; 1 when empty and never
  // compacted) and of the last (first_index() - 1 when empty).
  virtual Index first_index() const = 0;
  virtual Index last_index() const = 0;
  // Appends `entries` (consecutive indexes), first dropping every held entry with an index >=
  // entries.front().index: the core only ever overwrites an uncommitted suffix.
  virtual void append(std::span<const Entry> entries) = 0;
  // Entries [lo, hi] appended to `out`. Requires first_index() <= lo, hi <= last_index().
  virtual void read(Index lo, Index hi, std::vector<Entry>* out) const = 0;
  // Drops entries <= `index` once a snapshot covering them is durable.
  virtual void compact(Index index) = 0;
  // Drops everything: the log now starts after a received snapshot ending at `index`.
  virtual void reset(Index index) = 0;
};

class HardStateStore {
 public:
  virtual ~HardStateStore() = default;
  virtual HardState load() const = 0;
  virtual void save(const HardState& hs) = 0;
};

class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;
  // The newest durable snapshot, or null if none was ever taken.
  virtual std::shared_ptr<const Snapshot> load() const = 0;
  virtual void save(std::shared_ptr<const Snapshot> snapshot) = 0;
};

// Writes what `ready` asks in a safe order: a received snapshot (and the log reset it implies),
// then the entries, then the hard state (whose commit index may refer to those entries). Send
// ready.persist_messages after it returns.
void persist(const Ready& ready, LogStore* log, HardStateStore* hard_state, SnapshotStore* snaps);

}  // namespace zakros::raft
