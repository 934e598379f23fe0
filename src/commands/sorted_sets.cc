// Sorted set commands (Redis's t_zset.c): ZADD ... BZMPOP. Argument validation order, replies,
// error texts and keyspace events follow Redis 7.0 byte for byte. The data structure is
// store::ZsetObject; this file parses, looks keys up, and builds replies.
//
// Randomness (ZRANDMEMBER) comes only from ExecContext::seed and picks elements by rank, so the
// result does not depend on hash-table layout. Blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP) ask
// the server to park the client (commands::block_client) and are simply run again when a key is
// signalled ready.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "commands/object_scan.h"
#include "store/zset_object.h"
#include "util/glob.h"
#include "util/numbers.h"

#if __has_include("store/set_object.h")
#include "store/set_object.h"
#define ZAKROS_ZSET_HAS_SETS 1
#endif

namespace zakros::commands {

namespace {

using store::Entry;
using store::ZLexRange;
using store::ZScoreRange;
using store::ZsetObject;

// ---- t_zset.c's error texts -----------------------------------------------------------------
constexpr std::string_view kZaddXxNx = "ERR XX and NX options at the same time are not compatible";
constexpr std::string_view kZaddGtLtNx =
    "ERR GT, LT, and/or NX options at the same time are not compatible";
constexpr std::string_view kZaddIncrPair =
    "ERR INCR option supports a single increment-element pair";
constexpr std::string_view kZaddNan = "ERR resulting score is not a number (NaN)";
constexpr std::string_view kMinMaxNotFloat = "ERR min or max is not a float";
constexpr std::string_view kMinMaxNotLex = "ERR min or max not valid string range item";
constexpr std::string_view kWeightNotFloat = "ERR weight value is not a float";
constexpr std::string_view kLimitNegative = "ERR LIMIT can't be negative";
constexpr std::string_view kLimitNeedsBy =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
constexpr std::string_view kWithscoresBylex =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
constexpr std::string_view kNumkeysPositive = "ERR numkeys should be greater than 0";
constexpr std::string_view kCountPositive = "ERR count should be greater than 0";
constexpr std::string_view kValueOutOfRange = "ERR value is out of range";

std::string at_least_one_key(std::string_view command) {
  return "ERR at least 1 input key is needed for '" + std::string(command) + "' command";
}

// ---- small helpers --------------------------------------------------------------------------

ZsetObject* as_zset(Entry* e) {
  return static_cast<ZsetObject*>(e->object());
}

// checkType for a zset: false (after WRONGTYPE) when `e` holds another type.
bool check_zset(CommandContext& ctx, const Entry* e) {
  if (e != nullptr && e->type() != store::ValueType::kZset) {
    ctx.out.error(kWrongType);
    return false;
  }
  return true;
}

const store::EncodingLimits& limits(const CommandContext& ctx) {
  return ctx.keyspace.limits();
}

// getLongFromObjectOrReply with a custom message for every failure (getRangeLong...).
bool parse_range_long(CommandContext& ctx, std::string_view text, int64_t min, int64_t max,
                      int64_t* out, std::string_view msg) {
  int64_t v;
  if (!util::parse_int64(text, &v)) {
    ctx.out.error(msg.empty() ? kNotInteger : msg);
    return false;
  }
  if (v < min || v > max) {
    if (!msg.empty()) {
      ctx.out.error(msg);
    } else {
      ctx.out.error("ERR value is out of range, value must between " + std::to_string(min) +
                    " and " + std::to_string(max));
    }
    return false;
  }
  *out = v;
  return true;
}

// getDoubleFromObjectOrReply.
bool parse_double_arg(CommandContext& ctx, std::string_view text, double* out,
                      std::string_view msg = kNotFloat) {
  if (!util::parse_double(text, out)) {
    ctx.out.error(msg);
    return false;
  }
  return true;
}

// One bound of zslParseRange: strtod over the text up to its first NUL (an integer-encoded
// argument reads the same), '(' for exclusive. An empty text is 0, as in Redis.
bool parse_score_bound(std::string_view text, double* value, bool* exclusive) {
  *exclusive = false;
  if (!text.empty() && text[0] == '(') {
    *exclusive = true;
    text.remove_prefix(1);
  }
  std::string s(text);
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (*end != '\0' || std::isnan(v)) return false;
  *value = v;
  return true;
}

bool parse_score_range(std::string_view min, std::string_view max, ZScoreRange* r) {
  return parse_score_bound(min, &r->min, &r->minex) && parse_score_bound(max, &r->max, &r->maxex);
}

void notify_zset(CommandContext& ctx, std::string_view event, std::string_view key) {
  ctx.events.notify('z', event, key, ctx.db_index);
}

// Deletes the key when its set became empty; returns true if it did.
bool delete_if_empty(CommandContext& ctx, std::string_view key, ZsetObject* z) {
  if (z->size() != 0) return false;
  ctx.db().erase(key);
  return true;
}

// Writes a score (RESP2 bulk "%.17g", RESP3 double).
void reply_score(CommandContext& ctx, double score) {
  ctx.out.double_value(score);
}

// ---- ZADD / ZINCRBY -------------------------------------------------------------------------

void zadd_generic(CommandContext& ctx, unsigned flags) {
  std::string_view key = ctx.arg(1);
  bool ch = false;
  size_t scoreidx = 2;
  for (; scoreidx < ctx.argc(); ++scoreidx) {
    std::string_view opt = ctx.arg(scoreidx);
    if (iequals(opt, "nx")) {
      flags |= ZsetObject::kAddNx;
    } else if (iequals(opt, "xx")) {
      flags |= ZsetObject::kAddXx;
    } else if (iequals(opt, "ch")) {
      ch = true;
    } else if (iequals(opt, "incr")) {
      flags |= ZsetObject::kAddIncr;
    } else if (iequals(opt, "gt")) {
      flags |= ZsetObject::kAddGt;
    } else if (iequals(opt, "lt")) {
      flags |= ZsetObject::kAddLt;
    } else {
      break;
    }
  }
  bool incr = flags & ZsetObject::kAddIncr, nx = flags & ZsetObject::kAddNx;
  bool xx = flags & ZsetObject::kAddXx, gt = flags & ZsetObject::kAddGt;
  bool lt = flags & ZsetObject::kAddLt;
  size_t elements = ctx.argc() - scoreidx;
  if (elements % 2 != 0 || elements == 0) {
    ctx.out.error(kSyntaxError);
    return;
  }
  elements /= 2;
  if (nx && xx) {
    ctx.out.error(kZaddXxNx);
    return;
  }
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    ctx.out.error(kZaddGtLtNx);
    return;
  }
  if (incr && elements > 1) {
    ctx.out.error(kZaddIncrPair);
    return;
  }
  std::vector<double> scores(elements);
  for (size_t j = 0; j < elements; ++j) {
    if (!parse_double_arg(ctx, ctx.arg(scoreidx + j * 2), &scores[j])) return;
  }

  Entry* e = lookup_write(ctx, key);
  if (!check_zset(ctx, e)) return;
  size_t added = 0, updated = 0, processed = 0;
  double score = 0;
  if (e == nullptr && !xx) {
    auto obj = ZsetObject::create_for(ctx.arg(scoreidx + 1).size(), limits(ctx));
    e = ctx.db().set_object(key, std::move(obj), store::kPersist, time_context(ctx));
  }
  if (e != nullptr) {
    ZsetObject* z = as_zset(e);
    for (size_t j = 0; j < elements; ++j) {
      double new_score = 0;
      auto res = z->add(ctx.arg(scoreidx + 1 + j * 2), scores[j], flags, limits(ctx), &new_score);
      if (res == ZsetObject::AddResult::kNan) {
        ctx.out.error(kZaddNan);
        break;
      }
      if (res == ZsetObject::AddResult::kAdded) ++added;
      if (res == ZsetObject::AddResult::kUpdated) ++updated;
      if (res != ZsetObject::AddResult::kNop) {
        ++processed;
        score = new_score;
      }
      if (j + 1 == elements) {
        if (incr) {
          if (processed) {
            reply_score(ctx, score);
          } else {
            ctx.out.null();
          }
        } else {
          ctx.out.integer(static_cast<long long>(ch ? added + updated : added));
        }
      }
    }
  } else if (incr) {
    ctx.out.null();
  } else {
    ctx.out.integer(0);
  }
  if (added || updated) {
    ctx.events.key_modified(ctx.db_index, key);
    notify_zset(ctx, incr ? "zincr" : "zadd", key);
    if (added) ctx.events.key_ready(ctx.db_index, key);
  }
}

void zadd_command(CommandContext& ctx) {
  zadd_generic(ctx, 0);
}
void zincrby_command(CommandContext& ctx) {
  zadd_generic(ctx, ZsetObject::kAddIncr);
}

// ---- ZREM / ZREMRANGEBY* --------------------------------------------------------------------

void zrem_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_zset(ctx, e)) return;
  ZsetObject* z = as_zset(e);
  long long deleted = 0;
  bool key_removed = false;
  for (size_t j = 2; j < ctx.argc(); ++j) {
    if (z->remove(ctx.arg(j))) ++deleted;
    if (z->size() == 0) {
      ctx.db().erase(key);
      key_removed = true;
      break;
    }
  }
  if (deleted) {
    notify_zset(ctx, "zrem", key);
    if (key_removed) ctx.events.notify('g', "del", key, ctx.db_index);
    ctx.events.key_modified(ctx.db_index, key);
  }
  ctx.out.integer(deleted);
}

enum class RangeType { kAuto, kRank, kScore, kLex };

void zremrange_generic(CommandContext& ctx, RangeType type) {
  std::string_view key = ctx.arg(1);
  int64_t start = 0, end = 0;
  ZScoreRange range;
  ZLexRange lex;
  std::string_view event;
  if (type == RangeType::kRank) {
    event = "zremrangebyrank";
    if (!parse_int_arg(ctx, ctx.arg(2), &start) || !parse_int_arg(ctx, ctx.arg(3), &end)) return;
  } else if (type == RangeType::kScore) {
    event = "zremrangebyscore";
    if (!parse_score_range(ctx.arg(2), ctx.arg(3), &range)) {
      ctx.out.error(kMinMaxNotFloat);
      return;
    }
  } else {
    event = "zremrangebylex";
    if (!ZLexRange::parse(ctx.arg(2), ctx.arg(3), &lex)) {
      ctx.out.error(kMinMaxNotLex);
      return;
    }
  }
  Entry* e = lookup_write(ctx, key);
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_zset(ctx, e)) return;
  ZsetObject* z = as_zset(e);
  size_t deleted = 0;
  if (type == RangeType::kRank) {
    int64_t llen = static_cast<int64_t>(z->size());
    if (start < 0) start += llen;
    if (end < 0) end += llen;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
      ctx.out.integer(0);
      return;
    }
    if (end >= llen) end = llen - 1;
    deleted = z->remove_range_by_rank(static_cast<size_t>(start), static_cast<size_t>(end));
  } else if (type == RangeType::kScore) {
    deleted = z->remove_range_by_score(range);
  } else {
    deleted = z->remove_range_by_lex(lex);
  }
  bool removed = delete_if_empty(ctx, key, z);
  if (deleted) {
    ctx.events.key_modified(ctx.db_index, key);
    notify_zset(ctx, event, key);
    if (removed) ctx.events.notify('g', "del", key, ctx.db_index);
  }
  ctx.out.integer(static_cast<long long>(deleted));
}

void zremrangebyrank_command(CommandContext& ctx) {
  zremrange_generic(ctx, RangeType::kRank);
}
void zremrangebyscore_command(CommandContext& ctx) {
  zremrange_generic(ctx, RangeType::kScore);
}
void zremrangebylex_command(CommandContext& ctx) {
  zremrange_generic(ctx, RangeType::kLex);
}

// ---- simple reads ---------------------------------------------------------------------------

void zcard_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (!check_zset(ctx, e)) return;
  ctx.out.integer(e == nullptr ? 0 : static_cast<long long>(as_zset(e)->size()));
}

void zcount_command(CommandContext& ctx) {
  ZScoreRange range;
  if (!parse_score_range(ctx.arg(2), ctx.arg(3), &range)) {
    ctx.out.error(kMinMaxNotFloat);
    return;
  }
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (!check_zset(ctx, e)) return;
  ctx.out.integer(e == nullptr ? 0 : static_cast<long long>(as_zset(e)->count_in_range(range)));
}

void zlexcount_command(CommandContext& ctx) {
  ZLexRange range;
  if (!ZLexRange::parse(ctx.arg(2), ctx.arg(3), &range)) {
    ctx.out.error(kMinMaxNotLex);
    return;
  }
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (!check_zset(ctx, e)) return;
  ctx.out.integer(e == nullptr ? 0 : static_cast<long long>(as_zset(e)->count_in_lex_range(range)));
}

void zscore_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (!check_zset(ctx, e)) return;
  double s;
  if (e == nullptr || !as_zset(e)->score(ctx.arg(2), &s)) {
    ctx.out.null();
    return;
  }
  reply_score(ctx, s);
}

void zmscore_command(CommandContext& ctx) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (!check_zset(ctx, e)) return;
  ctx.out.array(ctx.argc() - 2);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    double s;
    if (e == nullptr || !as_zset(e)->score(ctx.arg(j), &s)) {
      ctx.out.null();
    } else {
      reply_score(ctx, s);
    }
  }
}

void zrank_generic(CommandContext& ctx, bool reverse) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.null();
    return;
  }
  if (!check_zset(ctx, e)) return;
  size_t rank;
  if (!as_zset(e)->rank(ctx.arg(2), reverse, &rank)) {
    ctx.out.null();
    return;
  }
  ctx.out.integer(static_cast<long long>(rank));
}

void zrank_command(CommandContext& ctx) {
  zrank_generic(ctx, false);
}
void zrevrank_command(CommandContext& ctx) {
  zrank_generic(ctx, true);
}

// ---- ZRANGE family --------------------------------------------------------------------------

// Where a range goes: to the client (with or without scores) or into a destination set.
class RangeSink {
 public:
  RangeSink(CommandContext& ctx, bool store, bool withscores)
      : ctx_(ctx), store_(store), withscores_(withscores) {}

  // Starts the output; `length` is the number of elements when known (-1 otherwise).
  void begin(long length) {
    if (store_) {
      if (length > static_cast<long>(limits(ctx_).zset_max_listpack_entries)) {
        dst_ = ZsetObject::create_skiplist();
      } else {
        dst_ = std::make_unique<ZsetObject>();
      }
    } else {
      token_ = ctx_.out.begin_deferred();
    }
  }
  void emit(std::string_view member, double score) {
    ++count_;
    if (store_) {
      dst_->add(member, score, 0, limits(ctx_));
      return;
    }
    if (withscores_ && ctx_.out.resp3()) ctx_.out.array(2);
    ctx_.out.bulk(member);
    if (withscores_) reply_score(ctx_, score);
  }
  // Finishes the reply (or stores the result under `dst_key`).
  void finish(std::string_view dst_key) {
    if (!store_) {
      ctx_.out.end_deferred_array(token_, withscores_ && !ctx_.out.resp3() ? count_ * 2 : count_);
      return;
    }
    if (count_ > 0) {
      ctx_.db().set_object(dst_key, std::move(dst_), store::kPersist, time_context(ctx_));
      ctx_.events.key_modified(ctx_.db_index, dst_key);
      ctx_.out.integer(static_cast<long long>(count_));
      notify_zset(ctx_, "zrangestore", dst_key);
      ctx_.events.key_ready(ctx_.db_index, dst_key);
    } else {
      ctx_.out.integer(0);
      if (ctx_.db().erase(dst_key)) {
        ctx_.events.key_modified(ctx_.db_index, dst_key);
        ctx_.events.notify('g', "del", dst_key, ctx_.db_index);
      }
    }
  }

 private:
  CommandContext& ctx_;
  bool store_;
  bool withscores_;
  size_t token_ = 0;
  size_t count_ = 0;
  std::unique_ptr<ZsetObject> dst_;
};

void range_by_rank(RangeSink& sink, const ZsetObject& z, int64_t start, int64_t end, bool reverse) {
  int64_t llen = static_cast<int64_t>(z.size());
  if (start < 0) start += llen;
  if (end < 0) end += llen;
  if (start < 0) start = 0;
  if (start > end || start >= llen) {
    sink.begin(0);
    return;
  }
  if (end >= llen) end = llen - 1;
  int64_t n = end - start + 1;
  sink.begin(static_cast<long>(n));
  if (reverse) {
    auto c = z.at_rank(static_cast<size_t>(llen - 1 - start));
    for (; n-- > 0 && c.valid(); c.prev()) sink.emit(c.member(), c.score());
  } else {
    auto c = z.at_rank(static_cast<size_t>(start));
    for (; n-- > 0 && c.valid(); c.next()) sink.emit(c.member(), c.score());
  }
}

// Shared walk of BYSCORE and BYLEX: from the first (or last, reversed) element in range, skip
// `offset`, then emit up to `limit` (negative = all) while `in_range` holds.
template <class InRange>
void range_walk(RangeSink& sink, const ZsetObject& z, ZsetObject::Cursor c, int64_t offset,
                int64_t limit, bool reverse, InRange in_range) {
  sink.begin(-1);
  if (offset > 0 && offset >= static_cast<int64_t>(z.size())) return;
  if (offset < 0) return;  // Redis walks off the end: nothing is returned
  while (c.valid() && offset-- > 0) reverse ? c.prev() : c.next();
  while (c.valid() && limit-- != 0) {
    if (!in_range(c)) break;
    sink.emit(c.member(), c.score());
    reverse ? c.prev() : c.next();
  }
}

// zrangeGenericCommand: `first` is the index of the source key.
void zrange_generic(CommandContext& ctx, size_t first, bool store, RangeType type, int direction) {
  // direction: 0 auto, 1 forward, -1 reverse
  std::string_view key = ctx.arg(first);
  size_t minidx = first + 1, maxidx = first + 2;
  bool withscores = false;
  int64_t offset = 0, limit = -1;
  bool has_limit = false;
  for (size_t j = first + 3; j < ctx.argc(); ++j) {
    size_t left = ctx.argc() - j - 1;
    std::string_view opt = ctx.arg(j);
    if (!store && iequals(opt, "withscores")) {
      withscores = true;
    } else if (iequals(opt, "limit") && left >= 2) {
      if (!parse_int_arg(ctx, ctx.arg(j + 1), &offset) ||
          !parse_int_arg(ctx, ctx.arg(j + 2), &limit)) {
        return;
      }
      has_limit = true;
      j += 2;
    } else if (direction == 0 && iequals(opt, "rev")) {
      direction = -1;
    } else if (type == RangeType::kAuto && iequals(opt, "bylex")) {
      type = RangeType::kLex;
    } else if (type == RangeType::kAuto && iequals(opt, "byscore")) {
      type = RangeType::kScore;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  if (direction == 0) direction = 1;
  if (type == RangeType::kAuto) type = RangeType::kRank;
  // Redis tests "opt_limit != -1": LIMIT x -1 with a rank range is accepted.
  if (has_limit && limit != -1 && type == RangeType::kRank) {
    ctx.out.error(kLimitNeedsBy);
    return;
  }
  if (withscores && type == RangeType::kLex) {
    ctx.out.error(kWithscoresBylex);
    return;
  }
  bool reverse = direction < 0;
  if (reverse && type != RangeType::kRank) std::swap(minidx, maxidx);
  int64_t start = 0, end = 0;
  ZScoreRange range;
  ZLexRange lex;
  if (type == RangeType::kRank) {
    if (!parse_int_arg(ctx, ctx.arg(minidx), &start) ||
        !parse_int_arg(ctx, ctx.arg(maxidx), &end)) {
      return;
    }
  } else if (type == RangeType::kScore) {
    if (!parse_score_range(ctx.arg(minidx), ctx.arg(maxidx), &range)) {
      ctx.out.error(kMinMaxNotFloat);
      return;
    }
  } else if (!ZLexRange::parse(ctx.arg(minidx), ctx.arg(maxidx), &lex)) {
    ctx.out.error(kMinMaxNotLex);
    return;
  }

  RangeSink sink(ctx, store, withscores || store);
  std::string_view dst = store ? ctx.arg(1) : std::string_view();
  Entry* e = lookup_read(ctx, key);
  if (e == nullptr) {
    if (store) {
      sink.begin(-1);
      sink.finish(dst);
    } else {
      ctx.out.empty_array();
    }
    return;
  }
  if (!check_zset(ctx, e)) return;
  const ZsetObject& z = *as_zset(e);
  if (type == RangeType::kRank) {
    range_by_rank(sink, z, start, end, reverse);
  } else if (type == RangeType::kScore) {
    auto c = reverse ? z.last_in_range(range) : z.first_in_range(range);
    range_walk(sink, z, c, offset, limit, reverse, [&](const ZsetObject::Cursor& k) {
      return reverse ? store::zscore_gte_min(k.score(), range)
                     : store::zscore_lte_max(k.score(), range);
    });
  } else {
    auto c = reverse ? z.last_in_lex_range(lex) : z.first_in_lex_range(lex);
    range_walk(sink, z, c, offset, limit, reverse, [&](const ZsetObject::Cursor& k) {
      return reverse ? store::zlex_gte_min(k.member(), lex) : store::zlex_lte_max(k.member(), lex);
    });
  }
  sink.finish(dst);
}

void zrange_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kAuto, 0);
}
void zrangestore_command(CommandContext& ctx) {
  zrange_generic(ctx, 2, true, RangeType::kAuto, 0);
}
void zrevrange_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kRank, -1);
}
void zrangebyscore_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kScore, 1);
}
void zrevrangebyscore_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kScore, -1);
}
void zrangebylex_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kLex, 1);
}
void zrevrangebylex_command(CommandContext& ctx) {
  zrange_generic(ctx, 1, false, RangeType::kLex, -1);
}

// ---- ZUNION / ZINTER / ZDIFF ----------------------------------------------------------------

enum class SetOp { kUnion, kInter, kDiff };
enum class Aggregate { kSum, kMin, kMax };

// One input of a set operation: a sorted set, a plain set (every score 1) or a missing key.
struct OpSource {
  const ZsetObject* zset = nullptr;
#ifdef ZAKROS_ZSET_HAS_SETS
  const store::SetObject* set = nullptr;
#endif
  double weight = 1.0;

  size_t size() const {
    if (zset != nullptr) return zset->size();
#ifdef ZAKROS_ZSET_HAS_SETS
    if (set != nullptr) return set->size();
#endif
    return 0;
  }
  bool same_object(const OpSource& o) const {
#ifdef ZAKROS_ZSET_HAS_SETS
    if (set != nullptr) return set == o.set;
#endif
    return zset != nullptr && zset == o.zset;
  }
  bool find(std::string_view member, double* score) const {
    if (zset != nullptr) return zset->score(member, score);
#ifdef ZAKROS_ZSET_HAS_SETS
    if (set != nullptr && set->contains(member)) {
      *score = 1.0;
      return true;
    }
#endif
    return false;
  }
  template <class Fn>
  void for_each(Fn&& fn) const {
    if (zset != nullptr) {
      zset->for_each(fn);
      return;
    }
#ifdef ZAKROS_ZSET_HAS_SETS
    if (set != nullptr) set->for_each([&](std::string_view m) { fn(m, 1.0); });
#endif
  }
};

void aggregate_into(double* target, double value, Aggregate agg) {
  switch (agg) {
    case Aggregate::kSum:
      *target += value;
      if (std::isnan(*target)) *target = 0.0;
      break;
    case Aggregate::kMin:
      *target = value < *target ? value : *target;
      break;
    case Aggregate::kMax:
      *target = value > *target ? value : *target;
      break;
  }
}

// Result pairs, sorted by (score, member) before use.
using ResultPairs = std::vector<std::pair<double, std::string>>;

std::unique_ptr<ZsetObject> build_zset(const ResultPairs& pairs, size_t max_len,
                                       const store::EncodingLimits& lim) {
  std::unique_ptr<ZsetObject> z;
  if (pairs.size() <= lim.zset_max_listpack_entries && max_len <= lim.zset_max_listpack_value) {
    z = std::make_unique<ZsetObject>();
  } else {
    z = ZsetObject::create_skiplist();
  }
  for (const auto& [score, member] : pairs) z->insert_new(member, score, lim);
  return z;
}

void zset_op_generic(CommandContext& ctx, std::string_view dst, size_t numkeys_index, SetOp op,
                     bool cardinality_only, std::string_view command) {
  int64_t setnum;
  if (!parse_int_arg(ctx, ctx.arg(numkeys_index), &setnum)) return;
  if (setnum < 1) {
    ctx.out.error(at_least_one_key(command));
    return;
  }
  if (setnum > static_cast<int64_t>(ctx.argc() - (numkeys_index + 1))) {
    ctx.out.error(kSyntaxError);
    return;
  }
  std::vector<OpSource> src(static_cast<size_t>(setnum));
  size_t j = numkeys_index + 1;
  for (size_t i = 0; i < src.size(); ++i, ++j) {
    Entry* e = lookup_read(ctx, ctx.arg(j));
    if (e == nullptr) continue;
    if (e->type() == store::ValueType::kZset) {
      src[i].zset = as_zset(e);
#ifdef ZAKROS_ZSET_HAS_SETS
    } else if (e->type() == store::ValueType::kSet) {
      src[i].set = static_cast<const store::SetObject*>(e->object());
#endif
    } else {
      ctx.out.error(kWrongType);
      return;
    }
  }
  Aggregate agg = Aggregate::kSum;
  bool withscores = false;
  int64_t limit = 0;
  while (j < ctx.argc()) {
    size_t remaining = ctx.argc() - j;
    std::string_view opt = ctx.arg(j);
    if (op != SetOp::kDiff && !cardinality_only && remaining >= src.size() + 1 &&
        iequals(opt, "weights")) {
      ++j;
      for (size_t i = 0; i < src.size(); ++i, ++j) {
        if (!parse_double_arg(ctx, ctx.arg(j), &src[i].weight, kWeightNotFloat)) return;
      }
    } else if (op != SetOp::kDiff && !cardinality_only && remaining >= 2 &&
               iequals(opt, "aggregate")) {
      std::string_view a = ctx.arg(j + 1);
      if (iequals(a, "sum")) {
        agg = Aggregate::kSum;
      } else if (iequals(a, "min")) {
        agg = Aggregate::kMin;
      } else if (iequals(a, "max")) {
        agg = Aggregate::kMax;
      } else {
        ctx.out.error(kSyntaxError);
        return;
      }
      j += 2;
    } else if (remaining >= 1 && dst.empty() && !cardinality_only && iequals(opt, "withscores")) {
      ++j;
      withscores = true;
    } else if (cardinality_only && remaining >= 2 && iequals(opt, "limit")) {
      if (!parse_range_long(ctx, ctx.arg(j + 1), 0, LONG_MAX, &limit, kLimitNegative)) return;
      j += 2;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  if (op != SetOp::kDiff) {
    std::stable_sort(src.begin(), src.end(),
                     [](const OpSource& a, const OpSource& b) { return a.size() < b.size(); });
  }

  ResultPairs result;
  size_t max_len = 0;
  uint64_t cardinality = 0;
  auto keep = [&](std::string_view member, double score) {
    result.emplace_back(score, std::string(member));
    max_len = std::max(max_len, member.size());
  };
  if (op == SetOp::kInter) {
    if (src[0].size() > 0) {
      bool stop = false;
      src[0].for_each([&](std::string_view member, double s0) {
        if (stop) return;
        double score = src[0].weight * s0;
        if (std::isnan(score)) score = 0;
        size_t k = 1;
        for (; k < src.size(); ++k) {
          double value;
          if (src[k].same_object(src[0])) {
            aggregate_into(&score, s0 * src[k].weight, agg);
          } else if (src[k].find(member, &value)) {
            aggregate_into(&score, value * src[k].weight, agg);
          } else {
            break;
          }
        }
        if (k != src.size()) return;
        if (cardinality_only) {
          ++cardinality;
          if (limit != 0 && cardinality >= static_cast<uint64_t>(limit)) stop = true;
        } else {
          keep(member, score);
        }
      });
    }
  } else if (op == SetOp::kUnion) {
    std::unordered_map<std::string, double> acc;
    std::vector<const std::string*> order;
    for (const OpSource& s : src) {
      s.for_each([&](std::string_view member, double sc) {
        double score = s.weight * sc;
        if (std::isnan(score)) score = 0;
        auto [it, inserted] = acc.try_emplace(std::string(member), score);
        if (!inserted) aggregate_into(&it->second, score, agg);
      });
    }
    result.reserve(acc.size());
    for (auto& [member, score] : acc) keep(member, score);
  } else {
    bool same = false;
    for (size_t k = 1; k < src.size(); ++k) same |= src[k].same_object(src[0]);
    if (!same) {
      src[0].for_each([&](std::string_view member, double score) {
        for (size_t k = 1; k < src.size(); ++k) {
          double v;
          if (src[k].find(member, &v)) return;
        }
        keep(member, score);
      });
    }
  }

  if (cardinality_only) {
    ctx.out.integer(static_cast<long long>(cardinality));
    return;
  }
  std::sort(result.begin(), result.end());
  if (!dst.empty()) {
    if (!result.empty()) {
      auto z = build_zset(result, max_len, limits(ctx));
      ctx.db().set_object(dst, std::move(z), store::kPersist, time_context(ctx));
      ctx.events.key_modified(ctx.db_index, dst);
      ctx.out.integer(static_cast<long long>(result.size()));
      notify_zset(ctx,
                  op == SetOp::kUnion   ? "zunionstore"
                  : op == SetOp::kInter ? "zinterstore"
                                        : "zdiffstore",
                  dst);
      ctx.events.key_ready(ctx.db_index, dst);
    } else {
      ctx.out.integer(0);
      if (ctx.db().erase(dst)) {
        ctx.events.key_modified(ctx.db_index, dst);
        ctx.events.notify('g', "del", dst, ctx.db_index);
      }
    }
    return;
  }
  bool resp3 = ctx.out.resp3();
  ctx.out.array(withscores && !resp3 ? result.size() * 2 : result.size());
  for (const auto& [score, member] : result) {
    if (withscores && resp3) ctx.out.array(2);
    ctx.out.bulk(member);
    if (withscores) reply_score(ctx, score);
  }
}

void zunionstore_command(CommandContext& ctx) {
  zset_op_generic(ctx, ctx.arg(1), 2, SetOp::kUnion, false, "zunionstore");
}
void zinterstore_command(CommandContext& ctx) {
  zset_op_generic(ctx, ctx.arg(1), 2, SetOp::kInter, false, "zinterstore");
}
void zdiffstore_command(CommandContext& ctx) {
  zset_op_generic(ctx, ctx.arg(1), 2, SetOp::kDiff, false, "zdiffstore");
}
void zunion_command(CommandContext& ctx) {
  zset_op_generic(ctx, {}, 1, SetOp::kUnion, false, "zunion");
}
void zinter_command(CommandContext& ctx) {
  zset_op_generic(ctx, {}, 1, SetOp::kInter, false, "zinter");
}
void zdiff_command(CommandContext& ctx) {
  zset_op_generic(ctx, {}, 1, SetOp::kDiff, false, "zdiff");
}
void zintercard_command(CommandContext& ctx) {
  zset_op_generic(ctx, {}, 1, SetOp::kInter, true, "zintercard");
}

// ---- pops -----------------------------------------------------------------------------------

enum class Where { kMin, kMax };

// genericZpopCommand. count -1 = single pop. Returns true when it replied (popped, or an
// error); false when no key had elements and nothing was written (only if !reply_when_empty).
bool zpop_generic(CommandContext& ctx, std::span<const std::string_view> keys, Where where,
                  bool emit_key, int64_t count, bool nested, bool nil_when_empty,
                  bool reply_when_empty = true) {
  Entry* e = nullptr;
  std::string_view key;
  for (std::string_view k : keys) {
    e = lookup_write(ctx, k);
    if (e == nullptr) continue;
    if (!check_zset(ctx, e)) return true;
    key = k;
    break;
  }
  if (e == nullptr) {
    if (!reply_when_empty) return false;
    if (nil_when_empty) {
      ctx.out.null_array();
    } else {
      ctx.out.empty_array();
    }
    return true;
  }
  if (count == 0) {
    ctx.out.empty_array();
    return true;
  }
  if (count == -1) count = 1;
  ZsetObject* z = as_zset(e);
  int64_t llen = static_cast<int64_t>(z->size());
  int64_t n = count > llen ? llen : count;
  if (!nested && !emit_key) {
    ctx.out.array(static_cast<size_t>(n * 2));
  } else if (nested && !emit_key) {
    ctx.out.array(static_cast<size_t>(n));
  } else if (!nested && emit_key) {
    ctx.out.array(static_cast<size_t>(n * 2 + 1));
    ctx.out.bulk(key);
  } else {
    ctx.out.array(2);
    ctx.out.bulk(key);
    ctx.out.array(static_cast<size_t>(n));
  }
  std::string member;
  for (int64_t i = 0; i < n; ++i) {
    auto c = where == Where::kMax ? z->last() : z->first();
    member.assign(c.member());
    double score = c.score();
    if (where == Where::kMax) {
      z->remove_last();
    } else {
      z->remove_first();
    }
    if (i == 0) {
      notify_zset(ctx, where == Where::kMax ? "zpopmax" : "zpopmin", key);
      ctx.events.key_modified(ctx.db_index, key);
    }
    if (nested) ctx.out.array(2);
    ctx.out.bulk(member);
    reply_score(ctx, score);
  }
  if (z->size() == 0) {
    std::string k(key);  // the key's bytes may live in the entry being freed
    ctx.db().erase(k);
    ctx.events.notify('g', "del", k, ctx.db_index);
  }
  return true;
}

void zpop_minmax(CommandContext& ctx, Where where) {
  if (ctx.argc() > 3) {
    ctx.out.error(kSyntaxError);
    return;
  }
  int64_t count = -1;
  if (ctx.argc() == 3 &&
      !parse_range_long(ctx, ctx.arg(2), 0, LONG_MAX, &count, kOutOfRangePositive)) {
    return;
  }
  bool nested = ctx.out.resp3() && count != -1;
  zpop_generic(ctx, ctx.argv.subspan(1, 1), where, false, count, nested, false);
}

void zpopmin_command(CommandContext& ctx) {
  zpop_minmax(ctx, Where::kMin);
}
void zpopmax_command(CommandContext& ctx) {
  zpop_minmax(ctx, Where::kMax);
}

// blockingGenericZpopCommand.
void blocking_zpop(CommandContext& ctx, std::span<const std::string_view> keys, Where where,
                   size_t timeout_idx, int64_t count, bool nested, bool nil_when_empty) {
  int64_t deadline;
  if (!parse_block_timeout(ctx, ctx.arg(timeout_idx), TimeoutUnit::kSeconds, &deadline)) return;
  for (std::string_view k : keys) {
    Entry* e = lookup_write(ctx, k);
    if (e == nullptr) continue;
    // A woken client whose key now holds another type keeps waiting, as Redis serves only
    // blocked clients whose key is still a sorted set.
    if (ctx.woken && e->type() != store::ValueType::kZset) continue;
    if (!check_zset(ctx, e)) return;
    if (as_zset(e)->size() == 0) continue;
    zpop_generic(ctx, std::span<const std::string_view>(&k, 1), where, true, count, nested,
                 nil_when_empty);
    return;
  }
  std::vector<std::string> block_keys(keys.begin(), keys.end());
  block_client(ctx, std::move(block_keys), deadline, BlockRequest::TimeoutReply::kNullArray);
}

void bzpopmin_command(CommandContext& ctx) {
  blocking_zpop(ctx, ctx.argv.subspan(1, ctx.argc() - 2), Where::kMin, ctx.argc() - 1, -1, false,
                false);
}
void bzpopmax_command(CommandContext& ctx) {
  blocking_zpop(ctx, ctx.argv.subspan(1, ctx.argc() - 2), Where::kMax, ctx.argc() - 1, -1, false,
                false);
}

// zmpopGenericCommand.
void zmpop_generic(CommandContext& ctx, size_t numkeys_idx, bool blocking) {
  int64_t numkeys;
  if (!parse_range_long(ctx, ctx.arg(numkeys_idx), 1, LONG_MAX, &numkeys, kNumkeysPositive)) {
    return;
  }
  if (numkeys >= static_cast<int64_t>(ctx.argc())) {
    ctx.out.error(kSyntaxError);
    return;
  }
  size_t where_idx = numkeys_idx + static_cast<size_t>(numkeys) + 1;
  if (where_idx >= ctx.argc()) {
    ctx.out.error(kSyntaxError);
    return;
  }
  Where where;
  if (iequals(ctx.arg(where_idx), "min")) {
    where = Where::kMin;
  } else if (iequals(ctx.arg(where_idx), "max")) {
    where = Where::kMax;
  } else {
    ctx.out.error(kSyntaxError);
    return;
  }
  int64_t count = -1;
  for (size_t j = where_idx + 1; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    if (count == -1 && iequals(ctx.arg(j), "count") && more) {
      ++j;
      if (!parse_range_long(ctx, ctx.arg(j), 1, LONG_MAX, &count, kCountPositive)) return;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  if (count == -1) count = 1;
  auto keys = ctx.argv.subspan(numkeys_idx + 1, static_cast<size_t>(numkeys));
  if (blocking) {
    blocking_zpop(ctx, keys, where, 1, count, true, true);
  } else {
    zpop_generic(ctx, keys, where, true, count, true, true);
  }
}

void zmpop_command(CommandContext& ctx) {
  zmpop_generic(ctx, 1, false);
}
void bzmpop_command(CommandContext& ctx) {
  zmpop_generic(ctx, 2, true);
}

// ---- ZRANDMEMBER ----------------------------------------------------------------------------

// splitmix64 from ExecContext::seed.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t below(uint64_t n) {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (z ^ (z >> 31)) % n;
  }

 private:
  uint64_t state_;
};

void zrandmember_with_count(CommandContext& ctx, int64_t l, bool withscores) {
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.empty_array();
    return;
  }
  if (!check_zset(ctx, e)) return;
  const ZsetObject& z = *as_zset(e);
  size_t size = z.size();
  bool uniq = l >= 0;
  uint64_t count = uniq ? static_cast<uint64_t>(l) : static_cast<uint64_t>(-l);
  if (count == 0) {
    ctx.out.empty_array();
    return;
  }
  bool resp3 = ctx.out.resp3();
  Rng rng(ctx.exec.seed);
  // Element access by rank: a listpack is walked once into a table, a skip list is ranked.
  std::vector<std::pair<std::string, double>> table;
  if (z.is_listpack()) {
    table.reserve(size);
    z.for_each([&](std::string_view m, double s) { table.emplace_back(std::string(m), s); });
  }
  auto emit_rank = [&](size_t rank) {
    if (withscores && resp3) ctx.out.array(2);
    if (z.is_listpack()) {
      ctx.out.bulk(table[rank].first);
      if (withscores) reply_score(ctx, table[rank].second);
    } else {
      auto c = z.at_rank(rank);
      ctx.out.bulk(c.member());
      if (withscores) reply_score(ctx, c.score());
    }
  };
  if (!uniq || count == 1) {
    ctx.out.array(withscores && !resp3 ? count * 2 : count);
    while (count-- > 0) emit_rank(rng.below(size));
    return;
  }
  uint64_t n = count < size ? count : size;
  ctx.out.array(withscores && !resp3 ? n * 2 : n);
  if (count >= size) {
    // Redis's zuiNext walks a sorted set from its highest element down.
    for (size_t r = size; r-- > 0;) emit_rank(r);
    return;
  }
  if (count * 3 > size) {
    // Partial Fisher-Yates over the ranks.
    std::vector<size_t> ranks(size);
    for (size_t i = 0; i < size; ++i) ranks[i] = i;
    for (size_t i = 0; i < count; ++i) {
      std::swap(ranks[i], ranks[i + rng.below(size - i)]);
      emit_rank(ranks[i]);
    }
    return;
  }
  std::unordered_set<size_t> picked;
  while (picked.size() < count) {
    size_t r = rng.below(size);
    if (picked.insert(r).second) emit_rank(r);
  }
}

void zrandmember_command(CommandContext& ctx) {
  if (ctx.argc() >= 3) {
    int64_t l;
    if (!parse_range_long(ctx, ctx.arg(2), -LONG_MAX, LONG_MAX, &l, {})) return;
    if (ctx.argc() > 4 || (ctx.argc() == 4 && !iequals(ctx.arg(3), "withscores"))) {
      ctx.out.error(kSyntaxError);
      return;
    }
    bool withscores = ctx.argc() == 4;
    if (withscores && (l < -LONG_MAX / 2 || l > LONG_MAX / 2)) {
      ctx.out.error(kValueOutOfRange);
      return;
    }
    zrandmember_with_count(ctx, l, withscores);
    return;
  }
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.null();
    return;
  }
  if (!check_zset(ctx, e)) return;
  const ZsetObject& z = *as_zset(e);
  Rng rng(ctx.exec.seed);
  ctx.out.bulk(z.at_rank(rng.below(z.size())).member());
}

// ---- ZSCAN ----------------------------------------------------------------------------------

void zscan_command(CommandContext& ctx) {
  uint64_t cursor;
  if (!parse_scan_cursor(ctx, ctx.arg(2), &cursor)) return;  // "" is cursor 0, as in Redis
  Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.array(2);
    ctx.out.bulk("0");
    ctx.out.array(0);
    return;
  }
  if (!check_zset(ctx, e)) return;
  int64_t count = 10;
  std::string_view pattern;
  bool use_pattern = false;
  for (size_t i = 3; i < ctx.argc();) {
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
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  const ZsetObject& z = *as_zset(e);
  std::vector<std::pair<std::string, std::string>> items;
  auto collect = [&](std::string_view m, double s) {
    if (use_pattern && !util::glob_match(pattern, m, false)) return;
    // Redis sends a listpack's stored score text, and "%.17Lg" for a skip list's double.
    items.emplace_back(std::string(m), z.is_listpack() ? util::format_double_shortest(s)
                                                       : util::format_long_double(s, false));
  };
  if (z.is_listpack()) {
    cursor = z.scan(cursor, collect);
  } else {
    int64_t max_iterations = count * 10;
    size_t visited = 0;
    auto counting = [&](std::string_view m, double s) {
      ++visited;
      collect(m, s);
    };
    do {
      cursor = z.scan(cursor, counting);
    } while (cursor != 0 && max_iterations-- > 0 && visited < static_cast<uint64_t>(count));
  }
  ctx.out.array(2);
  char buf[util::kInt64MaxChars];
  ctx.out.bulk(std::string_view(buf, util::format_uint64(cursor, buf)));
  ctx.out.array(items.size() * 2);
  for (const auto& [m, s] : items) {
    ctx.out.bulk(m);
    ctx.out.bulk(s);
  }
}

// ---- key extraction for the numkeys commands ------------------------------------------------

std::vector<int> numkeys_keys(std::span<const std::string_view> argv, size_t numkeys_idx, int dst) {
  std::vector<int> keys;
  if (dst > 0) keys.push_back(dst);
  int64_t n;
  if (numkeys_idx >= argv.size() || !util::parse_int64(argv[numkeys_idx], &n) || n < 1 ||
      n > static_cast<int64_t>(argv.size() - numkeys_idx - 1)) {
    return dst > 0 ? keys : std::vector<int>{};
  }
  for (int64_t i = 0; i < n; ++i) keys.push_back(static_cast<int>(numkeys_idx + 1 + i));
  return keys;
}

std::vector<int> keys_numkeys_at_1(std::span<const std::string_view> argv) {
  return numkeys_keys(argv, 1, 0);
}
std::vector<int> keys_numkeys_at_2(std::span<const std::string_view> argv) {
  return numkeys_keys(argv, 2, 0);
}
std::vector<int> keys_store_numkeys_at_2(std::span<const std::string_view> argv) {
  return numkeys_keys(argv, 2, 1);
}

}  // namespace

void register_sorted_set_commands(CommandTable& table) {
  const uint64_t kZ = kAclSortedSet;
  const CommandGroup g = CommandGroup::kSortedSet;
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, int step, Handler h, std::string_view summary, std::string_view since,
                 std::vector<int> (*get_keys)(std::span<const std::string_view>) = nullptr) {
    CommandSpec spec = make_spec(name, arity, flags, acl, first, last, step, g, h, summary, since);
    spec.get_keys = get_keys;
    if (get_keys != nullptr) spec.flags |= kMovableKeys;
    table.add(std::move(spec));
  };
  const uint64_t kRead = kZ | kAclRead;
  const uint64_t kWr = kZ | kAclWrite;
  add("zadd", -4, kWrite | kDenyOom | kFast, kWr | kAclFast, 1, 1, 1, zadd_command,
      "Add one or more members to a sorted set, or update its score if it already exists", "1.2.0");
  add("zincrby", 4, kWrite | kDenyOom | kFast, kWr | kAclFast, 1, 1, 1, zincrby_command,
      "Increment the score of a member in a sorted set", "1.2.0");
  add("zrem", -3, kWrite | kFast, kWr | kAclFast, 1, 1, 1, zrem_command,
      "Remove one or more members from a sorted set", "1.2.0");
  add("zremrangebyrank", 4, kWrite, kWr | kAclSlow, 1, 1, 1, zremrangebyrank_command,
      "Remove all members in a sorted set within the given indexes", "2.0.0");
  add("zremrangebyscore", 4, kWrite, kWr | kAclSlow, 1, 1, 1, zremrangebyscore_command,
      "Remove all members in a sorted set within the given scores", "1.2.0");
  add("zremrangebylex", 4, kWrite, kWr | kAclSlow, 1, 1, 1, zremrangebylex_command,
      "Remove all members in a sorted set between the given lexicographical range", "2.8.9");
  add("zcard", 2, kReadonly | kFast, kRead | kAclFast, 1, 1, 1, zcard_command,
      "Get the number of members in a sorted set", "1.2.0");
  add("zcount", 4, kReadonly | kFast, kRead | kAclFast, 1, 1, 1, zcount_command,
      "Count the members in a sorted set with scores within the given values", "2.0.0");
  add("zlexcount", 4, kReadonly | kFast, kRead | kAclFast, 1, 1, 1, zlexcount_command,
      "Count the number of members in a sorted set between a given lexicographical range", "2.8.9");
  add("zscore", 3, kReadonly | kFast, kRead | kAclFast, 1, 1, 1, zscore_command,
      "Get the score associated with the given member in a sorted set", "1.2.0");
  add("zmscore", -3, kReadonly | kFast, kRead | kAclFast, 1, 1, 1, zmscore_command,
      "Get the score associated with the given members in a sorted set", "6.2.0");
  add("zrank", 3, kReadonly | kFast, kRead | kAclFast, 1, 1, 1, zrank_command,
      "Determine the index of a member in a sorted set", "2.0.0");
  add("zrevrank", 3, kReadonly | kFast, kRead | kAclFast, 1, 1, 1, zrevrank_command,
      "Determine the index of a member in a sorted set, with scores ordered from high to low",
      "2.0.0");
  add("zrange", -4, kReadonly, kRead | kAclSlow, 1, 1, 1, zrange_command,
      "Return a range of members in a sorted set", "1.2.0");
  add("zrangestore", -5, kWrite | kDenyOom, kWr | kAclSlow, 1, 2, 1, zrangestore_command,
      "Store a range of members from sorted set into another key", "6.2.0");
  add("zrevrange", -4, kReadonly, kRead | kAclSlow, 1, 1, 1, zrevrange_command,
      "Return a range of members in a sorted set, by index, with scores ordered from high to "
      "low",
      "1.2.0");
  add("zrangebyscore", -4, kReadonly, kRead | kAclSlow, 1, 1, 1, zrangebyscore_command,
      "Return a range of members in a sorted set, by score", "1.0.5");
  add("zrevrangebyscore", -4, kReadonly, kRead | kAclSlow, 1, 1, 1, zrevrangebyscore_command,
      "Return a range of members in a sorted set, by score, with scores ordered from high to "
      "low",
      "2.2.0");
  add("zrangebylex", -4, kReadonly, kRead | kAclSlow, 1, 1, 1, zrangebylex_command,
      "Return a range of members in a sorted set, by lexicographical range", "2.8.9");
  add("zrevrangebylex", -4, kReadonly, kRead | kAclSlow, 1, 1, 1, zrevrangebylex_command,
      "Return a range of members in a sorted set, by lexicographical range, ordered from higher "
      "to lower strings.",
      "2.8.9");
  add("zunionstore", -4, kWrite | kDenyOom, kWr | kAclSlow, 1, 1, 1, zunionstore_command,
      "Add multiple sorted sets and store the resulting sorted set in a new key", "2.0.0",
      keys_store_numkeys_at_2);
  add("zinterstore", -4, kWrite | kDenyOom, kWr | kAclSlow, 1, 1, 1, zinterstore_command,
      "Intersect multiple sorted sets and store the resulting sorted set in a new key", "2.0.0",
      keys_store_numkeys_at_2);
  add("zdiffstore", -4, kWrite | kDenyOom, kWr | kAclSlow, 1, 1, 1, zdiffstore_command,
      "Subtract multiple sorted sets and store the resulting sorted set in a new key", "6.2.0",
      keys_store_numkeys_at_2);
  add("zunion", -3, kReadonly, kRead | kAclSlow, 0, 0, 0, zunion_command,
      "Add multiple sorted sets", "6.2.0", keys_numkeys_at_1);
  add("zinter", -3, kReadonly, kRead | kAclSlow, 0, 0, 0, zinter_command,
      "Intersect multiple sorted sets", "6.2.0", keys_numkeys_at_1);
  add("zdiff", -3, kReadonly, kRead | kAclSlow, 0, 0, 0, zdiff_command,
      "Subtract multiple sorted sets", "6.2.0", keys_numkeys_at_1);
  add("zintercard", -3, kReadonly, kRead | kAclSlow, 0, 0, 0, zintercard_command,
      "Intersect multiple sorted sets and return the cardinality of the result", "7.0.0",
      keys_numkeys_at_1);
  add("zpopmin", -2, kWrite | kFast, kWr | kAclFast, 1, 1, 1, zpopmin_command,
      "Remove and return members with the lowest scores in a sorted set", "5.0.0");
  add("zpopmax", -2, kWrite | kFast, kWr | kAclFast, 1, 1, 1, zpopmax_command,
      "Remove and return members with the highest scores in a sorted set", "5.0.0");
  add("zmpop", -4, kWrite, kWr | kAclSlow, 0, 0, 0, zmpop_command,
      "Remove and return members with scores in a sorted set", "7.0.0", keys_numkeys_at_1);
  add("bzpopmin", -3, kWrite | kNoscript | kFast | kBlocking, kWr | kAclFast | kAclBlocking, 1, -2,
      1, bzpopmin_command,
      "Remove and return the member with the lowest score from one or more sorted sets, or block "
      "until one is available",
      "5.0.0");
  add("bzpopmax", -3, kWrite | kNoscript | kFast | kBlocking, kWr | kAclFast | kAclBlocking, 1, -2,
      1, bzpopmax_command,
      "Remove and return the member with the highest score from one or more sorted sets, or "
      "block until one is available",
      "5.0.0");
  add("bzmpop", -5, kWrite | kBlocking, kWr | kAclSlow | kAclBlocking, 0, 0, 0, bzmpop_command,
      "Remove and return members with scores in a sorted set or block until one is available",
      "7.0.0", keys_numkeys_at_2);
  add("zrandmember", -2, kReadonly, kRead | kAclSlow, 1, 1, 1, zrandmember_command,
      "Get one or multiple random elements from a sorted set", "6.2.0");
  add("zscan", -3, kReadonly, kRead | kAclSlow, 1, 1, 1, zscan_command,
      "Incrementally iterate sorted sets elements and associated scores", "2.8.0");
}

}  // namespace zakros::commands
