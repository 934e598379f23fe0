// Hash commands against Redis 7.0's replies (checked with redis-server 7.0.15).
#include <algorithm>
#include <set>
#include <string>

#include "command_fixture.h"
#include "commands/errors.h"

namespace zakros::commands {
namespace {

class HashesTest : public CommandTest {
 protected:
  std::string Encoding(std::string_view key) { return Run({"object", "encoding", key}); }
};

TEST_F(HashesTest, SetGetDel) {
  EXPECT_EQ(Run({"hset", "h", "a", "1", "b", "2"}), Int(2));
  EXPECT_EQ(Run({"hset", "h", "a", "10", "c", "3"}), Int(1));
  EXPECT_EQ(Run({"hset", "h", "a", "1", "b"}),
            Err("ERR wrong number of arguments for 'hset' command"));
  EXPECT_EQ(Run({"hmset", "h", "a"}), Err("ERR wrong number of arguments for 'hmset' command"));
  EXPECT_EQ(Run({"hmset", "h", "d", "4"}), kOk);
  EXPECT_EQ(Run({"hget", "h", "a"}), Bulk("10"));
  EXPECT_EQ(Run({"hget", "h", "zz"}), kNil);
  EXPECT_EQ(Run({"hget", "nokey", "a"}), kNil);
  EXPECT_EQ(Run({"hmget", "h", "a", "zz", "d"}), "*3\r\n$2\r\n10\r\n$-1\r\n$1\r\n4\r\n");
  EXPECT_EQ(Run({"hmget", "nokey", "a"}), "*1\r\n$-1\r\n");
  EXPECT_EQ(Run({"hlen", "h"}), Int(4));
  EXPECT_EQ(Run({"hlen", "nokey"}), Int(0));
  EXPECT_EQ(Run({"hstrlen", "h", "a"}), Int(2));
  EXPECT_EQ(Run({"hstrlen", "h", "zz"}), Int(0));
  EXPECT_EQ(Run({"hexists", "h", "b"}), Int(1));
  EXPECT_EQ(Run({"hexists", "h", "zz"}), Int(0));
  EXPECT_EQ(Run({"hsetnx", "h", "a", "x"}), Int(0));
  EXPECT_EQ(Run({"hsetnx", "h", "e", "5"}), Int(1));
  EXPECT_EQ(Run({"hkeys", "h"}), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  EXPECT_EQ(Run({"hvals", "h"}), "*5\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
  EXPECT_EQ(Encoding("h"), Bulk("listpack"));
  events.clear();
  EXPECT_EQ(Run({"hdel", "h", "a", "zz", "b"}), Int(2));
  EXPECT_EQ(Run({"hdel", "h", "zz"}), Int(0));
  EXPECT_EQ(Run({"hdel", "h", "c", "d", "e", "f"}), Int(3));
  EXPECT_EQ(Run({"exists", "h"}), Int(0));
  EXPECT_EQ(events.events, (std::vector<std::string>{"h hdel h 0", "h hdel h 0", "g del h 0"}));
  EXPECT_EQ(Run({"hdel", "nokey", "a"}), Int(0));
}

TEST_F(HashesTest, GetAllProtocols) {
  EXPECT_EQ(Run({"hgetall", "nokey"}), "*0\r\n");
  Run({"hset", "h", "a", "1", "b", "x"});
  EXPECT_EQ(Run({"hgetall", "h"}), "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\nx\r\n");
  protocol = 3;
  EXPECT_EQ(Run({"hgetall", "nokey"}), "%0\r\n");
  EXPECT_EQ(Run({"hgetall", "h"}), "%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\nx\r\n");
  EXPECT_EQ(Run({"hkeys", "nokey"}), "*0\r\n");
}

TEST_F(HashesTest, WrongType) {
  Run({"set", "s", "x"});
  for (auto cmd : std::vector<std::vector<std::string_view>>{{"hset", "s", "a", "1"},
                                                             {"hsetnx", "s", "a", "1"},
                                                             {"hget", "s", "a"},
                                                             {"hmget", "s", "a"},
                                                             {"hdel", "s", "a"},
                                                             {"hlen", "s"},
                                                             {"hstrlen", "s", "a"},
                                                             {"hexists", "s", "a"},
                                                             {"hgetall", "s"},
                                                             {"hincrby", "s", "a", "1"},
                                                             {"hincrbyfloat", "s", "a", "1"},
                                                             {"hrandfield", "s"},
                                                             {"hrandfield", "s", "2"},
                                                             {"hscan", "s", "0"}}) {
    EXPECT_EQ(Run(cmd), Err(kWrongType)) << cmd[0];
  }
}

TEST_F(HashesTest, Increments) {
  EXPECT_EQ(Run({"hincrby", "h", "n", "5"}), Int(5));
  EXPECT_EQ(Run({"hincrby", "h", "n", "-10"}), Int(-5));
  EXPECT_EQ(Run({"hincrby", "h", "n", "x"}), Err(kNotInteger));
  Run({"hset", "h", "big", "9223372036854775807", "s", "abc", "f", "1.5"});
  EXPECT_EQ(Run({"hincrby", "h", "big", "1"}), Err("ERR increment or decrement would overflow"));
  EXPECT_EQ(Run({"hincrby", "h", "s", "1"}), Err("ERR hash value is not an integer"));
  EXPECT_EQ(Run({"hincrby", "h", "f", "1"}), Err("ERR hash value is not an integer"));
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "1.5"}), Bulk("3"));
  EXPECT_EQ(Run({"hincrbyfloat", "h", "n", "0.25"}), Bulk("-4.75"));
  EXPECT_EQ(Run({"hincrbyfloat", "h", "s", "1"}), Err("ERR hash value is not a float"));
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "abc"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(Run({"hincrbyfloat", "h", "f", "inf"}), Err("ERR value is NaN or Infinity"));
  Run({"hset", "h", "e", "1.5e3"});
  EXPECT_EQ(Run({"hincrbyfloat", "h", "e", "1"}), Bulk("1501"));
  events.clear();
  Run({"hincrby", "h", "m", "1"});
  Run({"hincrbyfloat", "h", "m", "1"});
  EXPECT_EQ(events.events, (std::vector<std::string>{"h hincrby h 0", "h hincrbyfloat h 0"}));
}

TEST_F(HashesTest, EncodingConversion) {
  keyspace.set_limits([] {
    store::EncodingLimits l;
    l.hash_max_listpack_entries = 4;
    l.hash_max_listpack_value = 10;
    return l;
  }());
  Run({"hset", "h", "a", "1", "b", "2", "c", "3", "d", "4"});
  EXPECT_EQ(Encoding("h"), Bulk("listpack"));
  Run({"hset", "h", "e", "5"});
  EXPECT_EQ(Encoding("h"), Bulk("hashtable"));
  EXPECT_EQ(Run({"hget", "h", "c"}), Bulk("3"));
  Run({"hset", "v", "a", "12345678901"});
  EXPECT_EQ(Encoding("v"), Bulk("hashtable"));
  Run({"hset", "w", "a", "1"});
  Run({"hincrbyfloat", "w", "a", "0.1234567891"});
  EXPECT_EQ(Encoding("w"), Bulk("hashtable"));
  Run({"hsetnx", "x", "12345678901", "1"});
  EXPECT_EQ(Encoding("x"), Bulk("hashtable"));
}

TEST_F(HashesTest, MemoryUsage) {
  EXPECT_EQ(Run({"memory", "usage", "nokey"}), kNil);
  Run({"hset", "h", "field", "value"});
  std::string small = Run({"memory", "usage", "h"});
  ASSERT_EQ(small[0], ':');
  EXPECT_GT(std::stol(small.substr(1)), 20);
  EXPECT_EQ(Run({"memory", "usage", "h", "samples", "-1"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"memory", "usage", "h", "foo"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"memory", "usage", "h", "samples", "0"}), small);
}

TEST_F(HashesTest, RandField) {
  EXPECT_EQ(Run({"hrandfield", "nokey"}), kNil);
  EXPECT_EQ(Run({"hrandfield", "nokey", "5"}), "*0\r\n");
  Run({"hset", "h", "a", "1", "b", "2", "c", "3"});
  EXPECT_EQ(Run({"hrandfield", "h", "0"}), "*0\r\n");
  EXPECT_EQ(Run({"hrandfield", "h", "1", "foo"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"hrandfield", "h", "1", "withvalues", "x"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"hrandfield", "h", "9223372036854775807", "withvalues"}),
            Err("ERR value is out of range"));
  EXPECT_EQ(Run({"hrandfield", "h", "-9223372036854775808"}),
            Err("ERR value is out of range, value must between -9223372036854775807 and "
                "9223372036854775807"));
  std::string all = Run({"hrandfield", "h", "10", "withvalues"});
  EXPECT_EQ(all, "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  std::string neg = Run({"hrandfield", "h", "-7"});
  EXPECT_EQ(neg.substr(0, 4), "*7\r\n");
  std::string two = Run({"hrandfield", "h", "2"});
  EXPECT_EQ(two.substr(0, 4), "*2\r\n");
  EXPECT_NE(two.substr(4, 7), two.substr(11, 7));  // distinct
  // Deterministic given the seed.
  seed = 42;
  std::string a = Run({"hrandfield", "h", "-20", "withvalues"});
  seed = 42;
  EXPECT_EQ(Run({"hrandfield", "h", "-20", "withvalues"}), a);
  protocol = 3;
  EXPECT_EQ(Run({"hrandfield", "h", "1", "withvalues"}).substr(0, 8), "*1\r\n*2\r\n");
}

TEST_F(HashesTest, Scan) {
  EXPECT_EQ(Run({"hscan", "h", "abc"}), Err(kInvalidCursor));
  EXPECT_EQ(Run({"hscan", "nokey", "0", "foo"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  Run({"hset", "h", "a1", "1", "b1", "2", "a2", "3"});
  EXPECT_EQ(Run({"hscan", "h", "0", "count", "0"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"hscan", "h", "0", "type", "string"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"hscan", "h", "0", "match", "a*", "count", "1"}),
            "*2\r\n$1\r\n0\r\n*4\r\n$2\r\na1\r\n$1\r\n1\r\n$2\r\na2\r\n$1\r\n3\r\n");
  // A hashtable is walked in steps.
  for (int i = 0; i < 600; ++i) Run({"hset", "big", "f" + std::to_string(i), "v"});
  EXPECT_EQ(Encoding("big"), Bulk("hashtable"));
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::string r = Run({"hscan", "big", cursor, "count", "50"});
    ++calls;
    size_t p = r.find("\r\n", 4);  // after "*2\r\n$N"
    size_t start = p + 2;
    size_t end = r.find("\r\n", start);
    cursor = r.substr(start, end - start);
    size_t pos = r.find('*', end);
    pos = r.find("\r\n", pos) + 2;
    while (pos < r.size()) {
      size_t len_end = r.find("\r\n", pos);
      size_t len = std::stoul(r.substr(pos + 1, len_end - pos - 1));
      std::string field = r.substr(len_end + 2, len);
      pos = len_end + 2 + len + 2;
      len_end = r.find("\r\n", pos);  // skip the value
      len = std::stoul(r.substr(pos + 1, len_end - pos - 1));
      pos = len_end + 2 + len + 2;
      seen.insert(field);
    }
  } while (cursor != "0");
  EXPECT_EQ(seen.size(), 600u);
  EXPECT_GT(calls, 1);
}

}  // namespace
}  // namespace zakros::commands
