// Bitmap commands against Redis 7.0's replies (expectations recorded from redis-server 7.0.15).
#include <string>
#include <string_view>

#include "command_fixture.h"
#include "commands/command_util.h"
#include "commands/errors.h"

namespace zakros::commands {
namespace {

using namespace std::string_view_literals;

class BitmapsTest : public CommandTest {};

TEST_F(BitmapsTest, SetbitGetbit) {
  EXPECT_EQ(Run({"setbit", "b", "7", "1"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"setbit", "b", "7", "1"}), ":1\r\n"sv);
  EXPECT_EQ(Run({"setbit", "b", "100", "1"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"setbit", "b", "-1", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"setbit", "b", "4294967296", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"setbit", "b", "1", "2"}), "-ERR bit is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"setbit", "b", "1", "-1"}), "-ERR bit is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"setbit", "b", "x", "1"}),
            "-ERR bit offset is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"getbit", "b", "7"}), ":1\r\n"sv);
  EXPECT_EQ(Run({"getbit", "b", "1000"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"getbit", "b", "-1"}), "-ERR bit offset is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"getbit", "nokey", "3"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"strlen", "b"}), ":13\r\n"sv);
  EXPECT_EQ(Run({"object", "encoding", "b"}), "$3\r\nraw\r\n"sv);
  EXPECT_EQ(Run({"set", "i", "123"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"getbit", "i", "1"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"setbit", "i", "1", "1"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"get", "i"}), "$3\r\nq23\r\n"sv);
  EXPECT_EQ(Run({"object", "encoding", "i"}), "$3\r\nraw\r\n"sv);
  events.clear();
  Run({"setbit", "n", "3", "0"});
  Run({"setbit", "n", "3", "0"});
  Run({"setbit", "n", "3", "1"});
  EXPECT_EQ(events.events, (std::vector<std::string>{"n new n 0", "$ setbit n 0", "$ setbit n 0"}));
  AddList("l");
  EXPECT_EQ(Run({"setbit", "l", "0", "1"}), Err(kWrongType));
  EXPECT_EQ(Run({"getbit", "l", "0"}), Err(kWrongType));
}

TEST_F(BitmapsTest, OffsetLimitFollowsProtoMaxBulkLen) {
  int64_t saved = g_proto_max_bulk_len;
  g_proto_max_bulk_len = 10;
  EXPECT_EQ(Run({"setbit", "b", "79", "1"}), Int(0));
  EXPECT_EQ(Run({"setbit", "b", "80", "1"}),
            Err("ERR bit offset is not an integer or out of range"));
  EXPECT_EQ(Run({"bitfield", "b", "get", "u8", "#10"}),
            Err("ERR bit offset is not an integer or out of range"));
  g_proto_max_bulk_len = saved;
}

TEST_F(BitmapsTest, Bitcount) {
  EXPECT_EQ(Run({"setbit", "b", "7", "1"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"setbit", "b", "100", "1"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "b"}), ":2\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "b", "0", "-1", "bit"}), ":2\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "b", "0"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "b", "0", "1", "2", "3"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "b", "0", "1", "foo"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "b", "a", "1"}), "-ERR value is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "nokey", "0"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "b", "5", "30", "bit"}), ":1\r\n"sv);
  EXPECT_EQ(Run({"set", "s", "foobar"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s"}), ":26\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "1", "1"}), ":6\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "1", "1", "BYTE"}), ":6\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "5", "30", "bit"}), ":17\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "-2", "-1"}), ":7\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "-1", "-2"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "-1", "-2", "foo"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "4", "2"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "0", "1000"}), ":26\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "s", "-1000", "1000", "bit"}), ":26\r\n"sv);
  EXPECT_EQ(Run({"set", "n", "12345"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"bitcount", "n"}), ":17\r\n"sv);
}

TEST_F(BitmapsTest, Bitpos) {
  EXPECT_EQ(Run({"set", "s", "foobar"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "1"}), ":1\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "0"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "1", "2"}), ":17\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "1", "2", "-1", "byte"}), ":17\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "0", "2", "-1", "bit"}), ":3\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "1", "7", "15", "bit"}), ":9\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "1", "7", "15", "foo"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "1", "7", "15", "bit", "x"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "2"}), "-ERR The bit argument must be 1 or 0.\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "x"}), "-ERR value is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "s", "1", "x"}), "-ERR value is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "nokey", "0"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "nokey", "1"}), ":-1\r\n"sv);
  EXPECT_EQ(Run({"set", "ff", "\377\377\377"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "ff", "0"}), ":24\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "ff", "0", "0"}), ":24\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "ff", "0", "0", "-1"}), ":-1\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "ff", "0", "1", "2", "bit"}), ":-1\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "ff", "1", "3", "20", "bit"}), ":3\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "ff", "0", "5", "1"}), ":-1\r\n"sv);
  EXPECT_EQ(Run({"set", "z", ""}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "z", "1"}), ":-1\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "z", "0"}), ":-1\r\n"sv);
  EXPECT_EQ(Run({"setbit", "big", "1000", "1"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "big", "1"}), ":1000\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "big", "1", "10", "-1", "bit"}), ":1000\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "big", "0", "3", "125"}), ":24\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "big", "1", "1001", "-1", "bit"}), ":-1\r\n"sv);
  EXPECT_EQ(Run({"bitpos", "big", "1", "-8", "-1", "bit"}), ":1000\r\n"sv);
}

TEST_F(BitmapsTest, Bitop) {
  EXPECT_EQ(Run({"set", "s", "foobar"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"set", "t", "abc"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"bitop", "and", "dest", "s", "t"}), ":6\r\n"sv);
  EXPECT_EQ(Run({"get", "dest"}), "$6\r\n`bc\000\000\000\r\n"sv);
  EXPECT_EQ(Run({"bitop", "or", "dest", "s", "t"}), ":6\r\n"sv);
  EXPECT_EQ(Run({"get", "dest"}), "$6\r\ngoobar\r\n"sv);
  EXPECT_EQ(Run({"bitop", "xor", "dest", "s", "t", "nokey"}), ":6\r\n"sv);
  EXPECT_EQ(Run({"get", "dest"}), "$6\r\n\007\r\014bar\r\n"sv);
  EXPECT_EQ(Run({"bitop", "not", "dest", "s"}), ":6\r\n"sv);
  EXPECT_EQ(Run({"get", "dest"}), "$6\r\n\231\220\220\235\236\215\r\n"sv);
  EXPECT_EQ(Run({"bitop", "not", "dest", "s", "t"}),
            "-ERR BITOP NOT must be called with a single source key.\r\n"sv);
  EXPECT_EQ(Run({"bitop", "foo", "dest", "s"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitop", "or", "dest", "nokey"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"exists", "dest"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"set", "dest", "x"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"expire", "dest", "100"}), ":1\r\n"sv);
  EXPECT_EQ(Run({"bitop", "or", "dest", "s"}), ":6\r\n"sv);
  EXPECT_EQ(Run({"ttl", "dest"}), ":-1\r\n"sv);
  EXPECT_EQ(Run({"object", "encoding", "dest"}), "$3\r\nraw\r\n"sv);
  EXPECT_EQ(Run({"set", "n", "7"}), "+OK\r\n"sv);
  EXPECT_EQ(Run({"bitop", "and", "dest", "n", "n"}), ":1\r\n"sv);
  EXPECT_EQ(Run({"get", "dest"}), "$1\r\n7\r\n"sv);
  events.clear();
  Run({"bitop", "or", "dest", "nokey"});
  EXPECT_EQ(events.events, (std::vector<std::string>{"g del dest 0"}));
  AddList("l");
  EXPECT_EQ(Run({"bitop", "and", "d", "s", "l"}), Err(kWrongType));
}

TEST_F(BitmapsTest, Bitfield) {
  EXPECT_EQ(Run({"bitfield", "bf",       "set",  "u8",     "0",        "255", "get",    "u8", "0",
                 "incrby",   "u8",       "0",    "10",     "overflow", "sat", "incrby", "u8", "0",
                 "300",      "overflow", "fail", "incrby", "u8",       "0",   "1"}),
            "*5\r\n:0\r\n:255\r\n:9\r\n:255\r\n$-1\r\n"sv);
  EXPECT_EQ(
      Run({"bitfield", "bf", "get", "u64", "0"}),
      "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"sv);
  EXPECT_EQ(
      Run({"bitfield", "bf", "get", "u0", "0"}),
      "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"sv);
  EXPECT_EQ(
      Run({"bitfield", "bf", "get", "i65", "0"}),
      "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"sv);
  EXPECT_EQ(
      Run({"bitfield", "bf", "get", "x8", "0"}),
      "-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf", "get", "u8", "-1"}),
            "-ERR bit offset is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf", "get", "i64", "0"}), "*1\r\n:-72057594037927936\r\n"sv);
  EXPECT_EQ(
      Run({"bitfield", "bf", "get", "u8", "#1", "set", "i8", "#2", "-100", "get", "i8", "#2"}),
      "*3\r\n:0\r\n:0\r\n:-100\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf", "overflow", "foo"}),
            "-ERR Invalid OVERFLOW type specified\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf", "get"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf", "foo"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf", "set", "u8", "0"}), "-ERR syntax error\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf", "set", "u8", "0", "x"}),
            "-ERR value is not an integer or out of range\r\n"sv);
  EXPECT_EQ(Run({"bitfield_ro", "bf", "get", "u8", "0", "set", "u8", "0", "1"}),
            "-ERR BITFIELD_RO only supports the GET subcommand\r\n"sv);
  EXPECT_EQ(Run({"bitfield_ro", "bf", "get", "u8", "0"}), "*1\r\n:255\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf", "incrby", "i5", "100", "1", "get", "u4", "0"}),
            "*2\r\n:1\r\n:15\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "nokey", "get", "u8", "0"}), "*1\r\n:0\r\n"sv);
  EXPECT_EQ(Run({"exists", "nokey"}), ":0\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "nokey"}), "*0\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf2", "overflow", "wrap", "incrby", "i8",   "0",      "127",
                 "incrby",   "i8",  "0",        "1",    "incrby", "i8",   "0",      "-1",
                 "overflow", "sat", "incrby",   "i8",   "0",      "-200", "incrby", "i8",
                 "0",        "300", "overflow", "fail", "incrby", "i8",   "0",      "-1",
                 "incrby",   "i8",  "0",        "1000"}),
            "*7\r\n:127\r\n:-128\r\n:127\r\n:-73\r\n:127\r\n:126\r\n$-1\r\n"sv);
  EXPECT_EQ(
      Run({"bitfield", "bf3", "set", "i64", "0",        "9223372036854775807",
           "incrby",   "i64", "0",   "1",   "overflow", "sat",
           "incrby",   "i64", "0",   "-1",  "incrby",   "i64",
           "0",        "10"}),
      "*4\r\n:0\r\n:-9223372036854775808\r\n:-9223372036854775808\r\n:-9223372036854775798\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf3", "set", "u63",      "0",    "-1",  "overflow", "sat", "set",
                 "u63",      "0",   "-1",  "overflow", "fail", "set", "u63",      "0",   "-1",
                 "set",      "u2",  "70",  "4",        "get",  "u2",  "70"}),
            "*5\r\n:4611686018427387909\r\n:9223372036854775807\r\n$-1\r\n$-1\r\n:0\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf3", "overflow", "wrap", "set", "i3", "0", "5", "get", "i3", "0",
                 "set", "u3", "0", "9", "get", "u3", "0"}),
            "*4\r\n:-1\r\n:-3\r\n:5\r\n:1\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf4", "overflow", "fail", "incrby", "u8", "0", "256"}),
            "*1\r\n$-1\r\n"sv);
  EXPECT_EQ(Run({"get", "bf4"}), "$1\r\n\000\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf5", "get", "u8", "0", "overflow", "sat", "incrby", "u8", "0", "256",
                 "get", "u8", "0"}),
            "*3\r\n:0\r\n:255\r\n:255\r\n"sv);
  EXPECT_EQ(Run({"get", "bf5"}), "$1\r\n\377\r\n"sv);
  EXPECT_EQ(Run({"bitfield", "bf6", "set", "u1", "1", "1", "set", "u1", "1", "1"}),
            "*2\r\n:0\r\n:1\r\n"sv);
  events.clear();
  Run({"bitfield", "bf6", "set", "u1", "1", "1"});
  Run({"bitfield", "bf6", "set", "u1", "1", "0"});
  EXPECT_EQ(events.events, (std::vector<std::string>{"$ setbit bf6 0"}));
  AddList("l");
  EXPECT_EQ(Run({"bitfield", "l", "get", "u8", "0"}), Err(kWrongType));
  EXPECT_EQ(Run({"bitfield_ro", "l", "get", "u8", "0"}), Err(kWrongType));
}

}  // namespace
}  // namespace zakros::commands
