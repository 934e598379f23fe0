// Generic keyspace commands against Redis 7.0's replies (checked with redis-server 7.0.15).
#include <set>
#include <string>

#include "command_fixture.h"
#include "commands/errors.h"

namespace zakros::commands {
namespace {

class KeyspaceCommandsTest : public CommandTest {};

TEST_F(KeyspaceCommandsTest, DelExistsType) {
  Run({"mset", "a", "1", "b", "2"});
  EXPECT_EQ(Run({"exists", "a", "b", "a", "c"}), Int(3));
  EXPECT_EQ(Run({"type", "a"}), "+string\r\n");
  EXPECT_EQ(Run({"type", "c"}), "+none\r\n");
  AddList("l");
  EXPECT_EQ(Run({"type", "l"}), "+list\r\n");
  events.clear();
  EXPECT_EQ(Run({"del", "a", "c", "l"}), Int(2));
  EXPECT_EQ(events.events, (std::vector<std::string>{"g del a 0", "g del l 0"}));
  EXPECT_EQ(Run({"unlink", "b", "b"}), Int(1));
  EXPECT_EQ(Run({"dbsize"}), Int(0));
}

TEST_F(KeyspaceCommandsTest, KeysAndScan) {
  for (int i = 0; i < 100; ++i) Run({"set", "key:" + std::to_string(i), "v"});
  Run({"set", "other", "v"});
  Run({"set", "gone", "v", "px", "1"});
  now_ms += 1;
  std::string reply = Run({"keys", "key:1?"});
  EXPECT_EQ(reply.substr(0, 5), "*10\r\n");
  EXPECT_EQ(Run({"keys", "oth*"}), "*1\r\n$5\r\nother\r\n");
  EXPECT_EQ(Run({"keys", "gone"}), "*0\r\n");

  // A full SCAN returns every key exactly once when nothing changes.
  std::set<std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    std::string r = Run({"scan", cursor, "count", "7"});
    // *2\r\n$<n>\r\n<cursor>\r\n*<m>\r\n ($<len>\r\n<key>\r\n)*
    size_t p = r.find("\r\n", 4);
    size_t q = r.find("\r\n", p + 2);
    cursor = r.substr(p + 2, q - p - 2);
    size_t pos = r.find("\r\n", q + 2) + 2;
    while (pos < r.size()) {
      size_t e = r.find("\r\n", pos);
      size_t len = std::stoul(r.substr(pos + 1, e - pos - 1));
      seen.insert(r.substr(e + 2, len));
      pos = e + 2 + len + 2;
    }
    ++calls;
  } while (cursor != "0" && calls < 1000);
  EXPECT_EQ(seen.size(), 101u);
  EXPECT_FALSE(seen.count("gone"));

  EXPECT_EQ(Run({"scan", "abc"}), Err("ERR invalid cursor"));
  EXPECT_EQ(Run({"scan", " 1"}), Err("ERR invalid cursor"));
  EXPECT_EQ(Run({"scan", "0", "count", "0"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"scan", "0", "count", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"scan", "0", "match"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"scan", "0", "count", "1000", "match", "oth*"}),
            "*2\r\n$1\r\n0\r\n*1\r\n$5\r\nother\r\n");
  AddList("mylist");
  EXPECT_EQ(Run({"scan", "0", "count", "1000", "type", "LIST"}),
            "*2\r\n$1\r\n0\r\n*1\r\n$6\r\nmylist\r\n");
  EXPECT_EQ(Run({"scan", "0", "count", "1000", "type", "nosuchtype"}), "*2\r\n$1\r\n0\r\n*0\r\n");
}

// SCAN's guarantee through the command: keys present for the whole iteration are returned even
// though the table grows (thousands of inserts) and shrinks (mass deletes) between calls.
TEST_F(KeyspaceCommandsTest, ScanGuaranteeUnderGrowthAndShrink) {
  for (int i = 0; i < 500; ++i) Run({"set", "stable:" + std::to_string(i), "v"});
  std::set<std::string> seen;
  std::string cursor = "0";
  int round = 0;
  do {
    std::string r = Run({"scan", cursor, "count", "5"});
    size_t p = r.find("\r\n", 4);
    size_t q = r.find("\r\n", p + 2);
    cursor = r.substr(p + 2, q - p - 2);
    size_t pos = r.find("\r\n", q + 2) + 2;
    while (pos < r.size()) {
      size_t e = r.find("\r\n", pos);
      size_t len = std::stoul(r.substr(pos + 1, e - pos - 1));
      seen.insert(r.substr(e + 2, len));
      pos = e + 2 + len + 2;
    }
    if (round % 3 == 0) {
      for (int i = 0; i < 1000; ++i) Run({"set", "tmp:" + std::to_string(round * 1000 + i), "v"});
    } else if (round % 3 == 2) {
      std::vector<std::string> names;
      for (int i = 0; i < 1000; ++i)
        names.push_back("tmp:" + std::to_string((round - 2) * 1000 + i));
      std::vector<std::string_view> argv{"del"};
      for (const auto& n : names) argv.push_back(n);
      Run(argv);
    }
    ++round;
  } while (cursor != "0" && round < 100000);
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(seen.count("stable:" + std::to_string(i))) << i;
}

TEST_F(KeyspaceCommandsTest, Resp3Replies) {
  protocol = 3;
  EXPECT_EQ(Run({"get", "nokey"}), "_\r\n");
  Run({"mset", "a", "ab", "b", "ab"});
  EXPECT_EQ(Run({"lcs", "a", "b", "idx"}),
            "%2\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:0\r\n:1\r\n*2\r\n:0\r\n:1\r\n"
            "$3\r\nlen\r\n:2\r\n");
  EXPECT_EQ(Run({"object", "encoding", "nokey"}), "_\r\n");
}

TEST_F(KeyspaceCommandsTest, Rename) {
  EXPECT_EQ(Run({"rename", "a", "b"}), Err(kNoSuchKey));
  EXPECT_EQ(Run({"renamenx", "a", "b"}), Err(kNoSuchKey));
  Run({"set", "a", "1", "ex", "100"});
  EXPECT_EQ(Run({"rename", "a", "a"}), kOk);
  EXPECT_EQ(Run({"renamenx", "a", "a"}), Int(0));
  events.clear();
  EXPECT_EQ(Run({"rename", "a", "b"}), kOk);
  EXPECT_EQ(events.events,
            (std::vector<std::string>{"n new b 0", "g rename_from a 0", "g rename_to b 0"}));
  EXPECT_EQ(Run({"ttl", "b"}), Int(100));
  EXPECT_EQ(Run({"get", "b"}), Bulk("1"));
  Run({"set", "c", "3"});
  EXPECT_EQ(Run({"renamenx", "b", "c"}), Int(0));
  EXPECT_EQ(Run({"rename", "b", "c"}), kOk);
  EXPECT_EQ(Run({"get", "c"}), Bulk("1"));
  EXPECT_EQ(Run({"ttl", "c"}), Int(100));
  EXPECT_EQ(Run({"renamenx", "c", "d"}), Int(1));
  EXPECT_EQ(Run({"dbsize"}), Int(1));
}

TEST_F(KeyspaceCommandsTest, MoveCopySwapdb) {
  Run({"set", "k", "v", "ex", "50"});
  EXPECT_EQ(Run({"move", "k", "0"}), Err(kSameObject));
  EXPECT_EQ(Run({"move", "k", "16"}), Err(kDbIndexOutOfRange));
  EXPECT_EQ(Run({"move", "k", "x"}), Err(kNotInteger));
  EXPECT_EQ(Run({"move", "nokey", "1"}), Int(0));
  EXPECT_EQ(Run({"move", "k", "1"}), Int(1));
  EXPECT_EQ(Run({"exists", "k"}), Int(0));
  db_index = 1;
  EXPECT_EQ(Run({"ttl", "k"}), Int(50));
  Run({"set", "k2", "x"});
  db_index = 0;
  Run({"set", "k", "w"});
  EXPECT_EQ(Run({"move", "k", "1"}), Int(0));

  EXPECT_EQ(Run({"copy", "k", "k"}), Err(kSameObject));
  EXPECT_EQ(Run({"copy", "k", "kc"}), Int(1));
  EXPECT_EQ(Run({"copy", "k", "kc"}), Int(0));
  EXPECT_EQ(Run({"copy", "k", "kc", "replace"}), Int(1));
  EXPECT_EQ(Run({"copy", "k", "k", "db", "1"}), Int(0));
  EXPECT_EQ(Run({"copy", "k", "k", "db", "1", "replace"}), Int(1));
  EXPECT_EQ(Run({"copy", "k", "k", "db", "99"}), Err(kDbIndexOutOfRange));
  EXPECT_EQ(Run({"copy", "k", "k", "foo"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"copy", "nokey", "x"}), Int(0));
  Run({"set", "n", "5", "px", "9000"});
  EXPECT_EQ(Run({"copy", "n", "n2"}), Int(1));
  EXPECT_EQ(Run({"pttl", "n2"}), Int(9000));
  EXPECT_EQ(Run({"object", "encoding", "n2"}), Bulk("int"));
  AddList("l");
  EXPECT_EQ(Run({"copy", "l", "l2"}), Int(1));
  EXPECT_EQ(Run({"type", "l2"}), "+list\r\n");

  EXPECT_EQ(Run({"swapdb", "0", "1"}), kOk);
  EXPECT_EQ(Run({"get", "k"}), Bulk("w"));  // db1's copy
  EXPECT_EQ(Run({"exists", "k2"}), Int(1));
  EXPECT_EQ(Run({"swapdb", "x", "1"}), Err("ERR invalid first DB index"));
  EXPECT_EQ(Run({"swapdb", "0", "y"}), Err("ERR invalid second DB index"));
  EXPECT_EQ(Run({"swapdb", "0", "16"}), Err(kDbIndexOutOfRange));
  EXPECT_EQ(events.databases, (std::vector<int>{0, 1}));
}

TEST_F(KeyspaceCommandsTest, ExpireFamily) {
  EXPECT_EQ(Run({"expire", "k", "10"}), Int(0));
  Run({"set", "k", "v"});
  EXPECT_EQ(Run({"ttl", "k"}), Int(-1));
  EXPECT_EQ(Run({"ttl", "nokey"}), Int(-2));
  EXPECT_EQ(Run({"expiretime", "k"}), Int(-1));
  EXPECT_EQ(Run({"expire", "k", "10", "xx"}), Int(0));
  EXPECT_EQ(Run({"expire", "k", "10", "gt"}), Int(0));
  EXPECT_EQ(Run({"expire", "k", "10", "nx"}), Int(1));
  EXPECT_EQ(Run({"expire", "k", "20", "nx"}), Int(0));
  EXPECT_EQ(Run({"expire", "k", "5", "gt"}), Int(0));
  EXPECT_EQ(Run({"expire", "k", "20", "gt"}), Int(1));
  EXPECT_EQ(Run({"expire", "k", "30", "lt"}), Int(0));
  EXPECT_EQ(Run({"pexpire", "k", "15000", "lt"}), Int(1));
  EXPECT_EQ(Run({"pttl", "k"}), Int(15000));
  EXPECT_EQ(Run({"expiretime", "k"}), Int((now_ms + 15000 + 500) / 1000));
  EXPECT_EQ(Run({"pexpiretime", "k"}), Int(now_ms + 15000));
  EXPECT_EQ(Run({"expireat", "k", std::to_string(now_ms / 1000 + 100)}), Int(1));
  EXPECT_EQ(Run({"pexpireat", "k", std::to_string(now_ms + 100)}), Int(1));
  EXPECT_EQ(Run({"pttl", "k"}), Int(100));
  EXPECT_EQ(Run({"expire", "k", "10", "nx", "xx"}), Err(kExpireNxAndOthers));
  EXPECT_EQ(Run({"expire", "k", "10", "gt", "lt"}), Err(kExpireGtAndLt));
  EXPECT_EQ(Run({"expire", "k", "10", "foo"}), Err("ERR Unsupported option foo"));
  EXPECT_EQ(Run({"expire", "k", "abc"}), Err(kNotInteger));
  EXPECT_EQ(Run({"expire", "k", "9223372036854775807"}),
            Err("ERR invalid expire time in 'expire' command"));
  EXPECT_EQ(Run({"pexpire", "k", "9223372036854775807"}),
            Err("ERR invalid expire time in 'pexpire' command"));
  events.clear();
  EXPECT_EQ(Run({"persist", "k"}), Int(1));
  EXPECT_EQ(Run({"persist", "k"}), Int(0));
  EXPECT_EQ(Run({"persist", "nokey"}), Int(0));
  EXPECT_EQ(events.events, (std::vector<std::string>{"g persist k 0"}));
  // A time in the past deletes at once.
  events.clear();
  EXPECT_EQ(Run({"expire", "k", "-1"}), Int(1));
  EXPECT_EQ(Run({"exists", "k"}), Int(0));
  EXPECT_EQ(events.events, (std::vector<std::string>{"g del k 0"}));
  // ...except on a follower, which keeps it with a past expire time.
  Run({"set", "k", "v"});
  may_delete_expired = false;
  EXPECT_EQ(Run({"pexpireat", "k", "1"}), Int(1));
  EXPECT_EQ(Run({"exists", "k"}), Int(0));
  EXPECT_EQ(Run({"dbsize"}), Int(1));
}

TEST_F(KeyspaceCommandsTest, Object) {
  Run({"set", "small", "100"});
  Run({"set", "large", "10000"});
  Run({"set", "s", "hello"});
  Run({"set", "r", std::string(45, 'x')});
  EXPECT_EQ(Run({"object", "encoding", "small"}), Bulk("int"));
  EXPECT_EQ(Run({"object", "encoding", "s"}), Bulk("embstr"));
  EXPECT_EQ(Run({"object", "encoding", "r"}), Bulk("raw"));
  EXPECT_EQ(Run({"object", "encoding", "nokey"}), kNil);
  EXPECT_EQ(Run({"object", "refcount", "small"}), Int(2147483647));
  EXPECT_EQ(Run({"object", "refcount", "large"}), Int(1));
  EXPECT_EQ(Run({"object", "refcount", "s"}), Int(1));
  now_ms += 5000;
  EXPECT_EQ(Run({"object", "idletime", "s"}), Int(5));
  EXPECT_EQ(Run({"object", "idletime", "s"}), Int(5));  // OBJECT does not touch
  Run({"get", "s"});
  EXPECT_EQ(Run({"object", "idletime", "s"}), Int(0));
  now_ms += 3000;
  Run({"touch", "s", "nokey"});
  EXPECT_EQ(Run({"object", "idletime", "s"}), Int(0));
  EXPECT_EQ(Run({"object", "freq", "s"}), Err(kLfuNotSelected));
  keyspace.set_lfu(true);
  EXPECT_EQ(Run({"object", "idletime", "s"}), Err(kLfuSelected));
  std::string help = Run({"object", "help"});
  EXPECT_EQ(help.substr(0, 71),
            "*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
  EXPECT_NE(help.find("+    Prints this help.\r\n"), std::string::npos);
}

TEST_F(KeyspaceCommandsTest, RandomkeyFlush) {
  EXPECT_EQ(Run({"randomkey"}), kNil);
  Run({"set", "only", "v"});
  EXPECT_EQ(Run({"randomkey"}), Bulk("only"));
  Run({"set", "e", "v", "px", "1"});
  now_ms += 1;
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Run({"randomkey"}), Bulk("only"));
  db_index = 3;
  Run({"set", "x", "v"});
  EXPECT_EQ(Run({"flushdb", "foo"}), Err(kSyntaxError));
  EXPECT_EQ(Run({"flushdb", "async"}), kOk);
  EXPECT_EQ(Run({"dbsize"}), Int(0));
  db_index = 0;
  EXPECT_EQ(Run({"dbsize"}), Int(1));
  EXPECT_EQ(Run({"flushall", "sync"}), kOk);
  EXPECT_EQ(Run({"dbsize"}), Int(0));
  EXPECT_EQ(events.databases, (std::vector<int>{3, -1}));
}

TEST_F(KeyspaceCommandsTest, SpecsMatchRedis) {
  const CommandSpec* del = table.find("DEL");
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(del->arity, -2);
  EXPECT_EQ(del->last_key, -1);
  const CommandSpec* mset = table.find("mset");
  EXPECT_EQ(mset->key_step, 2);
  const CommandSpec* object = table.find("object");
  ASSERT_EQ(object->subcommands.size(), 5u);
  EXPECT_EQ(CommandTable::find_subcommand(*object, "ENCODING")->first_key, 2);
}

}  // namespace
}  // namespace zakros::commands
