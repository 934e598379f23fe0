// ReplyWriter: builds RESP replies into an output buffer, in the protocol version the client
// negotiated (RESP2 by default, RESP3 after HELLO 3).
//
// Who calls it: every command handler (through CommandContext::out) and the server's connection
// code. It only appends bytes to a std::string owned by the caller; it never does I/O, so the
// connection can batch every reply produced by one read into one write.
//
// RESP3-only types degrade to their RESP2 forms exactly as Redis 7.0 does:
//   map(n)     -> array of 2n           set(n)      -> array of n
//   push(n)    -> array of n            null()      -> $-1 (null bulk)
//   boolean    -> integer 1/0           double      -> bulk string ("%.17g", "inf", "-inf")
//   verbatim   -> bulk string           big_number  -> bulk string
//   null_array -> *-1
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zakros::resp {

// Told about every error reply, for INFO errorstats and the per-command failed_calls count.
class ErrorObserver {
 public:
  virtual ~ErrorObserver() = default;
  // `message` is the error text without the leading '-' and trailing CRLF, e.g. "ERR syntax error".
  virtual void on_error_reply(std::string_view message) = 0;
};

class ReplyWriter {
 public:
  explicit ReplyWriter(std::string* out, int protocol = 2) : out_(out), protocol_(protocol) {}

  int protocol() const { return protocol_; }
  void set_protocol(int protocol) { protocol_ = protocol; }
  bool resp3() const { return protocol_ >= 3; }
  void set_error_observer(ErrorObserver* observer) { observer_ = observer; }

  // Redirects output to another buffer (e.g. a MULTI transaction collecting replies, or a sink
  // that discards replies when a follower applies a log entry).
  std::string* buffer() const { return out_; }
  void set_buffer(std::string* out) { out_ = out; }
  size_t size() const { return out_->size(); }

  void simple(std::string_view text);  // +text
  void ok() { out_->append("+OK\r\n"); }
  // An error reply. `message` starts with its code ("ERR ...", "WRONGTYPE ..."); if it has no
  // code, "ERR " is not added: callers pass Redis's full text (see commands/errors.h). Any CR or
  // LF inside `message` is replaced by a space, as Redis does, so the reply stays one line.
  void error(std::string_view message);
  void integer(long long value);
  void bulk(std::string_view bytes);
  void bulk_integer(long long value);  // an integer sent as a bulk string
  void null();                         // null bulk (RESP2 $-1) / RESP3 null
  void null_array();                   // null array (RESP2 *-1) / RESP3 null
  void array(size_t count);
  void map(size_t pairs);
  void set(size_t count);
  void push(size_t count);
  void double_value(double value);
  // A double already formatted by the caller (e.g. INCRBYFLOAT's long double text).
  void double_text(std::string_view text);
  void boolean(bool value);
  void verbatim(std::string_view text, std::string_view format = "txt");
  void big_number(std::string_view digits);
  void empty_array() { array(0); }

  // For replies whose element count is known only after producing the elements: reserve the
  // header, write the elements, then fill it in. Tokens nest (inner before outer is fine).
  size_t begin_deferred();
  void end_deferred_array(size_t token, size_t count);
  void end_deferred_map(size_t token, size_t pairs);
  void end_deferred_set(size_t token, size_t count);

  // Appends bytes that are already valid RESP (e.g. replies collected by EXEC).
  void raw(std::string_view resp) { out_->append(resp); }

 private:
  void header(char type, long long count);
  void end_deferred(size_t token, char type, long long count);

  std::string* out_;
  int protocol_;
  ErrorObserver* observer_ = nullptr;
};

// Formats a double as Redis 7.0 does in replies ("%.17g", "inf", "-inf", "nan" never occurs).
std::string format_double(double value);

}  // namespace zakros::resp
