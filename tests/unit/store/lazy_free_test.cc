// LazyFree and the keyspace's lazy deletions: Redis's free-effort rules and threshold, which
// deletions go to the background thread under which lazyfree-lazy-* policy, and the
// lazyfree_pending_objects / lazyfreed_objects counts.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "store/keyspace.h"
#include "store/list_object.h"
#include "store/set_object.h"

namespace zakros::store {
namespace {

class LazyFreeTest : public ::testing::Test {
 protected:
  // A set of `n` non-integer members: a hashtable once it passes the intset/listpack limits.
  Entry* add_set(std::string_view key, int n, int64_t expire_at = kPersist) {
    auto set = SetObject::create_hashtable();
    for (int i = 0; i < n; ++i) set->add("m" + std::to_string(i), ks.limits());
    return ks.db(0).set_object(key, std::move(set), expire_at, tc);
  }
  // Waits for the worker, then returns how many objects it freed.
  size_t freed() {
    ks.lazy_free().drain();
    EXPECT_EQ(ks.lazy_free().pending(), 0u);
    return ks.lazy_free().freed();
  }

  Keyspace ks{16};
  TimeContext tc{1'000'000, true};
};

TEST_F(LazyFreeTest, FreeEffortFollowsRedis) {
  Database& db = ks.db(0);
  EXPECT_EQ(free_effort(*db.set_string("s", std::string(1000, 'x'), kPersist, tc)), 1u);
  auto intset = SetObject::create_intset();
  for (int i = 0; i < 100; ++i) intset->add(std::to_string(i), ks.limits());
  ASSERT_EQ(intset->encoding(), Encoding::kIntset);
  EXPECT_EQ(free_effort(*db.set_object("ints", std::move(intset), kPersist, tc)), 1u);
  EXPECT_EQ(free_effort(*add_set("big", 100)), 100u);
  // A list counts its quicklist nodes, not its elements.
  auto list = ListObject::create(ks.limits());
  for (int i = 0; i < 10000; ++i) list->push_back("element" + std::to_string(i));
  size_t nodes = list->node_count();
  ASSERT_GT(nodes, 1u);
  EXPECT_EQ(free_effort(*db.set_object("list", std::move(list), kPersist, tc)), nodes);
}

TEST_F(LazyFreeTest, UnlinkOfABigValueIsFreedInTheBackgroundAndCounted) {
  add_set("big", static_cast<int>(kLazyFreeThreshold) + 1);
  add_set("at-threshold", static_cast<int>(kLazyFreeThreshold));
  EXPECT_TRUE(ks.db(0).erase("at-threshold", true));  // not above the threshold: freed now
  EXPECT_EQ(freed(), 0u);
  EXPECT_TRUE(ks.db(0).erase("big", true));
  EXPECT_EQ(ks.db(0).size(), 0u);
  EXPECT_EQ(freed(), 1u);
  EXPECT_FALSE(ks.db(0).erase("big", true));
  // A synchronous deletion of a big value counts nothing.
  add_set("big", 1000);
  EXPECT_TRUE(ks.db(0).erase("big", false));
  EXPECT_EQ(freed(), 1u);
  // CONFIG RESETSTAT zeroes the freed count.
  ks.reset_stats();
  EXPECT_EQ(ks.lazy_free().freed(), 0u);
}

TEST_F(LazyFreeTest, ServerDelPolicyCoversOverwritesAndImplicitDeletions) {
  add_set("k", 1000);
  ks.db(0).set_string("k", "v", kPersist, tc);  // policy off: the set is freed at once
  EXPECT_EQ(freed(), 0u);
  LazyFreePolicy policy;
  policy.server_del = true;
  ks.set_lazy_free_policy(policy);
  add_set("k", 1000);
  ks.db(0).set_string("k", "v", kPersist, tc);  // Redis's dbSetValue under server-del
  EXPECT_EQ(freed(), 1u);
  add_set("k", 1000);
  EXPECT_TRUE(ks.db(0).erase("k"));  // dbDelete
  EXPECT_EQ(freed(), 2u);
}

TEST_F(LazyFreeTest, ExpirePolicyCoversExpiredKeys) {
  LazyFreePolicy policy;
  policy.expire = true;
  ks.set_lazy_free_policy(policy);
  add_set("k", 1000, tc.now_ms + 10);
  TimeContext later{tc.now_ms + 10, true};
  EXPECT_EQ(ks.db(0).find("k", later), nullptr);  // deleted as expired, freed lazily
  EXPECT_EQ(freed(), 1u);
}

TEST_F(LazyFreeTest, FlushAsyncCountsEveryKey) {
  for (int i = 0; i < 30; ++i) ks.db(i % 3).set_string("k" + std::to_string(i), "v", kPersist, tc);
  ks.flush_async(0);
  EXPECT_EQ(freed(), 10u);
  ks.flush_async(-1);
  EXPECT_EQ(freed(), 30u);
}

std::atomic<int> hook_calls{0};

TEST_F(LazyFreeTest, AfterFreeHookRunsPerJob) {
  ks.lazy_free().set_after_free([] { ++hook_calls; });
  add_set("a", 1000);
  add_set("b", 1000);
  ks.db(0).erase("a", true);
  ks.db(0).erase("b", true);
  EXPECT_EQ(freed(), 2u);
  EXPECT_EQ(hook_calls.load(), 2);
}

}  // namespace
}  // namespace zakros::store
