// Logging setup: spdlog configured to look like Redis's log.
//
// Who calls it: main() once at start-up (from the `loglevel` and `logfile` options) and
// CONFIG SET loglevel. Everything else logs through spdlog's default logger with Redis's level
// names mapped onto spdlog's:
//
//   Redis loglevel | spdlog call to use   | mark in the line
//   debug          | spdlog::trace(...)   | '.'
//   verbose        | spdlog::debug(...)   | '-'
//   notice         | spdlog::info(...)    | '*'
//   warning        | spdlog::warn(...)    | '#'  (spdlog::error/critical also print '#')
//   nothing        | (level off)          |
//
// Each line has Redis's layout: `<pid>:M 25 Nov 2026 12:15:03.123 * message` (local time).
// Lines are flushed as they are written, as Redis does, so a crash loses no log line.
#pragma once

#include <string>
#include <string_view>

namespace zakros::util {

// Installs the default logger. `level` is a Redis loglevel name (case-insensitive); `logfile`
// "" means standard output, otherwise the file is opened for appending. Returns false (and sets
// *error if given) for an unknown level or a file that cannot be opened; the previous logger
// then stays in place.
bool init_logging(std::string_view level, std::string_view logfile, std::string* error = nullptr);

// Changes the level at run time (CONFIG SET loglevel). Returns false for an unknown name.
bool set_log_level(std::string_view level);

// The current level as a Redis loglevel name (CONFIG GET loglevel).
std::string log_level_name();

// True if `level` is one of Redis's loglevel names (for config validation).
bool is_valid_log_level(std::string_view level);

}  // namespace zakros::util
