// Server commands that need the Server itself: TIME, LASTSAVE, SAVE, BGSAVE, SHUTDOWN,
// MONITOR, SLOWLOG and LATENCY; and register_server_commands(), which also registers INFO
// (info_command.cc), DEBUG (debug_command.cc), CLIENT (client_command.cc) and COMMAND
// (command_command.cc).
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "server/admin/introspection.h"
#include "server/admin/server_commands.h"
#include "server/replication/replication.h"
#include "server/replication/snapshotter.h"
#include "server/server.h"
#include "store/rdb.h"
#include "util/clock.h"
#include "util/numbers.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using namespace commands;  // flags and ACL categories

void time_command(CommandContext& ctx) {
  int64_t us = util::wall_us();
  ctx.out.array(2);
  ctx.out.bulk_integer(us / 1000000);
  ctx.out.bulk_integer(us % 1000000);
}

int64_t last_save(Server& server) {
  return server.last_save_sec != 0 ? server.last_save_sec : server.start_time_ms() / 1000;
}

// LASTSAVE: the unix time of the newest snapshot (Raft mode: taken or received) or RDB file
// written (volatile mode); the start time before any.
void lastsave(CommandContext& ctx) {
  ctx.out.integer(last_save(*ctx.server));
}

std::string volatile_temp_path(Server& server, long pid) {
  return server.config().dir + "/temp-" + std::to_string(pid) + ".rdb";
}

bool volatile_prepare(Server& server, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(server.config().dir, ec);
  if (ec) *error = "ERR can't create " + server.config().dir + ": " + ec.message();
  return !ec;
}

bool volatile_rename(Server& server, const std::string& temp, std::string* error) {
  const std::string path = volatile_rdb_path(server);
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    *error = "ERR rename " + temp + " to " + path + ": " + std::strerror(errno);
    std::remove(temp.c_str());
    return false;
  }
  return true;
}

void save(CommandContext& ctx) {
  Server& server = *ctx.server;
  std::string error;
  bool ok;
  if (Replication* replication = server.replication()) {
    // Raft mode: a snapshot at the applied index, durable and the log compacted before +OK.
    ok = replication->save_snapshot(&error);
  } else {
    ok = save_volatile_rdb(server, &error);
  }
  if (ok) {
    ctx.out.ok();
  } else {
    ctx.out.error(error.rfind("ERR ", 0) == 0 ? error : "ERR " + error);
  }
}

void bgsave(CommandContext& ctx) {
  if (ctx.argc() > 2 || (ctx.argc() == 2 && !iequals(ctx.arg(1), "SCHEDULE"))) {
    ctx.out.error("ERR syntax error");
    return;
  }
  Server& server = *ctx.server;
  if (server.snapshotter().in_progress()) {
    ctx.out.error("ERR Background save already in progress");
    return;
  }
  std::string error;
  bool ok;
  if (Replication* replication = server.replication()) {
    ok = replication->background_snapshot(&error);
  } else {
    ok = volatile_prepare(server, &error);
    if (ok) {
      // The child's pid is not known before the fork: name the file after ours and a counter.
      static long sequence = 0;
      const std::string temp =
          volatile_temp_path(server, static_cast<long>(::getpid()) * 1000 + (++sequence % 1000));
      const uint64_t dirty = server.dirty;
      Server* srv = &server;
      ok = server.snapshotter().start_background(
          temp, store::rdb::default_aux_fields(util::wall_ms(), 0),
          [srv, temp, dirty](bool done, const std::string& why) {
            std::string failure = why;
            if (done && volatile_rename(*srv, temp, &failure)) {
              srv->dirty -= std::min(dirty, srv->dirty);
              srv->last_save_sec = srv->snapshotter().last_ok_sec();
              spdlog::info("Background saving terminated with success");
            } else {
              spdlog::warn("Background saving error: {}", failure);
            }
          },
          &error);
    }
  }
  if (ok) {
    ctx.out.simple("Background saving started");
  } else {
    ctx.out.error(error.rfind("ERR ", 0) == 0 ? error : "ERR " + error);
  }
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. There is nothing to save on a volatile node, so
// every accepted form stops the server at once; the client gets no reply (the connection
// closes), as with Redis.
void shutdown(CommandContext& ctx) {
  bool nosave = false, save = false, now = false, force = false, abort = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string_view opt = ctx.arg(i);
    if (iequals(opt, "nosave")) {
      nosave = true;
    } else if (iequals(opt, "save")) {
      save = true;
    } else if (iequals(opt, "now")) {
      now = true;
    } else if (iequals(opt, "force")) {
      force = true;
    } else if (iequals(opt, "abort")) {
      abort = true;
    } else {
      ctx.out.error("ERR syntax error");
      return;
    }
  }
  if ((abort && (nosave || save || now || force)) || (nosave && save)) {
    ctx.out.error("ERR syntax error");
    return;
  }
  if (abort) {
    ctx.out.error("ERR No shutdown in progress.");
    return;
  }
  spdlog::warn("User requested shutdown...");
  ctx.server->request_shutdown();
}

void monitor(CommandContext& ctx) {
  Client& client = *ctx.client;
  if (client.monitor) return;  // already monitoring: Redis ignores it silently
  client.monitor = true;
  ctx.server->monitors.push_back(client.weak_from_this());
  ctx.out.ok();
}

// ---- SLOWLOG ----

void slowlog_get(CommandContext& ctx) {
  Server& server = *ctx.server;
  long long count = 10;
  if (ctx.argc() == 3) {
    int64_t value = 0;
    if (!util::parse_int64(ctx.arg(2), &value) || value < -1) {
      ctx.out.error("ERR count should be greater than or equal to -1");
      return;
    }
    count = value;
  } else if (ctx.argc() > 3) {
    ctx.out.error("ERR unknown subcommand or wrong number of arguments for '" +
                  std::string(ctx.arg(1).substr(0, 128)) + "'. Try SLOWLOG HELP.");
    return;
  }
  const auto& entries = server.slowlog.entries();
  size_t n = count < 0 ? entries.size() : std::min(entries.size(), static_cast<size_t>(count));
  ctx.out.array(n);
  for (size_t i = 0; i < n; ++i) {
    const SlowLog::Entry& e = entries[i];
    ctx.out.array(6);
    ctx.out.integer(static_cast<long long>(e.id));
    ctx.out.integer(e.time_sec);
    ctx.out.integer(e.duration_us);
    ctx.out.array(e.argv.size());
    for (const std::string& arg : e.argv) ctx.out.bulk(arg);
    ctx.out.bulk(e.peer);
    ctx.out.bulk(e.client_name);
  }
}

void slowlog_len(CommandContext& ctx) {
  ctx.out.integer(static_cast<long long>(ctx.server->slowlog.size()));
}

void slowlog_reset(CommandContext& ctx) {
  ctx.server->slowlog.reset();
  ctx.out.ok();
}

void slowlog_help(CommandContext& ctx) {
  reply_help(ctx,
             {
                 "GET [<count>]",
                 "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                 "    Entries are made of:",
                 "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                 "    client name",
                 "LEN",
                 "    Return the length of the slowlog.",
                 "RESET",
                 "    Reset the slowlog.",
             });
}

// ---- LATENCY ----

int64_t now_sec() {
  return util::wall_ms() / 1000;
}

void latency_latest(CommandContext& ctx) {
  const auto& events = ctx.server->latency_monitor.events();
  ctx.out.array(events.size());
  for (const auto& [name, series] : events) {
    const LatencyMonitor::Sample& last = series.last();
    ctx.out.array(4);
    ctx.out.bulk(name);
    ctx.out.integer(last.time_sec);
    ctx.out.integer(static_cast<long long>(last.latency_ms));
    ctx.out.integer(static_cast<long long>(series.max_ms));
  }
}

void latency_history(CommandContext& ctx) {
  const LatencyMonitor::Series* series = ctx.server->latency_monitor.find(ctx.arg(2));
  if (series == nullptr) {
    ctx.out.array(0);
    return;
  }
  std::vector<LatencyMonitor::Sample> samples = series->history();
  ctx.out.array(samples.size());
  for (const LatencyMonitor::Sample& s : samples) {
    ctx.out.array(2);
    ctx.out.integer(s.time_sec);
    ctx.out.integer(static_cast<long long>(s.latency_ms));
  }
}

void latency_reset(CommandContext& ctx) {
  std::vector<std::string> names;
  for (size_t i = 2; i < ctx.argc(); ++i) names.emplace_back(ctx.arg(i));
  ctx.out.integer(static_cast<long long>(ctx.server->latency_monitor.reset(names)));
}

void latency_doctor(CommandContext& ctx) {
  const Config& config = ctx.server->config();
  ctx.out.verbatim(ctx.server->latency_monitor.doctor(config.latency_monitor_threshold,
                                                      config.slowlog_log_slower_than, now_sec()));
}

void latency_graph(CommandContext& ctx) {
  const LatencyMonitor::Series* series = ctx.server->latency_monitor.find(ctx.arg(2));
  if (series == nullptr) {
    ctx.out.error("ERR No samples available for event '" + std::string(ctx.arg(2)) + "'");
    return;
  }
  ctx.out.verbatim(ctx.server->latency_monitor.graph(ctx.arg(2), *series));
}

// One command's histogram in Redis's shape: {calls: N, histogram_usec: {bound: cumulative}}.
void reply_histogram(CommandContext& ctx, const std::string& name, const LatencyHistogram& h) {
  ctx.out.bulk(name);
  ctx.out.map(2);
  ctx.out.bulk("calls");
  ctx.out.integer(static_cast<long long>(h.count));
  ctx.out.bulk("histogram_usec");
  size_t token = ctx.out.begin_deferred();
  size_t pairs = 0;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < LatencyHistogram::kBuckets; ++i) {
    if (h.buckets[i] == 0) continue;
    cumulative += h.buckets[i];
    ctx.out.integer(static_cast<long long>(uint64_t{1} << i));
    ctx.out.integer(static_cast<long long>(cumulative));
    ++pairs;
  }
  ctx.out.end_deferred_map(token, pairs);
}

void latency_histogram(CommandContext& ctx) {
  Server& server = *ctx.server;
  const commands::CommandTable& table = server.commands();
  Stats& stats = server.stats();
  // (full name, histogram) of every command asked for that has been called.
  std::vector<std::pair<std::string, const LatencyHistogram*>> found;
  auto add = [&](const CommandSpec* parent, const CommandSpec& spec) {
    auto it = stats.commands.find(&spec);
    if (it == stats.commands.end() || it->second.latency.count == 0) return;
    std::string name = commands::full_name(parent, spec);
    for (const auto& [n, h] : found) {
      if (n == name) return;
    }
    found.emplace_back(std::move(name), &it->second.latency);
  };
  auto add_with_subcommands = [&](const CommandSpec& spec) {
    add(nullptr, spec);
    for (const CommandSpec& sub : spec.subcommands) add(&spec, sub);
  };
  if (ctx.argc() == 2) {
    for (const CommandSpec* spec : table.all()) add_with_subcommands(*spec);
  } else {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      std::string_view name = ctx.arg(i);
      size_t bar = name.find('|');
      if (bar == std::string_view::npos) {
        if (const CommandSpec* spec = table.find(name)) add_with_subcommands(*spec);
      } else if (const CommandSpec* parent = table.find(name.substr(0, bar))) {
        if (const CommandSpec* sub =
                commands::CommandTable::find_subcommand(*parent, name.substr(bar + 1))) {
          add(parent, *sub);
        }
      }
    }
  }
  ctx.out.map(found.size());
  for (const auto& [name, h] : found) reply_histogram(ctx, name, *h);
}

void latency_help(CommandContext& ctx) {
  reply_help(ctx, {
                      "DOCTOR",
                      "    Return a human readable latency analysis report.",
                      "GRAPH <event>",
                      "    Return an ASCII latency graph for the <event> class.",
                      "HISTORY <event>",
                      "    Return time-latency samples for the <event> class.",
                      "LATEST",
                      "    Return the latest latency samples for all events.",
                      "RESET [<event> ...]",
                      "    Reset latency data of one or more <event> classes.",
                      "    (default: reset all data for all event classes)",
                      "HISTOGRAM [COMMAND ...]",
                      "    Return a cumulative distribution of latencies in the format of a "
                      "histogram for the specified command names.",
                      "    If no commands are specified then all histograms are replied.",
                  });
}

// Container commands are resolved by the gate; argc 1 fails their arity first.
void container(CommandContext& ctx) {
  ctx.out.error("ERR syntax error");
}

}  // namespace

// A volatile node saves like Redis: the keyspace to dir/temp-<pid>.rdb, renamed over
// dir/dbfilename once complete (the rename makes the replacement atomic).
std::string volatile_rdb_path(Server& server) {
  return server.config().dir + "/" + server.config().dbfilename;
}

bool save_volatile_rdb(Server& server, std::string* error) {
  const std::string temp = volatile_temp_path(server, static_cast<long>(::getpid()));
  const uint64_t dirty = server.dirty;
  if (!volatile_prepare(server, error)) return false;
  if (!server.snapshotter().save_now(temp, store::rdb::default_aux_fields(util::wall_ms(), 0),
                                     error)) {
    *error = "ERR " + *error;
    return false;
  }
  if (!volatile_rename(server, temp, error)) return false;
  server.dirty -= std::min(dirty, server.dirty);
  server.last_save_sec = server.snapshotter().last_ok_sec();
  return true;
}

bool load_volatile_rdb_at_start(Server& server, std::string* error) {
  const std::string path = volatile_rdb_path(server);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return true;
  const int64_t start_us = util::monotonic_us();
  store::rdb::LoadOptions options;
  options.now_ms = util::wall_ms();
  store::rdb::AuxFields aux;
  std::string why;
  if (!store::rdb::load_rdb_file(path, server.keyspace(), options, &aux, &why)) {
    *error = "Fatal error loading the DB from " + path + ": " + why + ". Exiting.";
    return false;
  }
  spdlog::info("DB loaded from disk: {:.3f} seconds ({} keys)",
               static_cast<double>(util::monotonic_us() - start_us) / 1e6,
               server.keyspace().total_keys());
  return true;
}

void register_server_commands(commands::CommandTable& table) {
  const uint64_t admin_flags = kAdmin | kNoscript | kLoading | kStale;
  table.add({.name = "time",
             .arity = 1,
             .flags = kFast | kLoading | kStale,
             .acl = kAclFast,
             .group = CommandGroup::kServer,
             .handler = time_command,
             .subcommands = {},
             .summary = "Return the current server time",
             .since = "2.6.0"});
  table.add({.name = "lastsave",
             .arity = 1,
             .flags = kFast | kLoading | kStale,
             .acl = kAclFast | kAclAdmin | kAclDangerous,
             .group = CommandGroup::kServer,
             .handler = lastsave,
             .subcommands = {},
             .summary = "Get the UNIX time stamp of the last successful save to disk"});
  table.add({.name = "save",
             .arity = 1,
             .flags = kAdmin | kNoscript | kNoAsyncLoading | kNoMulti,
             .acl = kAclAdmin | kAclDangerous | kAclSlow,
             .group = CommandGroup::kServer,
             .handler = save,
             .subcommands = {},
             .summary = "Synchronously save the dataset to disk"});
  table.add({.name = "bgsave",
             .arity = -1,
             .flags = kAdmin | kNoscript | kNoAsyncLoading,
             .acl = kAclAdmin | kAclDangerous | kAclSlow,
             .group = CommandGroup::kServer,
             .handler = bgsave,
             .subcommands = {},
             .summary = "Asynchronously save the dataset to disk"});
  table.add({.name = "shutdown",
             .arity = -1,
             .flags = kAdmin | kNoscript | kLoading | kStale | kNoMulti | kAllowBusy,
             .acl = kAclAdmin | kAclDangerous | kAclSlow,
             .group = CommandGroup::kServer,
             .handler = shutdown,
             .subcommands = {},
             .summary = "Synchronously save the dataset to disk and then shut down the server"});
  table.add({.name = "monitor",
             .arity = 1,
             .flags = admin_flags,
             .acl = kAclAdmin | kAclDangerous | kAclSlow,
             .group = CommandGroup::kServer,
             .handler = monitor,
             .subcommands = {},
             .summary = "Listen for all requests received by the server in real time"});

  const uint64_t admin_acl = kAclAdmin | kAclDangerous | kAclSlow;
  CommandSpec slowlog{.name = "slowlog",
                      .arity = -2,
                      .acl = kAclSlow,
                      .group = CommandGroup::kServer,
                      .handler = container,
                      .subcommands = {},
                      .summary = "A container for slow log commands",
                      .since = "2.2.12"};
  slowlog.subcommands = {
      {.name = "get",
       .arity = -2,
       .flags = kAdmin | kLoading | kStale,
       .acl = admin_acl,
       .group = CommandGroup::kServer,
       .handler = slowlog_get,
       .subcommands = {},
       .summary = "Get the slow log's entries",
       .since = "2.2.12"},
      {.name = "len",
       .arity = 2,
       .flags = kAdmin | kLoading | kStale,
       .acl = admin_acl,
       .group = CommandGroup::kServer,
       .handler = slowlog_len,
       .subcommands = {},
       .summary = "Get the slow log's length",
       .since = "2.2.12"},
      {.name = "reset",
       .arity = 2,
       .flags = kAdmin | kLoading | kStale,
       .acl = admin_acl,
       .group = CommandGroup::kServer,
       .handler = slowlog_reset,
       .subcommands = {},
       .summary = "Clear all entries from the slow log",
       .since = "2.2.12"},
      {.name = "help",
       .arity = 2,
       .flags = kLoading | kStale,
       .acl = kAclSlow,
       .group = CommandGroup::kServer,
       .handler = slowlog_help,
       .subcommands = {},
       .summary = "Show helpful text about the different subcommands",
       .since = "6.2.0"},
  };
  table.add(std::move(slowlog));

  CommandSpec latency{.name = "latency",
                      .arity = -2,
                      .acl = kAclSlow,
                      .group = CommandGroup::kServer,
                      .handler = container,
                      .subcommands = {},
                      .summary = "A container for latency diagnostics commands",
                      .since = "2.8.13"};
  auto latency_sub = [&](std::string_view name, int arity, Handler handler,
                         std::string_view summary) {
    return CommandSpec{.name = name,
                       .arity = arity,
                       .flags = admin_flags,
                       .acl = admin_acl,
                       .group = CommandGroup::kServer,
                       .handler = handler,
                       .subcommands = {},
                       .summary = summary,
                       .since = "2.8.13"};
  };
  latency.subcommands = {
      latency_sub("doctor", 2, latency_doctor, "Return a human readable latency analysis report"),
      latency_sub("graph", 3, latency_graph, "Return a latency graph for the event"),
      latency_sub("history", 3, latency_history, "Return timestamp-latency samples for the event"),
      latency_sub("latest", 2, latency_latest, "Return the latest latency samples for all events"),
      latency_sub("reset", -2, latency_reset, "Reset latency data for one or more events"),
      latency_sub("histogram", -2, latency_histogram,
                  "Return the cumulative distribution of latencies of a subset of commands or "
                  "all"),
      {.name = "help",
       .arity = 2,
       .flags = kLoading | kStale,
       .acl = kAclSlow,
       .group = CommandGroup::kServer,
       .handler = latency_help,
       .subcommands = {},
       .summary = "Show helpful text about the different subcommands",
       .since = "2.8.13"},
  };
  latency.subcommands[5].since = "7.0.0";
  table.add(std::move(latency));

  register_info_command(table);
  register_debug_command(table);
  register_client_command(table);
  register_command_command(table);
}

}  // namespace zakros::server
