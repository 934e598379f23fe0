#include "raft/core/memory_storage.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "raft/core/node.h"

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
  // Entries before the hard state: the hard state's commit index may point at entries of this
  // very Ready, and must never survive a crash that lost them (a node would then apply entries
  // it holds at those indexes that were truncated in this Ready). A crash between the two leaves
  // new entries with an older term/vote on disk, which is safe: no message depending on the
  // newer term or vote left before the write (see Ready::persist_messages), and a leader sends
  // nothing of its term before that term is durable (Node::send).
  if (!ready.entries.empty()) log->append(ready.entries);
  if (ready.hard_state) hard_state->save(*ready.hard_state);
}

}  // namespace zakros::raft
