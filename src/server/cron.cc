// The server's periodic work, run `hz` times a second on the event loop (Redis's serverCron):
// active expiry, idle-client timeouts, end of CLIENT PAUSE, incremental rehashing of idle
// tables.
#include <spdlog/spdlog.h>

#include "server/replication/replication.h"
#include "server/server.h"
#include "util/clock.h"

namespace zakros::server {

void Server::cron() {
  int64_t now = util::wall_ms();

  // Active expiry: a bounded slice of work per call, adaptive as Redis's activeExpireCycle.
  if (active_expire_enabled && replication_) {
    // Raft mode: only the leader expires, through the log (replication.h).
    replication_->active_expire();
  } else if (active_expire_enabled) {
    int hz = std::clamp(config_.hz, 1, 500);
    // Redis spends at most 25% of the CPU per second on the slow cycle.
    int64_t budget_us = 1000000 * 25 / 100 / hz;
    keyspace_.active_expire_cycle(now, std::chrono::microseconds(budget_us));
  }

  // Idle clients: `timeout` seconds without a request closes them (not subscribers, not
  // blocked clients, as Redis).
  if (config_.timeout > 0) {
    std::vector<std::shared_ptr<Client>> idle;
    for (auto& [id, client] : clients_) {
      if (client->subscription_count() > 0 || client->monitor) continue;
      if (now - client->last_interaction_ms > static_cast<int64_t>(config_.timeout) * 1000) {
        idle.push_back(client);
      }
    }
    for (auto& client : idle) client->close_now();
  }

  // CLIENT PAUSE ended: resume the clients it held.
  if (pause_until_ms != 0 && now >= pause_until_ms) {
    pause_until_ms = 0;
    for (auto& [id, client] : clients_) {
      if (client->paused) client->resume();
    }
  }

  // As Redis's clientsCron: each client about once a second (at least 5 per call), query
  // buffers back to what the clients use. A cursor over client ids walks them round-robin.
  {
    int hz = std::clamp(config_.hz, 1, 500);
    size_t batch = std::max<size_t>(5, clients_.size() / static_cast<size_t>(hz));
    auto it = clients_.lower_bound(clients_cron_cursor_);
    for (size_t i = 0; i < batch && !clients_.empty(); ++i) {
      if (it == clients_.end()) it = clients_.begin();
      it->second->cron_resize_query_buffer(now);
      clients_cron_cursor_ = it->first + 1;
      ++it;
      if (i + 1 >= clients_.size()) break;
    }
  }

  keyspace_.rehash_step(1000);
}

}  // namespace zakros::server
