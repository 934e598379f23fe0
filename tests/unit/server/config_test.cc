// The configuration: Redis's config-file syntax, the command line, option validation, CONFIG
// GET/SET/REWRITE. Expected texts are Redis 7.0.15's (checked against redis-server).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "commands/command.h"
#include "resp/reply_writer.h"
#include "server/config/config.h"
#include "server/config/config_options.h"
#include "server/config/config_special.h"
#include "store/keyspace.h"

namespace zakros::server {
namespace {

namespace fs = std::filesystem;

// ---- helpers ----

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "zakros-config-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name, const std::string& content) const {
    std::string p = (fs::path(path_) / name).string();
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<std::string> load_args(std::vector<std::string> args, Config* config,
                                     std::string* file = nullptr) {
  args.insert(args.begin(), "zakros");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return load_config(static_cast<int>(argv.size()), argv.data(), config, file);
}

std::string get(const Config& c, std::string_view name) {
  const OptionSpec* spec = find_option(name);
  EXPECT_NE(spec, nullptr) << name;
  return spec ? spec->get(c) : "";
}

class NullEvents : public commands::KeyspaceEvents {
 public:
  void key_modified(int, std::string_view) override {}
  void database_modified(int) override {}
  void notify(char, std::string_view, std::string_view, int) override {}
  void key_ready(int, std::string_view) override {}
};

class TestHost : public ConfigHost {
 public:
  Config& config() override { return config_; }
  void on_config_changed(std::string_view option) override { changed.emplace_back(option); }
  std::optional<std::string> apply_config_change(std::string_view option) override {
    on_config_changed(option);
    if (option == fail_option)
      return std::string("Unable to listen on this port. Check server logs.");
    return std::nullopt;
  }
  void reset_stats() override { ++resets; }
  const std::string& config_file() override { return file; }

  Config config_;
  std::string file;
  std::vector<std::string> changed;
  std::string fail_option;
  int resets = 0;
};

// Decodes a RESP2 reply of simple strings, errors, bulk strings and (nested, flattened) arrays.
std::vector<std::string> decode(const std::string& resp) {
  std::vector<std::string> out;
  size_t p = 0;
  while (p < resp.size()) {
    size_t eol = resp.find("\r\n", p);
    char type = resp[p];
    std::string head = resp.substr(p + 1, eol - p - 1);
    p = eol + 2;
    if (type == '$') {
      long len = std::stol(head);
      if (len < 0) {
        out.push_back("(nil)");
        continue;
      }
      out.push_back(resp.substr(p, static_cast<size_t>(len)));
      p += static_cast<size_t>(len) + 2;
    } else if (type == '+' || type == '-' || type == ':') {
      out.push_back(type == '-' ? "-" + head : head);
    }
  }
  return out;
}

class ConfigCommandTest : public ::testing::Test {
 protected:
  // Runs CONFIG with the given arguments and returns the raw RESP2 reply.
  std::string raw(std::vector<std::string> args) {
    args.insert(args.begin(), "config");
    std::vector<std::string_view> argv(args.begin(), args.end());
    std::string out;
    resp::ReplyWriter writer(&out);
    commands::CommandContext ctx{argv, writer, keyspace_, 0, exec_, events_};
    execute_config_command(&host_, ctx);
    return out;
  }
  std::vector<std::string> run(std::vector<std::string> args) { return decode(raw(args)); }
  std::string one(std::vector<std::string> args) {
    auto r = run(std::move(args));
    return r.empty() ? "" : r[0];
  }

  store::Keyspace keyspace_{1};
  commands::ExecContext exec_;
  NullEvents events_;
  TestHost host_;
};

// ---- split_args / quote_arg (Redis's sdssplitargs / sdscatrepr) ----

TEST(SplitArgs, PlainQuotedAndEscaped) {
  auto a = split_args("  set  key \"a b\\n\\x41\\\"\" 'it\\'s' \"\" ");
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, (std::vector<std::string>{"set", "key", "a b\nA\"", "it's", ""}));
  EXPECT_EQ(*split_args("a\"b c\" d"), (std::vector<std::string>{"ab c", "d"}));
  EXPECT_EQ(*split_args("\"\\t\\r\\b\\a\\\\\\q\""),
            std::vector<std::string>{std::string("\t\r\b\a\\q")});
  EXPECT_EQ(*split_args("\"\\xzz\""), std::vector<std::string>{"xzz"});
  EXPECT_TRUE(split_args("")->empty());
  EXPECT_TRUE(split_args("   ")->empty());
}

TEST(SplitArgs, Errors) {
  EXPECT_FALSE(split_args("\"unterminated"));
  EXPECT_FALSE(split_args("'unterminated"));
  EXPECT_FALSE(split_args("\"closed\"x"));  // closing quote must be followed by a space
  EXPECT_FALSE(split_args("'closed'x"));
  EXPECT_FALSE(split_args("a\"b\"c"));
}

TEST(QuoteArg, RoundTrips) {
  static constexpr char kNasty[] = "a \"b\"\\\n\r\t\a\b\x01\xff";
  std::string nasty(kNasty, sizeof(kNasty) - 1);
  EXPECT_EQ(quote_arg("x y"), "\"x y\"");
  EXPECT_EQ(quote_arg(std::string("\x01", 1)), "\"\\x01\"");
  auto back = split_args(quote_arg(nasty));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, std::vector<std::string>{nasty});
}

// ---- the config file ----

TEST(LoadConfig, DefaultsAreRedisAndZakros) {
  Config c;
  EXPECT_EQ(c.port, 6379);
  EXPECT_TRUE(c.raft_enabled);
  EXPECT_EQ(c.dir, "./data");
  EXPECT_EQ(get(c, "bind"), "* -::*");
  EXPECT_EQ(get(c, "save"), "3600 1 300 100 60 10000");
  EXPECT_EQ(get(c, "client-output-buffer-limit"),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
  EXPECT_EQ(get(c, "latency-tracking-info-percentiles"), "50 99 99.9");
  EXPECT_EQ(get(c, "proto-max-bulk-len"), "536870912");
  EXPECT_EQ(get(c, "list-max-ziplist-size"), "-2");
  EXPECT_EQ(get(c, "unixsocketperm"), "0");
  EXPECT_EQ(get(c, "raft-storage"), "disk");
  EXPECT_EQ(get(c, "loglevel"), "notice");
}

TEST(LoadConfig, FileSyntax) {
  Config c;
  auto err = load_config_text(
      "# a comment\n"
      "\n"
      "   PORT 7000   \r\n"
      "bind 127.0.0.1 ::1\n"
      "requirepass \"p a\\\"ss\"\n"
      "logfile ''\n"
      "MaxMemory 1gb\n"
      "loglevel WARNING\n"
      "save 900 1\n"
      "save 300 10\n"
      "notify-keyspace-events KEA\n"
      "hash-max-ziplist-entries 20\n"
      "client-output-buffer-limit pubsub 1mb 512kb 30\n"
      "client-output-buffer-limit replica 0 0 0\n"
      "list-max-ziplist-entries 512\n"  // dropped by Redis 7, still ignored
      "rename-command flushdb \"\"\n"
      "unixsocketperm 700\n"
      "maxmemory-clients 10%\n"
      "raft-enabled no\n"
      "cluster-addrs \"10.0.0.1:7000 10.0.0.2:7000 [::1]:7002\"\n"
      "node-id 2\n",
      "/etc/zakros.conf", &c);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(c.port, 7000);
  EXPECT_EQ(c.bind, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(c.requirepass, "p a\"ss");
  EXPECT_EQ(c.maxmemory, 1024ull * 1024 * 1024);
  EXPECT_EQ(c.loglevel, "warning");
  EXPECT_EQ(get(c, "save"), "900 1 300 10");  // the first save line replaces the defaults
  EXPECT_EQ(get(c, "notify-keyspace-events"), "AKE");
  EXPECT_EQ(c.hash_max_listpack_entries, 20u);
  EXPECT_EQ(c.client_output_buffer_limit[kClientPubsub],
            (OutputBufferLimit{1024 * 1024, 512 * 1024, 30}));
  EXPECT_EQ(c.client_output_buffer_limit[kClientReplica], (OutputBufferLimit{0, 0, 0}));
  EXPECT_EQ(c.rename_commands.size(), 1u);
  EXPECT_EQ(c.unixsocketperm, 0700u);
  EXPECT_EQ(get(c, "unixsocketperm"), "700");
  EXPECT_EQ(c.maxmemory_clients, -10);
  EXPECT_EQ(get(c, "maxmemory-clients"), "10%");
  EXPECT_FALSE(c.raft_enabled);
  ASSERT_EQ(c.cluster_addrs.size(), 3u);
  EXPECT_EQ(c.cluster_addrs[2], (NodeAddress{"::1", 7002}));
  EXPECT_EQ(get(c, "cluster-addrs"), "10.0.0.1:7000 10.0.0.2:7000 [::1]:7002");
  EXPECT_EQ(c.node_id, 2);
  EXPECT_TRUE(fs::path(c.dir).is_absolute());
}

TEST(LoadConfig, ErrorNamesFileLineAndReason) {
  Config c;
  auto err = load_config_text("# comment\nport \"abc\"\n", "/etc/zakros.conf", &c);
  ASSERT_TRUE(err);
  EXPECT_EQ(*err,
            "\n*** FATAL CONFIG FILE ERROR (zakros 0.1.0) ***\n"
            "Reading the configuration file '/etc/zakros.conf', at line 2\n"
            ">>> 'port \"abc\"'\n"
            "argument couldn't be parsed into an integer");

  auto check = [](const std::string& text, const std::string& reason) {
    Config cfg;
    auto e = load_config_text(text, "f.conf", &cfg);
    ASSERT_TRUE(e) << text;
    EXPECT_NE(e->find(reason), std::string::npos) << *e;
  };
  check("loglevel \"verbose\n", "at line 1\n>>> 'loglevel \"verbose'\nUnbalanced quotes");
  check("foo bar\n", "Bad directive or wrong number of arguments");
  check("port 1 2\n", "wrong number of arguments");
  check("port 70000\n", "argument must be between 0 and 65535 inclusive");
  check("maxclients 0\n", "argument must be between 1 and 4294967295 inclusive");
  check("maxclients -1\n", "argument must be between 1 and 4294967295 inclusive");
  check("appendonly maybe\n", "argument must be 'yes' or 'no'");
  check("maxmemory 10xb\n", "argument must be a memory value");
  check("maxmemory -1\n", "argument must be a memory value");
  check("maxmemory-clients 200%\n", "percentage argument must be less or equal to 100");
  check("maxmemory-clients abc\n", "argument must be a memory or percent value");
  check("unixsocketperm 9\n", "argument couldn't be parsed as an octal number");
  check("unixsocketperm 1777\n", "argument must be between 0 and 777 inclusive");
  check("maxmemory-policy lru\n",
        "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
        "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
  check("port 01\n", "argument couldn't be parsed into an integer");
  check("save 0 1\n", "Invalid save parameters");
  check("save 10\n", "Invalid save parameters");
  check("notify-keyspace-events Q\n", "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  check("client-output-buffer-limit master 0 0 0\n", "Invalid client class");
  check("client-output-buffer-limit normal 1 2\n", "Wrong number of arguments in buffer limit");
  check("client-output-buffer-limit normal 1x 0 0\n", "Error in hard, soft or soft_seconds");
  check("dbfilename a/b.rdb\n", "dbfilename can't be a path, just a filename");
  check("shutdown-on-sigint save nosave\n", "SAVE and NOSAVE can't be used simultaneously");
  check("oom-score-adj-values 0 200\n", "wrong number of arguments");
  check("latency-tracking-info-percentiles 50 101\n", "should sit between [0.0,100.0]");
  check("tls-port 6380\n", "TLS is not supported");
  check("replicaof 127.0.0.1 abc\n", "Invalid master port");
  check("replicaof 127.0.0.1 6379\n", "replicaof is not supported");
  check("cluster-addrs a:1 b\n", "invalid cluster-addrs entry 'b'");
  check("cluster-addrs a:1 a:1\n", "duplicate cluster-addrs entry");
  check("cluster-addrs a:1 b:2\nnode-id 2\n", "node-id 2 is out of range");
  check("node-id 1\n", "node-id 1 is out of range");
  check("raft-heartbeat-interval 500\nraft-election-timeout 400\n",
        "must be shorter than raft-election-timeout");
  check("raft-join yes\n", "raft-join yes needs cluster-addrs");
  check("raft-join yes\ncluster-addrs a:1 b:2\n", "raft-join yes needs raft-cluster-id");
  check("raft-join maybe\n", "argument must be 'yes' or 'no'");
  check("logfile /nonexistent-dir/x.log\n", "Can't open the log file");
}

TEST(LoadConfig, IncludeAndGlob) {
  TempDir dir;
  dir.file("a.part", "maxclients 100\n");
  dir.file("b.part", "timeout 7\n");
  std::string inc = dir.file("inc.conf", "port 7001\n");
  std::string main = dir.file("main.conf", "port 7000\ninclude " + inc + "\ninclude " + dir.path() +
                                               "/*.part\ninclude " + dir.path() + "/none-*.conf\n");
  Config c;
  std::string file;
  auto err = load_args({main, "--hz", "20"}, &c, &file);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(file, main);
  EXPECT_EQ(c.port, 7001);
  EXPECT_EQ(c.maxclients, 100u);
  EXPECT_EQ(c.timeout, 7);
  EXPECT_EQ(c.hz, 20);

  // An error in an included file names that file and its line.
  std::string bad = dir.file("bad.conf", "\n\ntimeout x\n");
  std::string top = dir.file("top.conf", "include " + bad + "\n");
  Config c2;
  err = load_args({top}, &c2);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("Reading the configuration file '" + bad + "', at line 3"), std::string::npos)
      << *err;

  Config c3;
  err = load_args({dir.path() + "/missing.conf"}, &c3);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("can't open config file"), std::string::npos) << *err;
}

// zakros.conf at the repository root documents the options with their default values.
TEST(LoadConfig, ShippedConfigHoldsTheDefaults) {
  std::string path = std::string(ZAKROS_TEST_DATA_DIR) + "/../../../zakros.conf";
  Config loaded;
  std::string file;
  auto err = load_args({path}, &loaded, &file);
  ASSERT_FALSE(err) << *err;
  Config defaults;
  defaults.dir = loaded.dir;  // made absolute by the loader
  for (const OptionSpec& spec : option_table()) {
    EXPECT_EQ(spec.get(loaded), spec.get(defaults)) << spec.name;
  }
}

// ---- the command line (redis-server's rules; cases from Redis's introspection tests) ----

TEST(CommandLine, OverridesFollowTheFile) {
  TempDir dir;
  std::string conf = dir.file("z.conf", "port 7000\nloglevel debug\nsave 900 1\n");
  Config c;
  ASSERT_FALSE(load_args({conf, "--port", "7002", "--save", "", "--bind", "127.0.0.1", "::1"}, &c));
  EXPECT_EQ(c.port, 7002);
  EXPECT_EQ(c.loglevel, "debug");
  EXPECT_EQ(get(c, "save"), "");
  EXPECT_EQ(get(c, "bind"), "127.0.0.1 ::1");
}

TEST(CommandLine, RedisQuirks) {
  {
    Config c;  // name and value in one argument
    ASSERT_FALSE(load_args({"--maxmemory 700mb", "--maxmemory-policy volatile-lru"}, &c));
    EXPECT_EQ(get(c, "maxmemory"), "734003200");
    EXPECT_EQ(get(c, "maxmemory-policy"), "volatile-lru");
  }
  {
    Config c;  // values may start with "--" once the name has none yet
    ASSERT_FALSE(
        load_args({"--proc-title-template", "--my--title--template", "--loglevel", "verbose"}, &c));
    EXPECT_EQ(get(c, "proc-title-template"), "--my--title--template");
    EXPECT_EQ(c.loglevel, "verbose");
  }
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--save", "--loglevel", "verbose"},
                                             {"--loglevel", "verbose", "--save"},
                                             {"--save", "", "--loglevel", "verbose"}}) {
    Config c;
    ASSERT_FALSE(load_args(args, &c));
    EXPECT_EQ(get(c, "save"), "");
    EXPECT_EQ(c.loglevel, "verbose");
  }
  {
    Config c;
    ASSERT_FALSE(load_args(
        {"--shutdown-on-sigint", "nosave", "force", "now", "--shutdown-on-sigterm", "nosave force"},
        &c));
    EXPECT_EQ(get(c, "shutdown-on-sigint"), "nosave now force");
    EXPECT_EQ(get(c, "shutdown-on-sigterm"), "nosave force");
  }
  {
    TempDir dir;  // "wrong usage that we support anyway" (after a config file)
    std::string conf = dir.file("default.conf", "port 7000\n");
    Config c;
    ASSERT_FALSE(load_args({conf, "loglevel", "verbose", "--maxmemory '700mb'"}, &c));
    EXPECT_EQ(c.loglevel, "verbose");
    EXPECT_EQ(c.maxmemory, 734003200u);
  }
}

TEST(CommandLine, Errors) {
  auto error_of = [](std::vector<std::string> args) {
    Config c;
    auto e = load_args(std::move(args), &c);
    return e ? *e : std::string("(no error)");
  };
  auto has = [](const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
  };
  std::string e = error_of({"--port"});
  EXPECT_TRUE(has(e, "'port'") && has(e, "wrong number of arguments")) << e;
  e = error_of({"--port", "6379", "6380"});
  EXPECT_TRUE(has(e, "'port \"6379\" \"6380\"'") && has(e, "wrong number of arguments")) << e;
  e = error_of({"--port", "--loglevel", "verbose"});
  EXPECT_TRUE(has(e, "'port \"--loglevel\" \"verbose\"'")) << e;
  e = error_of({"--port", "--bla", "--loglevel", "verbose"});
  EXPECT_TRUE(has(e, "'port \"--bla\"'") && has(e, "argument couldn't be parsed into an integer"))
      << e;
  e = error_of({"--logfile", "--my--log--file", "--loglevel", "--bla"});
  EXPECT_TRUE(has(e, "'loglevel \"--bla\"'") && has(e, "argument(s) must be one of the following"))
      << e;
  e = error_of({"--shutdown-on-sigint"});
  EXPECT_TRUE(has(e, "'shutdown-on-sigint'") && has(e, "must be one of the following")) << e;
  e = error_of({"--port", "abc"});
  EXPECT_TRUE(has(e, "Reading the command line options, at line 1\n>>> 'port \"abc\"'")) << e;
  e = error_of({"--replicaof", "--127.0.0.1", "--abc"});
  EXPECT_TRUE(has(e, "'replicaof \"--127.0.0.1\"'") && has(e, "wrong number of arguments")) << e;
}

// ---- value formats ----

TEST(Values, MemoryUnits) {
  unsigned long long v;
  ASSERT_TRUE(parse_memory("1k", &v));
  EXPECT_EQ(v, 1000u);
  ASSERT_TRUE(parse_memory("1KB", &v));
  EXPECT_EQ(v, 1024u);
  ASSERT_TRUE(parse_memory("2gb", &v));
  EXPECT_EQ(v, 2ull << 30);
  ASSERT_TRUE(parse_memory("5b", &v));
  EXPECT_EQ(v, 5u);
  EXPECT_FALSE(parse_memory("-1", &v));
  EXPECT_FALSE(parse_memory("1tb", &v));
  EXPECT_FALSE(parse_memory("1 mb", &v));
  EXPECT_EQ(format_memory(1 << 30), "1gb");
  EXPECT_EQ(format_memory(3 << 20), "3mb");
  EXPECT_EQ(format_memory(1024), "1kb");
  EXPECT_EQ(format_memory(1000), "1000");
  EXPECT_EQ(format_memory(0), "0");
}

TEST(Values, KeyspaceEventsCanonicalOrder) {
  EXPECT_EQ(keyspace_events_to_string(keyspace_events_from_string("EKA")), "AKE");
  EXPECT_EQ(keyspace_events_to_string(keyspace_events_from_string("xgE")), "gxE");
  EXPECT_EQ(keyspace_events_to_string(keyspace_events_from_string("mKn$")), "$nKm");
  EXPECT_EQ(keyspace_events_from_string(""), 0);
  EXPECT_EQ(keyspace_events_from_string("KEw"), -1);
}

TEST(Values, HzIsCapped) {
  Config c;
  ASSERT_FALSE(load_config_text("hz 100000\n", "", &c));
  EXPECT_EQ(c.hz, 500);
  ASSERT_FALSE(load_config_text("hz 0\n", "", &c));
  EXPECT_EQ(c.hz, 1);
}

TEST(Values, EveryOptionHasAUniqueNameAndRoundTripsItsDefault) {
  Config c;
  std::set<std::string> names;
  for (const OptionSpec& spec : option_table()) {
    EXPECT_TRUE(names.insert(std::string(spec.name)).second) << spec.name;
    if (!spec.alias.empty()) {
      EXPECT_TRUE(names.insert(std::string(spec.alias)).second) << spec.alias;
    }
    EXPECT_EQ(to_lower(spec.name), spec.name);
    // Setting the value CONFIG GET shows gives the same value back (replicaof's "" means "not a
    // replica" and cannot be set back, as in Redis).
    if (spec.name == "replicaof") continue;
    Config copy = c;
    std::string value = spec.get(c);
    std::vector<std::string> args;
    if (spec.has(kMultiArg)) {
      auto split = split_args(value);
      args = split ? *split : std::vector<std::string>{};
    } else {
      args = {value};
    }
    auto err = spec.set(copy, args, false);
    EXPECT_FALSE(err) << spec.name << ": " << *err;
    EXPECT_EQ(spec.get(copy), value) << spec.name;
  }
}

// ---- CONFIG GET / SET ----

TEST_F(ConfigCommandTest, GetExactPatternsAliasesAndHidden) {
  EXPECT_EQ(run({"get", "maxmemory"}), (std::vector<std::string>{"maxmemory", "0"}));
  EXPECT_EQ(run({"get", "MAXMEMORY"}), (std::vector<std::string>{"MAXMEMORY", "0"}));
  EXPECT_EQ(run({"get", "nosuchoption"}), std::vector<std::string>{});
  EXPECT_EQ(raw({"get", "nosuchoption"}), "*0\r\n");

  auto r = run({"get", "maxmemory", "maxmemory*", "bind", "*of", "MaxMemory"});
  std::map<std::string, std::string> m;
  for (size_t i = 0; i + 1 < r.size(); i += 2) {
    EXPECT_TRUE(m.emplace(r[i], r[i + 1]).second) << "duplicate " << r[i];
  }
  for (const char* k : {"maxmemory", "maxmemory-samples", "maxmemory-clients", "maxmemory-policy",
                        "bind", "slaveof", "replicaof"}) {
    EXPECT_TRUE(m.count(k)) << k;
  }
  EXPECT_EQ(m["bind"], "* -::*");

  // Hidden options answer only to their exact name.
  auto all = run({"get", "*"});
  EXPECT_EQ(std::find(all.begin(), all.end(), "key-load-delay"), all.end());
  EXPECT_EQ(run({"get", "key-load-delay"}), (std::vector<std::string>{"key-load-delay", "0"}));
  // Aliases are listed next to their option.
  EXPECT_NE(std::find(all.begin(), all.end(), "hash-max-ziplist-entries"), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), "lua-time-limit"), all.end());

  std::string resp3;
  resp::ReplyWriter writer(&resp3, 3);
  std::vector<std::string_view> argv{"config", "get", "port"};
  commands::CommandContext ctx{argv, writer, keyspace_, 0, exec_, events_};
  execute_config_command(&host_, ctx);
  EXPECT_EQ(resp3, "%1\r\n$4\r\nport\r\n$4\r\n6379\r\n");
}

TEST_F(ConfigCommandTest, SetErrorsAreRedis) {
  EXPECT_EQ(one({"set", "foo", "bar"}),
            "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_EQ(one({"set", "maxmemory", "abc"}),
            "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be "
            "a memory value");
  EXPECT_EQ(one({"set", "port", "abc"}),
            "-ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be "
            "parsed into an integer");
  EXPECT_EQ(one({"set", "daemonize", "yes"}),
            "-ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set "
            "immutable config");
  EXPECT_EQ(one({"set", "maxmemory", "1", "maxmemory", "2"}),
            "-ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate "
            "parameter");
  EXPECT_EQ(one({"set", "maxmemory", "1", "foo", "2"}),
            "-ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
  EXPECT_EQ(one({"set", "maxmemory", "1", "foo"}), "-ERR syntax error");
  EXPECT_EQ(one({"set", "dir", "/tmp"}),
            "-ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected "
            "config");
  EXPECT_EQ(one({"set", "slave-priority", "x"}),
            "-ERR CONFIG SET failed (possibly related to argument 'slave-priority') - argument "
            "couldn't be parsed into an integer");
  EXPECT_EQ(one({"set", "save", "1 2 3"}),
            "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
            "parameters");
  EXPECT_EQ(one({"frobnicate"}), "-ERR unknown subcommand 'frobnicate'. Try CONFIG HELP.");
  EXPECT_TRUE(host_.changed.empty());
}

TEST_F(ConfigCommandTest, SetIsAtomic) {
  EXPECT_EQ(one({"set", "maxmemory", "10000002"}), "OK");
  EXPECT_EQ(one({"set", "maxmemory", "10000001", "maxmemory-clients", "200%",
                 "client-query-buffer-limit", "invalid"}),
            "-ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - "
            "percentage argument must be less or equal to 100");
  EXPECT_EQ(host_.config_.maxmemory, 10000002u);

  EXPECT_EQ(
      one({"set", "maxmemory", "10000001", "repl-backlog-size", "10000002", "save", "3000 5"}),
      "OK");
  EXPECT_EQ(run({"get", "save"})[1], "3000 5");
  EXPECT_EQ(run({"get", "repl-backlog-size"})[1], "10000002");

  // An apply failure restores every value and re-applies the restored ones.
  host_.changed.clear();
  host_.fail_option = "port";
  EXPECT_EQ(one({"set", "maxmemory", "5", "port", "7777", "client-query-buffer-limit", "10m"}),
            "-ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on "
            "this port. Check server logs.");
  EXPECT_EQ(host_.config_.port, 6379);
  EXPECT_EQ(host_.config_.maxmemory, 10000001u);
  EXPECT_EQ(host_.changed, (std::vector<std::string>{"maxmemory", "port", "maxmemory", "port"}));
}

TEST_F(ConfigCommandTest, SetAppliesChangedOptionsByCanonicalName) {
  EXPECT_EQ(one({"set", "slave-read-only", "no", "hz", "10", "loglevel", "debug"}), "OK");
  EXPECT_EQ(host_.changed, (std::vector<std::string>{"replica-read-only", "loglevel"}));
  EXPECT_FALSE(host_.config_.replica_read_only);
  EXPECT_EQ(one({"set", "hz", "100000"}), "OK");
  EXPECT_EQ(run({"get", "hz"})[1], "500");
  EXPECT_EQ(one({"set", "notify-keyspace-events", "EKA"}), "OK");
  EXPECT_EQ(run({"get", "notify-keyspace-events"})[1], "AKE");
  EXPECT_EQ(one({"set", "bind", ""}), "OK");
  EXPECT_TRUE(host_.config_.bind.empty());
  EXPECT_EQ(one({"set", "client-output-buffer-limit", "normal 1mb 2mb 3 pubsub 0 0 0"}), "OK");
  EXPECT_EQ(run({"get", "client-output-buffer-limit"})[1],
            "normal 1048576 2097152 3 slave 268435456 67108864 60 pubsub 0 0 0");
  host_.config_.enable_protected_configs = ProtectedAction::kYes;
  EXPECT_EQ(one({"set", "dbfilename", "x.rdb"}), "OK");
  EXPECT_EQ(one({"set", "dir", "/nonexistent-zakros-dir"}),
            "-ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or "
            "directory");
  TempDir dir;
  EXPECT_EQ(one({"set", "dir", dir.path() + "/."}), "OK");
  EXPECT_EQ(run({"get", "dir"})[1], dir.path());
}

// Redis's "CONFIG sanity": every value CONFIG GET * returns can be set back unchanged
// (immutable options excepted, as in Redis's own skip list).
TEST_F(ConfigCommandTest, Sanity) {
  host_.config_.enable_protected_configs = ProtectedAction::kYes;
  TempDir dir;  // the server creates its dir at start-up; CONFIG SET dir needs one that exists
  host_.config_.dir = dir.path();
  auto before = run({"get", "*"});
  ASSERT_GT(before.size(), 300u);
  for (size_t i = 0; i + 1 < before.size(); i += 2) {
    const OptionSpec* spec = find_option(before[i]);
    ASSERT_NE(spec, nullptr);
    if (spec->has(kImmutable) && !spec->has(kSameValueOk)) continue;
    EXPECT_EQ(one({"set", before[i], before[i + 1]}), "OK") << before[i] << " " << before[i + 1];
  }
  EXPECT_EQ(run({"get", "*"}), before);
}

TEST_F(ConfigCommandTest, ZakrosStartupOptionsAcceptOnlyTheirValue) {
  EXPECT_EQ(one({"set", "node-id", "0", "raft-enabled", "yes", "cluster-addrs", ""}), "OK");
  EXPECT_TRUE(host_.changed.empty());
  EXPECT_EQ(one({"set", "node-id", "1"}),
            "-ERR CONFIG SET failed (possibly related to argument 'node-id') - can't set "
            "immutable config");
  EXPECT_EQ(one({"set", "raft-storage", "memory"}),
            "-ERR CONFIG SET failed (possibly related to argument 'raft-storage') - can't set "
            "immutable config");
}

TEST(ConfigSet, SensitiveArgumentsAreFound) {
  std::vector<std::string_view> argv{"config",      "set", "maxmemory",  "1",
                                     "REQUIREPASS", "x",   "masterauth", "y"};
  EXPECT_EQ(config_set_sensitive_args(argv), (std::vector<size_t>{5, 7}));
}

TEST_F(ConfigCommandTest, ResetstatAndHelp) {
  EXPECT_EQ(one({"resetstat"}), "OK");
  EXPECT_EQ(host_.resets, 1);
  auto help = run({"help"});
  ASSERT_EQ(help.size(), 11u);
  EXPECT_EQ(help[0], "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  EXPECT_EQ(help[10], "    Prints this help.");
}

// ---- CONFIG REWRITE ----

TEST_F(ConfigCommandTest, RewriteWithoutFile) {
  EXPECT_EQ(one({"rewrite"}), "-ERR The server is running without a config file");
}

TEST_F(ConfigCommandTest, RewriteKeepsCommentsAndRoundTrips) {
  TempDir dir;
  std::string path = dir.file("zakros.conf",
                              "# My server\n"
                              "port 7000\n"
                              "\n"
                              "# persistence\n"
                              "save 900 1\n"
                              "save 300 10\n"
                              "hash-max-ziplist-entries 21\n"
                              "frobnicate yes\n"
                              "rename-command flushdb badger\n"
                              "maxmemory 1mb\n");
  // The server would refuse "frobnicate" at start-up; a line it does not know (say, written by
  // a newer version) becomes a comment.
  std::string original = read_file(path);
  std::string loadable = original;
  loadable.erase(loadable.find("frobnicate yes\n"), 15);
  ASSERT_FALSE(load_config_text(loadable, path, &host_.config_));
  host_.file = path;
  EXPECT_EQ(one({"set", "port", "7001", "save", "60 5", "maxclients", "50", "requirepass",
                 "s3 cr\"et", "hash-max-listpack-entries", "100", "maxmemory", "0"}),
            "OK");
  EXPECT_EQ(one({"rewrite"}), "OK");
  std::string text = read_file(path);
  EXPECT_EQ(text,
            "# My server\n"
            "port 7001\n"
            "\n"
            "# persistence\n"
            "save 60 5\n"
            "\n"  // the second save line is blanked, and the blank runs merged
            "hash-max-listpack-entries 100\n"
            "# ??? frobnicate yes\n"
            "rename-command flushdb badger\n"
            "maxmemory 0\n"
            "\n"
            "# Generated by CONFIG REWRITE\n"
            "dir \"" +
                absolute_dir(host_.config_.dir) +
                "\"\n"
                "latency-tracking-info-percentiles 50 99 99.9\n"
                "maxclients 50\n"
                "requirepass \"s3 cr\\\"et\"\n");

  // Loading the rewritten file gives the same configuration.
  auto before = run({"get", "*"});
  Config reloaded;
  ASSERT_FALSE(load_config_text(text, path, &reloaded));
  host_.config_ = reloaded;
  EXPECT_EQ(run({"get", "*"}), before);

  // A second rewrite changes nothing but, as Redis's, keeps the file's final newline as a blank
  // line; from then on the file is stable.
  EXPECT_EQ(one({"rewrite"}), "OK");
  EXPECT_EQ(read_file(path), text + "\n");
  EXPECT_EQ(one({"rewrite"}), "OK");
  EXPECT_EQ(read_file(path), text + "\n");
}

TEST_F(ConfigCommandTest, RewriteForceAllLoadsBack) {
  TempDir dir;
  std::string path = dir.file("all.conf", "");
  ASSERT_FALSE(rewrite_config_file(path, host_.config_, /*force_all=*/true));
  Config reloaded;
  auto err = load_config_text(read_file(path), path, &reloaded);
  ASSERT_FALSE(err) << *err;
  host_.config_.dir = reloaded.dir;
  auto before = run({"get", "*"});
  host_.config_ = reloaded;
  EXPECT_EQ(run({"get", "*"}), before);
}

}  // namespace
}  // namespace zakros::server
