// DUMP and RESTORE (Redis's cluster.c dumpCommand / restoreCommand), on the store's RDB
// serialisation (store/rdb.h): a payload from real Redis 7.0 restores here and ours restores
// there. RESTORE-ASKING is the same command for cluster migrations.
//
// RESTORE's checks come in Redis's order (options, BUSYKEY, TTL, payload version/CRC, payload
// content), so each bad input gets the same error as from Redis. A relative TTL becomes absolute
// from ExecContext::now_ms; IDLETIME/FREQ set the LRU/LFU stamp from the same clock.
#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "store/rdb.h"

namespace zakros::commands {

namespace {

constexpr std::string_view kBusyKey = "BUSYKEY Target key name already exists.";
constexpr std::string_view kBadTtl = "ERR Invalid TTL value, must be >= 0";
constexpr std::string_view kBadIdletime = "ERR Invalid IDLETIME value, must be >= 0";
constexpr std::string_view kBadFreq = "ERR Invalid FREQ value, must be >= 0 and <= 255";
constexpr std::string_view kBadPayload = "ERR DUMP payload version or checksum are wrong";
constexpr std::string_view kBadFormat = "ERR Bad data format";

void dump_command(CommandContext& ctx) {
  store::Entry* e = lookup_read(ctx, ctx.arg(1));
  if (e == nullptr) {
    ctx.out.null();
    return;
  }
  ctx.out.bulk(store::rdb::dump_payload(*e));
}

void restore_command(CommandContext& ctx) {
  bool replace = false;
  bool absttl = false;
  int64_t lru_idle = -1;
  int64_t lfu_freq = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    size_t additional = ctx.argc() - j - 1;
    std::string_view opt = ctx.arg(j);
    if (iequals(opt, "replace")) {
      replace = true;
    } else if (iequals(opt, "absttl")) {
      absttl = true;
    } else if (iequals(opt, "idletime") && additional >= 1 && lfu_freq == -1) {
      if (!parse_int_arg(ctx, ctx.arg(j + 1), &lru_idle)) return;
      if (lru_idle < 0) {
        ctx.out.error(kBadIdletime);
        return;
      }
      ++j;
    } else if (iequals(opt, "freq") && additional >= 1 && lru_idle == -1) {
      if (!parse_int_arg(ctx, ctx.arg(j + 1), &lfu_freq)) return;
      if (lfu_freq < 0 || lfu_freq > 255) {
        ctx.out.error(kBadFreq);
        return;
      }
      ++j;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }

  std::string_view key = ctx.arg(1);
  if (!replace && lookup_write(ctx, key) != nullptr) {
    ctx.out.error(kBusyKey);
    return;
  }
  int64_t ttl;
  if (!parse_int_arg(ctx, ctx.arg(2), &ttl)) return;
  if (ttl < 0) {
    ctx.out.error(kBadTtl);
    return;
  }

  store::rdb::LoadedValue value;
  switch (store::rdb::restore_payload(ctx.arg(3), ctx.keyspace.limits(), &value)) {
    case store::rdb::PayloadStatus::kOk:
      break;
    case store::rdb::PayloadStatus::kVersionOrChecksum:
      ctx.out.error(kBadPayload);
      return;
    case store::rdb::PayloadStatus::kBadFormat:
      ctx.out.error(kBadFormat);
      return;
  }

  store::Database& db = ctx.db();
  bool deleted = replace && db.erase(key);
  if (ttl != 0 && !absttl) ttl += ctx.exec.now_ms;
  if (ttl != 0 && ttl <= ctx.exec.now_ms && ctx.exec.may_delete_expired) {
    // Already expired: nothing is created; a replaced key is simply gone.
    if (deleted) {
      ctx.events.key_modified(ctx.db_index, key);
      ctx.events.notify('g', "del", key, ctx.db_index);
    }
    ctx.out.ok();
    return;
  }

  store::Entry* e = store::rdb::store_value(db, key, std::move(value),
                                            ttl != 0 ? ttl : store::kPersist, time_context(ctx));
  // objectSetLRUOrLFU: FREQ only under an LFU policy, IDLETIME only under LRU.
  if (ctx.keyspace.lfu()) {
    if (lfu_freq >= 0) {
      uint32_t minutes = static_cast<uint32_t>(ctx.exec.now_ms / 60000) & 0xffff;
      e->set_lru((minutes << 8) | static_cast<uint32_t>(lfu_freq));
    }
  } else if (lru_idle >= 0) {
    constexpr int64_t kClockMax = store::Keyspace::kLruClockMax;
    int64_t clock = (ctx.exec.now_ms / 1000) & kClockMax;
    int64_t abs = clock - lru_idle;
    if (abs < 0) abs += kClockMax;
    e->set_lru(static_cast<uint32_t>(abs));
  }
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('g', "restore", key, ctx.db_index);
  ctx.out.ok();
}

}  // namespace

void register_dump_commands(CommandTable& table) {
  constexpr uint64_t kRead = kAclKeyspace | kAclRead | kAclSlow;
  constexpr uint64_t kWriteAcl = kAclKeyspace | kAclWrite | kAclSlow | kAclDangerous;
  table.add(make_spec("dump", 2, kReadonly, kRead, 1, 1, 1, CommandGroup::kGeneric, dump_command,
                      "Return a serialized version of the value stored at the specified key.",
                      "2.6.0"));
  table.add(make_spec(
      "restore", -4, kWrite | kDenyOom, kWriteAcl, 1, 1, 1, CommandGroup::kGeneric, restore_command,
      "Create a key using the provided serialized value, previously obtained using DUMP.",
      "2.6.0"));
  table.add(make_spec("restore-asking", -4, kWrite | kDenyOom | kAsking, kWriteAcl, 1, 1, 1,
                      CommandGroup::kGeneric, restore_command,
                      "An internal command for migrating keys in a cluster", "3.0.0"));
}

}  // namespace zakros::commands
