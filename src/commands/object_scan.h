// Argument handling shared by the SCAN family over one key's elements (HSCAN, SSCAN, and ZSCAN
// if the sorted-set group wants it): Redis 7.0's parseScanCursorOrReply and the option loop of
// scanGenericCommand (db.c) when a key is given (COUNT and MATCH; TYPE is a syntax error there).
//
// Order of checks, as in Redis: the cursor is parsed before the key is looked up, the options
// after the type check.
#pragma once

#include <cstdint>
#include <string_view>

#include "commands/command.h"

namespace zakros::commands {

struct ObjectScanOptions {
  int64_t count = 10;
  std::string_view pattern;
  bool use_pattern = false;  // false for no MATCH or MATCH *

  // True when `element` passes the MATCH filter.
  bool matches(std::string_view element) const;
};

// strtoul semantics (sign allowed, "-1" wraps), no leading space, no trailing bytes. Replies
// "ERR invalid cursor" and returns false otherwise.
bool parse_scan_cursor(CommandContext& ctx, std::string_view text, uint64_t* cursor);
// Parses argv[first..]: COUNT n (n >= 1), MATCH pattern. Replies the error and returns false.
bool parse_object_scan_options(CommandContext& ctx, size_t first, ObjectScanOptions* options);
// Redis's shared.emptyscan: *2 "0" *0 (a missing key).
void reply_empty_scan(CommandContext& ctx);
// Writes the cursor as an unsigned bulk string (the first element of a SCAN reply).
void reply_scan_cursor(CommandContext& ctx, uint64_t cursor);

}  // namespace zakros::commands
