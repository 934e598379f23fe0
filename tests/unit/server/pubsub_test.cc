// PubSub registry: subscribe/unsubscribe bookkeeping on both sides (server maps and the
// client's sets), pattern matching, delivery formats (RESP2 arrays, RESP3 pushes) and counts.
#include "server/session/pubsub.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "resp/reply_writer.h"
#include "server/net/client.h"
#include "server/server.h"

namespace zakros::server {
namespace {

class PubSubTest : public ::testing::Test {
 protected:
  PubSubTest() : server_(Config{}) {}

  // A client with no connection: delivery only appends to its output buffer.
  std::shared_ptr<Client> make_client() {
    return std::make_shared<Client>(server_, asio::ip::tcp::socket(server_.io()), next_id_++);
  }
  static std::string take_output(Client& client) {
    std::string out = *client.out().buffer();
    client.out().buffer()->clear();
    return out;
  }

  Server server_;
  PubSub pubsub_;
  uint64_t next_id_ = 1000;
};

TEST_F(PubSubTest, SubscribeIsIdempotentAndTwoSided) {
  auto a = make_client();
  EXPECT_TRUE(pubsub_.subscribe(*a, "chan"));
  EXPECT_FALSE(pubsub_.subscribe(*a, "chan"));
  EXPECT_EQ(a->channels.size(), 1u);
  EXPECT_EQ(pubsub_.channel_count(), 1u);
  EXPECT_EQ(pubsub_.subscribers("chan"), 1u);
  EXPECT_TRUE(pubsub_.unsubscribe(*a, "chan"));
  EXPECT_FALSE(pubsub_.unsubscribe(*a, "chan"));
  // The server-side entry goes with its last subscriber.
  EXPECT_EQ(pubsub_.channel_count(), 0u);
  EXPECT_EQ(pubsub_.subscribers("chan"), 0u);
}

TEST_F(PubSubTest, CountsFollowRedis) {
  auto a = make_client();
  pubsub_.subscribe(*a, "c1");
  pubsub_.psubscribe(*a, "p*");
  pubsub_.ssubscribe(*a, "s1");
  pubsub_.ssubscribe(*a, "s2");
  // (P)SUBSCRIBE confirmations count channels + patterns; SSUBSCRIBE counts shard channels.
  EXPECT_EQ(PubSub::client_count(*a), 2u);
  EXPECT_EQ(PubSub::client_shard_count(*a), 2u);
  EXPECT_EQ(a->subscription_count(), 4u);
}

TEST_F(PubSubTest, NumpatCountsUniquePatterns) {
  auto a = make_client();
  auto b = make_client();
  pubsub_.psubscribe(*a, "foo*");
  pubsub_.psubscribe(*b, "foo*");
  pubsub_.psubscribe(*a, "bar*");
  pubsub_.psubscribe(*b, "baz*");
  EXPECT_EQ(pubsub_.pattern_count(), 3u);
  pubsub_.unsubscribe_all(*a);
  pubsub_.unsubscribe_all(*b);
  EXPECT_EQ(pubsub_.pattern_count(), 0u);
}

TEST_F(PubSubTest, PublishDeliversMessagesAndPatternMessages) {
  auto a = make_client();
  auto b = make_client();
  pubsub_.subscribe(*a, "foo.bar");
  pubsub_.psubscribe(*a, "foo.*");
  pubsub_.psubscribe(*b, "f?o.[ab]ar");
  pubsub_.psubscribe(*b, "qux.*");
  // a: the channel and one pattern; b: one pattern.
  EXPECT_EQ(pubsub_.publish("foo.bar", "hello"), 3u);
  EXPECT_EQ(take_output(*a),
            "*3\r\n$7\r\nmessage\r\n$7\r\nfoo.bar\r\n$5\r\nhello\r\n"
            "*4\r\n$8\r\npmessage\r\n$5\r\nfoo.*\r\n$7\r\nfoo.bar\r\n$5\r\nhello\r\n");
  EXPECT_EQ(take_output(*b),
            "*4\r\n$8\r\npmessage\r\n$10\r\nf?o.[ab]ar\r\n$7\r\nfoo.bar\r\n$5\r\nhello\r\n");
  EXPECT_EQ(pubsub_.publish("nobody", "x"), 0u);
  EXPECT_EQ(pubsub_.publish("foo1", "x"), 0u);
  pubsub_.unsubscribe_all(*a);
  pubsub_.unsubscribe_all(*b);
}

TEST_F(PubSubTest, Resp3ClientsGetPushMessages) {
  auto a = make_client();
  a->set_protocol(3);
  pubsub_.subscribe(*a, "ch");
  EXPECT_EQ(pubsub_.publish("ch", "m"), 1u);
  EXPECT_EQ(take_output(*a), ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nm\r\n");
  pubsub_.unsubscribe_all(*a);
}

TEST_F(PubSubTest, ShardChannelsAreSeparate) {
  auto a = make_client();
  auto b = make_client();
  pubsub_.ssubscribe(*a, "chan1");
  pubsub_.subscribe(*b, "chan1");
  pubsub_.psubscribe(*b, "*");
  // SPUBLISH ignores plain channels and patterns; PUBLISH ignores shard channels.
  EXPECT_EQ(pubsub_.spublish("chan1", "hi"), 1u);
  EXPECT_EQ(take_output(*a), "*3\r\n$8\r\nsmessage\r\n$5\r\nchan1\r\n$2\r\nhi\r\n");
  EXPECT_EQ(take_output(*b), "");
  EXPECT_EQ(pubsub_.publish("chan1", "hi"), 2u);
  EXPECT_EQ(take_output(*a), "");
  EXPECT_EQ(pubsub_.shard_subscribers("chan1"), 1u);
  EXPECT_EQ(pubsub_.subscribers("chan1"), 1u);
  EXPECT_TRUE(pubsub_.sunsubscribe(*a, "chan1"));
  EXPECT_EQ(pubsub_.shard_channel_count(), 0u);
  pubsub_.unsubscribe_all(*b);
}

TEST_F(PubSubTest, EmptyChannelMatchesOnlyEmptyPattern) {
  // Redis's stringmatchlen("*", "") is 0: a "*" subscriber does not get messages on "".
  auto a = make_client();
  pubsub_.psubscribe(*a, "*");
  EXPECT_EQ(pubsub_.publish("", "x"), 0u);
  pubsub_.psubscribe(*a, "");
  EXPECT_EQ(pubsub_.publish("", "x"), 1u);
  pubsub_.unsubscribe_all(*a);
}

TEST_F(PubSubTest, UnsubscribeAllClearsEverything) {
  auto a = make_client();
  auto b = make_client();
  pubsub_.subscribe(*a, "x");
  pubsub_.subscribe(*b, "x");
  pubsub_.psubscribe(*a, "x*");
  pubsub_.ssubscribe(*a, "s");
  pubsub_.unsubscribe_all(*a);
  EXPECT_EQ(a->subscription_count(), 0u);
  EXPECT_EQ(pubsub_.subscribers("x"), 1u);
  EXPECT_EQ(pubsub_.pattern_count(), 0u);
  EXPECT_EQ(pubsub_.shard_channel_count(), 0u);
  EXPECT_EQ(pubsub_.publish("x", "m"), 1u);
  pubsub_.unsubscribe_all(*b);
}

TEST(SubscriptionReply, Resp2AndResp3Forms) {
  std::string buf;
  resp::ReplyWriter out(&buf, 2);
  std::string name = "ch";
  write_subscription_reply(out, "subscribe", &name, 1);
  write_subscription_reply(out, "unsubscribe", nullptr, 0);
  EXPECT_EQ(buf,
            "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
            "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
  buf.clear();
  out.set_protocol(3);
  write_subscription_reply(out, "punsubscribe", nullptr, 0);
  EXPECT_EQ(buf, ">3\r\n$12\r\npunsubscribe\r\n_\r\n:0\r\n");
}

}  // namespace
}  // namespace zakros::server
