#include "simulation.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "linearizability.h"
#include "raft/memory_storage.h"
#include "raft/node.h"

namespace zakros::sim {

using raft::Broken;
using raft::Bytes;
using raft::ConfChange;
using raft::ConfChangeType;
using raft::ConfState;
using raft::Entry;
using raft::EntryId;
using raft::EntryType;
using raft::Index;
using raft::MemoryStorage;
using raft::Message;
using raft::MessageType;
using raft::NodeId;
using raft::ReadState;
using raft::Ready;
using raft::Role;
using raft::Status;
using raft::Term;

namespace {

struct Violation : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi) { return lo + next() % (hi - lo + 1); }
  bool chance(double p) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < p; }

 private:
  std::uint64_t state_;
};

constexpr std::uint64_t kTickUnits = 10;
constexpr int kElectionTicks = 10;
constexpr int kKeys = 3;
constexpr int kClients = 6;

std::uint64_t entry_hash(const Entry& e) {
  return std::hash<std::string_view>()(e.data.view()) * 31 + static_cast<std::uint64_t>(e.type);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    std::size_t p = s.find(sep, start);
    out.push_back(
        s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

class Simulation {
 public:
  explicit Simulation(const SimOptions& o) : opt_(o), rng_(o.seed) {}
  SimResult run();

 private:
  enum class Ev : std::uint8_t { kTick, kDeliver, kDisk, kClient, kNemesis, kRestart, kIsolate };
  struct Event {
    std::uint64_t time;
    std::uint64_t seq;
    Ev kind;
    NodeId node;  // or client id
    std::uint64_t gen;
    Message msg;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time != b.time ? a.time > b.time : a.seq > b.seq;
    }
  };
  struct SimNode {
    NodeId id = 0;
    MemoryStorage disk;
    std::unique_ptr<raft::Node> raft;
    std::uint64_t gen = 0;
    std::deque<Ready> disk_queue;
    bool disk_scheduled = false;
    std::map<std::string, std::string> kv;
    Index applied = 0;
    std::uint64_t tick_units = kTickUnits;  // clock rate of this incarnation (skew)
    Term lead_term = 0;  // Leader Append-Only tracking: our last entry while leader of lead_term
    Index lead_index = 0;
    Term lead_index_term = 0;
    bool up() const { return raft != nullptr; }
  };
  struct PendingOp {
    std::size_t hist = 0;
    bool is_write = false;
    NodeId node = 0;
    std::uint64_t gen = 0;
    EntryId id;
    std::uint64_t ctx = 0;
    std::string key;
    std::uint64_t deadline = 0;
  };
  struct Client {
    int id = 0;
    bool busy = false;
    PendingOp op;
    std::uint64_t seq = 0;
  };

  // scheduling
  void schedule(std::uint64_t at, Ev kind, NodeId node, std::uint64_t gen, Message msg = {}) {
    events_.push_back(Event{at, ++seq_, kind, node, gen, std::move(msg)});
    std::push_heap(events_.begin(), events_.end(), Later());
  }
  void step_once();
  void run_for(std::uint64_t units);

  // nodes
  SimNode& node(NodeId id) { return nodes_[id - 1]; }
  raft::Config make_config(const SimNode& n);
  void start(SimNode& n);
  void crash(SimNode& n);
  void process_ready(SimNode& n);
  void on_disk(SimNode& n);
  void torn_write(SimNode& n, const Ready& rd);
  void apply(SimNode& n, const Entry& e);
  void serve_read(SimNode& n, const ReadState& rs);
  void maybe_snapshot(SimNode& n);
  SimNode* pick_leader(bool highest_term);

  // network
  void net_send(Message m);
  bool blocked(NodeId from, NodeId to) const { return block_[from][to]; }
  void heal() {
    for (auto& row : block_) std::fill(row.begin(), row.end(), false);
  }
  void cut(NodeId a, NodeId b) { block_[a][b] = block_[b][a] = true; }

  // checks
  void observe(SimNode& n, const Ready& rd);
  void record_committed(const Entry& e);
  [[noreturn]] void violation(const std::string& what) { throw Violation(what); }

  // actors
  void client_event(Client& c);
  void finish_op(Client& c, bool dropped, const std::string* read_value);
  void nemesis();
  void nemesis_partition();
  void nemesis_membership();
  void liveness_barrier(const char* what, std::uint64_t budget);
  void phase_cut_link();
  void phase_isolate_leader();

  SimOptions opt_;
  Rng rng_;
  SimResult res_;
  std::vector<Event> events_;
  std::uint64_t seq_ = 0;
  std::uint64_t now_ = 0;
  std::vector<SimNode> nodes_;
  std::vector<std::vector<bool>> block_;
  bool faults_ = true;
  bool clients_on_ = true;
  double drop_p_ = 0, dup_p_ = 0, delay_p_ = 0, torn_p_ = 0.002;
  std::size_t max_msg_entries_ = 64, max_inflight_ = 256;
  Index snap_threshold_ = 30;

  // checker state
  std::map<Term, NodeId> leaders_;
  struct Slot {
    std::uint64_t hash;
    Term prev_term;
  };
  std::unordered_map<std::uint64_t, Slot> registry_;       // key: index << 24 | term
  std::vector<std::pair<Term, std::uint64_t>> committed_;  // [index-1] = (term, hash)

  // clients and history
  std::vector<Client> clients_;
  std::vector<Operation> history_;
  std::vector<bool> dropped_;
  std::uint64_t hclock_ = 0;
  std::uint64_t next_ctx_ = 1;

  // liveness probe
  EntryId probe_;
  NodeId probe_node_ = 0;
  bool probe_ok_ = false;
  bool probe_failed_ = false;
  std::uint64_t probe_seq_ = 0;
};

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

}  // namespace

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
