#include "util/numbers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace zakros::util {
namespace {

TEST(ParseInt64, AcceptsCanonical) {
  int64_t v = 42;
  EXPECT_TRUE(parse_int64("0", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(parse_int64("1", &v));
  EXPECT_EQ(v, 1);
  EXPECT_TRUE(parse_int64("-1", &v));
  EXPECT_EQ(v, -1);
  EXPECT_TRUE(parse_int64("9223372036854775807", &v));
  EXPECT_EQ(v, std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(parse_int64("-9223372036854775808", &v));
  EXPECT_EQ(v, std::numeric_limits<int64_t>::min());
  EXPECT_TRUE(parse_int64("1234567890", nullptr));
}

TEST(ParseInt64, RejectsWhatRedisRejects) {
  int64_t v = 7;
  for (const char* bad :
       {"", "-", "+1", "01", "-0", "-01", " 1", "1 ", "1\n", "1a", "a", "0x10", "1.0", "1e3",
        "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "99999999999999999999", "000000000000000000001"}) {
    EXPECT_FALSE(parse_int64(bad, &v)) << bad;
  }
  EXPECT_FALSE(parse_int64(std::string_view("1\0", 2), &v));
  EXPECT_EQ(v, 7);  // untouched on failure
}

TEST(ParseInt64, CanonicalMeansRoundTrips) {
  for (int64_t x : {int64_t{0}, int64_t{5}, int64_t{-5}, int64_t{1} << 40,
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()}) {
    int64_t back;
    std::string s = int64_to_string(x);
    ASSERT_TRUE(is_canonical_int64(s, &back)) << s;
    EXPECT_EQ(back, x);
  }
  EXPECT_FALSE(is_canonical_int64("007", nullptr));
}

TEST(ParseUint64, Strict) {
  uint64_t v;
  EXPECT_TRUE(parse_uint64("18446744073709551615", &v));
  EXPECT_EQ(v, std::numeric_limits<uint64_t>::max());
  EXPECT_TRUE(parse_uint64("0", &v));
  EXPECT_EQ(v, 0u);
  for (const char* bad : {"", "-1", "+1", "01", "18446744073709551616", " 1", "-0"}) {
    EXPECT_FALSE(parse_uint64(bad, &v)) << bad;
  }
}

TEST(ParseUint64, StreamIdFlavourIsLaxLikeStrtoull) {
  uint64_t v;
  EXPECT_TRUE(parse_uint64_like_redis_stream_id("18446744073709551615", &v));
  EXPECT_EQ(v, std::numeric_limits<uint64_t>::max());
  EXPECT_TRUE(parse_uint64_like_redis_stream_id("007", &v));
  EXPECT_EQ(v, 7u);
  EXPECT_FALSE(parse_uint64_like_redis_stream_id("-1", &v));
  EXPECT_FALSE(parse_uint64_like_redis_stream_id("18446744073709551616", &v));
  EXPECT_FALSE(parse_uint64_like_redis_stream_id("", &v));
  EXPECT_FALSE(parse_uint64_like_redis_stream_id("1x", &v));
}

TEST(ParseLongDouble, AcceptsAndRejects) {
  long double v;
  EXPECT_TRUE(parse_long_double("10.5", &v));
  EXPECT_EQ(v, 10.5L);
  EXPECT_TRUE(parse_long_double("5.0e3", &v));
  EXPECT_EQ(v, 5000.0L);
  EXPECT_TRUE(parse_long_double("-inf", &v));
  EXPECT_TRUE(std::isinf(v));
  EXPECT_TRUE(parse_long_double("+1", &v));
  EXPECT_TRUE(parse_long_double("0x10", &v));
  EXPECT_EQ(v, 16.0L);
  for (const char* bad : {"", " 1", "1 ", "nan", "NaN", "-nan", "abc", "1.0.0", "1e", "\t1",
                          "1e999999", "1e-999999"}) {
    EXPECT_FALSE(parse_long_double(bad, &v)) << bad;
  }
  EXPECT_FALSE(parse_long_double(std::string_view("1\0", 2), &v));
  EXPECT_FALSE(parse_long_double(std::string(kMaxLongDoubleChars, '1'), &v));
  EXPECT_TRUE(parse_long_double(std::string(kMaxLongDoubleChars - 1, '0'), &v));
}

TEST(ParseDouble, AcceptsAndRejects) {
  double v;
  EXPECT_TRUE(parse_double("inf", &v));
  EXPECT_EQ(v, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(parse_double("+inf", &v));
  EXPECT_EQ(v, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(parse_double("-inf", &v));
  EXPECT_EQ(v, -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(parse_double("1.5", &v));
  EXPECT_EQ(v, 1.5);
  EXPECT_TRUE(parse_double("-0", &v));
  EXPECT_TRUE(parse_double(std::string(300, '0') + "1", &v));  // long but valid
  EXPECT_EQ(v, 1.0);
  for (const char* bad : {"", " 1", "1 ", "nan", "abc", "1e400", "-1e400", "1e-400", "--1"}) {
    EXPECT_FALSE(parse_double(bad, &v)) << bad;
  }
}

TEST(FormatLongDouble, HumanAsIncrbyfloat) {
  EXPECT_EQ(format_long_double(10.5L + 0.1L), "10.6");
  EXPECT_EQ(format_long_double(5200.0L), "5200");
  EXPECT_EQ(format_long_double(0.0L), "0");
  EXPECT_EQ(format_long_double(-0.0L), "0");
  EXPECT_EQ(format_long_double(-1.5L), "-1.5");
  EXPECT_EQ(format_long_double(1.0L / 3), "0.33333333333333333");
  EXPECT_EQ(format_long_double(std::numeric_limits<long double>::infinity()), "inf");
  EXPECT_EQ(format_long_double(-std::numeric_limits<long double>::infinity()), "-inf");
  EXPECT_EQ(format_long_double(1e20L), "100000000000000000000");
  // Very large values print every digit, as Redis's snprintf does.
  EXPECT_GT(format_long_double(std::numeric_limits<long double>::max()).size(), 4000u);
  EXPECT_EQ(format_long_double(1e-20L), "0");  // below 17 decimals rounds to 0
}

TEST(FormatLongDouble, AutoMode) {
  EXPECT_EQ(format_long_double(1.5L, false), "1.5");
  EXPECT_EQ(format_long_double(1e20L, false), "1e+20");
}

TEST(FormatDoubleShortest, AsD2string) {
  EXPECT_EQ(format_double_shortest(0.0), "0");
  EXPECT_EQ(format_double_shortest(-0.0), "-0");
  EXPECT_EQ(format_double_shortest(1.0), "1");
  EXPECT_EQ(format_double_shortest(-3.0), "-3");
  EXPECT_EQ(format_double_shortest(1e17), "100000000000000000");
  EXPECT_EQ(format_double_shortest(1e300), "1.0000000000000001e+300");
  EXPECT_EQ(format_double_shortest(1.5), "1.5");
  EXPECT_EQ(format_double_shortest(0.1), "0.10000000000000001");
  EXPECT_EQ(format_double_shortest(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(format_double_shortest(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(format_double_shortest(std::nan("")), "nan");
}

TEST(Digits10, AllPowers) {
  EXPECT_EQ(digits10(0), 1);
  uint64_t p = 1;
  for (int d = 1; d <= 19; ++d) {
    EXPECT_EQ(digits10(p), d) << p;
    EXPECT_EQ(digits10(p * 10 - 1), d) << p * 10 - 1;
    p *= 10;
  }
  EXPECT_EQ(digits10(p), 20);
  EXPECT_EQ(digits10(std::numeric_limits<uint64_t>::max()), 20);
}

TEST(FormatInt64, MatchesToString) {
  char buf[kInt64MaxChars];
  for (int64_t x : {int64_t{0}, int64_t{9}, int64_t{10}, int64_t{99}, int64_t{100}, int64_t{-1},
                    int64_t{-100}, int64_t{123456789012345}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(std::string(buf, format_int64(x, buf)), std::to_string(x));
  }
  uint64_t u = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(std::string(buf, format_uint64(u, buf)), std::to_string(u));
}

}  // namespace
}  // namespace zakros::util
