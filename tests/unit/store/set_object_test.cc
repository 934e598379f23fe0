// SetObject (intset / hashtable encodings, conversions, deterministic positions) and the
// DenseTable behind the hashtable encoding.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store/dense_table.h"
#include "store/set_object.h"

namespace zakros::store {
namespace {

std::vector<std::string> members(const SetObject& s) {
  std::vector<std::string> out;
  s.for_each([&](std::string_view m) { out.emplace_back(m); });
  return out;
}

TEST(DenseTableTest, InsertFindEraseKeepsIndexConsistent) {
  DenseTable t;
  for (int i = 0; i < 1000; ++i) t.insert_new("k" + std::to_string(i), "v" + std::to_string(i));
  EXPECT_EQ(t.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    size_t pos = t.find("k" + std::to_string(i));
    ASSERT_NE(pos, DenseTable::kNotFound);
    EXPECT_EQ(t.value_at(pos), "v" + std::to_string(i));
  }
  for (int i = 0; i < 1000; i += 3) EXPECT_TRUE(t.erase("k" + std::to_string(i)));
  EXPECT_FALSE(t.erase("k0"));
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(t.contains("k" + std::to_string(i)), i % 3 != 0) << i;
  }
  t.set_value(t.find("k1"), "a much longer value than before");
  EXPECT_EQ(t.value_at(t.find("k1")), "a much longer value than before");
  while (!t.empty()) t.erase_at(0);
  EXPECT_FALSE(t.contains("k1"));
  t.insert_new("again");
  EXPECT_TRUE(t.contains("again"));
}

TEST(DenseTableTest, ScanReturnsEveryStableElementDespiteRemovals) {
  DenseTable t;
  for (int i = 0; i < 500; ++i) t.insert_new(std::to_string(i));
  std::set<std::string> seen;
  uint64_t cursor = 0;
  int round = 0;
  do {
    cursor = t.scan(cursor, 7, [&](std::string_view k, std::string_view) { seen.emplace(k); });
    // Remove elements divisible by 5 as the scan goes (the rest must all be seen).
    for (int i = round * 5; i < 500 && i < round * 5 + 25; i += 5) t.erase(std::to_string(i));
    ++round;
  } while (cursor != 0);
  for (int i = 0; i < 500; ++i) {
    if (i % 5 != 0) {
      EXPECT_TRUE(seen.count(std::to_string(i))) << i;
    }
  }
}

TEST(DenseTableTest, CopyIsDeep) {
  DenseTable t;
  t.insert_new("a", "1");
  DenseTable c(t);
  t.set_value(0, "2");
  EXPECT_EQ(c.value_at(c.find("a")), "1");
}

TEST(SetObjectTest, IntsetUntilNonIntegerOrLimit) {
  EncodingLimits limits;
  limits.set_max_intset_entries = 4;
  auto s = SetObject::create_for("10");
  EXPECT_EQ(s->encoding(), Encoding::kIntset);
  EXPECT_TRUE(s->add("10", limits));
  EXPECT_FALSE(s->add("10", limits));
  EXPECT_TRUE(s->add("-5", limits));
  EXPECT_TRUE(s->add("3", limits));
  EXPECT_EQ(members(*s), (std::vector<std::string>{"-5", "3", "10"}));
  EXPECT_TRUE(s->contains("3"));
  EXPECT_FALSE(s->contains("03"));
  EXPECT_FALSE(s->contains("x"));
  EXPECT_TRUE(s->add("4", limits));
  EXPECT_EQ(s->encoding(), Encoding::kIntset);
  EXPECT_TRUE(s->add("5", limits));  // fifth member: past the limit
  EXPECT_EQ(s->encoding(), Encoding::kHashtable);
  EXPECT_EQ(members(*s), (std::vector<std::string>{"-5", "3", "4", "5", "10"}));

  auto t = SetObject::create_for("1");
  t->add("1", limits);
  EXPECT_TRUE(t->add("abc", limits));
  EXPECT_EQ(t->encoding(), Encoding::kHashtable);
  EXPECT_TRUE(t->contains("1"));
  EXPECT_TRUE(t->contains("abc"));
  EXPECT_EQ(SetObject::create_for("01")->encoding(), Encoding::kHashtable);
}

TEST(SetObjectTest, PositionsAndRemoval) {
  EncodingLimits limits;
  auto s = SetObject::create_for("a");
  for (const char* m : {"a", "b", "c", "d"}) s->add(m, limits);
  char buf[SetObject::kMemberBufSize];
  EXPECT_EQ(s->member_at(0, buf), "a");
  s->remove_at(0);  // "d" moves into position 0
  EXPECT_EQ(s->member_at(0, buf), "d");
  EXPECT_EQ(s->size(), 3u);
  EXPECT_TRUE(s->remove("b"));
  EXPECT_FALSE(s->remove("b"));

  auto i = SetObject::create_intset();
  for (const char* m : {"30", "10", "20"}) i->add(m, limits);
  EXPECT_EQ(i->member_at(1, buf), "20");
  i->remove_at(1);
  EXPECT_EQ(members(*i), (std::vector<std::string>{"10", "30"}));
  EXPECT_TRUE(i->remove("10"));
  EXPECT_FALSE(i->remove("x"));
}

TEST(SetObjectTest, CloneScanAndBlobs) {
  EncodingLimits limits;
  auto s = SetObject::create_intset();
  for (int v = 0; v < 20; ++v) s->add(std::to_string(v), limits);
  ASSERT_NE(s->intset(), nullptr);
  auto restored = SetObject::from_intset(Intset::from_bytes(s->intset()->data()));
  EXPECT_EQ(members(*restored), members(*s));
  std::vector<std::string> scanned;
  EXPECT_EQ(s->scan(0, 5, [&](std::string_view m) { scanned.emplace_back(m); }), 0u);
  EXPECT_EQ(scanned.size(), 20u);

  s->add("x", limits);
  auto copy = s->clone();
  s->remove("x");
  EXPECT_TRUE(static_cast<SetObject*>(copy.get())->contains("x"));
  EXPECT_GT(copy->memory_usage(0), 21u);
}

}  // namespace
}  // namespace zakros::store
