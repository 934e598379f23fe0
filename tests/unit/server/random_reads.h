// The read half of RandomCommands (random_commands.h includes it; include that instead): one
// generator per read-only command of the command table, drawing keys from the same pools as the
// writes so that reads meet real values.
#pragma once

#include <algorithm>

namespace zakros::server::testing {

inline void RandomCommands::register_reads() {
  auto one = [this](const char* cmd, const char* type) {
    return [this, cmd, type] { return Argv{cmd, key(type)}; };
  };
  auto with_member = [this](const char* cmd, const char* type) {
    return [this, cmd, type] { return Argv{cmd, key(type), member()}; };
  };
  auto many = [this](const char* cmd, const char* type) {
    return [this, cmd, type] {
      Argv a{cmd};
      add_keys(a, type, 3);
      return a;
    };
  };
  auto numkeys = [this](const char* cmd, const char* type, const char* option) {
    return [this, cmd, type, option] {
      Argv a{cmd};
      add_numkeys(a, type, 3);
      if (one_in(2) && *option != '\0') a.push_back(option);
      return a;
    };
  };
  // ---- strings and bitmaps ----
  add_read("get", one("GET", "str"));
  add_read("strlen", one("STRLEN", "str"));
  add_read("mget", many("MGET", "str"));
  add_read("getrange", [this] { return Argv{"GETRANGE", key("str"), num(-10, 10), num(-5, 50)}; });
  add_read("substr", [this] { return Argv{"SUBSTR", key("str"), num(0, 10), num(-5, 50)}; });
  add_read("getbit", [this] { return Argv{"GETBIT", key("str"), num(0, 900)}; });
  add_read("bitcount", [this] {
    Argv a{"BITCOUNT", key("str")};
    if (one_in(2)) a.insert(a.end(), {num(-5, 5), num(-5, 50), pick({"BYTE", "BIT"})});
    return a;
  });
  add_read("bitpos", [this] {
    Argv a{"BITPOS", key("str"), num(0, 1)};
    if (one_in(2)) a.insert(a.end(), {num(0, 5), num(-1, 50)});
    return a;
  });
  add_read("bitfield_ro", [this] {
    return Argv{"BITFIELD_RO", key("str"), "GET", pick({"u8", "i16"}), "#" + num(0, 5)};
  });
  add_read("lcs", [this] {
    Argv a{"LCS", key("str"), key("str")};
    if (one_in(2)) a.push_back(pick({"LEN", "IDX"}));
    return a;
  });
  // ---- keyspace ----
  const char* types[] = {"str", "list", "hash", "set", "zset", "geo", "hll", "stream"};
  auto any_type = [this, types] { return types[below(8)]; };
  add_read("exists", [this, any_type] { return Argv{"EXISTS", key(any_type()), key(any_type())}; });
  add_read("type", [this, any_type] { return Argv{"TYPE", key(any_type())}; });
  add_read("ttl", [this, any_type] { return Argv{"TTL", key(any_type())}; });
  add_read("pttl", [this, any_type] { return Argv{"PTTL", key(any_type())}; });
  add_read("expiretime", [this, any_type] { return Argv{"EXPIRETIME", key(any_type())}; });
  add_read("pexpiretime", [this, any_type] { return Argv{"PEXPIRETIME", key(any_type())}; });
  add_read("touch", [this, any_type] { return Argv{"TOUCH", key(any_type()), key(any_type())}; });
  add_read("dump", [this, any_type] { return Argv{"DUMP", key(any_type())}; });
  add_read("dbsize", [] { return Argv{"DBSIZE"}; });
  add_read("randomkey", [] { return Argv{"RANDOMKEY"}; });
  add_read("keys", [this] { return Argv{"KEYS", pick({"*", "list:*", "*:1", "h?ll:*"})}; });
  add_read("scan", [this] {
    Argv a{"SCAN", num(0, 20)};
    if (one_in(2)) a.insert(a.end(), {"MATCH", pick({"*", "set:*"})});
    if (one_in(2)) a.insert(a.end(), {"COUNT", num(1, 50)});
    if (one_in(3)) a.insert(a.end(), {"TYPE", pick({"string", "zset", "stream"})});
    return a;
  });
  add_read("memory|usage", [this, any_type] {
    Argv a{"MEMORY", "USAGE", key(any_type())};
    if (one_in(2)) a.insert(a.end(), {"SAMPLES", num(0, 10)});
    return a;
  });
  for (const char* sub : {"encoding", "freq", "idletime", "refcount"}) {
    add_read(std::string("object|") + sub, [this, any_type, sub] {
      return Argv{"OBJECT", sub, key(any_type())};
    });
  }
  add_read("sort_ro", [this] {
    Argv a{"SORT_RO", key(pick({"list", "set", "zset"}))};
    if (one_in(3)) a.insert(a.end(), {"BY", "nosort"});
    if (one_in(3)) a.insert(a.end(), {"LIMIT", num(0, 5), num(1, 20)});
    a.push_back("ALPHA");
    return a;
  });
  // ---- lists ----
  add_read("llen", one("LLEN", "list"));
  add_read("lindex", [this] { return Argv{"LINDEX", key("list"), num(-10, 10)}; });
  add_read("lrange", [this] { return Argv{"LRANGE", key("list"), num(-20, 5), num(-5, 50)}; });
  add_read("lpos", [this] {
    Argv a{"LPOS", key("list"), member()};
    if (one_in(2)) a.insert(a.end(), {"RANK", pick({"1", "-1", "2"})});
    if (one_in(2)) a.insert(a.end(), {"COUNT", num(0, 3)});
    return a;
  });
  // ---- hashes ----
  add_read("hget", with_member("HGET", "hash"));
  add_read("hexists", with_member("HEXISTS", "hash"));
  add_read("hstrlen", with_member("HSTRLEN", "hash"));
  add_read("hmget", [this] { return Argv{"HMGET", key("hash"), member(), member()}; });
  add_read("hgetall", one("HGETALL", "hash"));
  add_read("hkeys", one("HKEYS", "hash"));
  add_read("hvals", one("HVALS", "hash"));
  add_read("hlen", one("HLEN", "hash"));
  add_read("hrandfield", [this] {
    Argv a{"HRANDFIELD", key("hash")};
    if (one_in(2)) a.push_back(num(-5, 5));
    if (a.size() == 3 && one_in(2)) a.push_back("WITHVALUES");
    return a;
  });
  add_read("hscan", [this] { return Argv{"HSCAN", key("hash"), num(0, 10), "COUNT", num(1, 20)}; });
  // ---- sets ----
  add_read("scard", one("SCARD", "set"));
  add_read("smembers", one("SMEMBERS", "set"));
  add_read("sismember", with_member("SISMEMBER", "set"));
  add_read("smismember", [this] { return Argv{"SMISMEMBER", key("set"), member(), member()}; });
  add_read("srandmember", [this] {
    Argv a{"SRANDMEMBER", key("set")};
    if (one_in(2)) a.push_back(num(-5, 5));
    return a;
  });
  add_read("sinter", many("SINTER", "set"));
  add_read("sunion", many("SUNION", "set"));
  add_read("sdiff", many("SDIFF", "set"));
  add_read("sintercard", numkeys("SINTERCARD", "set", ""));
  add_read("sscan", [this] { return Argv{"SSCAN", key("set"), num(0, 10)}; });
  // ---- sorted sets ----
  add_read("zcard", one("ZCARD", "zset"));
  add_read("zscore", with_member("ZSCORE", "zset"));
  add_read("zrank", with_member("ZRANK", "zset"));
  add_read("zrevrank", with_member("ZREVRANK", "zset"));
  add_read("zmscore", [this] { return Argv{"ZMSCORE", key("zset"), member(), member()}; });
  add_read("zcount", [this] { return Argv{"ZCOUNT", key("zset"), range_bound(), range_bound()}; });
  add_read("zlexcount", [this] {
    return Argv{"ZLEXCOUNT", key("zset"), lex_bound(), lex_bound()};
  });
  add_read("zrange", [this] {
    Argv a{"ZRANGE", key("zset")};
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
    if (a.size() > 4 && one_in(3)) a.insert(a.end(), {"LIMIT", num(0, 3), num(-1, 10)});
    if (std::find(a.begin(), a.end(), "BYLEX") == a.end() && one_in(2)) a.push_back("WITHSCORES");
    return a;
  });
  add_read("zrevrange", [this] { return Argv{"ZREVRANGE", key("zset"), num(-5, 5), num(-5, 10)}; });
  add_read("zrangebyscore", [this] {
    return Argv{"ZRANGEBYSCORE", key("zset"), range_bound(), range_bound(), "WITHSCORES"};
  });
  add_read("zrevrangebyscore", [this] {
    return Argv{"ZREVRANGEBYSCORE", key("zset"), range_bound(), range_bound()};
  });
  add_read("zrangebylex", [this] {
    return Argv{"ZRANGEBYLEX", key("zset"), lex_bound(), lex_bound()};
  });
  add_read("zrevrangebylex", [this] {
    return Argv{"ZREVRANGEBYLEX", key("zset"), lex_bound(), lex_bound()};
  });
  add_read("zrandmember", [this] {
    Argv a{"ZRANDMEMBER", key("zset")};
    if (one_in(2)) a.push_back(num(-5, 5));
    if (a.size() == 3 && one_in(2)) a.push_back("WITHSCORES");
    return a;
  });
  add_read("zscan", [this] { return Argv{"ZSCAN", key("zset"), num(0, 10)}; });
  add_read("zinter", numkeys("ZINTER", "zset", "WITHSCORES"));
  add_read("zunion", numkeys("ZUNION", "zset", "WITHSCORES"));
  add_read("zdiff", numkeys("ZDIFF", "zset", "WITHSCORES"));
  add_read("zintercard", numkeys("ZINTERCARD", "zset", ""));
  // ---- geo ----
  auto lon = [this] { return num(-179, 179) + "." + num(0, 999); };
  auto lat = [this] { return num(-84, 84) + "." + num(0, 999); };
  add_read("geopos", [this] { return Argv{"GEOPOS", key("geo"), member(), member()}; });
  add_read("geohash", [this] { return Argv{"GEOHASH", key("geo"), member()}; });
  add_read("geodist", [this] { return Argv{"GEODIST", key("geo"), member(), member(), "km"}; });
  add_read("georadius_ro", [this, lon, lat] {
    return Argv{"GEORADIUS_RO", key("geo"), lon(), lat(), num(100, 20000), "km", "WITHDIST"};
  });
  add_read("georadiusbymember_ro", [this] {
    return Argv{"GEORADIUSBYMEMBER_RO", key("geo"), member(), num(100, 20000), "km", "ASC"};
  });
  add_read("geosearch", [this, lon, lat] {
    return Argv{"GEOSEARCH",     key("geo"), "FROMLONLAT", lon(),   lat(),    "BYRADIUS",
                num(100, 20000), "km",       "WITHCOORD",  "COUNT", num(1, 5)};
  });
  // ---- HyperLogLog: PFCOUNT of one key is the read that used to write (its cache) ----
  add_read("pfcount", [this] {
    Argv a{"PFCOUNT", key("hll")};
    if (one_in(4)) a.push_back(key("hll"));
    return a;
  });
  // ---- streams (never BLOCK: a read served at once) ----
  add_read("xlen", [this] { return Argv{"XLEN", stream_key()}; });
  add_read("xrange", [this] { return Argv{"XRANGE", stream_key(), "-", "+", "COUNT", num(1, 9)}; });
  add_read("xrevrange", [this] { return Argv{"XREVRANGE", stream_key(), "+", "-"}; });
  add_read("xread", [this] {
    return Argv{"XREAD", "COUNT", num(1, 5), "STREAMS", stream_key(), one_in(2) ? "0" : "$"};
  });
  add_read("xpending", [this] {
    Argv a{"XPENDING", stream_key(), group()};
    if (one_in(2)) a.insert(a.end(), {"-", "+", num(1, 10)});
    if (a.size() == 6 && one_in(2)) a.push_back(consumer());
    return a;
  });
  add_read("xinfo|stream", [this] {
    Argv a{"XINFO", "STREAM", stream_key()};
    if (one_in(2)) a.push_back("FULL");
    return a;
  });
  add_read("xinfo|groups", [this] { return Argv{"XINFO", "GROUPS", stream_key()}; });
  add_read("xinfo|consumers", [this] { return Argv{"XINFO", "CONSUMERS", stream_key(), group()}; });
}

}  // namespace zakros::server::testing
