// Set commands against Redis 7.0's replies (checked with redis-server 7.0.15).
#include <string>
#include <vector>

#include "command_fixture.h"
#include "commands/errors.h"

namespace zakros::commands {
namespace {

class SetsTest : public CommandTest {
 protected:
  std::string Encoding(std::string_view key) { return Run({"object", "encoding", key}); }
};

TEST_F(SetsTest, AddRemCardMembers) {
  EXPECT_EQ(Run({"sadd", "s", "3", "1", "2", "1"}), Int(3));
  EXPECT_EQ(Encoding("s"), Bulk("intset"));
  EXPECT_EQ(Run({"smembers", "s"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(Run({"sadd", "s", "a"}), Int(1));
  EXPECT_EQ(Encoding("s"), Bulk("hashtable"));
  EXPECT_EQ(Run({"scard", "s"}), Int(4));
  EXPECT_EQ(Run({"scard", "nokey"}), Int(0));
  EXPECT_EQ(Run({"sismember", "s", "a"}), Int(1));
  EXPECT_EQ(Run({"sismember", "s", "b"}), Int(0));
  EXPECT_EQ(Run({"sismember", "nokey", "b"}), Int(0));
  EXPECT_EQ(Run({"smismember", "s", "a", "b", "1"}), "*3\r\n:1\r\n:0\r\n:1\r\n");
  EXPECT_EQ(Run({"smismember", "nokey", "a", "b"}), "*2\r\n:0\r\n:0\r\n");
  EXPECT_EQ(Run({"smembers", "nokey"}), "*0\r\n");
  events.clear();
  EXPECT_EQ(Run({"srem", "s", "a", "zz"}), Int(1));
  EXPECT_EQ(Run({"srem", "s", "zz"}), Int(0));
  EXPECT_EQ(Run({"srem", "s", "1", "2", "3", "4"}), Int(3));
  EXPECT_EQ(Run({"exists", "s"}), Int(0));
  EXPECT_EQ(events.events, (std::vector<std::string>{"s srem s 0", "s srem s 0", "g del s 0"}));
  EXPECT_EQ(Run({"srem", "nokey", "a"}), Int(0));
  EXPECT_EQ(Run({"sadd", "t", "x"}), Int(1));
  EXPECT_EQ(Encoding("t"), Bulk("hashtable"));
}

TEST_F(SetsTest, IntsetLimit) {
  store::EncodingLimits l;
  l.set_max_intset_entries = 3;
  keyspace.set_limits(l);
  Run({"sadd", "s", "1", "2", "3"});
  EXPECT_EQ(Encoding("s"), Bulk("intset"));
  Run({"sadd", "s", "4"});
  EXPECT_EQ(Encoding("s"), Bulk("hashtable"));
}

TEST_F(SetsTest, WrongTypeAndErrors) {
  Run({"set", "str", "x"});
  Run({"sadd", "s", "1"});
  for (auto cmd : std::vector<std::vector<std::string_view>>{{"sadd", "str", "a"},
                                                             {"srem", "str", "a"},
                                                             {"scard", "str"},
                                                             {"sismember", "str", "a"},
                                                             {"smismember", "str", "a"},
                                                             {"smembers", "str"},
                                                             {"spop", "str"},
                                                             {"srandmember", "str"},
                                                             {"sinter", "nokey", "str"},
                                                             {"sunion", "nokey", "str"},
                                                             {"sdiff", "s", "str"},
                                                             {"sinterstore", "d", "s", "str"},
                                                             {"smove", "s", "str", "1"},
                                                             {"smove", "str", "s", "1"},
                                                             {"sscan", "str", "0"}}) {
    EXPECT_EQ(Run(cmd), Err(kWrongType)) << cmd[0];
  }
  EXPECT_EQ(Run({"smove", "nokey", "str", "1"}), Int(0));
  EXPECT_EQ(Run({"spop", "s", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(Run({"spop", "s", "abc"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(Run({"spop", "s", "1", "2"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"srandmember", "s", "1", "2"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"srandmember", "s", "abc"}), Err(kNotInteger));
  EXPECT_EQ(Run({"sintercard", "0", "s"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(Run({"sintercard", "abc", "s"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(Run({"sintercard", "2", "s"}),
            Err("ERR Number of keys can't be greater than number of args"));
  EXPECT_EQ(Run({"sintercard", "1", "s", "limit", "-1"}), Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(Run({"sintercard", "1", "s", "foo"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"sintercard", "1", "s", "limit"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"sscan", "s", "x"}), Err(kInvalidCursor));
  EXPECT_EQ(Run({"sscan", "s", "0", "count", "0"}), Err(kSyntaxError));
}

TEST_F(SetsTest, Move) {
  Run({"sadd", "s", "1", "2", "a"});
  events.clear();
  EXPECT_EQ(Run({"smove", "s", "t", "a"}), Int(1));
  EXPECT_EQ(events.events, (std::vector<std::string>{"s srem s 0", "n new t 0", "s sadd t 0"}));
  EXPECT_EQ(Encoding("t"), Bulk("hashtable"));
  EXPECT_EQ(Run({"smove", "s", "t", "zz"}), Int(0));
  EXPECT_EQ(Run({"smove", "s", "s", "1"}), Int(1));
  EXPECT_EQ(Run({"smove", "s", "s", "9"}), Int(0));
  Run({"smove", "s", "t", "1"});
  events.clear();
  EXPECT_EQ(Run({"smove", "s", "t", "2"}), Int(1));
  EXPECT_EQ(events.events, (std::vector<std::string>{"s srem s 0", "g del s 0", "s sadd t 0"}));
  EXPECT_EQ(Run({"scard", "t"}), Int(3));
}

TEST_F(SetsTest, Algebra) {
  Run({"sadd", "a", "1", "2", "3", "4"});
  Run({"sadd", "b", "3", "4", "5"});
  Run({"sadd", "c", "4", "x"});
  EXPECT_EQ(Run({"sinter", "a", "b"}), "*2\r\n$1\r\n3\r\n$1\r\n4\r\n");
  EXPECT_EQ(Run({"sinter", "a", "b", "c"}), "*1\r\n$1\r\n4\r\n");
  EXPECT_EQ(Run({"sinter", "a", "nokey"}), "*0\r\n");
  EXPECT_EQ(Run({"sintercard", "2", "a", "b"}), Int(2));
  EXPECT_EQ(Run({"sintercard", "2", "a", "b", "limit", "1"}), Int(1));
  EXPECT_EQ(Run({"sintercard", "2", "a", "b", "limit", "0"}), Int(2));
  EXPECT_EQ(Run({"sintercard", "2", "a", "nokey"}), Int(0));
  EXPECT_EQ(Run({"sunion", "a", "b"}),
            "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(Run({"sdiff", "a", "b"}), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
  EXPECT_EQ(Run({"sdiff", "a", "a"}), "*0\r\n");
  EXPECT_EQ(Run({"sdiff", "nokey", "a"}), "*0\r\n");
  events.clear();
  EXPECT_EQ(Run({"sinterstore", "d", "a", "b"}), Int(2));
  EXPECT_EQ(Encoding("d"), Bulk("intset"));
  EXPECT_EQ(Run({"sunionstore", "d", "a", "c"}), Int(5));
  EXPECT_EQ(Encoding("d"), Bulk("hashtable"));
  EXPECT_EQ(Run({"sdiffstore", "d", "a", "b"}), Int(2));
  EXPECT_EQ(Run({"sinterstore", "d", "a", "nokey"}), Int(0));
  EXPECT_EQ(Run({"exists", "d"}), Int(0));
  EXPECT_EQ(Run({"sdiffstore", "d", "a", "a"}), Int(0));
  EXPECT_EQ(Run({"sunionstore", "", "nokey"}), Int(0));  // an empty name is still a key
  EXPECT_EQ(events.events,
            (std::vector<std::string>{"n new d 0", "s sinterstore d 0", "s sunionstore d 0",
                                      "s sdiffstore d 0", "g del d 0"}));
  protocol = 3;
  EXPECT_EQ(Run({"sinter", "a", "b"}), "~2\r\n$1\r\n3\r\n$1\r\n4\r\n");
  EXPECT_EQ(Run({"smembers", "nokey"}), "~0\r\n");
  EXPECT_EQ(Run({"sunion", "nokey"}), "~0\r\n");
}

TEST_F(SetsTest, PopAndRandom) {
  EXPECT_EQ(Run({"spop", "nokey"}), kNil);
  EXPECT_EQ(Run({"spop", "nokey", "2"}), "*0\r\n");
  EXPECT_EQ(Run({"srandmember", "nokey"}), kNil);
  EXPECT_EQ(Run({"srandmember", "nokey", "2"}), "*0\r\n");
  Run({"sadd", "s", "a", "b", "c", "d", "e"});
  EXPECT_EQ(Run({"spop", "s", "0"}), "*0\r\n");
  EXPECT_EQ(Run({"srandmember", "s", "0"}), "*0\r\n");
  EXPECT_EQ(Run({"srandmember", "s", "-7"}).substr(0, 4), "*7\r\n");
  EXPECT_EQ(Run({"srandmember", "s", "10"}).substr(0, 4), "*5\r\n");
  EXPECT_EQ(Run({"srandmember", "s", "3"}).substr(0, 4), "*3\r\n");
  // The same seed pops the same members: what every Raft node relies on.
  Run({"sadd", "t", "a", "b", "c", "d", "e"});
  seed = 7;
  std::string p1 = Run({"spop", "s", "2"});
  seed = 7;
  std::string p2 = Run({"spop", "t", "2"});
  EXPECT_EQ(p1, p2);
  EXPECT_EQ(Run({"smembers", "s"}), Run({"smembers", "t"}));
  EXPECT_EQ(Run({"scard", "s"}), Int(3));
  events.clear();
  std::string one = Run({"spop", "s"});
  EXPECT_EQ(one.substr(0, 4), "$1\r\n");
  EXPECT_EQ(events.events, (std::vector<std::string>{"s spop s 0"}));
  events.clear();
  EXPECT_EQ(Run({"spop", "s", "5"}).substr(0, 4), "*2\r\n");
  EXPECT_EQ(events.events, (std::vector<std::string>{"s spop s 0", "g del s 0"}));
  EXPECT_EQ(Run({"exists", "s"}), Int(0));
  // Most of a large set popped at once (the "keep the rest" path), an intset here.
  for (int i = 0; i < 100; ++i) Run({"sadd", "big", std::to_string(i)});
  EXPECT_EQ(Run({"spop", "big", "95"}).substr(0, 5), "*95\r\n");
  EXPECT_EQ(Run({"scard", "big"}), Int(5));
  protocol = 3;
  EXPECT_EQ(Run({"spop", "big", "1"}).substr(0, 4), "~1\r\n");
}

TEST_F(SetsTest, Scan) {
  EXPECT_EQ(Run({"sscan", "nokey", "0"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  Run({"sadd", "s", "1", "2", "10"});
  EXPECT_EQ(Run({"sscan", "s", "0", "match", "1*"}),
            "*2\r\n$1\r\n0\r\n*2\r\n$1\r\n1\r\n$2\r\n10\r\n");
}

}  // namespace
}  // namespace zakros::commands
