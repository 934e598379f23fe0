// RandomCommands: seeded streams of commands with valid argument shapes, for the replica-equality
// tests (replica_digest_test.cc):
//   - writes (next_write): every command of the command table that has the write flag (the test
//     checks that against the table), plus PFCOUNT, which a Raft leader proposes through the log
//     when it refreshes the cardinality cached in an HLL;
//   - reads (next_read, registered in random_reads.h): every read-only command of the table, as a
//     leader serves them outside the log.
//
// Keys come from small pools per type ("list:0".."list:5" ...), so that commands meet the
// values earlier ones built; destinations are drawn from the same pools. Nothing here knows the
// keyspace: some commands fail (wrong type, no such group, an ID too small), as they would for a
// client, and the test counts how many changed something to show each shape is valid.
//
// Header-only: only replica_digest_test.cc includes it (the unit CMake builds *_test.cc files).
// The generators are indexed by full command name ("xgroup|create").
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace zakros::server::testing {

using Argv = std::vector<std::string>;

class RandomCommands {
 public:
  explicit RandomCommands(uint64_t seed) : rng_(seed) {
    register_writes();
    register_reads();
  }

  // RESTORE and RESTORE-ASKING draw their payloads (DUMP replies) from these, by the key pool
  // of their type ("str", "list", "hash", "set", "zset", "stream", "hll"), so that a pool keeps
  // holding its type.
  void set_restore_payloads(std::map<std::string, std::vector<std::string>> payloads) {
    payloads_ = std::move(payloads);
  }

  // A random read-only command; *name receives its full name.
  Argv next_read(int64_t now_ms, std::string* name) {
    now_ms_ = now_ms;
    auto it = reads_.begin();
    std::advance(it, static_cast<long>(below(reads_.size())));
    *name = it->first;
    return it->second();
  }

  // A random write; *name receives its full name. `now_ms` is the entry's clock, from which
  // absolute times (EXPIREAT, PXAT, stream IDs) are drawn so that they land near it.
  Argv next_write(int64_t now_ms, std::string* name) {
    now_ms_ = now_ms;
    // Rare commands that wipe a whole database are drawn separately so that data can build up.
    const uint64_t roll = below(10000);
    if (roll == 0) return make("flushall", name);
    if (roll < 4) return make("flushdb", name);
    if (roll < 8) return make("swapdb", name);
    if (roll < 14) return make("function|flush", name);
    auto it = gens_.begin();
    do {
      it = gens_.begin();
      std::advance(it, static_cast<long>(below(gens_.size())));
    } while (it->first == "flushall" || it->first == "flushdb" || it->first == "swapdb" ||
             it->first == "function|flush");
    *name = it->first;
    return it->second();
  }

  Argv make(const std::string& name, std::string* out_name) {
    *out_name = name;
    return gens_.at(name)();
  }

  uint64_t below(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool one_in(uint64_t n) { return below(n) == 0; }

 private:
  static constexpr int kPool = 6;

  std::string key(std::string_view type) {
    return std::string(type) + ":" + std::to_string(below(kPool));
  }
  // Destinations of the *STORE commands: the last two keys of a pool only, since an empty
  // result deletes the destination and would otherwise keep every pool sparse.
  std::string dest(std::string_view type) {
    return std::string(type) + ":" + std::to_string(kPool - 2 + static_cast<int>(below(2)));
  }
  // Streams meet their groups and pending entries more often in a smaller pool.
  std::string stream_key() { return "stream:" + std::to_string(below(3)); }
  // RESTORE: a key of a pool and a payload of that pool's type.
  Argv restore(const char* cmd) {
    if (payloads_.empty()) return {cmd, key("str"), "0", ""};
    auto it = payloads_.begin();
    std::advance(it, static_cast<long>(below(payloads_.size())));
    return {cmd, it->first == "stream" ? stream_key() : key(it->first), "0",
            it->second[below(it->second.size())]};
  }
  std::string num(int64_t lo, int64_t hi) {
    return std::to_string(lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo + 1))));
  }
  std::string pick(std::initializer_list<const char*> options) {
    return *(options.begin() + below(options.size()));
  }
  // Values of every shape the encodings care about: small and huge integers (listpack and
  // intset integers, "int" strings), floats, short words, strings longer than the listpack
  // value limits (64 bytes), the empty string.
  std::string value() {
    switch (below(8)) {
      case 0:
        return num(-20, 100);
      case 1:
        return num(-9000000000000000000, 9000000000000000000);
      case 2:
        return num(-1000, 1000) + "." + num(0, 99);
      case 3:
        return std::string(1 + below(90), static_cast<char>('a' + below(26)));
      case 4:
        return "";
      default:
        return "v" + num(0, 60);
    }
  }
  // Members overlap a lot so that adds, removals and set algebra meet.
  std::string member() { return one_in(3) ? num(-5, 40) : one_in(20) ? value() : "m" + num(0, 40); }
  std::string score() {
    switch (below(7)) {
      case 0:
        return num(-100, 100);
      case 1:
        return num(-1000, 1000) + "." + num(0, 999);
      case 2:
        return pick({"+inf", "-inf", "-0", "0", "1e300", "0.1", "3.0000000000000004"});
      default:
        return num(0, 30);
    }
  }
  std::string range_bound() { return one_in(2) ? "(" + num(-10, 40) : num(-10, 40); }
  std::string lex_bound() {
    switch (below(4)) {
      case 0:
        return "-";
      case 1:
        return "+";
      case 2:
        return "[m" + num(0, 40);
      default:
        return "(m" + num(0, 40);
    }
  }
  std::string stream_id() {
    if (!ids_.empty() && !one_in(4)) return ids_[below(ids_.size())];
    return num(0, 5) + "-" + num(0, 3);
  }
  std::string group() { return "g" + num(0, 1); }
  std::string consumer() { return "c" + num(0, 2); }
  std::string secs() { return num(1, 40); }
  std::string millis() { return num(50, 40000); }
  std::string at_secs() { return std::to_string(now_ms_ / 1000 + static_cast<int64_t>(below(40))); }
  std::string at_millis() { return std::to_string(now_ms_ + static_cast<int64_t>(below(40000))); }
  std::string db() { return num(0, 3); }
  std::string side() { return pick({"LEFT", "RIGHT"}); }
  void add_keys(Argv& a, const char* type, int max) {
    for (int i = 1 + static_cast<int>(below(max)); i > 0; --i) a.push_back(key(type));
  }
  void add_members(Argv& a, int max) {
    for (int i = 1 + static_cast<int>(below(max)); i > 0; --i) a.push_back(member());
  }
  // numkeys followed by the keys (LMPOP, ZUNIONSTORE ...).
  void add_numkeys(Argv& a, const char* type, int max) {
    int n = 1 + static_cast<int>(below(max));
    a.push_back(std::to_string(n));
    for (int i = 0; i < n; ++i) a.push_back(key(type));
  }
  // An optional TTL option of SET / GETEX.
  void add_ttl_option(Argv& a, bool with_keepttl) {
    switch (below(with_keepttl ? 6 : 5)) {
      case 0:
        a.insert(a.end(), {"EX", secs()});
        break;
      case 1:
        a.insert(a.end(), {"PX", millis()});
        break;
      case 2:
        a.insert(a.end(), {"EXAT", at_secs()});
        break;
      case 3:
        a.insert(a.end(), {"PXAT", at_millis()});
        break;
      case 5:
        a.push_back("KEEPTTL");
        break;
      default:
        break;
    }
  }
  // MAXLEN or MINID, exact or approximate, for XADD and XTRIM.
  void add_trim(Argv& a) {
    bool maxlen = one_in(2);
    a.push_back(maxlen ? "MAXLEN" : "MINID");
    std::string mode = pick({"=", "~", ""});
    if (!mode.empty()) a.push_back(mode);
    a.push_back(maxlen ? num(0, 60) : std::to_string(now_ms_ - 20000) + "-0");
    if (mode == "~" && one_in(2)) a.insert(a.end(), {"LIMIT", num(0, 20)});
  }

  void add(const std::string& name, std::function<Argv()> gen) { gens_[name] = std::move(gen); }
  void add_read(const std::string& name, std::function<Argv()> gen) {
    reads_[name] = std::move(gen);
  }
  void register_writes();
  void register_reads();  // random_reads.h

  std::mt19937_64 rng_;
  int64_t now_ms_ = 0;
  std::deque<std::string> ids_;  // IDs the stream's XADDs produced, to XDEL/XACK/XCLAIM
  std::map<std::string, std::vector<std::string>> payloads_;
  std::map<std::string, std::function<Argv()>> gens_;  // writes
  std::map<std::string, std::function<Argv()>> reads_;
};

inline void RandomCommands::register_writes() {
  // ---- strings ----
  add("set", [this] {
    Argv a{"SET", key("str"), value()};
    if (one_in(4)) a.push_back(pick({"NX", "XX"}));
    if (one_in(5)) a.push_back("GET");
    add_ttl_option(a, true);
    return a;
  });
  add("setnx", [this] { return Argv{"SETNX", key("str"), value()}; });
  add("setex", [this] { return Argv{"SETEX", key("str"), secs(), value()}; });
  add("psetex", [this] { return Argv{"PSETEX", key("str"), millis(), value()}; });
  add("getset", [this] { return Argv{"GETSET", key("str"), value()}; });
  add("getdel", [this] { return Argv{"GETDEL", key("str")}; });
  add("getex", [this] {
    Argv a{"GETEX", key("str")};
    if (one_in(5)) {
      a.push_back("PERSIST");
    } else {
      add_ttl_option(a, false);
    }
    return a;
  });
  add("mset", [this] {
    Argv a{"MSET"};
    for (int i = 1 + static_cast<int>(below(3)); i > 0; --i)
      a.insert(a.end(), {key("str"), value()});
    return a;
  });
  add("msetnx", [this] {
    Argv a{"MSETNX"};
    for (int i = 1 + static_cast<int>(below(2)); i > 0; --i)
      a.insert(a.end(), {key("str"), value()});
    return a;
  });
  add("append", [this] { return Argv{"APPEND", key("str"), value()}; });
  add("setrange", [this] { return Argv{"SETRANGE", key("str"), num(0, 100), value()}; });
  add("incr", [this] { return Argv{"INCR", key("str")}; });
  add("decr", [this] { return Argv{"DECR", key("str")}; });
  add("incrby", [this] { return Argv{"INCRBY", key("str"), num(-1000, 1000)}; });
  add("decrby", [this] { return Argv{"DECRBY", key("str"), num(-1000, 1000)}; });
  add("incrbyfloat", [this] { return Argv{"INCRBYFLOAT", key("str"), num(-50, 50) + ".25"}; });
  // ---- bitmaps ----
  add("setbit", [this] { return Argv{"SETBIT", key("str"), num(0, 1000), num(0, 1)}; });
  add("bitfield", [this] {
    Argv a{"BITFIELD", key("str")};
    if (one_in(2)) a.insert(a.end(), {"OVERFLOW", pick({"WRAP", "SAT", "FAIL"})});
    a.insert(a.end(), {"SET", pick({"u8", "i5", "u16"}), "#" + num(0, 10), num(-100, 300)});
    if (one_in(2)) a.insert(a.end(), {"INCRBY", pick({"u4", "i12"}), num(0, 90), num(-50, 50)});
    return a;
  });
  add("bitop", [this] {
    std::string op = pick({"AND", "OR", "XOR", "NOT"});
    Argv a{"BITOP", op, dest("str")};
    if (op == "NOT") {
      a.push_back(key("str"));
    } else {
      add_keys(a, "str", 3);
    }
    return a;
  });
  // ---- keyspace ----
  const char* types[] = {"str", "list", "hash", "set", "zset", "geo", "hll", "stream"};
  auto any_type = [this, types] { return types[below(8)]; };
  add("del", [this, any_type] {
    Argv a{"DEL"};
    for (int i = 1 + static_cast<int>(below(2)); i > 0; --i) a.push_back(key(any_type()));
    return a;
  });
  add("unlink", [this, any_type] { return Argv{"UNLINK", key(any_type())}; });
  add("copy", [this, any_type] {
    const char* t = any_type();
    Argv a{"COPY", key(t), key(t)};
    if (one_in(3)) a.insert(a.end(), {"DB", db()});
    if (one_in(2)) a.push_back("REPLACE");
    return a;
  });
  add("move", [this, any_type] { return Argv{"MOVE", key(any_type()), db()}; });
  add("rename", [this, any_type] {
    const char* t = any_type();
    return Argv{"RENAME", key(t), key(t)};
  });
  add("renamenx", [this, any_type] {
    const char* t = any_type();
    return Argv{"RENAMENX", key(t), key(t)};
  });
  auto expire_flag = [this](Argv a) {
    if (one_in(3)) a.push_back(pick({"NX", "XX", "GT", "LT"}));
    return a;
  };
  add("expire", [this, any_type, expire_flag] {
    return expire_flag({"EXPIRE", key(any_type()), secs()});
  });
  add("pexpire", [this, any_type, expire_flag] {
    return expire_flag({"PEXPIRE", key(any_type()), millis()});
  });
  add("expireat", [this, any_type, expire_flag] {
    return expire_flag({"EXPIREAT", key(any_type()), at_secs()});
  });
  add("pexpireat", [this, any_type, expire_flag] {
    return expire_flag({"PEXPIREAT", key(any_type()), at_millis()});
  });
  add("persist", [this, any_type] { return Argv{"PERSIST", key(any_type())}; });
  add("restore", [this] {
    Argv a = restore("RESTORE");
    if (!one_in(3)) a[2] = millis();
    if (!one_in(4)) a.push_back("REPLACE");
    if (one_in(4)) {
      a[2] = at_millis();
      a.push_back("ABSTTL");
    }
    return a;
  });
  add("restore-asking", [this] {
    Argv a = restore("RESTORE-ASKING");
    a.push_back("REPLACE");
    return a;
  });
  add("swapdb", [this] { return Argv{"SWAPDB", db(), db()}; });
  add("flushdb", [this] { return Argv{"FLUSHDB", pick({"SYNC", "ASYNC"})}; });
  add("flushall", [this] { return Argv{"FLUSHALL"}; });
  add("function|flush", [this] { return Argv{"FUNCTION", "FLUSH", pick({"SYNC", "ASYNC"})}; });
  add("sort", [this] {
    Argv a{"SORT", key(pick({"list", "set", "zset"}))};
    if (one_in(3)) a.insert(a.end(), {"BY", one_in(2) ? "nosort" : "str:*"});
    if (one_in(3)) a.insert(a.end(), {"LIMIT", num(0, 5), num(1, 20)});
    if (one_in(4)) a.insert(a.end(), {"GET", "#"});
    if (one_in(2)) a.push_back(pick({"ASC", "DESC"}));
    a.push_back("ALPHA");
    a.insert(a.end(), {"STORE", dest("list")});
    return a;
  });
  // ---- lists ----
  auto push = [this](const char* cmd) {
    Argv a{cmd, key("list")};
    for (int i = 1 + static_cast<int>(below(one_in(10) ? 200 : 6)); i > 0; --i) {
      a.push_back(one_in(2) ? member() : value());
    }
    return a;
  };
  add("lpush", [push] { return push("LPUSH"); });
  add("rpush", [push] { return push("RPUSH"); });
  add("lpushx", [push] { return push("LPUSHX"); });
  add("rpushx", [push] { return push("RPUSHX"); });
  add("lpop", [this] {
    Argv a{"LPOP", key("list")};
    if (one_in(2)) a.push_back(num(0, 5));
    return a;
  });
  add("rpop", [this] {
    Argv a{"RPOP", key("list")};
    if (one_in(2)) a.push_back(num(0, 5));
    return a;
  });
  add("lset", [this] { return Argv{"LSET", key("list"), num(-10, 10), value()}; });
  add("linsert", [this] {
    return Argv{"LINSERT", key("list"), pick({"BEFORE", "AFTER"}), member(), value()};
  });
  add("lrem", [this] { return Argv{"LREM", key("list"), num(-3, 3), member()}; });
  add("ltrim", [this] { return Argv{"LTRIM", key("list"), num(-50, 20), num(-20, 150)}; });
  add("lmove", [this] { return Argv{"LMOVE", key("list"), key("list"), side(), side()}; });
  add("rpoplpush", [this] { return Argv{"RPOPLPUSH", key("list"), key("list")}; });
  add("lmpop", [this] {
    Argv a{"LMPOP"};
    add_numkeys(a, "list", 3);
    a.push_back(side());
    if (one_in(2)) a.insert(a.end(), {"COUNT", num(1, 5)});
    return a;
  });
  // Blocking forms: on the apply path they never block (no client waits there), so they pop
  // what is there or answer the timeout reply at once.
  add("blpop", [this] {
    Argv a{"BLPOP"};
    add_keys(a, "list", 2);
    a.push_back("0.01");
    return a;
  });
  add("brpop", [this] {
    Argv a{"BRPOP"};
    add_keys(a, "list", 2);
    a.push_back("1");
    return a;
  });
  add("blmove", [this] { return Argv{"BLMOVE", key("list"), key("list"), side(), side(), "0"}; });
  add("brpoplpush", [this] { return Argv{"BRPOPLPUSH", key("list"), key("list"), "0"}; });
  add("blmpop", [this] {
    Argv a{"BLMPOP", "0"};
    add_numkeys(a, "list", 2);
    a.push_back(side());
    if (one_in(2)) a.insert(a.end(), {"COUNT", num(1, 4)});
    return a;
  });
  // ---- hashes ----
  auto fields = [this](Argv a, int max) {
    for (int i = 1 + static_cast<int>(below(max)); i > 0; --i)
      a.insert(a.end(), {member(), value()});
    return a;
  };
  add("hset", [this, fields] { return fields({"HSET", key("hash")}, one_in(10) ? 150 : 4); });
  add("hmset", [this, fields] { return fields({"HMSET", key("hash")}, 4); });
  add("hsetnx", [this] { return Argv{"HSETNX", key("hash"), member(), value()}; });
  add("hdel", [this] {
    Argv a{"HDEL", key("hash")};
    add_members(a, 3);
    return a;
  });
  add("hincrby", [this] { return Argv{"HINCRBY", key("hash"), member(), num(-100, 100)}; });
  add("hincrbyfloat", [this] {
    return Argv{"HINCRBYFLOAT", key("hash"), member(), num(-100, 100) + ".5"};
  });
  // ---- sets ----
  add("sadd", [this] {
    Argv a{"SADD", key("set")};
    add_members(a, one_in(10) ? 300 : 5);
    return a;
  });
  add("srem", [this] {
    Argv a{"SREM", key("set")};
    add_members(a, 4);
    return a;
  });
  add("smove", [this] { return Argv{"SMOVE", key("set"), key("set"), member()}; });
  add("spop", [this] {
    Argv a{"SPOP", key("set")};
    if (one_in(2)) a.push_back(num(0, 6));
    return a;
  });
  for (const char* cmd : {"SDIFFSTORE", "SINTERSTORE", "SUNIONSTORE"}) {
    std::string lower(cmd);
    for (char& c : lower) c = static_cast<char>(c - 'A' + 'a');
    add(lower, [this, cmd] {
      Argv a{cmd, dest("set")};
      add_keys(a, "set", 3);
      return a;
    });
  }
  // ---- sorted sets ----
  add("zadd", [this] {
    Argv a{"ZADD", key("zset")};
    if (one_in(4)) a.push_back(pick({"NX", "XX"}));
    if (one_in(4)) a.push_back(pick({"GT", "LT"}));
    if (one_in(4)) a.push_back("CH");
    if (one_in(6)) {
      a.insert(a.end(), {"INCR", score(), member()});
      return a;
    }
    for (int i = 1 + static_cast<int>(below(one_in(10) ? 200 : 5)); i > 0; --i) {
      a.insert(a.end(), {score(), member()});
    }
    return a;
  });
  add("zincrby", [this] { return Argv{"ZINCRBY", key("zset"), score(), member()}; });
  add("zrem", [this] {
    Argv a{"ZREM", key("zset")};
    add_members(a, 3);
    return a;
  });
  add("zremrangebyrank", [this] {
    return Argv{"ZREMRANGEBYRANK", key("zset"), num(-5, 5), num(-5, 5)};
  });
  add("zremrangebyscore", [this] {
    return Argv{"ZREMRANGEBYSCORE", key("zset"), range_bound(), range_bound()};
  });
  add("zremrangebylex", [this] {
    return Argv{"ZREMRANGEBYLEX", key("zset"), lex_bound(), lex_bound()};
  });
  add("zpopmin", [this] {
    Argv a{"ZPOPMIN", key("zset")};
    if (one_in(2)) a.push_back(num(1, 4));
    return a;
  });
  add("zpopmax", [this] {
    Argv a{"ZPOPMAX", key("zset")};
    if (one_in(2)) a.push_back(num(1, 4));
    return a;
  });
  add("bzpopmin", [this] {
    Argv a{"BZPOPMIN"};
    add_keys(a, "zset", 2);
    a.push_back("0");
    return a;
  });
  add("bzpopmax", [this] {
    Argv a{"BZPOPMAX"};
    add_keys(a, "zset", 2);
    a.push_back("0.5");
    return a;
  });
  add("zmpop", [this] {
    Argv a{"ZMPOP"};
    add_numkeys(a, "zset", 2);
    a.push_back(pick({"MIN", "MAX"}));
    if (one_in(2)) a.insert(a.end(), {"COUNT", num(1, 4)});
    return a;
  });
  add("bzmpop", [this] {
    Argv a{"BZMPOP", "0"};
    add_numkeys(a, "zset", 2);
    a.push_back(pick({"MIN", "MAX"}));
    return a;
  });
  for (const char* cmd : {"ZUNIONSTORE", "ZINTERSTORE"}) {
    std::string lower(cmd);
    for (char& c : lower) c = static_cast<char>(c - 'A' + 'a');
    add(lower, [this, cmd] {
      Argv a{cmd, dest("zset")};
      int n = 1 + static_cast<int>(below(3));
      a.push_back(std::to_string(n));
      for (int i = 0; i < n; ++i) a.push_back(key(one_in(4) ? "set" : "zset"));
      if (one_in(3)) {
        a.push_back("WEIGHTS");
        for (int i = 0; i < n; ++i) a.push_back(pick({"1", "2", "-1", "0.5", "0"}));
      }
      if (one_in(3)) a.insert(a.end(), {"AGGREGATE", pick({"SUM", "MIN", "MAX"})});
      return a;
    });
  }
  add("zdiffstore", [this] {
    Argv a{"ZDIFFSTORE", dest("zset")};
    add_numkeys(a, "zset", 3);
    return a;
  });
  add("zrangestore", [this] {
    Argv a{"ZRANGESTORE", dest("zset"), key("zset")};
    switch (below(3)) {
      case 0:
        a.insert(a.end(), {num(-5, 5), num(-5, 10)});
        break;
      case 1:
        a.insert(a.end(), {range_bound(), range_bound(), "BYSCORE"});
        break;
      default:
        a.insert(a.end(), {lex_bound(), lex_bound(), "BYLEX"});
        break;
    }
    if (one_in(3)) a.push_back("REV");
    if (a.size() > 5 && one_in(3)) a.insert(a.end(), {"LIMIT", num(0, 3), num(-1, 10)});
    return a;
  });
  // ---- geo (sorted sets underneath) ----
  auto lon = [this] { return num(-179, 179) + "." + num(0, 999); };
  auto lat = [this] { return num(-84, 84) + "." + num(0, 999); };
  add("geoadd", [this, lon, lat] {
    Argv a{"GEOADD", key("geo")};
    if (one_in(4)) a.push_back(pick({"NX", "XX", "CH"}));
    for (int i = 1 + static_cast<int>(below(4)); i > 0; --i)
      a.insert(a.end(), {lon(), lat(), member()});
    return a;
  });
  add("georadius", [this, lon, lat] {
    Argv a{"GEORADIUS", key("geo"), lon(), lat(), num(100, 20000), "km"};
    if (one_in(2)) a.insert(a.end(), {"COUNT", num(1, 10)});
    a.insert(a.end(), {one_in(2) ? "STORE" : "STOREDIST", dest("geo")});
    return a;
  });
  add("georadiusbymember", [this] {
    return Argv{"GEORADIUSBYMEMBER", key("geo"), member(),
                num(100, 20000),     "km",       one_in(2) ? "STORE" : "STOREDIST",
                key("geo")};
  });
  add("geosearchstore", [this, lon, lat] {
    Argv a{"GEOSEARCHSTORE", dest("geo"), key("geo")};
    if (one_in(2)) {
      a.insert(a.end(), {"FROMLONLAT", lon(), lat()});
    } else {
      a.insert(a.end(), {"FROMMEMBER", member()});
    }
    if (one_in(2)) {
      a.insert(a.end(), {"BYRADIUS", num(100, 20000), "km"});
    } else {
      a.insert(a.end(), {"BYBOX", num(100, 20000), num(100, 20000), "km"});
    }
    if (one_in(2)) a.push_back(pick({"ASC", "DESC"}));
    if (one_in(2)) a.push_back("STOREDIST");
    return a;
  });
  // ---- HyperLogLog ----
  add("pfadd", [this] {
    Argv a{"PFADD", key("hll")};
    for (int i = static_cast<int>(below(one_in(8) ? 2000 : 6)); i > 0; --i)
      a.push_back(member() + num(0, 999));
    return a;
  });
  add("pfmerge", [this] {
    Argv a{"PFMERGE", dest("hll")};
    add_keys(a, "hll", 3);
    return a;
  });
  add("pfcount", [this] { return Argv{"PFCOUNT", key("hll")}; });
  add("pfdebug", [this] { return Argv{"PFDEBUG", pick({"GETREG", "TODENSE"}), key("hll")}; });
  // ---- streams ----
  auto entry_fields = [this](Argv& a) {
    for (int i = 1 + static_cast<int>(below(3)); i > 0; --i) {
      a.insert(a.end(), {one_in(3) ? "f" + num(0, 5) : "field", value()});
    }
  };
  add("xadd", [this, entry_fields] {
    Argv a{"XADD", stream_key()};
    if (one_in(8)) a.push_back("NOMKSTREAM");
    if (one_in(5)) add_trim(a);
    std::string id = "*";
    if (one_in(6)) id = std::to_string(now_ms_) + "-" + num(0, 3);
    if (one_in(10)) id = std::to_string(now_ms_) + "-*";
    a.push_back(id);
    entry_fields(a);
    ids_.push_back(std::to_string(now_ms_) + "-" + (one_in(4) ? "1" : "0"));
    if (ids_.size() > 64) ids_.pop_front();
    return a;
  });
  add("xdel", [this] {
    Argv a{"XDEL", stream_key()};
    for (int i = 1 + static_cast<int>(below(2)); i > 0; --i) a.push_back(stream_id());
    return a;
  });
  add("xtrim", [this] {
    Argv a{"XTRIM", stream_key()};
    add_trim(a);
    return a;
  });
  add("xsetid", [this] {
    Argv a{"XSETID", stream_key(), std::to_string(now_ms_ + static_cast<int64_t>(below(3))) + "-0"};
    if (one_in(3)) a.insert(a.end(), {"ENTRIESADDED", num(1000, 2000), "MAXDELETEDID", "1-0"});
    return a;
  });
  add("xgroup|create", [this] {
    Argv a{"XGROUP", "CREATE", stream_key(), group(), pick({"0", "$", "0-1"})};
    if (one_in(2)) a.push_back("MKSTREAM");
    if (one_in(4)) a.insert(a.end(), {"ENTRIESREAD", num(0, 10)});
    return a;
  });
  add("xgroup|setid", [this] {
    return Argv{"XGROUP", "SETID", stream_key(), group(), one_in(2) ? "$" : stream_id()};
  });
  add("xgroup|destroy", [this] { return Argv{"XGROUP", "DESTROY", stream_key(), group()}; });
  add("xgroup|createconsumer", [this] {
    return Argv{"XGROUP", "CREATECONSUMER", stream_key(), group(), consumer()};
  });
  add("xgroup|delconsumer", [this] {
    return Argv{"XGROUP", "DELCONSUMER", stream_key(), group(), consumer()};
  });
  add("xreadgroup", [this] {
    Argv a{"XREADGROUP", "GROUP", group(), consumer()};
    if (one_in(2)) a.insert(a.end(), {"COUNT", num(1, 5)});
    if (one_in(4)) a.push_back("NOACK");
    if (one_in(6)) a.insert(a.end(), {"BLOCK", "10"});
    a.insert(a.end(), {"STREAMS", stream_key(), one_in(4) ? "0" : ">"});
    return a;
  });
  add("xack", [this] {
    Argv a{"XACK", stream_key(), group()};
    for (int i = 1 + static_cast<int>(below(3)); i > 0; --i) a.push_back(stream_id());
    return a;
  });
  add("xclaim", [this] {
    Argv a{"XCLAIM", stream_key(), group(), consumer(), num(0, 1000)};
    for (int i = 1 + static_cast<int>(below(3)); i > 0; --i) a.push_back(stream_id());
    if (one_in(3)) a.insert(a.end(), {"IDLE", num(0, 5000)});
    if (one_in(4)) a.insert(a.end(), {"RETRYCOUNT", num(0, 9)});
    if (one_in(4)) a.push_back("FORCE");
    if (one_in(3)) a.push_back("JUSTID");
    return a;
  });
  add("xautoclaim", [this] {
    Argv a{"XAUTOCLAIM", stream_key(), group(), consumer(), num(0, 1000), "0-0"};
    if (one_in(2)) a.insert(a.end(), {"COUNT", num(1, 10)});
    if (one_in(3)) a.push_back("JUSTID");
    return a;
  });
}

}  // namespace zakros::server::testing

#include "random_reads.h"
