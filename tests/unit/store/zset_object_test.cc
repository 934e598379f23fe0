// ZsetObject: both encodings against a std::set model (ranks, ranges, removals, conversions).
#include "store/zset_object.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace zakros::store {
namespace {

using Pair = std::pair<double, std::string>;  // the set's order: score, then member bytes

EncodingLimits small_limits(size_t entries = 128, size_t value = 64) {
  EncodingLimits l;
  l.zset_max_listpack_entries = entries;
  l.zset_max_listpack_value = value;
  return l;
}

std::vector<Pair> contents(const ZsetObject& z) {
  std::vector<Pair> out;
  z.for_each([&](std::string_view m, double s) { out.emplace_back(s, std::string(m)); });
  return out;
}

TEST(ZsetObjectTest, EmptyIsListpack) {
  ZsetObject z;
  EXPECT_EQ(z.encoding(), Encoding::kListpack);
  EXPECT_EQ(z.size(), 0u);
  EXPECT_FALSE(z.first().valid());
  EXPECT_FALSE(z.last().valid());
}

TEST(ZsetObjectTest, AddOrdersByScoreThenMember) {
  for (size_t entries : {size_t{128}, size_t{0}}) {
    auto z = ZsetObject::create_for(1, small_limits(entries));
    EncodingLimits lim = small_limits(entries);
    EXPECT_EQ(z->add("b", 2, 0, lim), ZsetObject::AddResult::kAdded);
    EXPECT_EQ(z->add("a", 2, 0, lim), ZsetObject::AddResult::kAdded);
    EXPECT_EQ(z->add("10", 1.5, 0, lim), ZsetObject::AddResult::kAdded);
    EXPECT_EQ(z->add("c", -1, 0, lim), ZsetObject::AddResult::kAdded);
    std::vector<Pair> want = {{-1, "c"}, {1.5, "10"}, {2, "a"}, {2, "b"}};
    EXPECT_EQ(contents(*z), want);
    size_t r;
    double s;
    ASSERT_TRUE(z->rank("10", false, &r, &s));
    EXPECT_EQ(r, 1u);
    EXPECT_EQ(s, 1.5);
    ASSERT_TRUE(z->rank("10", true, &r));
    EXPECT_EQ(r, 2u);
    EXPECT_FALSE(z->rank("zz", false, &r));
    EXPECT_EQ(z->at_rank(3).member(), "b");
    EXPECT_EQ(z->last().member(), "b");
    EXPECT_FALSE(z->at_rank(4).valid());
  }
}

TEST(ZsetObjectTest, AddFlags) {
  ZsetObject z;
  EncodingLimits lim = small_limits();
  double ns = 0;
  EXPECT_EQ(z.add("a", 1, ZsetObject::kAddXx, lim), ZsetObject::AddResult::kNop);
  EXPECT_EQ(z.add("a", 1, ZsetObject::kAddNx, lim), ZsetObject::AddResult::kAdded);
  EXPECT_EQ(z.add("a", 5, ZsetObject::kAddNx, lim), ZsetObject::AddResult::kNop);
  EXPECT_EQ(z.add("a", 0, ZsetObject::kAddGt, lim), ZsetObject::AddResult::kNop);
  EXPECT_EQ(z.add("a", 3, ZsetObject::kAddGt, lim, &ns), ZsetObject::AddResult::kUpdated);
  EXPECT_EQ(ns, 3);
  EXPECT_EQ(z.add("a", 3, 0, lim), ZsetObject::AddResult::kUnchanged);
  EXPECT_EQ(z.add("a", 2, ZsetObject::kAddIncr, lim, &ns), ZsetObject::AddResult::kUpdated);
  EXPECT_EQ(ns, 5);
  double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(z.add("a", inf, 0, lim), ZsetObject::AddResult::kUpdated);
  EXPECT_EQ(z.add("a", -inf, ZsetObject::kAddIncr, lim), ZsetObject::AddResult::kNan);
  EXPECT_EQ(z.add("b", std::nan(""), 0, lim), ZsetObject::AddResult::kNan);
  double s;
  ASSERT_TRUE(z.score("a", &s));
  EXPECT_EQ(s, inf);
}

TEST(ZsetObjectTest, ConvertsWhenLimitsAreCrossed) {
  EncodingLimits lim = small_limits(4, 8);
  ZsetObject z;
  for (int i = 0; i < 4; ++i) z.add("m" + std::to_string(i), i, 0, lim);
  EXPECT_EQ(z.encoding(), Encoding::kListpack);
  z.add("m4", 4, 0, lim);
  EXPECT_EQ(z.encoding(), Encoding::kSkiplist);
  EXPECT_EQ(z.size(), 5u);

  ZsetObject y;
  y.add("short", 1, 0, lim);
  y.add("a-long-member", 2, 0, lim);
  EXPECT_EQ(y.encoding(), Encoding::kSkiplist);
  EXPECT_EQ(contents(y), (std::vector<Pair>{{1, "short"}, {2, "a-long-member"}}));

  // And back on demand.
  z.remove("m4");
  z.shrink_if_fits(2, 8, lim);
  EXPECT_EQ(z.encoding(), Encoding::kListpack);
  EXPECT_EQ(contents(z), (std::vector<Pair>{{0, "m0"}, {1, "m1"}, {2, "m2"}, {3, "m3"}}));

  auto sk = ZsetObject::create_for(100, lim);
  EXPECT_EQ(sk->encoding(), Encoding::kSkiplist);
}

TEST(ZsetObjectTest, ListpackScoresUseRedisText) {
  ZsetObject z;
  EncodingLimits lim = small_limits();
  z.add("a", 1.5, 0, lim);
  z.add("b", 3, 0, lim);
  z.add("c", -0.0, 0, lim);
  const Listpack& l = z.listpack();
  char buf[24];
  EXPECT_TRUE(l.get(l.next(l.first())).is_int());  // -0 is stored as the integer 0, as in Redis
  EXPECT_EQ(l.get(l.seek(3)).view(buf), "1.5");
  EXPECT_TRUE(l.get(l.seek(5)).is_int());  // a score of 3 is the integer 3, as in Redis
  auto back = ZsetObject::from_listpack(l);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(contents(*back), contents(z));
}

TEST(ZsetObjectTest, FromListpackRejectsBadContent) {
  Listpack odd;
  odd.append("a");
  EXPECT_EQ(ZsetObject::from_listpack(odd), nullptr);
  Listpack notnum;
  notnum.append("a");
  notnum.append("x");
  EXPECT_EQ(ZsetObject::from_listpack(notnum), nullptr);
  Listpack unordered;
  unordered.append("a");
  unordered.append("2");
  unordered.append("b");
  unordered.append("1");
  EXPECT_EQ(ZsetObject::from_listpack(unordered), nullptr);
  Listpack dup;
  dup.append("a");
  dup.append("1");
  dup.append("a");
  dup.append("2");
  EXPECT_EQ(ZsetObject::from_listpack(dup), nullptr);
}

TEST(ZsetObjectTest, ScoreAndLexRanges) {
  for (size_t entries : {size_t{128}, size_t{0}}) {
    EncodingLimits lim = small_limits(entries);
    auto z = ZsetObject::create_for(1, lim);
    for (char c = 'a'; c <= 'g'; ++c) z->add(std::string(1, c), 0, 0, lim);
    ZLexRange lr;
    ASSERT_TRUE(ZLexRange::parse("[b", "(e", &lr));
    EXPECT_EQ(z->count_in_lex_range(lr), 3u);
    EXPECT_EQ(z->first_in_lex_range(lr).member(), "b");
    EXPECT_EQ(z->last_in_lex_range(lr).member(), "d");
    ASSERT_TRUE(ZLexRange::parse("-", "+", &lr));
    EXPECT_EQ(z->count_in_lex_range(lr), 7u);
    ASSERT_TRUE(ZLexRange::parse("+", "-", &lr));
    EXPECT_EQ(z->count_in_lex_range(lr), 0u);
    EXPECT_FALSE(ZLexRange::parse("b", "[c", &lr));
    EXPECT_FALSE(ZLexRange::parse("[b", "++", &lr));

    auto y = ZsetObject::create_for(1, lim);
    for (int i = 0; i < 10; ++i) y->add("m" + std::to_string(i), i, 0, lim);
    ZScoreRange r{2, 5, true, false};
    EXPECT_EQ(y->count_in_range(r), 3u);
    EXPECT_EQ(y->first_in_range(r).member(), "m3");
    EXPECT_EQ(y->last_in_range(r).member(), "m5");
    EXPECT_EQ(y->remove_range_by_score(r), 3u);
    EXPECT_EQ(y->size(), 7u);
    EXPECT_EQ(y->remove_range_by_rank(0, 1), 2u);
    EXPECT_EQ(y->first().member(), "m2");
    EXPECT_FALSE(y->first_in_range(ZScoreRange{5, 5, true, false}).valid());
  }
}

// Random operations on both encodings against a std::set model.
TEST(ZsetObjectTest, RandomizedAgainstModel) {
  std::mt19937_64 rng(12345);
  for (size_t entries : {size_t{16}, size_t{0}}) {
    EncodingLimits lim = small_limits(entries, 64);
    ZsetObject z;
    std::map<std::string, double> by_member;
    std::set<Pair> model;
    auto model_add = [&](const std::string& m, double s) {
      auto it = by_member.find(m);
      if (it != by_member.end()) model.erase({it->second, m});
      by_member[m] = s;
      model.insert({s, m});
    };
    auto model_remove = [&](const std::string& m) {
      auto it = by_member.find(m);
      if (it == by_member.end()) return false;
      model.erase({it->second, m});
      by_member.erase(it);
      return true;
    };
    for (int step = 0; step < 6000; ++step) {
      std::string m = std::to_string(rng() % 300);
      if (rng() % 3 == 0) m = "x" + m;
      double s = static_cast<double>(static_cast<int>(rng() % 50)) / 4.0;
      switch (rng() % 8) {
        case 0:
        case 1:
        case 2: {
          auto res = z.add(m, s, 0, lim);
          bool existed = by_member.count(m) > 0;
          EXPECT_EQ(res == ZsetObject::AddResult::kAdded, !existed);
          model_add(m, s);
          break;
        }
        case 3:
          EXPECT_EQ(z.remove(m), model_remove(m));
          break;
        case 4: {
          ZScoreRange r{s, s + 2, rng() % 2 == 0, rng() % 2 == 0};
          size_t want = 0;
          for (const auto& p : model) {
            if (zscore_gte_min(p.first, r) && zscore_lte_max(p.first, r)) ++want;
          }
          EXPECT_EQ(z.count_in_range(r), want);
          if (rng() % 4 == 0) {
            EXPECT_EQ(z.remove_range_by_score(r), want);
            for (auto it = model.begin(); it != model.end();) {
              if (zscore_gte_min(it->first, r) && zscore_lte_max(it->first, r)) {
                by_member.erase(it->second);
                it = model.erase(it);
              } else {
                ++it;
              }
            }
          }
          break;
        }
        case 5: {
          size_t r = 0;
          double sc = 0;
          bool found = z.rank(m, false, &r, &sc);
          auto it = by_member.find(m);
          ASSERT_EQ(found, it != by_member.end());
          if (found) {
            EXPECT_EQ(
                r, static_cast<size_t>(std::distance(model.begin(), model.find({it->second, m}))));
            EXPECT_EQ(sc, it->second);
          }
          break;
        }
        case 6: {
          if (model.empty()) break;
          size_t rank = rng() % model.size();
          auto it = std::next(model.begin(), static_cast<long>(rank));
          auto c = z.at_rank(rank);
          ASSERT_TRUE(c.valid());
          EXPECT_EQ(c.member(), it->second);
          EXPECT_EQ(c.score(), it->first);
          if (rng() % 8 == 0) {
            size_t end = std::min(model.size() - 1, rank + rng() % 5);
            EXPECT_EQ(z.remove_range_by_rank(rank, end), end - rank + 1);
            for (size_t i = rank; i <= end; ++i) {
              by_member.erase(it->second);
              it = model.erase(it);
            }
          }
          break;
        }
        case 7: {
          auto res = z.add(m, s, ZsetObject::kAddIncr, lim);
          auto it = by_member.find(m);
          double ns = it == by_member.end() ? s : it->second + s;
          (void)res;
          model_add(m, ns);
          break;
        }
      }
      ASSERT_EQ(z.size(), model.size());
    }
    EXPECT_EQ(contents(z), std::vector<Pair>(model.begin(), model.end()));
    // Walking backwards gives the reverse order.
    std::vector<Pair> back;
    for (auto c = z.last(); c.valid(); c.prev())
      back.emplace_back(c.score(), std::string(c.member()));
    EXPECT_EQ(back, std::vector<Pair>(model.rbegin(), model.rend()));
    auto copy = z.clone();
    EXPECT_EQ(contents(static_cast<ZsetObject&>(*copy)), contents(z));
    // ZSCAN covers every member.
    std::set<std::string> seen;
    uint64_t cursor = 0;
    do {
      cursor = z.scan(cursor, [&](std::string_view mm, double) { seen.insert(std::string(mm)); });
    } while (cursor != 0);
    EXPECT_EQ(seen.size(), model.size());
    EXPECT_GT(z.memory_usage(0), 0u);
  }
}

TEST(ZsetObjectTest, LargeSkiplistRanks) {
  ZsetObject z;
  EncodingLimits lim = small_limits();
  const int n = 20000;
  for (int i = n - 1; i >= 0; --i) z.add("m" + std::to_string(i), i, 0, lim);
  EXPECT_EQ(z.encoding(), Encoding::kSkiplist);
  for (int i = 0; i < n; i += 997) {
    size_t r;
    ASSERT_TRUE(z.rank("m" + std::to_string(i), false, &r));
    EXPECT_EQ(r, static_cast<size_t>(i));
    EXPECT_EQ(z.at_rank(r).member(), "m" + std::to_string(i));
  }
  EXPECT_EQ(z.count_in_range(ZScoreRange{100, 199, false, false}), 100u);
}

}  // namespace
}  // namespace zakros::store
