#include "resp/request_parser.h"

#include <algorithm>

#include "util/numbers.h"

namespace zakros::resp {

namespace {

constexpr size_t kNpos = std::string_view::npos;
// Redis refuses these only while the client is not authenticated.
constexpr int64_t kUnauthMaxMultibulk = 10;
constexpr int64_t kUnauthMaxBulk = 16384;

bool is_space(char c) {
  // isspace() in the C locale.
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Splits one inline line as Redis's sdssplitargs() does, appending each argument's bytes to
// *arena and its position to *spans. The line holds no NUL (the caller's terminator search
// stops at one), so "end of line" plays the role of sdssplitargs' NUL terminator.
// Returns false for unbalanced quotes.
template <typename SpanVec>
bool split_inline(std::string_view line, std::string* arena, SpanVec* spans) {
  const size_t n = line.size();
  auto at = [&](size_t i) -> char { return i < n ? line[i] : '\0'; };
  size_t p = 0;
  for (;;) {
    while (p < n && is_space(line[p])) ++p;
    if (p == n) return true;
    const size_t start = arena->size();
    bool in_double = false;
    bool in_single = false;
    bool done = false;
    while (!done) {
      const char c = at(p);
      if (in_double) {
        if (c == '\\' && at(p + 1) == 'x' && is_hex(at(p + 2)) && is_hex(at(p + 3))) {
          arena->push_back(static_cast<char>(hex_value(at(p + 2)) * 16 + hex_value(at(p + 3))));
          p += 3;
        } else if (c == '\\' && at(p + 1) != '\0') {
          ++p;
          char out;
          switch (line[p]) {
            case 'n':
              out = '\n';
              break;
            case 'r':
              out = '\r';
              break;
            case 't':
              out = '\t';
              break;
            case 'b':
              out = '\b';
              break;
            case 'a':
              out = '\a';
              break;
            default:
              out = line[p];
              break;
          }
          arena->push_back(out);
        } else if (c == '"') {
          // A closing quote must be followed by a space or nothing at all.
          if (at(p + 1) != '\0' && !is_space(at(p + 1))) return false;
          done = true;
        } else if (c == '\0') {
          return false;  // unterminated quotes
        } else {
          arena->push_back(c);
        }
      } else if (in_single) {
        if (c == '\\' && at(p + 1) == '\'') {
          ++p;
          arena->push_back('\'');
        } else if (c == '\'') {
          if (at(p + 1) != '\0' && !is_space(at(p + 1))) return false;
          done = true;
        } else if (c == '\0') {
          return false;
        } else {
          arena->push_back(c);
        }
      } else {
        switch (c) {
          // Not isspace(): '\v' and '\f' belong to the word, as in sdssplitargs().
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case '\0':
            done = true;
            break;
          case '"':
            in_double = true;
            break;
          case '\'':
            in_single = true;
            break;
          default:
            arena->push_back(c);
            break;
        }
      }
      if (p < n) ++p;
    }
    spans->push_back({start, arena->size() - start});
  }
}

// string2ll() for the common case of a short positive count ("3", "16"), inlined on the hot
// path; anything unusual (sign, leading zero, long, non-digit) goes to the exact general parser.
bool parse_count(std::string_view text, int64_t* value) {
  const size_t n = text.size();
  if (n == 0 || n > 18 || text[0] < '1' || text[0] > '9') return util::parse_int64(text, value);
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const unsigned d = static_cast<unsigned char>(text[i]) - '0';
    if (d > 9) return false;
    v = v * 10 + d;
  }
  *value = v;
  return true;
}

}  // namespace

void RequestParser::reset() {
  state_ = State::kStart;
  error_.clear();
  spans_.clear();
  arena_.clear();
  pos_ = scan_ = request_end_ = 0;
  nul_seen_ = false;
}

size_t RequestParser::bytes_needed_hint() const {
  if (state_ != State::kBulkData) return 0;
  return pos_ + static_cast<size_t>(bulk_len_) + 2;
}

void RequestParser::start_request() {
  pos_ = 0;
  scan_ = 0;
  request_end_ = 0;
  nul_seen_ = false;
  args_left_ = 0;
  bulk_len_ = -1;
  spans_.clear();
  arena_.clear();
}

RequestParser::Status RequestParser::parse(std::string_view buffer, size_t* consumed,
                                           std::vector<std::string_view>* argv) {
  *consumed = 0;
  argv->clear();
  if (state_ == State::kError) return Status::kError;
  if (state_ == State::kStart) {
    if (buffer.empty()) return Status::kIncomplete;
    start_request();
    last_inline_ = buffer[0] != '*';
    state_ = last_inline_ ? State::kInline : State::kMultibulkCount;
  }
  const Step step = state_ == State::kInline ? parse_inline(buffer) : parse_multibulk(buffer);
  switch (step) {
    case Step::kDone:
      finish(buffer, argv);
      [[fallthrough]];
    case Step::kEmpty:  // Redis resets the client and goes on with the next request
      state_ = State::kStart;
      *consumed = request_end_;
      return Status::kComplete;
    case Step::kFailed:
      return Status::kError;
    case Step::kNeedMore:
      break;
  }
  return Status::kIncomplete;
}

size_t RequestParser::find_terminator(std::string_view buf, char terminator) {
  if (nul_seen_) return kNpos;
  const char* data = buf.data();
  const size_t n = buf.size();
  for (size_t i = scan_; i < n; ++i) {
    const char c = data[i];
    if (c == terminator) {
      scan_ = i;
      return i;
    }
    if (c == '\0') {
      // strchr() in Redis stops here: the terminator is never found for this line.
      nul_seen_ = true;
      return kNpos;
    }
  }
  scan_ = n;
  return kNpos;
}

RequestParser::Step RequestParser::fail(const char* message) {
  state_ = State::kError;
  error_ = message;
  return Step::kFailed;
}

RequestParser::Step RequestParser::parse_inline(std::string_view buf) {
  const size_t newline = find_terminator(buf, '\n');
  if (newline == kNpos) {
    if (buf.size() > limits_.max_inline_size) {
      return fail("Protocol error: too big inline request");
    }
    return Step::kNeedMore;
  }
  size_t end = newline;
  if (end > 0 && buf[end - 1] == '\r') --end;
  request_end_ = newline + 1;
  if (!split_inline(buf.substr(0, end), &arena_, &spans_)) {
    return fail("Protocol error: unbalanced quotes in request");
  }
  return spans_.empty() ? Step::kEmpty : Step::kDone;
}

RequestParser::Step RequestParser::parse_multibulk(std::string_view buf) {
  if (state_ == State::kMultibulkCount) {
    const size_t cr = find_terminator(buf, '\r');
    if (cr == kNpos) {
      if (buf.size() > limits_.max_inline_size) {
        return fail("Protocol error: too big mbulk count string");
      }
      return Step::kNeedMore;
    }
    // Redis wants one more byte after '\r' (and skips it without looking).
    if (cr + 2 > buf.size()) return Step::kNeedMore;
    int64_t count;
    if (!parse_count(buf.substr(1, cr - 1), &count) || count > limits_.max_multibulk_len) {
      return fail("Protocol error: invalid multibulk length");
    }
    if (count > kUnauthMaxMultibulk && auth_required_) {
      return fail("Protocol error: unauthenticated multibulk length");
    }
    pos_ = cr + 2;
    if (count <= 0) {
      request_end_ = pos_;
      return Step::kEmpty;
    }
    args_left_ = count;
    state_ = State::kBulkLength;
    scan_ = pos_;
  }

  while (args_left_ > 0) {
    if (state_ == State::kBulkLength) {
      const size_t cr = find_terminator(buf, '\r');
      if (cr == kNpos) {
        if (buf.size() - pos_ > limits_.max_inline_size) {
          return fail("Protocol error: too big bulk count string");
        }
        return Step::kNeedMore;
      }
      if (cr + 2 > buf.size()) return Step::kNeedMore;
      if (buf[pos_] != '$') {
        state_ = State::kError;
        error_ = "Protocol error: expected '$', got '";
        error_ += buf[pos_];
        error_ += '\'';
        return Step::kFailed;
      }
      int64_t len;
      if (!parse_count(buf.substr(pos_ + 1, cr - pos_ - 1), &len) || len < 0 ||
          len > limits_.max_bulk_len) {
        return fail("Protocol error: invalid bulk length");
      }
      if (len > kUnauthMaxBulk && auth_required_) {
        return fail("Protocol error: unauthenticated bulk length");
      }
      pos_ = cr + 2;
      bulk_len_ = len;
      state_ = State::kBulkData;
    }
    // The bulk and the two bytes after it (Redis does not check that they are "\r\n").
    const size_t len = static_cast<size_t>(bulk_len_);
    if (buf.size() - pos_ < len + 2) return Step::kNeedMore;
    spans_.push_back({pos_, len});
    pos_ += len + 2;
    --args_left_;
    state_ = State::kBulkLength;
    scan_ = pos_;
    nul_seen_ = false;
  }
  request_end_ = pos_;
  return Step::kDone;
}

void RequestParser::finish(std::string_view buf, std::vector<std::string_view>* argv) {
  const char* base = last_inline_ ? arena_.data() : buf.data();
  argv->reserve(spans_.size());
  for (const Span& s : spans_) argv->emplace_back(base + s.offset, s.length);
}

}  // namespace zakros::resp
