// Helpers shared by the data command groups (keyspace.cc, strings.cc and the type groups that
// follow): key lookups that honour expiry and Redis's hit/miss accounting, argument parsing
// that replies Redis's exact errors, and a few reply shapes.
//
// Lookups mirror Redis's lookupKeyRead / lookupKeyWrite (db.c): both hide logically expired
// keys (deleting them when ExecContext allows); the read flavour also counts keyspace hits and
// misses and sends the 'keymiss' notification.
#pragma once

#include "util/strings.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command.h"
#include "store/keyspace.h"

namespace zakros::commands {

// The largest string a command may build (SETRANGE, APPEND, LCS's table); the server sets it
// from the proto-max-bulk-len option at start-up and on CONFIG SET.
extern int64_t g_proto_max_bulk_len;

inline store::TimeContext time_context(const CommandContext& ctx) {
  return store::TimeContext{ctx.exec.now_ms, ctx.exec.may_delete_expired};
}

// lookupKeyRead: counts a hit or a miss, notifies 'keymiss' on a miss.
store::Entry* lookup_read(CommandContext& ctx, std::string_view key, unsigned flags = 0);
// lookupKeyWrite: no statistics.
inline store::Entry* lookup_write(CommandContext& ctx, std::string_view key) {
  return ctx.db().find(key, time_context(ctx));
}

using util::iequals;

// getLongLongFromObjectOrReply: false (and kNotInteger, or `error` when given) if `text` is
// not a strict int64.
bool parse_int_arg(CommandContext& ctx, std::string_view text, int64_t* value,
                   std::string_view error = {});
// getIntFromObjectOrReply: as parse_int_arg, and within int range.
bool parse_int32_arg(CommandContext& ctx, std::string_view text, int* value,
                     std::string_view error = {});

// Replies WRONGTYPE and returns false unless `e` is null or a string.
bool check_string(CommandContext& ctx, const store::Entry* e);

// Bulk reply of a string entry's value (no copy for embstr/raw; ints formatted on the stack).
void reply_string_value(CommandContext& ctx, const store::Entry& e);

// A CommandSpec from its fields (avoids partial designated initializers, which
// -Wmissing-field-initializers rejects).
CommandSpec make_spec(std::string_view name, int arity, uint64_t flags, uint64_t acl, int first_key,
                      int last_key, int key_step, CommandGroup group, Handler handler,
                      std::string_view summary, std::string_view since);

// addReplyHelp: "<CMD> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", the lines,
// then "HELP" / "    Prints this help.", all as status replies.
void reply_help(CommandContext& ctx, std::string_view command,
                std::initializer_list<std::string_view> lines);

// ---- blocking commands (see BlockRequest in command.h) ----
enum class TimeoutUnit { kSeconds, kMilliseconds };
// getTimeoutFromObjectOrReply: BLPOP's fractional seconds or XREAD's BLOCK milliseconds, into
// an absolute deadline on the ExecContext clock (0 = wait forever). Replies Redis's error and
// returns false on a bad value.
bool parse_block_timeout(CommandContext& ctx, std::string_view text, TimeoutUnit unit,
                         int64_t* deadline_ms);
// Asks the server to block the client on `keys` until `deadline_ms` (see BlockRequest). When the
// command cannot block (inside MULTI/EXEC, a script, or the Raft apply path) it replies the
// timeout reply at once instead, as Redis does. The handler must write nothing else.
void block_client(CommandContext& ctx, std::vector<std::string> keys, int64_t deadline_ms,
                  BlockRequest::TimeoutReply timeout_reply,
                  std::vector<std::string> rerun_argv = {});
// Writes a blocking command's timeout reply (null array or null bulk, per protocol).
void reply_block_timeout(resp::ReplyWriter& out, BlockRequest::TimeoutReply timeout_reply);

}  // namespace zakros::commands
