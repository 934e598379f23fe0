#include "raft/core/log.h"

#include <algorithm>
#include <cassert>

namespace zakros::raft {

void RaftLog::restore(Index snapshot_index, Term snapshot_term, std::vector<Entry> entries) {
  snapshot_index_ = snapshot_index;
  snapshot_term_ = snapshot_term;
  entries_ = std::move(entries);
  stable_ = handed_ = last_index();
}

std::optional<Term> RaftLog::term(Index i) const {
  if (i == snapshot_index_) return snapshot_term_;
  if (i < snapshot_index_ || i > last_index()) return std::nullopt;
  return at(i).term;
}

Index RaftLog::find_conflict(std::span<const Entry> ents) const {
  // Skip what we already have (a duplicated or reordered append must not truncate anything).
  for (const Entry& e : ents) {
    if (e.index <= snapshot_index_ || matches(e.index, e.term)) continue;
    return e.index;
  }
  return 0;
}

Index RaftLog::merge(std::span<const Entry> ents) {
  const Index from = find_conflict(ents);
  if (from == 0) return 0;
  const std::size_t k = from - ents.front().index;
  if (from <= last_index()) {
    // A conflicting suffix: it was never committed (Leader Completeness), so dropping it is safe.
    entries_.resize(from - snapshot_index_ - 1);
    stable_ = std::min(stable_, from - 1);
    handed_ = std::min(handed_, from - 1);
  }
  assert(from == last_index() + 1);
  entries_.insert(entries_.end(), ents.begin() + static_cast<std::ptrdiff_t>(k), ents.end());
  return from;
}

Index RaftLog::find_conflict_by_term(Index index, Term t) const {
  if (index > last_index()) index = last_index();
  while (index > snapshot_index_) {
    if (at(index).term <= t) return index;
    --index;
  }
  return snapshot_index_;
}

void RaftLog::slice(Index lo, Index hi, std::size_t max_entries, std::size_t max_bytes,
                    std::vector<Entry>* out) const {
  std::size_t bytes = 0;
  std::size_t n = 0;
  for (Index i = lo; i <= hi; ++i) {
    const Entry& e = at(i);
    bytes += e.data.size();
    if (n > 0 && (n >= max_entries || bytes > max_bytes)) break;
    out->push_back(e);
    ++n;
  }
}

void RaftLog::compact(Index index) {
  if (index <= snapshot_index_) return;
  assert(index <= last_index());
  snapshot_term_ = at(index).term;
  entries_.erase(entries_.begin(),
                 entries_.begin() + static_cast<std::ptrdiff_t>(index - snapshot_index_));
  snapshot_index_ = index;
  stable_ = std::max(stable_, index);
  handed_ = std::max(handed_, index);
}

void RaftLog::reset(Index index, Term t) {
  entries_.clear();
  snapshot_index_ = index;
  snapshot_term_ = t;
  stable_ = handed_ = index;
}

}  // namespace zakros::raft
