#include "raft/memory_storage.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "raft/node.h"

namespace zakros::raft {

void MemoryLogStore::append(std::span<const Entry> entries) {
  if (entries.empty()) return;
  const Index from = entries.front().index;
  if (from <= offset_ || from > last_index() + 1) {
    std::fprintf(stderr, "raft: MemoryLogStore append at %llu leaves a gap (held %llu..%llu)\n",
                 static_cast<unsigned long long>(from),
                 static_cast<unsigned long long>(first_index()),
                 static_cast<unsigned long long>(last_index()));
    std::abort();
  }
  entries_.resize(from - offset_ - 1);
  entries_.insert(entries_.end(), entries.begin(), entries.end());
}

void MemoryLogStore::read(Index lo, Index hi, std::vector<Entry>* out) const {
  for (Index i = lo; i <= hi; ++i) out->push_back(entries_[i - offset_ - 1]);
}

void MemoryLogStore::compact(Index index) {
  if (index <= offset_) return;
  const Index n = std::min<Index>(index - offset_, entries_.size());
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(n));
  offset_ = index;
}

void MemoryLogStore::reset(Index index) {
  entries_.clear();
  offset_ = index;
}

void MemoryLogStore::drop_last(std::size_t n) {
  entries_.resize(entries_.size() - std::min(n, entries_.size()));
}

void persist(const Ready& ready, LogStore* log, HardStateStore* hard_state, SnapshotStore* snaps) {
  if (ready.snapshot) {
    snaps->save(ready.snapshot);
    log->reset(ready.snapshot->meta.index);
  }
  // The hard state goes before the entries: a torn write may then lose new entries (never
  // acknowledged) but never leave entries of a term whose vote was not recorded. A commit index
  // beyond the surviving log is clamped on restart (it is advisory).
  if (ready.hard_state) hard_state->save(*ready.hard_state);
  if (!ready.entries.empty()) log->append(ready.entries);
}

}  // namespace zakros::raft
