// The simulator's safety checks, run on every Ready a node hands out.
#include <algorithm>
#include <cstdio>
#include <string>

#include "sim_cluster.h"

namespace zakros::sim::detail {

// ---- checks ---------------------------------------------------------------------------------

void Simulation::record_committed(const Entry& e) {
  const std::uint64_t h = entry_hash(e);
  if (e.index <= committed_.size()) {
    auto& [t, hash] = committed_[e.index - 1];
    if (t == 0) {
      t = e.term;
      hash = h;
      return;
    }
    if (t != e.term || hash != h) {
      violation("State Machine Safety: index " + std::to_string(e.index) + " committed as term " +
                std::to_string(t) + " and as term " + std::to_string(e.term));
    }
    return;
  }
  if (e.index != committed_.size() + 1) {
    // Committed entries are handed out in order per node; a gap means some node skipped one.
    // Nodes restoring from a snapshot jump ahead, so fill the gap lazily with unknowns.
    while (committed_.size() + 1 < e.index) committed_.emplace_back(0, 0);
  }
  committed_.emplace_back(e.term, h);
  res_.committed = committed_.size();
}

void Simulation::observe(SimNode& n, const Ready& rd) {
  raft::Node& r = *n.raft;
  if (opt_.verbose) {
    if (rd.soft_state) {
      std::printf("t=%llu node %llu %s term %llu leader %lld last %llu commit %llu\n",
                  static_cast<unsigned long long>(now_), static_cast<unsigned long long>(n.id),
                  raft::role_name(rd.soft_state->role), static_cast<unsigned long long>(r.term()),
                  static_cast<long long>(rd.soft_state->leader),
                  static_cast<unsigned long long>(r.last_index()),
                  static_cast<unsigned long long>(r.commit_index()));
    }
    if (!rd.committed_entries.empty()) {
      std::printf("t=%llu node %llu commits %llu..%llu (term of last %llu)\n",
                  static_cast<unsigned long long>(now_), static_cast<unsigned long long>(n.id),
                  static_cast<unsigned long long>(rd.committed_entries.front().index),
                  static_cast<unsigned long long>(rd.committed_entries.back().index),
                  static_cast<unsigned long long>(rd.committed_entries.back().term));
    }
    if (rd.snapshot) {
      std::printf("t=%llu node %llu installs snapshot at %llu\n",
                  static_cast<unsigned long long>(now_), static_cast<unsigned long long>(n.id),
                  static_cast<unsigned long long>(rd.snapshot->meta.index));
    }
  }
  if (rd.soft_state) {
    if (rd.soft_state->role == Role::kLeader) {
      ++res_.elections;
      auto [it, inserted] = leaders_.emplace(r.term(), n.id);
      if (!inserted && it->second != n.id) {
        violation("Election Safety: nodes " + std::to_string(it->second) + " and " +
                  std::to_string(n.id) + " both leaders of term " + std::to_string(r.term()));
      }
      // Leader Completeness: the newest committed entry (hence, by Log Matching, all) is ours.
      for (Index c = committed_.size(); c > 0; --c) {
        if (committed_[c - 1].first == 0) continue;
        if (c > r.log().snapshot_index() && !r.log().matches(c, committed_[c - 1].first)) {
          violation("Leader Completeness: leader " + std::to_string(n.id) + " of term " +
                    std::to_string(r.term()) + " lacks committed entry " + std::to_string(c));
        }
        break;
      }
      if (faults_ && rng_.chance(0.3)) {
        // Cut a new leader off before its first entries spread: this is what leaves divergent
        // uncommitted tails of different terms around (the Figure 8 situations).
        schedule(now_ + rng_.uniform(0, 30), Ev::kIsolate, n.id, n.gen);
      }
      n.lead_term = r.term();
      n.lead_index = r.last_index();
      n.lead_index_term = r.log().last_term();
    } else {
      for (auto& c : clients_) {
        // The core dropped its pending reads; the client hears "not leader" and retries.
        if (c.busy && !c.op.is_write && c.op.node == n.id) finish_op(c, true, nullptr);
      }
    }
  }
  if (r.role() == Role::kLeader && n.lead_term == r.term()) {
    // Leader Append-Only: what the leader had is still there, unchanged.
    if (n.lead_index > r.log().snapshot_index() &&
        !r.log().matches(n.lead_index, n.lead_index_term)) {
      violation("Leader Append-Only: leader " + std::to_string(n.id) + " changed entry " +
                std::to_string(n.lead_index));
    }
    n.lead_index = r.last_index();
    n.lead_index_term = r.log().last_term();
  }
  // Log Matching: an (index, term) pair always names the same entry with the same predecessor.
  for (std::size_t k = 0; k < rd.entries.size(); ++k) {
    const Entry& e = rd.entries[k];
    Term prev = 0;
    if (k > 0) {
      prev = rd.entries[k - 1].term;
    } else if (auto t = r.term_at(e.index - 1)) {
      prev = *t;
    } else {
      prev = ~0ull;  // unknown (compacted)
    }
    if (e.term >= (1ull << 24)) violation("term too large for the Log Matching registry");
    const std::uint64_t key = (e.index << 24) | e.term;
    const Slot slot{entry_hash(e), prev};
    auto [it, inserted] = registry_.emplace(key, slot);
    if (!inserted) {
      if (it->second.hash != slot.hash ||
          (prev != ~0ull && it->second.prev_term != ~0ull && it->second.prev_term != prev)) {
        violation("Log Matching: entry " + std::to_string(e.index) + " of term " +
                  std::to_string(e.term) + " differs between logs");
      }
      if (it->second.prev_term == ~0ull) it->second.prev_term = prev;
    }
  }
  // State Machine Safety / no committed entry lost or changed.
  for (const auto& e : rd.committed_entries) record_committed(e);
}

}  // namespace zakros::sim::detail
