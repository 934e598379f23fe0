// Database and Keyspace: encodings, lazy and active expiry, TTL bookkeeping, renames, moves,
// SWAPDB, RANDOMKEY, SCAN over a database, LRU/LFU, and the memory cost of a key.
#include <gtest/gtest.h>
#include <malloc.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store/keyspace.h"

namespace zakros::store {
namespace {

class RecordingObserver : public KeyspaceObserver {
 public:
  void on_key_expired(int db, std::string_view key) override {
    expired.push_back(std::to_string(db) + ":" + std::string(key));
  }
  std::vector<std::string> expired;
};

class DatabaseTest : public ::testing::Test {
 protected:
  DatabaseTest() : ks(16) { ks.set_observer(&observer); }
  Database& db0() { return ks.db(0); }
  std::string value_of(Entry* e) {
    char buf[Entry::kIntMaxChars];
    return std::string(e->string_value(buf));
  }
  Keyspace ks;
  RecordingObserver observer;
  TimeContext tc{1'000'000, true};
};

TEST_F(DatabaseTest, StringEncodings) {
  struct Case {
    std::string value;
    Encoding enc;
  };
  std::vector<Case> cases = {
      {"0", Encoding::kInt},
      {"-1", Encoding::kInt},
      {"9223372036854775807", Encoding::kInt},
      {"-9223372036854775808", Encoding::kInt},
      {"9223372036854775808", Encoding::kEmbstr},
      {"01", Encoding::kEmbstr},
      {"+1", Encoding::kEmbstr},
      {"-0", Encoding::kEmbstr},
      {"", Encoding::kEmbstr},
      {"hello", Encoding::kEmbstr},
      {std::string(44, 'x'), Encoding::kEmbstr},
      {std::string(45, 'x'), Encoding::kRaw},
      {std::string(1000, 'y'), Encoding::kRaw},
  };
  for (const auto& c : cases) {
    Entry* e = db0().set_string("k", c.value, kPersist, tc);
    EXPECT_EQ(e->encoding(), c.enc) << c.value;
    EXPECT_EQ(e->type(), ValueType::kString);
    EXPECT_EQ(value_of(e), c.value);
    EXPECT_EQ(e->string_length(), c.value.size());
    EXPECT_EQ(e->key(), "k");
  }
  EXPECT_EQ(db0().size(), 1u);
}

TEST_F(DatabaseTest, MemoryUsage) {
  Entry* small = db0().set_string("k", "v", kPersist, tc);
  EXPECT_EQ(small->memory_usage(), small->block_size());
  Entry* big = db0().set_string("big", std::string(33000, 'a'), kPersist, tc);
  EXPECT_GE(big->memory_usage(), 33000u);
  EXPECT_LT(big->memory_usage(), 34000u);
}

TEST_F(DatabaseTest, LongKeysAndInPlaceUpdates) {
  std::string long_key(1000, 'k');
  Entry* e = db0().set_string(long_key, "abc", kPersist, tc);
  EXPECT_EQ(e->key(), long_key);
  Entry* same = db0().set_string(long_key, "xyz", kPersist, tc);
  EXPECT_EQ(same, e);  // same-size embstr overwrite is in place
  EXPECT_EQ(value_of(same), "xyz");
  Entry* num = db0().set_string(long_key, "12", kPersist, tc);
  EXPECT_TRUE(num->is_int());
  db0().set_int_value(num, 99);
  EXPECT_EQ(value_of(db0().find(long_key, tc)), "99");
  std::string* raw = db0().make_raw(num);
  raw->append("x");
  Entry* found = db0().find(long_key, tc);
  EXPECT_EQ(found->encoding(), Encoding::kRaw);
  EXPECT_EQ(value_of(found), "99x");
  db0().set_int_value(found, -5);
  EXPECT_EQ(db0().find(long_key, tc)->encoding(), Encoding::kInt);
}

TEST_F(DatabaseTest, LazyExpiry) {
  Entry* e = db0().set_string("k", "v", tc.now_ms + 100, tc);
  EXPECT_TRUE(e->has_expire());
  EXPECT_EQ(e->expire_at(), tc.now_ms + 100);
  EXPECT_EQ(db0().expires_count(), 1u);

  TimeContext later{tc.now_ms + 100, true};
  // A follower sees the key as absent but keeps it.
  TimeContext follower{later.now_ms, false};
  EXPECT_EQ(db0().find("k", follower), nullptr);
  EXPECT_EQ(db0().size(), 1u);
  EXPECT_TRUE(observer.expired.empty());
  // Before the deadline it is there.
  EXPECT_NE(db0().find("k", TimeContext{tc.now_ms + 99, true}), nullptr);
  // At the deadline it is gone, deleted and reported.
  EXPECT_EQ(db0().find("k", later), nullptr);
  EXPECT_EQ(db0().size(), 0u);
  EXPECT_EQ(db0().expires_count(), 0u);
  ASSERT_EQ(observer.expired.size(), 1u);
  EXPECT_EQ(observer.expired[0], "0:k");
  EXPECT_EQ(ks.expired_keys(), 1u);
}

TEST_F(DatabaseTest, OverwriteExpiredKeyReportsIt) {
  db0().set_string("k", "v", tc.now_ms + 10, tc);
  TimeContext later{tc.now_ms + 10, true};
  Entry* e = db0().set_string("k", "w", kKeepTtl, later);
  EXPECT_FALSE(e->has_expire());  // the TTL of an expired key is not kept
  EXPECT_EQ(observer.expired.size(), 1u);
  EXPECT_EQ(db0().expires_count(), 0u);
}

TEST_F(DatabaseTest, KeepTtlAndPersist) {
  db0().set_string("k", "v", tc.now_ms + 5000, tc);
  Entry* e = db0().set_string("k", "a-longer-value", kKeepTtl, tc);
  EXPECT_EQ(e->expire_at(), tc.now_ms + 5000);
  e = db0().set_string("k", "v2", kPersist, tc);
  EXPECT_FALSE(e->has_expire());
  EXPECT_EQ(db0().expires_count(), 0u);
  db0().set_expire(e, tc.now_ms + 7);
  EXPECT_EQ(db0().find("k", tc)->expire_at(), tc.now_ms + 7);
  EXPECT_EQ(db0().expires_count(), 1u);
  EXPECT_TRUE(db0().persist(e));
  EXPECT_FALSE(db0().persist(e));
  EXPECT_EQ(db0().expires_count(), 0u);
  EXPECT_EQ(value_of(db0().find("k", tc)), "v2");
}

TEST_F(DatabaseTest, ExpiresSlotsStayConsistent) {
  for (int i = 0; i < 100; ++i) {
    db0().set_string("k" + std::to_string(i), "v", tc.now_ms + 1000 + i, tc);
  }
  for (int i = 0; i < 100; i += 3) db0().erase("k" + std::to_string(i));
  for (int i = 1; i < 100; i += 3) {
    Entry* e = db0().find("k" + std::to_string(i), tc);
    db0().persist(e);
  }
  for (int i = 2; i < 100; i += 3) {
    Entry* e = db0().find("k" + std::to_string(i), tc);
    db0().set_expire(e, tc.now_ms + 1);
  }
  EXPECT_EQ(db0().expires_count(), 33u);
  TimeContext later{tc.now_ms + 1, true};
  size_t deleted = ks.active_expire_cycle(later.now_ms, std::chrono::milliseconds(100));
  EXPECT_EQ(deleted, 33u);
  EXPECT_EQ(db0().expires_count(), 0u);
  EXPECT_EQ(db0().size(), 33u);
}

TEST_F(DatabaseTest, ActiveExpiryCycle) {
  // 10,000 keys with a TTL, 90% of them expired: the adaptive cycle keeps going while more than
  // 10% of a sample is stale, so one generous cycle removes them all.
  for (int i = 0; i < 10000; ++i) {
    int64_t when = i % 10 == 0 ? tc.now_ms + 60000 : tc.now_ms + 10;
    ks.db(i % 3).set_string("k" + std::to_string(i), "v", when, tc);
  }
  for (int i = 0; i < 1000; ++i) ks.db(5).set_string("p" + std::to_string(i), "v", kPersist, tc);
  int64_t later = tc.now_ms + 10;
  size_t deleted = 0;
  for (int round = 0; round < 10 && deleted < 9000; ++round) {
    deleted += ks.active_expire_cycle(later, std::chrono::seconds(1));
  }
  EXPECT_GE(deleted, 9000u * 9 / 10);  // stops once the stale share is small
  EXPECT_EQ(observer.expired.size(), deleted);
  EXPECT_EQ(ks.total_keys(), 11000u - deleted);
  EXPECT_GT(ks.db(0).avg_ttl(), 0);
  EXPECT_EQ(ks.db(5).size(), 1000u);
  // A tiny budget bounds the work of one call.
  for (int i = 0; i < 100000; ++i) ks.db(7).set_string("t" + std::to_string(i), "v", later, tc);
  size_t small = ks.active_expire_cycle(later + 1, std::chrono::microseconds(1));
  EXPECT_LT(small, 100000u);
  EXPECT_GE(ks.expired_time_cap_reached_count(), 1u);
}

TEST_F(DatabaseTest, CollectExpiredListsWithoutDeleting) {
  // A Raft leader's sampling (replication.h): names of expired keys, each at most once per lap of
  // the cursor, and nothing deleted or reported.
  for (int i = 0; i < 50; ++i) {
    int64_t when = i % 5 == 0 ? tc.now_ms + 60000 : tc.now_ms + 10;
    db0().set_string("k" + std::to_string(i), "v", when, tc);
  }
  db0().set_string("forever", "v", kPersist, tc);
  std::vector<std::string> names;
  size_t seen = db0().collect_expired(tc.now_ms + 10, 30, &names);
  seen += db0().collect_expired(tc.now_ms + 10, 20, &names);
  EXPECT_EQ(seen, 50u);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  EXPECT_EQ(names.size(), 40u);
  for (const std::string& name : names) EXPECT_NE(std::stoi(name.substr(1)) % 5, 0) << name;
  EXPECT_EQ(db0().size(), 51u);
  EXPECT_TRUE(observer.expired.empty());
  // Before the TTLs run out nothing is listed; a sample never exceeds the keys with a TTL.
  names.clear();
  EXPECT_EQ(db0().collect_expired(tc.now_ms, 1000, &names), 50u);
  EXPECT_TRUE(names.empty());
}

TEST_F(DatabaseTest, RenameMoveSwap) {
  db0().set_string("a", "1", tc.now_ms + 500, tc);
  db0().set_string("b", "2", kPersist, tc);
  Entry* a = db0().find("a", tc);
  Entry* renamed = db0().rename(a, "b");
  EXPECT_EQ(renamed->key(), "b");
  EXPECT_EQ(renamed->expire_at(), tc.now_ms + 500);
  EXPECT_EQ(db0().size(), 1u);
  EXPECT_EQ(db0().expires_count(), 1u);

  Entry* moved = db0().detach("b");
  ks.db(3).attach(moved);
  EXPECT_EQ(db0().size(), 0u);
  EXPECT_EQ(ks.db(3).expires_count(), 1u);
  EXPECT_EQ(value_of(ks.db(3).find("b", tc)), "1");

  ks.swap(0, 3);
  EXPECT_EQ(db0().size(), 1u);
  EXPECT_EQ(ks.db(3).size(), 0u);
  EXPECT_NE(db0().find("b", tc), nullptr);
  EXPECT_EQ(db0().id(), 0);

  Entry* copy = Entry::clone(*db0().find("b", tc), "c", false);
  ks.db(1).attach(copy);
  EXPECT_EQ(value_of(ks.db(1).find("c", tc)), "1");
  ks.flush_all();
  EXPECT_EQ(ks.total_keys(), 0u);
}

TEST_F(DatabaseTest, FlushAsyncFreesInTheBackground) {
  for (int i = 0; i < 50000; ++i) {
    ks.db(i % 2).set_string("k" + std::to_string(i), std::string(100, 'x'),
                            i % 3 ? kPersist : tc.now_ms + 1000, tc);
  }
  ks.flush_async(0);
  EXPECT_EQ(ks.db(0).size(), 0u);
  EXPECT_EQ(ks.db(0).expires_count(), 0u);
  EXPECT_EQ(ks.db(1).size(), 25000u);
  ks.db(0).set_string("again", "v", kPersist, tc);  // the emptied database works at once
  ks.flush_async(-1);
  EXPECT_EQ(ks.total_keys(), 0u);
  ks.lazy_free().drain();
  EXPECT_EQ(ks.lazy_free().pending(), 0u);
  ks.flush_async(3);  // empty: nothing queued
  EXPECT_EQ(ks.lazy_free().pending(), 0u);
}

TEST_F(DatabaseTest, RandomEntrySkipsExpired) {
  uint64_t rng = 7;
  EXPECT_EQ(db0().random_entry(rng, tc), nullptr);
  for (int i = 0; i < 20; ++i) db0().set_string("e" + std::to_string(i), "v", tc.now_ms, tc);
  db0().set_string("live", "v", kPersist, tc);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(db0().random_entry(rng, tc)->key(), "live");
  // A follower cannot delete; with only expired keys it still terminates.
  ks.db(2).set_string("x", "v", tc.now_ms, tc);
  TimeContext follower{tc.now_ms, false};
  EXPECT_NE(ks.db(2).random_entry(rng, follower), nullptr);
}

TEST_F(DatabaseTest, ScanAllKeys) {
  for (int i = 0; i < 3000; ++i) db0().set_string("k" + std::to_string(i), "v", kPersist, tc);
  std::set<std::string> seen;
  uint64_t cursor = 0;
  do {
    cursor = db0().scan(cursor, [&](Entry* e) { seen.insert(std::string(e->key())); });
  } while (cursor != 0);
  EXPECT_EQ(seen.size(), 3000u);
}

TEST_F(DatabaseTest, LruAndLfu) {
  Entry* e = db0().set_string("k", "v", kPersist, tc);
  EXPECT_EQ(ks.idle_ms(*e, tc.now_ms + 5000), 5000u);
  db0().find("k", TimeContext{tc.now_ms + 5000, true});
  EXPECT_EQ(ks.idle_ms(*e, tc.now_ms + 5000), 0u);
  db0().find("k", TimeContext{tc.now_ms + 9000, true}, kLookupNoTouch);
  EXPECT_EQ(ks.idle_ms(*e, tc.now_ms + 9000), 4000u);

  ks.set_lfu(true);
  Entry* f = db0().set_string("f", "v", kPersist, tc);
  EXPECT_EQ(ks.lfu_frequency(*f, tc.now_ms), Keyspace::kLfuInitVal);
  for (int i = 0; i < 1000; ++i) db0().find("f", tc);
  uint32_t freq = ks.lfu_frequency(*db0().find("f", tc, kLookupNoTouch), tc.now_ms);
  EXPECT_GT(freq, Keyspace::kLfuInitVal);
  EXPECT_LT(freq, 255u);
  // One point of decay per minute (lfu-decay-time 1).
  EXPECT_EQ(ks.lfu_frequency(*db0().find("f", tc, kLookupNoTouch), tc.now_ms + 3 * 60000),
            freq - 3);
}

// Memory per key for 1,000,000 keys with 16-byte names and 16-byte values (the benchmark's
// shape). Measured with the test binary's allocator (glibc here; the server links jemalloc,
// whose 48-byte size class fits a 47-byte entry exactly, where glibc spends 64 bytes).
TEST_F(DatabaseTest, MemoryPerKey) {
  constexpr int kKeys = 1000000;
  size_t before = mallinfo2().uordblks;
  char key[32];
  std::string value(16, 'v');
  size_t blocks = 0;
  for (int i = 0; i < kKeys; ++i) {
    snprintf(key, sizeof(key), "key:%012d", i);
    Entry* e = ks.db(9).set_string(key, value, kPersist, tc);
    if (i == 0) blocks = e->block_size();
  }
  size_t after = mallinfo2().uordblks;
  double per_key = static_cast<double>(after - before) / kKeys;
  double buckets = static_cast<double>(ks.db(9).bucket_count()) * 8 / kKeys;
  printf(
      "[memory] %d keys: %.1f bytes/key from the allocator (entry block %zu bytes, "
      "bucket array %.1f bytes/key); Redis 7 uses ~100\n",
      kKeys, per_key, blocks, buckets);
  EXPECT_EQ(blocks, 47u);
  EXPECT_LT(per_key, 100.0);
}

}  // namespace
}  // namespace zakros::store
