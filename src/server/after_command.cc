// Work after every executed command (Redis's call() epilogue): the latency monitor's
// "command"/"fast-command" events and the command's latency histogram, the slow log, and the
// MONITOR feed.
#include <algorithm>
#include <cstdio>

#include "server/admin/introspection.h"
#include "server/server.h"
#include "util/clock.h"

namespace zakros::server {

namespace {

// The MONITOR line: +<sec>.<usec> [<db> <addr>] "arg" "arg"...\r\n
std::string monitor_line(const Client* client, int db, std::span<const std::string_view> argv) {
  int64_t us = util::wall_us();
  char head[96];
  std::snprintf(head, sizeof(head), "+%lld.%06lld [%d ", static_cast<long long>(us / 1000000),
                static_cast<long long>(us % 1000000), db);
  std::string line = head;
  line += client != nullptr ? client->peer_address : std::string("lua");
  line += "] ";
  for (size_t i = 0; i < argv.size(); ++i) {
    if (i != 0) line += ' ';
    append_repr(line, argv[i]);
  }
  line += "\r\n";
  return line;
}

}  // namespace

void Server::after_command(Client* client, const commands::CommandSpec& spec,
                           const commands::CommandSpec* parent,
                           std::span<const std::string_view> argv, int64_t duration_us) {
  if (config_.latency_tracking) stats_.commands[&spec].latency.record(duration_us);
  // instantaneous_ops_per_sec: a sample every 64 commands is plenty on a busy server; INFO
  // samples too, which covers an idle one.
  if ((stats_.total_commands_processed & 63) == 0) {
    int64_t now_ms = util::wall_ms();
    ops_metric.sample(now_ms, stats_.total_commands_processed);
    net_input_metric.sample(now_ms, stats_.net_input_bytes);
    net_output_metric.sample(now_ms, stats_.net_output_bytes);
  }

  const uint64_t flags = spec.flags;
  if (config_.latency_monitor_threshold > 0) {
    uint64_t ms = static_cast<uint64_t>(duration_us / 1000);
    latency_monitor.add_if_needed((flags & commands::kFast) ? "fast-command" : "command", ms,
                                  config_.latency_monitor_threshold, util::wall_ms() / 1000);
  }

  const bool slowlog_wanted = !(flags & commands::kSkipSlowlog) &&
                              config_.slowlog_log_slower_than >= 0 &&
                              duration_us >= config_.slowlog_log_slower_than;
  // A replicated EXEC (the client now waits for its entry) is shown when its transaction is
  // applied, after the commands it ran, as Redis shows it (Replication::apply_entry).
  const bool deferred_exec = client != nullptr && client->awaiting_raft && spec.name == "exec";
  const bool monitor_wanted =
      !monitors.empty() && !deferred_exec && !(flags & (commands::kSkipMonitor | commands::kAdmin));
  if (!slowlog_wanted && !monitor_wanted) {
    // Still trims the log when slowlog-max-len shrank, as Redis does on every call.
    slowlog.trim(config_.slowlog_max_len);
    return;
  }

  std::vector<std::string_view> shown = redacted_argv(spec, parent, argv);
  if (slowlog_wanted) {
    slowlog.maybe_push(shown, duration_us, config_.slowlog_log_slower_than, config_.slowlog_max_len,
                       util::wall_ms() / 1000,
                       client != nullptr ? std::string_view(client->peer_address) : "",
                       client != nullptr ? std::string_view(client->name) : "");
  }
  if (monitor_wanted) feed_monitors(client, client != nullptr ? client->db : 0, shown);
}

void Server::feed_monitors(const Client* client, int db, std::span<const std::string_view> argv) {
  if (monitors.empty()) return;
  std::string line = monitor_line(client, db, argv);
  // Feeds every live monitor and forgets those that left or ran RESET.
  std::erase_if(monitors, [&](const std::weak_ptr<Client>& weak) {
    std::shared_ptr<Client> monitor = weak.lock();
    if (!monitor || monitor->closing() || !monitor->monitor) return true;
    monitor->out().raw(line);
    monitor->flush_soon();
    return false;
  });
}

}  // namespace zakros::server
