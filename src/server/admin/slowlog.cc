#include "server/admin/slowlog.h"

namespace zakros::server {

std::vector<std::string> SlowLog::trim_argv(std::span<const std::string_view> argv) {
  size_t argc = argv.size();
  size_t kept = argc > kMaxArgc ? kMaxArgc : argc;
  std::vector<std::string> out;
  out.reserve(kept);
  for (size_t j = 0; j < kept; ++j) {
    if (kept != argc && j == kept - 1) {
      // The last slot says how many arguments did not fit (itself included).
      out.push_back("... (" + std::to_string(argc - kept + 1) + " more arguments)");
    } else if (argv[j].size() > kMaxString) {
      out.push_back(std::string(argv[j].substr(0, kMaxString)) + "... (" +
                    std::to_string(argv[j].size() - kMaxString) + " more bytes)");
    } else {
      out.emplace_back(argv[j]);
    }
  }
  return out;
}

void SlowLog::maybe_push(std::span<const std::string_view> argv, int64_t duration_us,
                         long long slower_than_us, size_t max_len, int64_t now_sec,
                         std::string_view peer, std::string_view client_name) {
  if (slower_than_us < 0 || max_len == 0) return;
  if (duration_us >= slower_than_us) {
    Entry entry;
    entry.id = next_id_++;
    entry.time_sec = now_sec;
    entry.duration_us = duration_us;
    entry.argv = trim_argv(argv);
    entry.peer = std::string(peer);
    entry.client_name = std::string(client_name);
    entries_.push_front(std::move(entry));
  }
  while (entries_.size() > max_len) entries_.pop_back();
}

}  // namespace zakros::server
