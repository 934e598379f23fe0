// Stats: the counters INFO reports (stats, commandstats, errorstats) and CONFIG RESETSTAT
// clears. Plain data, updated by the dispatch gate and the networking code.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "server/admin/latency.h"

namespace zakros::commands {
struct CommandSpec;
}

namespace zakros::server {

// Per command: INFO commandstats. Keyed by the CommandSpec (a subcommand has its own spec), so
// the hot path counts without building a name; INFO resolves names through the table.
struct CommandStats {
  uint64_t calls = 0;
  uint64_t usec = 0;
  uint64_t rejected_calls = 0;  // refused by the gate (arity, auth, OOM, ...)
  uint64_t failed_calls = 0;    // executed and answered an error
  LatencyHistogram latency;     // LATENCY HISTOGRAM, INFO latencystats (after_command.cc)
};

// Keyspace figures (hits, misses, expired keys) are counted by store::Keyspace itself.
struct Stats {
  uint64_t total_connections_received = 0;
  uint64_t total_commands_processed = 0;
  uint64_t rejected_connections = 0;
  uint64_t net_input_bytes = 0;
  uint64_t net_output_bytes = 0;
  uint64_t pubsub_messages = 0;
  uint64_t total_error_replies = 0;
  uint64_t unexpected_error_replies = 0;
  uint64_t client_query_buffer_limit_disconnections = 0;
  uint64_t client_output_buffer_limit_disconnections = 0;
  uint64_t total_reads_processed = 0;
  uint64_t total_writes_processed = 0;
  std::unordered_map<const commands::CommandSpec*, CommandStats> commands;
  std::map<std::string, uint64_t> errors;  // INFO errorstats: "ERR" -> count
  uint64_t commands_stats_start_ms = 0;

  void reset() { *this = Stats{}; }
};

}  // namespace zakros::server
