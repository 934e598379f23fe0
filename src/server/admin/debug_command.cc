// DEBUG: the subcommands Redis's own tests and tools use that make sense without persistence.
// Allowed only as enable-debug-command says (no / yes / local), with Redis's refusal text.
// RELOAD saves (a Raft snapshot, or dir/dbfilename on a volatile node) and loads the keyspace
// back from what was saved; LOADAOF answers an error (no AOF). DIGEST and DIGEST-VALUE are
// Redis 7.0's (store/digest.h): replicas, and zakros against redis-server, compare with them.
#include <spdlog/spdlog.h>
#include <time.h>

#include <cstdio>
#include <string>

#ifdef ZAKROS_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "server/admin/introspection.h"
#include "server/admin/server_commands.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "server/session/transactions.h"
#include "store/digest.h"
#include "store/entry.h"
#include "store/keyspace.h"
#include "store/rdb.h"
#include "util/clock.h"
#include "util/numbers.h"

namespace zakros::server {

namespace {

using commands::CommandContext;

bool is_local(const Client& client) {
  std::string_view peer = client.peer_address;
  return peer.rfind("127.", 0) == 0 || peer.rfind("::1", 0) == 0 ||
         peer.rfind("::ffff:127.", 0) == 0 || peer.rfind("[::1]", 0) == 0;
}

// Redis's rdbSavedObjectLen for strings (without LZF compression): the length's encoding plus
// the bytes, or 2/3/5 bytes for integers that fit 8/16/32 bits.
size_t serialized_length(const store::Entry& e) {
  if (!e.is_string()) return 0;
  if (e.is_int()) {
    int64_t v = e.int_value();
    if (v >= -(1 << 7) && v < (1 << 7)) return 2;
    if (v >= -(1 << 15) && v < (1 << 15)) return 3;
    if (v >= -(1ll << 31) && v < (1ll << 31)) return 5;
  }
  size_t len = e.string_length();
  if (e.is_int()) len = std::to_string(e.int_value()).size();
  size_t header = len < (1u << 6) ? 1 : len < (1u << 14) ? 2 : len <= 0xffffffffu ? 5 : 9;
  return header + len;
}

// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE], as Redis: save, empty the keyspace, load the file.
// In Raft mode only the plain form: loading anything but the state at the applied index (NOSAVE
// would load an older snapshot) or merging into it would make this node diverge from the log.
void debug_reload(CommandContext& ctx) {
  Server& server = *ctx.server;
  bool flush = true, save = true, merge = false;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (iequals(ctx.arg(i), "merge")) {
      merge = true;
    } else if (iequals(ctx.arg(i), "noflush")) {
      flush = false;
    } else if (iequals(ctx.arg(i), "nosave")) {
      save = false;
    } else {
      ctx.out.error("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
      return;
    }
  }
  std::string error;
  if (Replication* replication = server.replication()) {
    if (ctx.argc() > 2) {
      ctx.out.error("ERR DEBUG RELOAD options are not supported on a Raft node");
    } else if (!replication->reload_from_snapshot(&error)) {
      ctx.out.error(error.rfind("ERR ", 0) == 0 ? error : "ERR " + error);
    } else {
      ctx.out.ok();
    }
    return;
  }
  if (save && !save_volatile_rdb(server, &error)) {
    ctx.out.error(error);
    return;
  }
  (void)merge;  // loading replaces existing keys, which is what MERGE allows
  if (flush) server.keyspace().flush_all();
  store::rdb::LoadOptions options;
  options.now_ms = util::wall_ms();
  store::rdb::AuxFields aux;
  if (!store::rdb::load_rdb_file(volatile_rdb_path(server), server.keyspace(), options, &aux,
                                 &error)) {
    spdlog::warn("DEBUG RELOAD: {}", error);
    ctx.out.error("ERR Error trying to load the RDB dump");
    return;
  }
  server.transactions().touch_db(-1);
  spdlog::warn("DB reloaded by DEBUG RELOAD");
  ctx.out.ok();
}

void debug_object(CommandContext& ctx) {
  store::Entry* e = ctx.db().find_raw(ctx.arg(2));
  if (e == nullptr || store::Database::is_expired(e, ctx.exec.now_ms)) {
    ctx.out.error("ERR no such key");
    return;
  }
  uint64_t idle_ms = ctx.keyspace.lfu() ? 0 : ctx.keyspace.idle_ms(*e, ctx.exec.now_ms);
  // Shared integers (0..9999) report INT_MAX, as OBJECT REFCOUNT does (commands/keyspace.cc).
  bool shared = e->is_int() && e->int_value() >= 0 && e->int_value() < 10000 && !ctx.keyspace.lfu();
  char buf[256];
  std::snprintf(buf, sizeof(buf),
                "Value at:%p refcount:%d encoding:%.*s serializedlength:%zu lru:%u "
                "lru_seconds_idle:%llu",
                static_cast<const void*>(e), shared ? 2147483647 : 1,
                static_cast<int>(store::encoding_name(e->encoding()).size()),
                store::encoding_name(e->encoding()).data(), serialized_length(*e), e->lru(),
                static_cast<unsigned long long>(idle_ms / 1000));
  ctx.out.simple(buf);
}

void debug_protocol(CommandContext& ctx) {
  std::string_view name = ctx.arg(2);
  resp::ReplyWriter& out = ctx.out;
  if (iequals(name, "string")) {
    out.bulk("Hello World");
  } else if (iequals(name, "integer")) {
    out.integer(12345);
  } else if (iequals(name, "double")) {
    out.double_value(3.141);
  } else if (iequals(name, "bignum")) {
    out.big_number("1234567999999999999999999999999999999");
  } else if (iequals(name, "null")) {
    out.null();
  } else if (iequals(name, "array") || iequals(name, "set")) {
    if (iequals(name, "array")) {
      out.array(3);
    } else {
      out.set(3);
    }
    for (int j = 0; j < 3; ++j) out.integer(j);
  } else if (iequals(name, "map")) {
    out.map(3);
    for (int j = 0; j < 3; ++j) {
      out.integer(j);
      out.boolean(j == 1);
    }
  } else if (iequals(name, "attrib")) {
    // RESP3 attribute (the reply writer has no attribute type: written raw).
    if (out.resp3()) out.raw("|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n");
    out.bulk("Some real reply following the attribute");
  } else if (iequals(name, "push")) {
    if (!out.resp3()) {
      out.error("ERR RESP2 is not supported by this command");
      return;
    }
    out.push(2);
    out.bulk("server-cpu-usage");
    out.integer(42);
    out.bulk("Some real reply following the push reply");
  } else if (iequals(name, "true")) {
    out.boolean(true);
  } else if (iequals(name, "false")) {
    out.boolean(false);
  } else if (iequals(name, "verbatim")) {
    out.verbatim("This is a verbatim\nstring");
  } else {
    out.error(
        "ERR Wrong protocol type name. Please use one of the following: "
        "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
  }
}

// DEBUG POPULATE count [prefix] [size]: keys prefix:N with values "value:N" (padded with zeros
// or cut to `size`); existing keys are left alone, as in Redis.
void debug_populate(CommandContext& ctx) {
  if (ctx.argc() > 5) {
    ctx.out.error("ERR Wrong number of arguments for DEBUG POPULATE");
    return;
  }
  int64_t count = 0, size = 0;
  if (!util::parse_int64(ctx.arg(2), &count) || count < 0) {
    ctx.out.error("ERR value is out of range, must be positive");
    return;
  }
  std::string prefix = ctx.argc() >= 4 ? std::string(ctx.arg(3)) : "key";
  if (ctx.argc() == 5 && (!util::parse_int64(ctx.arg(4), &size) || size < 0)) {
    ctx.out.error("ERR value is out of range, must be positive");
    return;
  }
  store::Database& db = ctx.db();
  store::TimeContext tc{ctx.exec.now_ms, ctx.exec.may_delete_expired};
  for (int64_t j = 0; j < count; ++j) {
    std::string key = prefix + ":" + std::to_string(j);
    if (db.find(key, tc, store::kLookupNoTouch) != nullptr) continue;
    std::string value = "value:" + std::to_string(j);
    if (ctx.argc() == 5) value.resize(static_cast<size_t>(size), '\0');
    db.set_string(key, value, store::kPersist, tc);
  }
  ctx.out.ok();
}

void debug_help(CommandContext& ctx) {
  reply_help(ctx, {
                      "CHANGE-REPL-ID",
                      "    Change the replication IDs of the instance.",
                      "    Dangerous: should be used only for testing the replication subsystem.",
                      "CONFIG-REWRITE-FORCE-ALL",
                      "    Like CONFIG REWRITE but writes all configuration options, including",
                      "    keywords not listed in original configuration file or default values.",
                      "DIGEST",
                      "    Output a hex signature representing the current DB content.",
                      "DIGEST-VALUE <key> [<key> ...]",
                      "    Output a hex signature of the values of all the specified keys.",
                      "ERROR <string>",
                      "    Return a Redis protocol error with <string> as message. Useful for "
                      "clients",
                      "    unit tests to simulate Redis errors.",
                      "LOG <message>",
                      "    Write <message> to the server log.",
                      "JMAP",
                      "    Accepted for compatibility; does nothing.",
                      "MALLCTL <key>",
                      "    Get a malloc tuning integer.",
                      "OBJECT <key>",
                      "    Show low level info about `key` and associated value.",
                      "POPULATE <count> [<prefix>] [<size>]",
                      "    Create <count> string keys named key:<num>. If <prefix> is specified "
                      "then",
                      "    it is used instead of the 'key' prefix.",
                      "PROTOCOL <type>",
                      "    Reply with a test value of the specified type. <type> can be: string,",
                      "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
                      "    true, false.",
                      "SET-ACTIVE-EXPIRE <0|1>",
                      "    Setting it to 0 disables expiring keys in background when they are not",
                      "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back "
                      "the",
                      "    default.",
                      "QUICKLIST-PACKED-THRESHOLD <size>",
                      "    Sets the threshold for elements to be inserted as plain vs packed nodes",
                      "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to "
                      "default.",
                      "SLEEP <seconds>",
                      "    Stop the server for <seconds>. Decimals allowed.",
                  });
}

void debug(CommandContext& ctx) {
  Server& server = *ctx.server;
  ProtectedAction allowed = server.config().enable_debug_command;
  if (allowed == ProtectedAction::kNo ||
      (allowed == ProtectedAction::kLocal && (ctx.client == nullptr || !is_local(*ctx.client)))) {
    ctx.out.error(
        "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
        "you can run it from a local connection, otherwise you need to set this option in the "
        "configuration file, and then restart the server.");
    return;
  }
  std::string_view sub = ctx.arg(1);
  size_t argc = ctx.argc();
  if (iequals(sub, "help") && argc == 2) {
    debug_help(ctx);
  } else if (iequals(sub, "sleep") && argc == 3) {
    // Redis parses with strtod and blocks the whole server on purpose.
    double seconds = std::strtod(std::string(ctx.arg(2)).c_str(), nullptr);
    long long usec = static_cast<long long>(seconds * 1000000);
    if (usec > 0) {
      timespec ts{static_cast<time_t>(usec / 1000000), static_cast<long>((usec % 1000000) * 1000)};
      nanosleep(&ts, nullptr);
    }
    ctx.out.ok();
  } else if (iequals(sub, "set-active-expire") && argc == 3) {
    server.active_expire_enabled = std::atoi(std::string(ctx.arg(2)).c_str()) != 0;
    ctx.out.ok();
  } else if (iequals(sub, "object") && argc == 3) {
    debug_object(ctx);
  } else if (iequals(sub, "protocol") && argc == 3) {
    debug_protocol(ctx);
  } else if (iequals(sub, "populate") && argc >= 3) {
    debug_populate(ctx);
  } else if (iequals(sub, "change-repl-id") && argc == 2) {
    // A new replication id, as Redis's changeReplicationId (no replicas exist to notice).
    server.master_replid.clear();
    static constexpr char kHex[] = "0123456789abcdef";
    uint64_t x = ctx.exec.seed | 1;
    for (int i = 0; i < 40; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      server.master_replid.push_back(kHex[x & 15]);
    }
    ctx.out.ok();
  } else if (iequals(sub, "error") && argc == 3) {
    ctx.out.error(ctx.arg(2));
  } else if (iequals(sub, "log") && argc == 3) {
    spdlog::warn("DEBUG LOG: {}", ctx.arg(2));
    ctx.out.ok();
  } else if ((iequals(sub, "jmap") && argc == 2) ||
             (iequals(sub, "quicklist-packed-threshold") && argc == 3) ||
             (iequals(sub, "set-disable-deny-scripts") && argc == 3) ||
             (iequals(sub, "set-skip-checksum-validation") && argc == 3) ||
             (iequals(sub, "pause-cron") && argc == 3) ||
             (iequals(sub, "replybuffer") && argc == 4) ||
             (iequals(sub, "stringmatch-len") && argc >= 2)) {
    // Knobs of Redis internals zakros does not have: accepted so that tools and tests that
    // set them keep working.
    ctx.out.ok();
  } else if (iequals(sub, "listpack") && argc == 3) {
    store::Entry* e = ctx.db().find_raw(ctx.arg(2));
    if (e == nullptr) {
      ctx.out.error("ERR no such key");
    } else if (e->encoding() != store::Encoding::kListpack) {
      ctx.out.error("ERR Not a listpack encoded object.");
    } else {
      ctx.out.simple("Listpack structure printed on stdout");
    }
  } else if (iequals(sub, "config-rewrite-force-all") && argc == 2) {
    if (server.config_file().empty()) {
      ctx.out.error("ERR The server is running without a config file");
    } else if (auto error = rewrite_config_file(server.config_file(), server.config(), true)) {
      ctx.out.error("ERR CONFIG-REWRITE-FORCE-ALL failed: " + *error);
    } else {
      ctx.out.ok();
    }
  } else if (iequals(sub, "mallctl") && argc == 3) {
#ifdef ZAKROS_HAVE_JEMALLOC
    size_t value = 0, len = sizeof(value);
    if (mallctl(std::string(ctx.arg(2)).c_str(), &value, &len, nullptr, 0) != 0) {
      ctx.out.error("ERR " + std::string(ctx.arg(2)));
    } else {
      ctx.out.integer(static_cast<long long>(value));
    }
#else
    ctx.out.error("ERR MALLCTL not supported without jemalloc");
#endif
  } else if (iequals(sub, "reload")) {
    debug_reload(ctx);
  } else if (iequals(sub, "digest") && argc == 2) {
    ctx.out.simple(store::digest_hex(store::dataset_digest(ctx.keyspace)));
  } else if (iequals(sub, "digest-value")) {
    // As Redis: the stored value whatever its TTL (no lookup, so nothing expires or is touched).
    ctx.out.array(argc - 2);
    for (size_t i = 2; i < argc; ++i) {
      const store::Entry* e = ctx.db().find_raw(ctx.arg(i));
      ctx.out.simple(store::digest_hex(e != nullptr ? store::value_digest(*e) : store::Digest{}));
    }
  } else if (iequals(sub, "loadaof")) {
    ctx.out.error("ERR DEBUG " + to_upper_ascii(sub) +
                  " is not supported: this zakros node has no persistence yet");
  } else {
    ctx.out.error("ERR unknown subcommand or wrong number of arguments for '" +
                  std::string(sub.substr(0, 128)) + "'. Try DEBUG HELP.");
  }
}

// CommandSpec::writes_now of DEBUG: POPULATE adds keys, so a Raft leader proposes it through
// the log and every replica adds the same ones (its values derive from its arguments alone).
bool debug_writes(store::Database&, std::span<const std::string_view> argv) {
  return argv.size() >= 2 && util::iequals(argv[1], "populate");
}

}  // namespace

void register_debug_command(commands::CommandTable& table) {
  using namespace commands;
  table.add({.name = "debug",
             .arity = -2,
             .flags = kAdmin | kNoscript | kLoading | kStale,
             .acl = kAclAdmin | kAclDangerous | kAclSlow,
             .group = CommandGroup::kServer,
             .handler = debug,
             .subcommands = {},
             .summary = "A container for debugging commands",
             .writes_now = debug_writes});
}

}  // namespace zakros::server
