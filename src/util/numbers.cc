#include "util/numbers.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace zakros::util {

namespace {

// Copies text into a NUL-terminated buffer for the strto* family. Short inputs (the common
// case) use the stack; long ones (legal for string2d, e.g. many zeros) use the heap.
class CString {
 public:
  explicit CString(std::string_view text) {
    if (text.size() < sizeof(small_)) {
      std::memcpy(small_, text.data(), text.size());
      small_[text.size()] = '\0';
      ptr_ = small_;
    } else {
      large_.assign(text.data(), text.size());
      ptr_ = large_.c_str();
    }
  }
  const char* get() const { return ptr_; }

 private:
  char small_[128];
  std::string large_;
  const char* ptr_;
};

bool is_space(char c) {
  // isspace() in the C locale.
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Parses [1-9][0-9]* (or the caller handled "0") into an unsigned value with overflow checks.
// Returns false on a non-digit or overflow.
bool parse_digits(std::string_view digits, uint64_t* out) {
  if (digits.empty() || digits[0] < '1' || digits[0] > '9') return false;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > std::numeric_limits<uint64_t>::max() / 10) return false;
    v *= 10;
    if (v > std::numeric_limits<uint64_t>::max() - d) return false;
    v += d;
  }
  *out = v;
  return true;
}

constexpr char kDigitPairs[] =
    "0001020304050607080910111213141516171819"
    "2021222324252627282930313233343536373839"
    "4041424344454647484950515253545556575859"
    "6061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

}  // namespace

bool parse_int64(std::string_view text, int64_t* value) {
  // Redis rejects 21+ characters (LONG_STR_SIZE) before looking at them.
  if (text.empty() || text.size() > kInt64MaxChars) return false;
  if (text.size() == 1 && text[0] == '0') {
    if (value) *value = 0;
    return true;
  }
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  uint64_t v;
  if (!parse_digits(text, &v)) return false;
  if (negative) {
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) return false;
    if (value) *value = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    if (value) *value = static_cast<int64_t>(v);
  }
  return true;
}

bool is_canonical_int64(std::string_view text, int64_t* value) {
  return parse_int64(text, value);
}

bool parse_uint64(std::string_view text, uint64_t* value) {
  if (text.empty() || text.size() > kInt64MaxChars) return false;
  if (text.size() == 1 && text[0] == '0') {
    if (value) *value = 0;
    return true;
  }
  uint64_t v;
  if (!parse_digits(text, &v)) return false;
  if (value) *value = v;
  return true;
}

bool parse_uint64_like_redis_stream_id(std::string_view text, uint64_t* value) {
  // Redis works on a C string here, so anything after an embedded NUL is invisible to it.
  text = text.substr(0, text.find('\0'));
  int64_t ll;
  if (parse_int64(text, &ll)) {
    if (ll < 0) return false;
    if (value) *value = static_cast<uint64_t>(ll);
    return true;
  }
  CString buf(text);
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(buf.get(), &end, 10);
  if (errno == EINVAL || errno == ERANGE || buf.get()[0] == '\0' || *end != '\0') return false;
  if (value) *value = v;
  return true;
}

bool parse_long_double(std::string_view text, long double* value) {
  if (text.empty() || text.size() >= kMaxLongDoubleChars) return false;
  CString buf(text);
  errno = 0;
  char* end = nullptr;
  const long double v = std::strtold(buf.get(), &end);
  if (is_space(text[0]) || static_cast<size_t>(end - buf.get()) != text.size() ||
      (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || std::fpclassify(v) == FP_ZERO)) ||
      errno == EINVAL || std::isnan(v)) {
    return false;
  }
  if (value) *value = v;
  return true;
}

bool parse_double(std::string_view text, double* value) {
  if (text.empty()) return false;
  CString buf(text);
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(buf.get(), &end);
  if (is_space(text[0]) || static_cast<size_t>(end - buf.get()) != text.size() ||
      (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || std::fpclassify(v) == FP_ZERO)) ||
      std::isnan(v)) {
    return false;
  }
  if (value) *value = v;
  return true;
}

std::string format_long_double(long double value, bool human) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // "%.17Lf" of LDBL_MAX has ~4950 digits: size the buffer from snprintf's answer.
  char small[128];
  const char* fmt = human ? "%.17Lf" : "%.17Lg";
  int n = std::snprintf(small, sizeof(small), fmt, value);
  std::string out;
  if (n < 0) return out;
  if (static_cast<size_t>(n) < sizeof(small)) {
    out.assign(small, static_cast<size_t>(n));
  } else {
    out.resize(static_cast<size_t>(n) + 1);
    std::snprintf(out.data(), out.size(), fmt, value);
    out.resize(static_cast<size_t>(n));
  }
  if (!human) return out;
  if (out.find('.') != std::string::npos) {
    size_t len = out.size();
    while (len > 0 && out[len - 1] == '0') --len;
    if (len > 0 && out[len - 1] == '.') --len;
    out.resize(len);
  }
  if (out == "-0") out = "0";
  return out;
}

std::string format_double_shortest(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  // Redis's double2ll: within +-LLONG_MAX/2 an integral double prints as an integer.
  constexpr double kSafe = static_cast<double>(std::numeric_limits<int64_t>::max() / 2);
  if (value >= -kSafe && value <= kSafe) {
    const auto ll = static_cast<int64_t>(value);
    if (static_cast<double>(ll) == value) return int64_to_string(ll);
  }
  char buf[64];
  const int n = std::snprintf(buf, sizeof(buf), "%.17g", value);
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

int digits10(uint64_t v) {
  int n = 1;
  // Four digits per step, then the rest: fast enough and obviously right.
  while (v >= 10000) {
    v /= 10000;
    n += 4;
  }
  if (v >= 1000) return n + 3;
  if (v >= 100) return n + 2;
  if (v >= 10) return n + 1;
  return n;
}

size_t format_uint64(uint64_t value, char* buf) {
  const size_t len = static_cast<size_t>(digits10(value));
  size_t pos = len;
  // Two digits at a time from the right.
  while (value >= 100) {
    const size_t i = static_cast<size_t>(value % 100) * 2;
    value /= 100;
    buf[--pos] = kDigitPairs[i + 1];
    buf[--pos] = kDigitPairs[i];
  }
  if (value < 10) {
    buf[--pos] = static_cast<char>('0' + value);
  } else {
    const size_t i = static_cast<size_t>(value) * 2;
    buf[--pos] = kDigitPairs[i + 1];
    buf[--pos] = kDigitPairs[i];
  }
  return len;
}

size_t format_int64(int64_t value, char* buf) {
  if (value < 0) {
    buf[0] = '-';
    // 0 - (uint64)value is well defined for INT64_MIN too.
    return 1 + format_uint64(0 - static_cast<uint64_t>(value), buf + 1);
  }
  return format_uint64(static_cast<uint64_t>(value), buf);
}

std::string int64_to_string(int64_t value) {
  char buf[kInt64MaxChars];
  return std::string(buf, format_int64(value, buf));
}

}  // namespace zakros::util
