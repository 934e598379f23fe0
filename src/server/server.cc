#include "server/server.h"

#include "server/replication/replication.h"
#include "server/session/blocking.h"
#include "store/hyperloglog.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <random>

#ifdef ZAKROS_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "commands/command_util.h"
#include "server/admin/server_commands.h"
#include "server/replication/snapshotter.h"
#include "server/session/pubsub.h"
#include "server/session/transactions.h"
#include "util/clock.h"
#include "util/log.h"

namespace zakros::server {

namespace {

std::string random_hex(size_t length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device device;
  std::mt19937_64 rng(device());
  std::string out;
  for (size_t i = 0; i < length; ++i) out.push_back(kHex[rng() % 16]);
  return out;
}

// Run by the lazy-free thread after each job (store/lazy_free.h): gives that thread's cached
// allocations back to jemalloc, or INFO used_memory would go on counting the freed memory while
// the idle thread's cache holds it.
void flush_thread_cache() {
#ifdef ZAKROS_HAVE_JEMALLOC
  mallctl("thread.tcache.flush", nullptr, nullptr, nullptr, 0);
#endif
}

}  // namespace

Server::Server(Config config, std::string config_file)
    : config_(std::move(config)),
      config_file_(std::move(config_file)),
      signals_(io_, SIGINT, SIGTERM),
      cron_timer_(io_),
      keyspace_(config_.databases),
      pubsub_(std::make_unique<PubSub>()),
      transactions_(std::make_unique<Transactions>()),
      blocking_(std::make_unique<Blocking>(*this)),
      snapshotter_(std::make_unique<Snapshotter>(io_, keyspace_)) {
  start_time_ms_ = util::wall_ms();
  stats_.commands_stats_start_ms = static_cast<uint64_t>(start_time_ms_);
  run_id_ = random_hex(40);
  keyspace_.set_observer(this);
  keyspace_.lazy_free().set_after_free(flush_thread_cache);
  apply_store_settings();
  register_commands();
}

Server::~Server() = default;

void Server::register_commands() {
  commands::register_data_commands(table_);
  register_connection_commands(table_);
  register_server_commands(table_);
  register_pubsub_commands(table_);
  register_transaction_commands(table_);
  register_config_command(table_);
  register_function_command(table_);
  register_cluster_commands(table_);
  register_replica_commands(table_);
  register_raft_commands(table_);
  for (const auto& [from, to] : config_.rename_commands) {
    if (!table_.rename(from, to)) {
      spdlog::warn("rename-command {} {}: no such command or the new name is taken", from, to);
    }
  }
}

ConfigHost* config_host(commands::CommandContext& ctx) {
  return ctx.server;
}

// Binds one listener per address of `bind` on `port` (0 = any free port, shared by all the
// addresses). Fills `out` only if every non-optional address could be bound; otherwise logs
// Redis's line for the address that failed and sets `*failure` (if given) to its error.
bool Server::bind_listeners(const std::vector<std::string>& bind, int port_option,
                            std::vector<std::unique_ptr<asio::ip::tcp::acceptor>>* out,
                            asio::error_code* failure) {
  std::vector<std::string> addresses = bind;
  if (addresses.empty()) addresses = {"0.0.0.0"};
  uint16_t port = static_cast<uint16_t>(port_option);
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> bound;
  for (const std::string& raw : addresses) {
    // Redis's "-::*"-style optional addresses: a leading '-' means "skip if unavailable".
    bool optional = !raw.empty() && raw[0] == '-';
    std::string host = optional ? raw.substr(1) : raw;
    if (host == "*") host = "0.0.0.0";
    if (host == "::*") host = "::";
    asio::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) {
      spdlog::error("Invalid bind address '{}'", host);
      return false;
    }
    auto acceptor = std::make_unique<asio::ip::tcp::acceptor>(io_);
    asio::ip::tcp::endpoint endpoint(address, port);
    // The failing step names the error as Redis's anet.c does ("bind: Address already in use").
    const char* step = "socket";
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) {
      step = "setsockopt";
      acceptor->set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec && address.is_v6()) acceptor->set_option(asio::ip::v6_only(true), ec);
    }
    if (!ec) {
      step = "bind";
      acceptor->bind(endpoint, ec);
    }
    if (!ec) {
      step = "listen";
      acceptor->listen(config_.tcp_backlog, ec);
    }
    if (ec) {
      if (optional) continue;
      // The address as configured ("*", not 0.0.0.0), as Redis prints it.
      spdlog::error("Could not create server TCP listening socket {}:{}: {}: {}", raw, port, step,
                    ec.message());
      if (failure != nullptr) *failure = ec;
      return false;
    }
    // With port 0 every address must share the port the first one got.
    port = acceptor->local_endpoint().port();
    spdlog::info("Listening on {}:{}", host, port);
    bound.push_back(std::move(acceptor));
  }
  if (bound.empty()) return false;
  *out = std::move(bound);
  return true;
}

// Replaces the listeners with ones for the configured bind/port. On failure the old listeners
// stay (or are bound again), so a failed CONFIG SET leaves the server reachable as before.
bool Server::relisten() {
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> fresh;
  asio::error_code ec;
  bool same_port = config_.port != 0 && config_.port == bound_port_;
  if (same_port) {
    // The new address set may overlap the old one on this port: free it first.
    for (auto& acceptor : acceptors_) acceptor->close(ec);
    acceptors_.clear();
    if (!bind_listeners(config_.bind, config_.port, &fresh)) {
      bind_listeners(bound_bind_, bound_port_, &acceptors_);
      for (auto& acceptor : acceptors_) accept_on(*acceptor);
      return false;
    }
  } else if (!bind_listeners(config_.bind, config_.port, &fresh)) {
    return false;
  }
  for (auto& acceptor : acceptors_) acceptor->close(ec);
  acceptors_ = std::move(fresh);
  bound_port_ = acceptors_.front()->local_endpoint().port();
  bound_bind_ = config_.bind;
  // "port 0" means any free port; from now on the configuration names the one we got, so that
  // CONFIG GET port answers what clients connect to.
  config_.port = bound_port_;
  for (auto& acceptor : acceptors_) accept_on(*acceptor);
  return true;
}

void Server::accept_on(asio::ip::tcp::acceptor& acceptor) {
  acceptor.async_accept([this, &acceptor](const asio::error_code& ec,
                                          asio::ip::tcp::socket socket) {
    if (shutting_down_) return;
    if (!ec) {
      stats_.total_connections_received++;
      if (clients_.size() >= static_cast<size_t>(config_.maxclients)) {
        stats_.rejected_connections++;
        static constexpr std::string_view kMaxClients = "-ERR max number of clients reached\r\n";
        asio::error_code ignored;
        asio::write(socket, asio::buffer(kMaxClients.data(), kMaxClients.size()), ignored);
        socket.close(ignored);
      } else {
        auto client = std::make_shared<Client>(*this, std::move(socket), next_client_id_++);
        add_client(client);
        client->start();
      }
    } else if (ec == asio::error::operation_aborted) {
      return;
    }
    accept_on(acceptor);
  });
}

int Server::run() {
  if (asio::error_code ec; !bind_listeners(config_.bind, config_.port, &acceptors_, &ec)) {
    spdlog::error("Failed listening on port {} (TCP), aborting.", config_.port);
    // Most often a newcomer's first start meets a Redis (Debian's redis-server service) or an
    // earlier zakros on the default port: say what to do.
    if (ec == asio::error::address_in_use) {
      spdlog::error(
          "Port {} is already in use by another process (a redis-server, or another zakros?): "
          "stop it, or start zakros on a free port with --port <port> (for example --port {}).",
          config_.port, config_.port == 65535 ? 6380 : config_.port + 1);
    } else if (ec == asio::error::access_denied) {
      spdlog::error(
          "Port {} needs privileges this process lacks: choose a port above 1023 "
          "with --port <port>.",
          config_.port);
    }
    return 1;
  }
  bound_port_ = acceptors_.front()->local_endpoint().port();
  bound_bind_ = config_.bind;
  config_.port = bound_port_;  // port 0 resolved: CONFIG GET port shows the real one
  for (auto& acceptor : acceptors_) accept_on(*acceptor);
  if (config_.raft_enabled) {
    replication_ = std::make_unique<Replication>(*this);
    std::string error;
    if (!replication_->start(&error)) {
      spdlog::critical("{}", error);
      return 1;
    }
  } else if (std::string error; !load_volatile_rdb_at_start(*this, &error)) {
    spdlog::critical("{}", error);
    return 1;
  }
  signals_.async_wait([this](const asio::error_code& ec, int signal) {
    if (ec) return;
    spdlog::warn("Received {} scheduling shutdown...", signal == SIGINT ? "SIGINT" : "SIGTERM");
    request_shutdown();
  });
  start_cron();
  spdlog::info("Ready to accept connections");
  io_.run();
  spdlog::info("zakros is now ready to exit, bye bye...");
  return 0;
}

void Server::request_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  asio::error_code ec;
  for (auto& acceptor : acceptors_) acceptor->close(ec);
  signals_.cancel(ec);
  cron_timer_.cancel();
  // Copy: close_now() removes from clients_.
  auto all = clients_;
  for (auto& [id, client] : all) {
    client->write_output();
    client->close_now();
  }
  io_.stop();
}

void Server::add_client(std::shared_ptr<Client> client) {
  clients_[client->id] = std::move(client);
}

void Server::remove_client(Client& client) {
  pubsub_->unsubscribe_all(client);
  transactions_->unwatch_all(client);
  blocking_->remove(client);
  clients_.erase(client.id);
}

Client* Server::find_client(uint64_t id) {
  auto it = clients_.find(id);
  return it == clients_.end() ? nullptr : it->second.get();
}

commands::ExecContext Server::make_exec_context() {
  static std::mt19937_64 seeds(std::random_device{}());
  commands::ExecContext ctx;
  ctx.now_ms = util::wall_ms();
  ctx.seed = seeds();
  ctx.may_delete_expired = true;
  return ctx;
}

size_t Server::blocked_clients() const {
  return blocking_->blocked_count();
}

// Every change of a key a client blocks on re-runs that client's command (blocking.h): pushes,
// but also deletions and overwrites, which end XREADGROUP with an error as in Redis.
void Server::key_modified(int db, std::string_view key) {
  ++dirty;
  transactions_->touch(db, key);
  blocking_->signal(db, key);
  if (replication_) replication_->on_key_modified(db, key);
}

void Server::database_modified(int db) {
  transactions_->touch_db(db);
  blocking_->signal_database(db);
  if (replication_) replication_->on_database_modified(db);
}

void Server::notify(char type, std::string_view event, std::string_view key, int db) {
  notify_keyspace_event(*this, type, event, key, db);
}

void Server::on_key_added(int db, std::string_view key) {
  blocking_->signal(db, key);
  notify('n', "new", key, db);
}

void Server::on_key_expired(int db, std::string_view key) {
  key_modified(db, key);
  notify('x', "expired", key, db);
}

void Server::key_ready(int db, std::string_view key) {
  blocking_->signal(db, key);
}

std::optional<std::string> Server::apply_config_change(std::string_view option) {
  if ((option == "port" || option == "bind") && !acceptors_.empty()) {
    if (!relisten()) return "Unable to listen on this port. Check server logs.";
    return std::nullopt;
  }
  on_config_changed(option);
  return std::nullopt;
}

// Store and command settings that follow the configuration.
void Server::apply_store_settings() {
  commands::g_proto_max_bulk_len = config_.proto_max_bulk_len;
  using P = MaxmemoryPolicy;
  P policy = config_.maxmemory_policy;
  bool lfu = policy == P::kVolatileLfu || policy == P::kAllkeysLfu;
  bool lru = policy == P::kVolatileLru || policy == P::kAllkeysLru;
  keyspace_.set_lfu(lfu);
  keyspace_.set_lfu_log_factor(config_.lfu_log_factor);
  keyspace_.set_lfu_decay_time(config_.lfu_decay_time);
  // Redis stops sharing small integers when eviction needs per-key LRU/LFU data.
  keyspace_.set_shared_integers(!(config_.maxmemory > 0 && (lfu || lru)));
  store::EncodingLimits limits;
  limits.list_max_listpack_size = config_.list_max_listpack_size;
  limits.list_compress_depth = config_.list_compress_depth;
  limits.hash_max_listpack_entries = config_.hash_max_listpack_entries;
  limits.hash_max_listpack_value = config_.hash_max_listpack_value;
  limits.set_max_intset_entries = config_.set_max_intset_entries;
  limits.zset_max_listpack_entries = config_.zset_max_listpack_entries;
  limits.zset_max_listpack_value = config_.zset_max_listpack_value;
  limits.stream_node_max_bytes = config_.stream_node_max_bytes;
  limits.stream_node_max_entries = config_.stream_node_max_entries;
  keyspace_.set_limits(limits);
  store::LazyFreePolicy lazy;
  lazy.user_del = config_.lazyfree_lazy_user_del;
  lazy.server_del = config_.lazyfree_lazy_server_del;
  lazy.expire = config_.lazyfree_lazy_expire;
  lazy.user_flush = config_.lazyfree_lazy_user_flush;
  keyspace_.set_lazy_free_policy(lazy);
  store::hll::g_sparse_max_bytes = static_cast<int64_t>(config_.hll_sparse_max_bytes);
}

void Server::on_config_changed(std::string_view option) {
  apply_store_settings();
  if (option == "loglevel") util::set_log_level(config_.loglevel);
}

void Server::reset_stats() {
  stats_.reset();
  stats_.commands_stats_start_ms = static_cast<uint64_t>(util::wall_ms());
  keyspace_.reset_stats();
}

void Server::start_cron() {
  int hz = std::clamp(config_.hz, 1, 500);
  cron_timer_.expires_after(std::chrono::milliseconds(1000 / hz));
  cron_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec || shutting_down_) return;
    cron();
    start_cron();
  });
}

}  // namespace zakros::server
