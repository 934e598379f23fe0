// ReplicatedEntry's wire format (replicated_entry.h): every kind round-trips, the bytes of
// version 1 stay what nodes already wrote to their logs, the kMembers kind added later uses the
// same layout, and malformed input is refused rather than misread.
#include "server/replication/replicated_entry.h"

#include <gtest/gtest.h>

#include <string>

namespace zakros::server {
namespace {

ReplicatedEntry members_entry() {
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kMembers;
  e.now_ms = 1700000000123;
  e.commands = {{"3", "127.0.0.1:7004"}, {"4", "[::1]:7005"}};
  return e;
}

TEST(ReplicatedEntry, CommandRoundTrips) {
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kCommand;
  e.db = 3;
  e.protocol = 3;
  e.now_ms = 42;
  e.seed = 0xfeedfacecafebeefull;
  e.commands = {{"SET", "k", std::string("v\0w", 3)}};
  e.woken_key = "list";
  ReplicatedEntry d;
  ASSERT_TRUE(ReplicatedEntry::decode(e.encode(), &d));
  EXPECT_EQ(d.kind, e.kind);
  EXPECT_EQ(d.db, 3);
  EXPECT_EQ(d.protocol, 3);
  EXPECT_EQ(d.now_ms, 42);
  EXPECT_EQ(d.seed, e.seed);
  EXPECT_EQ(d.commands, e.commands);
  EXPECT_EQ(d.woken_key, "list");
}

TEST(ReplicatedEntry, TransactionKeepsItsWatches) {
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kTransaction;
  e.watch_index = 99;
  e.watched = {{0, "a"}, {5, "b"}};
  e.commands = {{"INCR", "a"}, {"DEL", "b"}};
  ReplicatedEntry d;
  ASSERT_TRUE(ReplicatedEntry::decode(e.encode(), &d));
  EXPECT_EQ(d.kind, ReplicatedEntry::Kind::kTransaction);
  EXPECT_EQ(d.watch_index, 99u);
  EXPECT_EQ(d.watched, e.watched);
  EXPECT_EQ(d.commands, e.commands);
}

TEST(ReplicatedEntry, MembersRoundTrip) {
  ReplicatedEntry d;
  ASSERT_TRUE(ReplicatedEntry::decode(members_entry().encode(), &d));
  EXPECT_EQ(d.kind, ReplicatedEntry::Kind::kMembers);
  EXPECT_EQ(d.now_ms, 1700000000123);
  EXPECT_EQ(d.commands, members_entry().commands);
}

TEST(ReplicatedEntry, MembersUseTheVersion1Layout) {
  // Only the kind byte differs from a kCommand entry with the same fields: old logs and new
  // entries share one decoder.
  ReplicatedEntry members = members_entry();
  ReplicatedEntry command = members;
  command.kind = ReplicatedEntry::Kind::kCommand;
  std::string a = members.encode(), b = command.encode();
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(a[0], 1);  // version
  EXPECT_EQ(a[1], 4);  // kind kMembers
  EXPECT_EQ(b[1], 1);
  a[1] = b[1];
  EXPECT_EQ(a, b);
}

TEST(ReplicatedEntry, Version1BytesAreStable) {
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kCommand;
  e.db = 1;
  e.protocol = 2;
  e.now_ms = 2;
  e.seed = 3;
  e.commands = {{"PING"}};
  std::string expected(
      "\x01\x01"                              // version, kind
      "\x01\x00\x00\x00"                      // db
      "\x02"                                  // protocol
      "\x02\x00\x00\x00\x00\x00\x00\x00"      // now_ms
      "\x03\x00\x00\x00\x00\x00\x00\x00"      // seed
      "\x00\x00\x00\x00\x00\x00\x00\x00"      // watch_index
      "\x00\x00\x00\x00"                      // watched
      "\x01\x00\x00\x00"                      // commands
      "\x01\x00\x00\x00\x04\x00\x00\x00PING"  // argc, len, bytes
      "\x00\x00\x00\x00",                     // woken key
      55);
  EXPECT_EQ(e.encode(), expected);
}

TEST(ReplicatedEntry, RefusesMalformedInput) {
  std::string good = members_entry().encode();
  ReplicatedEntry d;
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(ReplicatedEntry::decode(good.substr(0, n), &d)) << "prefix of " << n;
  }
  EXPECT_FALSE(ReplicatedEntry::decode(good + "x", &d));
  for (char kind : {0, 5, 127}) {
    std::string bad = good;
    bad[1] = kind;
    EXPECT_FALSE(ReplicatedEntry::decode(bad, &d)) << "kind " << int(kind);
  }
  std::string bad_version = good;
  bad_version[0] = 2;
  EXPECT_FALSE(ReplicatedEntry::decode(bad_version, &d));
}

}  // namespace
}  // namespace zakros::server
