// CLIENT and its subcommands (Redis 7.0's, plus 7.2's SETINFO and NO-TOUCH), and the CLIENT
// PAUSE machinery the dispatch gate consults (Server::should_pause / pause_if_needed).
#include <spdlog/spdlog.h>

#include <string>

#include "server/admin/introspection.h"
#include "server/admin/server_commands.h"
#include "server/server.h"
#include "server/session/blocking.h"
#include "util/clock.h"
#include "util/numbers.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using commands::CommandSpec;
using namespace commands;  // flags and ACL categories

constexpr std::string_view kSyntaxError = "ERR syntax error";

// Redis's client types (CLIENT LIST TYPE, CLIENT KILL TYPE). zakros has no Redis-style
// replicas or masters, so every client is normal or pubsub.
enum class ClientType { kNormal, kReplica, kPubsub, kMaster, kInvalid };

ClientType parse_client_type(std::string_view name) {
  if (iequals(name, "normal")) return ClientType::kNormal;
  if (iequals(name, "slave") || iequals(name, "replica")) return ClientType::kReplica;
  if (iequals(name, "pubsub")) return ClientType::kPubsub;
  if (iequals(name, "master")) return ClientType::kMaster;
  return ClientType::kInvalid;
}

// MONITOR clients count as normal, as in Redis.
ClientType type_of(const Client& client) {
  return client.subscription_count() > 0 ? ClientType::kPubsub : ClientType::kNormal;
}

size_t argv_bytes(std::span<const std::string_view> argv) {
  size_t n = 0;
  for (std::string_view a : argv) n += a.size();
  return n;
}

// Names (CLIENT SETNAME, HELLO SETNAME, SETINFO values) must split cleanly in CLIENT LIST.
bool valid_name(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

void client_id(CommandContext& ctx) {
  ctx.out.integer(static_cast<long long>(ctx.client->id));
}

void client_info(CommandContext& ctx) {
  std::string line = client_info_line(*ctx.server, *ctx.client, ctx.client, argv_bytes(ctx.argv));
  line += '\n';
  ctx.out.verbatim(line);
}

void client_list(CommandContext& ctx) {
  Server& server = *ctx.server;
  size_t current_bytes = argv_bytes(ctx.argv);
  std::string out;
  if (ctx.argc() == 4 && iequals(ctx.arg(2), "type")) {
    ClientType type = parse_client_type(ctx.arg(3));
    if (type == ClientType::kInvalid) {
      ctx.out.error("ERR Unknown client type '" + std::string(ctx.arg(3)) + "'");
      return;
    }
    for (const auto& [id, client] : server.clients()) {
      if (type_of(*client) != type) continue;
      out += client_info_line(server, *client, ctx.client, current_bytes);
      out += '\n';
    }
  } else if (ctx.argc() > 3 && iequals(ctx.arg(2), "id")) {
    for (size_t j = 3; j < ctx.argc(); ++j) {
      int64_t id = 0;
      if (!util::parse_int64(ctx.arg(j), &id)) {
        ctx.out.error("ERR Invalid client ID");
        return;
      }
      if (Client* client = server.find_client(static_cast<uint64_t>(id))) {
        out += client_info_line(server, *client, ctx.client, current_bytes);
        out += '\n';
      }
    }
  } else if (ctx.argc() != 2) {
    ctx.out.error(kSyntaxError);
    return;
  } else {
    for (const auto& [id, client] : server.clients()) {
      out += client_info_line(server, *client, ctx.client, current_bytes);
      out += '\n';
    }
  }
  ctx.out.verbatim(out);
}

void client_reply(CommandContext& ctx) {
  Client& client = *ctx.client;
  std::string_view mode = ctx.arg(2);
  if (iequals(mode, "on")) {
    client.reply_mode = ReplyMode::kOn;
    ctx.out.ok();
  } else if (iequals(mode, "off")) {
    client.reply_mode = ReplyMode::kOff;
  } else if (iequals(mode, "skip")) {
    if (client.reply_mode != ReplyMode::kOff) client.reply_mode = ReplyMode::kSkipNext;
  } else {
    ctx.out.error(kSyntaxError);
  }
}

// NO-EVICT and NO-TOUCH: ON|OFF switches.
void on_off(CommandContext& ctx, bool* flag) {
  if (iequals(ctx.arg(2), "on")) {
    *flag = true;
    ctx.out.ok();
  } else if (iequals(ctx.arg(2), "off")) {
    *flag = false;
    ctx.out.ok();
  } else {
    ctx.out.error(kSyntaxError);
  }
}

void client_no_evict(CommandContext& ctx) {
  on_off(ctx, &ctx.client->no_evict);
}
void client_no_touch(CommandContext& ctx) {
  on_off(ctx, &ctx.client->no_touch);
}

void client_kill(CommandContext& ctx) {
  Server& server = *ctx.server;
  std::string_view addr, laddr;
  bool has_addr = false, has_laddr = false;
  ClientType type = ClientType::kInvalid;  // kInvalid = any
  uint64_t id = 0;
  int64_t max_age = 0;
  bool skipme = true;
  if (ctx.argc() == 3) {
    // Old form: CLIENT KILL addr:port (it can kill the caller).
    addr = ctx.arg(2);
    has_addr = true;
    skipme = false;
  } else {
    for (size_t i = 2; i < ctx.argc(); i += 2) {
      bool more = ctx.argc() > i + 1;
      std::string_view opt = ctx.arg(i);
      if (iequals(opt, "id") && more) {
        int64_t value = 0;
        if (!util::parse_int64(ctx.arg(i + 1), &value) || value < 1) {
          ctx.out.error("ERR client-id should be greater than 0");
          return;
        }
        id = static_cast<uint64_t>(value);
      } else if (iequals(opt, "type") && more) {
        type = parse_client_type(ctx.arg(i + 1));
        if (type == ClientType::kInvalid) {
          ctx.out.error("ERR Unknown client type '" + std::string(ctx.arg(i + 1)) + "'");
          return;
        }
      } else if (iequals(opt, "addr") && more) {
        addr = ctx.arg(i + 1);
        has_addr = true;
      } else if (iequals(opt, "laddr") && more) {
        laddr = ctx.arg(i + 1);
        has_laddr = true;
      } else if (iequals(opt, "user") && more) {
        // The default user is the only one until ACLs arrive.
        if (ctx.arg(i + 1) != "default") {
          ctx.out.error("ERR No such user '" + std::string(ctx.arg(i + 1)) + "'");
          return;
        }
      } else if (iequals(opt, "skipme") && more) {
        if (iequals(ctx.arg(i + 1), "yes")) {
          skipme = true;
        } else if (iequals(ctx.arg(i + 1), "no")) {
          skipme = false;
        } else {
          ctx.out.error(kSyntaxError);
          return;
        }
      } else if (iequals(opt, "maxage") && more) {
        if (!util::parse_int64(ctx.arg(i + 1), &max_age)) {
          ctx.out.error("ERR value is not an integer or out of range");
          return;
        }
      } else {
        ctx.out.error(kSyntaxError);
        return;
      }
    }
  }

  int64_t now_sec = util::wall_ms() / 1000;
  std::vector<std::shared_ptr<Client>> victims;
  bool kill_self = false;
  for (const auto& [cid, client] : server.clients()) {
    if (has_addr && client->peer_address != addr) continue;
    if (has_laddr && client->local_address != laddr) continue;
    if (type != ClientType::kInvalid && type_of(*client) != type) continue;
    if (id != 0 && client->id != id) continue;
    if (max_age != 0 && now_sec - client->created_ms / 1000 < max_age) continue;
    if (client.get() == ctx.client) {
      if (skipme) continue;
      kill_self = true;
    } else {
      victims.push_back(client);
    }
  }
  for (auto& victim : victims) victim->close_now();
  size_t killed = victims.size() + (kill_self ? 1 : 0);
  if (ctx.argc() == 3) {
    if (killed == 0) {
      ctx.out.error("ERR No such client");
    } else {
      ctx.out.ok();
    }
  } else {
    ctx.out.integer(static_cast<long long>(killed));
  }
  // The caller goes after its reply is written.
  if (kill_self) ctx.client->close_after_reply();
}

void client_setname(CommandContext& ctx) {
  std::string_view name = ctx.arg(2);
  if (!valid_name(name)) {
    ctx.out.error("ERR Client names cannot contain spaces, newlines or special characters.");
    return;
  }
  ctx.client->name = std::string(name);
  ctx.out.ok();
}

void client_getname(CommandContext& ctx) {
  if (ctx.client->name.empty()) {
    ctx.out.null();
  } else {
    ctx.out.bulk(ctx.client->name);
  }
}

// CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2).
void client_setinfo(CommandContext& ctx) {
  std::string_view attr = ctx.arg(2);
  std::string* dest = nullptr;
  if (iequals(attr, "lib-name")) {
    dest = &ctx.client->lib_name;
  } else if (iequals(attr, "lib-ver")) {
    dest = &ctx.client->lib_ver;
  } else {
    ctx.out.error("ERR Unrecognized option '" + std::string(attr) + "'");
    return;
  }
  if (!valid_name(ctx.arg(3))) {
    ctx.out.error("ERR " + std::string(attr) +
                  " cannot contain spaces, newlines or special characters.");
    return;
  }
  *dest = std::string(ctx.arg(3));
  ctx.out.ok();
}

void client_pause(CommandContext& ctx) {
  bool writes_only = false;
  if (ctx.argc() == 4) {
    if (iequals(ctx.arg(3), "write")) {
      writes_only = true;
    } else if (!iequals(ctx.arg(3), "all")) {
      ctx.out.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
      return;
    }
  } else if (ctx.argc() > 4) {
    ctx.out.error("ERR unknown subcommand or wrong number of arguments for '" +
                  std::string(ctx.arg(1)) + "'. Try CLIENT HELP.");
    return;
  }
  int64_t timeout = 0;
  if (!util::parse_int64(ctx.arg(2), &timeout)) {
    ctx.out.error("ERR timeout is not an integer or out of range");
    return;
  }
  if (timeout < 0) {
    ctx.out.error("ERR timeout is negative");
    return;
  }
  ctx.server->pause_clients(timeout > 0 ? util::wall_ms() + timeout : 0, writes_only);
  ctx.out.ok();
}

void client_unpause(CommandContext& ctx) {
  ctx.server->unpause_clients();
  ctx.out.ok();
}

// CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p]... [OPTIN] [OPTOUT] [NOLOOP].
// The options are validated as Redis does and the state is recorded (CLIENT LIST, TRACKINGINFO);
// invalidation messages are not implemented yet.
void client_tracking(CommandContext& ctx) {
  Server& server = *ctx.server;
  int64_t redirect = 0;
  bool bcast = false, optin = false, optout = false;
  size_t prefixes = 0;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    bool more = j + 1 < ctx.argc();
    std::string_view opt = ctx.arg(j);
    if (iequals(opt, "redirect") && more) {
      ++j;
      if (redirect != 0) {
        ctx.out.error("ERR A client can only redirect to a single other client");
        return;
      }
      if (!util::parse_int64(ctx.arg(j), &redirect)) {
        ctx.out.error("ERR value is not an integer or out of range");
        return;
      }
      if (server.find_client(static_cast<uint64_t>(redirect)) == nullptr) {
        ctx.out.error("ERR The client ID you want redirect to does not exist");
        return;
      }
    } else if (iequals(opt, "bcast")) {
      bcast = true;
    } else if (iequals(opt, "optin")) {
      optin = true;
    } else if (iequals(opt, "optout")) {
      optout = true;
    } else if (iequals(opt, "noloop")) {
    } else if (iequals(opt, "prefix") && more) {
      ++j;
      ++prefixes;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  if (iequals(ctx.arg(2), "on")) {
    if (!bcast && prefixes > 0) {
      ctx.out.error("ERR PREFIX option requires BCAST mode to be enabled");
      return;
    }
    if (bcast && (optin || optout)) {
      ctx.out.error("ERR OPTIN and OPTOUT are not compatible with BCAST");
      return;
    }
    if (optin && optout) {
      ctx.out.error("ERR You can't specify both OPTIN mode and OPTOUT mode");
      return;
    }
    ctx.client->tracking = true;
    ctx.client->tracking_redirect = redirect;
  } else if (iequals(ctx.arg(2), "off")) {
    ctx.client->tracking = false;
    ctx.client->tracking_redirect = 0;
  } else {
    ctx.out.error(kSyntaxError);
    return;
  }
  ctx.out.ok();
}

void client_caching(CommandContext& ctx) {
  ctx.out.error(
      "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
      "OPTOUT mode enabled");
}

void client_getredir(CommandContext& ctx) {
  ctx.out.integer(ctx.client->tracking ? ctx.client->tracking_redirect : -1);
}

void client_trackinginfo(CommandContext& ctx) {
  Client& client = *ctx.client;
  ctx.out.map(3);
  ctx.out.bulk("flags");
  ctx.out.set(1);
  ctx.out.bulk(client.tracking ? "on" : "off");
  ctx.out.bulk("redirect");
  ctx.out.integer(client.tracking ? client.tracking_redirect : -1);
  ctx.out.bulk("prefixes");
  ctx.out.array(0);
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if the client was blocked (and now is not), else 0.
void client_unblock(CommandContext& ctx) {
  if (ctx.argc() == 4 && !iequals(ctx.arg(3), "timeout") && !iequals(ctx.arg(3), "error")) {
    ctx.out.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    return;
  }
  if (ctx.argc() > 4) {
    ctx.out.error("ERR unknown subcommand or wrong number of arguments for '" +
                  std::string(ctx.arg(1)) + "'. Try CLIENT HELP.");
    return;
  }
  int64_t id = 0;
  if (!util::parse_int64(ctx.arg(2), &id)) {
    ctx.out.error("ERR value is not an integer or out of range");
    return;
  }
  Client* target = ctx.server->find_client(static_cast<uint64_t>(id));
  bool with_error = ctx.argc() == 4 && iequals(ctx.arg(3), "error");
  bool done = target != nullptr && ctx.server->blocking().unblock(*target, with_error);
  ctx.out.integer(done ? 1 : 0);
}

void client_help(CommandContext& ctx) {
  reply_help(ctx, {
                      "CACHING (YES|NO)",
                      "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT "
                      "modes.",
                      "GETREDIR",
                      "    Return the client ID we are redirecting to when tracking is enabled.",
                      "GETNAME",
                      "    Return the name of the current connection.",
                      "ID",
                      "    Return the ID of the current connection.",
                      "INFO",
                      "    Return information about the current client connection.",
                      "KILL <ip:port>",
                      "    Kill connection made from <ip:port>.",
                      "KILL <option> <value> [<option> <value> [...]]",
                      "    Kill connections. Options are:",
                      "    * ADDR (<ip:port>|<unixsocket>:0)",
                      "      Kill connections made from the specified address",
                      "    * LADDR (<ip:port>|<unixsocket>:0)",
                      "      Kill connections made to specified local address",
                      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                      "      Kill connections by type.",
                      "    * USER <username>",
                      "      Kill connections authenticated by <username>.",
                      "    * SKIPME (YES|NO)",
                      "      Skip killing current connection (default: yes).",
                      "LIST [options ...]",
                      "    Return information about client connections. Options:",
                      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                      "      Return clients of specified type.",
                      "UNPAUSE",
                      "    Stop the current client pause, resuming traffic.",
                      "PAUSE <timeout> [WRITE|ALL]",
                      "    Suspend all, or just write, clients for <timeout> milliseconds.",
                      "REPLY (ON|OFF|SKIP)",
                      "    Control the replies sent to the current connection.",
                      "SETNAME <name>",
                      "    Assign the name <name> to the current connection.",
                      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                      "    Unblock the specified blocked client.",
                      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
                      "         [OPTIN] [OPTOUT] [NOLOOP]",
                      "    Control server assisted client side caching.",
                      "TRACKINGINFO",
                      "    Report tracking status for the current connection.",
                      "NO-EVICT (ON|OFF)",
                      "    Protect current client connection from eviction.",
                  });
}

void client_container(CommandContext& ctx) {
  ctx.out.error(kSyntaxError);
}

}  // namespace

std::string client_info_line(Server& server, Client& client, const Client* current,
                             size_t current_argv_bytes) {
  std::string flags;
  if (client.monitor) flags += 'O';
  if (client.subscription_count() > 0) flags += 'P';
  if (client.blocked) flags += 'b';
  if (client.in_multi) flags += 'x';
  if (client.tracking) flags += 't';
  if (client.watch_dirty) flags += 'd';
  if (client.closing()) flags += 'c';
  if (client.readonly) flags += 'r';
  if (client.no_evict) flags += 'e';
  if (flags.empty()) flags = "N";

  std::string events;
  if (!client.paused && !client.closing()) events += 'r';
  if (client.write_pending()) events += 'w';

  size_t multi_mem = 0;
  for (const QueuedCommand& q : client.multi_queue) {
    for (const std::string& a : q.argv) multi_mem += a.size();
  }
  // Redis keeps the first 16 KB of replies in a fixed buffer (obl) and the rest in a list of
  // 16 KB blocks (oll, omem); zakros has one buffer, shown the same way.
  constexpr size_t kReplyChunk = 16 * 1024;
  size_t pending = client.output_buffer_size();
  size_t obl = std::min(pending, kReplyChunk);
  size_t omem = pending - obl;
  size_t oll = (omem + kReplyChunk - 1) / kReplyChunk;
  size_t qbuf = client.query_buffer_size();
  size_t qcap = client.query_buffer_capacity();
  size_t qfree = qcap > qbuf ? qcap - qbuf : 0;
  size_t argv_mem = &client == current ? current_argv_bytes : 0;
  size_t tot_mem = sizeof(Client) + qcap + client.output_buffer_capacity() + argv_mem + multi_mem;
  int64_t now = util::wall_ms();

  std::string line;
  line.reserve(320);
  auto field = [&line](std::string_view name, std::string_view value) {
    if (!line.empty()) line += ' ';
    line += name;
    line += '=';
    line += value;
  };
  auto num = [&field](std::string_view name, long long value) {
    field(name, std::to_string(value));
  };
  num("id", static_cast<long long>(client.id));
  field("addr", client.peer_address);
  field("laddr", client.local_address);
  num("fd", client.fd());
  field("name", client.name);
  num("age", (now - client.created_ms) / 1000);
  num("idle", (now - client.last_interaction_ms) / 1000);
  field("flags", flags);
  num("db", client.db);
  num("sub", static_cast<long long>(client.channels.size()));
  num("psub", static_cast<long long>(client.patterns.size()));
  num("ssub", static_cast<long long>(client.shard_channels.size()));
  num("multi", client.in_multi ? static_cast<long long>(client.multi_queue.size()) : -1);
  num("qbuf", static_cast<long long>(qbuf));
  num("qbuf-free", static_cast<long long>(qfree));
  num("argv-mem", static_cast<long long>(argv_mem));
  num("multi-mem", static_cast<long long>(multi_mem));
  num("rbs", static_cast<long long>(std::max(client.output_buffer_capacity(), size_t{1024})));
  num("rbp", static_cast<long long>(std::max(client.output_buffer_capacity(), size_t{1024})));
  num("obl", static_cast<long long>(obl));
  num("oll", static_cast<long long>(oll));
  num("omem", static_cast<long long>(omem));
  num("tot-mem", static_cast<long long>(tot_mem));
  field("events", events);
  field("cmd", client.last_command);
  field("user", "default");
  num("redir", client.tracking ? client.tracking_redirect : -1);
  num("resp", client.protocol());
  (void)server;
  return line;
}

// ---- CLIENT PAUSE (used by the dispatch gate) ----

bool Server::should_pause(const Client& client, const commands::CommandSpec& spec) const {
  if (pause_until_ms == 0 || util::wall_ms() >= pause_until_ms) return false;
  if (!pause_writes_only) return true;
  constexpr uint64_t kReplicating = commands::kWrite | commands::kMayReplicate;
  if (spec.flags & kReplicating) return true;
  // EXEC is paused when a queued command would be.
  if (spec.name == "exec" && client.in_multi) {
    for (const QueuedCommand& q : client.multi_queue) {
      if (q.spec != nullptr && (q.spec->flags & kReplicating)) return true;
    }
  }
  return false;
}

bool Server::pause_if_needed(Client& client, const commands::CommandSpec& spec) {
  if (!should_pause(client, spec)) return false;
  client.paused = true;
  return true;
}

void Server::pause_clients(int64_t until_ms, bool writes_only) {
  // As Redis: a new pause only extends the current one and never relaxes ALL to WRITE.
  bool active = pause_until_ms != 0 && util::wall_ms() < pause_until_ms;
  if (active) {
    pause_until_ms = std::max(pause_until_ms, until_ms);
    pause_writes_only = pause_writes_only && writes_only;
  } else {
    pause_until_ms = until_ms;
    pause_writes_only = writes_only;
  }
}

void Server::unpause_clients() {
  pause_until_ms = 0;
  pause_writes_only = false;
  for (auto& [id, client] : clients_) {
    if (client->paused) client->resume();
  }
}

void register_client_command(commands::CommandTable& table) {
  const uint64_t flags = kNoscript | kLoading | kStale;
  const uint64_t admin = kAdmin | kNoscript | kLoading | kStale;
  const uint64_t conn = kAclConnection | kAclSlow;
  const uint64_t conn_admin = kAclConnection | kAclSlow | kAclAdmin | kAclDangerous;
  auto sub = [](std::string_view name, int arity, uint64_t f, uint64_t acl, Handler handler,
                std::string_view summary, std::string_view since) {
    return CommandSpec{.name = name,
                       .arity = arity,
                       .flags = f,
                       .acl = acl,
                       .group = CommandGroup::kConnection,
                       .handler = handler,
                       .subcommands = {},
                       .summary = summary,
                       .since = since};
  };
  CommandSpec client{.name = "client",
                     .arity = -2,
                     .acl = kAclSlow,
                     .group = CommandGroup::kConnection,
                     .handler = client_container,
                     .subcommands = {},
                     .summary = "A container for client connection commands",
                     .since = "2.4.0"};
  client.subcommands = {
      sub("caching", 3, flags, conn, client_caching,
          "Instruct the server about tracking or not keys in the next request", "6.0.0"),
      sub("getname", 2, flags, conn, client_getname, "Get the current connection name", "2.6.9"),
      sub("getredir", 2, flags, conn, client_getredir,
          "Get tracking notifications redirection client ID if any", "6.0.0"),
      sub("help", 2, kLoading | kStale, conn, client_help,
          "Show helpful text about the different subcommands", "5.0.0"),
      sub("id", 2, flags, conn, client_id, "Returns the client ID for the current connection",
          "5.0.0"),
      sub("info", 2, flags, conn, client_info,
          "Returns information about the current client connection.", "6.2.0"),
      sub("kill", -3, admin, conn_admin, client_kill, "Kill the connection of a client", "2.4.0"),
      sub("list", -2, admin, conn_admin, client_list, "Get the list of client connections",
          "2.4.0"),
      sub("no-evict", 3, admin, conn_admin, client_no_evict,
          "Set client eviction mode for the current connection", "7.0.0"),
      sub("no-touch", 3, kNoscript | kLoading | kStale, conn, client_no_touch,
          "Controls whether commands sent by the client will alter the LRU/LFU of the keys they "
          "access.",
          "7.2.0"),
      sub("pause", -3, admin, conn_admin, client_pause,
          "Stop processing commands from clients for some time", "2.9.50"),
      sub("reply", 3, flags, conn, client_reply, "Instruct the server whether to reply to commands",
          "3.2.0"),
      sub("setinfo", 4, flags, conn, client_setinfo, "Set client or connection specific info",
          "7.2.0"),
      sub("setname", 3, flags, conn, client_setname, "Set the current connection name", "2.6.9"),
      sub("tracking", -3, flags, conn, client_tracking,
          "Enable or disable server assisted client side caching support", "6.0.0"),
      sub("trackinginfo", 2, flags, conn, client_trackinginfo,
          "Return information about server assisted client side caching for the current "
          "connection",
          "6.2.0"),
      sub("unblock", -3, admin, conn_admin, client_unblock,
          "Unblock a client blocked in a blocking command from a different connection", "5.0.0"),
      sub("unpause", 2, admin, conn_admin, client_unpause,
          "Resume processing of clients that were paused", "6.2.0"),
  };
  table.add(std::move(client));
}

}  // namespace zakros::server
