// Transactions registry: WATCH bookkeeping and the Redis 7.0 rules for touching watched keys
// (modification, FLUSHDB/FLUSHALL, SWAPDB, expiry, keys already expired at WATCH time).
#include "server/session/transactions.h"

#include <gtest/gtest.h>

#include <memory>

#include "server/net/client.h"
#include "server/server.h"
#include "store/keyspace.h"

namespace zakros::server {
namespace {

constexpr int64_t kNow = 1'000'000;

class TransactionsTest : public ::testing::Test {
 protected:
  TransactionsTest() : server_(Config{}), keyspace_(16), tx_(keyspace_) {}

  std::shared_ptr<Client> make_client() {
    return std::make_shared<Client>(server_, asio::ip::tcp::socket(server_.io()), next_id_++);
  }
  // Stores `key` in `db`; expire_at 0 = no TTL. Nothing is deleted on the way (as a follower).
  void set(int db, std::string_view key, int64_t expire_at = 0) {
    store::TimeContext tc{kNow, false};
    keyspace_.db(db).set_string(key, "v", expire_at == 0 ? store::kPersist : expire_at, tc);
  }
  void erase(int db, std::string_view key) { keyspace_.db(db).erase(key); }
  // What FLUSHDB, FLUSHALL and SWAPDB do: change the data, then report it.
  void flush(int db) {
    keyspace_.db(db).clear();
    tx_.touch_db(db, kNow);
  }
  void flush_all() {
    keyspace_.flush_all();
    tx_.touch_db(-1, kNow);
  }
  void swap(int a, int b) {
    keyspace_.swap(a, b);
    tx_.touch_db(a, kNow);
    tx_.touch_db(b, kNow);
  }

  Server server_;
  store::Keyspace keyspace_;
  Transactions tx_;
  uint64_t next_id_ = 2000;
};

TEST_F(TransactionsTest, WatchIsPerDbAndDeduplicated) {
  auto a = make_client();
  tx_.watch(*a, 0, "x", kNow);
  tx_.watch(*a, 0, "x", kNow);
  tx_.watch(*a, 5, "x", kNow);
  EXPECT_EQ(a->watched_keys.size(), 2u);
  EXPECT_EQ(tx_.watched_key_count(), 2u);
  // A change in another database does not concern the watch of db 0.
  tx_.touch(1, "x");
  EXPECT_FALSE(a->watch_dirty);
  tx_.touch(5, "x");
  EXPECT_TRUE(a->watch_dirty);
  // A dirty client stops watching everything.
  EXPECT_EQ(a->watched_keys.size(), 0u);
  EXPECT_EQ(tx_.watched_key_count(), 0u);
}

TEST_F(TransactionsTest, TouchFlagsEveryWatcher) {
  auto a = make_client();
  auto b = make_client();
  auto c = make_client();
  tx_.watch(*a, 0, "k", kNow);
  tx_.watch(*b, 0, "k", kNow);
  tx_.watch(*c, 0, "other", kNow);
  EXPECT_EQ(tx_.watchers(0, "k"), 2u);
  tx_.touch(0, "k");
  EXPECT_TRUE(a->watch_dirty);
  EXPECT_TRUE(b->watch_dirty);
  EXPECT_FALSE(c->watch_dirty);
  EXPECT_EQ(tx_.watchers(0, "k"), 0u);
  tx_.unwatch_all(*c);
  EXPECT_EQ(tx_.watched_key_count(), 0u);
}

TEST_F(TransactionsTest, UnwatchAllReleasesSharedKeys) {
  auto a = make_client();
  auto b = make_client();
  tx_.watch(*a, 0, "k", kNow);
  tx_.watch(*b, 0, "k", kNow);
  tx_.unwatch_all(*a);
  EXPECT_EQ(tx_.watchers(0, "k"), 1u);
  tx_.touch(0, "k");
  EXPECT_FALSE(a->watch_dirty);
  EXPECT_TRUE(b->watch_dirty);
}

TEST_F(TransactionsTest, FlushTouchesOnlyStoredKeys) {
  auto a = make_client();
  auto b = make_client();
  set(0, "x");
  tx_.watch(*a, 0, "x", kNow);
  tx_.watch(*b, 0, "missing", kNow);
  flush(0);
  EXPECT_TRUE(a->watch_dirty);
  EXPECT_FALSE(b->watch_dirty);
}

TEST_F(TransactionsTest, FlushAllCoversEveryDb) {
  auto a = make_client();
  set(3, "x");
  tx_.watch(*a, 3, "x", kNow);
  flush_all();
  EXPECT_TRUE(a->watch_dirty);
}

TEST_F(TransactionsTest, StaleKeyAtWatchTime) {
  // Watched while already expired: deleting it is no logical change...
  auto a = make_client();
  set(0, "x", kNow - 1);
  tx_.watch(*a, 0, "x", kNow);
  EXPECT_FALSE(tx_.watched_key_expired(*a, kNow + 10));
  erase(0, "x");
  tx_.touch(0, "x");
  EXPECT_FALSE(a->watch_dirty);
  // ...but once deleted it is an ordinary absent key: creating it is a change.
  set(0, "x");
  tx_.touch(0, "x");
  EXPECT_TRUE(a->watch_dirty);
}

TEST_F(TransactionsTest, FlushWithStaleKeyIsNoChange) {
  auto a = make_client();
  set(0, "x", kNow - 1);
  tx_.watch(*a, 0, "x", kNow);
  flush(0);
  EXPECT_FALSE(a->watch_dirty);
  // The flush deleted it: creating it now is a change.
  set(0, "x");
  tx_.touch(0, "x");
  EXPECT_TRUE(a->watch_dirty);
}

TEST_F(TransactionsTest, FlushRecordFollowsDeletes) {
  // Watched while stored, deleted by a command that dirties the watcher; a second watcher that
  // WATCHes after the delete must not be dirtied by a later flush of the now absent key.
  auto a = make_client();
  auto b = make_client();
  set(0, "x");
  tx_.watch(*a, 0, "x", kNow);
  erase(0, "x");
  tx_.touch(0, "x");
  EXPECT_TRUE(a->watch_dirty);
  tx_.watch(*b, 0, "x", kNow);
  flush(0);
  EXPECT_FALSE(b->watch_dirty);
}

TEST_F(TransactionsTest, RepeatedSwapsTrackPresence) {
  // y only in db 1; a client watches y in db 0 (absent). A swap creates it for the client.
  auto a = make_client();
  set(1, "y");
  tx_.watch(*a, 0, "y", kNow);
  swap(0, 1);
  EXPECT_TRUE(a->watch_dirty);
}

TEST_F(TransactionsTest, KeyExpiringAfterWatchFailsExec) {
  auto a = make_client();
  set(0, "x", kNow + 100);
  tx_.watch(*a, 0, "x", kNow);
  EXPECT_FALSE(tx_.watched_key_expired(*a, kNow + 50));
  EXPECT_TRUE(tx_.watched_key_expired(*a, kNow + 100));
  // The expiry deletion itself (lazy or active) touches the key: a live watcher gets dirty.
  erase(0, "x");
  tx_.touch(0, "x");
  EXPECT_TRUE(a->watch_dirty);
}

TEST_F(TransactionsTest, SwapdbTouchesKeysOfEitherSide) {
  auto a = make_client();
  auto b = make_client();
  auto c = make_client();
  set(0, "x");
  set(1, "y");
  tx_.watch(*a, 0, "x", kNow);  // exists, will be replaced by nothing
  tx_.watch(*b, 0, "y", kNow);  // missing, will be created by the swap
  tx_.watch(*c, 0, "z", kNow);  // missing on both sides
  swap(0, 1);
  EXPECT_TRUE(a->watch_dirty);
  EXPECT_TRUE(b->watch_dirty);
  EXPECT_FALSE(c->watch_dirty);
}

TEST_F(TransactionsTest, SwapdbStaleRules) {
  auto a = make_client();
  auto b = make_client();
  auto c = make_client();
  // a: stale key replaced with no key.
  set(1, "s1", kNow - 1);
  tx_.watch(*a, 1, "s1", kNow);
  // b: no key replaced with a stale key.
  set(0, "s2", kNow - 1);
  tx_.watch(*b, 1, "s2", kNow);
  // c: stale key replaced with another stale key.
  set(1, "s3", kNow - 1);
  set(0, "s3", kNow - 1);
  tx_.watch(*c, 1, "s3", kNow);
  swap(0, 1);
  EXPECT_FALSE(a->watch_dirty);
  EXPECT_FALSE(b->watch_dirty);
  EXPECT_FALSE(c->watch_dirty);
}

TEST_F(TransactionsTest, DiscardClearsMultiState) {
  auto a = make_client();
  a->in_multi = true;
  a->multi_dirty = true;
  a->watch_dirty = true;
  a->multi_queue.push_back(QueuedCommand{{"set", "a", "b"}, nullptr, nullptr});
  Transactions::discard(*a);
  EXPECT_FALSE(a->in_multi);
  EXPECT_FALSE(a->multi_dirty);
  EXPECT_FALSE(a->watch_dirty);
  EXPECT_TRUE(a->multi_queue.empty());
}

}  // namespace
}  // namespace zakros::server
