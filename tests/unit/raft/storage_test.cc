// Building blocks: Bytes, ConfState encoding, RaftLog, MemoryLogStore, Inflights.
#include <gtest/gtest.h>

#include "raft/core/bytes.h"
#include "raft/core/log.h"
#include "raft/core/memory_storage.h"
#include "raft/core/progress.h"
#include "test_cluster.h"

namespace zakros::raft::testing {
namespace {

TEST(Bytes, CopiesShareOneBuffer) {
  Bytes a("hello world, this is long enough");
  Bytes b = a;
  EXPECT_EQ(a.data(), b.data());
  EXPECT_EQ(b.view(), "hello world, this is long enough");
  Bytes e;
  EXPECT_TRUE(e.empty());
  EXPECT_TRUE(Bytes("").empty());
}

TEST(ConfState, EncodeDecodeRoundTrip) {
  ConfState cs{{3, 1, 2}, {7}};
  cs.normalize();
  auto back = ConfState::decode(cs.encode());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, cs);
  EXPECT_FALSE(ConfState::decode("garbage"));
}

TEST(RaftLog, MergeSkipsDuplicatesAndTruncatesConflicts) {
  RaftLog log;
  log.restore(0, 0, log_of_terms({1, 1, 2}));
  auto same = log_of_terms({1, 1});
  EXPECT_EQ(log.merge(same), 0u);
  EXPECT_EQ(log.last_index(), 3u);
  auto conflicting = log_of_terms({1, 1, 3, 3});
  EXPECT_EQ(log.find_conflict(conflicting), 3u);
  EXPECT_EQ(log.merge(conflicting), 3u);
  EXPECT_EQ(log.last_index(), 4u);
  EXPECT_EQ(*log.term(3), 3u);
  EXPECT_EQ(log.stable(), 2u);  // the truncated suffix is no longer durable
}

TEST(RaftLog, FindConflictByTerm) {
  RaftLog log;
  log.restore(0, 0, log_of_terms({1, 1, 2, 2, 4, 4}));
  EXPECT_EQ(log.find_conflict_by_term(6, 3), 4u);
  EXPECT_EQ(log.find_conflict_by_term(6, 1), 2u);
  EXPECT_EQ(log.find_conflict_by_term(10, 5), 6u);
}

TEST(RaftLog, CompactKeepsTheBoundaryTerm) {
  RaftLog log;
  log.restore(0, 0, log_of_terms({1, 2, 3, 4}));
  log.compact(2);
  EXPECT_EQ(log.first_index(), 3u);
  EXPECT_EQ(*log.term(2), 2u);
  EXPECT_FALSE(log.term(1));
  EXPECT_EQ(log.at(3).term, 3u);
}

TEST(MemoryLogStore, AppendOverwritesASuffix) {
  MemoryLogStore s;
  s.append(log_of_terms({1, 1, 1}));
  auto tail = log_of_terms({1, 2});
  s.append(std::span<const Entry>(tail).subspan(1));
  EXPECT_EQ(s.last_index(), 2u);
  std::vector<Entry> out;
  s.read(1, 2, &out);
  EXPECT_EQ(out[1].term, 2u);
  s.compact(1);
  EXPECT_EQ(s.first_index(), 2u);
  s.reset(10);
  EXPECT_EQ(s.first_index(), 11u);
  EXPECT_EQ(s.last_index(), 10u);
}

TEST(Inflights, WindowFillsAndFrees) {
  Inflights in(3);
  in.add(1, 10);
  in.add(2, 10);
  EXPECT_FALSE(in.full(0));
  in.add(3, 10);
  EXPECT_TRUE(in.full(0));
  in.free_le(2);
  EXPECT_EQ(in.count(), 1u);
  EXPECT_TRUE(in.full(5));  // byte limit
  in.free_first();
  EXPECT_EQ(in.count(), 0u);
}

}  // namespace
}  // namespace zakros::raft::testing
