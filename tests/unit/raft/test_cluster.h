// A tiny synchronous cluster for the Raft unit tests: every node persists and applies each Ready
// at once, messages wait in one queue until the test delivers them (optionally filtered).
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "raft/core/memory_storage.h"
#include "raft/core/node.h"

namespace zakros::raft::testing {

struct TestNode {
  MemoryStorage disk;
  std::unique_ptr<Node> node;
  std::vector<Entry> applied;
  std::vector<ReadState> reads;
};

class TestCluster {
 public:
  using Tweak = std::function<void(Config&)>;

  explicit TestCluster(std::vector<NodeId> voters, Tweak tweak = {})
      : voters_(voters), tweak_(tweak) {
    for (NodeId id : voters) start(id);
  }

  // Starts (or restarts) `id` from its disk. Nodes not among the initial voters start empty.
  void start(NodeId id, std::vector<NodeId> voters = {}) {
    TestNode& t = nodes_[id];
    Config cfg;
    cfg.id = id;
    cfg.voters = voters.empty() && is_initial(id) ? voters_ : voters;
    cfg.election_ticks = 10;
    cfg.heartbeat_ticks = 1;
    cfg.seed = id * 7 + 1;
    auto snap = t.disk.snapshots.load();
    cfg.applied = snap ? snap->meta.index : 0;
    if (tweak_) tweak_(cfg);
    t.node = std::make_unique<Node>(cfg, t.disk.log, t.disk.hard_state, t.disk.snapshots);
    t.applied.clear();
  }

  bool is_initial(NodeId id) const {
    for (NodeId v : voters_) {
      if (v == id) return true;
    }
    return false;
  }

  Node& node(NodeId id) { return *nodes_.at(id).node; }
  TestNode& test_node(NodeId id) { return nodes_.at(id); }

  void process(NodeId id) {
    TestNode& t = nodes_.at(id);
    if (!t.node) return;
    while (t.node->has_ready()) {
      Ready rd = t.node->ready();
      for (auto& m : rd.messages) queue_.push_back(std::move(m));
      persist(rd, &t.disk.log, &t.disk.hard_state, &t.disk.snapshots);
      for (auto& m : rd.persist_messages) queue_.push_back(std::move(m));
      for (auto& e : rd.committed_entries) t.applied.push_back(e);
      for (auto& r : rd.read_states) t.reads.push_back(r);
      t.node->advance(rd);
    }
  }

  void process_all() {
    for (auto& [id, t] : nodes_) process(id);
  }

  // Delivers queued messages until none are left. Returns how many were delivered.
  int deliver_all(const std::function<bool(const Message&)>& keep = {}) {
    int n = 0;
    process_all();
    while (!queue_.empty()) {
      Message m = std::move(queue_.front());
      queue_.pop_front();
      if (isolated_.count(m.from) || isolated_.count(m.to) || cut_.count({m.from, m.to})) continue;
      if (keep && !keep(m)) continue;
      auto it = nodes_.find(m.to);
      if (it == nodes_.end() || !it->second.node) continue;
      delivered_.push_back(m);
      it->second.node->step(m);
      ++n;
      process(m.to);
    }
    return n;
  }

  void tick(NodeId id, int n = 1) {
    for (int i = 0; i < n; ++i) {
      node(id).tick();
      process(id);
    }
  }

  void tick_all(int n = 1) {
    for (int i = 0; i < n; ++i) {
      for (auto& [id, t] : nodes_) {
        if (t.node) tick(id);
      }
      deliver_all();
    }
  }

  // Lets `id` time out and campaign (others do not tick), delivering everything after each tick.
  void elect(NodeId id) {
    for (int i = 0; i < 40 && node(id).role() != Role::kLeader; ++i) {
      tick(id);
      deliver_all();
    }
    ASSERT_EQ(node(id).role(), Role::kLeader) << "node " << id << " did not win";
    deliver_all();
  }

  void crash(NodeId id) { nodes_.at(id).node.reset(); }
  void isolate(NodeId id) { isolated_.insert(id); }
  void cut(NodeId a, NodeId b) {
    cut_.insert({a, b});
    cut_.insert({b, a});
  }
  void heal() {
    isolated_.clear();
    cut_.clear();
  }

  std::deque<Message>& queue() { return queue_; }
  std::vector<Message>& delivered() { return delivered_; }

  EntryId propose(NodeId leader, const std::string& data) {
    EntryId id;
    EXPECT_EQ(node(leader).propose(data, &id), Status::kOk);
    deliver_all();
    return id;
  }

 private:
  std::vector<NodeId> voters_;
  Tweak tweak_;
  std::map<NodeId, TestNode> nodes_;
  std::deque<Message> queue_;
  std::vector<Message> delivered_;
  std::set<NodeId> isolated_;
  std::set<std::pair<NodeId, NodeId>> cut_;
};

// Builds a log whose entry i+1 has term terms[i] (data = "t<term>i<index>").
inline std::vector<Entry> log_of_terms(const std::vector<Term>& terms) {
  std::vector<Entry> out;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const Index index = i + 1;
    out.push_back(Entry{terms[i], index, EntryType::kNormal,
                        Bytes("t" + std::to_string(terms[i]) + "i" + std::to_string(index))});
  }
  return out;
}

inline std::vector<Term> terms_of(const Node& n) {
  std::vector<Term> out;
  for (Index i = n.first_index(); i <= n.last_index(); ++i) out.push_back(*n.term_at(i));
  return out;
}

}  // namespace zakros::raft::testing
