// Glob-style matching exactly as Redis 7.0's stringmatchlen() (KEYS, SCAN MATCH, PSUBSCRIBE,
// CONFIG GET, CLIENT KILL, ACL patterns ...).
//
// Pattern syntax: '*' any run of bytes, '?' any one byte, '[abc]' a set, '[^abc]' its complement,
// '[a-z]' a range (reversed ranges such as '[z-a]' work too), '\x' the literal byte x, inside or
// outside a set. Redis's quirks are kept on purpose, because clients observe them:
//  - An empty text matches only the empty pattern (stringmatchlen("*", "") is 0 in Redis; KEYS and
//    SCAN special-case a lone "*" before calling it, callers here should do the same).
//  - An unterminated set ("[abc") runs to the end of the pattern; "[]" matches nothing and "[^]"
//    anything; "[a-]" is the range 'a'..']' (Redis reads the ']' as the range end).
//  - With nocase, a backslash-escaped byte inside a set is still compared case-sensitively.
//  - Bytes >= 0x80 compare as signed chars in ranges, as Redis does on x86/ARM Linux builds.
//  - Redis stops recursing after 1000 nested '*': a pattern with more than 1000 groups of '*'
//    that are followed by further pattern bytes matches nothing. We reproduce that result.
//
// Complexity: Redis recurses once per '*' (bounded at 1000) and relies on an early-exit flag to
// avoid exponential time. This implementation is iterative: every token other than '*' consumes
// exactly one byte, so remembering only the most recent '*' and retrying it one byte further on
// a mismatch finds a match iff one exists. Time is O(|pattern| * |text|) in the worst case and
// O(|pattern| + |text|) typically; stack use is constant, so no pattern can exhaust it.
#pragma once

#include <string_view>

namespace zakros::util {

bool glob_match(std::string_view pattern, std::string_view text, bool nocase = false);

}  // namespace zakros::util
