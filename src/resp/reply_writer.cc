#include "resp/reply_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace zakros::resp {

namespace {

void append_integer(std::string* out, long long value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  (void)ec;
  out->append(buf, end);
}

}  // namespace

std::string format_double(double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[64];
  int len = std::snprintf(buf, sizeof(buf), "%.17g", value);
  return std::string(buf, static_cast<size_t>(len));
}

void ReplyWriter::header(char type, long long count) {
  out_->push_back(type);
  append_integer(out_, count);
  out_->append("\r\n");
}

void ReplyWriter::simple(std::string_view text) {
  out_->push_back('+');
  out_->append(text);
  out_->append("\r\n");
}

void ReplyWriter::error(std::string_view message) {
  if (observer_ != nullptr) observer_->on_error_reply(message);
  out_->push_back('-');
  size_t start = out_->size();
  out_->append(message);
  for (size_t i = start; i < out_->size(); ++i) {
    if ((*out_)[i] == '\r' || (*out_)[i] == '\n') (*out_)[i] = ' ';
  }
  out_->append("\r\n");
}

void ReplyWriter::integer(long long value) {
  out_->push_back(':');
  append_integer(out_, value);
  out_->append("\r\n");
}

void ReplyWriter::bulk(std::string_view bytes) {
  header('$', static_cast<long long>(bytes.size()));
  out_->append(bytes);
  out_->append("\r\n");
}

void ReplyWriter::bulk_integer(long long value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  (void)ec;
  bulk(std::string_view(buf, static_cast<size_t>(end - buf)));
}

void ReplyWriter::null() {
  out_->append(resp3() ? "_\r\n" : "$-1\r\n");
}

void ReplyWriter::null_array() {
  out_->append(resp3() ? "_\r\n" : "*-1\r\n");
}

void ReplyWriter::array(size_t count) {
  header('*', static_cast<long long>(count));
}

void ReplyWriter::map(size_t pairs) {
  if (resp3()) {
    header('%', static_cast<long long>(pairs));
  } else {
    header('*', static_cast<long long>(pairs * 2));
  }
}

void ReplyWriter::set(size_t count) {
  header(resp3() ? '~' : '*', static_cast<long long>(count));
}

void ReplyWriter::push(size_t count) {
  header(resp3() ? '>' : '*', static_cast<long long>(count));
}

void ReplyWriter::double_value(double value) {
  double_text(format_double(value));
}

void ReplyWriter::double_text(std::string_view text) {
  if (resp3()) {
    out_->push_back(',');
    out_->append(text);
    out_->append("\r\n");
  } else {
    bulk(text);
  }
}

void ReplyWriter::boolean(bool value) {
  if (resp3()) {
    out_->append(value ? "#t\r\n" : "#f\r\n");
  } else {
    integer(value ? 1 : 0);
  }
}

void ReplyWriter::verbatim(std::string_view text, std::string_view format) {
  if (!resp3()) {
    bulk(text);
    return;
  }
  header('=', static_cast<long long>(text.size() + 4));
  out_->append(format.substr(0, 3));
  out_->push_back(':');
  out_->append(text);
  out_->append("\r\n");
}

void ReplyWriter::big_number(std::string_view digits) {
  if (!resp3()) {
    bulk(digits);
    return;
  }
  out_->push_back('(');
  out_->append(digits);
  out_->append("\r\n");
}

// A deferred header is a placeholder byte at `token`; end_deferred replaces it with the real
// header. Inserting shifts what follows, which is why tokens must be ended innermost first.
size_t ReplyWriter::begin_deferred() {
  out_->push_back('?');
  return out_->size() - 1;
}

void ReplyWriter::end_deferred(size_t token, char type, long long count) {
  char buf[32];
  buf[0] = type;
  auto [end, ec] = std::to_chars(buf + 1, buf + sizeof(buf) - 2, count);
  (void)ec;
  *end++ = '\r';
  *end++ = '\n';
  out_->replace(token, 1, buf, static_cast<size_t>(end - buf));
}

void ReplyWriter::end_deferred_array(size_t token, size_t count) {
  end_deferred(token, '*', static_cast<long long>(count));
}

void ReplyWriter::end_deferred_map(size_t token, size_t pairs) {
  if (resp3()) {
    end_deferred(token, '%', static_cast<long long>(pairs));
  } else {
    end_deferred(token, '*', static_cast<long long>(pairs * 2));
  }
}

void ReplyWriter::end_deferred_set(size_t token, size_t count) {
  end_deferred(token, resp3() ? '~' : '*', static_cast<long long>(count));
}

}  // namespace zakros::resp
