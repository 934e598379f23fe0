// Redis 7.0's exact error texts, byte for byte (server.c shared.*, t_string.c, db.c, expire.c,
// object.c, networking.c). Every handler replies with these constants so that clients and
// Redis's own test suite, which match on the text, see what Redis would send.
//
// The texts start with their error code ("ERR ", "WRONGTYPE "); ReplyWriter::error adds the
// leading '-' and the CRLF. Texts with a parameter are functions returning the formatted text.
// Other engineers extend this header with their groups' texts (keep them grouped and sorted by
// where Redis defines them).
#pragma once

#include <string>
#include <string_view>

namespace zakros::commands {

// --- shared.* (server.c createSharedObjects) -------------------------------------------------
inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kSyntaxError = "ERR syntax error";
inline constexpr std::string_view kSameObject = "ERR source and destination objects are the same";
inline constexpr std::string_view kIndexOutOfRange = "ERR index out of range";

// --- number parsing (object.c getLongLongFromObjectOrReply, getDoubleFromObjectOrReply) ------
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kOutOfRangePositive =
    "ERR value is out of range, must be positive";

// --- databases (db.c) ------------------------------------------------------------------------
inline constexpr std::string_view kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr std::string_view kInvalidFirstDbIndex = "ERR invalid first DB index";
inline constexpr std::string_view kInvalidSecondDbIndex = "ERR invalid second DB index";
inline constexpr std::string_view kInvalidCursor = "ERR invalid cursor";

// --- strings and counters (t_string.c) -------------------------------------------------------
inline constexpr std::string_view kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr std::string_view kIncrOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kDecrOverflow = "ERR decrement would overflow";
inline constexpr std::string_view kIncrNanOrInf = "ERR increment would produce NaN or Infinity";
inline constexpr std::string_view kLcsNotStrings =
    "ERR The specified keys must contain string values";
inline constexpr std::string_view kLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
inline constexpr std::string_view kLcsTooLong = "ERR String too long for LCS";
inline constexpr std::string_view kLcsTooMuchMemory =
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";

// --- expiry (expire.c) -----------------------------------------------------------------------
inline constexpr std::string_view kExpireNxAndOthers =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr std::string_view kExpireGtAndLt =
    "ERR GT and LT options at the same time are not compatible";
// addReplyErrorExpireTime: `command` is the command's full name ("set", "expire", "getex").
inline std::string invalid_expire_time(std::string_view command) {
  return "ERR invalid expire time in '" + std::string(command) + "' command";
}
// parseExtendedExpireArgumentsOrReply.
inline std::string unsupported_option(std::string_view option) {
  return "ERR Unsupported option " + std::string(option);
}

// --- object.c --------------------------------------------------------------------------------
inline constexpr std::string_view kLfuNotSelected =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time to "
    "adjust.";
inline constexpr std::string_view kLfuSelected =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";

// --- networking.c ----------------------------------------------------------------------------
// addReplyErrorArity: `command` is the full name ("mset", "config|get").
inline std::string wrong_arity(std::string_view command) {
  return "ERR wrong number of arguments for '" + std::string(command) + "' command";
}

}  // namespace zakros::commands
