// The introspection parts of the server: the slow log's entry format, the latency monitor's
// series, INFO's section selection, and COMMAND's replies compared byte for byte with what
// redis-server 7.0.15 answers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/admin/introspection.h"
#include "server/admin/latency.h"
#include "server/admin/slowlog.h"
#include "server/metrics.h"
#include "server/server.h"

namespace zakros::server {
namespace {

TEST(SlowLog, KeepsSlowCommandsNewestFirstAndTrims) {
  SlowLog log;
  std::vector<std::string_view> argv = {"debug", "sleep", "0.2"};
  log.maybe_push(argv, 50, 100, 10, 1000, "127.0.0.1:1", "");
  EXPECT_EQ(log.size(), 0u);
  log.maybe_push(argv, 100, 100, 10, 1000, "127.0.0.1:1", "foobar");
  log.maybe_push(argv, 200, 100, 10, 1001, "127.0.0.1:1", "second");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log.entries()[0].client_name, "second");
  EXPECT_EQ(log.entries()[0].id, 1u);
  EXPECT_EQ(log.entries()[1].id, 0u);
  log.maybe_push(argv, 300, 100, 1, 1002, "127.0.0.1:1", "third");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.entries()[0].client_name, "third");
  // Disabled (negative threshold) or zero length: nothing is logged.
  log.reset();
  log.maybe_push(argv, 300, -1, 10, 1002, "", "");
  log.maybe_push(argv, 300, 0, 0, 1002, "", "");
  EXPECT_EQ(log.size(), 0u);
}

TEST(SlowLog, TrimsArgumentsAsRedis) {
  // 33 arguments: 31 kept, then "... (2 more arguments)" (Redis's slowlog.tcl).
  std::vector<std::string> storage = {"sadd", "set"};
  for (int i = 3; i <= 33; ++i) storage.push_back(std::to_string(i));
  std::vector<std::string_view> argv(storage.begin(), storage.end());
  std::vector<std::string> out = SlowLog::trim_argv(argv);
  ASSERT_EQ(out.size(), 32u);
  EXPECT_EQ(out[30], "31");
  EXPECT_EQ(out[31], "... (2 more arguments)");

  std::string long_arg(129, 'A');
  std::vector<std::string_view> argv2 = {"sadd", "set", "foo", long_arg};
  out = SlowLog::trim_argv(argv2);
  EXPECT_EQ(out[3], std::string(128, 'A') + "... (1 more bytes)");
}

TEST(LatencyMonitor, OneSamplePerSecondKeepsTheMaximum) {
  LatencyMonitor m;
  m.add_if_needed("command", 5, 0, 100);  // monitoring off
  EXPECT_TRUE(m.events().empty());
  m.add_if_needed("command", 5, 10, 100);  // below threshold
  EXPECT_TRUE(m.events().empty());
  m.add_if_needed("command", 300, 200, 100);
  m.add_if_needed("command", 250, 200, 100);
  m.add_if_needed("command", 400, 200, 102);
  const LatencyMonitor::Series* s = m.find("command");
  ASSERT_NE(s, nullptr);
  std::vector<LatencyMonitor::Sample> h = s->history();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].time_sec, 100);
  EXPECT_EQ(h[0].latency_ms, 300u);
  EXPECT_EQ(h[1].latency_ms, 400u);
  EXPECT_EQ(s->max_ms, 400u);
  EXPECT_EQ(s->last().time_sec, 102);
  EXPECT_EQ(m.reset({"blabla"}), 0u);
  EXPECT_EQ(m.reset({}), 1u);
  EXPECT_TRUE(m.events().empty());
}

TEST(LatencyMonitor, WrapsAfter160Samples) {
  LatencyMonitor m;
  for (int i = 1; i <= 200; ++i) m.add("e", static_cast<uint64_t>(i), i);
  std::vector<LatencyMonitor::Sample> h = m.find("e")->history();
  ASSERT_EQ(h.size(), LatencyMonitor::kSeriesLength);
  EXPECT_EQ(h.front().time_sec, 41);
  EXPECT_EQ(h.back().time_sec, 200);
}

TEST(LatencyHistogram, BucketsArePowersOfTwo) {
  LatencyHistogram h;
  h.record(1);
  h.record(3);
  h.record(1000);
  EXPECT_EQ(h.count, 3u);
  EXPECT_EQ(h.buckets[0], 1u);
  EXPECT_EQ(h.buckets[2], 1u);
  EXPECT_EQ(h.buckets[10], 1u);  // 1000 <= 1024
  EXPECT_EQ(h.percentile(50), 4.0);
  EXPECT_EQ(h.percentile(100), 1024.0);
}

TEST(InstantaneousMetric, RateOverTheWindow) {
  InstantaneousMetric m;
  m.sample(1000, 0);
  m.sample(1050, 10);  // too soon: ignored
  m.sample(1100, 100);
  EXPECT_DOUBLE_EQ(m.per_second(2000, 1000), 1000.0);
  EXPECT_DOUBLE_EQ(m.per_second(10000, 1000), 0.0);  // samples too old
}

TEST(Repr, EscapesAsSdscatrepr) {
  std::string out;
  append_repr(out, std::string_view("a\"b\\c\n\r\t\x01\xff", 10));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\r\\t\\x01\\xff\"");
  EXPECT_EQ(bytes_to_human(200), "200B");
  EXPECT_EQ(bytes_to_human(941112), "919.05K");
  EXPECT_EQ(bytes_to_human(7036928), "6.71M");
}

class ServerFixture : public ::testing::Test {
 protected:
  // Runs `argv` through the command's handler (no client) and returns the RESP2 reply.
  std::string run(std::vector<std::string_view> argv) {
    std::string buf;
    resp::ReplyWriter out(&buf);
    commands::ExecContext exec = server_.make_exec_context();
    const commands::CommandSpec* spec = server_.commands().find(argv[0]);
    if (spec != nullptr && !spec->subcommands.empty() && argv.size() >= 2) {
      spec = commands::CommandTable::find_subcommand(*spec, argv[1]);
    }
    if (spec == nullptr) return "(unknown)";
    commands::CommandContext ctx{argv,    out,  server_.keyspace(), 0, exec, server_, &server_,
                                 nullptr, false};
    spec->handler(ctx);
    return buf;
  }

  Server server_{Config{}};
};

TEST_F(ServerFixture, InfoSectionsFollowRedis) {
  std::vector<std::string_view> none;
  std::string info = info_string(server_, none);
  EXPECT_NE(info.find("# Server\r\nredis_version:7.0.15\r\n"), std::string::npos);
  EXPECT_NE(info.find("used_cpu_user:"), std::string::npos);
  EXPECT_NE(info.find("used_memory:"), std::string::npos);
  EXPECT_NE(info.find("# Keyspace\r\n"), std::string::npos);
  EXPECT_EQ(info.find("# Commandstats"), std::string::npos);

  std::vector<std::string_view> cpu = {"cpu"};
  info = info_string(server_, cpu);
  EXPECT_EQ(info.rfind("# CPU\r\nused_cpu_sys:", 0), 0u);
  EXPECT_EQ(info.find("used_memory"), std::string::npos);

  std::vector<std::string_view> cpu_all = {"CPU", "all"};
  info = info_string(server_, cpu_all);
  EXPECT_NE(info.find("# Commandstats"), std::string::npos);
  EXPECT_NE(info.find("master_repl_offset:0"), std::string::npos);
  EXPECT_EQ(info.find("used_cpu_user_children"), info.rfind("used_cpu_user_children"));

  std::vector<std::string_view> sentinel = {"sentinel"};
  EXPECT_EQ(info_string(server_, sentinel), "");
}

TEST_F(ServerFixture, CommandInfoMatchesRedisBytes) {
  // redis-server 7.0.15: COMMAND INFO get
  const std::string expected =
      "*1\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n"
      "+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n"
      "$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\n"
      "index\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n"
      "$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
  EXPECT_EQ(run({"command", "info", "get"}), expected);
  EXPECT_EQ(run({"command", "info", "get|key", "config|get|key"}), "*2\r\n$-1\r\n$-1\r\n");
}

TEST_F(ServerFixture, CommandGetKeys) {
  EXPECT_EQ(run({"command", "getkeys", "get", "key"}), "*1\r\n$3\r\nkey\r\n");
  EXPECT_EQ(run({"command", "getkeys", "nosuch", "a"}), "-ERR Invalid command specified\r\n");
  EXPECT_EQ(run({"command", "getkeys", "set", "a"}),
            "-ERR Invalid number of arguments specified for command\r\n");
  EXPECT_EQ(run({"command", "getkeys", "ping", "x"}), "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(run({"command", "getkeysandflags", "set", "k1", "v1"}),
            "*1\r\n*2\r\n$2\r\nk1\r\n*2\r\n+OW\r\n+update\r\n");
  EXPECT_EQ(run({"command", "getkeysandflags", "mset", "k1", "v1", "k2", "v2"}),
            "*2\r\n*2\r\n$2\r\nk1\r\n*2\r\n+OW\r\n+update\r\n*2\r\n$2\r\nk2\r\n*2\r\n+OW\r\n"
            "+update\r\n");
}

TEST_F(ServerFixture, CommandList) {
  std::string all = run({"command", "list"});
  EXPECT_NE(all.find("$3\r\nset\r\n"), std::string::npos);
  EXPECT_NE(all.find("$11\r\nclient|list\r\n"), std::string::npos);
  EXPECT_EQ(run({"command", "list", "filterby", "pattern", "get"}), "*1\r\n$3\r\nget\r\n");
  EXPECT_EQ(run({"command", "list", "bad_arg"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"command", "list", "filterby", "bad_arg", "x"}), "-ERR syntax error\r\n");
  EXPECT_EQ(run({"command", "list", "filterby", "aclcat", "non_existing_category"}), "*0\r\n");
  EXPECT_EQ(run({"command", "list", "filterby", "module", "x"}), "*0\r\n");
}

TEST_F(ServerFixture, SlowlogGetFormat) {
  std::vector<std::string_view> argv = {"debug", "sleep", "0.2"};
  server_.slowlog.maybe_push(argv, 200000, 100000, 128, 1700000000, "127.0.0.1:5000", "foobar");
  EXPECT_EQ(run({"slowlog", "len"}), ":1\r\n");
  EXPECT_EQ(run({"slowlog", "get"}),
            "*1\r\n*6\r\n:0\r\n:1700000000\r\n:200000\r\n*3\r\n$5\r\ndebug\r\n$5\r\nsleep\r\n"
            "$3\r\n0.2\r\n$14\r\n127.0.0.1:5000\r\n$6\r\nfoobar\r\n");
  EXPECT_EQ(run({"slowlog", "get", "-2"}), "-ERR count should be greater than or equal to -1\r\n");
  EXPECT_EQ(run({"slowlog", "get", "0"}), "*0\r\n");
  EXPECT_EQ(run({"slowlog", "reset"}), "+OK\r\n");
  EXPECT_EQ(run({"slowlog", "len"}), ":0\r\n");
}

TEST_F(ServerFixture, RedactsSecrets) {
  const commands::CommandSpec* auth = server_.commands().find("auth");
  ASSERT_NE(auth, nullptr);
  std::vector<std::string_view> argv = {"auth", "user", "pass"};
  std::vector<std::string_view> shown = redacted_argv(*auth, nullptr, argv);
  EXPECT_EQ(shown[1], "(redacted)");
  EXPECT_EQ(shown[2], "(redacted)");
  const commands::CommandSpec* hello = server_.commands().find("hello");
  std::vector<std::string_view> hargv = {"hello", "2", "AUTH", "u", "p", "SETNAME", "n"};
  shown = redacted_argv(*hello, nullptr, hargv);
  EXPECT_EQ(shown[3], "(redacted)");
  EXPECT_EQ(shown[4], "(redacted)");
  EXPECT_EQ(shown[6], "n");
  const commands::CommandSpec* config = server_.commands().find("config");
  ASSERT_NE(config, nullptr);
  const commands::CommandSpec* set = commands::CommandTable::find_subcommand(*config, "set");
  ASSERT_NE(set, nullptr);
  std::vector<std::string_view> cargv = {"config", "set", "masterauth", "x", "maxmemory", "1"};
  shown = redacted_argv(*set, config, cargv);
  EXPECT_EQ(shown[3], "(redacted)");
  EXPECT_EQ(shown[5], "1");
}

}  // namespace
}  // namespace zakros::server
