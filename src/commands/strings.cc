// String and counter commands (Redis's t_string.c): GET, SET and its variants, GETEX, GETDEL,
// MGET, MSET, MSETNX, APPEND, STRLEN, GETRANGE/SUBSTR, SETRANGE, INCR/DECR family, INCRBYFLOAT,
// LCS. Behaviour, validation order and error texts follow Redis 7.0 byte for byte.
//
// Relative TTLs (EX, PX, SETEX, GETEX EX ...) become absolute from ExecContext::now_ms, so a
// command applied from the Raft log has the same effect on every node.
//
// Hot path (GET, SET, INCR): one hash lookup, no heap allocation for values that keep their
// size (store/entry.h), replies written straight from the entry's bytes.
#include <climits>
#include <cmath>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "util/numbers.h"

namespace zakros::commands {

namespace {

using store::Entry;

// parseExtendedStringArgumentsOrReply's flags.
enum SetFlag : unsigned {
  kSetNx = 1 << 0,
  kSetXx = 1 << 1,
  kEx = 1 << 2,
  kPx = 1 << 3,
  kKeepTtl = 1 << 4,
  kSetGet = 1 << 5,
  kExat = 1 << 6,
  kPxat = 1 << 7,
  kPersistFlag = 1 << 8,
};

enum class ArgsFor { kGet, kSet };

// Redis's option grammar for SET (from argv[3]) and GETEX (from argv[2]): each option may only
// appear where it does not conflict with one already seen; anything else is a syntax error.
bool parse_extended_args(CommandContext& ctx, ArgsFor mode, unsigned* flags,
                         std::string_view* expire) {
  size_t j = mode == ArgsFor::kGet ? 2 : 3;
  bool set = mode == ArgsFor::kSet;
  for (; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    bool has_next = j + 1 < ctx.argc();
    unsigned f = *flags;
    const unsigned any_expire = kEx | kPx | kExat | kPxat;
    if (set && iequals(opt, "nx") && !(f & kSetXx)) {
      *flags |= kSetNx;
    } else if (set && iequals(opt, "xx") && !(f & kSetNx)) {
      *flags |= kSetXx;
    } else if (set && iequals(opt, "get")) {
      *flags |= kSetGet;
    } else if (set && iequals(opt, "keepttl") && !(f & kPersistFlag) && !(f & any_expire)) {
      *flags |= kKeepTtl;
    } else if (!set && iequals(opt, "persist") && !(f & any_expire) && !(f & kKeepTtl)) {
      *flags |= kPersistFlag;
    } else if (iequals(opt, "ex") && !(f & (kKeepTtl | kPersistFlag | kExat | kPx | kPxat)) &&
               has_next) {
      *flags |= kEx;
      *expire = ctx.arg(++j);
    } else if (iequals(opt, "px") && !(f & (kKeepTtl | kPersistFlag | kEx | kExat | kPxat)) &&
               has_next) {
      *flags |= kPx;
      *expire = ctx.arg(++j);
    } else if (iequals(opt, "exat") && !(f & (kKeepTtl | kPersistFlag | kEx | kPx | kPxat)) &&
               has_next) {
      *flags |= kExat;
      *expire = ctx.arg(++j);
    } else if (iequals(opt, "pxat") && !(f & (kKeepTtl | kPersistFlag | kEx | kExat | kPx)) &&
               has_next) {
      *flags |= kPxat;
      *expire = ctx.arg(++j);
    } else {
      ctx.out.error(kSyntaxError);
      return false;
    }
  }
  return true;
}

// getExpireMillisecondsOrReply: the absolute expire time in ms, or an error reply.
bool expire_ms(CommandContext& ctx, std::string_view text, unsigned flags, bool seconds,
               std::string_view command, int64_t* ms) {
  if (!parse_int_arg(ctx, text, ms)) return false;
  if (*ms <= 0 || (seconds && *ms > LLONG_MAX / 1000)) {
    ctx.out.error(invalid_expire_time(command));
    return false;
  }
  if (seconds) *ms *= 1000;
  if (flags & (kPx | kEx)) {
    // Redis adds with signed overflow and then checks for <= 0; do it without the UB.
    if (*ms > LLONG_MAX - ctx.exec.now_ms) {
      ctx.out.error(invalid_expire_time(command));
      return false;
    }
    *ms += ctx.exec.now_ms;
  }
  if (*ms <= 0) {
    ctx.out.error(invalid_expire_time(command));
    return false;
  }
  return true;
}

void notify_set(CommandContext& ctx, std::string_view key) {
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('$', "set", key, ctx.db_index);
}

// GET's reply for SET ... GET / GETSET / GETDEL: false after a WRONGTYPE reply.
bool reply_get(CommandContext& ctx, std::string_view key, Entry** found) {
  Entry* e = lookup_read(ctx, key);
  if (e == nullptr) {
    ctx.out.null();
  } else if (!e->is_string()) {
    ctx.out.error(kWrongType);
    return false;
  } else {
    reply_string_value(ctx, *e);
  }
  if (found != nullptr) *found = e;
  return true;
}

// setGenericCommand. ok_reply/abort_reply: -1 means +OK / null, else an integer reply.
void set_generic(CommandContext& ctx, unsigned flags, std::string_view key, std::string_view value,
                 std::string_view expire, bool seconds, std::string_view command, int ok_reply = -1,
                 int abort_reply = -1) {
  int64_t when = 0;
  bool has_expire = !expire.empty() || (flags & (kEx | kPx | kExat | kPxat));
  if (has_expire && !expire_ms(ctx, expire, flags, seconds, command, &when)) return;
  store::Database& db = ctx.db();
  store::TimeContext tc = time_context(ctx);
  bool found;
  if (flags & kSetGet) {
    Entry* e = nullptr;
    if (!reply_get(ctx, key, &e)) return;
    found = e != nullptr;
  } else if (flags & (kSetNx | kSetXx)) {
    found = db.find(key, tc) != nullptr;
  } else {
    found = false;  // not needed: set_string replaces in one lookup
  }
  if (((flags & kSetNx) && found) || ((flags & kSetXx) && !found)) {
    if (!(flags & kSetGet)) {
      if (abort_reply >= 0) {
        ctx.out.integer(abort_reply);
      } else {
        ctx.out.null();
      }
    }
    return;
  }
  int64_t ttl = has_expire ? when : ((flags & kKeepTtl) ? store::kKeepTtl : store::kPersist);
  db.set_string(key, value, ttl, tc);
  notify_set(ctx, key);
  if (has_expire) ctx.events.notify('g', "expire", key, ctx.db_index);
  if (!(flags & kSetGet)) {
    if (ok_reply >= 0) {
      ctx.out.integer(ok_reply);
    } else {
      ctx.out.ok();
    }
  }
}

void get_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.null();
    return;
  }
  if (!check_string(ctx, e)) return;
  reply_string_value(ctx, *e);
}

void set_command(CommandContext& ctx) {
  unsigned flags = 0;
  std::string_view expire;
  if (!parse_extended_args(ctx, ArgsFor::kSet, &flags, &expire)) return;
  set_generic(ctx, flags, ctx.arg(1), ctx.arg(2), expire, !(flags & (kPx | kPxat)), "set");
}

void setnx_command(CommandContext& ctx) {
  set_generic(ctx, kSetNx, ctx.arg(1), ctx.arg(2), {}, true, "setnx", 1, 0);
}

void setex_command(CommandContext& ctx) {
  set_generic(ctx, kEx, ctx.arg(1), ctx.arg(3), ctx.arg(2), true, "setex");
}

void psetex_command(CommandContext& ctx) {
  set_generic(ctx, kPx, ctx.arg(1), ctx.arg(3), ctx.arg(2), false, "psetex");
}

void getset_command(CommandContext& ctx) {
  if (!reply_get(ctx, ctx.arg(1), nullptr)) return;
  ctx.db().set_string(ctx.arg(1), ctx.arg(2), store::kPersist, time_context(ctx));
  notify_set(ctx, ctx.arg(1));
}

void getdel_command(CommandContext& ctx) {
  Entry* e = nullptr;
  if (!reply_get(ctx, ctx.arg(1), &e)) return;
  if (e != nullptr) {
    ctx.db().erase(e, ctx.keyspace.lazy_free_policy().user_del);
    ctx.events.key_modified(ctx.db_index, ctx.arg(1));
    ctx.events.notify('g', "del", ctx.arg(1), ctx.db_index);
  }
}

void getex_command(CommandContext& ctx) {
  unsigned flags = 0;
  std::string_view expire;
  if (!parse_extended_args(ctx, ArgsFor::kGet, &flags, &expire)) return;
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_read(ctx, key);
  if (e == nullptr) {
    ctx.out.null();
    return;
  }
  if (!check_string(ctx, e)) return;
  int64_t when = 0;
  bool has_expire = (flags & (kEx | kPx | kExat | kPxat)) != 0;
  if (has_expire && !expire_ms(ctx, expire, flags, !(flags & (kPx | kPxat)), "getex", &when)) {
    return;
  }
  reply_string_value(ctx, *e);
  store::Database& db = ctx.db();
  if ((flags & (kExat | kPxat)) && when <= ctx.exec.now_ms && ctx.exec.may_delete_expired) {
    // An absolute time already past deletes the key (Redis's checkAlreadyExpired).
    db.erase(e, ctx.keyspace.lazy_free_policy().expire);
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('g', "del", key, ctx.db_index);
  } else if (has_expire) {
    db.set_expire(e, when);
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('g', "expire", key, ctx.db_index);
  } else if (flags & kPersistFlag) {
    if (db.persist(e)) {
      ctx.events.key_modified(ctx.db_index, key);
      ctx.events.notify('g', "persist", key, ctx.db_index);
    }
  }
}

void mget_command(CommandContext& ctx) {
  ctx.out.array(ctx.argc() - 1);
  for (size_t j = 1; j < ctx.argc(); ++j) {
    Entry* e = lookup_read(ctx, ctx.arg(j));
    if (e == nullptr || !e->is_string()) {
      ctx.out.null();
    } else {
      reply_string_value(ctx, *e);
    }
  }
}

void mset_generic(CommandContext& ctx, bool nx) {
  if (ctx.argc() % 2 == 0) {
    ctx.out.error(wrong_arity(nx ? "msetnx" : "mset"));
    return;
  }
  store::TimeContext tc = time_context(ctx);
  if (nx) {
    for (size_t j = 1; j < ctx.argc(); j += 2) {
      if (lookup_write(ctx, ctx.arg(j)) != nullptr) {
        ctx.out.integer(0);
        return;
      }
    }
  }
  store::Database& db = ctx.db();
  for (size_t j = 1; j < ctx.argc(); j += 2) {
    db.set_string(ctx.arg(j), ctx.arg(j + 1), store::kPersist, tc);
    notify_set(ctx, ctx.arg(j));
  }
  if (nx) {
    ctx.out.integer(1);
  } else {
    ctx.out.ok();
  }
}

void mset_command(CommandContext& ctx) {
  mset_generic(ctx, false);
}
void msetnx_command(CommandContext& ctx) {
  mset_generic(ctx, true);
}

// checkStringLength: size + append must stay within proto-max-bulk-len.
bool check_string_length(CommandContext& ctx, int64_t size, int64_t append) {
  uint64_t total = static_cast<uint64_t>(size) + static_cast<uint64_t>(append);
  if (total > static_cast<uint64_t>(g_proto_max_bulk_len) ||
      total > static_cast<uint64_t>(LLONG_MAX)) {
    ctx.out.error(kStringTooLong);
    return false;
  }
  return true;
}

void append_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  std::string_view value = ctx.arg(2);
  store::Database& db = ctx.db();
  Entry* e = lookup_write(ctx, key);
  size_t total;
  if (e == nullptr) {
    db.set_string(key, value, store::kPersist, time_context(ctx));
    total = value.size();
  } else {
    if (!check_string(ctx, e)) return;
    if (!check_string_length(ctx, static_cast<int64_t>(e->string_length()),
                             static_cast<int64_t>(value.size()))) {
      return;
    }
    std::string* s = db.make_raw(e);
    s->append(value);
    total = s->size();
  }
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('$', "append", key, ctx.db_index);
  ctx.out.integer(static_cast<long long>(total));
}

void strlen_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_string(ctx, e)) return;
  ctx.out.integer(static_cast<long long>(e->string_length()));
}

void getrange_command(CommandContext& ctx) {
  int64_t start, end;
  if (!parse_int_arg(ctx, ctx.arg(2), &start)) return;
  if (!parse_int_arg(ctx, ctx.arg(3), &end)) return;
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.bulk("");
    return;
  }
  if (!check_string(ctx, e)) return;
  char buf[Entry::kIntMaxChars];
  std::string_view str = e->string_value(buf);
  int64_t len = static_cast<int64_t>(str.size());
  if (start < 0 && end < 0 && start > end) {
    ctx.out.bulk("");
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len == 0) {
    ctx.out.bulk("");
    return;
  }
  ctx.out.bulk(str.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
}

void setrange_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  std::string_view value = ctx.arg(3);
  int64_t offset;
  if (!parse_int_arg(ctx, ctx.arg(2), &offset)) return;
  if (offset < 0) {
    ctx.out.error(kOffsetOutOfRange);
    return;
  }
  store::Database& db = ctx.db();
  Entry* e = lookup_write(ctx, key);
  size_t result_len;
  if (e == nullptr) {
    if (value.empty()) {
      ctx.out.integer(0);
      return;
    }
    if (!check_string_length(ctx, offset, static_cast<int64_t>(value.size()))) return;
    std::string s(static_cast<size_t>(offset) + value.size(), '\0');
    s.replace(static_cast<size_t>(offset), value.size(), value);
    result_len = s.size();
    db.set_raw(key, std::move(s), store::kPersist, time_context(ctx));
  } else {
    if (!check_string(ctx, e)) return;
    size_t olen = e->string_length();
    if (value.empty()) {
      ctx.out.integer(static_cast<long long>(olen));
      return;
    }
    if (!check_string_length(ctx, offset, static_cast<int64_t>(value.size()))) return;
    std::string* s = db.make_raw(e);
    size_t need = static_cast<size_t>(offset) + value.size();
    if (s->size() < need) s->resize(need, '\0');
    s->replace(static_cast<size_t>(offset), value.size(), value);
    result_len = s->size();
  }
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('$', "setrange", key, ctx.db_index);
  ctx.out.integer(static_cast<long long>(result_len));
}

// incrDecrCommand.
void incr_decr(CommandContext& ctx, int64_t incr) {
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (!check_string(ctx, e)) return;
  int64_t value = 0;
  if (e != nullptr) {
    if (e->is_int()) {
      value = e->int_value();
    } else {
      char buf[Entry::kIntMaxChars];
      if (!util::parse_int64(e->string_value(buf), &value)) {
        ctx.out.error(kNotInteger);
        return;
      }
    }
  }
  if ((incr < 0 && value < 0 && incr < (LLONG_MIN - value)) ||
      (incr > 0 && value > 0 && incr > (LLONG_MAX - value))) {
    ctx.out.error(kIncrOverflow);
    return;
  }
  value += incr;
  if (e != nullptr) {
    ctx.db().set_int_value(e, value);  // keeps the TTL, in place when already "int"
  } else {
    ctx.db().set_int(key, value, store::kPersist, time_context(ctx));
  }
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('$', "incrby", key, ctx.db_index);
  ctx.out.integer(value);
}

void incr_command(CommandContext& ctx) {
  incr_decr(ctx, 1);
}
void decr_command(CommandContext& ctx) {
  incr_decr(ctx, -1);
}

void incrby_command(CommandContext& ctx) {
  int64_t incr;
  if (!parse_int_arg(ctx, ctx.arg(2), &incr)) return;
  incr_decr(ctx, incr);
}

void decrby_command(CommandContext& ctx) {
  int64_t incr;
  if (!parse_int_arg(ctx, ctx.arg(2), &incr)) return;
  if (incr == LLONG_MIN) {
    ctx.out.error(kDecrOverflow);
    return;
  }
  incr_decr(ctx, -incr);
}

void incrbyfloat_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (!check_string(ctx, e)) return;
  long double value = 0;
  if (e != nullptr) {
    if (e->is_int()) {
      value = static_cast<long double>(e->int_value());
    } else {
      char buf[Entry::kIntMaxChars];
      if (!util::parse_long_double(e->string_value(buf), &value)) {
        ctx.out.error(kNotFloat);
        return;
      }
    }
  }
  long double incr;
  if (!util::parse_long_double(ctx.arg(2), &incr)) {
    ctx.out.error(kNotFloat);
    return;
  }
  value += incr;
  if (std::isnan(value) || std::isinf(value)) {
    ctx.out.error(kIncrNanOrInf);
    return;
  }
  std::string text = util::format_long_double(value, true);
  // dbOverwrite keeps the TTL; the result is stored as a plain string, never "int".
  ctx.db().set_plain_string(key, text, e != nullptr ? store::kKeepTtl : store::kPersist,
                            time_context(ctx));
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('$', "incrbyfloat", key, ctx.db_index);
  ctx.out.bulk(text);
}

void lcs_command(CommandContext& ctx) {
  Entry* ea = lookup_read(ctx, ctx.arg(1));
  Entry* eb = lookup_read(ctx, ctx.arg(2));
  if ((ea != nullptr && !ea->is_string()) || (eb != nullptr && !eb->is_string())) {
    ctx.out.error(kLcsNotStrings);
    return;
  }
  char abuf[Entry::kIntMaxChars];
  char bbuf[Entry::kIntMaxChars];
  std::string_view a = ea ? ea->string_value(abuf) : std::string_view();
  std::string_view b = eb ? eb->string_value(bbuf) : std::string_view();
  bool getlen = false, getidx = false, withmatchlen = false;
  int64_t minmatchlen = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    bool more = j + 1 < ctx.argc();
    if (iequals(opt, "idx")) {
      getidx = true;
    } else if (iequals(opt, "len")) {
      getlen = true;
    } else if (iequals(opt, "withmatchlen")) {
      withmatchlen = true;
    } else if (iequals(opt, "minmatchlen") && more) {
      if (!parse_int_arg(ctx, ctx.arg(j + 1), &minmatchlen)) return;
      if (minmatchlen < 0) minmatchlen = 0;
      ++j;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  if (getlen && getidx) {
    ctx.out.error(kLcsLenAndIdx);
    return;
  }
  if (a.size() >= UINT32_MAX - 1 || b.size() >= UINT32_MAX - 1) {
    ctx.out.error(kLcsTooLong);
    return;
  }
  uint32_t alen = static_cast<uint32_t>(a.size());
  uint32_t blen = static_cast<uint32_t>(b.size());
  uint64_t cells = static_cast<uint64_t>(alen + 1) * (blen + 1);
  if (cells * sizeof(uint32_t) > static_cast<uint64_t>(g_proto_max_bulk_len)) {
    ctx.out.error(kLcsTooMuchMemory);
    return;
  }
  // The classic dynamic-programming table: lcs[i][j] = LCS length of a[0..i) and b[0..j).
  std::vector<uint32_t> table(cells, 0);
  auto at = [&](uint32_t i, uint32_t j) -> uint32_t& { return table[j + i * (blen + 1)]; };
  for (uint32_t i = 1; i <= alen; ++i) {
    for (uint32_t j = 1; j <= blen; ++j) {
      if (a[i - 1] == b[j - 1]) {
        at(i, j) = at(i - 1, j - 1) + 1;
      } else {
        at(i, j) = std::max(at(i - 1, j), at(i, j - 1));
      }
    }
  }
  uint32_t idx = at(alen, blen);
  bool compute = getidx || !getlen;
  std::string result;
  if (compute) result.assign(idx, '\0');
  size_t token = 0;
  uint32_t ranges = 0;
  if (getidx) {
    ctx.out.map(2);
    ctx.out.bulk("matches");
    token = ctx.out.begin_deferred();
  }
  // Walk back from the end, emitting maximal matching ranges (Redis's order: last first).
  uint32_t i = alen, j = blen;
  uint32_t astart = alen, aend = 0, bstart = 0, bend = 0;  // astart == alen: no open range
  while (compute && i > 0 && j > 0) {
    bool emit = false;
    if (a[i - 1] == b[j - 1]) {
      result[idx - 1] = a[i - 1];
      if (astart == alen) {
        astart = aend = i - 1;
        bstart = bend = j - 1;
      } else if (astart == i && bstart == j) {
        --astart;
        --bstart;
      } else {
        emit = true;
      }
      if (astart == 0 || bstart == 0) emit = true;
      --idx;
      --i;
      --j;
    } else {
      if (at(i - 1, j) > at(i, j - 1)) {
        --i;
      } else {
        --j;
      }
      if (astart != alen) emit = true;
    }
    uint32_t match_len = aend - astart + 1;
    if (emit) {
      if ((minmatchlen == 0 || match_len >= minmatchlen) && getidx) {
        ctx.out.array(2 + (withmatchlen ? 1 : 0));
        ctx.out.array(2);
        ctx.out.integer(astart);
        ctx.out.integer(aend);
        ctx.out.array(2);
        ctx.out.integer(bstart);
        ctx.out.integer(bend);
        if (withmatchlen) ctx.out.integer(match_len);
        ++ranges;
      }
      astart = alen;
    }
  }
  if (getidx) {
    ctx.out.end_deferred_array(token, ranges);
    ctx.out.bulk("len");
    ctx.out.integer(at(alen, blen));
  } else if (getlen) {
    ctx.out.integer(at(alen, blen));
  } else {
    ctx.out.bulk(result);
  }
}

constexpr uint64_t kStrRead = kAclRead | kAclString;
constexpr uint64_t kStrWrite = kAclWrite | kAclString;

}  // namespace

void register_string_commands(CommandTable& table) {
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, int step, Handler handler, std::string_view summary,
                 std::string_view since) {
    table.add(make_spec(name, arity, flags, acl, first, last, step, CommandGroup::kString, handler,
                        summary, since));
  };
  add("get", 2, kReadonly | kFast, kStrRead | kAclFast, 1, 1, 1, get_command,
      "Get the value of a key", "1.0.0");
  add("set", -3, kWrite | kDenyOom, kStrWrite | kAclSlow, 1, 1, 1, set_command,
      "Set the string value of a key", "1.0.0");
  add("setnx", 3, kWrite | kDenyOom | kFast, kStrWrite | kAclFast, 1, 1, 1, setnx_command,
      "Set the value of a key, only if the key does not exist", "1.0.0");
  add("setex", 4, kWrite | kDenyOom, kStrWrite | kAclSlow, 1, 1, 1, setex_command,
      "Set the value and expiration of a key", "2.0.0");
  add("psetex", 4, kWrite | kDenyOom, kStrWrite | kAclSlow, 1, 1, 1, psetex_command,
      "Set the value and expiration in milliseconds of a key", "2.6.0");
  add("getset", 3, kWrite | kDenyOom | kFast, kStrWrite | kAclFast, 1, 1, 1, getset_command,
      "Set the string value of a key and return its old value", "1.0.0");
  add("getdel", 2, kWrite | kFast, kStrWrite | kAclFast, 1, 1, 1, getdel_command,
      "Get the value of a key and delete the key", "6.2.0");
  add("getex", -2, kWrite | kFast, kStrWrite | kAclFast, 1, 1, 1, getex_command,
      "Get the value of a key and optionally set its expiration", "6.2.0");
  add("mget", -2, kReadonly | kFast, kStrRead | kAclFast, 1, -1, 1, mget_command,
      "Get the values of all the given keys", "1.0.0");
  add("mset", -3, kWrite | kDenyOom, kStrWrite | kAclSlow, 1, -1, 2, mset_command,
      "Set multiple keys to multiple values", "1.0.1");
  add("msetnx", -3, kWrite | kDenyOom, kStrWrite | kAclSlow, 1, -1, 2, msetnx_command,
      "Set multiple keys to multiple values, only if none of the keys exist", "1.0.1");
  add("append", 3, kWrite | kDenyOom | kFast, kStrWrite | kAclFast, 1, 1, 1, append_command,
      "Append a value to a key", "2.0.0");
  add("strlen", 2, kReadonly | kFast, kStrRead | kAclFast, 1, 1, 1, strlen_command,
      "Get the length of the value stored in a key", "2.2.0");
  add("getrange", 4, kReadonly, kStrRead | kAclSlow, 1, 1, 1, getrange_command,
      "Get a substring of the string stored at a key", "2.4.0");
  add("substr", 4, kReadonly, kStrRead | kAclSlow, 1, 1, 1, getrange_command,
      "Get a substring of the string stored at a key", "1.0.0");
  add("setrange", 4, kWrite | kDenyOom, kStrWrite | kAclSlow, 1, 1, 1, setrange_command,
      "Overwrite part of a string at key starting at the specified offset", "2.2.0");
  add("incr", 2, kWrite | kDenyOom | kFast, kStrWrite | kAclFast, 1, 1, 1, incr_command,
      "Increment the integer value of a key by one", "1.0.0");
  add("decr", 2, kWrite | kDenyOom | kFast, kStrWrite | kAclFast, 1, 1, 1, decr_command,
      "Decrement the integer value of a key by one", "1.0.0");
  add("incrby", 3, kWrite | kDenyOom | kFast, kStrWrite | kAclFast, 1, 1, 1, incrby_command,
      "Increment the integer value of a key by the given amount", "1.0.0");
  add("decrby", 3, kWrite | kDenyOom | kFast, kStrWrite | kAclFast, 1, 1, 1, decrby_command,
      "Decrement the integer value of a key by the given number", "1.0.0");
  add("incrbyfloat", 3, kWrite | kDenyOom | kFast, kStrWrite | kAclFast, 1, 1, 1,
      incrbyfloat_command, "Increment the float value of a key by the given amount", "2.6.0");
  add("lcs", -3, kReadonly, kStrRead | kAclSlow, 1, 2, 1, lcs_command,
      "Find longest common substring", "7.0.0");
}

}  // namespace zakros::commands
