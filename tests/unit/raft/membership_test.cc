// Membership: learners, promotion, removal (leader included), one change at a time, the
// leader-must-commit-in-its-term rule, and leadership transfer.
#include <gtest/gtest.h>

#include "test_cluster.h"

namespace zakros::raft::testing {
namespace {

void add(TestCluster& c, NodeId leader, ConfChangeType type, NodeId id) {
  ASSERT_EQ(c.node(leader).propose_conf_change(ConfChange{type, id}), Status::kOk);
  c.deliver_all();
  c.tick_all(2);
}

TEST(Membership, LearnerCatchesUpWithoutVotingThenIsPromoted) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  for (int i = 0; i < 10; ++i) c.propose(1, "v" + std::to_string(i));
  c.start(4);  // a new, empty node
  add(c, 1, ConfChangeType::kAddLearner, 4);
  EXPECT_TRUE(c.node(1).conf().is_learner(4));
  EXPECT_EQ(c.node(4).commit_index(), c.node(1).commit_index());
  // A learner never campaigns.
  c.tick(4, 100);
  EXPECT_EQ(c.node(4).role(), Role::kFollower);
  // Quorum is still 2 of {1,2,3}: with 2 and 3 down, nothing commits even though 4 acks.
  add(c, 1, ConfChangeType::kAddVoter, 4);
  EXPECT_TRUE(c.node(1).conf().is_voter(4));
  EXPECT_TRUE(c.node(4).conf().is_voter(4));
  EXPECT_EQ(c.node(1).conf().voters.size(), 4u);
}

TEST(Membership, OnlyOneChangeInFlight) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.start(4);
  c.start(5);
  ASSERT_EQ(c.node(1).propose_conf_change({ConfChangeType::kAddLearner, 4}), Status::kOk);
  EXPECT_EQ(c.node(1).propose_conf_change({ConfChangeType::kAddLearner, 5}),
            Status::kChangeInProgress);
  c.deliver_all();
  EXPECT_EQ(c.node(1).propose_conf_change({ConfChangeType::kAddLearner, 5}), Status::kOk);
}

TEST(Membership, LeaderMustCommitAnEntryOfItsTermFirst) {
  TestCluster c({1, 2, 3});
  for (int i = 0; i < 40 && c.node(1).role() != Role::kLeader; ++i) {
    c.tick(1);
    c.deliver_all([](const Message& m) { return m.type != MessageType::kAppendResponse; });
  }
  ASSERT_EQ(c.node(1).role(), Role::kLeader);
  EXPECT_EQ(c.node(1).propose_conf_change({ConfChangeType::kAddLearner, 4}),
            Status::kNotCommittedInTerm);
  c.deliver_all();
  c.tick(1);
  c.deliver_all();
  EXPECT_EQ(c.node(1).propose_conf_change({ConfChangeType::kAddLearner, 4}), Status::kOk);
}

TEST(Membership, RemovingAFollowerShrinksTheQuorum) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  add(c, 1, ConfChangeType::kRemove, 3);
  EXPECT_FALSE(c.node(1).conf().contains(3));
  c.isolate(3);
  c.isolate(2);
  // Quorum of {1,2} is 2: with 2 gone nothing commits...
  const Index before = c.node(1).commit_index();
  ASSERT_EQ(c.node(1).propose("x"), Status::kOk);
  c.deliver_all();
  EXPECT_EQ(c.node(1).commit_index(), before);
  c.heal();
  c.isolate(3);
  c.tick_all(5);  // the lost append is presumed lost after three silent heartbeat rounds
  EXPECT_GT(c.node(1).commit_index(), before);
}

TEST(Membership, RemovedLeaderStepsDownAndHandsOver) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.propose(1, "x");
  ASSERT_EQ(c.node(1).propose_conf_change({ConfChangeType::kRemove, 1}), Status::kOk);
  c.deliver_all();
  EXPECT_NE(c.node(1).role(), Role::kLeader);
  c.tick_all(30);
  int leaders = 0;
  for (NodeId id : {2, 3}) leaders += c.node(id).role() == Role::kLeader;
  EXPECT_EQ(leaders, 1);
  EXPECT_FALSE(c.node(2).conf().contains(1));
  // Node 1 is no longer a voter: it never campaigns again.
  c.isolate(1);
  c.tick(1, 100);
  EXPECT_EQ(c.node(1).role(), Role::kFollower);
}

TEST(Membership, ConfigurationRollsBackWhenItsEntryIsTruncated) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.isolate(1);
  ASSERT_EQ(c.node(1).propose_conf_change({ConfChangeType::kAddLearner, 9}), Status::kOk);
  c.process(1);
  EXPECT_TRUE(c.node(1).conf().is_learner(9));  // in force as soon as it is in the log
  c.heal();
  c.isolate(1);
  c.tick_all(25);  // 2 and 3 elect one of them
  const NodeId leader = c.node(2).role() == Role::kLeader ? 2 : 3;
  ASSERT_EQ(c.node(leader).role(), Role::kLeader);
  c.propose(leader, "y");
  c.heal();
  c.tick_all(5);
  EXPECT_FALSE(c.node(1).conf().contains(9));  // the uncommitted change was overwritten
}

// Dissertation §4.2.3: a server removed from the configuration that never learns it (it was cut
// off when the change committed) times out and campaigns. PreVote and the voters' lease keep it
// from disrupting the remaining cluster.
TEST(Membership, RemovedServerCannotDisruptTheCluster) {
  TestCluster c({1, 2, 3, 4});
  c.elect(1);
  c.isolate(4);
  ASSERT_EQ(c.node(1).propose_conf_change({ConfChangeType::kRemove, 4}), Status::kOk);
  c.deliver_all();
  c.tick_all(2);
  ASSERT_FALSE(c.node(1).conf().contains(4));
  EXPECT_TRUE(c.node(4).conf().is_voter(4));  // node 4 still believes it is a voter
  const Term term = c.node(1).term();
  c.heal();
  for (int i = 0; i < 60; ++i) c.tick_all(1);
  EXPECT_EQ(c.node(1).role(), Role::kLeader);
  EXPECT_EQ(c.node(1).term(), term);
}

// Dissertation §4.1: adding a server to a 3-server cluster: the new configuration (4 voters,
// quorum 3) is used as soon as it is appended, so while the new server is down the leader needs
// all of the old ones.
TEST(Membership, NewConfigurationIsUsedAsSoonAsAppended) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.start(4);
  c.isolate(4);
  ASSERT_EQ(c.node(1).propose_conf_change({ConfChangeType::kAddVoter, 4}), Status::kOk);
  EXPECT_EQ(c.node(1).conf().voters.size(), 4u);  // before it commits
  c.deliver_all();
  c.isolate(3);
  const Index before = c.node(1).commit_index();
  ASSERT_EQ(c.node(1).propose("x"), Status::kOk);
  c.deliver_all();
  EXPECT_EQ(c.node(1).commit_index(), before) << "1 and 2 are not a quorum of 4";
  c.heal();
  c.tick_all(3);
  EXPECT_GT(c.node(1).commit_index(), before);
}

TEST(Transfer, LeadershipMovesToTheTargetWithTimeoutNow) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.propose(1, "x");
  const Term term = c.node(1).term();
  ASSERT_EQ(c.node(1).transfer_leadership(3), Status::kOk);
  c.deliver_all();
  EXPECT_EQ(c.node(3).role(), Role::kLeader);
  EXPECT_EQ(c.node(3).term(), term + 1);
  EXPECT_EQ(c.node(1).leader(), 3u);
}

TEST(Transfer, WaitsForTheTargetToCatchUpAndRefusesProposals) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.isolate(3);
  c.propose(1, "x");
  ASSERT_EQ(c.node(1).transfer_leadership(3), Status::kOk);
  EXPECT_EQ(c.node(1).propose("y"), Status::kTransferring);
  c.heal();
  c.tick_all(2);
  EXPECT_EQ(c.node(3).role(), Role::kLeader);
}

TEST(Transfer, AbandonedAfterAnElectionTimeout) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.isolate(3);
  ASSERT_EQ(c.node(1).transfer_leadership(3), Status::kOk);
  c.tick_all(12);
  EXPECT_EQ(c.node(1).role(), Role::kLeader);
  EXPECT_EQ(c.node(1).transfer_target(), kNoNode);
  EXPECT_EQ(c.node(1).propose("z"), Status::kOk);
}

TEST(Transfer, AFollowerAsksTheLeaderToHandItLeadership) {
  TestCluster c({1, 2, 3});
  c.elect(1);
  c.propose(1, "x");
  c.deliver_all();
  const Term term = c.node(1).term();
  ASSERT_EQ(c.node(2).request_leadership(), Status::kOk);
  c.deliver_all();
  EXPECT_EQ(c.node(2).role(), Role::kLeader);
  EXPECT_EQ(c.node(2).term(), term + 1);
  EXPECT_EQ(c.node(1).leader(), 2u);
  EXPECT_EQ(c.node(3).leader(), 2u);
}

TEST(Transfer, LeadershipRequestNeedsAKnownLeaderAndAVoter) {
  TestCluster c({1, 2, 3});
  EXPECT_EQ(c.node(2).request_leadership(), Status::kNotLeader);  // nobody leads yet
  c.elect(1);
  EXPECT_EQ(c.node(1).request_leadership(), Status::kOk);  // already the leader: nothing to do
  c.start(4);
  add(c, 1, ConfChangeType::kAddLearner, 4);
  ASSERT_EQ(c.node(4).leader(), 1u);
  EXPECT_EQ(c.node(4).request_leadership(), Status::kInvalid);  // a learner cannot lead
}

}  // namespace
}  // namespace zakros::raft::testing
