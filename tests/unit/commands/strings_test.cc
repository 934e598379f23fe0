// String and counter commands against Redis 7.0's replies (checked with redis-server 7.0.15).
#include <string>

#include "command_fixture.h"
#include "commands/errors.h"

namespace zakros::commands {
namespace {

class StringsTest : public CommandTest {};

TEST_F(StringsTest, GetSet) {
  EXPECT_EQ(Run({"get", "k"}), kNil);
  EXPECT_EQ(Run({"set", "k", "hello"}), kOk);
  EXPECT_EQ(Run({"get", "k"}), Bulk("hello"));
  EXPECT_EQ(Run({"set", "k", ""}), kOk);
  EXPECT_EQ(Run({"get", "k"}), Bulk(""));
  EXPECT_EQ(Run({"set", "n", "-123"}), kOk);
  EXPECT_EQ(Run({"get", "n"}), Bulk("-123"));
  EXPECT_EQ(Run({"object", "encoding", "n"}), Bulk("int"));
  std::string big(100, 'x');
  EXPECT_EQ(Run({"set", "big", big}), kOk);
  EXPECT_EQ(Run({"get", "big"}), Bulk(big));
  EXPECT_EQ(Run({"get"}), Err("ERR wrong number of arguments for 'get' command"));
  EXPECT_EQ(events.events.back(), "$ set big 0");
  events.clear();
  Run({"set", "k", "again"});
  Run({"set", "fresh", "v", "ex", "5"});
  EXPECT_EQ(events.events, (std::vector<std::string>{"$ set k 0", "n new fresh 0", "$ set fresh 0",
                                                     "g expire fresh 0"}));
}

TEST_F(StringsTest, SetOptions) {
  EXPECT_EQ(Run({"set", "k", "v", "nx"}), kOk);
  EXPECT_EQ(Run({"set", "k", "w", "NX"}), kNil);
  EXPECT_EQ(Run({"set", "k", "w", "xx"}), kOk);
  EXPECT_EQ(Run({"set", "missing", "w", "xx"}), kNil);
  EXPECT_EQ(Run({"set", "k", "v", "nx", "xx"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"set", "k", "v", "xx", "nx"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"set", "k", "v", "ex"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"set", "k", "v", "ex", "10", "px", "100"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"set", "k", "v", "keepttl", "ex", "10"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"set", "k", "v", "persist"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"set", "k", "v", "foo"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"set", "k", "v", "ex", "abc"}), Err(kNotInteger));
  EXPECT_EQ(Run({"set", "k", "v", "ex", "0"}), Err("ERR invalid expire time in 'set' command"));
  EXPECT_EQ(Run({"set", "k", "v", "px", "-5"}), Err("ERR invalid expire time in 'set' command"));
  EXPECT_EQ(Run({"set", "k", "v", "ex", "9223372036854775"}),
            Err("ERR invalid expire time in 'set' command"));
  EXPECT_EQ(Run({"set", "k", "v", "ex", "100"}), kOk);
  EXPECT_EQ(Run({"ttl", "k"}), Int(100));
  EXPECT_EQ(Run({"pttl", "k"}), Int(100000));
  EXPECT_EQ(Run({"set", "k", "v2", "keepttl"}), kOk);
  EXPECT_EQ(Run({"ttl", "k"}), Int(100));
  EXPECT_EQ(Run({"set", "k", "v3"}), kOk);
  EXPECT_EQ(Run({"ttl", "k"}), Int(-1));
  EXPECT_EQ(Run({"set", "k", "v", "pxat", std::to_string(now_ms + 1500)}), kOk);
  EXPECT_EQ(Run({"pttl", "k"}), Int(1500));
  EXPECT_EQ(Run({"set", "k", "v", "exat", std::to_string(now_ms / 1000 + 7)}), kOk);
  EXPECT_EQ(Run({"ttl", "k"}), Int(7));
}

TEST_F(StringsTest, SetGetOption) {
  EXPECT_EQ(Run({"set", "k", "a", "get"}), kNil);
  EXPECT_EQ(Run({"set", "k", "b", "GET"}), Bulk("a"));
  EXPECT_EQ(Run({"set", "k", "c", "nx", "get"}), Bulk("b"));
  EXPECT_EQ(Run({"get", "k"}), Bulk("b"));
  EXPECT_EQ(Run({"set", "x", "c", "xx", "get"}), kNil);
  EXPECT_EQ(Run({"exists", "x"}), Int(0));
}

TEST_F(StringsTest, Expiry) {
  EXPECT_EQ(Run({"setex", "k", "10", "v"}), kOk);
  EXPECT_EQ(Run({"ttl", "k"}), Int(10));
  now_ms += 9999;
  EXPECT_EQ(Run({"get", "k"}), Bulk("v"));
  now_ms += 1;
  events.clear();
  EXPECT_EQ(Run({"get", "k"}), kNil);
  ASSERT_EQ(events.events.size(), 1u);
  EXPECT_EQ(events.events[0], "x expired k 0");
  EXPECT_EQ(Run({"setex", "k", "0", "v"}), Err("ERR invalid expire time in 'setex' command"));
  EXPECT_EQ(Run({"psetex", "k", "-1", "v"}), Err("ERR invalid expire time in 'psetex' command"));
  EXPECT_EQ(Run({"setex", "k", "x", "v"}), Err(kNotInteger));
  EXPECT_EQ(Run({"psetex", "k", "1500", "v"}), kOk);
  EXPECT_EQ(Run({"pttl", "k"}), Int(1500));
  EXPECT_EQ(Run({"ttl", "k"}), Int(2));  // rounded
  // A follower never deletes: the key is hidden but stays.
  now_ms += 2000;
  may_delete_expired = false;
  EXPECT_EQ(Run({"get", "k"}), kNil);
  EXPECT_EQ(Run({"dbsize"}), Int(1));
  may_delete_expired = true;
  EXPECT_EQ(Run({"get", "k"}), kNil);
  EXPECT_EQ(Run({"dbsize"}), Int(0));
}

TEST_F(StringsTest, SetnxGetsetGetdel) {
  EXPECT_EQ(Run({"setnx", "k", "1"}), Int(1));
  EXPECT_EQ(Run({"setnx", "k", "2"}), Int(0));
  EXPECT_EQ(Run({"getset", "k", "3"}), Bulk("1"));
  EXPECT_EQ(Run({"getset", "new", "3"}), kNil);
  EXPECT_EQ(Run({"expire", "k", "100"}), Int(1));
  EXPECT_EQ(Run({"getset", "k", "4"}), Bulk("3"));
  EXPECT_EQ(Run({"ttl", "k"}), Int(-1));
  EXPECT_EQ(Run({"getdel", "k"}), Bulk("4"));
  EXPECT_EQ(Run({"getdel", "k"}), kNil);
  EXPECT_EQ(Run({"exists", "k"}), Int(0));
}

TEST_F(StringsTest, Getex) {
  EXPECT_EQ(Run({"getex", "k"}), kNil);
  Run({"set", "k", "v"});
  EXPECT_EQ(Run({"getex", "k", "ex", "100"}), Bulk("v"));
  EXPECT_EQ(Run({"ttl", "k"}), Int(100));
  EXPECT_EQ(Run({"getex", "k", "persist"}), Bulk("v"));
  EXPECT_EQ(Run({"ttl", "k"}), Int(-1));
  EXPECT_EQ(Run({"getex", "k", "px", "100", "persist"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"getex", "k", "keepttl"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"getex", "k", "nx"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"getex", "k", "ex", "0"}), Err("ERR invalid expire time in 'getex' command"));
  EXPECT_EQ(Run({"getex", "k", "exat", std::to_string(now_ms / 1000 - 1)}), Bulk("v"));
  EXPECT_EQ(Run({"exists", "k"}), Int(0));
  EXPECT_EQ(events.events.back(), "g del k 0");
}

TEST_F(StringsTest, MgetMset) {
  EXPECT_EQ(Run({"mset", "a", "1", "b", "2"}), kOk);
  EXPECT_EQ(Run({"mset", "a", "1", "b"}), Err("ERR wrong number of arguments for 'mset' command"));
  EXPECT_EQ(Run({"mget", "a", "b", "c"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
  EXPECT_EQ(Run({"msetnx", "c", "3", "a", "9"}), Int(0));
  EXPECT_EQ(Run({"get", "c"}), kNil);
  EXPECT_EQ(Run({"msetnx", "c", "3", "d", "4"}), Int(1));
  EXPECT_EQ(Run({"msetnx", "c", "3", "d"}),
            Err("ERR wrong number of arguments for 'msetnx' command"));
}

TEST_F(StringsTest, AppendStrlen) {
  EXPECT_EQ(Run({"append", "k", "12"}), Int(2));
  EXPECT_EQ(Run({"object", "encoding", "k"}), Bulk("int"));
  EXPECT_EQ(Run({"append", "k", "34"}), Int(4));
  EXPECT_EQ(Run({"object", "encoding", "k"}), Bulk("raw"));
  EXPECT_EQ(Run({"get", "k"}), Bulk("1234"));
  EXPECT_EQ(Run({"strlen", "k"}), Int(4));
  EXPECT_EQ(Run({"strlen", "nokey"}), Int(0));
  Run({"set", "n", "-100"});
  EXPECT_EQ(Run({"strlen", "n"}), Int(4));
}

TEST_F(StringsTest, GetrangeSetrange) {
  Run({"set", "k", "Hello World"});
  EXPECT_EQ(Run({"getrange", "k", "0", "4"}), Bulk("Hello"));
  EXPECT_EQ(Run({"getrange", "k", "-5", "-1"}), Bulk("World"));
  EXPECT_EQ(Run({"getrange", "k", "-1", "-5"}), Bulk(""));
  EXPECT_EQ(Run({"getrange", "k", "5", "3"}), Bulk(""));
  EXPECT_EQ(Run({"getrange", "k", "0", "100"}), Bulk("Hello World"));
  EXPECT_EQ(Run({"getrange", "k", "-100", "2"}), Bulk("Hel"));
  EXPECT_EQ(Run({"substr", "k", "0", "0"}), Bulk("H"));
  EXPECT_EQ(Run({"getrange", "nokey", "0", "1"}), Bulk(""));
  EXPECT_EQ(Run({"getrange", "k", "a", "1"}), Err(kNotInteger));
  Run({"set", "n", "12345"});
  EXPECT_EQ(Run({"getrange", "n", "1", "2"}), Bulk("23"));

  EXPECT_EQ(Run({"setrange", "k", "6", "Redis"}), Int(11));
  EXPECT_EQ(Run({"get", "k"}), Bulk("Hello Redis"));
  EXPECT_EQ(Run({"setrange", "z", "3", "ab"}), Int(5));
  EXPECT_EQ(Run({"get", "z"}), Bulk(std::string("\0\0\0ab", 5)));
  EXPECT_EQ(Run({"setrange", "empty", "3", ""}), Int(0));
  EXPECT_EQ(Run({"exists", "empty"}), Int(0));
  EXPECT_EQ(Run({"setrange", "k", "0", ""}), Int(11));
  EXPECT_EQ(Run({"setrange", "k", "-1", "x"}), Err("ERR offset is out of range"));
  EXPECT_EQ(Run({"setrange", "k", "536870911", "xx"}), Err(kStringTooLong));
  EXPECT_EQ(Run({"setrange", "n", "0", "9"}), Int(5));
  EXPECT_EQ(Run({"get", "n"}), Bulk("92345"));
}

TEST_F(StringsTest, IncrDecr) {
  EXPECT_EQ(Run({"incr", "c"}), Int(1));
  EXPECT_EQ(Run({"incrby", "c", "10"}), Int(11));
  EXPECT_EQ(Run({"decr", "c"}), Int(10));
  EXPECT_EQ(Run({"decrby", "c", "20"}), Int(-10));
  EXPECT_EQ(Run({"incrby", "c", "abc"}), Err(kNotInteger));
  EXPECT_EQ(Run({"incrby", "c", "+1"}), Err(kNotInteger));
  EXPECT_EQ(Run({"decrby", "c", "-9223372036854775808"}), Err("ERR decrement would overflow"));
  Run({"set", "big", "9223372036854775807"});
  EXPECT_EQ(Run({"incr", "big"}), Err("ERR increment or decrement would overflow"));
  Run({"set", "small", "-9223372036854775808"});
  EXPECT_EQ(Run({"decr", "small"}), Err("ERR increment or decrement would overflow"));
  Run({"set", "s", "abc"});
  EXPECT_EQ(Run({"incr", "s"}), Err(kNotInteger));
  Run({"set", "s", " 1"});
  EXPECT_EQ(Run({"incr", "s"}), Err(kNotInteger));
  Run({"set", "s", "1"});
  Run({"append", "s", "0"});  // raw "10"
  EXPECT_EQ(Run({"incr", "s"}), Int(11));
  EXPECT_EQ(Run({"object", "encoding", "s"}), Bulk("int"));
  Run({"set", "t", "5", "ex", "100"});
  EXPECT_EQ(Run({"incr", "t"}), Int(6));
  EXPECT_EQ(Run({"ttl", "t"}), Int(100));
  EXPECT_EQ(events.events.back(), "$ incrby t 0");
}

TEST_F(StringsTest, IncrByFloat) {
  EXPECT_EQ(Run({"incrbyfloat", "f", "10.5"}), Bulk("10.5"));
  EXPECT_EQ(Run({"incrbyfloat", "f", "0.1"}), Bulk("10.6"));
  EXPECT_EQ(Run({"incrbyfloat", "f", "-5.0e3"}), Bulk("-4989.39999999999999991"));
  EXPECT_EQ(Run({"incrbyfloat", "f", "abc"}), Err(kNotFloat));
  Run({"set", "i", "3"});
  EXPECT_EQ(Run({"incrbyfloat", "i", "2"}), Bulk("5"));
  EXPECT_EQ(Run({"object", "encoding", "i"}), Bulk("embstr"));
  Run({"set", "s", "x"});
  EXPECT_EQ(Run({"incrbyfloat", "s", "1"}), Err(kNotFloat));
  EXPECT_EQ(Run({"incrbyfloat", "i", "inf"}), Err("ERR increment would produce NaN or Infinity"));
  Run({"set", "t", "1", "px", "5000"});
  Run({"incrbyfloat", "t", "1.5"});
  EXPECT_EQ(Run({"pttl", "t"}), Int(5000));
}

TEST_F(StringsTest, Lcs) {
  Run({"mset", "key1", "ohmytext", "key2", "mynewtext"});
  EXPECT_EQ(Run({"lcs", "key1", "key2"}), Bulk("mytext"));
  EXPECT_EQ(Run({"lcs", "key1", "key2", "len"}), Int(6));
  EXPECT_EQ(Run({"lcs", "key1", "key2", "idx"}),
            "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:"
            "2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
  EXPECT_EQ(Run({"lcs", "key1", "key2", "idx", "minmatchlen", "4", "withmatchlen"}),
            "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\n"
            "len\r\n:6\r\n");
  EXPECT_EQ(Run({"lcs", "key1", "key2", "len", "idx"}),
            Err("ERR If you want both the length and indexes, please just use IDX."));
  EXPECT_EQ(Run({"lcs", "key1", "nokey"}), Bulk(""));
  EXPECT_EQ(Run({"lcs", "key1", "key2", "foo"}), Err(kSyntaxError));
}

TEST_F(StringsTest, WrongType) {
  AddList("o");
  const std::string wrong = Err(kWrongType);
  EXPECT_EQ(Run({"get", "o"}), wrong);
  EXPECT_EQ(Run({"set", "o", "v", "get"}), wrong);
  EXPECT_EQ(Run({"getset", "o", "v"}), wrong);
  EXPECT_EQ(Run({"getdel", "o"}), wrong);
  EXPECT_EQ(Run({"getex", "o"}), wrong);
  EXPECT_EQ(Run({"append", "o", "v"}), wrong);
  EXPECT_EQ(Run({"strlen", "o"}), wrong);
  EXPECT_EQ(Run({"getrange", "o", "0", "1"}), wrong);
  EXPECT_EQ(Run({"setrange", "o", "0", "v"}), wrong);
  EXPECT_EQ(Run({"incr", "o"}), wrong);
  EXPECT_EQ(Run({"incrbyfloat", "o", "1"}), wrong);
  EXPECT_EQ(Run({"lcs", "o", "x"}), Err(kLcsNotStrings));
  EXPECT_EQ(Run({"mget", "o"}), "*1\r\n$-1\r\n");
  // SET overwrites any type.
  EXPECT_EQ(Run({"set", "o", "v"}), kOk);
  EXPECT_EQ(Run({"type", "o"}), "+string\r\n");
}

}  // namespace
}  // namespace zakros::commands
