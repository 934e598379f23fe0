#include "commands/command_util.h"

#include <cmath>
#include <cstdint>

#include <climits>
#include <string>

#include "commands/errors.h"
#include "util/numbers.h"

namespace zakros::commands {

int64_t g_proto_max_bulk_len = 512ll * 1024 * 1024;

store::Entry* lookup_read(CommandContext& ctx, std::string_view key, unsigned flags) {
  store::Entry* e = ctx.db().find(key, time_context(ctx), flags);
  if (e == nullptr) {
    ++ctx.keyspace.keyspace_misses;
    ctx.events.notify('m', "keymiss", key, ctx.db_index);
  } else {
    ++ctx.keyspace.keyspace_hits;
  }
  return e;
}

bool parse_int_arg(CommandContext& ctx, std::string_view text, int64_t* value,
                   std::string_view error) {
  if (util::parse_int64(text, value)) return true;
  ctx.out.error(error.empty() ? kNotInteger : error);
  return false;
}

bool parse_int32_arg(CommandContext& ctx, std::string_view text, int* value,
                     std::string_view error) {
  int64_t v;
  if (!util::parse_int64(text, &v) || v < INT_MIN || v > INT_MAX) {
    ctx.out.error(error.empty() ? kNotInteger : error);
    return false;
  }
  *value = static_cast<int>(v);
  return true;
}

bool check_string(CommandContext& ctx, const store::Entry* e) {
  if (e == nullptr || e->is_string()) return true;
  ctx.out.error(kWrongType);
  return false;
}

void reply_string_value(CommandContext& ctx, const store::Entry& e) {
  char buf[store::Entry::kIntMaxChars];
  ctx.out.bulk(e.string_value(buf));
}

CommandSpec make_spec(std::string_view name, int arity, uint64_t flags, uint64_t acl, int first_key,
                      int last_key, int key_step, CommandGroup group, Handler handler,
                      std::string_view summary, std::string_view since) {
  CommandSpec spec;
  spec.name = name;
  spec.arity = arity;
  spec.flags = flags;
  spec.acl = acl;
  spec.first_key = first_key;
  spec.last_key = last_key;
  spec.key_step = key_step;
  spec.group = group;
  spec.handler = handler;
  spec.summary = summary;
  spec.since = since;
  return spec;
}

void reply_help(CommandContext& ctx, std::string_view command,
                std::initializer_list<std::string_view> lines) {
  ctx.out.array(lines.size() + 3);
  std::string head(command);
  for (char& c : head) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  head += " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:";
  ctx.out.simple(head);
  for (std::string_view line : lines) ctx.out.simple(line);
  ctx.out.simple("HELP");
  ctx.out.simple("    Prints this help.");
}

bool parse_block_timeout(CommandContext& ctx, std::string_view text, TimeoutUnit unit,
                         int64_t* deadline_ms) {
  int64_t ms = 0;
  if (unit == TimeoutUnit::kSeconds) {
    long double seconds;
    if (!util::parse_long_double(text, &seconds)) {
      ctx.out.error("ERR timeout is not a float or out of range");
      return false;
    }
    long double scaled = std::ceil(seconds * 1000.0L);
    // Redis converts with a plain cast; refuse what no int64 holds instead of overflowing.
    if (!(scaled < 9.2e18L && scaled > -9.2e18L)) {
      ctx.out.error(scaled < 0 ? "ERR timeout is negative" : "ERR timeout is out of range");
      return false;
    }
    ms = static_cast<int64_t>(scaled);
  } else if (!util::parse_int64(text, &ms)) {
    ctx.out.error("ERR timeout is not an integer or out of range");
    return false;
  }
  if (ms < 0) {
    ctx.out.error("ERR timeout is negative");
    return false;
  }
  if (ms > 0 && ms > INT64_MAX - ctx.exec.now_ms) {
    ctx.out.error("ERR timeout is out of range");
    return false;
  }
  *deadline_ms = ms > 0 ? ctx.exec.now_ms + ms : 0;
  return true;
}

void reply_block_timeout(resp::ReplyWriter& out, BlockRequest::TimeoutReply timeout_reply) {
  if (timeout_reply == BlockRequest::TimeoutReply::kNullArray) {
    out.null_array();
  } else {
    out.null();
  }
}

void block_client(CommandContext& ctx, std::vector<std::string> keys, int64_t deadline_ms,
                  BlockRequest::TimeoutReply timeout_reply, std::vector<std::string> rerun_argv) {
  if (ctx.block == nullptr) {
    reply_block_timeout(ctx.out, timeout_reply);
    return;
  }
  ctx.block->requested = true;
  ctx.block->keys = std::move(keys);
  ctx.block->deadline_ms = deadline_ms;
  ctx.block->timeout_reply = timeout_reply;
  ctx.block->rerun_argv = std::move(rerun_argv);
}

}  // namespace zakros::commands
