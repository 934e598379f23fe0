// HyperLogLog commands (Redis's hyperloglog.c): PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST.
// Values are plain strings in Redis's HLL byte format (store/hyperloglog.h); writes make the
// string "raw" and edit it in place, as Redis's dbUnshareStringValue does.
//
// PFCOUNT of one key refreshes the cardinality cache inside the value (a write, as in Redis,
// which signals the key as modified but sends no notification). PFMERGE notifies 'pfadd'.
#include <cmath>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "store/hyperloglog.h"

namespace zakros::commands {

namespace {

using store::Entry;
namespace hll = store::hll;

constexpr std::string_view kNotHll = "WRONGTYPE Key is not a valid HyperLogLog string value.";
constexpr std::string_view kCorruptedHll = "INVALIDOBJ Corrupted HLL object detected";

// isHLLObjectOrReply: false after WRONGTYPE (not a string, or not an HLL).
bool check_hll(CommandContext& ctx, const Entry* e) {
  if (!check_string(ctx, e)) return false;
  if (e->is_int() || !hll::is_valid(e->string_value(nullptr))) {
    ctx.out.error(kNotHll);
    return false;
  }
  return true;
}

// The value of an HLL key, viewed without copying ("int" values never pass check_hll).
std::string_view hll_view(const Entry* e) {
  return e->string_value(nullptr);
}

void pfadd_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_write(ctx, key);
  store::Database& db = ctx.db();
  std::string* value;
  int updated = 0;
  if (e == nullptr) {
    e = db.set_raw(key, hll::create(), store::kPersist, time_context(ctx));
    value = e->raw_string();
    ++updated;
  } else {
    if (!check_hll(ctx, e)) return;
    value = db.make_raw(e);
  }
  for (size_t j = 2; j < ctx.argc(); ++j) {
    int r = hll::add(*value, ctx.arg(j));
    if (r == 1) {
      ++updated;
    } else if (r < 0) {
      ctx.out.error(kCorruptedHll);
      return;
    }
  }
  if (updated) {
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('$', "pfadd", key, ctx.db_index);
    hll::invalidate_cache(*value);
  }
  ctx.out.integer(updated ? 1 : 0);
}

void pfcount_command(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    // The cardinality of the union: merge every register into plain bytes first.
    std::vector<uint8_t> max(hll::kRegisters, 0);
    for (size_t j = 1; j < ctx.argc(); ++j) {
      Entry* e = lookup_read(ctx, ctx.arg(j));
      if (e == nullptr) continue;
      if (!check_hll(ctx, e)) return;
      if (!hll::merge_into(max.data(), hll_view(e))) {
        ctx.out.error(kCorruptedHll);
        return;
      }
    }
    ctx.out.integer(static_cast<long long>(hll::count_registers(max.data())));
    return;
  }
  std::string_view key = ctx.arg(1);
  Entry* e = lookup_read(ctx, key);
  if (e == nullptr) {
    ctx.out.integer(0);
    return;
  }
  if (!check_hll(ctx, e)) return;
  std::string_view view = hll_view(e);
  uint64_t card;
  if (hll::cache_valid(view)) {
    card = hll::cached_count(view);
  } else {
    bool invalid = false;
    card = hll::count(view, &invalid);
    if (invalid) {
      ctx.out.error(kCorruptedHll);
      return;
    }
    // A read outside the Raft log leaves the cache stale: only the log may change a value.
    if (ctx.exec.may_modify) {
      hll::set_cache(*ctx.db().make_raw(e), card);
      ctx.events.key_modified(ctx.db_index, key);
    }
  }
  ctx.out.integer(static_cast<long long>(card));
}

// CommandSpec::writes_now of PFCOUNT: one key holding an HLL whose cached cardinality is stale.
bool pfcount_refreshes_cache(store::Database& db, std::span<const std::string_view> argv) {
  if (argv.size() != 2) return false;
  const Entry* e = db.find_raw(argv[1]);
  if (e == nullptr || !e->is_string() || e->is_int()) return false;
  std::string_view value = hll_view(e);
  return hll::is_valid(value) && !hll::cache_valid(value);
}

void pfmerge_command(CommandContext& ctx) {
  std::vector<uint8_t> max(hll::kRegisters, 0);
  bool use_dense = false;
  for (size_t j = 1; j < ctx.argc(); ++j) {
    Entry* e = lookup_read(ctx, ctx.arg(j));
    if (e == nullptr) continue;
    if (!check_hll(ctx, e)) return;
    if (hll::encoding(hll_view(e)) == hll::kDense) use_dense = true;
    if (!hll::merge_into(max.data(), hll_view(e))) {
      ctx.out.error(kCorruptedHll);
      return;
    }
  }
  std::string_view key = ctx.arg(1);
  store::Database& db = ctx.db();
  Entry* e = lookup_write(ctx, key);
  std::string* value;
  if (e == nullptr) {
    e = db.set_raw(key, hll::create(), store::kPersist, time_context(ctx));
    value = e->raw_string();
  } else {
    value = db.make_raw(e);  // checked above: the destination is also the first source
  }
  if (use_dense && !hll::to_dense(*value)) {
    ctx.out.error(kCorruptedHll);
    return;
  }
  for (long j = 0; j < hll::kRegisters; ++j) {
    if (max[static_cast<size_t>(j)] != 0) {
      (void)hll::set_register(*value, j, max[static_cast<size_t>(j)]);
    }
  }
  hll::invalidate_cache(*value);
  ctx.events.key_modified(ctx.db_index, key);
  // Redis sends 'pfadd' for PFMERGE too: it is a mass add.
  ctx.events.notify('$', "pfadd", key, ctx.db_index);
  ctx.out.ok();
}

void pfdebug_command(CommandContext& ctx) {
  std::string_view sub = ctx.arg(1);
  Entry* e = lookup_write(ctx, ctx.arg(2));
  if (e == nullptr) {
    ctx.out.error("ERR The specified key does not exist");
    return;
  }
  if (!check_hll(ctx, e)) return;
  std::string* value = ctx.db().make_raw(e);
  if (iequals(sub, "getreg")) {
    if (hll::encoding(*value) == hll::kSparse && !hll::to_dense(*value)) {
      ctx.out.error(kCorruptedHll);
      return;
    }
    auto regs = reinterpret_cast<const uint8_t*>(value->data()) + hll::kHeaderSize;
    ctx.out.array(hll::kRegisters);
    for (long j = 0; j < hll::kRegisters; ++j) ctx.out.integer(hll::dense_get(regs, j));
  } else if (iequals(sub, "decode")) {
    if (hll::encoding(*value) != hll::kSparse) {
      ctx.out.error("ERR HLL encoding is not sparse");
      return;
    }
    ctx.out.bulk(hll::decode_sparse(*value));
  } else if (iequals(sub, "encoding")) {
    ctx.out.simple(hll::encoding(*value) == hll::kDense ? "dense" : "sparse");
  } else if (iequals(sub, "todense")) {
    bool converted = false;
    if (hll::encoding(*value) == hll::kSparse) {
      if (!hll::to_dense(*value)) {
        ctx.out.error(kCorruptedHll);
        return;
      }
      converted = true;
    }
    ctx.out.integer(converted ? 1 : 0);
  } else {
    ctx.out.error("ERR Unknown PFDEBUG subcommand '" + std::string(sub) + "'");
  }
}

// splitmix64: PFSELFTEST's randomness comes from the execution context's seed.
uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// PFSELFTEST: the register accessors keep values and neighbours intact, and dense and sparse
// counts agree and stay within 6 standard errors up to 10 million elements (Redis's checks).
void pfselftest_command(CommandContext& ctx) {
  uint64_t rng = ctx.exec.seed;
  std::string dense(hll::kDenseSize, '\0');
  auto regs = reinterpret_cast<uint8_t*>(dense.data()) + hll::kHeaderSize;
  std::vector<uint8_t> expected(hll::kRegisters);
  for (int cycle = 0; cycle < 1000; ++cycle) {
    for (long i = 0; i < hll::kRegisters; ++i) {
      uint8_t r = static_cast<uint8_t>(next_random(rng) & hll::kRegisterMax);
      expected[static_cast<size_t>(i)] = r;
      hll::dense_set(regs, i, r);
    }
    for (long i = 0; i < hll::kRegisters; ++i) {
      uint8_t v = hll::dense_get(regs, i);
      if (v != expected[static_cast<size_t>(i)]) {
        ctx.out.error("TESTFAILED Register " + std::to_string(i) + " should be " +
                      std::to_string(expected[static_cast<size_t>(i)]) + " but is " +
                      std::to_string(v));
        return;
      }
    }
  }
  dense = hll::create();
  if (!hll::to_dense(dense)) return;  // cannot fail: a fresh value
  std::string sparse = hll::create();
  double relerr = 1.04 / std::sqrt(static_cast<double>(hll::kRegisters));
  int64_t checkpoint = 1;
  uint64_t seed = next_random(rng);
  for (uint64_t j = 1; j <= 10000000; ++j) {
    uint64_t ele = j ^ seed;
    std::string_view bytes(reinterpret_cast<const char*>(&ele), sizeof(ele));
    hll::add(dense, bytes);
    hll::add(sparse, bytes);
    if (static_cast<int64_t>(j) != checkpoint) continue;
    if (static_cast<int64_t>(j) < hll::g_sparse_max_bytes / 2 &&
        hll::encoding(sparse) != hll::kSparse) {
      ctx.out.error("TESTFAILED sparse encoding not used");
      return;
    }
    uint64_t dense_count = hll::count(dense, nullptr);
    if (dense_count != hll::count(sparse, nullptr)) {
      ctx.out.error("TESTFAILED dense/sparse disagree");
      return;
    }
    int64_t abserr = checkpoint - static_cast<int64_t>(dense_count);
    uint64_t maxerr =
        static_cast<uint64_t>(std::ceil(relerr * 6 * static_cast<double>(checkpoint)));
    if (j == 10) maxerr = 1;  // small cardinalities collide now and then (Redis's exception)
    if (abserr < 0) abserr = -abserr;
    if (abserr > static_cast<int64_t>(maxerr)) {
      ctx.out.error("TESTFAILED Too big error. card:" + std::to_string(checkpoint) +
                    " abserr:" + std::to_string(abserr));
      return;
    }
    checkpoint *= 10;
  }
  ctx.out.ok();
}

constexpr uint64_t kHllRead = kAclRead | kAclHyperLogLog;
constexpr uint64_t kHllWrite = kAclWrite | kAclHyperLogLog;

}  // namespace

void register_hyperloglog_commands(CommandTable& table) {
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, int step, Handler handler, std::string_view summary,
                 std::string_view since) {
    table.add(make_spec(name, arity, flags, acl, first, last, step, CommandGroup::kHyperLogLog,
                        handler, summary, since));
  };
  add("pfadd", -2, kWrite | kDenyOom | kFast, kHllWrite | kAclFast, 1, 1, 1, pfadd_command,
      "Adds the specified elements to the specified HyperLogLog.", "2.8.9");
  CommandSpec pfcount =
      make_spec("pfcount", -2, kReadonly | kMayReplicate, kHllRead | kAclSlow, 1, -1, 1,
                CommandGroup::kHyperLogLog, pfcount_command,
                "Return the approximated cardinality of the set(s) observed by the HyperLogLog "
                "at key(s).",
                "2.8.9");
  pfcount.writes_now = pfcount_refreshes_cache;
  table.add(std::move(pfcount));
  add("pfmerge", -2, kWrite | kDenyOom, kHllWrite | kAclSlow, 1, -1, 1, pfmerge_command,
      "Merge N different HyperLogLogs into a single one.", "2.8.9");
  add("pfdebug", 3, kWrite | kDenyOom | kAdmin, kHllWrite | kAclSlow, 2, 2, 1, pfdebug_command,
      "Internal commands for debugging HyperLogLog values", "2.8.9");
  add("pfselftest", 1, kAdmin, kAclHyperLogLog | kAclSlow, 0, 0, 0, pfselftest_command,
      "An internal command for testing HyperLogLog values", "2.8.9");
}

}  // namespace zakros::commands
