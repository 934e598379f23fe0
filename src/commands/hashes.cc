// The hash commands (Redis's t_hash.c): HSET, HSETNX, HGET, HMGET, HMSET, HDEL, HLEN, HSTRLEN,
// HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY, HINCRBYFLOAT, HRANDFIELD, HSCAN.
//
// Values are store::HashObject (listpack or hashtable). Writes create the key as Redis's
// hashTypeLookupWriteOrCreate does (before the fields are set, so the 'new' event precedes the
// command's own), delete it when the last field goes, and report key_modified + a 'h' event
// (hset, hdel, hincrby, hincrbyfloat; 'g' del when the key goes). HRANDFIELD draws from
// ExecContext::seed only.
#include <climits>
#include <cmath>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "commands/object_scan.h"
#include "commands/seeded_random.h"
#include "store/hash_object.h"
#include "util/numbers.h"

namespace zakros::commands {

namespace {

using store::Entry;
using store::HashObject;

// The hash at `key` for reading: null with nothing replied when the key is missing (*missing
// set), null with WRONGTYPE replied when it holds another type.
HashObject* read_hash(CommandContext& ctx, std::string_view key, bool* missing) {
  Entry* e = lookup_read(ctx, key);
  *missing = e == nullptr;
  if (e == nullptr) return nullptr;
  if (e->type() != store::ValueType::kHash) {
    ctx.out.error(kWrongType);
    return nullptr;
  }
  return static_cast<HashObject*>(e->object());
}

// hashTypeLookupWriteOrCreate: the hash at `key`, created empty if missing; null (WRONGTYPE
// replied) if the key holds another type.
HashObject* write_hash(CommandContext& ctx, std::string_view key) {
  Entry* e = lookup_write(ctx, key);
  if (e != nullptr) {
    if (e->type() != store::ValueType::kHash) {
      ctx.out.error(kWrongType);
      return nullptr;
    }
    return static_cast<HashObject*>(e->object());
  }
  auto obj = HashObject::create();
  HashObject* h = obj.get();
  ctx.db().set_object(key, std::move(obj), store::kPersist, time_context(ctx));
  return h;
}

const store::EncodingLimits& limits(const CommandContext& ctx) {
  return ctx.keyspace.limits();
}

void hset_generic(CommandContext& ctx, bool hmset) {
  if (ctx.argc() % 2 == 1) {
    ctx.out.error(wrong_arity(hmset ? "hmset" : "hset"));
    return;
  }
  std::string_view key = ctx.arg(1);
  HashObject* h = write_hash(ctx, key);
  if (h == nullptr) return;
  size_t max_len = 0, total = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    max_len = std::max(max_len, ctx.arg(i).size());
    total += ctx.arg(i).size();
  }
  h->prepare_write(max_len, total, limits(ctx));
  long long created = 0;
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    if (h->set(ctx.arg(i), ctx.arg(i + 1), limits(ctx))) ++created;
  }
  if (hmset) {
    ctx.out.ok();
  } else {
    ctx.out.integer(created);
  }
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('h', "hset", key, ctx.db_index);
}

void hset_command(CommandContext& ctx) {
  hset_generic(ctx, false);
}
void hmset_command(CommandContext& ctx) {
  hset_generic(ctx, true);
}

void hsetnx_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  HashObject* h = write_hash(ctx, key);
  if (h == nullptr) return;
  if (h->contains(ctx.arg(2))) {
    ctx.out.integer(0);
    return;
  }
  h->prepare_write(std::max(ctx.arg(2).size(), ctx.arg(3).size()),
                   ctx.arg(2).size() + ctx.arg(3).size(), limits(ctx));
  h->set(ctx.arg(2), ctx.arg(3), limits(ctx));
  ctx.out.integer(1);
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('h', "hset", key, ctx.db_index);
}

void hget_command(CommandContext& ctx) {
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  if (h == nullptr) {
    if (missing) ctx.out.null();
    return;
  }
  char buf[HashObject::kValueBufSize];
  std::string_view value;
  if (h->get(ctx.arg(2), buf, &value)) {
    ctx.out.bulk(value);
  } else {
    ctx.out.null();
  }
}

void hmget_command(CommandContext& ctx) {
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  if (h == nullptr && !missing) return;
  ctx.out.array(ctx.argc() - 2);
  char buf[HashObject::kValueBufSize];
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string_view value;
    if (h != nullptr && h->get(ctx.arg(i), buf, &value)) {
      ctx.out.bulk(value);
    } else {
      ctx.out.null();
    }
  }
}

void hdel_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (e->type() != store::ValueType::kHash) {
    ctx.out.error(kWrongType);
    return;
  }
  auto* h = static_cast<HashObject*>(e->object());
  long long deleted = 0;
  bool key_removed = false;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (h->remove(ctx.arg(i))) {
      ++deleted;
      if (h->size() == 0) {
        ctx.db().erase(key);
        key_removed = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('h', "hdel", key, ctx.db_index);
    if (key_removed) ctx.events.notify('g', "del", key, ctx.db_index);
  }
  ctx.out.integer(deleted);
}

void hlen_command(CommandContext& ctx) {
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  if (h != nullptr) {
    ctx.out.integer(static_cast<long long>(h->size()));
  } else if (missing) {
    ctx.out.integer(0);
  }
}

void hstrlen_command(CommandContext& ctx) {
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  if (h == nullptr) {
    if (missing) ctx.out.integer(0);
    return;
  }
  char buf[HashObject::kValueBufSize];
  std::string_view value;
  ctx.out.integer(h->get(ctx.arg(2), buf, &value) ? static_cast<long long>(value.size()) : 0);
}

void hexists_command(CommandContext& ctx) {
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  if (h == nullptr) {
    if (missing) ctx.out.integer(0);
    return;
  }
  ctx.out.integer(h->contains(ctx.arg(2)) ? 1 : 0);
}

enum GetAllFlags { kKeys = 1, kValues = 2 };

void getall_generic(CommandContext& ctx, int flags) {
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  bool both = flags == (kKeys | kValues);
  if (h == nullptr) {
    if (!missing) return;
    if (both) {
      ctx.out.map(0);
    } else {
      ctx.out.array(0);
    }
    return;
  }
  if (both) {
    ctx.out.map(h->size());
  } else {
    ctx.out.array(h->size());
  }
  h->for_each([&](std::string_view field, std::string_view value) {
    if (flags & kKeys) ctx.out.bulk(field);
    if (flags & kValues) ctx.out.bulk(value);
  });
}

void hkeys_command(CommandContext& ctx) {
  getall_generic(ctx, kKeys);
}
void hvals_command(CommandContext& ctx) {
  getall_generic(ctx, kValues);
}
void hgetall_command(CommandContext& ctx) {
  getall_generic(ctx, kKeys | kValues);
}

void hincrby_command(CommandContext& ctx) {
  int64_t incr;
  if (!parse_int_arg(ctx, ctx.arg(3), &incr)) return;
  std::string_view key = ctx.arg(1);
  HashObject* h = write_hash(ctx, key);
  if (h == nullptr) return;
  int64_t value = 0;
  char buf[HashObject::kValueBufSize];
  std::string_view current;
  if (h->get(ctx.arg(2), buf, &current) && !util::parse_int64(current, &value)) {
    ctx.out.error("ERR hash value is not an integer");
    return;
  }
  if ((incr < 0 && value < 0 && incr < INT64_MIN - value) ||
      (incr > 0 && value > 0 && incr > INT64_MAX - value)) {
    ctx.out.error(kIncrOverflow);
    return;
  }
  value += incr;
  char out[util::kInt64MaxChars];
  h->set(ctx.arg(2), std::string_view(out, util::format_int64(value, out)), limits(ctx));
  ctx.out.integer(value);
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('h', "hincrby", key, ctx.db_index);
}

void hincrbyfloat_command(CommandContext& ctx) {
  long double incr;
  if (!util::parse_long_double(ctx.arg(3), &incr)) {
    ctx.out.error(kNotFloat);
    return;
  }
  if (std::isnan(incr) || std::isinf(incr)) {
    ctx.out.error("ERR value is NaN or Infinity");
    return;
  }
  std::string_view key = ctx.arg(1);
  HashObject* h = write_hash(ctx, key);
  if (h == nullptr) return;
  long double value = 0;
  char buf[HashObject::kValueBufSize];
  std::string_view current;
  if (h->get(ctx.arg(2), buf, &current) && !util::parse_long_double(current, &value)) {
    ctx.out.error("ERR hash value is not a float");
    return;
  }
  value += incr;
  if (std::isnan(value) || std::isinf(value)) {
    ctx.out.error(kIncrNanOrInf);
    return;
  }
  std::string text = util::format_long_double(value, true);
  h->set(ctx.arg(2), text, limits(ctx));
  ctx.out.bulk(text);
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('h', "hincrbyfloat", key, ctx.db_index);
}

// One field (and value) of a HRANDFIELD reply: RESP3 nests each pair in an array.
void reply_pair(CommandContext& ctx, std::string_view field, std::string_view value,
                bool withvalues) {
  if (withvalues && ctx.out.resp3()) ctx.out.array(2);
  ctx.out.bulk(field);
  if (withvalues) ctx.out.bulk(value);
}

void hrandfield_with_count(CommandContext& ctx, int64_t l, bool withvalues) {
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  if (h == nullptr) {
    if (missing) ctx.out.array(0);
    return;
  }
  uint64_t size = h->size();
  bool uniq = l >= 0;
  uint64_t count = uniq ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  if (count == 0) {
    ctx.out.array(0);
    return;
  }
  SeededRandom rng(ctx.exec.seed);
  // Listpack positions cost a walk each: read the pairs once.
  std::vector<std::pair<std::string, std::string>> pairs;
  auto pair_at = [&](size_t i, char* fbuf, char* vbuf, std::string_view* f, std::string_view* v) {
    if (h->table() != nullptr) {
      h->at(i, fbuf, vbuf, f, v);
      return;
    }
    if (pairs.empty()) {
      pairs.reserve(size);
      h->for_each([&](std::string_view pf, std::string_view pv) { pairs.emplace_back(pf, pv); });
    }
    *f = pairs[i].first;
    *v = pairs[i].second;
  };
  char fbuf[HashObject::kValueBufSize], vbuf[HashObject::kValueBufSize];
  std::string_view f, v;
  if (!uniq || count == 1) {
    ctx.out.array(withvalues && !ctx.out.resp3() ? count * 2 : count);
    while (count-- > 0) {
      pair_at(rng.below(size), fbuf, vbuf, &f, &v);
      reply_pair(ctx, f, v, withvalues);
    }
    return;
  }
  uint64_t reply_size = count < size ? count : size;
  ctx.out.array(withvalues && !ctx.out.resp3() ? reply_size * 2 : reply_size);
  if (count >= size) {
    h->for_each(
        [&](std::string_view pf, std::string_view pv) { reply_pair(ctx, pf, pv, withvalues); });
    return;
  }
  std::vector<size_t> picked = distinct_positions(rng, size, count);
  for (size_t i : picked) {
    pair_at(i, fbuf, vbuf, &f, &v);
    reply_pair(ctx, f, v, withvalues);
  }
}

void hrandfield_command(CommandContext& ctx) {
  if (ctx.argc() >= 3) {
    int64_t l;
    if (!parse_int_arg(ctx, ctx.arg(2), &l)) return;
    if (l < -LONG_MAX) {
      ctx.out.error(
          "ERR value is out of range, value must between -9223372036854775807 and "
          "9223372036854775807");
      return;
    }
    bool withvalues = false;
    if (ctx.argc() > 4 || (ctx.argc() == 4 && !iequals(ctx.arg(3), "withvalues"))) {
      ctx.out.error(kSyntaxError);
      return;
    }
    if (ctx.argc() == 4) {
      withvalues = true;
      if (l < -LONG_MAX / 2 || l > LONG_MAX / 2) {
        ctx.out.error("ERR value is out of range");
        return;
      }
    }
    hrandfield_with_count(ctx, l, withvalues);
    return;
  }
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  if (h == nullptr) {
    if (missing) ctx.out.null();
    return;
  }
  SeededRandom rng(ctx.exec.seed);
  char fbuf[HashObject::kValueBufSize], vbuf[HashObject::kValueBufSize];
  std::string_view f, v;
  h->at(rng.below(h->size()), fbuf, vbuf, &f, &v);
  ctx.out.bulk(f);
}

void hscan_command(CommandContext& ctx) {
  uint64_t cursor;
  if (!parse_scan_cursor(ctx, ctx.arg(2), &cursor)) return;
  bool missing;
  HashObject* h = read_hash(ctx, ctx.arg(1), &missing);
  if (h == nullptr) {
    if (missing) reply_empty_scan(ctx);
    return;
  }
  ObjectScanOptions options;
  if (!parse_object_scan_options(ctx, 3, &options)) return;
  std::vector<std::string> items;
  cursor = h->scan(cursor, static_cast<size_t>(options.count),
                   [&](std::string_view field, std::string_view value) {
                     if (!options.matches(field)) return;
                     items.emplace_back(field);
                     items.emplace_back(value);
                   });
  ctx.out.array(2);
  reply_scan_cursor(ctx, cursor);
  ctx.out.array(items.size());
  for (const auto& item : items) ctx.out.bulk(item);
}

constexpr uint64_t kHashRead = kAclRead | kAclHash;
constexpr uint64_t kHashWrite = kAclWrite | kAclHash;

}  // namespace

void register_hash_commands(CommandTable& table) {
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, Handler handler,
                 std::string_view summary, std::string_view since) {
    table.add(
        make_spec(name, arity, flags, acl, 1, 1, 1, CommandGroup::kHash, handler, summary, since));
  };
  add("hset", -4, kWrite | kDenyOom | kFast, kHashWrite | kAclFast, hset_command,
      "Set the string value of a hash field", "2.0.0");
  add("hsetnx", 4, kWrite | kDenyOom | kFast, kHashWrite | kAclFast, hsetnx_command,
      "Set the value of a hash field, only if the field does not exist", "2.0.0");
  add("hmset", -4, kWrite | kDenyOom | kFast, kHashWrite | kAclFast, hmset_command,
      "Set multiple hash fields to multiple values", "2.0.0");
  add("hget", 3, kReadonly | kFast, kHashRead | kAclFast, hget_command,
      "Get the value of a hash field", "2.0.0");
  add("hmget", -3, kReadonly | kFast, kHashRead | kAclFast, hmget_command,
      "Get the values of all the given hash fields", "2.0.0");
  add("hdel", -3, kWrite | kFast, kHashWrite | kAclFast, hdel_command,
      "Delete one or more hash fields", "2.0.0");
  add("hlen", 2, kReadonly | kFast, kHashRead | kAclFast, hlen_command,
      "Get the number of fields in a hash", "2.0.0");
  add("hstrlen", 3, kReadonly | kFast, kHashRead | kAclFast, hstrlen_command,
      "Get the length of the value of a hash field", "3.2.0");
  add("hexists", 3, kReadonly | kFast, kHashRead | kAclFast, hexists_command,
      "Determine if a hash field exists", "2.0.0");
  add("hkeys", 2, kReadonly, kHashRead | kAclSlow, hkeys_command, "Get all the fields in a hash",
      "2.0.0");
  add("hvals", 2, kReadonly, kHashRead | kAclSlow, hvals_command, "Get all the values in a hash",
      "2.0.0");
  add("hgetall", 2, kReadonly, kHashRead | kAclSlow, hgetall_command,
      "Get all the fields and values in a hash", "2.0.0");
  add("hincrby", 4, kWrite | kDenyOom | kFast, kHashWrite | kAclFast, hincrby_command,
      "Increment the integer value of a hash field by the given number", "2.0.0");
  add("hincrbyfloat", 4, kWrite | kDenyOom | kFast, kHashWrite | kAclFast, hincrbyfloat_command,
      "Increment the float value of a hash field by the given amount", "2.6.0");
  add("hrandfield", -2, kReadonly, kHashRead | kAclSlow, hrandfield_command,
      "Get one or multiple random fields from a hash", "6.2.0");
  add("hscan", -3, kReadonly, kHashRead | kAclSlow, hscan_command,
      "Incrementally iterate hash fields and associated values", "2.8.0");
}

}  // namespace zakros::commands
