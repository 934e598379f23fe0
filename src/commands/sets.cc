// The set commands (Redis's t_set.c): SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SPOP,
// SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE,
// SSCAN.
//
// Values are store::SetObject (intset or hashtable). Writes report key_modified and an 's'
// event (sadd, srem, spop, sinterstore, sunionstore, sdiffstore; 'g' del when a key goes)
// where Redis does. SPOP and SRANDMEMBER pick members by position from ExecContext::seed, so
// every Raft node pops the same members.
#include <algorithm>
#include <climits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "commands/object_scan.h"
#include "commands/seeded_random.h"
#include "store/set_object.h"
#include "util/numbers.h"

namespace zakros::commands {

namespace {

using store::Entry;
using store::SetObject;

constexpr std::string_view kMustBePositive = "ERR value is out of range, must be positive";

// The set at `key`: null with *missing set when absent; null with WRONGTYPE replied when the
// key holds another type.
SetObject* as_set(CommandContext& ctx, Entry* e, bool* missing) {
  *missing = e == nullptr;
  if (e == nullptr) return nullptr;
  if (e->type() != store::ValueType::kSet) {
    ctx.out.error(kWrongType);
    return nullptr;
  }
  return static_cast<SetObject*>(e->object());
}
SetObject* read_set(CommandContext& ctx, std::string_view key, bool* missing) {
  return as_set(ctx, lookup_read(ctx, key), missing);
}
SetObject* write_set(CommandContext& ctx, std::string_view key, bool* missing) {
  return as_set(ctx, lookup_write(ctx, key), missing);
}

const store::EncodingLimits& limits(const CommandContext& ctx) {
  return ctx.keyspace.limits();
}

// Creates `key` holding `set` (which must not be empty).
SetObject* store_set(CommandContext& ctx, std::string_view key, std::unique_ptr<SetObject> set) {
  SetObject* s = set.get();
  ctx.db().set_object(key, std::move(set), store::kPersist, time_context(ctx));
  return s;
}

// Deletes a set that became empty and sends the 'del' event.
void delete_emptied(CommandContext& ctx, std::string_view key) {
  ctx.db().erase(key);
  ctx.events.notify('g', "del", key, ctx.db_index);
}

void sadd_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  bool missing;
  SetObject* set = write_set(ctx, key, &missing);
  if (set == nullptr && !missing) return;
  if (set == nullptr) set = store_set(ctx, key, SetObject::create_for(ctx.arg(2)));
  long long added = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (set->add(ctx.arg(i), limits(ctx))) ++added;
  }
  if (added > 0) {
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('s', "sadd", key, ctx.db_index);
  }
  ctx.out.integer(added);
}

void srem_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  bool missing;
  SetObject* set = write_set(ctx, key, &missing);
  if (set == nullptr) {
    if (missing) ctx.out.integer(0);
    return;
  }
  long long deleted = 0;
  bool key_removed = false;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (set->remove(ctx.arg(i))) {
      ++deleted;
      if (set->size() == 0) {
        ctx.db().erase(key);
        key_removed = true;
        break;
      }
    }
  }
  if (deleted > 0) {
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('s', "srem", key, ctx.db_index);
    if (key_removed) ctx.events.notify('g', "del", key, ctx.db_index);
  }
  ctx.out.integer(deleted);
}

void smove_command(CommandContext& ctx) {
  std::string_view src_key = ctx.arg(1);
  std::string_view dst_key = ctx.arg(2);
  std::string_view member = ctx.arg(3);
  Entry* src_e = lookup_write(ctx, src_key);
  Entry* dst_e = lookup_write(ctx, dst_key);
  if (src_e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (src_e->type() != store::ValueType::kSet ||
      (dst_e != nullptr && dst_e->type() != store::ValueType::kSet)) {
    ctx.out.error(kWrongType);
    return;
  }
  auto* src = static_cast<SetObject*>(src_e->object());
  SetObject* dst = dst_e != nullptr ? static_cast<SetObject*>(dst_e->object()) : nullptr;
  if (src == dst) {
    ctx.out.integer(src->contains(member) ? 1 : 0);
    return;
  }
  if (!src->remove(member)) {
    ctx.out.integer(0);
    return;
  }
  ctx.events.notify('s', "srem", src_key, ctx.db_index);
  if (src->size() == 0) delete_emptied(ctx, src_key);
  if (dst == nullptr) dst = store_set(ctx, dst_key, SetObject::create_for(member));
  ctx.events.key_modified(ctx.db_index, src_key);
  if (dst->add(member, limits(ctx))) {
    ctx.events.key_modified(ctx.db_index, dst_key);
    ctx.events.notify('s', "sadd", dst_key, ctx.db_index);
  }
  ctx.out.integer(1);
}

void sismember_command(CommandContext& ctx) {
  bool missing;
  SetObject* set = read_set(ctx, ctx.arg(1), &missing);
  if (set == nullptr) {
    if (missing) ctx.out.integer(0);
    return;
  }
  ctx.out.integer(set->contains(ctx.arg(2)) ? 1 : 0);
}

void smismember_command(CommandContext& ctx) {
  bool missing;
  SetObject* set = read_set(ctx, ctx.arg(1), &missing);
  if (set == nullptr && !missing) return;
  ctx.out.array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.out.integer(set != nullptr && set->contains(ctx.arg(i)) ? 1 : 0);
  }
}

void scard_command(CommandContext& ctx) {
  bool missing;
  SetObject* set = read_set(ctx, ctx.arg(1), &missing);
  if (set != nullptr) {
    ctx.out.integer(static_cast<long long>(set->size()));
  } else if (missing) {
    ctx.out.integer(0);
  }
}

// Parses a count that must be >= 0 (getPositiveLongFromObjectOrReply).
bool parse_positive(CommandContext& ctx, std::string_view text, int64_t* value,
                    std::string_view error = kMustBePositive) {
  if (!util::parse_int64(text, value) || *value < 0) {
    ctx.out.error(error);
    return false;
  }
  return true;
}

void spop_with_count(CommandContext& ctx) {
  int64_t l;
  if (!parse_positive(ctx, ctx.arg(2), &l)) return;
  uint64_t count = static_cast<uint64_t>(l);
  std::string_view key = ctx.arg(1);
  bool missing;
  SetObject* set = write_set(ctx, key, &missing);
  if (set == nullptr) {
    if (missing) ctx.out.set(0);
    return;
  }
  if (count == 0) {
    ctx.out.set(0);
    return;
  }
  size_t size = set->size();
  ctx.events.notify('s', "spop", key, ctx.db_index);
  char buf[SetObject::kMemberBufSize];
  if (count >= size) {
    // The whole set goes.
    ctx.out.set(size);
    set->for_each([&](std::string_view m) { ctx.out.bulk(m); });
    ctx.db().erase(key);
    ctx.events.notify('g', "del", key, ctx.db_index);
    ctx.events.key_modified(ctx.db_index, key);
    return;
  }
  SeededRandom rng(ctx.exec.seed);
  ctx.out.set(count);
  size_t remaining = size - count;
  if (remaining * 5 > count) {
    // Few to pop: pop them one by one.
    while (count-- > 0) {
      size_t i = rng.below(set->size());
      ctx.out.bulk(set->member_at(i, buf));
      set->remove_at(i);
    }
  } else {
    // Most of the set goes: move the members that stay into a new set (created for the first
    // of them, so a hashtable may become an intset, as in Redis) and reply the rest.
    std::unique_ptr<SetObject> kept;
    while (remaining-- > 0) {
      size_t i = rng.below(set->size());
      std::string member(set->member_at(i, buf));
      if (!kept) kept = SetObject::create_for(member);
      kept->add(member, limits(ctx));
      set->remove_at(i);
    }
    set->for_each([&](std::string_view m) { ctx.out.bulk(m); });
    ctx.db().set_object(key, std::move(kept), store::kKeepTtl, time_context(ctx));
  }
  ctx.events.key_modified(ctx.db_index, key);
}

void spop_command(CommandContext& ctx) {
  if (ctx.argc() == 3) {
    spop_with_count(ctx);
    return;
  }
  if (ctx.argc() > 3) {
    ctx.out.error(kSyntaxError);
    return;
  }
  std::string_view key = ctx.arg(1);
  bool missing;
  SetObject* set = write_set(ctx, key, &missing);
  if (set == nullptr) {
    if (missing) ctx.out.null();
    return;
  }
  SeededRandom rng(ctx.exec.seed);
  size_t i = rng.below(set->size());
  char buf[SetObject::kMemberBufSize];
  std::string member(set->member_at(i, buf));
  set->remove_at(i);
  ctx.events.notify('s', "spop", key, ctx.db_index);
  ctx.out.bulk(member);
  if (set->size() == 0) delete_emptied(ctx, key);
  ctx.events.key_modified(ctx.db_index, key);
}

void srandmember_with_count(CommandContext& ctx) {
  int64_t l;
  if (!parse_int_arg(ctx, ctx.arg(2), &l)) return;
  if (l < -LONG_MAX) {
    ctx.out.error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
    return;
  }
  bool uniq = l >= 0;
  uint64_t count = uniq ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  bool missing;
  SetObject* set = read_set(ctx, ctx.arg(1), &missing);
  if (set == nullptr) {
    if (missing) ctx.out.array(0);
    return;
  }
  if (count == 0) {
    ctx.out.array(0);
    return;
  }
  size_t size = set->size();
  SeededRandom rng(ctx.exec.seed);
  char buf[SetObject::kMemberBufSize];
  if (!uniq || count == 1) {
    ctx.out.array(count);
    while (count-- > 0) ctx.out.bulk(set->member_at(rng.below(size), buf));
    return;
  }
  if (count >= size) {
    ctx.out.array(size);
    set->for_each([&](std::string_view m) { ctx.out.bulk(m); });
    return;
  }
  ctx.out.array(count);
  for (size_t i : distinct_positions(rng, size, count)) ctx.out.bulk(set->member_at(i, buf));
}

void srandmember_command(CommandContext& ctx) {
  if (ctx.argc() == 3) {
    srandmember_with_count(ctx);
    return;
  }
  if (ctx.argc() > 3) {
    ctx.out.error(kSyntaxError);
    return;
  }
  bool missing;
  SetObject* set = read_set(ctx, ctx.arg(1), &missing);
  if (set == nullptr) {
    if (missing) ctx.out.null();
    return;
  }
  SeededRandom rng(ctx.exec.seed);
  char buf[SetObject::kMemberBufSize];
  ctx.out.bulk(set->member_at(rng.below(set->size()), buf));
}

// Looks up every key of `keys` for reading: null entries for missing keys. False (WRONGTYPE
// replied) if one holds another type.
bool read_sets(CommandContext& ctx, std::span<const std::string_view> keys,
               std::vector<SetObject*>* sets) {
  sets->reserve(keys.size());
  for (std::string_view key : keys) {
    bool missing;
    SetObject* set = read_set(ctx, key, &missing);
    if (set == nullptr && !missing) return false;
    sets->push_back(set);
  }
  return true;
}

// Stores `result` at `dst` (or deletes dst when empty) and replies its size, as the STORE
// variants do; `event` is the 's' event of a non-empty result.
void store_result(CommandContext& ctx, std::string_view dst, std::unique_ptr<SetObject> result,
                  std::string_view event) {
  if (result->size() > 0) {
    size_t size = result->size();
    ctx.db().set_object(dst, std::move(result), store::kPersist, time_context(ctx));
    ctx.events.key_modified(ctx.db_index, dst);
    ctx.out.integer(static_cast<long long>(size));
    ctx.events.notify('s', event, dst, ctx.db_index);
    return;
  }
  ctx.out.integer(0);
  if (lookup_write(ctx, dst) != nullptr) {
    ctx.db().erase(dst);
    ctx.events.key_modified(ctx.db_index, dst);
    ctx.events.notify('g', "del", dst, ctx.db_index);
  }
}

// SINTER, SMEMBERS, SINTERSTORE (dst non-empty), SINTERCARD (cardinality_only).
void sinter_generic(CommandContext& ctx, std::span<const std::string_view> keys,
                    std::optional<std::string_view> dst, bool cardinality_only, uint64_t limit) {
  std::vector<SetObject*> sets;
  if (!read_sets(ctx, keys, &sets)) return;
  bool store = dst.has_value();
  if (std::find(sets.begin(), sets.end(), nullptr) != sets.end()) {
    if (store) {
      ctx.out.integer(0);
      if (lookup_write(ctx, *dst) != nullptr) {
        ctx.db().erase(*dst);
        ctx.events.key_modified(ctx.db_index, *dst);
        ctx.events.notify('g', "del", *dst, ctx.db_index);
      }
    } else if (cardinality_only) {
      ctx.out.integer(0);
    } else {
      ctx.out.set(0);
    }
    return;
  }
  std::stable_sort(sets.begin(), sets.end(),
                   [](const SetObject* a, const SetObject* b) { return a->size() < b->size(); });
  std::unique_ptr<SetObject> result;
  if (store) result = SetObject::create_intset();
  size_t token = 0;
  if (!store && !cardinality_only) token = ctx.out.begin_deferred();
  uint64_t cardinality = 0;
  char buf[SetObject::kMemberBufSize];
  SetObject* first = sets[0];
  for (size_t i = 0; i < first->size(); ++i) {
    std::string_view member = first->member_at(i, buf);
    bool all = true;
    for (size_t j = 1; j < sets.size() && all; ++j) {
      if (sets[j] != first && !sets[j]->contains(member)) all = false;
    }
    if (!all) continue;
    if (cardinality_only) {
      if (++cardinality == limit) break;  // limit 0 never matches: no limit
    } else if (store) {
      result->add(member, limits(ctx));
    } else {
      ctx.out.bulk(member);
      ++cardinality;
    }
  }
  if (cardinality_only) {
    ctx.out.integer(static_cast<long long>(cardinality));
  } else if (store) {
    store_result(ctx, *dst, std::move(result), "sinterstore");
  } else {
    ctx.out.end_deferred_set(token, cardinality);
  }
}

void sinter_command(CommandContext& ctx) {
  sinter_generic(ctx, ctx.argv.subspan(1), std::nullopt, false, 0);
}
void sinterstore_command(CommandContext& ctx) {
  sinter_generic(ctx, ctx.argv.subspan(2), ctx.arg(1), false, 0);
}

void sintercard_command(CommandContext& ctx) {
  int64_t numkeys;
  if (!util::parse_int64(ctx.arg(1), &numkeys) || numkeys < 1) {
    ctx.out.error("ERR numkeys should be greater than 0");
    return;
  }
  if (numkeys > static_cast<int64_t>(ctx.argc()) - 2) {
    ctx.out.error("ERR Number of keys can't be greater than number of args");
    return;
  }
  int64_t limit = 0;
  for (size_t j = 2 + static_cast<size_t>(numkeys); j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    if (iequals(ctx.arg(j), "limit") && more) {
      ++j;
      if (!parse_positive(ctx, ctx.arg(j), &limit, "ERR LIMIT can't be negative")) return;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  sinter_generic(ctx, ctx.argv.subspan(2, static_cast<size_t>(numkeys)), std::nullopt, true,
                 static_cast<uint64_t>(limit));
}

std::vector<int> sintercard_keys(std::span<const std::string_view> argv) {
  std::vector<int> keys;
  int64_t numkeys;
  if (argv.size() < 2 || !util::parse_int64(argv[1], &numkeys) || numkeys < 1) return keys;
  for (int64_t i = 0; i < numkeys && static_cast<size_t>(2 + i) < argv.size(); ++i) {
    keys.push_back(static_cast<int>(2 + i));
  }
  return keys;
}

enum class SetOp { kUnion, kDiff };

// SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE (Redis's sunionDiffGenericCommand).
void sunion_diff_generic(CommandContext& ctx, std::span<const std::string_view> keys,
                         std::optional<std::string_view> dst, SetOp op) {
  std::vector<SetObject*> sets;
  if (!read_sets(ctx, keys, &sets)) return;
  bool same_set = false;
  for (size_t j = 1; j < sets.size(); ++j) {
    if (sets[j] != nullptr && sets[j] == sets[0]) same_set = true;
  }
  auto result = SetObject::create_intset();
  char buf[SetObject::kMemberBufSize];
  if (op == SetOp::kUnion) {
    for (SetObject* s : sets) {
      if (s != nullptr) s->for_each([&](std::string_view m) { result->add(m, limits(ctx)); });
    }
  } else if (sets[0] != nullptr && !same_set) {
    // Redis picks between two algorithms by expected work; both give the same members. Here:
    // walk the first set and keep what no other set has.
    SetObject* first = sets[0];
    for (size_t i = 0; i < first->size(); ++i) {
      std::string_view member = first->member_at(i, buf);
      bool found = false;
      for (size_t j = 1; j < sets.size() && !found; ++j) {
        if (sets[j] != nullptr && sets[j]->contains(member)) found = true;
      }
      if (!found) result->add(member, limits(ctx));
    }
  }
  if (!dst) {
    ctx.out.set(result->size());
    result->for_each([&](std::string_view m) { ctx.out.bulk(m); });
    return;
  }
  store_result(ctx, *dst, std::move(result), op == SetOp::kUnion ? "sunionstore" : "sdiffstore");
}

void sunion_command(CommandContext& ctx) {
  sunion_diff_generic(ctx, ctx.argv.subspan(1), std::nullopt, SetOp::kUnion);
}
void sunionstore_command(CommandContext& ctx) {
  sunion_diff_generic(ctx, ctx.argv.subspan(2), ctx.arg(1), SetOp::kUnion);
}
void sdiff_command(CommandContext& ctx) {
  sunion_diff_generic(ctx, ctx.argv.subspan(1), std::nullopt, SetOp::kDiff);
}
void sdiffstore_command(CommandContext& ctx) {
  sunion_diff_generic(ctx, ctx.argv.subspan(2), ctx.arg(1), SetOp::kDiff);
}

void sscan_command(CommandContext& ctx) {
  uint64_t cursor;
  if (!parse_scan_cursor(ctx, ctx.arg(2), &cursor)) return;
  bool missing;
  SetObject* set = read_set(ctx, ctx.arg(1), &missing);
  if (set == nullptr) {
    if (missing) reply_empty_scan(ctx);
    return;
  }
  ObjectScanOptions options;
  if (!parse_object_scan_options(ctx, 3, &options)) return;
  std::vector<std::string> items;
  cursor = set->scan(cursor, static_cast<size_t>(options.count), [&](std::string_view member) {
    if (options.matches(member)) items.emplace_back(member);
  });
  ctx.out.array(2);
  reply_scan_cursor(ctx, cursor);
  ctx.out.array(items.size());
  for (const auto& item : items) ctx.out.bulk(item);
}

constexpr uint64_t kSetRead = kAclRead | kAclSet;
constexpr uint64_t kSetWrite = kAclWrite | kAclSet;

}  // namespace

void register_set_commands(CommandTable& table) {
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, Handler handler, std::string_view summary, std::string_view since) {
    table.add(make_spec(name, arity, flags, acl, first, last, first == 0 ? 0 : 1,
                        CommandGroup::kSet, handler, summary, since));
  };
  add("sadd", -3, kWrite | kDenyOom | kFast, kSetWrite | kAclFast, 1, 1, sadd_command,
      "Add one or more members to a set", "1.0.0");
  add("srem", -3, kWrite | kFast, kSetWrite | kAclFast, 1, 1, srem_command,
      "Remove one or more members from a set", "1.0.0");
  add("scard", 2, kReadonly | kFast, kSetRead | kAclFast, 1, 1, scard_command,
      "Get the number of members in a set", "1.0.0");
  add("sismember", 3, kReadonly | kFast, kSetRead | kAclFast, 1, 1, sismember_command,
      "Determine if a given value is a member of a set", "1.0.0");
  add("smismember", -3, kReadonly | kFast, kSetRead | kAclFast, 1, 1, smismember_command,
      "Returns the membership associated with the given elements for a set", "6.2.0");
  add("smembers", 2, kReadonly, kSetRead | kAclSlow, 1, 1, sinter_command,
      "Get all the members in a set", "1.0.0");
  add("spop", -2, kWrite | kFast, kSetWrite | kAclFast, 1, 1, spop_command,
      "Remove and return one or multiple random members from a set", "1.0.0");
  add("srandmember", -2, kReadonly, kSetRead | kAclSlow, 1, 1, srandmember_command,
      "Get one or multiple random members from a set", "1.0.0");
  add("smove", 4, kWrite | kFast, kSetWrite | kAclFast, 1, 2, smove_command,
      "Move a member from one set to another", "1.0.0");
  add("sinter", -2, kReadonly, kSetRead | kAclSlow, 1, -1, sinter_command,
      "Intersect multiple sets", "1.0.0");
  CommandSpec card =
      make_spec("sintercard", -3, kReadonly, kSetRead | kAclSlow, 0, 0, 0, CommandGroup::kSet,
                sintercard_command,
                "Intersect multiple sets and return the cardinality of the result", "7.0.0");
  card.get_keys = sintercard_keys;
  table.add(std::move(card));
  add("sinterstore", -3, kWrite | kDenyOom, kSetWrite | kAclSlow, 1, -1, sinterstore_command,
      "Intersect multiple sets and store the resulting set in a key", "1.0.0");
  add("sunion", -2, kReadonly, kSetRead | kAclSlow, 1, -1, sunion_command, "Add multiple sets",
      "1.0.0");
  add("sunionstore", -3, kWrite | kDenyOom, kSetWrite | kAclSlow, 1, -1, sunionstore_command,
      "Add multiple sets and store the resulting set in a key", "1.0.0");
  add("sdiff", -2, kReadonly, kSetRead | kAclSlow, 1, -1, sdiff_command, "Subtract multiple sets",
      "1.0.0");
  add("sdiffstore", -3, kWrite | kDenyOom, kSetWrite | kAclSlow, 1, -1, sdiffstore_command,
      "Subtract multiple sets and store the resulting set in a key", "1.0.0");
  add("sscan", -3, kReadonly, kSetRead | kAclSlow, 1, 1, sscan_command,
      "Incrementally iterate Set elements", "2.0.0");
}

}  // namespace zakros::commands
