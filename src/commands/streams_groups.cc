// Consumer-group commands (XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) and XINFO, from Redis
// 7.0's t_stream.c. See streams.cc for the rest of the group and the shared helpers.
#include <climits>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "commands/streams_internal.h"
#include "store/stream.h"
#include "util/numbers.h"

namespace zakros::commands::streams {
namespace {

using store::StreamConsumer;
using store::StreamGroup;
using store::StreamID;
using store::StreamNack;
using store::StreamObject;

std::string nogroup_key_group(std::string_view key, std::string_view group) {
  return "NOGROUP No such key '" + std::string(key) + "' or consumer group '" + std::string(group) +
         "'";
}

// ---- XGROUP -----------------------------------------------------------------------------------

void xgroup_command(CommandContext& ctx) {
  std::string_view opt = ctx.arg(1);
  StreamObject* s = nullptr;
  StreamGroup* cg = nullptr;
  bool mkstream = false;
  int64_t entries_read = StreamGroup::kInvalidEntriesRead;
  std::string_view grpname;
  const size_t argc = ctx.argc();
  if (argc >= 4) {
    bool create = iequals(opt, "create");
    bool setid = iequals(opt, "setid");
    for (size_t i = 5; i < argc;) {
      if (create && iequals(ctx.arg(i), "mkstream")) {
        mkstream = true;
        ++i;
      } else if ((create || setid) && iequals(ctx.arg(i), "entriesread") && i + 1 < argc) {
        if (!parse_int_arg(ctx, ctx.arg(i + 1), &entries_read)) return;
        if (entries_read < 0 && entries_read != StreamGroup::kInvalidEntriesRead) {
          ctx.out.error("ERR value for ENTRIESREAD must be positive or -1");
          return;
        }
        i += 2;
      } else {
        reply_subcommand_syntax_error(ctx);
        return;
      }
    }
    bool wrongtype;
    s = lookup_write_stream(ctx, ctx.arg(2), &wrongtype);
    if (wrongtype) return;
    grpname = ctx.arg(3);
  }
  std::string_view key = argc >= 3 ? ctx.arg(2) : std::string_view();
  if (argc >= 4 && !mkstream) {
    if (s == nullptr) {
      ctx.out.error(
          "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
          "want to use the MKSTREAM option to create an empty stream automatically.");
      return;
    }
    cg = s->find_group(grpname);
    if (cg == nullptr &&
        (iequals(opt, "setid") || iequals(opt, "createconsumer") || iequals(opt, "delconsumer"))) {
      ctx.out.error("NOGROUP No such consumer group '" + std::string(grpname) + "' for key name '" +
                    std::string(key) + "'");
      return;
    }
  }

  if (argc == 2 && iequals(opt, "help")) {
    reply_help(
        ctx, "xgroup",
        {"CREATE <key> <groupname> <id|$> [option]",
         "    Create a new consumer group. Options are:", "    * MKSTREAM",
         "      Create the empty stream if it does not exist.", "    * ENTRIESREAD entries_read",
         "      Set the group's entries_read counter (internal use).",
         "CREATECONSUMER <key> <groupname> <consumer>",
         "    Create a new consumer in the specified group.",
         "DELCONSUMER <key> <groupname> <consumer>", "    Remove the specified consumer.",
         "DESTROY <key> <groupname>", "    Remove the specified group.",
         "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
         "    Set the current group ID and entries_read counter."});
  } else if (iequals(opt, "create") && argc >= 5 && argc <= 8) {
    StreamID id;
    if (ctx.arg(4) == "$") {
      id = s != nullptr ? s->last_id() : StreamID::min();
    } else if (!parse_id(ctx, ctx.arg(4), 0, true, &id)) {
      return;
    }
    if (s == nullptr) {
      store::Entry* e = ctx.db().set_object(key, std::make_unique<StreamObject>(), store::kPersist,
                                            time_context(ctx));
      s = static_cast<StreamObject*>(e->object());
      ctx.events.key_modified(ctx.db_index, key);
    }
    if (s->create_group(grpname, id, entries_read) != nullptr) {
      ctx.out.ok();
      ctx.events.notify('t', "xgroup-create", key, ctx.db_index);
    } else {
      ctx.out.error("BUSYGROUP Consumer Group name already exists");
    }
  } else if (iequals(opt, "setid") && (argc == 5 || argc == 7)) {
    StreamID id;
    if (ctx.arg(4) == "$") {
      id = s->last_id();
    } else if (!parse_id(ctx, ctx.arg(4), 0, false, &id)) {
      return;
    }
    cg->last_id = id;
    cg->entries_read = entries_read;
    ctx.out.ok();
    ctx.events.notify('t', "xgroup-setid", key, ctx.db_index);
  } else if (iequals(opt, "destroy") && argc == 4) {
    if (cg != nullptr) {
      s->destroy_group(grpname);
      ctx.out.integer(1);
      ctx.events.notify('t', "xgroup-destroy", key, ctx.db_index);
      ctx.events.key_ready(ctx.db_index, key);
    } else {
      ctx.out.integer(0);
    }
  } else if (iequals(opt, "createconsumer") && argc == 5) {
    StreamConsumer* created = create_consumer(ctx, *cg, ctx.arg(4), key);
    ctx.out.integer(created != nullptr ? 1 : 0);
  } else if (iequals(opt, "delconsumer") && argc == 5) {
    long long pending = 0;
    StreamConsumer* consumer = lookup_consumer(ctx, *cg, ctx.arg(4), false);
    if (consumer != nullptr) {
      pending = static_cast<long long>(cg->delete_consumer(consumer));
      ctx.events.notify('t', "xgroup-delconsumer", key, ctx.db_index);
    }
    ctx.out.integer(pending);
  } else {
    reply_subcommand_syntax_error(ctx);
  }
}

// ---- XACK -------------------------------------------------------------------------------------

void xack_command(CommandContext& ctx) {
  bool wrongtype;
  StreamObject* s = lookup_read_stream(ctx, ctx.arg(1), &wrongtype);
  if (wrongtype) return;
  StreamGroup* group = s != nullptr ? s->find_group(ctx.arg(2)) : nullptr;
  if (group == nullptr) {
    ctx.out.integer(0);
    return;
  }
  std::vector<StreamID> ids(ctx.argc() - 3);
  for (size_t j = 3; j < ctx.argc(); ++j) {
    if (!parse_id(ctx, ctx.arg(j), 0, true, &ids[j - 3])) return;
  }
  long long acknowledged = 0;
  for (const StreamID& id : ids) acknowledged += group->ack(id) ? 1 : 0;
  ctx.out.integer(acknowledged);
}

// ---- XPENDING ---------------------------------------------------------------------------------

void xpending_command(CommandContext& ctx) {
  const size_t argc = ctx.argc();
  bool justinfo = argc == 3;
  std::string_view key = ctx.arg(1), groupname = ctx.arg(2);
  std::string_view consumername;
  bool have_consumer = false;
  StreamID startid, endid;
  int64_t count = 0, minidle = 0;
  if (argc != 3 && (argc < 6 || argc > 9)) {
    ctx.out.error(kSyntaxError);
    return;
  }
  if (argc >= 6) {
    size_t startidx = 3;
    if (iequals(ctx.arg(3), "idle")) {
      if (!parse_int_arg(ctx, ctx.arg(4), &minidle)) return;
      if (argc < 8) {
        ctx.out.error(kSyntaxError);
        return;
      }
      startidx += 2;
    }
    if (!parse_int_arg(ctx, ctx.arg(startidx + 2), &count)) return;
    if (count < 0) count = 0;
    bool startex, endex;
    if (!parse_interval_id(ctx, ctx.arg(startidx), 0, &startid, &startex)) return;
    if (startex && !startid.increment()) {
      ctx.out.error("ERR invalid start ID for the interval");
      return;
    }
    if (!parse_interval_id(ctx, ctx.arg(startidx + 1), UINT64_MAX, &endid, &endex)) return;
    if (endex && !endid.decrement()) {
      ctx.out.error("ERR invalid end ID for the interval");
      return;
    }
    if (startidx + 3 < argc) {
      consumername = ctx.arg(startidx + 3);
      have_consumer = true;
    }
  }
  bool wrongtype;
  StreamObject* s = lookup_read_stream(ctx, key, &wrongtype);
  if (wrongtype) return;
  StreamGroup* group = s != nullptr ? s->find_group(groupname) : nullptr;
  if (group == nullptr) {
    ctx.out.error(nogroup_key_group(key, groupname));
    return;
  }
  if (justinfo) {
    ctx.out.array(4);
    ctx.out.integer(static_cast<long long>(group->pel.size()));
    if (group->pel.empty()) {
      ctx.out.null();
      ctx.out.null();
      ctx.out.null_array();
      return;
    }
    reply_id(ctx, group->pel.begin()->first);
    reply_id(ctx, group->pel.rbegin()->first);
    size_t n = 0;
    for (const auto& [name, c] : group->consumers) n += c->pel.empty() ? 0 : 1;
    ctx.out.array(n);
    for (const auto& [name, c] : group->consumers) {
      if (c->pel.empty()) continue;
      ctx.out.array(2);
      ctx.out.bulk(name);
      ctx.out.bulk_integer(static_cast<long long>(c->pel.size()));
    }
    return;
  }
  StreamConsumer* consumer = nullptr;
  if (have_consumer) {
    consumer = lookup_consumer(ctx, *group, consumername, false);
    if (consumer == nullptr) {
      ctx.out.empty_array();
      return;
    }
  }
  const int64_t now = ctx.exec.now_ms;
  size_t token = ctx.out.begin_deferred();
  size_t n = 0;
  auto emit = [&](const StreamID& id, const StreamNack& nack) {
    if (minidle && now - nack.delivery_time < minidle) return;
    ++n;
    --count;
    ctx.out.array(4);
    reply_id(ctx, id);
    ctx.out.bulk(nack.consumer->name);
    int64_t elapsed = now - nack.delivery_time;
    ctx.out.integer(elapsed < 0 ? 0 : elapsed);
    ctx.out.integer(static_cast<long long>(nack.delivery_count));
  };
  if (consumer != nullptr) {
    for (auto it = consumer->pel.lower_bound(startid);
         count && it != consumer->pel.end() && it->first <= endid; ++it) {
      emit(it->first, *it->second);
    }
  } else {
    for (auto it = group->pel.lower_bound(startid);
         count && it != group->pel.end() && it->first <= endid; ++it) {
      emit(it->first, it->second);
    }
  }
  ctx.out.end_deferred_array(token, n);
}

// ---- XCLAIM / XAUTOCLAIM ----------------------------------------------------------------------

// Moves a pending entry to `consumer` (creating it on first use).
void claim_nack(CommandContext& ctx, StreamGroup& group, StreamConsumer*& consumer,
                std::string_view name, std::string_view key, const StreamID& id, StreamNack& nack) {
  if (consumer == nullptr) {
    consumer = lookup_consumer(ctx, group, name, true);
    if (consumer == nullptr) consumer = create_consumer(ctx, group, name, key);
  }
  if (nack.consumer != consumer) {
    if (nack.consumer != nullptr) nack.consumer->pel.erase(id);
    consumer->pel[id] = &nack;
    nack.consumer = consumer;
  }
}

void reply_entry(CommandContext& ctx, StreamObject& s, const StreamID& id) {
  reply_range(ctx, s, id, &id, 1, false, nullptr, nullptr, kRangeRawEntries);
}

void xclaim_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  bool wrongtype;
  StreamObject* s = lookup_read_stream(ctx, key, &wrongtype);
  if (wrongtype) return;
  StreamGroup* group = s != nullptr ? s->find_group(ctx.arg(2)) : nullptr;
  if (group == nullptr) {
    ctx.out.error(nogroup_key_group(key, ctx.arg(2)));
    return;
  }
  int64_t minidle;
  if (!parse_int_arg(ctx, ctx.arg(4), &minidle, "ERR Invalid min-idle-time argument for XCLAIM"))
    return;
  if (minidle < 0) minidle = 0;
  std::vector<StreamID> ids;
  size_t j = 5;
  for (; j < ctx.argc(); ++j) {
    StreamID id;
    if (!store::parse_stream_id(ctx.arg(j), 0, &id)) break;
    ids.push_back(id);
  }
  const int64_t now = ctx.exec.now_ms;
  int64_t retrycount = -1, deliverytime = -1;
  bool force = false, justid = false;
  StreamID last_id;
  for (; j < ctx.argc(); ++j) {
    size_t moreargs = ctx.argc() - 1 - j;
    std::string_view opt = ctx.arg(j);
    if (iequals(opt, "force")) {
      force = true;
    } else if (iequals(opt, "justid")) {
      justid = true;
    } else if (iequals(opt, "idle") && moreargs) {
      ++j;
      if (!parse_int_arg(ctx, ctx.arg(j), &deliverytime,
                         "ERR Invalid IDLE option argument for XCLAIM"))
        return;
      deliverytime = now - deliverytime;
    } else if (iequals(opt, "time") && moreargs) {
      ++j;
      if (!parse_int_arg(ctx, ctx.arg(j), &deliverytime,
                         "ERR Invalid TIME option argument for XCLAIM"))
        return;
    } else if (iequals(opt, "retrycount") && moreargs) {
      ++j;
      if (!parse_int_arg(ctx, ctx.arg(j), &retrycount,
                         "ERR Invalid RETRYCOUNT option argument for XCLAIM"))
        return;
    } else if (iequals(opt, "lastid") && moreargs) {
      ++j;
      if (!parse_id(ctx, ctx.arg(j), 0, true, &last_id)) return;
    } else {
      ctx.out.error("ERR Unrecognized XCLAIM option '" + std::string(opt) + "'");
      return;
    }
  }
  if (last_id > group->last_id) group->last_id = last_id;
  if (deliverytime != -1) {
    if (deliverytime < 0 || deliverytime > now) deliverytime = now;
  } else {
    deliverytime = now;
  }
  StreamConsumer* consumer = nullptr;
  std::string_view name = ctx.arg(3);
  size_t token = ctx.out.begin_deferred();
  size_t n = 0;
  for (const StreamID& id : ids) {
    auto it = group->pel.find(id);
    if (!s->contains(id)) {
      if (it != group->pel.end()) group->ack(id);
      continue;
    }
    if (force && it == group->pel.end()) {
      it = group->pel.try_emplace(id).first;
      it->second.consumer = nullptr;
      it->second.delivery_time = now;
      it->second.delivery_count = 1;
    }
    if (it == group->pel.end()) continue;
    StreamNack& nack = it->second;
    if (nack.consumer != nullptr && minidle && now - nack.delivery_time < minidle) continue;
    claim_nack(ctx, *group, consumer, name, key, id, nack);
    nack.delivery_time = deliverytime;
    if (retrycount >= 0) {
      nack.delivery_count = static_cast<uint64_t>(retrycount);
    } else if (!justid) {
      ++nack.delivery_count;
    }
    if (justid) {
      reply_id(ctx, id);
    } else {
      reply_entry(ctx, *s, id);
    }
    ++n;
  }
  ctx.out.end_deferred_array(token, n);
}

void xautoclaim_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  int64_t minidle;
  if (!parse_int_arg(ctx, ctx.arg(4), &minidle,
                     "ERR Invalid min-idle-time argument for XAUTOCLAIM"))
    return;
  if (minidle < 0) minidle = 0;
  StreamID startid;
  bool startex;
  if (!parse_interval_id(ctx, ctx.arg(5), 0, &startid, &startex)) return;
  if (startex && !startid.increment()) {
    ctx.out.error("ERR invalid start ID for the interval");
    return;
  }
  int64_t count = 100;
  bool justid = false;
  constexpr int64_t kAttemptsFactor = 10;
  for (size_t j = 6; j < ctx.argc(); ++j) {
    size_t moreargs = ctx.argc() - 1 - j;
    std::string_view opt = ctx.arg(j);
    if (iequals(opt, "count") && moreargs) {
      const int64_t max_count = LONG_MAX / 16;
      int64_t v;
      if (!util::parse_int64(ctx.arg(j + 1), &v) || v < 1 || v > max_count) {
        ctx.out.error("ERR COUNT must be > 0");
        return;
      }
      count = v;
      ++j;
    } else if (iequals(opt, "justid")) {
      justid = true;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  bool wrongtype;
  StreamObject* s = lookup_read_stream(ctx, key, &wrongtype);
  if (wrongtype) return;
  StreamGroup* group = s != nullptr ? s->find_group(ctx.arg(2)) : nullptr;
  if (group == nullptr) {
    ctx.out.error(nogroup_key_group(key, ctx.arg(2)));
    return;
  }
  StreamConsumer* consumer = nullptr;
  int64_t attempts = count * kAttemptsFactor;
  const int64_t now = ctx.exec.now_ms;
  std::string_view name = ctx.arg(3);
  std::vector<StreamID> deleted;
  // The claimed entries are written to a side buffer: the reply starts with the next cursor,
  // known only at the end.
  std::string claimed;
  std::string* main_buffer = ctx.out.buffer();
  ctx.out.set_buffer(&claimed);
  size_t n = 0;
  auto it = group->pel.lower_bound(startid);
  while (attempts-- && count && it != group->pel.end()) {
    StreamID id = it->first;
    StreamNack& nack = it->second;
    if (!s->contains(id)) {
      ++it;
      group->ack(id);
      deleted.push_back(id);
      --count;
      continue;
    }
    if (minidle && now - nack.delivery_time < minidle) {
      ++it;
      continue;
    }
    claim_nack(ctx, *group, consumer, name, key, id, nack);
    nack.delivery_time = now;
    if (!justid) ++nack.delivery_count;
    if (justid) {
      reply_id(ctx, id);
    } else {
      reply_entry(ctx, *s, id);
    }
    ++n;
    --count;
    ++it;
  }
  ctx.out.set_buffer(main_buffer);
  StreamID endid = it == group->pel.end() ? StreamID::min() : it->first;
  ctx.out.array(3);
  reply_id(ctx, endid);
  ctx.out.array(n);
  ctx.out.raw(claimed);
  ctx.out.array(deleted.size());
  for (const StreamID& id : deleted) reply_id(ctx, id);
}

// ---- XINFO ------------------------------------------------------------------------------------

void reply_lag(CommandContext& ctx, const StreamObject& s, const StreamGroup& g) {
  int64_t lag;
  if (s.group_lag(g, &lag)) {
    ctx.out.integer(lag);
  } else {
    ctx.out.null();
  }
}

void reply_entries_read(CommandContext& ctx, const StreamGroup& g) {
  if (g.entries_read != StreamGroup::kInvalidEntriesRead) {
    ctx.out.integer(g.entries_read);
  } else {
    ctx.out.null();
  }
}

// rax nodes of a tree of `keys` 16-byte keys: an estimate (Redis counts its radix tree's inner
// nodes; zakros keeps an ordered map). One key is 2 nodes, as in Redis.
long long radix_tree_nodes(size_t keys) {
  return keys == 0 ? 1 : static_cast<long long>(keys) + 1;
}

void xinfo_stream(CommandContext& ctx, StreamObject& s) {
  bool full = true;
  int64_t count = 10;
  size_t optc = ctx.argc() - 3;
  if (optc == 0) {
    full = false;
  } else {
    if (optc != 1 && optc != 3) {
      reply_subcommand_syntax_error(ctx);
      return;
    }
    if (!iequals(ctx.arg(3), "full")) {
      reply_subcommand_syntax_error(ctx);
      return;
    }
    if (optc == 3) {
      if (!iequals(ctx.arg(4), "count")) {
        reply_subcommand_syntax_error(ctx);
        return;
      }
      if (!parse_int_arg(ctx, ctx.arg(5), &count)) return;
      if (count < 0) count = 10;
    }
  }
  ctx.out.map(full ? 9 : 10);
  ctx.out.bulk("length");
  ctx.out.integer(static_cast<long long>(s.length()));
  ctx.out.bulk("radix-tree-keys");
  ctx.out.integer(static_cast<long long>(s.nodes().size()));
  ctx.out.bulk("radix-tree-nodes");
  ctx.out.integer(radix_tree_nodes(s.nodes().size()));
  ctx.out.bulk("last-generated-id");
  reply_id(ctx, s.last_id());
  ctx.out.bulk("max-deleted-entry-id");
  reply_id(ctx, s.max_deleted_id());
  ctx.out.bulk("entries-added");
  ctx.out.integer(static_cast<long long>(s.entries_added()));
  ctx.out.bulk("recorded-first-entry-id");
  reply_id(ctx, s.first_id());
  if (!full) {
    ctx.out.bulk("groups");
    ctx.out.integer(static_cast<long long>(s.groups().size()));
    ctx.out.bulk("first-entry");
    if (reply_range(ctx, s, StreamID::min(), nullptr, 1, false, nullptr, nullptr,
                    kRangeRawEntries) == 0) {
      ctx.out.null();
    }
    ctx.out.bulk("last-entry");
    StreamID max = StreamID::max();
    if (reply_range(ctx, s, StreamID::min(), &max, 1, true, nullptr, nullptr, kRangeRawEntries) ==
        0) {
      ctx.out.null();
    }
    return;
  }
  ctx.out.bulk("entries");
  reply_range(ctx, s, StreamID::min(), nullptr, static_cast<size_t>(count), false, nullptr, nullptr,
              0);
  ctx.out.bulk("groups");
  ctx.out.array(s.groups().size());
  const size_t limit = static_cast<size_t>(count);
  for (const auto& [name, cg] : s.groups()) {
    ctx.out.map(7);
    ctx.out.bulk("name");
    ctx.out.bulk(name);
    ctx.out.bulk("last-delivered-id");
    reply_id(ctx, cg->last_id);
    ctx.out.bulk("entries-read");
    reply_entries_read(ctx, *cg);
    ctx.out.bulk("lag");
    reply_lag(ctx, s, *cg);
    ctx.out.bulk("pel-count");
    ctx.out.integer(static_cast<long long>(cg->pel.size()));
    ctx.out.bulk("pending");
    size_t n = limit == 0 ? cg->pel.size() : std::min(limit, cg->pel.size());
    ctx.out.array(n);
    size_t i = 0;
    for (const auto& [id, nack] : cg->pel) {
      if (i++ == n) break;
      ctx.out.array(4);
      reply_id(ctx, id);
      ctx.out.bulk(nack.consumer != nullptr ? std::string_view(nack.consumer->name) : "");
      ctx.out.integer(nack.delivery_time);
      ctx.out.integer(static_cast<long long>(nack.delivery_count));
    }
    ctx.out.bulk("consumers");
    ctx.out.array(cg->consumers.size());
    for (const auto& [cname, c] : cg->consumers) {
      ctx.out.map(4);
      ctx.out.bulk("name");
      ctx.out.bulk(cname);
      ctx.out.bulk("seen-time");
      ctx.out.integer(c->seen_time);
      ctx.out.bulk("pel-count");
      ctx.out.integer(static_cast<long long>(c->pel.size()));
      ctx.out.bulk("pending");
      size_t m = limit == 0 ? c->pel.size() : std::min(limit, c->pel.size());
      ctx.out.array(m);
      size_t k = 0;
      for (const auto& [id, nack] : c->pel) {
        if (k++ == m) break;
        ctx.out.array(3);
        reply_id(ctx, id);
        ctx.out.integer(nack->delivery_time);
        ctx.out.integer(static_cast<long long>(nack->delivery_count));
      }
    }
  }
}

void xinfo_command(CommandContext& ctx) {
  std::string_view opt = ctx.arg(1);
  if (iequals(opt, "help")) {
    if (ctx.argc() != 2) {
      reply_subcommand_syntax_error(ctx);
      return;
    }
    reply_help(ctx, "xinfo",
               {"CONSUMERS <key> <groupname>", "    Show consumers of <groupname>.", "GROUPS <key>",
                "    Show the stream consumer groups.", "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream."});
    return;
  }
  if (ctx.argc() < 3) {
    reply_subcommand_syntax_error(ctx);
    return;
  }
  std::string_view key = ctx.arg(2);
  bool wrongtype;
  StreamObject* s = lookup_read_stream(ctx, key, &wrongtype);
  if (wrongtype) return;
  if (s == nullptr) {
    ctx.out.error(kNoSuchKey);
    return;
  }
  if (iequals(opt, "consumers") && ctx.argc() == 4) {
    StreamGroup* cg = s->find_group(ctx.arg(3));
    if (cg == nullptr) {
      ctx.out.error("NOGROUP No such consumer group '" + std::string(ctx.arg(3)) +
                    "' for key name '" + std::string(key) + "'");
      return;
    }
    ctx.out.array(cg->consumers.size());
    for (const auto& [name, c] : cg->consumers) {
      int64_t idle = ctx.exec.now_ms - c->seen_time;
      if (idle < 0) idle = 0;
      ctx.out.map(3);
      ctx.out.bulk("name");
      ctx.out.bulk(name);
      ctx.out.bulk("pending");
      ctx.out.integer(static_cast<long long>(c->pel.size()));
      ctx.out.bulk("idle");
      ctx.out.integer(idle);
    }
  } else if (iequals(opt, "groups") && ctx.argc() == 3) {
    ctx.out.array(s->groups().size());
    for (const auto& [name, cg] : s->groups()) {
      ctx.out.map(6);
      ctx.out.bulk("name");
      ctx.out.bulk(name);
      ctx.out.bulk("consumers");
      ctx.out.integer(static_cast<long long>(cg->consumers.size()));
      ctx.out.bulk("pending");
      ctx.out.integer(static_cast<long long>(cg->pel.size()));
      ctx.out.bulk("last-delivered-id");
      reply_id(ctx, cg->last_id);
      ctx.out.bulk("entries-read");
      reply_entries_read(ctx, *cg);
      ctx.out.bulk("lag");
      reply_lag(ctx, *s, *cg);
    }
  } else if (iequals(opt, "stream")) {
    xinfo_stream(ctx, *s);
  } else {
    reply_subcommand_syntax_error(ctx);
  }
}

}  // namespace

void register_group_commands(CommandTable& table) {
  constexpr uint64_t kSw = kAclStream | kAclWrite;
  constexpr uint64_t kSr = kAclStream | kAclRead;
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, int step, Handler handler, std::string_view summary,
                 std::string_view since) {
    table.add(make_spec(name, arity, flags, acl, first, last, step, CommandGroup::kStream, handler,
                        summary, since));
  };
  add("xack", -4, kWrite | kFast, kSw | kAclFast, 1, 1, 1, xack_command,
      "Marks a pending message as correctly processed, effectively removing it from the pending "
      "entries list of the consumer group. Return value of the command is the number of messages "
      "successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
      "5.0.0");
  add("xpending", -3, kReadonly, kSr | kAclSlow, 1, 1, 1, xpending_command,
      "Return information and entries from a stream consumer group pending entries list, that "
      "are messages fetched but never acknowledged.",
      "5.0.0");
  add("xclaim", -6, kWrite | kFast, kSw | kAclFast, 1, 1, 1, xclaim_command,
      "Changes (or acquires) ownership of a message in a consumer group, as if the message was "
      "delivered to the specified consumer.",
      "5.0.0");
  add("xautoclaim", -6, kWrite | kFast, kSw | kAclFast, 1, 1, 1, xautoclaim_command,
      "Changes (or acquires) ownership of messages in a consumer group, as if the messages were "
      "delivered to the specified consumer.",
      "6.2.0");

  auto sub = [](std::string_view name, int arity, uint64_t flags, uint64_t acl, int key,
                Handler handler, std::string_view summary, std::string_view since) {
    return make_spec(name, arity, flags, acl, key, key, key ? 1 : 0, CommandGroup::kStream, handler,
                     summary, since);
  };
  CommandSpec xgroup = make_spec("xgroup", -2, 0, kAclSlow, 0, 0, 0, CommandGroup::kStream, nullptr,
                                 "A container for consumer groups commands", "5.0.0");
  xgroup.subcommands = {
      sub("create", -5, kWrite | kDenyOom, kSw | kAclSlow, 2, xgroup_command,
          "Create a consumer group.", "5.0.0"),
      sub("createconsumer", 5, kWrite | kDenyOom, kSw | kAclSlow, 2, xgroup_command,
          "Create a consumer in a consumer group.", "6.2.0"),
      sub("delconsumer", 5, kWrite, kSw | kAclSlow, 2, xgroup_command,
          "Delete a consumer from a consumer group.", "5.0.0"),
      sub("destroy", 4, kWrite, kSw | kAclSlow, 2, xgroup_command, "Destroy a consumer group.",
          "5.0.0"),
      sub("help", 2, kLoading | kStale, kAclStream | kAclSlow, 0, xgroup_command,
          "Show helpful text about the different subcommands", "5.0.0"),
      sub("setid", -5, kWrite, kSw | kAclSlow, 2, xgroup_command,
          "Set a consumer group to an arbitrary last delivered ID value.", "5.0.0"),
  };
  table.add(std::move(xgroup));

  CommandSpec xinfo = make_spec("xinfo", -2, 0, kAclSlow, 0, 0, 0, CommandGroup::kStream, nullptr,
                                "A container for stream introspection commands", "5.0.0");
  xinfo.subcommands = {
      sub("consumers", 4, kReadonly, kSr | kAclSlow, 2, xinfo_command,
          "List the consumers in a consumer group", "5.0.0"),
      sub("groups", 3, kReadonly, kSr | kAclSlow, 2, xinfo_command,
          "List the consumer groups of a stream", "5.0.0"),
      sub("help", 2, kLoading | kStale, kAclStream | kAclSlow, 0, xinfo_command,
          "Show helpful text about the different subcommands", "5.0.0"),
      sub("stream", -3, kReadonly, kSr | kAclSlow, 2, xinfo_command,
          "Get information about a stream", "5.0.0"),
  };
  table.add(std::move(xinfo));
}

}  // namespace zakros::commands::streams
