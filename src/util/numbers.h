// Number parsing and formatting exactly as Redis 7.0 does it (util.c: string2ll, string2l,
// string2ld, string2d, ld2string, d2string, digits10, ll2string).
//
// Who calls it: every command handler that takes a numeric argument (INCRBY, EXPIRE, SETRANGE,
// INCRBYFLOAT, ZADD scores, ...), the store's integer-encoding check (OBJECT ENCODING "int"),
// the config parser, and the reply writer. Redis's strictness is part of its protocol: "+1",
// "01", " 1" and "-0" are not integers, so INCR on them answers
// "ERR value is not an integer or out of range"; these functions reproduce that byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zakros::util {

// Longest decimal text of an int64 ("-9223372036854775808"), without a terminator.
inline constexpr size_t kInt64MaxChars = 20;
// Redis's MAX_LONG_DOUBLE_CHARS: longer inputs to parse_long_double are rejected.
inline constexpr size_t kMaxLongDoubleChars = 5 * 1024;

// Redis's string2ll. Accepts exactly: "0", or an optional '-' followed by a digit 1-9 and more
// digits, at most 20 characters, within int64 range. Rejects "", "+1", "01", "-0", " 1", "1 ",
// overflow. On failure *value is left untouched. `value` may be null (validity check only).
bool parse_int64(std::string_view text, int64_t* value);

// Redis's string2l, i.e. the test tryObjectEncoding() uses to store a string as an integer
// ("int" encoding): the text is the canonical decimal form of an int64. On LP64 this is the same
// set as parse_int64; kept as its own name so callers say which question they ask.
bool is_canonical_int64(std::string_view text, int64_t* value);

// Strict unsigned counterpart of parse_int64: "0" or [1-9][0-9]* within uint64 range, no sign,
// no spaces. (Used where zakros wants a strict unsigned value; see the next function for the
// exact Redis stream-ID parser.)
bool parse_uint64(std::string_view text, uint64_t* value);

// Redis's string2ull (stream IDs, module API): string2ll first (negative rejected), otherwise
// strtoull base 10 on the whole text. This is laxer than parse_uint64: it inherits strtoull's
// acceptance of leading spaces, '+', leading zeros and "-0" (Redis's own behaviour).
bool parse_uint64_like_redis_stream_id(std::string_view text, uint64_t* value);

// Redis's string2ld (INCRBYFLOAT, HINCRBYFLOAT): strtold over the whole text; rejects empty
// text, text of kMaxLongDoubleChars or more, a leading space, trailing bytes (including NUL),
// overflow to +-HUGE_VAL, underflow to zero with ERANGE, and NaN. Accepts "inf", "-inf",
// "1e10", hexadecimal floats, as strtold does.
bool parse_long_double(std::string_view text, long double* value);

// Redis's string2d (getDoubleFromObject: ZADD scores, ZINCRBY, INCRBYFLOAT's sibling paths):
// strtod over the whole text with the same rejections as parse_long_double (no length cap).
// Accepts "inf", "+inf", "-inf", "infinity"; rejects "nan".
bool parse_double(std::string_view text, double* value);

// Redis's ld2string. human=true is LD_STR_HUMAN (what INCRBYFLOAT replies and stores):
// "%.17Lf", then trailing zeros and a trailing '.' removed, "-0" turned into "0".
// human=false is LD_STR_AUTO ("%.17Lg"). Infinity is "inf" / "-inf" in both modes.
std::string format_long_double(long double value, bool human = true);

// Redis's d2string: "nan", "inf", "-inf", "0", "-0", integers that fit safely in a long long
// printed as integers (1e17 -> "100000000000000000"), anything else "%.17g".
std::string format_double_shortest(double value);

// Number of decimal digits of v (Redis's digits10): 1 for 0.
int digits10(uint64_t v);

// Writes the decimal text of value into buf (no terminator) and returns its length.
// buf must have room for kInt64MaxChars bytes.
size_t format_int64(int64_t value, char* buf);
// Same for an unsigned value; buf needs 20 bytes.
size_t format_uint64(uint64_t value, char* buf);

// Convenience: the decimal text of value as a std::string.
std::string int64_to_string(int64_t value);

}  // namespace zakros::util
