#include "store/list_object.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <string>
#include <vector>

namespace zakros::store {
namespace {

std::vector<std::string> elements(const ListObject& l) {
  std::vector<std::string> out;
  l.for_each([&](std::string_view v) { out.emplace_back(v); });
  return out;
}

std::vector<size_t> node_sizes(const ListObject& l) {
  std::vector<size_t> out;
  for (const auto& n : l.nodes()) out.push_back(n.lp.size());
  return out;
}

TEST(ListObjectTest, PushPopBothEnds) {
  ListObject l(-2);
  EXPECT_EQ(l.encoding(), Encoding::kQuicklist);
  l.push_back("b");
  l.push_front("a");
  l.push_back("123");
  EXPECT_EQ(elements(l), (std::vector<std::string>{"a", "b", "123"}));
  EXPECT_EQ(l.node_count(), 1u);
  std::string v;
  ASSERT_TRUE(l.pop_back(&v));
  EXPECT_EQ(v, "123");
  ASSERT_TRUE(l.pop_front(&v));
  EXPECT_EQ(v, "a");
  ASSERT_TRUE(l.pop_front(&v));
  EXPECT_TRUE(l.empty());
  EXPECT_EQ(l.node_count(), 0u);
  EXPECT_FALSE(l.pop_front(&v));
}

TEST(ListObjectTest, CountFillSplitsNodes) {
  ListObject l(3);
  for (int i = 0; i < 7; ++i) l.push_back(std::to_string(i));
  EXPECT_EQ(node_sizes(l), (std::vector<size_t>{3, 3, 1}));
  for (int i = 0; i < 2; ++i) l.push_front("x");
  EXPECT_EQ(node_sizes(l), (std::vector<size_t>{2, 3, 3, 1}));
}

TEST(ListObjectTest, SizeFillCapsNodeBytes) {
  ListObject l(-1);  // 4 KB
  for (int i = 0; i < 20; ++i) l.push_back(std::string(500, 'a'));
  for (const auto& n : l.nodes()) EXPECT_LE(n.lp.bytes(), 4096u);
  EXPECT_GT(l.node_count(), 1u);
  EXPECT_EQ(l.size(), 20u);
}

TEST(ListObjectTest, IndexSetAndRanges) {
  ListObject l(2);
  for (int i = 0; i < 9; ++i) l.push_back(std::to_string(i));
  std::string v;
  ASSERT_TRUE(l.get(0, &v));
  EXPECT_EQ(v, "0");
  ASSERT_TRUE(l.get(-1, &v));
  EXPECT_EQ(v, "8");
  ASSERT_TRUE(l.get(5, &v));
  EXPECT_EQ(v, "5");
  EXPECT_FALSE(l.get(9, &v));
  EXPECT_FALSE(l.get(-10, &v));
  EXPECT_TRUE(l.set(4, "four"));
  EXPECT_FALSE(l.set(10, "x"));
  l.erase_range(0, 2);
  l.erase_range(-2, 2);
  EXPECT_EQ(elements(l), (std::vector<std::string>{"2", "3", "four", "5", "6"}));
  std::vector<std::string> back;
  l.walk(-2, false, [&](std::string_view s) {
    back.emplace_back(s);
    return true;
  });
  EXPECT_EQ(back, (std::vector<std::string>{"5", "four", "3", "2"}));
}

TEST(ListObjectTest, InsertSplitsAndMergesLikeQuicklist) {
  ListObject l(4);
  for (int i = 0; i < 8; ++i) l.push_back(std::to_string(i));
  EXPECT_EQ(node_sizes(l), (std::vector<size_t>{4, 4}));
  // Full node, middle: split.
  EXPECT_TRUE(l.insert("1", "x", true));
  EXPECT_EQ(elements(l), (std::vector<std::string>{"0", "1", "x", "2", "3", "4", "5", "6", "7"}));
  EXPECT_EQ(l.size(), 9u);
  // Full node, at its tail, next node full: a new node.
  EXPECT_TRUE(l.insert("7", "y", true));
  EXPECT_EQ(l.size(), 10u);
  EXPECT_FALSE(l.insert("nope", "z", false));
  size_t total = 0;
  for (size_t s : node_sizes(l)) {
    EXPECT_LE(s, 4u);
    total += s;
  }
  EXPECT_EQ(total, 10u);
}

TEST(ListObjectTest, RemoveFromBothEnds) {
  ListObject l(2);
  for (const char* s : {"a", "b", "a", "c", "a", "a"}) l.push_back(s);
  EXPECT_EQ(l.remove("a", 1), 1u);
  EXPECT_EQ(elements(l), (std::vector<std::string>{"b", "a", "c", "a", "a"}));
  EXPECT_EQ(l.remove("a", -2), 2u);
  EXPECT_EQ(elements(l), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_EQ(l.remove("a", 0), 1u);
  EXPECT_EQ(l.remove("zz", 0), 0u);
  EXPECT_EQ(elements(l), (std::vector<std::string>{"b", "c"}));
}

TEST(ListObjectTest, PlainNodes) {
  ASSERT_TRUE(ListObject::set_packed_threshold(5));
  ListObject l(-2);
  l.push_back("abc");
  l.push_back("123456");  // large: a plain node, kept as a string
  l.push_front("xxxxxxx");
  EXPECT_EQ(elements(l), (std::vector<std::string>{"xxxxxxx", "abc", "123456"}));
  std::vector<std::pair<bool, std::string>> nodes;
  l.for_each_node([&](bool plain, std::string_view b) { nodes.emplace_back(plain, b); });
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_TRUE(nodes[0].first);
  EXPECT_EQ(nodes[0].second, "xxxxxxx");
  EXPECT_FALSE(nodes[1].first);
  EXPECT_TRUE(nodes[2].first);
  EXPECT_EQ(nodes[2].second, "123456");
  EXPECT_TRUE(l.set(0, "s"));       // plain -> packed
  EXPECT_TRUE(l.set(1, "bigger"));  // packed -> plain
  EXPECT_TRUE(l.insert("s", "plain2", true));
  EXPECT_EQ(elements(l), (std::vector<std::string>{"s", "plain2", "bigger", "123456"}));
  std::string v;
  ASSERT_TRUE(l.pop_back(&v));
  EXPECT_EQ(v, "123456");
  ASSERT_TRUE(ListObject::set_packed_threshold(0));
  EXPECT_EQ(ListObject::packed_threshold(), size_t{1} << 30);
  EXPECT_FALSE(ListObject::set_packed_threshold(uint64_t{1} << 33));
}

TEST(ListObjectTest, RdbNodeRoundTrip) {
  ListObject l(3);
  for (int i = 0; i < 7; ++i) l.push_back("e" + std::to_string(i));
  ListObject copy(3);
  l.for_each_node([&](bool plain, std::string_view b) {
    if (plain) {
      copy.append_plain_node(b);
    } else {
      ASSERT_TRUE(Listpack::validate(b, true));
      copy.append_listpack_node(Listpack::from_bytes(b));
    }
  });
  copy.append_listpack_node(Listpack());  // empty nodes are skipped
  EXPECT_EQ(elements(copy), elements(l));
  EXPECT_EQ(copy.node_count(), l.node_count());
  auto clone = l.clone();
  EXPECT_EQ(elements(static_cast<ListObject&>(*clone)), elements(l));
  EXPECT_GT(l.memory_usage(5), 0u);
}

// Random operations against a std::deque, with small nodes so that splits and merges happen.
TEST(ListObjectTest, RandomAgainstDeque) {
  for (int fill : {1, 2, 5, -1}) {
    std::mt19937_64 rng(fill + 100);
    ListObject l(fill);
    std::deque<std::string> ref;
    for (int step = 0; step < 4000; ++step) {
      std::string val = std::to_string(rng() % 20);
      if (rng() % 7 == 0) val = std::string(rng() % 600, 'v');
      switch (rng() % 8) {
        case 0:
          l.push_front(val);
          ref.push_front(val);
          break;
        case 1:
          l.push_back(val);
          ref.push_back(val);
          break;
        case 2: {
          std::string out;
          ASSERT_EQ(l.pop_front(&out), !ref.empty());
          if (!ref.empty()) {
            ASSERT_EQ(out, ref.front());
            ref.pop_front();
          }
          break;
        }
        case 3: {
          if (ref.empty()) break;
          long i = static_cast<long>(rng() % ref.size());
          ASSERT_TRUE(l.set(i, val));
          ref[static_cast<size_t>(i)] = val;
          break;
        }
        case 4: {
          std::string pivot = std::to_string(rng() % 20);
          bool after = rng() % 2;
          bool inserted = l.insert(pivot, val, after);
          auto it = std::find(ref.begin(), ref.end(), pivot);
          ASSERT_EQ(inserted, it != ref.end());
          if (it != ref.end()) ref.insert(after ? it + 1 : it, val);
          break;
        }
        case 5: {
          std::string target = std::to_string(rng() % 20);
          long count = static_cast<long>(rng() % 5) - 2;
          size_t removed = l.remove(target, count);
          size_t expect = 0;
          size_t limit = count == 0 ? SIZE_MAX : static_cast<size_t>(std::labs(count));
          if (count >= 0) {
            for (auto it = ref.begin(); it != ref.end() && expect < limit;) {
              if (*it == target) {
                it = ref.erase(it);
                ++expect;
              } else {
                ++it;
              }
            }
          } else {
            for (size_t i = ref.size(); i-- > 0 && expect < limit;) {
              if (ref[i] == target) {
                ref.erase(ref.begin() + static_cast<long>(i));
                ++expect;
              }
            }
          }
          ASSERT_EQ(removed, expect);
          break;
        }
        case 6: {
          if (ref.empty()) break;
          long start = static_cast<long>(rng() % ref.size());
          long count = static_cast<long>(rng() % 3);
          l.erase_range(start, count);
          for (long k = 0; k < count && start < static_cast<long>(ref.size()); ++k) {
            ref.erase(ref.begin() + start);
          }
          break;
        }
        default: {
          std::string out;
          ASSERT_EQ(l.pop_back(&out), !ref.empty());
          if (!ref.empty()) {
            ASSERT_EQ(out, ref.back());
            ref.pop_back();
          }
        }
      }
      ASSERT_EQ(l.size(), ref.size());
      if (step % 50 == 0) {
        ASSERT_EQ(elements(l), std::vector<std::string>(ref.begin(), ref.end()));
        size_t total = 0;
        for (const auto& n : l.nodes()) {
          ASSERT_GT(n.lp.size(), 0u);
          ASSERT_TRUE(Listpack::validate(n.lp.data(), true));
          total += n.lp.size();
        }
        ASSERT_EQ(total, ref.size());
      }
    }
  }
}

}  // namespace
}  // namespace zakros::store
