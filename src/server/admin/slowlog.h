// SlowLog: the SLOWLOG command's memory of slow commands (Redis's slowlog.c).
//
// The server's after-command hook (after_command.cc) offers every executed command with its
// duration; an entry is kept when the duration reaches slowlog-log-slower-than (microseconds,
// negative = never) and the log holds at most slowlog-max-len entries, newest first. Each entry
// has Redis's shape: id, unix time, duration in microseconds, the arguments (at most 32, each
// cut to 128 bytes with "... (N more arguments)" / "... (N more bytes)" markers), the client's
// address and name. Arguments that carry secrets arrive already redacted.
//
// Plain data, owned by the Server, touched only on the event-loop thread.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zakros::server {

class SlowLog {
 public:
  // Redis's SLOWLOG_ENTRY_MAX_ARGC / SLOWLOG_ENTRY_MAX_STRING.
  static constexpr size_t kMaxArgc = 32;
  static constexpr size_t kMaxString = 128;

  struct Entry {
    uint64_t id = 0;
    int64_t time_sec = 0;
    int64_t duration_us = 0;
    std::vector<std::string> argv;  // already trimmed
    std::string peer;
    std::string client_name;
  };

  // Records the command if `duration_us` >= `slower_than_us` (and slower_than_us >= 0 and
  // max_len > 0), then trims the log to `max_len` entries.
  void maybe_push(std::span<const std::string_view> argv, int64_t duration_us,
                  long long slower_than_us, size_t max_len, int64_t now_sec, std::string_view peer,
                  std::string_view client_name);
  // Newest first.
  const std::deque<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  // Drops the oldest entries beyond `max_len` (slowlog-max-len lowered at run time).
  void trim(size_t max_len) {
    while (entries_.size() > max_len) entries_.pop_back();
  }
  // SLOWLOG RESET: drops the entries; ids keep increasing as in Redis.
  void reset() { entries_.clear(); }

  // The argument vector as stored in an entry (exposed for tests).
  static std::vector<std::string> trim_argv(std::span<const std::string_view> argv);

 private:
  std::deque<Entry> entries_;
  uint64_t next_id_ = 0;
};

}  // namespace zakros::server
