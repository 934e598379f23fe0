#include "util/glob.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

namespace zakros::util {
namespace {

TEST(Glob, Basics) {
  EXPECT_TRUE(glob_match("*", "anything"));
  EXPECT_TRUE(glob_match("h?llo", "hello"));
  EXPECT_TRUE(glob_match("h?llo", "hallo"));
  EXPECT_FALSE(glob_match("h?llo", "hllo"));
  EXPECT_TRUE(glob_match("h*llo", "hllo"));
  EXPECT_TRUE(glob_match("h*llo", "heeeello"));
  EXPECT_TRUE(glob_match("h[ae]llo", "hello"));
  EXPECT_FALSE(glob_match("h[ae]llo", "hillo"));
  EXPECT_TRUE(glob_match("h[^e]llo", "hallo"));
  EXPECT_FALSE(glob_match("h[^e]llo", "hello"));
  EXPECT_TRUE(glob_match("h[a-b]llo", "hbllo"));
  EXPECT_FALSE(glob_match("h[a-b]llo", "hcllo"));
  EXPECT_TRUE(glob_match("h[b-a]llo", "hallo"));  // reversed range
  EXPECT_TRUE(glob_match("a\\*b", "a*b"));
  EXPECT_FALSE(glob_match("a\\*b", "axb"));
  EXPECT_TRUE(glob_match("[\\]]", "]"));
  EXPECT_TRUE(glob_match("foo*", "foo"));
  EXPECT_TRUE(glob_match("foo**", "foo"));
  EXPECT_FALSE(glob_match("foo", "foobar"));
  EXPECT_FALSE(glob_match("foo", "fo"));
  EXPECT_TRUE(glob_match("*bar", "foobar"));
  EXPECT_TRUE(glob_match("a*b*c", "aXbYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXbY"));
  EXPECT_TRUE(glob_match(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
}

TEST(Glob, RedisQuirks) {
  EXPECT_FALSE(glob_match("*", ""));  // Redis: stringmatchlen("*","") == 0
  EXPECT_TRUE(glob_match("", ""));
  EXPECT_FALSE(glob_match("", "a"));
  EXPECT_TRUE(glob_match("[abc", "b"));  // unterminated set
  EXPECT_FALSE(glob_match("[]", "a"));
  EXPECT_TRUE(glob_match("[^]", "a"));
  EXPECT_TRUE(glob_match("[^", "a"));
  EXPECT_FALSE(glob_match("[", "a"));
  EXPECT_TRUE(glob_match("[a-]", "]"));  // range a..']' ('a' > ']' so it is swapped)
  EXPECT_TRUE(glob_match("[a-]", "^"));  // ']'..'a' is ] ^ _ ` a
  EXPECT_FALSE(glob_match("[a-]", "b"));
  EXPECT_TRUE(glob_match("ab\\", "ab\\"));  // trailing backslash is literal
  EXPECT_TRUE(glob_match("HeLLo", "hello", true));
  EXPECT_TRUE(glob_match("[A-Z]", "q", true));
  EXPECT_TRUE(glob_match("[Q]", "q", true));
  EXPECT_FALSE(glob_match("[\\Q]", "q", true));  // escaped byte in a set: case-sensitive
  EXPECT_TRUE(glob_match("\\Q", "q", true));     // but outside a set it honours nocase
}

TEST(Glob, NestingLimitAsRedis) {
  std::string text(3000, 'a');
  std::string p1000, p1001;
  for (int i = 0; i < 1000; ++i) p1000 += "*a";
  for (int i = 0; i < 1001; ++i) p1001 += "*a";
  EXPECT_TRUE(glob_match(p1000, text));
  EXPECT_FALSE(glob_match(p1001, text));
  EXPECT_TRUE(glob_match(p1000 + "*", text));
}

TEST(Glob, PathologicalPatternsAreFast) {
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "*a";
  pattern += "*b";
  const std::string text(20000, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(glob_match(pattern, text));
  EXPECT_FALSE(glob_match(std::string(100000, '*') + "b", text));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

// An independent recursive statement of Redis's rules (small inputs only), to cross-check the
// iterative search on random patterns.
bool reference(std::string_view p, std::string_view s, bool nocase) {
  auto low = [](int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; };
  auto at = [&](size_t i) -> int { return i < p.size() ? static_cast<signed char>(p[i]) : 0; };
  if (p.empty()) return s.empty();
  if (s.empty()) {
    for (char c : p)
      if (c != '*') return false;
    return true;
  }
  const int c = static_cast<signed char>(s[0]);
  if (p[0] == '*') return reference(p.substr(1), s, nocase) || reference(p, s.substr(1), nocase);
  if (p[0] == '?') return reference(p.substr(1), s.substr(1), nocase);
  if (p[0] == '[') {
    size_t i = 1;
    bool neg = at(i) == '^';
    if (neg) ++i;
    bool match = false;
    while (true) {
      size_t left = p.size() - i;
      if (at(i) == '\\' && left >= 2) {
        ++i;
        match |= at(i) == c;
      } else if (at(i) == ']') {
        break;
      } else if (left == 0) {
        --i;
        break;
      } else if (left >= 3 && at(i + 1) == '-') {
        int a = at(i), b = at(i + 2);
        if (a > b) std::swap(a, b);
        int x = c;
        if (nocase) a = low(a), b = low(b), x = low(x);
        match |= x >= a && x <= b;
        i += 2;
      } else {
        match |= nocase ? low(at(i)) == low(c) : at(i) == c;
      }
      ++i;
    }
    if (neg) match = !match;
    return match && reference(p.substr(i + 1), s.substr(1), nocase);
  }
  size_t i = (p[0] == '\\' && p.size() >= 2) ? 1 : 0;
  bool eq = nocase ? low(at(i)) == low(c) : at(i) == c;
  return eq && reference(p.substr(i + 1), s.substr(1), nocase);
}

TEST(Glob, MatchesReferenceOnRandomInputs) {
  std::mt19937 rng(12345);
  const std::string pat_alpha = "ab*?[]^-\\A\xe9";
  const std::string txt_alpha = "abAB]-^\\\xe9";
  for (int iter = 0; iter < 200000; ++iter) {
    std::string p, s;
    const int pl = static_cast<int>(rng() % 8), sl = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < pl; ++i) p += pat_alpha[rng() % pat_alpha.size()];
    for (int i = 0; i < sl; ++i) s += txt_alpha[rng() % txt_alpha.size()];
    const bool nocase = rng() % 2;
    ASSERT_EQ(glob_match(p, s, nocase), reference(p, s, nocase))
        << "pattern '" << p << "' text '" << s << "' nocase " << nocase;
  }
}

}  // namespace
}  // namespace zakros::util
