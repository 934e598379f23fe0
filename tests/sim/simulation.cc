#include "simulation.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "sim_cluster.h"

namespace zakros::sim {
namespace detail {

raft::Config Simulation::make_config(const SimNode& n) {
  raft::Config cfg;
  cfg.id = n.id;
  if (n.id <= static_cast<NodeId>(opt_.nodes)) {
    for (int i = 1; i <= opt_.nodes; ++i) cfg.voters.push_back(static_cast<NodeId>(i));
  }
  cfg.election_ticks = kElectionTicks;
  cfg.heartbeat_ticks = 1;
  cfg.max_msg_entries = max_msg_entries_;
  cfg.max_inflight_msgs = max_inflight_;
  cfg.seed = opt_.seed * 1000003 + n.id * 7919 + n.gen;
  cfg.broken = opt_.broken;
  auto snap = n.disk.snapshots.load();
  cfg.applied = snap ? snap->meta.index : 0;
  cfg.panic = [](const char* what) { throw Violation(std::string("core panic: ") + what); };
  return cfg;
}

void Simulation::start(SimNode& n) {
  ++n.gen;
  n.kv.clear();
  n.applied = 0;
  if (auto snap = n.disk.snapshots.load()) {
    for (auto line : split(snap->data.view(), '\n')) {
      if (line.empty()) continue;
      auto kv = split(line, '=');
      n.kv[std::string(kv[0])] = std::string(kv[1]);
    }
    n.applied = snap->meta.index;
  }
  n.raft =
      std::make_unique<raft::Node>(make_config(n), n.disk.log, n.disk.hard_state, n.disk.snapshots);
  n.lead_term = 0;
  // Clocks run at slightly different rates while faults are on.
  n.tick_units = faults_ ? rng_.uniform(kTickUnits - 2, kTickUnits + 3) : kTickUnits;
  schedule(now_ + rng_.uniform(1, n.tick_units), Ev::kTick, n.id, n.gen);
  process_ready(n);
}

void Simulation::crash(SimNode& n) {
  if (!n.up()) return;
  if (opt_.verbose) {
    std::printf("t=%llu node %llu crashes (stable %llu last %llu)\n",
                static_cast<unsigned long long>(now_), static_cast<unsigned long long>(n.id),
                static_cast<unsigned long long>(n.raft->stable_index()),
                static_cast<unsigned long long>(n.raft->last_index()));
  }
  ++res_.crashes;
  n.raft.reset();
  n.disk_queue.clear();
  n.disk_scheduled = false;
  ++n.gen;
  for (auto& c : clients_) {
    if (c.busy && c.op.node == n.id) finish_op(c, !c.op.is_write, nullptr);
  }
  // Some restarts are immediate (a process supervisor), most take a while.
  if (faults_) {
    const auto delay = rng_.chance(0.25) ? rng_.uniform(1, 15) : rng_.uniform(20, 400);
    schedule(now_ + delay, Ev::kRestart, n.id, n.gen);
  }
}

void Simulation::process_ready(SimNode& n) {
  while (n.up() && n.raft->has_ready()) {
    Ready rd = n.raft->ready();
    observe(n, rd);
    for (auto& m : rd.messages) net_send(std::move(m));
    rd.messages.clear();
    n.disk_queue.push_back(std::move(rd));
  }
  if (n.up() && !n.disk_queue.empty() && !n.disk_scheduled) {
    n.disk_scheduled = true;
    const bool io = n.disk_queue.front().must_persist();
    schedule(now_ + (io ? rng_.uniform(1, 3) : 0), Ev::kDisk, n.id, n.gen);
  }
}

void Simulation::on_disk(SimNode& n) {
  n.disk_scheduled = false;
  if (n.disk_queue.empty()) return;
  Ready rd = std::move(n.disk_queue.front());
  n.disk_queue.pop_front();
  if (faults_ && rd.must_persist() && rng_.chance(torn_p_)) {
    torn_write(n, rd);
    crash(n);
    return;
  }
  if (opt_.verbose && (rd.hard_state || !rd.entries.empty())) {
    std::printf(
        "t=%llu node %llu persists entries %llu..%llu (terms %llu..%llu) hs %s commit %llu\n",
        static_cast<unsigned long long>(now_), static_cast<unsigned long long>(n.id),
        static_cast<unsigned long long>(rd.entries.empty() ? 0 : rd.entries.front().index),
        static_cast<unsigned long long>(rd.entries.empty() ? 0 : rd.entries.back().index),
        static_cast<unsigned long long>(rd.entries.empty() ? 0 : rd.entries.front().term),
        static_cast<unsigned long long>(rd.entries.empty() ? 0 : rd.entries.back().term),
        rd.hard_state ? "yes" : "no",
        static_cast<unsigned long long>(rd.hard_state ? rd.hard_state->commit : 0));
  }
  raft::persist(rd, &n.disk.log, &n.disk.hard_state, &n.disk.snapshots);
  for (auto& m : rd.persist_messages) net_send(std::move(m));
  if (rd.snapshot) {
    n.kv.clear();
    for (auto line : split(rd.snapshot->data.view(), '\n')) {
      if (line.empty()) continue;
      auto kv = split(line, '=');
      n.kv[std::string(kv[0])] = std::string(kv[1]);
    }
    n.applied = rd.snapshot->meta.index;
  }
  for (const auto& e : rd.committed_entries) apply(n, e);
  for (const auto& rs : rd.read_states) serve_read(n, rs);
  n.raft->advance(rd);
  maybe_snapshot(n);
  process_ready(n);
}

void Simulation::torn_write(SimNode& n, const Ready& rd) {
  if (opt_.verbose) {
    std::printf("t=%llu node %llu torn write\n", static_cast<unsigned long long>(now_),
                static_cast<unsigned long long>(n.id));
  }
  // The write is cut at a random point in persist()'s order: snapshot, entries, hard state.
  std::size_t total = (rd.snapshot ? 1 : 0) + rd.entries.size() + (rd.hard_state ? 1 : 0);
  std::size_t k = rng_.uniform(0, total - 1);
  if (rd.snapshot && k > 0) {
    n.disk.snapshots.save(rd.snapshot);
    n.disk.log.reset(rd.snapshot->meta.index);
    --k;
  }
  const std::size_t ents = std::min(k, rd.entries.size());
  if (ents > 0) n.disk.log.append(std::span<const Entry>(rd.entries.data(), ents));
  // The hard state comes last, so a torn write never includes it.
}

void Simulation::apply(SimNode& n, const Entry& e) {
  if (e.index != n.applied + 1) {
    violation("node " + std::to_string(n.id) + " applies entry " + std::to_string(e.index) +
              " after " + std::to_string(n.applied));
  }
  n.applied = e.index;
  if (e.type == EntryType::kNormal) {
    auto parts = split(e.data.view(), '|');
    if (parts[0] == "W") {
      n.kv[std::string(parts[1])] = std::string(parts[2]);
    } else if (parts[0] == "P" && probe_node_ == n.id && e.index == probe_.index) {
      (e.term == probe_.term ? probe_ok_ : probe_failed_) = true;
    }
  } else if (probe_node_ == n.id && e.index == probe_.index) {
    probe_failed_ = true;
  }
  for (auto& c : clients_) {
    if (c.busy && c.op.is_write && c.op.node == n.id && c.op.gen == n.gen &&
        c.op.id.index == e.index) {
      // Another entry at our index means ours can never commit: the write did not happen.
      finish_op(c, e.term != c.op.id.term, nullptr);
    }
  }
}

void Simulation::serve_read(SimNode& n, const ReadState& rs) {
  if (n.applied < rs.index) violation("read released before its index was applied");
  for (auto& c : clients_) {
    if (c.busy && !c.op.is_write && c.op.node == n.id && c.op.gen == n.gen &&
        c.op.ctx == rs.context) {
      auto it = n.kv.find(c.op.key);
      const std::string value = it == n.kv.end() ? std::string() : it->second;
      finish_op(c, false, &value);
    }
  }
}

void Simulation::maybe_snapshot(SimNode& n) {
  if (!n.up() || n.applied < n.raft->log().snapshot_index() + snap_threshold_) return;
  if (!rng_.chance(0.5)) return;
  std::string data;
  for (const auto& [k, v] : n.kv) data += k + "=" + v + "\n";
  n.raft->compact(n.applied, Bytes(data));
  auto snap = n.raft->latest_snapshot();
  if (!snap || snap->meta.index != n.applied) return;
  n.disk.snapshots.save(snap);
  n.disk.log.compact(snap->meta.index);
}

Simulation::SimNode* Simulation::pick_leader(bool highest_term) {
  std::vector<SimNode*> leaders;
  for (auto& n : nodes_) {
    if (n.up() && n.raft->role() == Role::kLeader) leaders.push_back(&n);
  }
  if (leaders.empty()) return nullptr;
  if (highest_term) {
    return *std::max_element(leaders.begin(), leaders.end(), [](SimNode* a, SimNode* b) {
      return a->raft->term() < b->raft->term();
    });
  }
  return leaders[rng_.uniform(0, leaders.size() - 1)];
}

void Simulation::net_send(Message m) {
  if (m.to == 0 || m.to > nodes_.size()) return;
  if (m.type == MessageType::kSnapshot) ++res_.snapshots_sent;
  if (blocked(m.from, m.to)) return;
  if (faults_ && rng_.chance(drop_p_)) return;
  auto delay = [&] {
    std::uint64_t d = rng_.uniform(1, 5);
    if (faults_ && rng_.chance(delay_p_)) d += rng_.uniform(5, 60);
    // A snapshot is streamed in chunks: it takes longer.
    if (m.type == MessageType::kSnapshot) d += rng_.uniform(5, 20);
    return d;
  };
  if (faults_ && rng_.chance(dup_p_)) schedule(now_ + delay(), Ev::kDeliver, m.to, 0, m);
  const std::uint64_t d = delay();
  schedule(now_ + d, Ev::kDeliver, m.to, 0, std::move(m));
}

// ---- main loop and liveness -----------------------------------------------------------------

void Simulation::step_once() {
  std::pop_heap(events_.begin(), events_.end(), Later());
  Event ev = std::move(events_.back());
  events_.pop_back();
  now_ = ev.time;
  ++res_.steps;
  switch (ev.kind) {
    case Ev::kTick: {
      SimNode& n = node(ev.node);
      if (!n.up() || n.gen != ev.gen) return;
      n.raft->tick();
      process_ready(n);
      schedule(now_ + n.tick_units, Ev::kTick, n.id, n.gen);
      break;
    }
    case Ev::kDeliver: {
      SimNode& n = node(ev.node);
      if (!n.up() || blocked(ev.msg.from, ev.msg.to)) return;
      n.raft->step(ev.msg);
      process_ready(n);
      break;
    }
    case Ev::kDisk: {
      SimNode& n = node(ev.node);
      if (!n.up() || n.gen != ev.gen) return;
      on_disk(n);
      break;
    }
    case Ev::kClient:
      client_event(clients_[ev.node]);
      break;
    case Ev::kNemesis:
      nemesis();
      break;
    case Ev::kIsolate:
      if (faults_) {
        heal();
        for (auto& other : nodes_) {
          if (other.id != ev.node) cut(ev.node, other.id);
        }
      }
      break;
    case Ev::kRestart: {
      SimNode& n = node(ev.node);
      if (!n.up() && n.gen == ev.gen) start(n);
      break;
    }
  }
}

void Simulation::run_for(std::uint64_t units) {
  const std::uint64_t until = now_ + units;
  while (!events_.empty() && events_.front().time <= until) step_once();
  now_ = until;
}

SimResult Simulation::run() {
  // Per-run knobs, so that different seeds explore different batching and pipelining regimes.
  static constexpr std::size_t kMsgEntries[] = {1, 1, 4, 64};
  static constexpr std::size_t kInflight[] = {1, 4, 256};
  max_msg_entries_ = kMsgEntries[rng_.uniform(0, 3)];
  max_inflight_ = kInflight[rng_.uniform(0, 2)];
  snap_threshold_ = rng_.uniform(10, 80);
  const std::size_t total = static_cast<std::size_t>(opt_.nodes) + 2;
  nodes_.resize(total);
  block_.assign(total + 1, std::vector<bool>(total + 1, false));
  for (std::size_t i = 0; i < total; ++i) nodes_[i].id = static_cast<NodeId>(i + 1);
  clients_.resize(kClients);
  try {
    for (auto& n : nodes_) start(n);
    for (int c = 0; c < kClients; ++c) {
      clients_[c].id = c;
      schedule(rng_.uniform(1, 50), Ev::kClient, c, 0);
    }
    schedule(rng_.uniform(100, 300), Ev::kNemesis, 0, 0);
    while (res_.steps < opt_.steps) step_once();

    // Faults stop: heal, restart everyone, clean network.
    faults_ = false;
    heal();
    drop_p_ = dup_p_ = delay_p_ = 0;
    for (auto& n : nodes_) {
      if (!n.up()) start(n);
    }
    liveness_barrier("after faults stopped", 300 * kTickUnits);
    phase_cut_link();
    liveness_barrier("after the cut-link phase", 300 * kTickUnits);
    for (int round = 0; round < 3; ++round) {
      phase_isolate_leader();
      liveness_barrier("after the isolated-leader phase", 300 * kTickUnits);
    }

    // Let clients finish what they started.
    clients_on_ = false;
    run_for(600);
    for (auto& c : clients_) {
      if (c.busy) {
        if (c.op.is_write) {
          history_[c.op.hist].complete = kNeverReturned;
          ++res_.ops_unknown;
        } else {
          dropped_[c.op.hist] = true;
        }
        c.busy = false;
      }
    }
    std::vector<Operation> hist;
    for (std::size_t i = 0; i < history_.size(); ++i) {
      if (!dropped_[i]) hist.push_back(history_[i]);
    }
    auto lin = check_linearizable(hist);
    res_.lin_inconclusive = lin.inconclusive;
    if (!lin.ok) violation("linearizability: " + lin.detail);
  } catch (const Violation& v) {
    res_.ok = false;
    res_.violation = v.what();
  }
  res_.time = now_;
  return res_;
}

}  // namespace detail

using detail::Simulation;
using raft::Broken;

SimResult run_simulation(const SimOptions& options) {
  return Simulation(options).run();
}

namespace {
struct BrokenName {
  const char* name;
  Broken value;
};
constexpr BrokenName kBrokenNames[] = {
    {"none", Broken::kNone},
    {"commit-previous-term", Broken::kCommitPreviousTerm},
    {"skip-noop", Broken::kSkipNoop},
    {"read-without-heartbeat", Broken::kReadWithoutHeartbeat},
    {"no-prevote", Broken::kNoPreVote},
    {"no-check-quorum", Broken::kNoCheckQuorum},
    {"vote-before-persist", Broken::kVoteBeforePersist},
    {"no-log-check-on-vote", Broken::kNoLogCheckOnVote},
};
}  // namespace

bool parse_broken(const std::string& name, Broken* out) {
  for (const auto& b : kBrokenNames) {
    if (name == b.name) {
      *out = b.value;
      return true;
    }
  }
  return false;
}

const char* broken_name(Broken b) {
  for (const auto& x : kBrokenNames) {
    if (x.value == b) return x.name;
  }
  return "?";
}

}  // namespace zakros::sim
