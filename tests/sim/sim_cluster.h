// Internals of the simulator, shared by its source files: the Simulation class (one run), its
// deterministic random generator and helpers. See simulation.h for the model and the checks.
//   simulation.cc  nodes, disks, network, the event loop and the run's phases
//   checks.cc      the safety checks run on every Ready
//   actors.cc      clients, the nemesis, and the liveness/availability phases
#pragma once

#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "linearizability.h"
#include "raft/core/memory_storage.h"
#include "raft/core/node.h"
#include "simulation.h"

namespace zakros::sim::detail {

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

inline std::uint64_t entry_hash(const Entry& e) {
  return std::hash<std::string_view>()(e.data.view()) * 31 + static_cast<std::uint64_t>(e.type);
}

inline std::vector<std::string_view> split(std::string_view s, char sep) {
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

}  // namespace zakros::sim::detail
