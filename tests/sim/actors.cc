// The simulator's actors: clients, the nemesis, and the liveness/availability phases.
#include <algorithm>
#include <cstdio>
#include <string>

#include "sim_cluster.h"

namespace zakros::sim::detail {

// ---- clients --------------------------------------------------------------------------------

void Simulation::finish_op(Client& c, bool dropped, const std::string* read_value) {
  Operation& op = history_[c.op.hist];
  if (dropped) {
    dropped_[c.op.hist] = true;
  } else if (c.op.is_write && read_value == nullptr && c.op.node != 0 &&
             (!nodes_[c.op.node - 1].up() || nodes_[c.op.node - 1].gen != c.op.gen)) {
    op.complete = kNeverReturned;  // outcome unknown
    ++res_.ops_unknown;
  } else {
    op.complete = ++hclock_;
    if (read_value != nullptr) op.value = *read_value;
    ++res_.ops_ok;
  }
  c.busy = false;
}

void Simulation::client_event(Client& c) {
  schedule(now_ + rng_.uniform(1, 20), Ev::kClient, c.id, 0);
  if (c.busy) {
    if (now_ < c.op.deadline) return;
    // Timed out: a write's fate is unknown, a read simply did not happen.
    if (c.op.is_write) {
      history_[c.op.hist].complete = kNeverReturned;
      ++res_.ops_unknown;
      c.busy = false;
    } else {
      finish_op(c, true, nullptr);
    }
  }
  if (!clients_on_) return;
  SimNode* n = pick_leader(false);
  if (n == nullptr) return;
  PendingOp op;
  op.key = "k" + std::to_string(rng_.uniform(0, kKeys - 1));
  op.node = n->id;
  op.gen = n->gen;
  op.deadline = now_ + 400;
  Operation h;
  h.key = op.key;
  h.client = c.id;
  if (rng_.chance(0.5)) {
    op.is_write = true;
    h.is_write = true;
    h.value = "v" + std::to_string(c.id) + "." + std::to_string(++c.seq);
    const std::string data = "W|" + op.key + "|" + h.value;
    if (n->raft->propose(data, &op.id) != Status::kOk) return;
  } else {
    op.ctx = next_ctx_++;
    if (n->raft->read_index(op.ctx) != Status::kOk) return;
  }
  h.invoke = ++hclock_;
  op.hist = history_.size();
  history_.push_back(h);
  dropped_.push_back(false);
  c.op = op;
  c.busy = true;
  process_ready(*n);
}

// ---- nemesis --------------------------------------------------------------------------------

void Simulation::nemesis() {
  schedule(now_ + rng_.uniform(20, 200), Ev::kNemesis, 0, 0);
  if (!faults_) return;
  const auto roll = rng_.uniform(0, 99);
  if (roll < 20) {
    nemesis_partition();
  } else if (roll < 32) {
    // Isolate the leader: its uncommitted tail diverges from what the next leader appends.
    if (SimNode* l = pick_leader(false)) {
      heal();
      for (auto& n : nodes_) {
        if (n.id != l->id) cut(l->id, n.id);
      }
    }
  } else if (roll < 45) {
    // Half of the crashes hit the leader: that is where elections, truncations and lost
    // uncommitted entries come from.
    SimNode* victim = rng_.chance(0.5) ? pick_leader(false) : nullptr;
    if (victim == nullptr) {
      std::vector<SimNode*> up;
      for (auto& n : nodes_) {
        if (n.up()) up.push_back(&n);
      }
      if (!up.empty()) victim = up[rng_.uniform(0, up.size() - 1)];
    }
    if (victim != nullptr) crash(*victim);
  } else if (roll < 55) {
    static constexpr double kDrop[] = {0, 0.01, 0.05, 0.2};
    static constexpr double kDup[] = {0, 0.02, 0.1};
    static constexpr double kDelay[] = {0, 0.05, 0.2};
    drop_p_ = kDrop[rng_.uniform(0, 3)];
    dup_p_ = kDup[rng_.uniform(0, 2)];
    delay_p_ = kDelay[rng_.uniform(0, 2)];
  } else if (roll < 67) {
    nemesis_membership();
  } else if (roll < 77) {
    if (SimNode* l = pick_leader(true)) {
      const auto& voters = l->raft->conf().voters;
      const NodeId to = voters[rng_.uniform(0, voters.size() - 1)];
      l->raft->transfer_leadership(to);
      process_ready(*l);
    }
  } else if (roll < 92) {
    heal();
  }
}

void Simulation::nemesis_partition() {
  heal();
  const std::size_t n = nodes_.size();
  std::vector<NodeId> ids;
  for (std::size_t i = 1; i <= n; ++i) ids.push_back(static_cast<NodeId>(i));
  for (std::size_t i = n - 1; i > 0; --i) std::swap(ids[i], ids[rng_.uniform(0, i)]);
  switch (rng_.uniform(0, 4)) {
    case 0:  // isolate one node
      for (NodeId other : ids) {
        if (other != ids[0]) cut(ids[0], other);
      }
      break;
    case 1: {  // two halves
      const std::size_t k = rng_.uniform(1, n - 1);
      for (std::size_t i = 0; i < k; ++i) {
        for (std::size_t j = k; j < n; ++j) cut(ids[i], ids[j]);
      }
      break;
    }
    case 2: {  // one-directional losses
      const auto pairs = rng_.uniform(1, 3);
      for (std::uint64_t p = 0; p < pairs; ++p) {
        const NodeId a = ids[rng_.uniform(0, n - 1)], b = ids[rng_.uniform(0, n - 1)];
        if (a != b) block_[a][b] = true;
      }
      break;
    }
    case 3: {  // bridge: ids[0] sees both halves, the halves do not see each other
      const std::size_t k = rng_.uniform(2, n - 1);
      for (std::size_t i = 1; i < k; ++i) {
        for (std::size_t j = k; j < n; ++j) cut(ids[i], ids[j]);
      }
      break;
    }
    default:  // healed
      break;
  }
}

void Simulation::nemesis_membership() {
  SimNode* l = pick_leader(true);
  if (l == nullptr) return;
  const ConfState& cs = l->raft->conf();
  const std::size_t min_voters = std::max(3, opt_.nodes - 2);
  const std::size_t max_voters = opt_.nodes + 1;
  ConfChange cc;
  std::vector<NodeId> spares;
  for (auto& n : nodes_) {
    if (!cs.contains(n.id)) spares.push_back(n.id);
  }
  const auto roll = rng_.uniform(0, 2);
  if (!cs.learners.empty() && roll == 0) {
    cc.type = ConfChangeType::kAddVoter;
    cc.node = cs.learners[rng_.uniform(0, cs.learners.size() - 1)];
    const raft::Progress* pr = l->raft->progress(cc.node);
    // Promote only a learner that caught up, or the cluster could stall waiting for it.
    if (cs.voters.size() >= max_voters || pr == nullptr || pr->match < l->raft->commit_index()) {
      return;
    }
  } else if (!spares.empty() && roll == 1 && cs.learners.size() < 2) {
    cc.type = ConfChangeType::kAddLearner;
    cc.node = spares[rng_.uniform(0, spares.size() - 1)];
  } else if (cs.voters.size() > min_voters || !cs.learners.empty()) {
    cc.type = ConfChangeType::kRemove;
    if (!cs.learners.empty() && rng_.chance(0.3)) {
      cc.node = cs.learners[rng_.uniform(0, cs.learners.size() - 1)];
    } else if (cs.voters.size() > min_voters) {
      cc.node = cs.voters[rng_.uniform(0, cs.voters.size() - 1)];
    } else {
      return;
    }
  } else {
    return;
  }
  if (l->raft->propose_conf_change(cc) == Status::kOk) {
    ++res_.conf_changes;
    if (opt_.verbose) {
      std::printf("t=%llu conf change type %d node %llu by leader %llu\n",
                  static_cast<unsigned long long>(now_), static_cast<int>(cc.type),
                  static_cast<unsigned long long>(cc.node), static_cast<unsigned long long>(l->id));
    }
    process_ready(*l);
  }
}

// ---- main loop and liveness -----------------------------------------------------------------

void Simulation::liveness_barrier(const char* what, std::uint64_t budget) {
  const std::uint64_t deadline = now_ + budget;
  probe_node_ = 0;
  probe_ok_ = probe_failed_ = false;
  while (now_ < deadline) {
    step_once();
    if (probe_node_ != 0 && probe_ok_) {
      SimNode& l = node(probe_node_);
      bool all = l.up();
      if (all) {
        for (NodeId v : l.raft->conf().voters) {
          SimNode& m = node(v);
          all = all && m.up() && m.applied >= probe_.index;
        }
      }
      if (all) return;
    }
    const bool lost = probe_node_ != 0 && (probe_failed_ || !node(probe_node_).up() ||
                                           node(probe_node_).raft->role() != Role::kLeader);
    if ((probe_node_ == 0 || lost) && !probe_ok_) {
      probe_node_ = 0;
      SimNode* l = pick_leader(true);
      if (l != nullptr && l->raft->committed_in_term()) {
        probe_ok_ = probe_failed_ = false;
        const std::string data = "P|" + std::to_string(++probe_seq_);
        if (l->raft->propose(data, &probe_) == Status::kOk) {
          probe_node_ = l->id;
          process_ready(*l);
        }
      }
    }
  }
  std::string detail;
  for (auto& n : nodes_) {
    detail += "\n  node " + std::to_string(n.id) + ": ";
    if (!n.up()) {
      detail += "down";
      continue;
    }
    detail += std::string(raft::role_name(n.raft->role())) + " term " +
              std::to_string(n.raft->term()) + " commit " + std::to_string(n.raft->commit_index()) +
              " applied " + std::to_string(n.applied) + " last " +
              std::to_string(n.raft->last_index()) + " snap " +
              std::to_string(n.raft->log().snapshot_index()) + " raft_applied " +
              std::to_string(n.raft->applied_index()) + " disk_queue " +
              std::to_string(n.disk_queue.size()) + (n.disk_scheduled ? "+" : "") +
              (n.raft->has_ready() ? " has_ready" : "") + " voters";
    for (NodeId v : n.raft->conf().voters) detail += " " + std::to_string(v);
    if (n.raft->role() == Role::kLeader) {
      for (NodeId v : n.raft->conf().voters) {
        if (const raft::Progress* pr = n.raft->progress(v)) {
          detail += "\n    progress " + std::to_string(v) + " " +
                    raft::progress_state_name(pr->state) + " match " + std::to_string(pr->match) +
                    " next " + std::to_string(pr->next) + " probe_sent " +
                    std::to_string(pr->probe_sent) + " active " +
                    std::to_string(pr->recent_active) + " inflight " +
                    std::to_string(pr->inflights.count());
        }
      }
    }
  }
  violation(std::string("liveness: no progress within ") + std::to_string(budget / kTickUnits) +
            " ticks " + what + detail);
}

void Simulation::phase_cut_link() {
  // Cut one leader-follower link both ways. The follower stops hearing the leader but still
  // reaches everyone else: with PreVote and the voters' lease it must not depose the leader.
  SimNode* l = pick_leader(true);
  if (l == nullptr) return;
  std::vector<NodeId> others;
  for (NodeId v : l->raft->conf().voters) {
    if (v != l->id) others.push_back(v);
  }
  if (others.size() < 2) return;
  const NodeId x = others[rng_.uniform(0, others.size() - 1)];
  const Term t0 = l->raft->term();
  cut(l->id, x);
  run_for(15 * kElectionTicks * kTickUnits);
  heal();
  if (!l->up() || l->raft->role() != Role::kLeader || l->raft->term() != t0 ||
      leaders_.rbegin()->first != t0) {
    violation("availability: cutting the link between leader " + std::to_string(l->id) +
              " and follower " + std::to_string(x) +
              " caused a new election (PreVote/CheckQuorum lease not effective)");
  }
}

void Simulation::phase_isolate_leader() {
  // An isolated leader must notice (CheckQuorum) and step down, so its clients go elsewhere.
  SimNode* l = pick_leader(true);
  if (l == nullptr) return;
  for (auto& n : nodes_) {
    if (n.id != l->id) cut(l->id, n.id);
  }
  run_for(6 * kElectionTicks * kTickUnits);
  heal();
  if (l->up() && l->raft->role() == Role::kLeader) {
    violation("availability: leader " + std::to_string(l->id) + " isolated for " +
              std::to_string(6 * kElectionTicks) + " ticks did not step down (CheckQuorum)");
  }
}

}  // namespace zakros::sim::detail
