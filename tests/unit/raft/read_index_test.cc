// ReadIndex: heartbeat-round confirmation, batching, waiting for the term's first commit.
#include <gtest/gtest.h>

#include "test_cluster.h"

namespace zakros::raft::testing {
namespace {

int heartbeats_with_context(const std::vector<Message>& msgs) {
  int n = 0;
  for (const auto& m : msgs) n += m.type == MessageType::kHeartbeat && m.context > 0;
  return n;
}

TEST(ReadIndex, ConfirmedByAHeartbeatRoundAtTheCommitIndex) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.propose(1, "x");
  ASSERT_EQ(c.node(1).read_index(42), Status::kOk);
  c.process(1);
  EXPECT_TRUE(c.test_node(1).reads.empty()) << "released before the heartbeat round";
  c.deliver_all();
  ASSERT_EQ(c.test_node(1).reads.size(), 1u);
  EXPECT_EQ(c.test_node(1).reads[0].context, 42u);
  EXPECT_EQ(c.test_node(1).reads[0].index, c.node(1).commit_index());
}

TEST(ReadIndex, ManyReadsShareOneRound) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.delivered().clear();
  for (std::uint64_t i = 1; i <= 50; ++i) ASSERT_EQ(c.node(1).read_index(i), Status::kOk);
  c.deliver_all();
  EXPECT_EQ(c.test_node(1).reads.size(), 50u);
  EXPECT_EQ(heartbeats_with_context(c.delivered()), 2);  // one per follower
}

TEST(ReadIndex, WaitsForTheLeadersFirstCommitInItsTerm) {
  TestCluster c({1, 2, 3});
  // Win the election but keep the no-op from being acknowledged.
  for (int i = 0; i < 40 && c.node(1).role() != Role::kLeader; ++i) {
    c.tick(1);
    c.deliver_all([](const Message& m) { return m.type != MessageType::kAppendResponse; });
  }
  ASSERT_EQ(c.node(1).role(), Role::kLeader);
  ASSERT_FALSE(c.node(1).committed_in_term());
  ASSERT_EQ(c.node(1).read_index(7), Status::kOk);
  c.deliver_all([](const Message& m) { return m.type != MessageType::kAppendResponse; });
  EXPECT_TRUE(c.test_node(1).reads.empty());
  c.tick(1);
  c.deliver_all();
  ASSERT_EQ(c.test_node(1).reads.size(), 1u);
  EXPECT_GE(c.test_node(1).reads[0].index, 1u);
}

TEST(ReadIndex, AnIsolatedLeaderNeverConfirms) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.isolate(1);
  ASSERT_EQ(c.node(1).read_index(9), Status::kOk);
  for (int i = 0; i < 5; ++i) {
    c.tick(1);
    c.deliver_all();
  }
  EXPECT_TRUE(c.test_node(1).reads.empty());
}

TEST(ReadIndex, FollowersRefuse) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  EXPECT_EQ(c.node(2).read_index(1), Status::kNotLeader);
}

TEST(ReadIndex, SingleNodeConfirmsAlone) {
  TestCluster c({1});
  c.elect(1);
  ASSERT_EQ(c.node(1).read_index(5), Status::kOk);
  c.process(1);
  ASSERT_EQ(c.test_node(1).reads.size(), 1u);
}

TEST(ReadIndex, LeaseModeSkipsTheRound) {
  TestCluster c({1, 2, 3}, [](Config& cfg) { cfg.read_mode = ReadMode::kLeaseBased; });
  c.elect(1);
  c.delivered().clear();
  ASSERT_EQ(c.node(1).read_index(3), Status::kOk);
  c.process(1);
  ASSERT_EQ(c.test_node(1).reads.size(), 1u);
}

}  // namespace
}  // namespace zakros::raft::testing
