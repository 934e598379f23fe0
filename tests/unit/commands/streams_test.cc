// Stream commands in process: replies compared byte for byte with what redis-server 7.0.15
// sends for the same commands (taken from a real server), notifications, blocking requests.
#include <gtest/gtest.h>

#include <string>

#include "command_fixture.h"

namespace zakros::commands {
namespace {

class StreamsTest : public CommandTest {
 protected:
  static std::string Entry(std::string_view id, std::initializer_list<std::string_view> fv) {
    std::string out = "*2\r\n" + Bulk(id) + "*" + std::to_string(fv.size()) + "\r\n";
    for (std::string_view s : fv) out += Bulk(s);
    return out;
  }
};

TEST_F(StreamsTest, XaddIdsAndErrors) {
  EXPECT_EQ(Run({"xadd", "s", "1-1", "a", "1"}), Bulk("1-1"));
  EXPECT_EQ(Run({"xadd", "s", "1-*", "a", "2"}), Bulk("1-2"));
  EXPECT_EQ(Run({"xadd", "s", "*", "a", "3"}), Bulk("1700000000000-0"));
  EXPECT_EQ(Run({"xadd", "s", "1-1", "a", "1"}),
            Err("ERR The ID specified in XADD is equal or smaller than the target stream top "
                "item"));
  EXPECT_EQ(Run({"xadd", "s", "0-0", "a", "1"}),
            Err("ERR The ID specified in XADD must be greater than 0-0"));
  EXPECT_EQ(Run({"xadd", "s", "10-1", "a"}),
            Err("ERR wrong number of arguments for 'xadd' command"));
  EXPECT_EQ(Run({"xadd", "s", "x-1", "a", "1"}),
            Err("ERR Invalid stream ID specified as stream command argument"));
  EXPECT_EQ(Run({"xadd", "n", "nomkstream", "*", "a", "1"}), std::string(kNil));
  EXPECT_EQ(Run({"exists", "n"}), Int(0));
  EXPECT_EQ(Run({"xlen", "s"}), Int(3));
  EXPECT_EQ(Run({"type", "s"}), "+stream\r\n");
  EXPECT_EQ(Run({"object", "encoding", "s"}), Bulk("stream"));
  Run({"set", "str", "x"});
  EXPECT_EQ(Run({"xadd", "str", "*", "a", "1"}),
            Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
}

TEST_F(StreamsTest, XaddNotifications) {
  events.clear();
  Run({"xadd", "s", "maxlen", "1", "1-1", "a", "1"});
  Run({"xadd", "s", "maxlen", "1", "2-1", "a", "1"});
  std::vector<std::string> expected = {"n new s 0", "t xadd s 0", "t xadd s 0", "t xtrim s 0"};
  EXPECT_EQ(events.events, expected);
}

TEST_F(StreamsTest, RangesAndCount) {
  Run({"xadd", "s", "1-1", "a", "1"});
  Run({"xadd", "s", "1-2", "b", "2"});
  Run({"xadd", "s", "5-0", "c", "3"});
  EXPECT_EQ(
      Run({"xrange", "s", "-", "+"}),
      "*3\r\n" + Entry("1-1", {"a", "1"}) + Entry("1-2", {"b", "2"}) + Entry("5-0", {"c", "3"}));
  EXPECT_EQ(Run({"xrange", "s", "(1-1", "(5-0"}), "*1\r\n" + Entry("1-2", {"b", "2"}));
  EXPECT_EQ(Run({"xrevrange", "s", "+", "-", "count", "1"}), "*1\r\n" + Entry("5-0", {"c", "3"}));
  EXPECT_EQ(Run({"xrange", "s", "-", "+", "count", "0"}), "*-1\r\n");
  EXPECT_EQ(Run({"xrange", "s", "-", "(0-0"}), Err("ERR invalid end ID for the interval"));
  EXPECT_EQ(Run({"xrange", "nokey", "-", "+"}), "*0\r\n");
  EXPECT_EQ(Run({"xrange", "s", "1", "1"}),
            "*2\r\n" + Entry("1-1", {"a", "1"}) + Entry("1-2", {"b", "2"}));
}

TEST_F(StreamsTest, XdelXtrimXsetid) {
  for (int i = 1; i <= 5; ++i) Run({"xadd", "s", std::to_string(i) + "-0", "f", "v"});
  EXPECT_EQ(Run({"xdel", "s", "1-0", "9-0"}), Int(1));
  EXPECT_EQ(Run({"xtrim", "s", "maxlen", "2"}), Int(2));
  EXPECT_EQ(Run({"xlen", "s"}), Int(2));
  EXPECT_EQ(Run({"xtrim", "s", "limit", "10", "maxlen", "1"}),
            Err("ERR syntax error, LIMIT cannot be used without the special ~ option"));
  EXPECT_EQ(Run({"xtrim", "s", "foo", "1"}), Err("ERR syntax error"));
  EXPECT_EQ(Run({"xsetid", "s", "1-0"}),
            Err("ERR The ID specified in XSETID is smaller than the target stream top item"));
  EXPECT_EQ(Run({"xsetid", "s", "100-0", "entriesadded", "9", "maxdeletedid", "50-0"}), kOk);
  EXPECT_EQ(Run({"xsetid", "nokey", "1-0"}), Err("ERR no such key"));
}

TEST_F(StreamsTest, GroupsReadAckPending) {
  Run({"xadd", "s", "1-0", "a", "1"});
  Run({"xadd", "s", "2-0", "b", "2"});
  EXPECT_EQ(Run({"xgroup", "create", "s", "g", "0"}), kOk);
  EXPECT_EQ(Run({"xgroup", "create", "s", "g", "0"}),
            Err("BUSYGROUP Consumer Group name already exists"));
  EXPECT_EQ(Run({"xgroup", "create", "nokey", "g", "0"}),
            Err("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you "
                "may want to use the MKSTREAM option to create an empty stream automatically."));
  EXPECT_EQ(Run({"xreadgroup", "group", "g", "alice", "count", "1", "streams", "s", ">"}),
            "*1\r\n*2\r\n" + Bulk("s") + "*1\r\n" + Entry("1-0", {"a", "1"}));
  EXPECT_EQ(Run({"xpending", "s", "g"}), "*4\r\n:1\r\n" + Bulk("1-0") + Bulk("1-0") +
                                             "*1\r\n*2\r\n" + Bulk("alice") + Bulk("1"));
  now_ms += 50;
  EXPECT_EQ(Run({"xpending", "s", "g", "-", "+", "10"}),
            "*1\r\n*4\r\n" + Bulk("1-0") + Bulk("alice") + ":50\r\n:1\r\n");
  EXPECT_EQ(Run({"xclaim", "s", "g", "bob", "0", "1-0", "justid"}), "*1\r\n" + Bulk("1-0"));
  EXPECT_EQ(Run({"xack", "s", "g", "1-0", "1-0"}), Int(1));
  EXPECT_EQ(Run({"xpending", "s", "g"}), "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
  EXPECT_EQ(Run({"xreadgroup", "group", "nog", "a", "streams", "s", ">"}),
            Err("NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP "
                "option"));
  EXPECT_EQ(Run({"xgroup", "destroy", "s", "g"}), Int(1));
  EXPECT_EQ(Run({"xgroup", "destroy", "s", "g"}), Int(0));
}

TEST_F(StreamsTest, XautoclaimReply) {
  Run({"xadd", "s", "1-0", "a", "1"});
  Run({"xadd", "s", "2-0", "b", "2"});
  Run({"xgroup", "create", "s", "g", "0"});
  Run({"xreadgroup", "group", "g", "alice", "streams", "s", ">"});
  Run({"xdel", "s", "2-0"});
  EXPECT_EQ(Run({"xautoclaim", "s", "g", "bob", "0", "0"}),
            "*3\r\n" + Bulk("0-0") + "*1\r\n" + Entry("1-0", {"a", "1"}) + "*1\r\n" + Bulk("2-0"));
}

TEST_F(StreamsTest, XreadNonBlockingAndBlockOutsideClient) {
  EXPECT_EQ(Run({"xread", "streams", "s", "0"}), "*-1\r\n");
  Run({"xadd", "s", "1-0", "a", "1"});
  EXPECT_EQ(Run({"xread", "streams", "s", "0"}),
            "*1\r\n*2\r\n" + Bulk("s") + "*1\r\n" + Entry("1-0", {"a", "1"}));
  // No BlockRequest in the fixture (as inside MULTI): the timeout reply at once.
  EXPECT_EQ(Run({"xread", "block", "0", "streams", "s", "$"}), "*-1\r\n");
  EXPECT_EQ(Run({"xread", "streams", "s", "t", "0"}),
            Err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
                "specified."));
}

TEST_F(StreamsTest, XinfoStream) {
  Run({"xadd", "s", "1-0", "a", "1"});
  EXPECT_EQ(Run({"xinfo", "stream", "s"}),
            "*20\r\n" + Bulk("length") + ":1\r\n" + Bulk("radix-tree-keys") + ":1\r\n" +
                Bulk("radix-tree-nodes") + ":2\r\n" + Bulk("last-generated-id") + Bulk("1-0") +
                Bulk("max-deleted-entry-id") + Bulk("0-0") + Bulk("entries-added") + ":1\r\n" +
                Bulk("recorded-first-entry-id") + Bulk("1-0") + Bulk("groups") + ":0\r\n" +
                Bulk("first-entry") + Entry("1-0", {"a", "1"}) + Bulk("last-entry") +
                Entry("1-0", {"a", "1"}));
  EXPECT_EQ(Run({"xinfo", "stream", "s", "foo"}),
            Err("ERR unknown subcommand or wrong number of arguments for 'stream'. Try XINFO "
                "HELP."));
}

}  // namespace
}  // namespace zakros::commands
