// Sorted set commands: replies byte for byte as redis-server 7.0.15 sends them (captured from a
// real server), keyspace events, encodings and blocking behaviour.
#include <gtest/gtest.h>

#include <string>

#include "command_fixture.h"
#include "store/object.h"

namespace zakros::commands {
namespace {

class SortedSetsTest : public CommandTest {
 protected:
  std::string Arr(std::initializer_list<std::string_view> items) {
    std::string out = "*" + std::to_string(items.size()) + "\r\n";
    for (auto i : items) out += Bulk(i);
    return out;
  }
  std::string Encoding(std::string_view key) {
    store::Entry* e = keyspace.db(0).find_raw(key);
    return e == nullptr ? "none" : std::string(store::encoding_name(e->encoding()));
  }
};

TEST_F(SortedSetsTest, ZaddOptionsAndErrors) {
  EXPECT_EQ(Run({"zadd", "z", "1", "a", "2", "b", "3", "c"}), Int(3));
  EXPECT_EQ(Run({"zadd", "z", "nx", "xx", "1", "a"}),
            Err("ERR XX and NX options at the same time are not compatible"));
  EXPECT_EQ(Run({"zadd", "z", "gt", "lt", "1", "a"}),
            Err("ERR GT, LT, and/or NX options at the same time are not compatible"));
  EXPECT_EQ(Run({"zadd", "z", "incr", "1", "a", "2", "b"}),
            Err("ERR INCR option supports a single increment-element pair"));
  EXPECT_EQ(Run({"zadd", "z", "nx", "1"}), Err("ERR syntax error"));
  EXPECT_EQ(Run({"zadd", "z", "nan", "a"}), Err("ERR value is not a valid float"));
  EXPECT_EQ(Run({"zadd", "z", "incr", "1", "a"}), Bulk("2"));
  EXPECT_EQ(Run({"zadd", "z", "xx", "incr", "1", "zz"}), std::string(kNil));
  EXPECT_EQ(Run({"zadd", "z", "ch", "5", "a", "6", "d"}), Int(2));
  EXPECT_EQ(Run({"zadd", "z", "gt", "ch", "1", "a"}), Int(0));
  EXPECT_EQ(Run({"zadd", "z", "1.5", "e", "-inf", "f", "+inf", "g"}), Int(3));
  EXPECT_EQ(Run({"zrange", "z", "0", "-1", "withscores"}),
            Arr({"f", "-inf", "e", "1.5", "b", "2", "c", "3", "a", "5", "d", "6", "g", "inf"}));
  EXPECT_EQ(Run({"zincrby", "z", "+inf", "g"}), Bulk("inf"));
  EXPECT_EQ(Run({"zincrby", "z", "-inf", "g"}), Err("ERR resulting score is not a number (NaN)"));
  AddList("l");
  EXPECT_EQ(Run({"zadd", "l", "1", "a"}),
            Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
}

TEST_F(SortedSetsTest, Events) {
  Run({"zadd", "z", "1", "a"});
  Run({"zadd", "z", "1", "a"});  // no change: no event
  Run({"zincrby", "z", "1", "a"});
  Run({"zrem", "z", "a"});
  EXPECT_EQ(events.events, (std::vector<std::string>{"n new z 0", "z zadd z 0", "z zincr z 0",
                                                     "z zrem z 0", "g del z 0"}));
  events.clear();
  Run({"zadd", "y", "1", "a", "2", "b"});
  Run({"zpopmin", "y"});
  Run({"zremrangebyscore", "y", "-inf", "+inf"});
  EXPECT_EQ(events.events, (std::vector<std::string>{"n new y 0", "z zadd y 0", "z zpopmin y 0",
                                                     "z zremrangebyscore y 0", "g del y 0"}));
}

TEST_F(SortedSetsTest, Ranges) {
  Run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d"});
  EXPECT_EQ(Run({"zrange", "z", "(1", "+inf", "byscore", "limit", "1", "2"}), Arr({"c", "d"}));
  EXPECT_EQ(Run({"zrange", "z", "+inf", "(1", "byscore", "rev", "limit", "0", "2"}),
            Arr({"d", "c"}));
  EXPECT_EQ(Run({"zrange", "z", "0", "-1", "limit", "0", "1"}),
            Err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or "
                "BYLEX"));
  EXPECT_EQ(Run({"zrange", "z", "-", "+", "bylex", "withscores"}),
            Err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"));
  EXPECT_EQ(Run({"zrange", "z", "a", "b", "bylex"}),
            Err("ERR min or max not valid string range item"));
  EXPECT_EQ(Run({"zrangebyscore", "z", "a", "b"}), Err("ERR min or max is not a float"));
  EXPECT_EQ(Run({"zrevrangebyscore", "z", "3", "2", "withscores"}), Arr({"c", "3", "b", "2"}));
  EXPECT_EQ(Run({"zrevrange", "z", "0", "1"}), Arr({"d", "c"}));
  EXPECT_EQ(Run({"zcount", "z", "(1", "3"}), Int(2));
  EXPECT_EQ(Run({"zlexcount", "z", "[b", "+"}), Int(3));
  EXPECT_EQ(Run({"zrank", "z", "c"}), Int(2));
  EXPECT_EQ(Run({"zrevrank", "z", "c"}), Int(1));
  EXPECT_EQ(Run({"zrank", "z", "x"}), std::string(kNil));
  EXPECT_EQ(Run({"zrangestore", "dst", "z", "1", "2"}), Int(2));
  EXPECT_EQ(Run({"zrange", "dst", "0", "-1"}), Arr({"b", "c"}));
  EXPECT_EQ(Run({"zrangestore", "dst", "nokey", "0", "-1"}), Int(0));
  EXPECT_EQ(Run({"exists", "dst"}), Int(0));
  EXPECT_EQ(Run({"zremrangebyrank", "z", "0", "1"}), Int(2));
  EXPECT_EQ(Run({"zremrangebylex", "z", "-", "+"}), Int(2));
  EXPECT_EQ(Run({"exists", "z"}), Int(0));
}

TEST_F(SortedSetsTest, Resp3Shapes) {
  Run({"zadd", "z", "1", "a", "2.5", "b"});
  protocol = 3;
  EXPECT_EQ(Run({"zrange", "z", "0", "-1", "withscores"}),
            "*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n");
  EXPECT_EQ(Run({"zscore", "z", "b"}), ",2.5\r\n");
  EXPECT_EQ(Run({"zpopmin", "z", "1"}), "*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
  EXPECT_EQ(Run({"zpopmin", "z"}), "*2\r\n$1\r\nb\r\n,2.5\r\n");
}

TEST_F(SortedSetsTest, SetOperations) {
  Run({"zadd", "u1", "1", "a", "2", "b", "3", "c"});
  Run({"zadd", "u2", "4", "b", "5", "c", "6", "d"});
  EXPECT_EQ(Run({"zunion", "2", "u1", "u2", "withscores"}),
            Arr({"a", "1", "b", "6", "d", "6", "c", "8"}));
  EXPECT_EQ(Run({"zinter", "2", "u1", "u2", "weights", "2", "3", "aggregate", "max", "withscores"}),
            Arr({"b", "12", "c", "15"}));
  EXPECT_EQ(Run({"zdiff", "2", "u1", "u2", "withscores"}), Arr({"a", "1"}));
  EXPECT_EQ(Run({"zunion", "0", "u1"}),
            Err("ERR at least 1 input key is needed for 'zunion' command"));
  EXPECT_EQ(Run({"zunion", "3", "u1", "u2"}), Err("ERR syntax error"));
  EXPECT_EQ(Run({"zunion", "2", "u1", "u2", "weights", "1", "x"}),
            Err("ERR weight value is not a float"));
  EXPECT_EQ(Run({"zunionstore", "dst", "2", "u1", "u2"}), Int(4));
  EXPECT_EQ(Encoding("dst"), "listpack");
  EXPECT_EQ(Run({"zintercard", "2", "u1", "u2", "limit", "1"}), Int(1));
  EXPECT_EQ(Run({"zintercard", "2", "u1", "u2", "limit", "-1"}),
            Err("ERR LIMIT can't be negative"));
  EXPECT_EQ(Run({"zdiffstore", "dst", "2", "u1", "u1"}), Int(0));
  EXPECT_EQ(Run({"exists", "dst"}), Int(0));
}

TEST_F(SortedSetsTest, Pops) {
  Run({"zadd", "z", "1", "a", "2", "b", "3", "c"});
  EXPECT_EQ(Run({"zpopmax", "z", "2"}), Arr({"c", "3", "b", "2"}));
  EXPECT_EQ(Run({"zpopmin", "z", "-1"}), Err("ERR value is out of range, must be positive"));
  EXPECT_EQ(Run({"zpopmin", "nokey"}), "*0\r\n");
  EXPECT_EQ(Run({"zmpop", "2", "nokey", "z", "min", "count", "5"}),
            "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  EXPECT_EQ(Run({"zmpop", "1", "z", "min"}), "*-1\r\n");
  EXPECT_EQ(Run({"zmpop", "0", "z", "min"}), Err("ERR numkeys should be greater than 0"));
  EXPECT_EQ(Run({"zmpop", "1", "z", "min", "count", "0"}),
            Err("ERR count should be greater than 0"));
  // Without a blocking context the blocking pops answer the timeout reply at once.
  EXPECT_EQ(Run({"bzpopmin", "z", "0"}), "*-1\r\n");
  Run({"zadd", "z", "7", "x"});
  EXPECT_EQ(Run({"bzpopmin", "z", "0"}), Arr({"z", "x", "7"}));
  EXPECT_EQ(Run({"bzpopmin", "z", "-1"}), Err("ERR timeout is negative"));
}

TEST_F(SortedSetsTest, RandMemberIsDeterministicAndUnique) {
  Run({"zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  seed = 42;
  std::string first = Run({"zrandmember", "z", "3"});
  seed = 42;
  EXPECT_EQ(Run({"zrandmember", "z", "3"}), first);
  EXPECT_EQ(Run({"zrandmember", "z", "0"}), "*0\r\n");
  EXPECT_EQ(Run({"zrandmember", "z", "9"}), Arr({"e", "d", "c", "b", "a"}));
  EXPECT_EQ(Run({"zrandmember", "z", "-9223372036854775808"}),
            Err("ERR value is out of range, value must between -9223372036854775807 and "
                "9223372036854775807"));
  EXPECT_EQ(Run({"zrandmember", "z", "-9223372036854770000", "withscores"}),
            Err("ERR value is out of range"));
  EXPECT_EQ(Run({"zrandmember", "nokey"}), std::string(kNil));
}

TEST_F(SortedSetsTest, EncodingConversion) {
  store::EncodingLimits lim = keyspace.limits();
  lim.zset_max_listpack_entries = 2;
  keyspace.set_limits(lim);
  Run({"zadd", "z", "1", "a", "2", "b"});
  EXPECT_EQ(Encoding("z"), "listpack");
  Run({"zadd", "z", "3", "c"});
  EXPECT_EQ(Encoding("z"), "skiplist");
  EXPECT_EQ(Run({"zrange", "z", "0", "-1"}), Arr({"a", "b", "c"}));
  EXPECT_EQ(Run({"zscan", "z", "0", "count", "100"}).substr(0, 9), "*2\r\n$1\r\n0");
}

}  // namespace
}  // namespace zakros::commands
