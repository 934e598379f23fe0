// zakros's configuration: the typed values the server reads (Config), how they are loaded from
// the command line and a config file (load_config), and the interface the CONFIG command uses
// to reach a running server (ConfigHost).
//
// The contract (design.md, "The command-line and configuration contract"):
//   zakros [CONFIG-FILE] [--option value ...]
// exactly like redis-server: the file uses Redis's syntax (one directive per line, arguments
// split as Redis's sdssplitargs does: "double quotes" with \n \r \t \b \a \\ \" \xHH escapes,
// 'single quotes', # comments, `include path-or-glob`), and every `--option value...` is
// appended after the file as one more line, so the command line wins. Option names are
// case-insensitive; Redis's names and aliases are accepted wherever Redis has the option.
//
// Every option is described once, in the declarative table of config_options.cc (name, alias,
// type, bounds, default, flags); parsing, CONFIG GET, CONFIG SET and CONFIG REWRITE all read
// that table. Options Redis has but zakros does not act on yet are accepted, validated and
// stored with Redis's defaults (so clients and Redis's own test suite can GET and SET them
// back); the table marks them kNotActedUpon and they live at the end of Config.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zakros::commands {
class CommandTable;
struct CommandContext;
}  // namespace zakros::commands

namespace zakros::server {

enum class RaftStorage : int { kDisk, kMemory };
enum class MaxmemoryPolicy : int {
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
  kAllkeysLru,
  kAllkeysLfu,
  kAllkeysRandom,
  kNoeviction,
};
enum class AppendFsync : int { kEverysec, kAlways, kNo };
// enable-protected-configs / enable-debug-command / enable-module-command.
enum class ProtectedAction : int { kNo, kYes, kLocal };

// shutdown-on-sigint / shutdown-on-sigterm flags (0 = "default"), Redis's values.
inline constexpr int kShutdownSave = 1;
inline constexpr int kShutdownNoSave = 2;
inline constexpr int kShutdownNow = 4;
inline constexpr int kShutdownForce = 8;

// notify-keyspace-events classes, Redis's bit values (server.h NOTIFY_*).
inline constexpr int kNotifyKeyspace = 1 << 0;  // K
inline constexpr int kNotifyKeyevent = 1 << 1;  // E
inline constexpr int kNotifyGeneric = 1 << 2;   // g
inline constexpr int kNotifyString = 1 << 3;    // $
inline constexpr int kNotifyList = 1 << 4;      // l
inline constexpr int kNotifySet = 1 << 5;       // s
inline constexpr int kNotifyHash = 1 << 6;      // h
inline constexpr int kNotifyZset = 1 << 7;      // z
inline constexpr int kNotifyExpired = 1 << 8;   // x
inline constexpr int kNotifyEvicted = 1 << 9;   // e
inline constexpr int kNotifyStream = 1 << 10;   // t
inline constexpr int kNotifyKeyMiss = 1 << 11;  // m (not part of A)
inline constexpr int kNotifyModule = 1 << 13;   // d
inline constexpr int kNotifyNew = 1 << 14;      // n (not part of A)
inline constexpr int kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet |
                                  kNotifyHash | kNotifyZset | kNotifyExpired | kNotifyEvicted |
                                  kNotifyStream | kNotifyModule;
// Parses a notify-keyspace-events string ("KEA", "Ex", ""); -1 if a letter is unknown.
int keyspace_events_from_string(std::string_view classes);
// The canonical string of a flag set, in Redis's order (CONFIG GET shows it): "AKE", "Kgx".
std::string keyspace_events_to_string(int flags);

// One client-output-buffer-limit class. 0 means no limit.
struct OutputBufferLimit {
  unsigned long long hard_bytes = 0;
  unsigned long long soft_bytes = 0;
  long long soft_seconds = 0;

  bool operator==(const OutputBufferLimit&) const = default;
};
// Index into Config::client_output_buffer_limit.
enum ClientClass : int { kClientNormal = 0, kClientReplica = 1, kClientPubsub = 2 };

// One node of cluster-addrs.
struct NodeAddress {
  std::string host;
  int port = 0;

  bool operator==(const NodeAddress&) const = default;
};

// Every option's current value. Defaults are Redis 7.0's (zakros's for its own options). The
// server reads the fields directly; only load_config and CONFIG SET write them.
struct Config {
  // ---- network ----
  std::vector<std::string> bind{"*", "-::*"};  // "-" prefix: optional address (Redis's)
  int port = 6379;                             // 0 = any free port
  int tcp_backlog = 511;
  int timeout = 0;  // idle client timeout in seconds, 0 = never
  int tcp_keepalive = 300;
  unsigned maxclients = 10000;
  bool protected_mode = true;

  // ---- general ----
  std::string dir = "./data";       // node data lives in dir/node-<id>/
  std::string loglevel = "notice";  // debug, verbose, notice or warning (util/log.h names)
  std::string logfile;              // "" = standard output
  int databases = 16;
  int hz = 10;  // clamped to 1..500 as Redis does
  bool dynamic_hz = true;
  std::string requirepass;      // "" = no password
  std::string pidfile;          // "" = none
  bool daemonize = false;       // accepted; zakros never forks into the background
  int shutdown_on_sigint = 0;   // kShutdown* flags
  int shutdown_on_sigterm = 0;  // kShutdown* flags
  int shutdown_timeout = 10;

  // ---- limits ----
  long long proto_max_bulk_len = 512ll * 1024 * 1024;
  size_t client_query_buffer_limit = 1024ull * 1024 * 1024;
  // normal, replica, pubsub (ClientClass).
  std::array<OutputBufferLimit, 3> client_output_buffer_limit{{
      {0, 0, 0},
      {256ull * 1024 * 1024, 64ull * 1024 * 1024, 60},
      {32ull * 1024 * 1024, 8ull * 1024 * 1024, 60},
  }};
  unsigned long long maxmemory = 0;
  MaxmemoryPolicy maxmemory_policy = MaxmemoryPolicy::kNoeviction;
  int maxmemory_samples = 5;
  int maxmemory_eviction_tenacity = 10;
  long long maxmemory_clients = 0;  // bytes, or -percent of maxmemory ("10%" is stored as -10)

  // ---- keyspace, expiry, introspection ----
  int active_expire_effort = 1;
  bool activerehashing = true;
  int notify_keyspace_events = 0;             // kNotify* flags
  long long slowlog_log_slower_than = 10000;  // microseconds, -1 = never
  size_t slowlog_max_len = 128;
  long long latency_monitor_threshold = 0;  // milliseconds, 0 = off
  bool latency_tracking = true;
  std::vector<double> latency_tracking_info_percentiles{50.0, 99.0, 99.9};
  long long busy_reply_threshold = 5000;  // alias lua-time-limit
  size_t tracking_table_max_keys = 1000000;
  ProtectedAction enable_protected_configs = ProtectedAction::kNo;
  ProtectedAction enable_debug_command = ProtectedAction::kNo;
  ProtectedAction enable_module_command = ProtectedAction::kNo;

  // ---- encodings (the store may use them to choose compact encodings) ----
  int list_max_listpack_size = -2;
  int list_compress_depth = 0;
  size_t hash_max_listpack_entries = 512;
  size_t hash_max_listpack_value = 64;
  size_t set_max_intset_entries = 512;
  size_t zset_max_listpack_entries = 128;
  size_t zset_max_listpack_value = 64;
  size_t stream_node_max_bytes = 4096;
  long long stream_node_max_entries = 100;
  size_t hll_sparse_max_bytes = 3000;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;

  // ---- zakros: cluster and Raft ----
  int node_id = 0;                         // index of this node in cluster_addrs
  std::vector<NodeAddress> cluster_addrs;  // empty = a one-node cluster on bind/port
  bool raft_enabled = true;                // no = volatile node (no persistence)
  RaftStorage raft_storage = RaftStorage::kDisk;
  int raft_election_timeout = 1000;                             // ms; randomised in [t, 2t)
  int raft_heartbeat_interval = 100;                            // ms
  unsigned long long raft_log_max_bytes = 64ull * 1024 * 1024;  // log size before a snapshot
  // Test-only fault switch for tests/fault, which must show that its checker catches a broken
  // system: "stale-reads" serves reads locally on every node (no ReadIndex, no redirect);
  // "early-ack" acknowledges writes when proposed, before they commit. Never set in production.
  std::string raft_test_break;
  // Cluster identity checked by the peer handshake. Empty = derived from cluster-addrs. Set it
  // when members see each other at different addresses (NAT, proxies: tests/fault).
  std::string raft_cluster_id;
  // Join an existing cluster instead of bootstrapping one from cluster-addrs: start with no
  // configuration and wait for the leader to add this node (RAFT.NODE ADD). Needs cluster-addrs
  // (to reach the members) and raft-cluster-id (the cluster's id, INFO raft raft_cluster_id).
  bool raft_join = false;

  // ---- accepted and stored, not acted upon yet (kNotActedUpon in the table) ----
  std::vector<std::pair<long long, long long>> save{{3600, 1}, {300, 100}, {60, 10000}};
  bool appendonly = false;
  AppendFsync appendfsync = AppendFsync::kEverysec;
  std::string appendfilename = "appendonly.aof";
  std::string appenddirname = "appendonlydir";
  std::string dbfilename = "dump.rdb";
  bool rdbcompression = true;
  bool rdbchecksum = true;
  bool rdb_del_sync_files = false;
  bool stop_writes_on_bgsave_error = true;
  bool rdb_save_incremental_fsync = true;
  bool aof_rewrite_incremental_fsync = true;
  bool no_appendfsync_on_rewrite = false;
  bool aof_load_truncated = true;
  bool aof_use_rdb_preamble = true;
  bool aof_timestamp_enabled = false;
  bool aof_disable_auto_gc = false;
  int auto_aof_rewrite_percentage = 100;
  long long auto_aof_rewrite_min_size = 64ll * 1024 * 1024;
  bool lazyfree_lazy_eviction = false;
  bool lazyfree_lazy_expire = false;
  bool lazyfree_lazy_server_del = false;
  bool lazyfree_lazy_user_del = false;
  bool lazyfree_lazy_user_flush = false;
  bool activedefrag = false;
  int active_defrag_cycle_min = 1;
  int active_defrag_cycle_max = 25;
  int active_defrag_threshold_lower = 10;
  int active_defrag_threshold_upper = 100;
  size_t active_defrag_ignore_bytes = 100ull << 20;
  size_t active_defrag_max_scan_fields = 1000;
  bool always_show_logo = false;
  bool set_proc_title = true;
  std::string proc_title_template = "{title} {listen-addr} {server-mode}";
  int supervised = 0;  // no
  bool syslog_enabled = false;
  std::string syslog_ident = "redis";
  int syslog_facility = 1;  // local0
  std::string unixsocket;
  unsigned unixsocketperm = 0;
  unsigned socket_mark_id = 0;
  int io_threads = 1;
  bool io_threads_do_reads = false;
  bool jemalloc_bg_thread = true;
  bool disable_thp = true;
  bool crash_log_enabled = true;
  bool crash_memcheck_enabled = true;
  bool use_exit_on_panic = false;
  int oom_score_adj = 0;  // no
  std::array<int, 3> oom_score_adj_values{0, 200, 800};
  std::string ignore_warnings;
  std::string bind_source_addr;
  std::string server_cpulist, bio_cpulist, aof_rewrite_cpulist, bgsave_cpulist;
  std::string aclfile;
  size_t acllog_max_len = 128;
  int acl_pubsub_default = 0;          // resetchannels
  int sanitize_dump_payload = 0;       // no
  int propagation_error_behavior = 0;  // ignore
  long long key_load_delay = 0;
  long long rdb_key_save_delay = 0;
  long long loading_process_events_interval_bytes = 2 * 1024 * 1024;
  int watchdog_period = 0;
  bool lua_enable_deprecated_api = false;
  // rename-command directives of the config file, in order ("" = remove the command). The
  // server applies them to its command table at start-up.
  std::vector<std::pair<std::string, std::string>> rename_commands;
  // replication
  std::string replicaof_host;  // "" = this node is not a Redis-style replica
  int replicaof_port = 0;
  // Acted upon: the key and user of the peer handshake's proofs (peer_transport.h).
  std::string masterauth, masteruser;
  bool replica_serve_stale_data = true;
  bool replica_read_only = true;
  bool replica_lazy_flush = false;
  bool replica_ignore_maxmemory = true;
  bool replica_announced = true;
  bool replica_ignore_disk_write_errors = false;
  std::string replica_announce_ip;
  int replica_announce_port = 0;
  int replica_priority = 100;
  bool repl_diskless_sync = true;
  int repl_diskless_sync_delay = 5;
  int repl_diskless_sync_max_replicas = 0;
  int repl_diskless_load = 0;  // disabled
  bool repl_disable_tcp_nodelay = false;
  long long repl_backlog_size = 1024 * 1024;
  long long repl_backlog_ttl = 3600;
  int repl_timeout = 60;
  int repl_ping_replica_period = 10;
  int min_replicas_to_write = 0;
  int min_replicas_max_lag = 10;
  // Redis Cluster (zakros answers CLUSTER itself; these are for clients that read them)
  bool cluster_enabled = false;
  std::string cluster_config_file = "nodes.conf";
  long long cluster_node_timeout = 15000;
  int cluster_port = 0;
  int cluster_migration_barrier = 1;
  int cluster_replica_validity_factor = 10;
  bool cluster_replica_no_failover = false;
  bool cluster_require_full_coverage = true;
  bool cluster_allow_reads_when_down = false;
  bool cluster_allow_pubsubshard_when_down = true;
  bool cluster_allow_replica_migration = true;
  std::string cluster_announce_ip, cluster_announce_hostname;
  int cluster_announce_port = 0, cluster_announce_bus_port = 0, cluster_announce_tls_port = 0;
  int cluster_preferred_endpoint_type = 0;  // ip
  unsigned long long cluster_link_sendbuf_limit = 0;
  // TLS (zakros has no TLS yet: tls-port must stay 0)
  int tls_port = 0;
  int tls_session_cache_size = 20 * 1024;
  int tls_session_cache_timeout = 300;
  bool tls_cluster = false, tls_replication = false, tls_prefer_server_ciphers = false;
  bool tls_session_caching = true;
  int tls_auth_clients = 1;  // yes
  std::string tls_cert_file, tls_key_file, tls_key_file_pass, tls_client_cert_file,
      tls_client_key_file, tls_client_key_file_pass, tls_dh_params_file, tls_ca_cert_file,
      tls_ca_cert_dir, tls_protocols, tls_ciphers, tls_ciphersuites;
};

// Loads the configuration the way redis-server does from its command line: argv[1] is a config
// file unless it starts with '-'; every `--name value...` after it becomes the line
// "name value..." appended after the file (values quoted, so "" and spaces survive); a lone
// `--save` means `save ""`; `-` as the first or last argument reads more config from stdin.
// Starts from `*out` as it is (normally a default Config) and then checks cross-option rules
// (node-id must index cluster-addrs, ...). On success fills `*config_file` (when not null) with
// the absolute path of the file, "" without one, and returns nullopt. On failure returns the
// message to print on stderr before exiting with code 1, in Redis's format:
//   \n*** FATAL CONFIG FILE ERROR (zakros X.Y.Z) ***\n
//   Reading the configuration file '/etc/zakros.conf', at line 2\n
//   >>> 'port "abc"'\n
//   argument couldn't be parsed into an integer
// (for an error in the command-line options the second line reads "Reading the command line
// options, at line N" where N counts the --options).
std::optional<std::string> load_config(int argc, char** argv, Config* out,
                                       std::string* config_file = nullptr);

// Loads config text (what a file holds) into *out; `origin` names it in error messages
// (a file path, or "" for anonymous text). Used by load_config and tests.
std::optional<std::string> load_config_text(std::string_view text, std::string_view origin,
                                            Config* out);

// Redis's sdssplitargs: splits one config line (or an inline command) into arguments. Returns
// nullopt on unbalanced quotes or a closing quote not followed by a space.
std::optional<std::vector<std::string>> split_args(std::string_view line);

// Redis's sdscatrepr: `value` in double quotes with \n \r \t \a \b \\ \" escaped and other
// non-printable bytes as \xHH, so that split_args gives `value` back.
std::string quote_arg(std::string_view value);

// What CONFIG needs from the running server. Implemented by Server (server.h); CONFIG's
// handlers obtain it with config_host(ctx).
class ConfigHost {
 public:
  virtual ~ConfigHost() = default;
  // The live configuration; CONFIG SET writes it, everything else reads it.
  virtual Config& config() = 0;
  // Called by CONFIG SET after the new values of all its options are stored, once per option
  // whose value changed (canonical name, e.g. "maxclients" even if set as an alias), in
  // argument order, so the server can act (re-bind, resize, change log level...).
  virtual void on_config_changed(std::string_view option) = 0;
  // Like on_config_changed but may refuse the change (e.g. "Unable to listen on this port.
  // Check server logs."): CONFIG SET then restores every option's old value, calls this again
  // for the options it had already applied, and replies
  // "ERR CONFIG SET failed (possibly related to argument '<option>') - <error>".
  // The default accepts everything and forwards to on_config_changed.
  virtual std::optional<std::string> apply_config_change(std::string_view option) {
    on_config_changed(option);
    return std::nullopt;
  }
  // CONFIG RESETSTAT: reset INFO stats, per-command and per-error counters, slowlog peaks...
  virtual void reset_stats() = 0;
  // The absolute path of the config file the server was started with, "" if none. CONFIG
  // REWRITE rewrites it.
  virtual const std::string& config_file() = 0;
  // Whether the client running `ctx` connects from the local machine (loopback or unix
  // socket), for enable-protected-configs local. Default: no.
  virtual bool is_local_client(commands::CommandContext&) { return false; }
};

// Defined by the server (server.cc): the ConfigHost of the server running `ctx`, or null when
// there is none (a command applied from the Raft log). Unit tests define their own.
ConfigHost* config_host(commands::CommandContext& ctx);

// CONFIG's work with an explicit host; ctx.arg(1) names the subcommand, arity is already
// checked. The registered handlers call it with config_host(ctx); unit tests call it with a
// test double, so they need no Server.
void execute_config_command(ConfigHost* host, commands::CommandContext& ctx);

// For a CONFIG SET call (argv[0] = "config", argv[1] = "set"), the indexes of the values that
// belong to sensitive options (requirepass, masterauth, ...). SLOWLOG, MONITOR and any command
// log must show them as "(redacted)", as Redis does.
std::vector<size_t> config_set_sensitive_args(std::span<const std::string_view> argv);

// Registers CONFIG (GET, SET, RESETSTAT, REWRITE, HELP) with Redis 7.0's arity, flags and ACL
// categories (config_command.cc).
void register_config_command(commands::CommandTable& table);

// CONFIG REWRITE's work (config_rewrite.cc): rewrites the file at `path` so that it holds
// `config`, keeping comments and lines it does not understand, replacing the lines of known
// options, blanking their extra lines and appending options that differ from their defaults
// after a "# Generated by CONFIG REWRITE" line. Written to a temporary file, fsynced and
// renamed over `path`. Returns an error text (strerror) on failure. `force_all` writes every
// option even at its default (Redis's DEBUG CONFIG-REWRITE-FORCE-ALL).
std::optional<std::string> rewrite_config_file(const std::string& path, const Config& config,
                                               bool force_all = false);

}  // namespace zakros::server
