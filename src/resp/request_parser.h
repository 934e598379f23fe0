// RequestParser: the incremental, zero-copy parser for client requests, in both of Redis's
// request forms:
//   multibulk  "*<argc>\r\n" then argc times "$<len>\r\n<len bytes>\r\n"  (RESP2 and RESP3
//              clients both send requests this way)
//   inline     one line of space-separated words ending in "\n" or "\r\n", with the quoting
//              rules of Redis's sdssplitargs(): "..." understands \n \r \t \b \a \xHH and
//              \<any byte>; '...' understands only \'; a closing quote must be followed by a
//              space or the end of the line; quotes may start in the middle of a word
//              (foo"bar" is foobar).
// A request starting with '*' is multibulk, anything else is inline (Redis's rule).
//
// Who calls it: the server's client connection, once per request, on its read buffer.
//
// Protocol (how to call it):
//   - `buffer` is the connection's unconsumed bytes: it starts at the first byte of the
//     request being parsed.
//   - kComplete: the request occupied the first *consumed bytes of `buffer`; drop them after
//     executing it. *argv holds its arguments, or is EMPTY for a request Redis ignores
//     ("*0\r\n", "*-1\r\n" or any negative count, an empty or all-blank inline line): drop
//     the bytes and execute nothing, as Redis's resetClient() does.
//   - kIncomplete: more bytes are needed; *consumed is 0 and the bytes must be kept. The
//     parser remembers its progress as offsets from the start of the pending request, so the
//     caller may move, compact or grow its buffer before the next call as long as the pending
//     bytes stay in order at its start; a request arriving in many reads is scanned once in
//     total, not once per read.
//   - kError: error() holds Redis's text (e.g. "Protocol error: invalid bulk length"); the
//     server replies "-ERR " + error() and closes the connection. The state stays kError
//     until reset().
//
// Lifetime of argv: multibulk arguments are views into `buffer` (no copy), valid while the
// caller keeps those bytes. Inline arguments may contain unescaped bytes, so they are built in
// an arena owned by the parser. Either way argv is valid until the next parse() or reset() call
// and, for views into the buffer, until the caller discards or moves those bytes: execute the
// command before dropping *consumed bytes or calling parse() again.
//
// Exactly as Redis 7.0 (networking.c processInlineBuffer / processMultibulkBuffer):
//   - A count line ("*N", "$N") is only examined once its '\r' and one more byte are buffered;
//     the byte after '\r' is skipped without being checked, as are the two bytes after a bulk.
//   - "expected '$', got 'X'" is reported only once the whole line after the bulk count is
//     buffered.
//   - "too big inline request" / "too big mbulk count string" / "too big bulk count string":
//     no line terminator within the buffered bytes and more than max_inline_size of them
//     (counted from the start of the request, or of the "$" line). As in Redis, the outcome
//     for a line a little longer than the limit depends on how the bytes were chunked.
//   - A NUL byte before the terminator of an inline line or count line hides the terminator
//     (Redis searches with strchr()); the request then waits until the size limit is exceeded.
//   - Multibulk count > max_multibulk_len (default INT_MAX, as in 7.0) is an invalid multibulk
//     length; a bulk length < 0 or > max_bulk_len (proto-max-bulk-len) an invalid bulk length.
//   - While authentication is required (set_auth_required), a count > 10 or a bulk longer than
//     16384 bytes is refused with "unauthenticated multibulk length" / "unauthenticated bulk
//     length".
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zakros::resp {

class RequestParser {
 public:
  struct Limits {
    int64_t max_bulk_len = 512LL * 1024 * 1024;  // proto-max-bulk-len
    size_t max_inline_size = 64 * 1024;          // PROTO_INLINE_MAX_SIZE
    int64_t max_multibulk_len = INT_MAX;         // Redis 7.0's cap on "*N"
  };

  enum class Status { kComplete, kIncomplete, kError };

  RequestParser() : RequestParser(Limits{}) {}
  explicit RequestParser(Limits limits) : limits_(limits) {}

  // See the file comment. `argv` is cleared and refilled (its capacity is reused).
  Status parse(std::string_view buffer, size_t* consumed, std::vector<std::string_view>* argv);

  // Redis's error text for the last kError (without the "-ERR " prefix).
  std::string_view error() const { return error_; }

  // Forgets any partial request and any error (e.g. after the connection's buffer is reset).
  void reset();
  // Frees the argument list a request of more than `max_args` arguments left behind, between
  // requests (the list is kept for reuse otherwise).
  void release_large_scratch(size_t max_args) {
    if (state_ == State::kStart && spans_.capacity() > max_args) std::vector<Span>().swap(spans_);
  }

  // Whether the request last returned as kComplete was an inline one (Redis treats a few
  // things differently for inline requests).
  bool last_was_inline() const { return last_inline_; }

  // True while a request has been started but is not complete.
  bool in_progress() const { return state_ != State::kStart && state_ != State::kError; }

  // When the parser waits for the data of a bulk, the total number of bytes (from the start of
  // the pending request) that must be buffered before that bulk is complete; otherwise 0.
  // Lets the connection size its read buffer for a large argument in one step, as Redis does
  // for arguments of 32KB and more.
  size_t bytes_needed_hint() const;

  // CONFIG SET proto-max-bulk-len changes the limits of live connections.
  void set_limits(Limits limits) { limits_ = limits; }
  const Limits& limits() const { return limits_; }

  // Set while the client must still AUTH (requirepass): big counts and bulks are refused.
  void set_auth_required(bool required) { auth_required_ = required; }

 private:
  enum class State : uint8_t { kStart, kInline, kMultibulkCount, kBulkLength, kBulkData, kError };

  // One argument as offsets from the start of the pending request (the buffer may move).
  struct Span {
    size_t offset;
    size_t length;
  };

  enum class Step { kDone, kEmpty, kNeedMore, kFailed };

  Step parse_inline(std::string_view buf);
  Step parse_multibulk(std::string_view buf);
  // Searches for `terminator` in buf from scan_ on; stops at a NUL as strchr() would.
  // Returns its index or npos (then scan_ remembers where to resume).
  size_t find_terminator(std::string_view buf, char terminator);
  Step fail(const char* message);
  void start_request();
  void finish(std::string_view buf, std::vector<std::string_view>* argv);

  Limits limits_;
  State state_ = State::kStart;
  bool auth_required_ = false;
  bool last_inline_ = false;
  bool nul_seen_ = false;   // a NUL hides the current line's terminator for good
  size_t pos_ = 0;          // start of the line or bulk being parsed, from the request start
  size_t scan_ = 0;         // where the terminator search resumes, from the request start
  size_t request_end_ = 0;  // bytes the completed request occupies
  int64_t args_left_ = 0;
  int64_t bulk_len_ = 0;
  std::vector<Span> spans_;
  std::string arena_;  // inline arguments, which may differ from the raw bytes
  std::string error_;
};

}  // namespace zakros::resp
