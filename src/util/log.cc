#include "util/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <strings.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace zakros::util {

namespace {

struct LevelName {
  const char* name;
  spdlog::level::level_enum level;
};

constexpr LevelName kLevels[] = {
    {"debug", spdlog::level::trace}, {"verbose", spdlog::level::debug},
    {"notice", spdlog::level::info}, {"warning", spdlog::level::warn},
    {"nothing", spdlog::level::off},
};

bool parse_level(std::string_view name, spdlog::level::level_enum* out) {
  for (const auto& l : kLevels) {
    if (name.size() == std::char_traits<char>::length(l.name) &&
        strncasecmp(name.data(), l.name, name.size()) == 0) {
      *out = l.level;
      return true;
    }
  }
  return false;
}

// The one-character level mark Redis puts before each message.
class RedisLevelMark final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    char mark = '#';
    switch (msg.level) {
      case spdlog::level::trace:
        mark = '.';
        break;
      case spdlog::level::debug:
        mark = '-';
        break;
      case spdlog::level::info:
        mark = '*';
        break;
      default:
        break;
    }
    dest.push_back(mark);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RedisLevelMark>();
  }
};

std::unique_ptr<spdlog::formatter> redis_formatter() {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  // "%P:M %d %b %Y %H:%M:%S.%e %* %v": pid, role (always master for now), date, level mark.
  f->add_flag<RedisLevelMark>('*').set_pattern("%P:M %d %b %Y %H:%M:%S.%e %* %v");
  return f;
}

}  // namespace

bool init_logging(std::string_view level, std::string_view logfile, std::string* error) {
  spdlog::level::level_enum lvl;
  if (!parse_level(level, &lvl)) {
    if (error) *error = "Invalid loglevel '" + std::string(level) + "'";
    return false;
  }
  spdlog::sink_ptr sink;
  try {
    if (logfile.empty()) {
      sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
    } else {
      // spdlog would create missing parent directories; Redis refuses such a path instead.
      const std::string path(logfile);
      std::FILE* probe = std::fopen(path.c_str(), "a");
      if (probe == nullptr) {
        if (error) *error = "Can't open the log file: " + std::string(std::strerror(errno));
        return false;
      }
      std::fclose(probe);
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, false);
    }
  } catch (const spdlog::spdlog_ex& e) {
    if (error) *error = "Can't open the log file: " + std::string(e.what());
    return false;
  }
  auto logger = std::make_shared<spdlog::logger>("zakros", std::move(sink));
  logger->set_formatter(redis_formatter());
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(std::move(logger));
  return true;
}

bool set_log_level(std::string_view level) {
  spdlog::level::level_enum lvl;
  if (!parse_level(level, &lvl)) return false;
  spdlog::set_level(lvl);
  return true;
}

std::string log_level_name() {
  const auto current = spdlog::get_level();
  for (const auto& l : kLevels) {
    if (l.level == current) return l.name;
  }
  // spdlog::error/critical are never set by us; report them as the closest Redis level.
  return "warning";
}

bool is_valid_log_level(std::string_view level) {
  spdlog::level::level_enum lvl;
  return parse_level(level, &lvl);
}

}  // namespace zakros::util
