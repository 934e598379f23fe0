// Generic keyspace commands (Redis's db.c, expire.c, object.c): DEL, UNLINK, EXISTS, TYPE, KEYS,
// SCAN, RENAME, RENAMENX, COPY, MOVE, RANDOMKEY, TOUCH, OBJECT, the EXPIRE family, TTL family,
// PERSIST, DBSIZE, FLUSHDB, FLUSHALL, SWAPDB. SELECT lives with the connection commands
// (server/), since it changes the client's state.
//
// Every write reports through ctx.events: key_modified (WATCH, client tracking) and a keyspace
// notification with Redis's event name (del, rename_from, rename_to, move_from, move_to,
// copy_to, expire, persist). Expiry uses ExecContext::now_ms only.
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "commands/object_scan.h"
#include "util/glob.h"
#include "util/numbers.h"

namespace zakros::commands {

namespace {

using store::Entry;

void modified(CommandContext& ctx, int db, std::string_view key, std::string_view event) {
  ctx.events.key_modified(db, key);
  ctx.events.notify('g', event, key, db);
}

// DEL and UNLINK (Redis's delGenericCommand). `lazy`: big values are freed on the lazy-free
// thread (store/lazy_free.h), small ones at once either way.
void del_generic(CommandContext& ctx, bool lazy) {
  store::Database& db = ctx.db();
  long long deleted = 0;
  for (size_t j = 1; j < ctx.argc(); ++j) {
    std::string_view key = ctx.arg(j);
    if (lookup_write(ctx, key) != nullptr) {
      db.erase(key, lazy);
      modified(ctx, ctx.db_index, key, "del");
      ++deleted;
    } else if (!ctx.exec.may_delete_expired) {
      // A follower applying the log still removes a logically expired key (Redis's replica
      // executes the master's DEL on it); nothing is counted or notified.
      db.erase(key, lazy);
    }
  }
  ctx.out.integer(deleted);
}

void del_command(CommandContext& ctx) {
  del_generic(ctx, ctx.keyspace.lazy_free_policy().user_del);
}

void unlink_command(CommandContext& ctx) {
  del_generic(ctx, true);
}

void exists_command(CommandContext& ctx) {
  long long count = 0;
  for (size_t j = 1; j < ctx.argc(); ++j) {
    if (lookup_read(ctx, ctx.arg(j), store::kLookupNoTouch) != nullptr) ++count;
  }
  ctx.out.integer(count);
}

void type_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1), store::kLookupNoTouch);
  ctx.out.simple(e == nullptr ? std::string_view("none") : store::type_name(e->type()));
}

void keys_command(CommandContext& ctx) {
  std::string_view pattern = ctx.arg(1);
  bool all = pattern == "*";
  int64_t now = ctx.exec.now_ms;
  size_t token = ctx.out.begin_deferred();
  size_t count = 0;
  ctx.db().for_each([&](Entry* e) {
    std::string_view key = e->key();
    if ((all || util::glob_match(pattern, key, false)) && !store::Database::is_expired(e, now)) {
      ctx.out.bulk(key);
      ++count;
    }
  });
  ctx.out.end_deferred_array(token, count);
}

void scan_command(CommandContext& ctx) {
  uint64_t cursor;
  if (!parse_scan_cursor(ctx, ctx.arg(1), &cursor)) return;
  int64_t count = 10;
  std::string_view pattern;
  bool use_pattern = false;
  bool has_type = false;
  std::string_view type_filter;
  for (size_t i = 2; i < ctx.argc();) {
    size_t left = ctx.argc() - i;
    std::string_view opt = ctx.arg(i);
    if (iequals(opt, "count") && left >= 2) {
      if (!parse_int_arg(ctx, ctx.arg(i + 1), &count)) return;
      if (count < 1) {
        ctx.out.error(kSyntaxError);
        return;
      }
      i += 2;
    } else if (iequals(opt, "match") && left >= 2) {
      pattern = ctx.arg(i + 1);
      use_pattern = pattern != "*";
      i += 2;
    } else if (iequals(opt, "type") && left >= 2) {
      has_type = true;
      type_filter = ctx.arg(i + 1);
      i += 2;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  // Collect copies of the names first: filtering may delete expired keys.
  std::vector<std::string> keys;
  store::Database& db = ctx.db();
  int64_t max_iterations = count * 10;
  do {
    cursor = db.scan(cursor, [&](Entry* e) { keys.emplace_back(e->key()); });
  } while (cursor != 0 && max_iterations-- > 0 && keys.size() < static_cast<uint64_t>(count));

  store::TimeContext tc = time_context(ctx);
  size_t kept = 0;
  for (size_t k = 0; k < keys.size(); ++k) {
    const std::string& key = keys[k];
    bool filter = use_pattern && !util::glob_match(pattern, key, false);
    if (!filter && has_type) {
      Entry* e = lookup_read(ctx, key, store::kLookupNoTouch);
      std::string_view name = e == nullptr ? std::string_view("none") : store::type_name(e->type());
      if (!iequals(name, type_filter)) filter = true;
    }
    if (!filter && db.find(key, tc, store::kLookupNoTouch) == nullptr) filter = true;
    if (filter) continue;
    if (kept != k) keys[kept] = std::move(keys[k]);
    ++kept;
  }
  keys.resize(kept);
  ctx.out.array(2);
  char buf[20];
  ctx.out.bulk(std::string_view(buf, util::format_uint64(cursor, buf)));  // unsigned cursor
  ctx.out.array(keys.size());
  for (const auto& key : keys) ctx.out.bulk(key);
}

void rename_generic(CommandContext& ctx, bool nx) {
  std::string_view from = ctx.arg(1);
  std::string_view to = ctx.arg(2);
  Entry* e = lookup_write(ctx, from);
  if (e == nullptr) {
    ctx.out.error(kNoSuchKey);
    return;
  }
  if (from == to) {
    if (nx) {
      ctx.out.integer(0);
    } else {
      ctx.out.ok();
    }
    return;
  }
  store::Database& db = ctx.db();
  if (lookup_write(ctx, to) != nullptr && nx) {
    ctx.out.integer(0);
    return;
  }
  e = db.find_raw(from);  // the lookup of `to` may have moved nothing, but be exact
  db.rename(e, to);
  ctx.events.key_modified(ctx.db_index, from);
  ctx.events.key_modified(ctx.db_index, to);
  ctx.events.notify('g', "rename_from", from, ctx.db_index);
  ctx.events.notify('g', "rename_to", to, ctx.db_index);
  if (nx) {
    ctx.out.integer(1);
  } else {
    ctx.out.ok();
  }
}

void rename_command(CommandContext& ctx) {
  rename_generic(ctx, false);
}
void renamenx_command(CommandContext& ctx) {
  rename_generic(ctx, true);
}

// selectDb's range check for MOVE / COPY DB.
bool parse_db_index(CommandContext& ctx, std::string_view text, int* index) {
  if (!parse_int32_arg(ctx, text, index)) return false;
  if (*index < 0 || *index >= ctx.keyspace.count()) {
    ctx.out.error(kDbIndexOutOfRange);
    return false;
  }
  return true;
}

void move_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  int dst;
  if (!parse_db_index(ctx, ctx.arg(2), &dst)) return;
  if (dst == ctx.db_index) {
    ctx.out.error(kSameObject);
    return;
  }
  if (lookup_write(ctx, key) == nullptr) {
    ctx.out.integer(0);
    return;
  }
  store::Database& target = ctx.keyspace.db(dst);
  if (target.find(key, time_context(ctx)) != nullptr) {
    ctx.out.integer(0);
    return;
  }
  target.attach(ctx.db().detach(key));
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.key_modified(dst, key);
  ctx.events.notify('g', "move_from", key, ctx.db_index);
  ctx.events.notify('g', "move_to", key, dst);
  ctx.out.integer(1);
}

void copy_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  std::string_view newkey = ctx.arg(2);
  int dst = ctx.db_index;
  bool replace = false;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    if (iequals(ctx.arg(j), "replace")) {
      replace = true;
    } else if (iequals(ctx.arg(j), "db") && more) {
      if (!parse_db_index(ctx, ctx.arg(j + 1), &dst)) return;
      ++j;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  if (dst == ctx.db_index && key == newkey) {
    ctx.out.error(kSameObject);
    return;
  }
  Entry* src = lookup_read(ctx, key);
  if (src == nullptr) {
    ctx.out.integer(0);
    return;
  }
  store::Database& target = ctx.keyspace.db(dst);
  if (target.find(newkey, time_context(ctx)) != nullptr && !replace) {
    ctx.out.integer(0);
    return;
  }
  src = ctx.db().find_raw(key);
  Entry* copy = Entry::clone(*src, newkey, src->has_expire());
  if (src->has_expire()) copy->set_expire_at(src->expire_at());
  copy->set_lru(target.new_lru(ctx.exec.now_ms));
  target.attach(copy);
  ctx.events.key_modified(dst, newkey);
  ctx.events.notify('g', "copy_to", newkey, dst);
  ctx.out.integer(1);
}

void randomkey_command(CommandContext& ctx) {
  uint64_t rng = ctx.exec.seed;
  Entry* e = ctx.db().random_entry(rng, time_context(ctx));
  if (e == nullptr) {
    ctx.out.null();
  } else {
    ctx.out.bulk(e->key());
  }
}

void touch_command(CommandContext& ctx) {
  long long count = 0;
  for (size_t j = 1; j < ctx.argc(); ++j) {
    if (lookup_read(ctx, ctx.arg(j)) != nullptr) ++count;
  }
  ctx.out.integer(count);
}

// OBJECT's lookups neither touch the key nor count as hits or misses.
Entry* object_lookup(CommandContext& ctx) {
  Entry* e = ctx.db().find(ctx.arg(2), time_context(ctx), store::kLookupNoTouch);
  if (e == nullptr) ctx.out.null();
  return e;
}

void object_encoding(CommandContext& ctx) {
  if (Entry* e = object_lookup(ctx)) ctx.out.bulk(store::encoding_name(e->encoding()));
}

// Redis shares the integers 0..9999 (OBJ_SHARED_INTEGERS) and reports INT_MAX as their
// refcount, except under maxmemory with an LRU/LFU policy; zakros mirrors the reply.
void object_refcount(CommandContext& ctx) {
  Entry* e = object_lookup(ctx);
  if (e == nullptr) return;
  bool shared = e->is_int() && e->int_value() >= 0 && e->int_value() < 10000 && !ctx.keyspace.lfu();
  ctx.out.integer(shared ? 2147483647 : 1);
}

void object_idletime(CommandContext& ctx) {
  Entry* e = object_lookup(ctx);
  if (e == nullptr) return;
  if (ctx.keyspace.lfu()) {
    ctx.out.error(kLfuSelected);
    return;
  }
  ctx.out.integer(static_cast<long long>(ctx.keyspace.idle_ms(*e, ctx.exec.now_ms) / 1000));
}

void object_freq(CommandContext& ctx) {
  Entry* e = object_lookup(ctx);
  if (e == nullptr) return;
  if (!ctx.keyspace.lfu()) {
    ctx.out.error(kLfuNotSelected);
    return;
  }
  ctx.out.integer(ctx.keyspace.lfu_frequency(*e, ctx.exec.now_ms));
}

void object_help(CommandContext& ctx) {
  reply_help(ctx, "object",
             {"ENCODING <key>",
              "    Return the kind of internal representation used in order to store the value",
              "    associated with a <key>.", "FREQ <key>",
              "    Return the access frequency index of the <key>. The returned integer is",
              "    proportional to the logarithm of the recent access frequency of the key.",
              "IDLETIME <key>",
              "    Return the idle time of the <key>, that is the approximated number of",
              "    seconds elapsed since the last access to the key.", "REFCOUNT <key>",
              "    Return the number of references of the value associated with the specified",
              "    <key>."});
}

// expireGenericCommand. base_ms is now for relative forms, 0 for the *AT forms.
void expire_generic(CommandContext& ctx, int64_t base_ms, bool seconds, std::string_view name) {
  std::string_view key = ctx.arg(1);
  bool nx = false, xx = false, gt = false, lt = false;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    if (iequals(opt, "nx")) {
      nx = true;
    } else if (iequals(opt, "xx")) {
      xx = true;
    } else if (iequals(opt, "gt")) {
      gt = true;
    } else if (iequals(opt, "lt")) {
      lt = true;
    } else {
      ctx.out.error(unsupported_option(opt));
      return;
    }
  }
  if (nx && (xx || gt || lt)) {
    ctx.out.error(kExpireNxAndOthers);
    return;
  }
  if (gt && lt) {
    ctx.out.error(kExpireGtAndLt);
    return;
  }
  int64_t when;
  if (!parse_int_arg(ctx, ctx.arg(2), &when)) return;
  if (seconds) {
    if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) {
      ctx.out.error(invalid_expire_time(name));
      return;
    }
    when *= 1000;
  }
  if (when > LLONG_MAX - base_ms) {
    ctx.out.error(invalid_expire_time(name));
    return;
  }
  when += base_ms;
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (nx || xx || gt || lt) {
    int64_t current = e->has_expire() ? e->expire_at() : -1;
    if ((nx && current != -1) || (xx && current == -1) ||
        (gt && (when <= current || current == -1)) || (lt && current != -1 && when >= current)) {
      ctx.out.integer(0);
      return;
    }
  }
  if (when <= ctx.exec.now_ms && ctx.exec.may_delete_expired) {
    ctx.db().erase(key, ctx.keyspace.lazy_free_policy().expire);
    modified(ctx, ctx.db_index, key, "del");
  } else {
    ctx.db().set_expire(e, when);
    modified(ctx, ctx.db_index, key, "expire");
  }
  ctx.out.integer(1);
}

void expire_command(CommandContext& ctx) {
  expire_generic(ctx, ctx.exec.now_ms, true, "expire");
}
void pexpire_command(CommandContext& ctx) {
  expire_generic(ctx, ctx.exec.now_ms, false, "pexpire");
}
void expireat_command(CommandContext& ctx) {
  expire_generic(ctx, 0, true, "expireat");
}
void pexpireat_command(CommandContext& ctx) {
  expire_generic(ctx, 0, false, "pexpireat");
}

// ttlGenericCommand.
void ttl_generic(CommandContext& ctx, bool output_ms, bool output_abs) {
  Entry* e = lookup_read(ctx, ctx.arg(1), store::kLookupNoTouch);
  if (e == nullptr) {
    ctx.out.integer(-2);
    return;
  }
  if (!e->has_expire()) {
    ctx.out.integer(-1);
    return;
  }
  int64_t ttl = output_abs ? e->expire_at() : e->expire_at() - ctx.exec.now_ms;
  if (ttl < 0) ttl = 0;
  ctx.out.integer(output_ms ? ttl : (ttl + 500) / 1000);
}

void ttl_command(CommandContext& ctx) {
  ttl_generic(ctx, false, false);
}
void pttl_command(CommandContext& ctx) {
  ttl_generic(ctx, true, false);
}
void expiretime_command(CommandContext& ctx) {
  ttl_generic(ctx, false, true);
}
void pexpiretime_command(CommandContext& ctx) {
  ttl_generic(ctx, true, true);
}

void persist_command(CommandContext& ctx) {
  Entry* e = lookup_write(ctx, ctx.arg(1));
  if (e == nullptr || !ctx.db().persist(e)) {
    ctx.out.integer(0);
    return;
  }
  modified(ctx, ctx.db_index, ctx.arg(1), "persist");
  ctx.out.integer(1);
}

void dbsize_command(CommandContext& ctx) {
  ctx.out.integer(static_cast<long long>(ctx.db().size()));
}

// getFlushCommandFlags: [ASYNC|SYNC]; no option means ASYNC under lazyfree-lazy-user-flush.
bool parse_flush_flags(CommandContext& ctx, bool* async) {
  *async = false;
  if (ctx.argc() == 1) {
    *async = ctx.keyspace.lazy_free_policy().user_flush;
    return true;
  }
  if (ctx.argc() == 2 && iequals(ctx.arg(1), "sync")) return true;
  if (ctx.argc() == 2 && iequals(ctx.arg(1), "async")) {
    *async = true;
    return true;
  }
  ctx.out.error(kSyntaxError);
  return false;
}

void flushdb_command(CommandContext& ctx) {
  bool async;
  if (!parse_flush_flags(ctx, &async)) return;
  if (async) {
    ctx.keyspace.flush_async(ctx.db_index);
  } else {
    ctx.db().clear();
  }
  ctx.events.database_modified(ctx.db_index);
  ctx.out.ok();
}

void flushall_command(CommandContext& ctx) {
  bool async;
  if (!parse_flush_flags(ctx, &async)) return;
  if (async) {
    ctx.keyspace.flush_async(-1);
  } else {
    ctx.keyspace.flush_all();
  }
  ctx.events.database_modified(-1);
  ctx.out.ok();
}

void swapdb_command(CommandContext& ctx) {
  int a, b;
  if (!parse_int32_arg(ctx, ctx.arg(1), &a, kInvalidFirstDbIndex)) return;
  if (!parse_int32_arg(ctx, ctx.arg(2), &b, kInvalidSecondDbIndex)) return;
  int n = ctx.keyspace.count();
  if (a < 0 || a >= n || b < 0 || b >= n) {
    ctx.out.error(kDbIndexOutOfRange);
    return;
  }
  ctx.keyspace.swap(a, b);
  ctx.events.database_modified(a);
  if (b != a) ctx.events.database_modified(b);
  ctx.out.ok();
}

constexpr uint64_t kKsRead = kAclKeyspace | kAclRead;
constexpr uint64_t kKsWrite = kAclKeyspace | kAclWrite;

}  // namespace

void register_keyspace_commands(CommandTable& table) {
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, int step, Handler handler, std::string_view summary,
                 std::string_view since) {
    table.add(make_spec(name, arity, flags, acl, first, last, step, CommandGroup::kGeneric, handler,
                        summary, since));
  };
  add("del", -2, kWrite, kKsWrite | kAclSlow, 1, -1, 1, del_command, "Delete a key", "1.0.0");
  add("unlink", -2, kWrite | kFast, kKsWrite | kAclFast, 1, -1, 1, unlink_command,
      "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non "
      "blocking.",
      "4.0.0");
  add("exists", -2, kReadonly | kFast, kKsRead | kAclFast, 1, -1, 1, exists_command,
      "Determine if a key exists", "1.0.0");
  add("type", 2, kReadonly | kFast, kKsRead | kAclFast, 1, 1, 1, type_command,
      "Determine the type stored at key", "1.0.0");
  add("keys", 2, kReadonly, kKsRead | kAclSlow | kAclDangerous, 0, 0, 0, keys_command,
      "Find all keys matching the given pattern", "1.0.0");
  add("scan", -2, kReadonly, kKsRead | kAclSlow, 0, 0, 0, scan_command,
      "Incrementally iterate the keys space", "2.8.0");
  add("rename", 3, kWrite, kKsWrite | kAclSlow, 1, 2, 1, rename_command, "Rename a key", "1.0.0");
  add("renamenx", 3, kWrite | kFast, kKsWrite | kAclFast, 1, 2, 1, renamenx_command,
      "Rename a key, only if the new key does not exist", "1.0.0");
  add("copy", -3, kWrite | kDenyOom, kKsWrite | kAclSlow, 1, 2, 1, copy_command, "Copy a key",
      "6.2.0");
  add("move", 3, kWrite | kFast, kKsWrite | kAclFast, 1, 1, 1, move_command,
      "Move a key to another database", "1.0.0");
  add("randomkey", 1, kReadonly, kKsRead | kAclSlow, 0, 0, 0, randomkey_command,
      "Return a random key from the keyspace", "1.0.0");
  add("touch", -2, kReadonly | kFast, kKsRead | kAclFast, 1, -1, 1, touch_command,
      "Alters the last access time of a key(s). Returns the number of existing keys specified.",
      "3.2.1");
  add("expire", -3, kWrite | kFast, kKsWrite | kAclFast, 1, 1, 1, expire_command,
      "Set a key's time to live in seconds", "1.0.0");
  add("pexpire", -3, kWrite | kFast, kKsWrite | kAclFast, 1, 1, 1, pexpire_command,
      "Set a key's time to live in milliseconds", "2.6.0");
  add("expireat", -3, kWrite | kFast, kKsWrite | kAclFast, 1, 1, 1, expireat_command,
      "Set the expiration for a key as a UNIX timestamp", "1.2.0");
  add("pexpireat", -3, kWrite | kFast, kKsWrite | kAclFast, 1, 1, 1, pexpireat_command,
      "Set the expiration for a key as a UNIX timestamp specified in milliseconds", "2.6.0");
  add("ttl", 2, kReadonly | kFast, kKsRead | kAclFast, 1, 1, 1, ttl_command,
      "Get the time to live for a key in seconds", "1.0.0");
  add("pttl", 2, kReadonly | kFast, kKsRead | kAclFast, 1, 1, 1, pttl_command,
      "Get the time to live for a key in milliseconds", "2.6.0");
  add("expiretime", 2, kReadonly | kFast, kKsRead | kAclFast, 1, 1, 1, expiretime_command,
      "Get the expiration Unix timestamp for a key", "7.0.0");
  add("pexpiretime", 2, kReadonly | kFast, kKsRead | kAclFast, 1, 1, 1, pexpiretime_command,
      "Get the expiration Unix timestamp for a key in milliseconds", "7.0.0");
  add("persist", 2, kWrite | kFast, kKsWrite | kAclFast, 1, 1, 1, persist_command,
      "Remove the expiration from a key", "2.2.0");
  add("dbsize", 1, kReadonly | kFast, kKsRead | kAclFast, 0, 0, 0, dbsize_command,
      "Return the number of keys in the selected database", "1.0.0");
  add("flushdb", -1, kWrite, kKsWrite | kAclSlow | kAclDangerous, 0, 0, 0, flushdb_command,
      "Remove all keys from the current database", "1.0.0");
  add("flushall", -1, kWrite, kKsWrite | kAclSlow | kAclDangerous, 0, 0, 0, flushall_command,
      "Remove all keys from all databases", "1.0.0");
  add("swapdb", 3, kWrite | kFast, kKsWrite | kAclFast | kAclDangerous, 0, 0, 0, swapdb_command,
      "Swaps two Redis databases", "4.0.0");

  CommandSpec object = make_spec("object", -2, 0, kAclSlow, 0, 0, 0, CommandGroup::kGeneric,
                                 nullptr, "A container for object introspection commands", "2.2.3");
  auto sub = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 Handler handler, std::string_view summary, std::string_view since) {
    object.subcommands.push_back(make_spec(name, arity, flags, acl, first, first, first ? 1 : 0,
                                           CommandGroup::kGeneric, handler, summary, since));
  };
  sub("encoding", 3, kReadonly, kKsRead | kAclSlow, 2, object_encoding,
      "Inspect the internal encoding of a Redis object", "2.2.3");
  sub("freq", 3, kReadonly, kKsRead | kAclSlow, 2, object_freq,
      "Get the logarithmic access frequency counter of a Redis object", "4.0.0");
  sub("idletime", 3, kReadonly, kKsRead | kAclSlow, 2, object_idletime,
      "Get the time since a Redis object was last accessed", "2.2.3");
  sub("help", 2, kLoading | kStale, kAclKeyspace | kAclSlow, 0, object_help,
      "Show helpful text about the different subcommands", "6.2.0");
  sub("refcount", 3, kReadonly, kKsRead | kAclSlow, 2, object_refcount,
      "Get the number of references to the value of the key", "2.2.3");
  table.add(std::move(object));
}

}  // namespace zakros::commands
