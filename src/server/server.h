// Server: the composition root built by main(). It owns the configuration, the keyspace, the
// command table, the event loop and every client, and implements the dispatch gate
// (dispatch.cc), the periodic cron (cron.cc) and the keyspace-event fan-out (WATCH, keyspace
// notifications, blocked clients).
//
// Threading (design.md "Threads"): everything here runs on the one event-loop thread; there are
// no locks around data.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/command.h"
#include "commands/command_table.h"
#include "server/admin/latency.h"
#include "server/admin/slowlog.h"
#include "server/config/config.h"
#include "server/metrics.h"
#include "server/net/client.h"
#include "server/stats.h"
#include "store/keyspace.h"

namespace zakros::server {

class Blocking;
class Replication;
class PubSub;
class Snapshotter;
class Transactions;

class Server : public commands::KeyspaceEvents, public store::KeyspaceObserver, public ConfigHost {
 public:
  explicit Server(Config config, std::string config_file = "");
  ~Server() override;

  // Binds the listeners (exits with a message on failure) and runs the event loop until
  // shutdown. Returns the process exit code.
  int run();
  // Asks the loop to stop after this iteration (SIGTERM, SHUTDOWN).
  void request_shutdown();

  // ---- dispatch (dispatch.cc) ----
  // Runs one request of `client` through the gate: lookup, arity, auth, MULTI queueing, execute.
  // Returns false when the request was held back (CLIENT PAUSE): the caller must keep its bytes
  // and offer it again when the client resumes.
  bool process_command(Client& client, std::span<const std::string_view> argv);
  // Executes an already validated command with the given context (used by EXEC too). `block`
  // is non-null when the command may block (it then says whether it asked to); `woken` when a
  // blocked client's command runs again (blocking.h).
  void execute(Client* client, const commands::CommandSpec& spec,
               const commands::CommandSpec* parent, std::span<const std::string_view> argv,
               resp::ReplyWriter& out, int& db_index, bool in_multi,
               commands::BlockRequest* block = nullptr, bool woken = false,
               const commands::ExecContext* exec = nullptr, std::string_view woken_key = {});
  // Serves blocked clients whose keys became ready (blocking.h); the gate and the Raft apply
  // path call it after their commands.
  void serve_blocked_clients();
  // After each executed command: slowlog, latency monitor, MONITOR feed (after_command.cc).
  void after_command(Client* client, const commands::CommandSpec& spec,
                     const commands::CommandSpec* parent, std::span<const std::string_view> argv,
                     int64_t duration_us);
  // One line to every MONITOR client, as if `client` ran `argv` in `db` (after_command.cc).
  void feed_monitors(const Client* client, int db, std::span<const std::string_view> argv);
  // A fresh execution context for a command run now (volatile mode).
  commands::ExecContext make_exec_context();

  // ---- clients ----
  void add_client(std::shared_ptr<Client> client);
  void remove_client(Client& client);
  Client* find_client(uint64_t id);
  const std::map<uint64_t, std::shared_ptr<Client>>& clients() const { return clients_; }
  size_t blocked_clients() const;

  // ---- KeyspaceEvents ----
  void key_modified(int db, std::string_view key) override;
  void database_modified(int db) override;
  void notify(char type, std::string_view event, std::string_view key, int db) override;
  void key_ready(int db, std::string_view key) override;

  // ---- store::KeyspaceObserver: a key was deleted because it expired (lazily or actively) ----
  void on_key_expired(int db, std::string_view key) override;
  void on_key_added(int db, std::string_view key) override;

  // ---- ConfigHost ----
  Config& config() override { return config_; }
  void on_config_changed(std::string_view option) override;
  std::optional<std::string> apply_config_change(std::string_view option) override;
  void reset_stats() override;
  const std::string& config_file() override { return config_file_; }

  // ---- parts ----
  store::Keyspace& keyspace() { return keyspace_; }
  const commands::CommandTable& commands() const { return table_; }
  Stats& stats() { return stats_; }
  PubSub& pubsub() { return *pubsub_; }
  Transactions& transactions() { return *transactions_; }
  Blocking& blocking() { return *blocking_; }
  // Null on a volatile node (raft-enabled no).
  Replication* replication() { return replication_.get(); }
  asio::io_context& io() { return io_; }
  // Writes RDB files of the keyspace (SAVE, BGSAVE, Raft snapshots; snapshotter.h).
  Snapshotter& snapshotter() { return *snapshotter_; }
  int64_t start_time_ms() const { return start_time_ms_; }
  uint16_t bound_port() const { return bound_port_; }
  const std::string& run_id() const { return run_id_; }

  // CLIENT PAUSE state: until when, and whether only writes are paused.
  int64_t pause_until_ms = 0;
  bool pause_writes_only = false;
  bool active_expire_enabled = true;

  // ---- introspection (server_commands.cc, client_command.cc, after_command.cc) ----
  // CLIENT PAUSE: whether `client` must wait before running `spec` (for EXEC: its queued
  // commands). The gate calls pause_if_needed before MULTI queueing and execution; when it
  // returns true the client is marked paused (no reply is written) and the gate must leave the
  // request unconsumed so that resume() runs it again once the pause ends.
  bool should_pause(const Client& client, const commands::CommandSpec& spec) const;
  bool pause_if_needed(Client& client, const commands::CommandSpec& spec);
  // CLIENT PAUSE / UNPAUSE: sets or ends the pause (ending it resumes every paused client).
  void pause_clients(int64_t until_ms, bool writes_only);
  void unpause_clients();
  SlowLog slowlog;
  LatencyMonitor latency_monitor;
  std::vector<std::weak_ptr<Client>> monitors;  // MONITOR clients, fed by after_command
  InstantaneousMetric ops_metric, net_input_metric, net_output_metric;
  size_t peak_memory = 0;     // INFO used_memory_peak
  int64_t last_save_sec = 0;  // LASTSAVE, rdb_last_save_time (0 = start time)
  // Keys changed since the start (Redis's server.dirty, INFO rdb_changes_since_last_save): one
  // per key_modified, so a write that changes nothing (SETBIT to the same bit) counts nothing.
  uint64_t dirty = 0;
  std::string master_replid;  // INFO replication; DEBUG CHANGE-REPL-ID changes it

 private:
  void register_commands();
  void apply_store_settings();
  bool bind_listeners(const std::vector<std::string>& bind, int port,
                      std::vector<std::unique_ptr<asio::ip::tcp::acceptor>>* out,
                      asio::error_code* failure = nullptr);
  bool relisten();
  void accept_on(asio::ip::tcp::acceptor& acceptor);
  void start_cron();
  void cron();

  Config config_;
  std::string config_file_;
  asio::io_context io_;
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> acceptors_;
  asio::signal_set signals_;
  asio::steady_timer cron_timer_;
  store::Keyspace keyspace_;
  commands::CommandTable table_;
  Stats stats_;
  std::unique_ptr<PubSub> pubsub_;
  std::unique_ptr<Transactions> transactions_;
  std::unique_ptr<Blocking> blocking_;
  std::unique_ptr<Replication> replication_;
  std::unique_ptr<Snapshotter> snapshotter_;  // after replication_: gone first, child reaped
  std::map<uint64_t, std::shared_ptr<Client>> clients_;
  uint64_t next_client_id_ = 1;
  int64_t start_time_ms_ = 0;
  uint16_t bound_port_ = 0;
  std::vector<std::string> bound_bind_;  // the bind list the listeners were made from
  std::string run_id_;
  bool shutting_down_ = false;
  uint64_t clients_cron_cursor_ = 0;  // next client id the cron looks at
};

// The Server that runs `ctx` (commands in server/ use it; null when applied from the Raft log).
inline Server* server_of(commands::CommandContext& ctx) {
  return ctx.server;
}

}  // namespace zakros::server
