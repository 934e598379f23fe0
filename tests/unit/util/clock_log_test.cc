#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "util/clock.h"
#include "util/log.h"

namespace zakros::util {
namespace {

// Checks `<pid>:M dd Mon yyyy hh:mm:ss.mmm <mark> <message>` and returns the mark ('\0' if the
// line does not have that shape). (No std::regex: GCC's sanitizer builds warn inside it.)
char redis_log_mark(const std::string& line) {
  const std::string shape = "9:M 99 Aaa 9999 99:99:99.999 ";
  size_t i = 0;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  if (i == 0) return '\0';
  for (size_t j = 1; j < shape.size(); ++j, ++i) {
    if (i >= line.size()) return '\0';
    const unsigned char c = static_cast<unsigned char>(line[i]);
    const char want = shape[j];
    const bool ok = want == '9'   ? std::isdigit(c) != 0
                    : want == 'A' ? std::isupper(c) != 0
                    : want == 'a' ? std::islower(c) != 0
                                  : c == static_cast<unsigned char>(want);
    if (!ok) return '\0';
  }
  if (i + 1 >= line.size() || line[i + 1] != ' ') return '\0';
  return line[i];
}

TEST(Clock, WallAndMonotonic) {
  const int64_t ms = wall_ms();
  const int64_t us = wall_us();
  EXPECT_GT(ms, int64_t{1600000000000});  // after 2020
  EXPECT_NEAR(static_cast<double>(us / 1000), static_cast<double>(ms), 1000.0);
  const int64_t a = monotonic_us();
  const int64_t b = monotonic_us();
  EXPECT_LE(a, b);
}

TEST(Log, LevelsAndRedisLineFormat) {
  char path[] = "/tmp/zakros_log_testXXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::string error;
  EXPECT_FALSE(init_logging("loud", path, &error));
  EXPECT_NE(error.find("loglevel"), std::string::npos);
  EXPECT_FALSE(init_logging("notice", "/nonexistent-dir/x.log", &error));

  ASSERT_TRUE(init_logging("NOTICE", path));
  EXPECT_EQ(log_level_name(), "notice");
  spdlog::debug("hidden verbose line");
  spdlog::info("hello notice");
  spdlog::warn("hello warning");
  ASSERT_TRUE(set_log_level("debug"));
  EXPECT_EQ(log_level_name(), "debug");
  spdlog::trace("hello debug");
  spdlog::debug("hello verbose");
  EXPECT_FALSE(set_log_level("bogus"));
  EXPECT_TRUE(is_valid_log_level("Warning"));
  EXPECT_FALSE(is_valid_log_level("warn"));
  ASSERT_TRUE(set_log_level("nothing"));
  spdlog::warn("not written");

  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string log = ss.str();
  std::remove(path);
  EXPECT_EQ(log.find("hidden"), std::string::npos);
  EXPECT_EQ(log.find("not written"), std::string::npos);
  std::istringstream lines(log);
  std::string l;
  std::string marks;
  while (std::getline(lines, l)) {
    const char mark = redis_log_mark(l);
    ASSERT_NE(mark, '\0') << l;
    marks += mark;
  }
  EXPECT_EQ(marks, "*#.-");
}

}  // namespace
}  // namespace zakros::util
