// RaftLog: the core's in-memory view of its log (everything after the last snapshot), plus how
// much of it the caller has made durable.
//
// Layout: entries_[k] has index snapshot_index_ + 1 + k. The snapshot stands in for every entry
// up to snapshot_index_ (whose term, snapshot_term_, stays known for the Log Matching check of the
// next append).
//
// Durability bookkeeping (both only move back when a conflicting suffix is truncated):
//   handed_  last index handed to the caller in a Ready (to be written).
//   stable_  last index the caller reported durable via Node::advance().
// Invariant: snapshot_index_ <= stable_ <= handed_ <= last_index() (stable_ may briefly lag behind
// a truncation point only if a Ready is in flight; advance() re-checks the term before trusting).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "raft/core/types.h"

namespace zakros::raft {

class RaftLog {
 public:
  // Replaces everything with `entries` following a snapshot at (index, term); all of it is durable.
  void restore(Index snapshot_index, Term snapshot_term, std::vector<Entry> entries);

  Index snapshot_index() const { return snapshot_index_; }
  Term snapshot_term() const { return snapshot_term_; }
  Index first_index() const { return snapshot_index_ + 1; }
  Index last_index() const { return snapshot_index_ + entries_.size(); }
  Term last_term() const { return entries_.empty() ? snapshot_term_ : entries_.back().term; }

  // Term of entry `i`; nullopt when compacted away (i < snapshot_index) or beyond the end.
  std::optional<Term> term(Index i) const;
  bool matches(Index i, Term t) const {
    auto x = term(i);
    return x && *x == t;
  }
  // Requires first_index() <= i <= last_index().
  const Entry& at(Index i) const { return entries_[i - snapshot_index_ - 1]; }

  // Whether a log ending at (index, term) is at least as up-to-date as this one (§5.4.1).
  bool is_up_to_date(Index index, Term term) const {
    return term > last_term() || (term == last_term() && index >= last_index());
  }

  // Leader path: appends one new entry at last_index() + 1.
  void append(Entry entry) { entries_.push_back(std::move(entry)); }

  // Index of the first entry of `ents` that is not already in the log with the same term (one
  // past the snapshot or an existing match), or 0 if all of them are present.
  Index find_conflict(std::span<const Entry> ents) const;
  // Follower path: `ents` directly follow an entry that matches. Skips the prefix already present
  // with the same terms, truncates at the first conflict and appends the rest. Returns the index
  // of the first entry that changed (0 if none). The caller has checked that the truncation point
  // is above its commit index.
  Index merge(std::span<const Entry> ents);

  // Largest index <= `index` whose term is <= `term` (or the snapshot index if the search runs
  // into the compacted prefix). Used for the conflict hints of fast backtracking.
  Index find_conflict_by_term(Index index, Term term) const;

  // Appends copies of entries [lo, hi] to `out`, stopping early (after at least one entry) once
  // `max_entries` or `max_bytes` would be exceeded. Requires first_index() <= lo.
  void slice(Index lo, Index hi, std::size_t max_entries, std::size_t max_bytes,
             std::vector<Entry>* out) const;

  // Drops every entry <= `index` (index <= last_index()), remembering its term.
  void compact(Index index);
  // Discards the whole log in favour of a received snapshot at (index, term).
  void reset(Index index, Term term);

  Index stable() const { return stable_; }
  Index handed() const { return handed_; }
  void set_handed(Index i) { handed_ = i; }
  void set_stable(Index i) { stable_ = i; }

 private:
  Index snapshot_index_ = 0;
  Term snapshot_term_ = 0;
  std::vector<Entry> entries_;
  Index stable_ = 0;
  Index handed_ = 0;
};

}  // namespace zakros::raft
