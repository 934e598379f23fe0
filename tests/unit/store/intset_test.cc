#include "store/intset.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

namespace zakros::store {
namespace {

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// Expected bytes from redis-server 7.0.15: SADD s <members>, DUMP s (an RDB_TYPE_SET_INTSET).
TEST(IntsetTest, BytesMatchRedis) {
  struct Case {
    std::vector<int64_t> members;
    const char* hex;
  };
  const Case cases[] = {
      {{5, 1, 3}, "0200000003000000010003000500"},
      {{1, -40000, 2}, "0400000003000000c063ffff0100000002000000"},
      {{7, int64_t{1} << 40, -3},
       "0800000003000000fdffffffffffffff07000000000000000000000000010000"},
      {{-1, 70000}, "0400000002000000ffffffff70110100"},
  };
  for (const Case& c : cases) {
    Intset s;
    for (int64_t m : c.members) EXPECT_TRUE(s.add(m));
    EXPECT_EQ(to_hex(s.data()), c.hex);
    EXPECT_TRUE(Intset::validate(s.data(), true));
  }
  // Widening is never undone by removals.
  Intset s;
  for (int64_t m : {1, 2, 3}) s.add(m);
  s.add(int64_t{1} << 40);
  s.remove(int64_t{1} << 40);
  EXPECT_EQ(to_hex(s.data()), "0800000003000000010000000000000002000000000000000300000000000000");
}

TEST(IntsetTest, AddRemoveContains) {
  Intset s;
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.bytes(), 8u);
  EXPECT_EQ(s.width(), 2u);
  EXPECT_TRUE(s.add(10));
  EXPECT_FALSE(s.add(10));
  EXPECT_TRUE(s.add(-5));
  EXPECT_TRUE(s.add(INT16_MAX));
  EXPECT_EQ(s.width(), 2u);
  EXPECT_TRUE(s.add(INT16_MIN - 1));  // -> 32-bit, prepended
  EXPECT_EQ(s.width(), 4u);
  EXPECT_EQ(s.min(), INT16_MIN - 1);
  EXPECT_TRUE(s.add(INT64_MAX));  // -> 64-bit, appended
  EXPECT_EQ(s.width(), 8u);
  EXPECT_EQ(s.max(), INT64_MAX);
  EXPECT_TRUE(s.add(INT64_MIN));
  EXPECT_EQ(s.size(), 6u);
  EXPECT_EQ(s.bytes(), 8u + 6 * 8);
  EXPECT_TRUE(s.contains(-5));
  EXPECT_FALSE(s.contains(6));
  EXPECT_TRUE(s.remove(-5));
  EXPECT_FALSE(s.remove(-5));
  EXPECT_FALSE(s.contains(-5));
  EXPECT_EQ(s.at(0), INT64_MIN);
  EXPECT_EQ(s.at(1), INT16_MIN - 1);
  EXPECT_EQ(s.at(2), 10);

  Intset narrow;
  narrow.add(1);
  EXPECT_FALSE(narrow.contains(int64_t{1} << 40));  // wider than the set: never there
  EXPECT_FALSE(narrow.remove(int64_t{1} << 40));

  Intset copy = s;
  EXPECT_EQ(copy.data(), s.data());
  Intset moved = std::move(copy);
  EXPECT_EQ(moved.data(), s.data());
}

TEST(IntsetTest, RandomAgainstStdSet) {
  std::mt19937_64 rng(7);
  Intset s;
  std::set<int64_t> ref;
  for (int i = 0; i < 5000; ++i) {
    int64_t v = static_cast<int64_t>(rng()) >> (rng() % 64);
    if (rng() % 3 == 0 && !ref.empty()) {
      v = *ref.begin();
      EXPECT_EQ(s.remove(v), ref.erase(v) == 1);
    } else {
      EXPECT_EQ(s.add(v), ref.insert(v).second);
    }
  }
  ASSERT_EQ(s.size(), ref.size());
  size_t i = 0;
  for (int64_t v : ref) EXPECT_EQ(s.at(i++), v);
  EXPECT_TRUE(Intset::validate(s.data(), true));
}

TEST(IntsetTest, ValidateRejectsBadBytes) {
  Intset s;
  for (int64_t m : {1, 2, 3}) s.add(m);
  std::string good(s.data());
  ASSERT_TRUE(Intset::validate(good, true));
  for (size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(Intset::validate(good.substr(0, n), true));
  std::string bad = good;
  bad[0] = 3;  // width 3
  EXPECT_FALSE(Intset::validate(bad, false));
  bad = good;
  bad[4] = 4;  // length past the bytes
  EXPECT_FALSE(Intset::validate(bad, false));
  bad = good;
  bad[8] = 5;  // 5, 2, 3: not ascending
  EXPECT_TRUE(Intset::validate(bad, false));
  EXPECT_FALSE(Intset::validate(bad, true));
  bad = good;
  bad[10] = 1;  // duplicate
  EXPECT_FALSE(Intset::validate(bad, true));
  EXPECT_FALSE(Intset::validate(Intset().data(), false));  // empty, as Redis
  // Huge length must not overflow the size check.
  bad = good;
  bad[4] = bad[5] = bad[6] = bad[7] = '\xff';
  EXPECT_FALSE(Intset::validate(bad, false));

  Intset copy = Intset::from_bytes(good);
  EXPECT_EQ(copy.size(), 3u);
  EXPECT_TRUE(copy.add(0));
  EXPECT_EQ(copy.min(), 0);
}

}  // namespace
}  // namespace zakros::store
