// store/digest.h against figures from Debian's redis-server 7.0.15: the same values built with
// the store's own types must give DEBUG DIGEST-VALUE's and DEBUG DIGEST's 40 hex digits. The
// commands Redis ran are in each comment; tests/integration/test_digest.py compares many more
// shapes against a live redis-server.
#include "store/digest.h"

#include <gtest/gtest.h>

#include <memory>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/hash_object.h"
#include "store/keyspace.h"
#include "store/list_object.h"
#include "store/set_object.h"
#include "store/stream.h"
#include "store/zset_object.h"

namespace zakros::store {
namespace {

constexpr std::string_view kZeros = "0000000000000000000000000000000000000000";

class DigestTest : public ::testing::Test {
 protected:
  Database& db(int i = 0) { return keyspace_.db(i); }
  std::string value(std::string_view key, int i = 0) {
    const Entry* e = db(i).find_raw(key);
    return e == nullptr ? std::string(kZeros) : digest_hex(value_digest(*e));
  }
  std::string dataset() { return digest_hex(dataset_digest(keyspace_)); }

  // The dataset of the figures below, in database 0.
  void build() {
    db().set_string("k", "hello", kPersist, tc_);  // SET k hello
    auto list = ListObject::create(limits_);       // RPUSH l a b 7
    for (const char* v : {"a", "b", "7"}) list->push_back(v);
    db().set_object("l", std::move(list), kPersist, tc_);
    auto set = SetObject::create_for("1");  // SADD s 1 2 x
    for (const char* m : {"1", "2", "x"}) set->add(m, limits_);
    db().set_object("s", std::move(set), kPersist, tc_);
    auto zset = ZsetObject::create_for(1, limits_);  // ZADD z 1.5 a 0.1 b
    zset->add("a", 1.5, 0, limits_);
    zset->add("b", 0.1, 0, limits_);
    db().set_object("z", std::move(zset), kPersist, tc_);
    auto hash = HashObject::create();  // HSET h f v n 12
    hash->set("f", "v", limits_);
    hash->set("n", "12", limits_);
    db().set_object("h", std::move(hash), kPersist, tc_);
    auto stream = std::make_unique<StreamObject>();  // XADD x 1-1 f v; XADD x 2-5 f w g 3
    StreamID id{1, 1}, added;
    std::vector<std::string_view> first{"f", "v"}, second{"f", "w", "g", "3"};
    ASSERT_EQ(stream->add(first, &id, true, 0, limits_, &added), StreamObject::AddResult::kOk);
    id = {2, 5};
    ASSERT_EQ(stream->add(second, &id, true, 0, limits_, &added), StreamObject::AddResult::kOk);
    db().set_object("x", std::move(stream), kPersist, tc_);
    db().set_string("t", "v", 4102444800000, tc_);  // SET t v PXAT 4102444800000
    db().set_string("i", "12345", kPersist, tc_);   // SET i 12345 (an "int")
  }

  Keyspace keyspace_;
  EncodingLimits limits_;
  TimeContext tc_{0, false};
};

TEST_F(DigestTest, EmptyIsZeros) {
  EXPECT_EQ(dataset(), kZeros);
  EXPECT_EQ(value("missing"), kZeros);
}

TEST_F(DigestTest, ValuesMatchRedis) {
  build();
  EXPECT_EQ(value("k"), "36b23a1456b2dce2c3ed252c456761301dba8060");
  EXPECT_EQ(value("l"), "0f7e0c22324402ffb83715eb3be2870ba4e186e2");
  EXPECT_EQ(value("s"), "4c6eef6b7853d1b76391c849d71b0d35d3faf18f");
  EXPECT_EQ(value("z"), "09248147a8d667e310816b5412a4796dae07d20c");
  EXPECT_EQ(value("h"), "76d7ce7d8cb69c65ddb54b94589fa9396351461b");
  EXPECT_EQ(value("x"), "68a339bfd08f7ec18f85685e39aab3159d8d12cc");
  EXPECT_EQ(value("t"), "311b17018163335616e089f6b951c82c477335ac");
  EXPECT_EQ(value("i"), "e1cf90774e995ae03de66e8109dc5cb9d9c2dc83");
}

TEST_F(DigestTest, DatasetMatchesRedisAndMixesTheDatabaseNumber) {
  build();
  EXPECT_EQ(dataset(), "9338813091fbd96677f29839c96c275751217050");
  db(3).set_string("k", "hello", kPersist, tc_);  // SELECT 3; SET k hello
  EXPECT_EQ(dataset(), "638a0c76033ec41e623b335b178b7862a8718fa9");
}

TEST_F(DigestTest, EncodingDoesNotMatterButOrderAndTtlDo) {
  auto small = HashObject::create();
  small->set("f", "v", limits_);
  auto big = HashObject::create_hashtable();
  big->set("f", "v", limits_);
  db().set_object("small", std::move(small), kPersist, tc_);
  db().set_object("big", std::move(big), kPersist, tc_);
  EXPECT_EQ(value("small"), value("big"));

  auto ab = ListObject::create(limits_);
  ab->push_back("a");
  ab->push_back("b");
  auto ba = ListObject::create(limits_);
  ba->push_back("b");
  ba->push_back("a");
  db().set_object("ab", std::move(ab), kPersist, tc_);
  db().set_object("ba", std::move(ba), kPersist, tc_);
  EXPECT_NE(value("ab"), value("ba"));

  db().set_string("ttl", "v", 5000, tc_);
  db().set_string("other-ttl", "v", 9000, tc_);
  db().set_string("no-ttl", "v", kPersist, tc_);
  EXPECT_EQ(value("ttl"), value("other-ttl"));  // only the presence of a TTL counts
  EXPECT_NE(value("ttl"), value("no-ttl"));
}

}  // namespace
}  // namespace zakros::store
