#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "util/clock.h"
#include "util/log.h"

namespace zakros::util {
namespace {

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
  const std::regex line(R"(\d+:M \d\d [A-Z][a-z][a-z] \d{4} \d\d:\d\d:\d\d\.\d{3} ([.\-*#]) (.*))");
  std::istringstream lines(log);
  std::string l;
  std::string marks;
  while (std::getline(lines, l)) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(l, m, line)) << l;
    marks += m[1].str();
  }
  EXPECT_EQ(marks, "*#.-");
}

}  // namespace
}  // namespace zakros::util
