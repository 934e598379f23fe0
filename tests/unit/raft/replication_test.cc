// Replication: the Raft paper's Figure 7 and Figure 8, fast backtracking, flow control.
#include <gtest/gtest.h>

#include "test_cluster.h"

namespace zakros::raft::testing {
namespace {

// Seeds node `id`'s disk with a log of the given terms and a matching current term.
void seed_log(TestCluster& c, NodeId id, const std::vector<Term>& terms, Term current) {
  TestNode& t = c.test_node(id);
  auto log = log_of_terms(terms);
  t.disk.log.append(log);
  t.disk.hard_state.save(HardState{current, kNoNode, 0});
  c.start(id);
}

// Figure 7: whatever a follower's log looks like (missing entries, extra uncommitted entries, or
// both), the leader of term 8 brings it to exactly the leader's log.
TEST(Replication, Figure7LeaderRepairsEveryFollowerLog) {
  const std::vector<Term> leader = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
  const std::vector<std::vector<Term>> followers = {
      {1, 1, 1, 4, 4, 5, 5, 6, 6},           // (a)
      {1, 1, 1, 4},                          // (b)
      {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6},     // (c)
      {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7},  // (d)
      {1, 1, 1, 4, 4, 4, 4},                 // (e)
      {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3},     // (f)
  };
  for (std::size_t k = 0; k < followers.size(); ++k) {
    SCOPED_TRACE("follower (" + std::string(1, static_cast<char>('a' + k)) + ")");
    TestCluster c({1, 2, 3});
    seed_log(c, 1, leader, 7);
    seed_log(c, 2, followers[k], followers[k].empty() ? 0 : followers[k].back());
    // Node 3 (empty log) votes for node 1, so node 1 wins term 8 whatever node 2 thinks.
    c.elect(1);
    ASSERT_EQ(c.node(1).term(), 8u);
    c.tick_all(3);
    std::vector<Term> want = leader;
    want.push_back(8);  // the no-op of term 8
    EXPECT_EQ(terms_of(c.node(2)), want);
    EXPECT_EQ(c.node(2).commit_index(), want.size());
  }
}

// Figure 8: a leader must not commit an entry of an earlier term by counting replicas, even once
// it is on a majority; it is committed only with the first entry of the leader's own term.
TEST(Replication, Figure8PreviousTermEntryIsNotCommittedByCounting) {
  for (bool broken : {false, true}) {
    SCOPED_TRACE(broken ? "broken" : "correct");
    TestCluster c({1, 2, 3, 4, 5}, [&](Config& cfg) {
      cfg.max_msg_entries = 1;
      if (broken) cfg.broken = Broken::kCommitPreviousTerm;
    });
    // (c) in Figure 8: S1 is leader of term 4, holds index 2 from term 2; S2 has it too.
    seed_log(c, 1, {1, 2}, 3);
    seed_log(c, 2, {1, 2}, 3);
    seed_log(c, 3, {1}, 3);
    seed_log(c, 4, {1}, 3);
    seed_log(c, 5, {1, 3}, 3);  // S5 holds a term-3 entry at index 2
    c.isolate(5);
    // Drops any append that would hand a follower the term-4 entry (probes that the follower
    // rejects pass, so the leader still backtracks to index 2).
    auto no_new_term_entries = [&c](const Message& m) {
      if (m.type != MessageType::kAppend) return true;
      if (!c.node(m.to).log().matches(m.index, m.log_term)) return true;
      for (const auto& e : m.entries) {
        if (e.term == 4) return false;
      }
      return true;
    };
    // Let S1 win, but never let its term-4 no-op (index 3) leave it.
    for (int i = 0; i < 40 && c.node(1).role() != Role::kLeader; ++i) {
      c.tick(1);
      c.deliver_all(no_new_term_entries);
    }
    ASSERT_EQ(c.node(1).role(), Role::kLeader);
    for (int i = 0; i < 5; ++i) {
      c.tick(1);
      c.deliver_all(no_new_term_entries);
    }
    // Index 2 (term 2) is now on S1, S2, S3 (and S4): a majority.
    EXPECT_EQ(*c.node(3).term_at(2), 2u);
    if (!broken) {
      EXPECT_LT(c.node(1).commit_index(), 2u) << "committed a previous-term entry by counting";
    } else {
      EXPECT_GE(c.node(1).commit_index(),
                2u);  // what the broken variant does (and the sim catches)
    }
    // (d)/(e): once the term-4 entry reaches a majority, both are committed together.
    if (!broken) {
      c.tick(1);
      c.deliver_all();
      EXPECT_EQ(c.node(1).commit_index(), 3u);
    }
  }
}

// Figure 8 (d): an uncommitted previous-term entry on a majority can be overwritten by a leader
// of a later term that never had it; that is why counting replicas of it is unsafe.
TEST(Replication, Figure8UncommittedPreviousTermEntryMayBeOverwritten) {
  TestCluster c({1, 2, 3, 4, 5});
  seed_log(c, 1, {1, 2}, 4);
  seed_log(c, 2, {1, 2}, 4);
  seed_log(c, 3, {1, 2}, 4);
  seed_log(c, 4, {1}, 4);
  seed_log(c, 5, {1, 3}, 4);
  c.isolate(1);
  c.elect(5);  // S5's last term 3 beats S2..S4's: they vote for it
  c.heal();
  c.tick_all(3);
  for (NodeId id : {1, 2, 3, 4}) EXPECT_EQ(*c.node(id).term_at(2), 3u) << id;
}

TEST(Replication, FastBacktrackingSkipsWholeTerms) {
  TestCluster c({1, 2, 3});
  std::vector<Term> leader_log(5, 1), follower_log(5, 1);
  leader_log.insert(leader_log.end(), 100, 3);
  follower_log.insert(follower_log.end(), 100, 2);
  seed_log(c, 1, leader_log, 3);
  seed_log(c, 2, follower_log, 3);
  c.elect(1);
  c.tick_all(3);
  EXPECT_EQ(terms_of(c.node(2)), terms_of(c.node(1)));
  int rejections = 0;
  for (const auto& m : c.delivered()) {
    rejections += m.type == MessageType::kAppendResponse && m.reject && m.from == 2;
  }
  EXPECT_LE(rejections, 3) << "one rejection per divergent term, not per entry";
}

TEST(Replication, ProposalsAreBatchedIntoOneMessagePerFollower) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.delivered().clear();
  for (int i = 0; i < 100; ++i) ASSERT_EQ(c.node(1).propose("p" + std::to_string(i)), Status::kOk);
  c.process(1);
  int appends = 0;
  for (const auto& m : c.queue()) appends += m.type == MessageType::kAppend && !m.entries.empty();
  EXPECT_EQ(appends, 2);
  c.deliver_all();
  EXPECT_EQ(c.test_node(3).applied.size(), 101u);
}

TEST(Replication, LeaderSendsBeforeItsOwnWriteAndCountsItselfOnlyWhenDurable) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  ASSERT_EQ(c.node(1).propose("x"), Status::kOk);
  Ready rd = c.node(1).ready();
  ASSERT_EQ(rd.entries.size(), 1u);
  // The appends go out before the leader persists.
  int appends = 0;
  for (const auto& m : rd.messages) appends += m.type == MessageType::kAppend;
  EXPECT_EQ(appends, 2);
  const Index idx = rd.entries[0].index;
  // Only one follower answers; the leader's own write is still pending: not committed.
  for (auto& m : rd.messages) {
    if (m.to == 2) {
      c.node(2).step(m);
    }
  }
  c.process(2);
  for (auto& m : c.queue()) {
    if (m.to == 1) c.node(1).step(m);
  }
  c.queue().clear();
  EXPECT_LT(c.node(1).commit_index(), idx);
  // Now the leader's write completes: leader + node 2 is a quorum.
  persist(rd, &c.test_node(1).disk.log, &c.test_node(1).disk.hard_state,
          &c.test_node(1).disk.snapshots);
  c.node(1).advance(rd);
  EXPECT_EQ(c.node(1).commit_index(), idx);
}

TEST(Replication, InflightWindowBoundsPipelining) {
  TestCluster c({1, 2, 3}, [](Config& cfg) {
    cfg.max_msg_entries = 1;
    cfg.max_inflight_msgs = 4;
  });
  c.elect(1);
  c.tick_all(1);
  for (int i = 0; i < 20; ++i) ASSERT_EQ(c.node(1).propose("p"), Status::kOk);
  c.process(1);
  int to2 = 0;
  for (const auto& m : c.queue()) to2 += m.type == MessageType::kAppend && m.to == 2;
  EXPECT_EQ(to2, 4);
  c.deliver_all();
  EXPECT_EQ(c.node(2).last_index(), c.node(1).last_index());
}

TEST(Replication, FollowerRestartKeepsItsLog) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.propose(1, "a");
  c.propose(1, "b");
  const auto before = terms_of(c.node(2));
  c.crash(2);
  c.start(2);
  EXPECT_EQ(terms_of(c.node(2)), before);
  c.tick_all(3);
  EXPECT_EQ(c.node(2).commit_index(), c.node(1).commit_index());
}

}  // namespace
}  // namespace zakros::raft::testing
