// List commands (Redis's t_list.c): LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP/RPOP [count], LLEN,
// LINDEX, LSET, LRANGE, LTRIM, LREM, LINSERT, LPOS, LMOVE, RPOPLPUSH, LMPOP and the blocking
// BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP. Argument checks, their order, replies, errors and
// keyspace notifications follow Redis 7.0 byte for byte.
//
// Blocking: when a blocking command finds nothing to pop and may block, it calls
// commands::block_client and writes no reply; the server runs the same command again when one
// of the keys is signalled through KeyspaceEvents::key_ready (every push signals), so a run
// with ctx.woken is just another attempt. An empty list is never stored: the key is deleted.
#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "store/list_object.h"
#include "util/numbers.h"

namespace zakros::commands {

namespace {

using store::Entry;
using store::ListObject;

enum class Where { kHead, kTail };

// checkType for lists: replies WRONGTYPE and returns false when `e` holds another type.
bool check_list(CommandContext& ctx, const Entry* e) {
  if (e == nullptr || e->type() == store::ValueType::kList) return true;
  ctx.out.error(kWrongType);
  return false;
}

ListObject* list_of(Entry* e) {
  return static_cast<ListObject*>(e->object());
}

// Creates an empty list under `key` (dbAdd), with the configured node size.
ListObject* create_list(CommandContext& ctx, std::string_view key) {
  auto list = ListObject::create(ctx.keyspace.limits().list_max_listpack_size);
  ListObject* raw = list.get();
  ctx.db().set_object(key, std::move(list), store::kPersist, time_context(ctx));
  return raw;
}

void push(ListObject* list, std::string_view value, Where where) {
  if (where == Where::kHead) {
    list->push_front(value);
  } else {
    list->push_back(value);
  }
}

std::string pop(ListObject* list, Where where) {
  std::string value;
  if (where == Where::kHead) {
    list->pop_front(&value);
  } else {
    list->pop_back(&value);
  }
  return value;
}

std::string_view pop_event(Where where) {
  return where == Where::kHead ? "lpop" : "rpop";
}
std::string_view push_event(Where where) {
  return where == Where::kHead ? "lpush" : "rpush";
}

// Deletes the key when its list emptied, with the 'del' notification.
void delete_if_empty(CommandContext& ctx, std::string_view key, ListObject* list) {
  if (!list->empty()) return;
  ctx.db().erase(key);
  ctx.events.notify('g', "del", key, ctx.db_index);
}

// listElementsRemoved.
void elements_removed(CommandContext& ctx, std::string_view key, Where where, ListObject* list) {
  ctx.events.notify('l', pop_event(where), key, ctx.db_index);
  delete_if_empty(ctx, key, list);
  ctx.events.key_modified(ctx.db_index, key);
}

// addListRangeReply: elements start..end (inclusive, negative from the tail), reversed
// (walking from end to start) when asked.
void reply_range(CommandContext& ctx, const ListObject* list, long start, long end, bool reverse) {
  long llen = static_cast<long>(list->size());
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    ctx.out.empty_array();
    return;
  }
  if (end >= llen) end = llen - 1;
  long rangelen = end - start + 1;
  ctx.out.array(static_cast<size_t>(rangelen));
  list->walk(reverse ? end : start, !reverse, [&](std::string_view v) {
    ctx.out.bulk(v);
    return --rangelen > 0;
  });
}

// Replies and pops up to `count` elements from one end (LPOP/RPOP with a count).
void pop_range(CommandContext& ctx, ListObject* list, Where where, long count) {
  long llen = static_cast<long>(list->size());
  long rangelen = count > llen ? llen : count;
  long start = where == Where::kHead ? 0 : -rangelen;
  long end = where == Where::kHead ? rangelen - 1 : -1;
  reply_range(ctx, list, start, end, where == Where::kTail);
  list->erase_range(start, rangelen);
}

// listPopRangeAndReplyWithKey: [key, [elements...]].
void pop_range_with_key(CommandContext& ctx, std::string_view key, ListObject* list, Where where,
                        long count) {
  ctx.out.array(2);
  ctx.out.bulk(key);
  pop_range(ctx, list, where, count);
  elements_removed(ctx, key, where, list);
}

bool parse_where(CommandContext& ctx, std::string_view arg, Where* where) {
  if (iequals(arg, "right")) {
    *where = Where::kTail;
  } else if (iequals(arg, "left")) {
    *where = Where::kHead;
  } else {
    ctx.out.error(kSyntaxError);
    return false;
  }
  return true;
}

// getRangeLongFromObjectOrReply with a message: the message for a non-integer too.
bool parse_range_arg(CommandContext& ctx, std::string_view text, long min, long max, long* out,
                     std::string_view error) {
  int64_t v;
  if (!util::parse_int64(text, &v) || v < min || v > max) {
    ctx.out.error(error);
    return false;
  }
  *out = static_cast<long>(v);
  return true;
}

bool parse_long(CommandContext& ctx, std::string_view text, long* out) {
  int64_t v;
  if (!parse_int_arg(ctx, text, &v)) return false;
  *out = static_cast<long>(v);
  return true;
}

// ---- push -----------------------------------------------------------------------------------

// pushGenericCommand; `xx` for LPUSHX/RPUSHX.
void push_generic(CommandContext& ctx, Where where, bool xx) {
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (!check_list(ctx, e)) return;
  ListObject* list;
  if (e == nullptr) {
    if (xx) {
      ctx.out.integer(0);
      return;
    }
    list = create_list(ctx, key);
  } else {
    list = list_of(e);
  }
  for (size_t j = 2; j < ctx.argc(); ++j) push(list, ctx.arg(j), where);
  ctx.out.integer(static_cast<long long>(list->size()));
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('l', push_event(where), key, ctx.db_index);
  ctx.events.key_ready(ctx.db_index, key);
}

void lpush_command(CommandContext& ctx) {
  push_generic(ctx, Where::kHead, false);
}
void rpush_command(CommandContext& ctx) {
  push_generic(ctx, Where::kTail, false);
}
void lpushx_command(CommandContext& ctx) {
  push_generic(ctx, Where::kHead, true);
}
void rpushx_command(CommandContext& ctx) {
  push_generic(ctx, Where::kTail, true);
}

// ---- pop ------------------------------------------------------------------------------------

// popGenericCommand.
void pop_generic(CommandContext& ctx, Where where) {
  bool has_count = ctx.argc() == 3;
  long count = 0;
  if (ctx.argc() > 3) {
    ctx.out.error(wrong_arity(where == Where::kHead ? "lpop" : "rpop"));
    return;
  }
  if (has_count && !parse_range_arg(ctx, ctx.arg(2), 0, LONG_MAX, &count, kOutOfRangePositive)) {
    return;
  }
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    if (has_count) {
      ctx.out.null_array();
    } else {
      ctx.out.null();
    }
    return;
  }
  if (!check_list(ctx, e)) return;
  if (has_count && count == 0) {
    ctx.out.empty_array();
    return;
  }
  ListObject* list = list_of(e);
  if (!has_count) {
    ctx.out.bulk(pop(list, where));
  } else {
    pop_range(ctx, list, where, count);
  }
  elements_removed(ctx, key, where, list);
}

void lpop_command(CommandContext& ctx) {
  pop_generic(ctx, Where::kHead);
}
void rpop_command(CommandContext& ctx) {
  pop_generic(ctx, Where::kTail);
}

// ---- reads ----------------------------------------------------------------------------------

void llen_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_list(ctx, e)) return;
  ctx.out.integer(static_cast<long long>(list_of(e)->size()));
}

void lindex_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.null();
    return;
  }
  if (!check_list(ctx, e)) return;
  long index;
  if (!parse_long(ctx, ctx.arg(2), &index)) return;
  std::string value;
  if (list_of(e)->get(index, &value)) {
    ctx.out.bulk(value);
  } else {
    ctx.out.null();
  }
}

void lrange_command(CommandContext& ctx) {
  long start, end;
  if (!parse_long(ctx, ctx.arg(2), &start) || !parse_long(ctx, ctx.arg(3), &end)) return;
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.empty_array();
    return;
  }
  if (!check_list(ctx, e)) return;
  reply_range(ctx, list_of(e), start, end, false);
}

void lpos_command(CommandContext& ctx) {
  std::string_view element = ctx.arg(2);
  long rank = 1, count = -1, maxlen = 0;  // count -1: no COUNT option
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    bool more = j + 1 < ctx.argc();
    if (iequals(opt, "rank") && more) {
      if (!parse_long(ctx, ctx.arg(++j), &rank)) return;
      if (rank == 0) {
        ctx.out.error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
        return;
      }
    } else if (iequals(opt, "count") && more) {
      if (!parse_range_arg(ctx, ctx.arg(++j), 0, LONG_MAX, &count, "ERR COUNT can't be negative")) {
        return;
      }
    } else if (iequals(opt, "maxlen") && more) {
      if (!parse_range_arg(ctx, ctx.arg(++j), 0, LONG_MAX, &maxlen,
                           "ERR MAXLEN can't be negative")) {
        return;
      }
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  bool forward = true;
  if (rank < 0) {
    // -LONG_MIN overflows in Redis too; treat it as the largest rank.
    rank = rank == LONG_MIN ? LONG_MAX : -rank;
    forward = false;
  }
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    if (count != -1) {
      ctx.out.empty_array();
    } else {
      ctx.out.null();
    }
    return;
  }
  if (!check_list(ctx, e)) return;
  const ListObject* list = list_of(e);
  long llen = static_cast<long>(list->size());
  long index = 0, matches = 0, matchindex = -1;
  std::vector<long> found;
  list->walk(forward ? 0 : -1, forward, [&](std::string_view v) {
    if (maxlen != 0 && index >= maxlen) return false;
    if (v == element) {
      ++matches;
      matchindex = forward ? index : llen - index - 1;
      if (matches >= rank) {
        if (count == -1) return false;
        found.push_back(matchindex);
        if (count != 0 && matches - rank + 1 >= count) return false;
      }
    }
    ++index;
    matchindex = -1;
    return true;
  });
  if (count != -1) {
    ctx.out.array(found.size());
    for (long i : found) ctx.out.integer(i);
  } else if (matchindex != -1) {
    ctx.out.integer(matchindex);
  } else {
    ctx.out.null();
  }
}

// ---- in-place writes ------------------------------------------------------------------------

void lset_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    ctx.out.error(kNoSuchKey);
    return;
  }
  if (!check_list(ctx, e)) return;
  long index;
  if (!parse_long(ctx, ctx.arg(2), &index)) return;
  if (!list_of(e)->set(index, ctx.arg(3))) {
    ctx.out.error(kIndexOutOfRange);
    return;
  }
  ctx.out.ok();
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('l', "lset", key, ctx.db_index);
}

void ltrim_command(CommandContext& ctx) {
  long start, end;
  if (!parse_long(ctx, ctx.arg(2), &start) || !parse_long(ctx, ctx.arg(3), &end)) return;
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    ctx.out.ok();
    return;
  }
  if (!check_list(ctx, e)) return;
  ListObject* list = list_of(e);
  long llen = static_cast<long>(list->size());
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  long ltrim, rtrim;
  if (start > end || start >= llen) {
    ltrim = llen;
    rtrim = 0;
  } else {
    if (end >= llen) end = llen - 1;
    ltrim = start;
    rtrim = llen - end - 1;
  }
  list->erase_range(0, ltrim);
  list->erase_range(-rtrim, rtrim);
  ctx.events.notify('l', "ltrim", key, ctx.db_index);
  delete_if_empty(ctx, key, list);
  ctx.events.key_modified(ctx.db_index, key);
  ctx.out.ok();
}

void lrem_command(CommandContext& ctx) {
  long count;
  if (!parse_long(ctx, ctx.arg(2), &count)) return;
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_list(ctx, e)) return;
  ListObject* list = list_of(e);
  size_t removed = list->remove(ctx.arg(3), count);
  if (removed) {
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('l', "lrem", key, ctx.db_index);
  }
  delete_if_empty(ctx, key, list);
  ctx.out.integer(static_cast<long long>(removed));
}

void linsert_command(CommandContext& ctx) {
  bool after;
  if (iequals(ctx.arg(2), "after")) {
    after = true;
  } else if (iequals(ctx.arg(2), "before")) {
    after = false;
  } else {
    ctx.out.error(kSyntaxError);
    return;
  }
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_list(ctx, e)) return;
  ListObject* list = list_of(e);
  if (!list->insert(ctx.arg(3), ctx.arg(4), after)) {
    ctx.out.integer(-1);
    return;
  }
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('l', "linsert", key, ctx.db_index);
  ctx.out.integer(static_cast<long long>(list->size()));
}

// ---- moves ----------------------------------------------------------------------------------

// lmoveGenericCommand after the source was found non-empty.
void lmove_generic(CommandContext& ctx, Where from, Where to) {
  std::string_view src = ctx.arg(1), dst = ctx.arg(2);
  Entry* se = lookup_write(ctx, src);
  if (se == nullptr) {
    ctx.out.null();
    return;
  }
  if (!check_list(ctx, se)) return;
  ListObject* slist = list_of(se);
  Entry* de = lookup_write(ctx, dst);
  if (!check_list(ctx, de)) return;
  ListObject* dlist = de ? list_of(de) : nullptr;
  std::string value = pop(slist, from);
  // lmoveHandlePush.
  if (dlist == nullptr) dlist = create_list(ctx, dst);
  ctx.events.key_modified(ctx.db_index, dst);
  push(dlist, value, to);
  ctx.events.notify('l', push_event(to), dst, ctx.db_index);
  ctx.events.key_ready(ctx.db_index, dst);
  ctx.out.bulk(value);
  ctx.events.notify('l', pop_event(from), src, ctx.db_index);
  delete_if_empty(ctx, src, slist);
  ctx.events.key_modified(ctx.db_index, src);
}

void lmove_command(CommandContext& ctx) {
  Where from, to;
  if (!parse_where(ctx, ctx.arg(3), &from) || !parse_where(ctx, ctx.arg(4), &to)) return;
  lmove_generic(ctx, from, to);
}

void rpoplpush_command(CommandContext& ctx) {
  lmove_generic(ctx, Where::kTail, Where::kHead);
}

// mpopGenericCommand.
void mpop_generic(CommandContext& ctx, std::span<const std::string_view> keys, Where where,
                  long count) {
  for (std::string_view key : keys) {
    Entry* e = lookup_write(ctx, key);
    if (e == nullptr) continue;
    if (!check_list(ctx, e)) return;
    pop_range_with_key(ctx, key, list_of(e), where, count);
    return;
  }
  ctx.out.null_array();
}

// ---- blocking -------------------------------------------------------------------------------

// blockingPopGenericCommand: count -1 is BLPOP/BRPOP's single element.
void blocking_pop_generic(CommandContext& ctx, std::span<const std::string_view> keys, Where where,
                          size_t timeout_idx, long count) {
  int64_t deadline;
  if (!parse_block_timeout(ctx, ctx.arg(timeout_idx), TimeoutUnit::kSeconds, &deadline)) return;
  // A woken client is served from the key that became ready first, as Redis serves it.
  std::vector<std::string_view> order;
  if (ctx.woken && !ctx.woken_key.empty() &&
      std::find(keys.begin(), keys.end(), ctx.woken_key) != keys.end()) {
    order.push_back(ctx.woken_key);
  }
  order.insert(order.end(), keys.begin(), keys.end());
  for (std::string_view key : order) {
    Entry* e = lookup_write(ctx, key);
    if (e == nullptr) continue;
    // A woken client whose key now holds another type stays blocked (Redis serves only keys
    // that are lists when it handles ready keys).
    if (ctx.woken && e->type() != store::ValueType::kList) continue;
    if (!check_list(ctx, e)) return;
    ListObject* list = list_of(e);
    if (count != -1) {
      pop_range_with_key(ctx, key, list, where, count);
      return;
    }
    std::string value = pop(list, where);
    ctx.out.array(2);
    ctx.out.bulk(key);
    ctx.out.bulk(value);
    elements_removed(ctx, key, where, list);
    return;
  }
  block_client(ctx, std::vector<std::string>(keys.begin(), keys.end()), deadline,
               BlockRequest::TimeoutReply::kNullArray);
}

void blpop_command(CommandContext& ctx) {
  blocking_pop_generic(ctx, ctx.argv.subspan(1, ctx.argc() - 2), Where::kHead, ctx.argc() - 1, -1);
}

void brpop_command(CommandContext& ctx) {
  blocking_pop_generic(ctx, ctx.argv.subspan(1, ctx.argc() - 2), Where::kTail, ctx.argc() - 1, -1);
}

// blmoveGenericCommand.
void blmove_generic(CommandContext& ctx, Where from, Where to, int64_t deadline) {
  Entry* e = lookup_write(ctx, ctx.arg(1));
  if (ctx.woken && e != nullptr && e->type() != store::ValueType::kList) e = nullptr;
  if (!check_list(ctx, e)) return;
  if (e == nullptr) {
    // Redis answers a null bulk when it may not block (MULTI, scripts), but a timed-out
    // BLMOVE/BRPOPLPUSH gets the null array every blocked list command gets.
    if (ctx.block == nullptr) {
      ctx.out.null();
      return;
    }
    block_client(ctx, {std::string(ctx.arg(1))}, deadline, BlockRequest::TimeoutReply::kNullArray);
    return;
  }
  lmove_generic(ctx, from, to);
}

void blmove_command(CommandContext& ctx) {
  Where from, to;
  if (!parse_where(ctx, ctx.arg(3), &from) || !parse_where(ctx, ctx.arg(4), &to)) return;
  int64_t deadline;
  if (!parse_block_timeout(ctx, ctx.arg(5), TimeoutUnit::kSeconds, &deadline)) return;
  blmove_generic(ctx, from, to, deadline);
}

void brpoplpush_command(CommandContext& ctx) {
  int64_t deadline;
  if (!parse_block_timeout(ctx, ctx.arg(3), TimeoutUnit::kSeconds, &deadline)) return;
  blmove_generic(ctx, Where::kTail, Where::kHead, deadline);
}

// lmpopGenericCommand: LMPOP numkeys key... LEFT|RIGHT [COUNT n]; BLMPOP timeout numkeys ...
void lmpop_generic(CommandContext& ctx, size_t numkeys_idx, bool block) {
  long numkeys;
  if (!parse_range_arg(ctx, ctx.arg(numkeys_idx), 1, LONG_MAX, &numkeys,
                       "ERR numkeys should be greater than 0")) {
    return;
  }
  if (static_cast<unsigned long>(numkeys) >= ctx.argc() - numkeys_idx - 1) {
    ctx.out.error(kSyntaxError);
    return;
  }
  size_t where_idx = numkeys_idx + static_cast<size_t>(numkeys) + 1;
  Where where;
  if (!parse_where(ctx, ctx.arg(where_idx), &where)) return;
  long count = -1;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    if (count == -1 && iequals(ctx.arg(j), "count") && j + 1 < ctx.argc()) {
      if (!parse_range_arg(ctx, ctx.arg(++j), 1, LONG_MAX, &count,
                           "ERR count should be greater than 0")) {
        return;
      }
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  if (count == -1) count = 1;
  auto keys = ctx.argv.subspan(numkeys_idx + 1, static_cast<size_t>(numkeys));
  if (block) {
    blocking_pop_generic(ctx, keys, where, 1, count);
  } else {
    mpop_generic(ctx, keys, where, count);
  }
}

void lmpop_command(CommandContext& ctx) {
  lmpop_generic(ctx, 1, false);
}
void blmpop_command(CommandContext& ctx) {
  lmpop_generic(ctx, 2, true);
}

// Key positions of LMPOP (numkeys at 1) and BLMPOP (numkeys at 2).
std::vector<int> mpop_keys(std::span<const std::string_view> argv, size_t numkeys_idx) {
  std::vector<int> keys;
  int64_t numkeys;
  if (argv.size() <= numkeys_idx || !util::parse_int64(argv[numkeys_idx], &numkeys) ||
      numkeys < 1) {
    return keys;
  }
  for (int64_t i = 0; i < numkeys && numkeys_idx + 1 + static_cast<size_t>(i) < argv.size(); ++i) {
    keys.push_back(static_cast<int>(numkeys_idx + 1 + static_cast<size_t>(i)));
  }
  return keys;
}
std::vector<int> lmpop_keys(std::span<const std::string_view> argv) {
  return mpop_keys(argv, 1);
}
std::vector<int> blmpop_keys(std::span<const std::string_view> argv) {
  return mpop_keys(argv, 2);
}

constexpr uint64_t kListRead = kAclRead | kAclList;
constexpr uint64_t kListWrite = kAclWrite | kAclList;

}  // namespace

void register_list_commands(CommandTable& table) {
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, int step, Handler handler, std::string_view summary,
                 std::string_view since,
                 std::vector<int> (*get_keys)(std::span<const std::string_view>) = nullptr) {
    CommandSpec spec = make_spec(name, arity, flags, acl, first, last, step, CommandGroup::kList,
                                 handler, summary, since);
    spec.get_keys = get_keys;
    table.add(std::move(spec));
  };
  add("lpush", -3, kWrite | kDenyOom | kFast, kListWrite | kAclFast, 1, 1, 1, lpush_command,
      "Prepend one or multiple elements to a list", "1.0.0");
  add("rpush", -3, kWrite | kDenyOom | kFast, kListWrite | kAclFast, 1, 1, 1, rpush_command,
      "Append one or multiple elements to a list", "1.0.0");
  add("lpushx", -3, kWrite | kDenyOom | kFast, kListWrite | kAclFast, 1, 1, 1, lpushx_command,
      "Prepend an element to a list, only if the list exists", "2.2.0");
  add("rpushx", -3, kWrite | kDenyOom | kFast, kListWrite | kAclFast, 1, 1, 1, rpushx_command,
      "Append an element to a list, only if the list exists", "2.2.0");
  add("lpop", -2, kWrite | kFast, kListWrite | kAclFast, 1, 1, 1, lpop_command,
      "Remove and get the first elements in a list", "1.0.0");
  add("rpop", -2, kWrite | kFast, kListWrite | kAclFast, 1, 1, 1, rpop_command,
      "Remove and get the last elements in a list", "1.0.0");
  add("llen", 2, kReadonly | kFast, kListRead | kAclFast, 1, 1, 1, llen_command,
      "Get the length of a list", "1.0.0");
  add("lindex", 3, kReadonly, kListRead | kAclSlow, 1, 1, 1, lindex_command,
      "Get an element from a list by its index", "1.0.0");
  add("lset", 4, kWrite | kDenyOom, kListWrite | kAclSlow, 1, 1, 1, lset_command,
      "Set the value of an element in a list by its index", "1.0.0");
  add("lrange", 4, kReadonly, kListRead | kAclSlow, 1, 1, 1, lrange_command,
      "Get a range of elements from a list", "1.0.0");
  add("ltrim", 4, kWrite, kListWrite | kAclSlow, 1, 1, 1, ltrim_command,
      "Trim a list to the specified range", "1.0.0");
  add("lrem", 4, kWrite, kListWrite | kAclSlow, 1, 1, 1, lrem_command,
      "Remove elements from a list", "1.0.0");
  add("linsert", 5, kWrite | kDenyOom, kListWrite | kAclSlow, 1, 1, 1, linsert_command,
      "Insert an element before or after another element in a list", "2.2.0");
  add("lpos", -3, kReadonly, kListRead | kAclSlow, 1, 1, 1, lpos_command,
      "Return the index of matching elements on a list", "6.0.6");
  add("lmove", 5, kWrite | kDenyOom, kListWrite | kAclSlow, 1, 2, 1, lmove_command,
      "Pop an element from a list, push it to another list and return it", "6.2.0");
  add("rpoplpush", 3, kWrite | kDenyOom, kListWrite | kAclSlow, 1, 2, 1, rpoplpush_command,
      "Remove the last element in a list, prepend it to another list and return it", "1.2.0");
  add("lmpop", -4, kWrite | kMovableKeys, kListWrite | kAclSlow, 0, 0, 0, lmpop_command,
      "Pop elements from a list", "7.0.0", lmpop_keys);
  constexpr uint64_t kBlockAcl = kListWrite | kAclSlow | kAclBlocking;
  add("blpop", -3, kWrite | kNoscript | kBlocking, kBlockAcl, 1, -2, 1, blpop_command,
      "Remove and get the first element in a list, or block until one is available", "2.0.0");
  add("brpop", -3, kWrite | kNoscript | kBlocking, kBlockAcl, 1, -2, 1, brpop_command,
      "Remove and get the last element in a list, or block until one is available", "2.0.0");
  add("blmove", 6, kWrite | kDenyOom | kNoscript | kBlocking, kBlockAcl, 1, 2, 1, blmove_command,
      "Pop an element from a list, push it to another list and return it; or block until one "
      "is available",
      "6.2.0");
  add("brpoplpush", 4, kWrite | kDenyOom | kNoscript | kBlocking, kBlockAcl, 1, 2, 1,
      brpoplpush_command,
      "Pop an element from a list, push it to another list and return it; or block until one "
      "is available",
      "2.2.0");
  add("blmpop", -5, kWrite | kBlocking | kMovableKeys, kBlockAcl, 0, 0, 0, blmpop_command,
      "Pop elements from a list, or block until one is available", "7.0.0", blmpop_keys);
}

}  // namespace zakros::commands
