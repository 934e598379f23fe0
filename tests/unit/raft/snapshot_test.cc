// Snapshots: compaction, InstallSnapshot to a lagging follower, restart from a snapshot.
#include <gtest/gtest.h>

#include "test_cluster.h"

namespace zakros::raft::testing {
namespace {

void snapshot_node(TestCluster& c, NodeId id, const std::string& data) {
  Node& n = c.node(id);
  const Index at = n.applied_index();
  n.compact(at, Bytes(data));
  auto snap = n.latest_snapshot();
  ASSERT_TRUE(snap);
  c.test_node(id).disk.snapshots.save(snap);
  c.test_node(id).disk.log.compact(at);
}

TEST(Snapshot, LaggingFollowerReceivesAndInstallsIt) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.isolate(3);
  for (int i = 0; i < 20; ++i) c.propose(1, "e" + std::to_string(i));
  snapshot_node(c, 1, "STATE@" + std::to_string(c.node(1).applied_index()));
  EXPECT_GT(c.node(1).first_index(), 2u);
  c.heal();
  c.tick_all(5);
  auto snap = c.test_node(3).disk.snapshots.load();
  ASSERT_TRUE(snap) << "node 3 never got the snapshot";
  EXPECT_EQ(snap->data.view(), "STATE@" + std::to_string(snap->meta.index));
  EXPECT_EQ(snap->meta.conf.voters, (std::vector<NodeId>{1, 2, 3}));
  EXPECT_EQ(c.node(3).commit_index(), c.node(1).commit_index());
  // Entries after the snapshot still flow.
  c.propose(1, "after");
  c.tick_all(2);
  EXPECT_EQ(c.node(3).last_index(), c.node(1).last_index());
  EXPECT_EQ(c.test_node(3).applied.back().data.view(), "after");
}

TEST(Snapshot, RestartStartsFromTheSnapshotAndTheRestOfTheLog) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  for (int i = 0; i < 10; ++i) c.propose(1, "e" + std::to_string(i));
  snapshot_node(c, 2, "S");
  c.propose(1, "tail");
  const Index snap_index = c.test_node(2).disk.snapshots.load()->meta.index;
  c.crash(2);
  c.start(2);
  EXPECT_EQ(c.node(2).log().snapshot_index(), snap_index);
  EXPECT_EQ(c.node(2).applied_index(), snap_index);
  EXPECT_EQ(c.node(2).last_index(), c.node(1).last_index());
  c.tick_all(2);
  // Only what follows the snapshot is applied again.
  ASSERT_FALSE(c.test_node(2).applied.empty());
  EXPECT_GT(c.test_node(2).applied.front().index, snap_index);
}

TEST(Snapshot, MembershipTravelsInTheSnapshot) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.start(4);
  ASSERT_EQ(c.node(1).propose_conf_change({ConfChangeType::kAddLearner, 4}), Status::kOk);
  c.isolate(4);
  c.deliver_all();
  c.tick_all(2);
  snapshot_node(c, 1, "S");
  c.heal();
  c.tick_all(5);
  EXPECT_TRUE(c.node(4).conf().is_learner(4));
  EXPECT_TRUE(c.test_node(4).disk.snapshots.load()->meta.conf.is_learner(4));
}

}  // namespace
}  // namespace zakros::raft::testing
