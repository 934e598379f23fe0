// The stream commands (Redis's t_stream.c): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XSETID,
// XREAD and XREADGROUP here; the consumer-group commands (XGROUP, XACK, XPENDING, XCLAIM,
// XAUTOCLAIM) and XINFO in streams_groups.cc. Replies, errors and notifications follow Redis 7.0
// byte for byte. Time comes only from ExecContext::now_ms (IDs of "*", delivery times).
//
// Blocking XREAD / XREADGROUP: with nothing to serve and BLOCK given, the handler asks the
// server to park the client (commands::block_client) with its own arguments, XREAD's `$`
// replaced by the stream's last ID, and the server runs the command again when XADD (or XGROUP
// DESTROY, or a deletion) signals one of the keys. A woken XREAD without COUNT serves at most
// 1000 entries per stream, as Redis's blocked-client path does.
#include <climits>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"
#include "commands/streams_internal.h"
#include "store/stream.h"
#include "util/numbers.h"

namespace zakros::commands {
namespace streams {

using store::StreamConsumer;
using store::StreamGroup;
using store::StreamID;
using store::StreamObject;

bool parse_id(CommandContext& ctx, std::string_view text, uint64_t missing_seq, bool strict,
              StreamID* id, bool* seq_given) {
  if (text.size() <= 127) {
    if (strict && (text == "-" || text == "+")) {
      ctx.out.error(kInvalidId);
      return false;
    }
    if (seq_given != nullptr) *seq_given = true;
    if (text == "-") {
      *id = StreamID::min();
      return true;
    }
    if (text == "+") {
      *id = StreamID::max();
      return true;
    }
    if (store::parse_stream_id(text, missing_seq, id, seq_given)) return true;
  }
  ctx.out.error(kInvalidId);
  return false;
}

bool parse_interval_id(CommandContext& ctx, std::string_view text, uint64_t missing_seq,
                       StreamID* id, bool* exclude) {
  *exclude = text.size() > 1 && text[0] == '(';
  if (*exclude) return parse_id(ctx, text.substr(1), missing_seq, true, id);
  return parse_id(ctx, text, missing_seq, false, id);
}

StreamObject* lookup_read_stream(CommandContext& ctx, std::string_view key, bool* wrongtype) {
  *wrongtype = false;
  store::Entry* e = lookup_read(ctx, key);
  if (e == nullptr) return nullptr;
  if (e->type() != store::ValueType::kStream) {
    *wrongtype = true;
    ctx.out.error(kWrongType);
    return nullptr;
  }
  return static_cast<StreamObject*>(e->object());
}

StreamObject* lookup_write_stream(CommandContext& ctx, std::string_view key, bool* wrongtype) {
  *wrongtype = false;
  store::Entry* e = lookup_write(ctx, key);
  if (e == nullptr) return nullptr;
  if (e->type() != store::ValueType::kStream) {
    *wrongtype = true;
    ctx.out.error(kWrongType);
    return nullptr;
  }
  return static_cast<StreamObject*>(e->object());
}

void reply_id(CommandContext& ctx, const StreamID& id) {
  char buf[48];
  size_t n = util::format_uint64(id.ms, buf);
  buf[n++] = '-';
  n += util::format_uint64(id.seq, buf + n);
  ctx.out.bulk(std::string_view(buf, n));
}

StreamConsumer* create_consumer(CommandContext& ctx, StreamGroup& group, std::string_view name,
                                std::string_view key) {
  StreamConsumer* c = group.create_consumer(name, ctx.exec.now_ms);
  if (c != nullptr) ctx.events.notify('t', "xgroup-createconsumer", key, ctx.db_index);
  return c;
}

StreamConsumer* lookup_consumer(CommandContext& ctx, StreamGroup& group, std::string_view name,
                                bool refresh) {
  StreamConsumer* c = group.find_consumer(name);
  if (c != nullptr && refresh) c->seen_time = ctx.exec.now_ms;
  return c;
}

void reply_subcommand_syntax_error(CommandContext& ctx) {
  std::string sub(ctx.arg(1).substr(0, 128));
  ctx.out.error("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try " +
                util::to_upper(ctx.arg(0)) + " HELP.");
}

namespace {

// XREADGROUP with an explicit ID: the consumer's own pending entries from `start`.
size_t reply_consumer_pel(CommandContext& ctx, StreamObject& s, const StreamID& start,
                          const StreamID* end, size_t count, StreamConsumer* consumer) {
  size_t token = ctx.out.begin_deferred();
  size_t n = 0;
  std::vector<std::string> fields;
  for (auto it = consumer->pel.lower_bound(start); it != consumer->pel.end(); ++it) {
    if (count != 0 && n >= count) break;
    if (end != nullptr && it->first > *end) break;
    StreamObject::Iterator entry(s, it->first, it->first, false);
    StreamID id;
    if (!entry.next(&id, &fields)) {
      ctx.out.array(2);
      reply_id(ctx, it->first);
      ctx.out.null_array();
    } else {
      ctx.out.array(2);
      reply_id(ctx, id);
      ctx.out.array(fields.size());
      for (const std::string& f : fields) ctx.out.bulk(f);
      it->second->delivery_time = ctx.exec.now_ms;
      ++it->second->delivery_count;
    }
    ++n;
  }
  ctx.out.end_deferred_array(token, n);
  return n;
}

}  // namespace

size_t reply_range(CommandContext& ctx, StreamObject& s, const StreamID& start, const StreamID* end,
                   size_t count, bool rev, StreamGroup* group, StreamConsumer* consumer,
                   unsigned flags) {
  if (group != nullptr && (flags & kRangeHistory)) {
    return reply_consumer_pel(ctx, s, start, end, count, consumer);
  }
  const bool noack = (flags & kRangeNoAck) != 0;
  size_t token = 0;
  if (!(flags & kRangeRawEntries)) token = ctx.out.begin_deferred();
  size_t n = 0;
  StreamObject::Iterator it(s, start, end != nullptr ? *end : StreamID::max(), rev);
  StreamID id;
  std::vector<std::string> fields;
  while (it.next(&id, &fields)) {
    if (group != nullptr && id > group->last_id) {
      if (group->entries_read != StreamGroup::kInvalidEntriesRead &&
          !s.range_has_tombstones(&id, nullptr)) {
        ++group->entries_read;
      } else if (s.entries_added() != 0) {
        group->entries_read = s.estimate_distance_from_first_ever_entry(id);
      }
      group->last_id = id;
    }
    ctx.out.array(2);
    reply_id(ctx, id);
    ctx.out.array(fields.size());
    for (const std::string& f : fields) ctx.out.bulk(f);
    if (group != nullptr && !noack) {
      auto [pit, inserted] = group->pel.try_emplace(id);
      store::StreamNack& nack = pit->second;
      if (!inserted && nack.consumer != nullptr) nack.consumer->pel.erase(id);
      nack.consumer = consumer;
      nack.delivery_time = ctx.exec.now_ms;
      nack.delivery_count = 1;
      consumer->pel[id] = &nack;
    }
    ++n;
    if (count != 0 && n == count) break;
  }
  if (!(flags & kRangeRawEntries)) ctx.out.end_deferred_array(token, n);
  return n;
}

}  // namespace streams

namespace {

using namespace streams;
using store::StreamConsumer;
using store::StreamGroup;
using store::StreamID;
using store::StreamObject;
using store::StreamTrimArgs;

constexpr uint64_t kAclStreamWrite = kAclStream | kAclWrite;
constexpr uint64_t kAclStreamRead = kAclStream | kAclRead;

struct AddTrimArgs {
  StreamTrimArgs trim;
  StreamID id;
  bool id_given = false;
  bool seq_given = true;
  bool no_mkstream = false;
};

// streamParseAddOrTrimArgsOrReply: returns the index of XADD's ID argument, or -1 after an
// error reply.
int parse_add_or_trim_args(CommandContext& ctx, AddTrimArgs* args, bool xadd) {
  size_t i = 2;
  bool limit_given = false;
  const size_t argc = ctx.argc();
  for (; i < argc; ++i) {
    size_t moreargs = argc - 1 - i;
    std::string_view opt = ctx.arg(i);
    if (xadd && opt == "*") break;
    if ((iequals(opt, "maxlen") || iequals(opt, "minid")) && moreargs) {
      bool maxlen = iequals(opt, "maxlen");
      if (args->trim.strategy != StreamTrimArgs::Strategy::kNone) {
        ctx.out.error(
            "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        return -1;
      }
      args->trim.approx = false;
      std::string_view next = ctx.arg(i + 1);
      if (moreargs >= 2 && next == "~") {
        args->trim.approx = true;
        ++i;
      } else if (moreargs >= 2 && next == "=") {
        ++i;
      }
      if (maxlen) {
        int64_t v;
        if (!parse_int_arg(ctx, ctx.arg(i + 1), &v)) return -1;
        if (v < 0) {
          ctx.out.error("ERR The MAXLEN argument must be >= 0.");
          return -1;
        }
        args->trim.maxlen = static_cast<uint64_t>(v);
        args->trim.strategy = StreamTrimArgs::Strategy::kMaxLen;
      } else {
        if (!parse_id(ctx, ctx.arg(i + 1), 0, true, &args->trim.minid)) return -1;
        args->trim.strategy = StreamTrimArgs::Strategy::kMinId;
      }
      ++i;
    } else if (iequals(opt, "limit") && moreargs) {
      if (!parse_int_arg(ctx, ctx.arg(i + 1), &args->trim.limit)) return -1;
      if (args->trim.limit < 0) {
        ctx.out.error("ERR The LIMIT argument must be >= 0.");
        return -1;
      }
      limit_given = true;
      ++i;
    } else if (xadd && iequals(opt, "nomkstream")) {
      args->no_mkstream = true;
    } else if (xadd) {
      if (!parse_id(ctx, opt, 0, true, &args->id, &args->seq_given)) return -1;
      args->id_given = true;
      break;
    } else {
      ctx.out.error(kSyntaxError);
      return -1;
    }
  }
  if (args->trim.limit && args->trim.strategy == StreamTrimArgs::Strategy::kNone) {
    ctx.out.error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return -1;
  }
  if (!xadd && args->trim.strategy == StreamTrimArgs::Strategy::kNone) {
    ctx.out.error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return -1;
  }
  if (limit_given) {
    if (!args->trim.approx) {
      ctx.out.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return -1;
    }
  } else if (args->trim.approx) {
    int64_t limit = 100 * ctx.keyspace.limits().stream_node_max_entries;
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    args->trim.limit = limit;
  } else {
    args->trim.limit = 0;
  }
  return static_cast<int>(i);
}

void xadd_command(CommandContext& ctx) {
  AddTrimArgs args;
  int idpos = parse_add_or_trim_args(ctx, &args, true);
  if (idpos < 0) return;
  size_t field_pos = static_cast<size_t>(idpos) + 1;
  if (ctx.argc() < field_pos + 2 || (ctx.argc() - field_pos) % 2 == 1) {
    ctx.out.error(wrong_arity("xadd"));
    return;
  }
  if (args.id_given && args.seq_given && args.id.is_zero()) {
    ctx.out.error("ERR The ID specified in XADD must be greater than 0-0");
    return;
  }
  std::string_view key = ctx.arg(1);
  bool wrongtype;
  StreamObject* s = lookup_write_stream(ctx, key, &wrongtype);
  if (wrongtype) return;
  if (s == nullptr) {
    if (args.no_mkstream) {
      ctx.out.null();
      return;
    }
    store::Entry* e = ctx.db().set_object(key, std::make_unique<StreamObject>(), store::kPersist,
                                          time_context(ctx));
    s = static_cast<StreamObject*>(e->object());
  }
  if (s->last_id() == StreamID::max()) {
    ctx.out.error("ERR The stream has exhausted the last possible ID, unable to add more items");
    return;
  }
  std::vector<std::string_view> fv(ctx.argv.begin() + static_cast<long>(field_pos), ctx.argv.end());
  StreamID id;
  StreamObject::AddResult r = s->add(fv, args.id_given ? &args.id : nullptr, args.seq_given,
                                     ctx.exec.now_ms, ctx.keyspace.limits(), &id);
  if (r != StreamObject::AddResult::kOk) {
    ctx.out.error(r == StreamObject::AddResult::kIdTooSmall
                      ? "ERR The ID specified in XADD is equal or smaller than the target stream "
                        "top item"
                      : "ERR Elements are too large to be stored");
    return;
  }
  reply_id(ctx, id);
  ctx.events.key_modified(ctx.db_index, key);
  ctx.events.notify('t', "xadd", key, ctx.db_index);
  if (args.trim.strategy != StreamTrimArgs::Strategy::kNone && s->trim(args.trim) != 0) {
    ctx.events.notify('t', "xtrim", key, ctx.db_index);
  }
  ctx.events.key_ready(ctx.db_index, key);
}

void xlen_command(CommandContext& ctx) {
  bool wrongtype;
  StreamObject* s = lookup_read_stream(ctx, ctx.arg(1), &wrongtype);
  if (wrongtype) return;
  ctx.out.integer(s == nullptr ? 0 : static_cast<long long>(s->length()));
}

void xrange_generic(CommandContext& ctx, bool rev) {
  std::string_view start_arg = rev ? ctx.arg(3) : ctx.arg(2);
  std::string_view end_arg = rev ? ctx.arg(2) : ctx.arg(3);
  StreamID start, end;
  bool startex, endex;
  if (!parse_interval_id(ctx, start_arg, 0, &start, &startex)) return;
  if (startex && !start.increment()) {
    ctx.out.error("ERR invalid start ID for the interval");
    return;
  }
  if (!parse_interval_id(ctx, end_arg, UINT64_MAX, &end, &endex)) return;
  if (endex && !end.decrement()) {
    ctx.out.error("ERR invalid end ID for the interval");
    return;
  }
  int64_t count = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    size_t additional = ctx.argc() - j - 1;
    if (iequals(ctx.arg(j), "count") && additional >= 1) {
      if (!parse_int_arg(ctx, ctx.arg(j + 1), &count)) return;
      if (count < 0) count = 0;
      ++j;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  bool wrongtype;
  StreamObject* s = lookup_read_stream(ctx, ctx.arg(1), &wrongtype);
  if (wrongtype) return;
  if (s == nullptr) {
    ctx.out.empty_array();
    return;
  }
  if (count == 0) {
    ctx.out.null_array();
    return;
  }
  reply_range(ctx, *s, start, &end, count == -1 ? 0 : static_cast<size_t>(count), rev, nullptr,
              nullptr, 0);
}

void xrange_command(CommandContext& ctx) {
  xrange_generic(ctx, false);
}
void xrevrange_command(CommandContext& ctx) {
  xrange_generic(ctx, true);
}

void xdel_command(CommandContext& ctx) {
  std::string_view key = ctx.arg(1);
  bool wrongtype;
  StreamObject* s = lookup_write_stream(ctx, key, &wrongtype);
  if (wrongtype) return;
  if (s == nullptr) {
    ctx.out.integer(0);
    return;
  }
  std::vector<StreamID> ids(ctx.argc() - 2);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    if (!parse_id(ctx, ctx.arg(j), 0, true, &ids[j - 2])) return;
  }
  long long deleted = 0;
  for (const StreamID& id : ids) deleted += s->erase(id) ? 1 : 0;
  if (deleted) {
    ctx.events.key_modified(ctx.db_index, key);
    ctx.events.notify('t', "xdel", key, ctx.db_index);
  }
  ctx.out.integer(deleted);
}

void xtrim_command(CommandContext& ctx) {
  AddTrimArgs args;
  if (parse_add_or_trim_args(ctx, &args, false) < 0) return;
  std::string_view key = ctx.arg(1);
  bool wrongtype;
  StreamObject* s = lookup_write_stream(ctx, key, &wrongtype);
  if (wrongtype) return;
  if (s == nullptr) {
    ctx.out.integer(0);
    return;
  }
  int64_t deleted = s->trim(args.trim);
  if (deleted) {
    ctx.events.notify('t', "xtrim", key, ctx.db_index);
    ctx.events.key_modified(ctx.db_index, key);
  }
  ctx.out.integer(deleted);
}

void xsetid_command(CommandContext& ctx) {
  StreamID id, max_xdel;
  int64_t entries_added = -1;
  if (!parse_id(ctx, ctx.arg(2), 0, true, &id)) return;
  for (size_t i = 3; i < ctx.argc();) {
    size_t moreargs = ctx.argc() - 1 - i;
    std::string_view opt = ctx.arg(i);
    if (iequals(opt, "entriesadded") && moreargs) {
      if (!parse_int_arg(ctx, ctx.arg(i + 1), &entries_added)) return;
      if (entries_added < 0) {
        ctx.out.error("ERR entries_added must be positive");
        return;
      }
      i += 2;
    } else if (iequals(opt, "maxdeletedid") && moreargs) {
      if (!parse_id(ctx, ctx.arg(i + 1), 0, true, &max_xdel)) return;
      if (id < max_xdel) {
        ctx.out.error(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        return;
      }
      i += 2;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  std::string_view key = ctx.arg(1);
  bool wrongtype;
  StreamObject* s = lookup_write_stream(ctx, key, &wrongtype);
  if (wrongtype) return;
  if (s == nullptr) {
    ctx.out.error(kNoSuchKey);
    return;
  }
  if (s->length() > 0) {
    StreamID maxid;
    s->edge_id(false, &maxid);
    if (id < maxid) {
      ctx.out.error("ERR The ID specified in XSETID is smaller than the target stream top item");
      return;
    }
    if (entries_added != -1 && s->length() > static_cast<uint64_t>(entries_added)) {
      ctx.out.error(
          "ERR The entries_added specified in XSETID is smaller than the target stream length");
      return;
    }
  }
  s->set_last_id(id);
  if (entries_added != -1) s->set_entries_added(static_cast<uint64_t>(entries_added));
  if (!max_xdel.is_zero()) s->set_max_deleted_id(max_xdel);
  ctx.out.ok();
  ctx.events.notify('t', "xsetid", key, ctx.db_index);
}

// XREAD and XREADGROUP (xreadCommand).
void xread_generic(CommandContext& ctx, bool xreadgroup) {
  int64_t deadline = 0;
  bool block = false;
  int64_t count = 0;
  size_t streams_arg = 0, streams_count = 0;
  bool noack = false;
  std::string_view groupname, consumername;
  bool have_group = false;
  const size_t argc = ctx.argc();
  for (size_t i = 1; i < argc; ++i) {
    size_t moreargs = argc - i - 1;
    std::string_view o = ctx.arg(i);
    if (iequals(o, "block") && moreargs) {
      ++i;
      if (!parse_block_timeout(ctx, ctx.arg(i), TimeoutUnit::kMilliseconds, &deadline)) return;
      block = true;
    } else if (iequals(o, "count") && moreargs) {
      ++i;
      if (!parse_int_arg(ctx, ctx.arg(i), &count)) return;
      if (count < 0) count = 0;
    } else if (iequals(o, "streams") && moreargs) {
      streams_arg = i + 1;
      streams_count = argc - streams_arg;
      if (streams_count % 2 != 0) {
        ctx.out.error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
        return;
      }
      streams_count /= 2;
      break;
    } else if (iequals(o, "group") && moreargs >= 2) {
      if (!xreadgroup) {
        ctx.out.error(
            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return;
      }
      groupname = ctx.arg(i + 1);
      consumername = ctx.arg(i + 2);
      have_group = true;
      i += 2;
    } else if (iequals(o, "noack")) {
      if (!xreadgroup) {
        ctx.out.error(
            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return;
      }
      noack = true;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  if (streams_arg == 0) {
    ctx.out.error(kSyntaxError);
    return;
  }
  if (xreadgroup && !have_group) {
    ctx.out.error("ERR Missing GROUP option for XREADGROUP");
    return;
  }

  std::vector<StreamID> ids(streams_count);
  std::vector<StreamGroup*> groups(streams_count, nullptr);
  for (size_t i = streams_arg + streams_count; i < argc; ++i) {
    size_t idx = i - streams_arg - streams_count;
    std::string_view key = ctx.arg(i - streams_count);
    store::Entry* e = ctx.db().find(key, time_context(ctx));
    if (e != nullptr && e->type() != store::ValueType::kStream) {
      if (ctx.woken && xreadgroup) {
        ctx.out.error("UNBLOCKED the stream key no longer exists");
        return;
      }
      if (!ctx.woken) {
        ctx.out.error(kWrongType);
        return;
      }
      // A woken XREAD ignores a key that is no longer a stream (Redis serves only streams).
      e = nullptr;
    }
    StreamObject* s = e != nullptr ? static_cast<StreamObject*>(e->object()) : nullptr;
    if (have_group) {
      StreamGroup* g = s != nullptr ? s->find_group(groupname) : nullptr;
      if (g == nullptr) {
        if (ctx.woken) {
          ctx.out.error(s == nullptr
                            ? "UNBLOCKED the stream key no longer exists"
                            : "NOGROUP the consumer group this client was blocked on no longer "
                              "exists");
        } else {
          ctx.out.error("NOGROUP No such key '" + std::string(key) + "' or consumer group '" +
                        std::string(groupname) + "' in XREADGROUP with GROUP option");
        }
        return;
      }
      groups[idx] = g;
    }
    std::string_view id_arg = ctx.arg(i);
    if (id_arg == "$") {
      if (xreadgroup) {
        ctx.out.error(
            "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
            "history of this consumer by specifying a proper ID, or use the > ID to get new "
            "messages. The $ ID would just return an empty result set.");
        return;
      }
      ids[idx] = s != nullptr ? s->last_id() : StreamID::min();
      continue;
    }
    if (id_arg == ">") {
      if (!xreadgroup) {
        ctx.out.error(
            "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
            "<consumer> option.");
        return;
      }
      ids[idx] = StreamID::max();
      continue;
    }
    if (!parse_id(ctx, id_arg, 0, true, &ids[idx])) return;
  }

  // Lookups count hits and misses once per key, as Redis's second loop does.
  size_t served = 0;
  size_t token = 0;
  if (ctx.woken && count == 0) count = 1000;  // XREAD_BLOCKED_DEFAULT_COUNT
  for (size_t i = 0; i < streams_count; ++i) {
    std::string_view key = ctx.arg(streams_arg + i);
    store::Entry* e = lookup_read(ctx, key);
    if (e == nullptr || e->type() != store::ValueType::kStream) continue;
    StreamObject* s = static_cast<StreamObject*>(e->object());
    StreamID gt = ids[i];
    bool serve = false, history = false;
    if (have_group) {
      if (gt != StreamID::max()) {
        serve = true;
        history = true;
      } else if (s->length() != 0) {
        StreamID maxid;
        s->edge_id(false, &maxid);
        serve = maxid > groups[i]->last_id;
        if (serve) gt = groups[i]->last_id;
      }
    } else if (s->length() != 0) {
      StreamID maxid;
      s->edge_id(false, &maxid);
      serve = maxid > gt;
    }
    if (!serve) continue;
    if (++served == 1) token = ctx.out.begin_deferred();
    StreamID start = gt;
    start.increment();
    if (!ctx.out.resp3()) ctx.out.array(2);
    ctx.out.bulk(key);
    StreamConsumer* consumer = nullptr;
    if (have_group) {
      consumer = lookup_consumer(ctx, *groups[i], consumername, true);
      if (consumer == nullptr) consumer = create_consumer(ctx, *groups[i], consumername, key);
    }
    unsigned flags =
        (noack ? unsigned{kRangeNoAck} : 0u) | (history ? unsigned{kRangeHistory} : 0u);
    reply_range(ctx, *s, start, nullptr, static_cast<size_t>(count), false,
                have_group ? groups[i] : nullptr, consumer, flags);
  }
  if (served != 0) {
    if (ctx.out.resp3()) {
      ctx.out.end_deferred_map(token, served);
    } else {
      ctx.out.end_deferred_array(token, served);
    }
    return;
  }
  if (block) {
    std::vector<std::string> keys;
    std::vector<std::string> rerun;
    for (size_t i = 0; i < streams_count; ++i) keys.emplace_back(ctx.arg(streams_arg + i));
    for (size_t i = 0; i < argc; ++i) {
      if (i >= streams_arg + streams_count && ctx.arg(i) == "$") {
        rerun.push_back(ids[i - streams_arg - streams_count].to_string());
      } else {
        rerun.emplace_back(ctx.arg(i));
      }
    }
    block_client(ctx, std::move(keys), deadline, BlockRequest::TimeoutReply::kNullArray,
                 std::move(rerun));
    return;
  }
  ctx.out.null_array();
}

void xread_command(CommandContext& ctx) {
  xread_generic(ctx, false);
}
void xreadgroup_command(CommandContext& ctx) {
  xread_generic(ctx, true);
}

// XREAD / XREADGROUP keys: the first half of the arguments after STREAMS (streamGetKeys).
std::vector<int> xread_keys(std::span<const std::string_view> argv) {
  std::vector<int> keys;
  size_t streams_pos = 0;
  for (size_t i = 1; i < argv.size(); ++i) {
    std::string_view a = argv[i];
    if (iequals(a, "block") || iequals(a, "count")) {
      ++i;
    } else if (iequals(a, "group")) {
      i += 2;
    } else if (iequals(a, "noack")) {
      // no argument
    } else if (iequals(a, "streams")) {
      streams_pos = i;
      break;
    } else {
      break;
    }
  }
  if (streams_pos == 0) return keys;
  size_t n = argv.size() - streams_pos - 1;
  if (n % 2 != 0) return keys;
  for (size_t i = 0; i < n / 2; ++i) keys.push_back(static_cast<int>(streams_pos + 1 + i));
  return keys;
}

}  // namespace

void register_stream_commands(CommandTable& table) {
  auto add = [&](std::string_view name, int arity, uint64_t flags, uint64_t acl, int first,
                 int last, int step, Handler handler, std::string_view summary,
                 std::string_view since) {
    table.add(make_spec(name, arity, flags, acl, first, last, step, CommandGroup::kStream, handler,
                        summary, since));
  };
  add("xadd", -5, kWrite | kDenyOom | kFast, kAclStreamWrite | kAclFast, 1, 1, 1, xadd_command,
      "Appends a new entry to a stream", "5.0.0");
  add("xlen", 2, kReadonly | kFast, kAclStreamRead | kAclFast, 1, 1, 1, xlen_command,
      "Return the number of entries in a stream", "5.0.0");
  add("xrange", -4, kReadonly, kAclStreamRead | kAclSlow, 1, 1, 1, xrange_command,
      "Return a range of elements in a stream, with IDs matching the specified IDs interval",
      "5.0.0");
  add("xrevrange", -4, kReadonly, kAclStreamRead | kAclSlow, 1, 1, 1, xrevrange_command,
      "Return a range of elements in a stream, with IDs matching the specified IDs interval, in "
      "reverse order (from greater to smaller IDs) compared to XRANGE",
      "5.0.0");
  add("xdel", -3, kWrite | kFast, kAclStreamWrite | kAclFast, 1, 1, 1, xdel_command,
      "Removes the specified entries from the stream. Returns the number of items actually "
      "deleted, that may be different from the number of IDs passed in case certain IDs do not "
      "exist.",
      "5.0.0");
  add("xtrim", -4, kWrite, kAclStreamWrite | kAclSlow, 1, 1, 1, xtrim_command,
      "Trims the stream to (approximately if '~' is passed) a certain size", "5.0.0");
  add("xsetid", -3, kWrite | kDenyOom | kFast, kAclStreamWrite | kAclFast, 1, 1, 1, xsetid_command,
      "An internal command for replicating stream values", "5.0.0");

  CommandSpec xread = make_spec(
      "xread", -4, kReadonly | kBlocking | kMovableKeys, kAclStreamRead | kAclSlow | kAclBlocking,
      0, 0, 0, CommandGroup::kStream, xread_command,
      "Return never seen elements in multiple streams, with IDs greater than the ones "
      "reported by the caller for each stream. Can block.",
      "5.0.0");
  xread.get_keys = xread_keys;
  table.add(std::move(xread));
  CommandSpec xreadgroup =
      make_spec("xreadgroup", -7, kWrite | kBlocking | kMovableKeys,
                kAclStream | kAclWrite | kAclSlow | kAclBlocking, 0, 0, 0, CommandGroup::kStream,
                xreadgroup_command,
                "Return new entries from a stream using a consumer group, or access the history "
                "of the pending entries for a given consumer. Can block.",
                "5.0.0");
  xreadgroup.get_keys = xread_keys;
  table.add(std::move(xreadgroup));

  register_group_commands(table);
}

}  // namespace zakros::commands
