// Helpers shared by the stream command files (streams.cc: XADD ... XREADGROUP; streams_groups.cc:
// XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO). Private to those two files.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "commands/command.h"
#include "commands/command_util.h"
#include "store/stream.h"

namespace zakros::commands::streams {

inline constexpr std::string_view kInvalidId =
    "ERR Invalid stream ID specified as stream command argument";

// streamGenericParseIDOrReply: `strict` refuses "-" and "+". Replies kInvalidId on failure.
bool parse_id(CommandContext& ctx, std::string_view text, uint64_t missing_seq, bool strict,
              store::StreamID* id, bool* seq_given = nullptr);
// streamParseIntervalIDOrReply: "(" before an ID makes it exclusive (*exclude set).
bool parse_interval_id(CommandContext& ctx, std::string_view text, uint64_t missing_seq,
                       store::StreamID* id, bool* exclude);

// The stream at `key` for a read (lookupKeyRead: statistics, keymiss): null if absent;
// *wrongtype set (and WRONGTYPE replied) when the key holds another type.
store::StreamObject* lookup_read_stream(CommandContext& ctx, std::string_view key, bool* wrongtype);
// lookupKeyWrite flavour.
store::StreamObject* lookup_write_stream(CommandContext& ctx, std::string_view key,
                                         bool* wrongtype);

void reply_id(CommandContext& ctx, const store::StreamID& id);

// streamReplyWithRange's flags.
enum RangeFlag : unsigned {
  kRangeNoAck = 1,       // XREADGROUP NOACK: no PEL entries
  kRangeRawEntries = 2,  // no array header: the caller counts the entries
  kRangeHistory = 4,     // serve the consumer's own PEL (XREADGROUP with an explicit ID)
};
// streamReplyWithRange: replies the entries in [start, end] (at most `count`, 0 = all), each as
// [id, [field, value, ...]]. With a group (XREADGROUP), advances the group's last ID and
// entries_read and adds the entries to the PELs. Returns the number of entries replied.
size_t reply_range(CommandContext& ctx, store::StreamObject& s, const store::StreamID& start,
                   const store::StreamID* end, size_t count, bool rev, store::StreamGroup* group,
                   store::StreamConsumer* consumer, unsigned flags);

// streamCreateConsumer with notification ("xgroup-createconsumer").
store::StreamConsumer* create_consumer(CommandContext& ctx, store::StreamGroup& group,
                                       std::string_view name, std::string_view key);
// streamLookupConsumer: refreshes seen_time unless !refresh.
store::StreamConsumer* lookup_consumer(CommandContext& ctx, store::StreamGroup& group,
                                       std::string_view name, bool refresh);

// addReplySubcommandSyntaxError.
void reply_subcommand_syntax_error(CommandContext& ctx);

void register_group_commands(CommandTable& table);  // streams_groups.cc

}  // namespace zakros::commands::streams
