// INFO [section ...] with Redis 7.0's sections, field names and formats (server.c
// genRedisInfoString). Sections are chosen case-insensitively; "default" (also no argument)
// is server, clients, memory, persistence, stats, replication, cpu, modules, errorstats,
// cluster and keyspace; "all" adds commandstats and latencystats; "everything" is "all" plus
// module sections (there are none). Sections always come in Redis's order, each once.
//
// Memory figures come from jemalloc's statistics (stats.allocated / active / resident, after
// refreshing "epoch") when zakros is linked with jemalloc (ZAKROS_HAVE_JEMALLOC), and from
// /proc/self/statm for the resident set size.
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#ifdef ZAKROS_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "server/admin/introspection.h"
#include "server/admin/server_commands.h"
#include "server/config/config_options.h"
#include "server/replication/replication.h"
#include "server/replication/snapshotter.h"
#include "server/server.h"
#include "server/session/blocking.h"
#include "server/session/pubsub.h"
#include "server/version.h"
#include "util/clock.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using commands::CommandSpec;

struct Memory {
  size_t allocated = 0, active = 0, resident = 0, rss = 0;
  std::string allocator = "libc";
};

Memory read_memory() {
  Memory m;
#ifdef ZAKROS_HAVE_JEMALLOC
  // jemalloc caches its statistics; bumping the epoch refreshes them.
  uint64_t epoch = 1;
  size_t len = sizeof(epoch);
  mallctl("epoch", &epoch, &len, &epoch, len);
  len = sizeof(size_t);
  mallctl("stats.allocated", &m.allocated, &len, nullptr, 0);
  len = sizeof(size_t);
  mallctl("stats.active", &m.active, &len, nullptr, 0);
  len = sizeof(size_t);
  mallctl("stats.resident", &m.resident, &len, nullptr, 0);
  m.allocator = "jemalloc-" + std::to_string(JEMALLOC_VERSION_MAJOR) + "." +
                std::to_string(JEMALLOC_VERSION_MINOR) + "." +
                std::to_string(JEMALLOC_VERSION_BUGFIX);
#endif
  std::ifstream statm("/proc/self/statm");
  size_t pages_total = 0, pages_resident = 0;
  if (statm >> pages_total >> pages_resident) {
    m.rss = pages_resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
  }
  if (m.allocated == 0) m.allocated = m.rss;  // no allocator statistics: RSS is the best guess
  if (m.active == 0) m.active = m.allocated;
  if (m.resident == 0) m.resident = m.rss;
  return m;
}

// Appends "name:value\r\n".
struct Section {
  std::string& out;
  void line(std::string_view name, std::string_view value) {
    out += name;
    out += ':';
    out += value;
    out += "\r\n";
  }
  void num(std::string_view name, long long value) { line(name, std::to_string(value)); }
  void unum(std::string_view name, unsigned long long value) { line(name, std::to_string(value)); }
  void fixed(std::string_view name, double value, int digits = 2, std::string_view suffix = "") {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.*f", digits, value);
    line(name, std::string(buf) + std::string(suffix));
  }
};

std::string rusage_time(const timeval& tv) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%ld.%06ld", static_cast<long>(tv.tv_sec),
                static_cast<long>(tv.tv_usec));
  return buf;
}

std::string executable_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

// Redis's trimDoubleString of "%f": 50.000000 -> "50", 99.900000 -> "99.9".
std::string trim_double(double value) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%f", value);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

void server_section(Server& server, Section& s) {
  const Config& config = server.config();
  utsname name{};
  uname(&name);
  int64_t now_us = util::wall_us();
  int64_t uptime = (now_us / 1000 - server.start_time_ms()) / 1000;
  s.line("redis_version", kRedisCompatVersion);
  s.line("redis_git_sha1", "00000000");
  s.num("redis_git_dirty", 0);
  s.line("redis_build_id", "0");
  s.line("redis_mode", "standalone");
  s.line("os", std::string(name.sysname) + " " + name.release + " " + name.machine);
  s.num("arch_bits", sizeof(void*) * 8);
  s.line("monotonic_clock", "POSIX clock_gettime");
  s.line("multiplexing_api", "epoll");
  s.line("atomicvar_api", "c11-builtin");
#ifdef __GNUC__
  s.line("gcc_version", std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
                            std::to_string(__GNUC_PATCHLEVEL__));
#else
  s.line("gcc_version", "0.0.0");
#endif
  s.num("process_id", getpid());
  s.line("process_supervised", "no");
  s.line("run_id", server.run_id());
  s.num("tcp_port", server.bound_port());
  s.num("server_time_usec", now_us);
  s.num("uptime_in_seconds", uptime);
  s.num("uptime_in_days", uptime / (3600 * 24));
  s.num("hz", std::clamp(config.hz, 1, 500));
  s.num("configured_hz", config.hz);
  s.num("lru_clock", (now_us / 1000000) & ((1 << 24) - 1));
  s.line("executable", executable_path());
  s.line("config_file", server.config_file());
  s.num("io_threads_active", 0);
  s.line("zakros_version", kZakrosVersion);
  s.line("raft_enabled", config.raft_enabled ? "yes" : "no");
}

void clients_section(Server& server, Section& s) {
  size_t max_in = 0, max_out = 0, tracking = 0;
  for (const auto& [id, client] : server.clients()) {
    max_in = std::max(max_in, client->query_buffer_size());
    max_out = std::max(max_out, client->output_buffer_size());
    if (client->tracking) ++tracking;
  }
  s.unum("connected_clients", server.clients().size());
  s.num("cluster_connections", 0);
  s.unum("maxclients", server.config().maxclients);
  s.unum("client_recent_max_input_buffer", max_in);
  s.unum("client_recent_max_output_buffer", max_out);
  s.unum("blocked_clients", server.blocked_clients());
  s.unum("tracking_clients", tracking);
  s.unum("clients_in_timeout_table", server.blocking().with_timeout_count());
}

void memory_section(Server& server, Section& s) {
  const Config& config = server.config();
  Memory m = read_memory();
  server.peak_memory = std::max(server.peak_memory, m.allocated);
  size_t peak = server.peak_memory;
  unsigned long long system = static_cast<unsigned long long>(sysconf(_SC_PHYS_PAGES)) *
                              static_cast<unsigned long long>(sysconf(_SC_PAGESIZE));
  auto ratio = [](size_t a, size_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; };
  const OptionSpec* policy = find_option("maxmemory-policy");
  s.unum("used_memory", m.allocated);
  s.line("used_memory_human", bytes_to_human(m.allocated));
  s.unum("used_memory_rss", m.rss);
  s.line("used_memory_rss_human", bytes_to_human(m.rss));
  s.unum("used_memory_peak", peak);
  s.line("used_memory_peak_human", bytes_to_human(peak));
  s.fixed("used_memory_peak_perc", 100.0 * ratio(m.allocated, peak), 2, "%");
  s.num("used_memory_overhead", 0);
  s.num("used_memory_startup", 0);
  s.unum("used_memory_dataset", m.allocated);
  s.fixed("used_memory_dataset_perc", 100.0, 2, "%");
  s.unum("allocator_allocated", m.allocated);
  s.unum("allocator_active", m.active);
  s.unum("allocator_resident", m.resident);
  s.unum("total_system_memory", system);
  s.line("total_system_memory_human", bytes_to_human(system));
  s.num("used_memory_lua", 0);
  s.num("used_memory_vm_eval", 0);
  s.line("used_memory_lua_human", "0B");
  s.num("used_memory_scripts_eval", 0);
  s.num("number_of_cached_scripts", 0);
  s.num("number_of_functions", 0);
  s.num("number_of_libraries", 0);
  s.num("used_memory_vm_functions", 0);
  s.num("used_memory_vm_total", 0);
  s.line("used_memory_vm_total_human", "0B");
  s.num("used_memory_functions", 0);
  s.num("used_memory_scripts", 0);
  s.line("used_memory_scripts_human", "0B");
  s.unum("maxmemory", config.maxmemory);
  s.line("maxmemory_human", bytes_to_human(config.maxmemory));
  s.line("maxmemory_policy", policy != nullptr ? policy->get(config) : "noeviction");
  s.fixed("allocator_frag_ratio", ratio(m.active, m.allocated));
  s.num("allocator_frag_bytes",
        static_cast<long long>(m.active) - static_cast<long long>(m.allocated));
  s.fixed("allocator_rss_ratio", ratio(m.resident, m.active));
  s.num("allocator_rss_bytes",
        static_cast<long long>(m.resident) - static_cast<long long>(m.active));
  s.fixed("rss_overhead_ratio", ratio(m.rss, m.resident));
  s.num("rss_overhead_bytes", static_cast<long long>(m.rss) - static_cast<long long>(m.resident));
  s.fixed("mem_fragmentation_ratio", ratio(m.rss, m.allocated));
  s.num("mem_fragmentation_bytes",
        static_cast<long long>(m.rss) - static_cast<long long>(m.allocated));
  s.num("mem_not_counted_for_evict", 0);
  s.num("mem_replication_backlog", 0);
  s.num("mem_total_replication_buffers", 0);
  s.num("mem_clients_slaves", 0);
  size_t clients_mem = 0;
  for (const auto& [id, client] : server.clients()) {
    clients_mem += client->query_buffer_capacity() + client->output_buffer_capacity();
  }
  s.unum("mem_clients_normal", clients_mem);
  s.num("mem_cluster_links", 0);
  s.num("mem_aof_buffer", 0);
  s.line("mem_allocator", m.allocator);
  s.num("active_defrag_running", 0);
  const store::LazyFree& lazy_free = server.keyspace().lazy_free();
  s.unum("lazyfree_pending_objects", lazy_free.pending());
  s.unum("lazyfreed_objects", lazy_free.freed());
}

void persistence_section(Server& server, Section& s) {
  int64_t last_save =
      server.last_save_sec != 0 ? server.last_save_sec : server.start_time_ms() / 1000;
  s.num("loading", 0);
  s.num("async_loading", 0);
  s.num("current_cow_peak", 0);
  s.num("current_cow_size", 0);
  s.num("current_cow_size_age", 0);
  s.fixed("current_fork_perc", 0);
  s.num("current_save_keys_processed", 0);
  s.num("current_save_keys_total", 0);
  s.unum("rdb_changes_since_last_save", server.dirty);
  const Snapshotter& snap = server.snapshotter();
  s.num("rdb_bgsave_in_progress", snap.in_progress() ? 1 : 0);
  s.num("rdb_last_save_time", last_save);
  s.line("rdb_last_bgsave_status", snap.last_background_ok() ? "ok" : "err");
  s.num("rdb_last_bgsave_time_sec",
        snap.last_background_ms() < 0 ? -1 : snap.last_background_ms() / 1000);
  s.num("rdb_current_bgsave_time_sec",
        snap.in_progress() ? (util::wall_ms() - snap.started_ms()) / 1000 : -1);
  s.unum("rdb_saves", snap.saves());
  s.num("rdb_last_cow_size", 0);
  s.num("rdb_last_load_keys_expired", 0);
  s.num("rdb_last_load_keys_loaded", 0);
  s.num("aof_enabled", 0);
  s.num("aof_rewrite_in_progress", 0);
  s.num("aof_rewrite_scheduled", 0);
  s.num("aof_last_rewrite_time_sec", -1);
  s.num("aof_current_rewrite_time_sec", -1);
  s.line("aof_last_bgrewrite_status", "ok");
  s.num("aof_rewrites", 0);
  s.num("aof_rewrites_consecutive_failures", 0);
  s.line("aof_last_write_status", "ok");
  s.num("aof_last_cow_size", 0);
  s.num("module_fork_in_progress", 0);
  s.num("module_fork_last_cow_size", 0);
}

void stats_section(Server& server, Section& s) {
  Stats& st = server.stats();
  store::Keyspace& ks = server.keyspace();
  int64_t now = util::wall_ms();
  server.ops_metric.sample(now, st.total_commands_processed);
  server.net_input_metric.sample(now, st.net_input_bytes);
  server.net_output_metric.sample(now, st.net_output_bytes);
  s.unum("total_connections_received", st.total_connections_received);
  s.unum("total_commands_processed", st.total_commands_processed);
  s.num("instantaneous_ops_per_sec",
        static_cast<long long>(server.ops_metric.per_second(now, st.total_commands_processed)));
  s.unum("total_net_input_bytes", st.net_input_bytes);
  s.unum("total_net_output_bytes", st.net_output_bytes);
  s.num("total_net_repl_input_bytes", 0);
  s.num("total_net_repl_output_bytes", 0);
  s.fixed("instantaneous_input_kbps",
          server.net_input_metric.per_second(now, st.net_input_bytes) / 1024);
  s.fixed("instantaneous_output_kbps",
          server.net_output_metric.per_second(now, st.net_output_bytes) / 1024);
  s.fixed("instantaneous_input_repl_kbps", 0);
  s.fixed("instantaneous_output_repl_kbps", 0);
  s.unum("rejected_connections", st.rejected_connections);
  s.num("sync_full", 0);
  s.num("sync_partial_ok", 0);
  s.num("sync_partial_err", 0);
  s.unum("expired_keys", ks.expired_keys());
  s.fixed("expired_stale_perc", ks.expired_stale_perc());
  s.unum("expired_time_cap_reached_count", ks.expired_time_cap_reached_count());
  s.num("expire_cycle_cpu_milliseconds", 0);
  s.num("evicted_keys", 0);
  s.num("evicted_clients", 0);
  s.num("total_eviction_exceeded_time", 0);
  s.num("current_eviction_exceeded_time", 0);
  s.unum("keyspace_hits", ks.keyspace_hits);
  s.unum("keyspace_misses", ks.keyspace_misses);
  s.unum("pubsub_channels", server.pubsub().channel_count());
  s.unum("pubsub_patterns", server.pubsub().pattern_count());
  s.unum("pubsubshard_channels", server.pubsub().shard_channel_count());
  s.num("latest_fork_usec", 0);
  s.num("total_forks", 0);
  s.num("migrate_cached_sockets", 0);
  s.num("slave_expires_tracked_keys", 0);
  s.num("active_defrag_hits", 0);
  s.num("active_defrag_misses", 0);
  s.num("active_defrag_key_hits", 0);
  s.num("active_defrag_key_misses", 0);
  s.num("total_active_defrag_time", 0);
  s.num("current_active_defrag_time", 0);
  s.num("tracking_total_keys", 0);
  s.num("tracking_total_items", 0);
  s.num("tracking_total_prefixes", 0);
  s.unum("unexpected_error_replies", st.unexpected_error_replies);
  s.unum("total_error_replies", st.total_error_replies);
  s.num("dump_payload_sanitizations", 0);
  s.unum("total_reads_processed", st.total_reads_processed);
  s.unum("total_writes_processed", st.total_writes_processed);
  s.num("io_threaded_reads_processed", 0);
  s.num("io_threaded_writes_processed", 0);
  s.num("reply_buffer_shrinks", 0);
  s.num("reply_buffer_expands", 0);
  s.unum("client_query_buffer_limit_disconnections", st.client_query_buffer_limit_disconnections);
  s.unum("client_output_buffer_limit_disconnections", st.client_output_buffer_limit_disconnections);
}

void replication_section(Server& server, Section& s) {
  if (server.master_replid.empty()) server.master_replid = server.run_id();
  // In a Raft cluster the leader shows as master and the other members as its replicas.
  Replication* replication = server.replication();
  if (replication != nullptr && replication->cluster_mode() && !replication->is_leader()) {
    s.line("role", "slave");
    auto leader = replication->address_of(replication->node().leader());
    s.line("master_host", leader ? leader->host : "?");
    s.num("master_port", leader ? leader->port : 0);
    s.line("master_link_status", leader ? "up" : "down");
    s.num("slave_repl_offset", static_cast<long long>(replication->applied_index()));
    s.num("slave_read_only", 1);
    s.num("connected_slaves", 0);
  } else if (replication != nullptr && replication->cluster_mode()) {
    s.line("role", "master");
    const raft::Node& node = replication->node();
    std::vector<std::string> replicas;
    for (raft::NodeId id : node.conf().voters) {
      if (id == replication->self()) continue;
      auto address = replication->address_of(id);
      const raft::Progress* pr = node.progress(id);
      if (!address || pr == nullptr) continue;
      replicas.push_back("ip=" + address->host + ",port=" + std::to_string(address->port) +
                         ",state=online,offset=" + std::to_string(pr->match) + ",lag=0");
    }
    s.unum("connected_slaves", replicas.size());
    for (size_t i = 0; i < replicas.size(); ++i) s.line("slave" + std::to_string(i), replicas[i]);
  } else {
    s.line("role", "master");
    s.num("connected_slaves", 0);
  }
  s.line("master_failover_state", "no-failover");
  s.line("master_replid", server.master_replid);
  s.line("master_replid2", std::string(40, '0'));
  s.num("master_repl_offset", 0);
  s.num("second_repl_offset", -1);
  s.num("repl_backlog_active", 0);
  s.num("repl_backlog_size", server.config().repl_backlog_size);
  s.num("repl_backlog_first_byte_offset", 0);
  s.num("repl_backlog_histlen", 0);
}

void cpu_section(Section& s) {
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  s.line("used_cpu_sys", rusage_time(self.ru_stime));
  s.line("used_cpu_user", rusage_time(self.ru_utime));
  s.line("used_cpu_sys_children", rusage_time(children.ru_stime));
  s.line("used_cpu_user_children", rusage_time(children.ru_utime));
#ifdef RUSAGE_THREAD
  rusage thread{};
  getrusage(RUSAGE_THREAD, &thread);
  s.line("used_cpu_sys_main_thread", rusage_time(thread.ru_stime));
  s.line("used_cpu_user_main_thread", rusage_time(thread.ru_utime));
#endif
}

// Every command and subcommand in table order, with its full name.
template <class Fn>
void for_each_command(Server& server, Fn&& fn) {
  for (const CommandSpec* spec : server.commands().all()) {
    fn(commands::full_name(nullptr, *spec), *spec);
    for (const CommandSpec& sub : spec->subcommands) fn(commands::full_name(spec, sub), sub);
  }
}

// Redis's getSafeInfoString: '#', ':', CR and LF would break the INFO format.
std::string safe_info_name(std::string name) {
  for (char& c : name) {
    if (c == '#' || c == ':' || c == '\n' || c == '\r') c = '_';
  }
  return name;
}

void commandstats_section(Server& server, Section& s) {
  Stats& st = server.stats();
  for_each_command(server, [&](const std::string& name, const CommandSpec& spec) {
    auto it = st.commands.find(&spec);
    if (it == st.commands.end()) return;
    const CommandStats& cs = it->second;
    if (cs.calls == 0 && cs.failed_calls == 0 && cs.rejected_calls == 0) return;
    char buf[256];
    std::snprintf(buf, sizeof(buf),
                  "calls=%llu,usec=%llu,usec_per_call=%.2f,rejected_calls=%llu,failed_calls=%llu",
                  static_cast<unsigned long long>(cs.calls),
                  static_cast<unsigned long long>(cs.usec),
                  cs.calls == 0 ? 0.0f : static_cast<float>(cs.usec) / static_cast<float>(cs.calls),
                  static_cast<unsigned long long>(cs.rejected_calls),
                  static_cast<unsigned long long>(cs.failed_calls));
    s.line("cmdstat_" + safe_info_name(name), buf);
  });
}

void errorstats_section(Server& server, Section& s) {
  for (const auto& [code, count] : server.stats().errors) {
    s.line("errorstat_" + safe_info_name(code), "count=" + std::to_string(count));
  }
}

void latencystats_section(Server& server, Section& s) {
  const Config& config = server.config();
  if (!config.latency_tracking) return;
  Stats& st = server.stats();
  for_each_command(server, [&](const std::string& name, const CommandSpec& spec) {
    auto it = st.commands.find(&spec);
    if (it == st.commands.end() || it->second.latency.count == 0) return;
    std::string value;
    for (size_t j = 0; j < config.latency_tracking_info_percentiles.size(); ++j) {
      double p = config.latency_tracking_info_percentiles[j];
      char buf[64];
      std::snprintf(buf, sizeof(buf), "=%.3f", it->second.latency.percentile(p));
      if (j != 0) value += ',';
      value += "p" + trim_double(p) + buf;
    }
    s.line("latency_percentiles_usec_" + safe_info_name(name), value);
  });
}

void keyspace_section(Server& server, Section& s) {
  store::Keyspace& ks = server.keyspace();
  for (int j = 0; j < ks.count(); ++j) {
    store::Keyspace::DbStats db = ks.stats(j);
    if (db.keys == 0 && db.expires == 0) continue;
    s.line("db" + std::to_string(j), "keys=" + std::to_string(db.keys) +
                                         ",expires=" + std::to_string(db.expires) +
                                         ",avg_ttl=" + std::to_string(db.avg_ttl));
  }
}

void info(CommandContext& ctx) {
  ctx.out.verbatim(info_string(*ctx.server, ctx.argv.subspan(1)));
}

}  // namespace

std::string info_string(Server& server, std::span<const std::string_view> args) {
  static constexpr std::string_view kDefault[] = {
      "server", "clients",     "memory",     "persistence", "stats", "replication",
      "cpu",    "module_list", "errorstats", "cluster",     "raft",  "keyspace"};
  std::set<std::string> wanted;
  bool all = false;
  auto add = [&](std::string_view name) {
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    wanted.insert(std::move(lower));
  };
  if (args.empty()) {
    for (std::string_view name : kDefault) add(name);
  }
  for (std::string_view arg : args) {
    if (iequals(arg, "default")) {
      for (std::string_view name : kDefault) add(name);
    } else if (iequals(arg, "all") || iequals(arg, "everything")) {
      all = true;
    } else {
      add(arg);
    }
  }
  auto want = [&](std::string_view name) { return all || wanted.count(std::string(name)) > 0; };

  std::string out;
  Section s{out};
  auto begin = [&](std::string_view title) {
    if (!out.empty()) out += "\r\n";
    out += "# ";
    out += title;
    out += "\r\n";
  };
  if (want("server")) {
    begin("Server");
    server_section(server, s);
  }
  if (want("clients")) {
    begin("Clients");
    clients_section(server, s);
  }
  if (want("memory")) {
    begin("Memory");
    memory_section(server, s);
  }
  if (want("persistence")) {
    begin("Persistence");
    persistence_section(server, s);
  }
  if (want("stats")) {
    begin("Stats");
    stats_section(server, s);
  }
  if (want("replication")) {
    begin("Replication");
    replication_section(server, s);
  }
  if (want("cpu")) {
    begin("CPU");
    cpu_section(s);
  }
  if (want("module_list") || want("modules")) begin("Modules");
  if (want("commandstats")) {
    begin("Commandstats");
    commandstats_section(server, s);
  }
  if (want("errorstats")) {
    begin("Errorstats");
    errorstats_section(server, s);
  }
  if (want("latencystats")) {
    begin("Latencystats");
    latencystats_section(server, s);
  }
  if (want("cluster")) {
    begin("Cluster");
    Replication* replication = server.replication();
    s.num("cluster_enabled", replication != nullptr && replication->cluster_mode() ? 1 : 0);
  }
  if (want("raft") && server.replication() != nullptr) {
    begin("Raft");
    s.out += server.replication()->info_section();
  }
  if (want("keyspace")) {
    begin("Keyspace");
    keyspace_section(server, s);
  }
  return out;
}

void register_info_command(commands::CommandTable& table) {
  using namespace commands;
  table.add({.name = "info",
             .arity = -1,
             .flags = kLoading | kStale,
             .acl = kAclSlow | kAclDangerous,
             .group = CommandGroup::kServer,
             .handler = info,
             .subcommands = {},
             .summary = "Get information and statistics about the server"});
}

}  // namespace zakros::server
