// Dict: insert/find/remove, incremental rehashing in both directions, and the SCAN guarantee
// (every element present for the whole iteration is returned at least once, even while the
// table grows and shrinks between calls).
#include "store/dict.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace zakros::store {
namespace {

struct Node {
  Node* next = nullptr;
  std::string key;
};

struct NodeTraits {
  using Node = store::Node;
  static Node** next_field(Node* n) { return &n->next; }
  static std::string_view key(const Node* n) { return n->key; }
};

using TestDict = Dict<NodeTraits>;

// Owns the nodes of a TestDict.
class Harness {
 public:
  ~Harness() {
    dict.clear([](Node*) {});
  }
  bool add(const std::string& key) {
    if (dict.find(key) != nullptr) return false;
    auto node = std::make_unique<Node>();
    node->key = key;
    dict.insert(node.get());
    nodes[key] = std::move(node);
    return true;
  }
  bool remove(const std::string& key) {
    Node* n = dict.remove(key);
    if (n == nullptr) return false;
    nodes.erase(key);
    return true;
  }
  TestDict dict;
  std::unordered_map<std::string, std::unique_ptr<Node>> nodes;
};

TEST(DictTest, InsertFindRemove) {
  Harness h;
  EXPECT_EQ(h.dict.find("a"), nullptr);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(h.add("key:" + std::to_string(i)));
  EXPECT_EQ(h.dict.size(), 1000u);
  for (int i = 0; i < 1000; ++i) {
    Node* n = h.dict.find("key:" + std::to_string(i));
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->key, "key:" + std::to_string(i));
  }
  EXPECT_EQ(h.dict.find("key:1000"), nullptr);
  for (int i = 0; i < 1000; i += 2) ASSERT_TRUE(h.remove("key:" + std::to_string(i)));
  EXPECT_FALSE(h.remove("key:0"));
  EXPECT_EQ(h.dict.size(), 500u);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(h.dict.find("key:" + std::to_string(i)) != nullptr, i % 2 == 1) << i;
  }
}

TEST(DictTest, GrowsIncrementallyAndShrinksBelowTenPercent) {
  Harness h;
  for (int i = 0; i < 4; ++i) h.add(std::to_string(i));
  EXPECT_EQ(h.dict.bucket_count(), 4u);
  h.add("4");  // load factor 1 reached: a second table of 8 buckets appears
  EXPECT_TRUE(h.dict.rehashing());
  while (h.dict.rehash(1)) {
  }
  EXPECT_EQ(h.dict.bucket_count(), 8u);

  for (int i = 5; i < 10000; ++i) h.add(std::to_string(i));
  while (h.dict.rehash(100)) {
  }
  EXPECT_EQ(h.dict.bucket_count(), 16384u);
  // Each operation moves a bounded number of buckets: a grow of a big table is not finished by
  // the single insert that starts it.
  for (int i = 10000; i < 16385; ++i) h.add(std::to_string(i));
  EXPECT_TRUE(h.dict.rehashing());
  while (h.dict.rehash(100)) {
  }
  // Remove down to < 10% fill: shrinks to the next power of two >= size.
  for (int i = 0; i < 16385 - 1000; ++i) h.remove(std::to_string(i));
  while (h.dict.rehash(100)) {
  }
  EXPECT_EQ(h.dict.size(), 1000u);
  // The shrink starts when fill drops under 10% (3276 of 32768) and sizes the table for the
  // count at that moment; removals during the rehash do not start another.
  EXPECT_EQ(h.dict.bucket_count(), 4096u);
  for (int i = 16385 - 1000; i < 16385 - 300; ++i) h.remove(std::to_string(i));
  while (h.dict.rehash(100)) {
  }
  EXPECT_EQ(h.dict.bucket_count(), 512u);
  for (int i = 16385 - 300; i < 16385; ++i) ASSERT_NE(h.dict.find(std::to_string(i)), nullptr);
}

TEST(DictTest, ScanVisitsEverythingOnceWhenStable) {
  Harness h;
  for (int i = 0; i < 5000; ++i) h.add(std::to_string(i));
  while (h.dict.rehash(100)) {
  }
  std::multiset<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = h.dict.scan(cursor, [&](Node* n) { seen.insert(n->key); });
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 5000u);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(seen.count(std::to_string(i)), 1u);
}

TEST(DictTest, EmptyDictScanReturnsZero) {
  Harness h;
  EXPECT_EQ(h.dict.scan(0, [](Node*) {}), 0u);
  uint64_t rng = 1;
  EXPECT_EQ(h.dict.random(rng), nullptr);
}

// The SCAN guarantee under growth and shrinkage, with random interleavings.
TEST(DictTest, ScanGuaranteeWhileGrowingAndShrinking) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    std::mt19937 rng(seed);
    Harness h;
    std::vector<std::string> stable;
    for (int i = 0; i < 300; ++i) {
      stable.push_back("stable:" + std::to_string(i));
      h.add(stable.back());
    }
    std::vector<std::string> extra;
    int next_extra = 0;
    std::set<std::string> seen;
    uint64_t cursor = 0;
    int calls = 0;
    bool saw_rehash = false;
    do {
      cursor = h.dict.scan(cursor, [&](Node* n) { seen.insert(n->key); });
      ++calls;
      saw_rehash |= h.dict.rehashing();
      switch (rng() % 8) {
        case 0:  // grow a lot
          for (int i = 0; i < 500; ++i) {
            extra.push_back("extra:" + std::to_string(next_extra++));
            h.add(extra.back());
          }
          break;
        case 1:  // shrink: drop every extra key
          for (const auto& k : extra) h.remove(k);
          extra.clear();
          break;
        case 2:
          h.dict.rehash(static_cast<int>(rng() % 50));
          break;
        default:
          break;
      }
    } while (cursor != 0);
    EXPECT_TRUE(saw_rehash) << "seed " << seed;
    for (const auto& k : stable) ASSERT_TRUE(seen.count(k)) << k << " seed " << seed;
    (void)calls;
  }
}

TEST(DictTest, NoResizeWhileForbiddenUntilFiveTimesFull) {
  Harness h;
  for (int i = 0; i < 64; ++i) h.add(std::to_string(i));
  while (h.dict.rehash(100)) {
  }
  ASSERT_EQ(h.dict.bucket_count(), 64u);
  g_dict_resize_allowed = false;
  for (int i = 64; i < 64 * 6; ++i) h.add(std::to_string(i));
  EXPECT_EQ(h.dict.table_stats(0).size, 64u);
  EXPECT_FALSE(h.dict.rehashing());
  h.add("one-more");  // more than 5 per bucket: forced growth
  EXPECT_TRUE(h.dict.rehashing());
  g_dict_resize_allowed = true;
  while (h.dict.rehash(100)) {
  }
  DictTableStats st = h.dict.table_stats(0);
  EXPECT_EQ(st.used, 64u * 6 + 1);
  EXPECT_GT(st.slots_used, 0u);
  EXPECT_GE(st.max_chain, 1u);
  EXPECT_EQ(h.dict.table_stats(1).size, 0u);
}

TEST(DictTest, RandomReturnsEveryElementEventually) {
  Harness h;
  for (int i = 0; i < 50; ++i) h.add(std::to_string(i));
  std::set<std::string> seen;
  uint64_t rng = 42;
  for (int i = 0; i < 5000; ++i) seen.insert(h.dict.random(rng)->key);
  EXPECT_EQ(seen.size(), 50u);
}

TEST(DictTest, ReplaceAtKeepsChain) {
  Harness h;
  for (int i = 0; i < 100; ++i) h.add(std::to_string(i));
  Node fresh;
  fresh.key = "42";
  Node** link = h.dict.find_link("42", hash_key("42"));
  ASSERT_NE(link, nullptr);
  TestDict::replace_at(link, &fresh);
  EXPECT_EQ(h.dict.find("42"), &fresh);
  for (int i = 0; i < 100; ++i) ASSERT_NE(h.dict.find(std::to_string(i)), nullptr);
  // Put the owned node back so the harness frees consistently.
  link = h.dict.find_link("42", hash_key("42"));
  TestDict::replace_at(link, h.nodes["42"].get());
}

}  // namespace
}  // namespace zakros::store
