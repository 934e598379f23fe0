#include "util/glob.h"

#include <cstddef>

namespace zakros::util {

namespace {

// Redis's nesting limit (stringmatchlen_impl returns 0 when nesting > 1000).
constexpr size_t kMaxStarNesting = 1000;

// tolower() in the C locale on a (possibly negative) char value.
int lower(int c) {
  return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

// The pattern as Redis sees it: a byte past the end reads as the sds NUL terminator.
class Pattern {
 public:
  explicit Pattern(std::string_view p) : p_(p) {}
  size_t size() const { return p_.size(); }
  // Signed, as `char` is in Redis's comparisons.
  int at(size_t i) const { return i < p_.size() ? static_cast<signed char>(p_[i]) : 0; }

 private:
  std::string_view p_;
};

// Matches the single-byte token starting at pattern index i (which is not '*') against byte c.
// Sets *next to the index after the token. The token's extent never depends on c, which is what
// makes the single-backtrack-point search in glob_match() exact.
bool match_token(const Pattern& pat, size_t i, int c, bool nocase, size_t* next) {
  const size_t m = pat.size();
  const int first = pat.at(i);
  if (first == '?') {
    *next = i + 1;
    return true;
  }
  if (first == '[') {
    ++i;
    size_t len = m - i;  // bytes left after '['
    const bool negate = pat.at(i) == '^';
    if (negate) {
      ++i;
      --len;
    }
    bool match = false;
    for (;;) {
      if (pat.at(i) == '\\' && len >= 2) {
        ++i;
        --len;
        if (pat.at(i) == c) match = true;
      } else if (pat.at(i) == ']') {
        break;
      } else if (len == 0) {
        // Unterminated set: Redis steps back onto the last byte so the caller's step lands
        // exactly at the end of the pattern.
        --i;
        ++len;
        break;
      } else if (len >= 3 && pat.at(i + 1) == '-') {
        int start = pat.at(i);
        int end = pat.at(i + 2);
        int ch = c;
        if (start > end) std::swap(start, end);
        if (nocase) {
          start = lower(start);
          end = lower(end);
          ch = lower(ch);
        }
        i += 2;
        len -= 2;
        if (ch >= start && ch <= end) match = true;
      } else if (nocase ? lower(pat.at(i)) == lower(c) : pat.at(i) == c) {
        match = true;
      }
      ++i;
      --len;
    }
    *next = i + 1;
    return negate ? !match : match;
  }
  if (first == '\\' && m - i >= 2) ++i;
  *next = i + 1;
  const int p = pat.at(i);
  return nocase ? lower(p) == lower(c) : p == c;
}

// Index after the token starting at i (not '*'); used only to walk the pattern.
size_t skip_token(const Pattern& pat, size_t i) {
  size_t next;
  match_token(pat, i, 0, false, &next);
  return next;
}

// Number of '*' groups followed by more pattern bytes: Redis recurses once for each.
size_t inner_star_groups(const Pattern& pat) {
  size_t groups = 0;
  size_t i = 0;
  while (i < pat.size()) {
    if (pat.at(i) == '*') {
      while (i < pat.size() && pat.at(i) == '*') ++i;
      if (i < pat.size()) ++groups;
    } else {
      i = skip_token(pat, i);
    }
  }
  return groups;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool nocase) {
  if (text.empty()) return pattern.empty();
  const Pattern pat(pattern);
  const size_t m = pat.size();
  // Each inner star group needs at least two pattern bytes, so only long patterns can reach
  // Redis's nesting limit; don't pay for the extra pass otherwise.
  if (m > 2 * kMaxStarNesting && inner_star_groups(pat) > kMaxStarNesting) return false;

  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t p = 0;
  size_t s = 0;
  size_t star_p = kNone;  // pattern index just after the most recent '*' group
  size_t star_s = 0;      // text index that group is currently assumed to stop at
  while (s < text.size()) {
    if (p < m && pat.at(p) == '*') {
      while (p < m && pat.at(p) == '*') ++p;
      if (p == m) return true;  // a trailing '*' swallows the rest
      star_p = p;
      star_s = s;
      continue;
    }
    size_t next;
    if (p < m && match_token(pat, p, static_cast<signed char>(text[s]), nocase, &next)) {
      p = next;
      ++s;
      continue;
    }
    if (star_p == kNone) return false;
    // Let the last '*' swallow one more byte and retry what follows it.
    p = star_p;
    s = ++star_s;
  }
  while (p < m && pat.at(p) == '*') ++p;
  return p >= m;
}

}  // namespace zakros::util
