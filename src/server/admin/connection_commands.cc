// Connection commands: PING, ECHO, QUIT, RESET, AUTH, HELLO, SELECT.
#include <string>

#include "commands/errors.h"
#include "server/admin/server_commands.h"
#include "server/server.h"
#include "server/session/pubsub.h"
#include "server/session/transactions.h"
#include "server/version.h"
#include "util/numbers.h"
#include "util/strings.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using namespace commands;  // flags and ACL categories

using util::iequals;

void ping(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    ctx.out.error("ERR wrong number of arguments for 'ping' command");
    return;
  }
  // A RESP2 client in subscribed mode gets ["pong", message] (Redis keeps this for old clients).
  if (ctx.client != nullptr && ctx.client->protocol() == 2 &&
      ctx.client->subscription_count() > 0) {
    ctx.out.array(2);
    ctx.out.bulk("pong");
    ctx.out.bulk(ctx.argc() == 2 ? ctx.arg(1) : "");
    return;
  }
  if (ctx.argc() == 2) {
    ctx.out.bulk(ctx.arg(1));
  } else {
    ctx.out.simple("PONG");
  }
}

void echo(CommandContext& ctx) {
  ctx.out.bulk(ctx.arg(1));
}

void quit(CommandContext& ctx) {
  ctx.out.ok();
  if (ctx.client != nullptr) ctx.client->close_after_reply();
}

// Checks a password for the default user (the only user until ACLs arrive).
bool password_matches(Server& server, std::string_view password) {
  const std::string& required = server.config().requirepass;
  return !required.empty() && password == required;
}

void auth(CommandContext& ctx) {
  if (ctx.argc() > 3) {
    ctx.out.error(kSyntaxError);
    return;
  }
  Server& server = *ctx.server;
  if (ctx.argc() == 2 && server.config().requirepass.empty()) {
    ctx.out.error(
        "ERR AUTH <password> called without any password configured for the default user. "
        "Are you sure your configuration is correct?");
    return;
  }
  std::string_view user = ctx.argc() == 3 ? ctx.arg(1) : "default";
  std::string_view password = ctx.arg(ctx.argc() - 1);
  bool ok = user == "default" &&
            (server.config().requirepass.empty() || password_matches(server, password));
  if (!ok) {
    ctx.out.error("WRONGPASS invalid username-password pair or user is disabled.");
    return;
  }
  ctx.client->authenticated = true;
  ctx.out.ok();
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
void hello(CommandContext& ctx) {
  Server& server = *ctx.server;
  Client& client = *ctx.client;
  int protocol = client.protocol();
  size_t i = 1;
  if (ctx.argc() >= 2) {
    int64_t version = 0;
    if (!util::parse_int64(ctx.arg(1), &version)) {
      ctx.out.error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (version < 2 || version > 3) {
      ctx.out.error("NOPROTO unsupported protocol version");
      return;
    }
    protocol = static_cast<int>(version);
    i = 2;
  }
  std::string_view setname;
  bool has_setname = false;
  for (; i < ctx.argc(); ++i) {
    size_t more = ctx.argc() - i - 1;
    if (iequals(ctx.arg(i), "AUTH") && more >= 2) {
      std::string_view user = ctx.arg(i + 1);
      std::string_view password = ctx.arg(i + 2);
      bool ok = user == "default" &&
                (server.config().requirepass.empty() || password_matches(server, password));
      if (!ok) {
        ctx.out.error("WRONGPASS invalid username-password pair or user is disabled.");
        return;
      }
      client.authenticated = true;
      i += 2;
    } else if (iequals(ctx.arg(i), "SETNAME") && more >= 1) {
      setname = ctx.arg(i + 1);
      has_setname = true;
      i += 1;
    } else {
      ctx.out.error("ERR Syntax error in HELLO option '" + std::string(ctx.arg(i)) + "'");
      return;
    }
  }
  if (!client.authenticated) {
    ctx.out.error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
        "<proto> AUTH <user> <pass> option can be used to authenticate the client and select "
        "the RESP protocol version at the same time");
    return;
  }
  if (has_setname) {
    for (char c : setname) {
      if (c < '!' || c > '~') {
        ctx.out.error("ERR Client names cannot contain spaces, newlines or special characters.");
        return;
      }
    }
    client.name = std::string(setname);
  }
  client.set_protocol(protocol);
  ctx.out.set_protocol(protocol);
  ctx.out.map(7);
  ctx.out.bulk("server");
  ctx.out.bulk("redis");
  ctx.out.bulk("version");
  ctx.out.bulk(kRedisCompatVersion);
  ctx.out.bulk("proto");
  ctx.out.integer(protocol);
  ctx.out.bulk("id");
  ctx.out.integer(static_cast<long long>(client.id));
  ctx.out.bulk("mode");
  ctx.out.bulk("standalone");
  ctx.out.bulk("role");
  ctx.out.bulk("master");
  ctx.out.bulk("modules");
  ctx.out.array(0);
}

void select(CommandContext& ctx) {
  int64_t index = 0;
  if (!util::parse_int64(ctx.arg(1), &index)) {
    ctx.out.error(kNotInteger);
    return;
  }
  if (index < 0 || index >= ctx.server->config().databases) {
    ctx.out.error("ERR DB index is out of range");
    return;
  }
  ctx.db_index = static_cast<int>(index);
  ctx.out.ok();
}

void reset(CommandContext& ctx) {
  Server& server = *ctx.server;
  Client& client = *ctx.client;
  Transactions::discard(client);
  server.transactions().unwatch_all(client);
  server.pubsub().unsubscribe_all(client);
  client.db = 0;
  ctx.db_index = 0;
  client.set_protocol(2);
  ctx.out.set_protocol(2);
  client.name.clear();
  client.reply_mode = ReplyMode::kOn;
  client.monitor = false;
  client.readonly = false;
  client.tracking = false;
  client.tracking_redirect = 0;
  client.no_evict = false;
  client.no_touch = false;
  client.authenticated = server.config().requirepass.empty();
  ctx.out.simple("RESET");
}

}  // namespace

void register_connection_commands(commands::CommandTable& table) {
  const uint64_t conn_fast = kAclFast | kAclConnection;
  table.add({.name = "ping",
             .arity = -1,
             .flags = kFast,
             .acl = conn_fast,
             .group = CommandGroup::kConnection,
             .handler = ping,
             .summary = "Ping the server"});
  table.add({.name = "echo",
             .arity = 2,
             .flags = kLoading | kStale | kFast,
             .acl = conn_fast,
             .group = CommandGroup::kConnection,
             .handler = echo,
             .summary = "Echo the given string"});
  table.add({.name = "quit",
             .arity = -1,
             .flags = kNoscript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
             .acl = conn_fast,
             .group = CommandGroup::kConnection,
             .handler = quit,
             .summary = "Close the connection"});
  table.add({.name = "reset",
             .arity = 1,
             .flags = kNoscript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
             .acl = conn_fast,
             .group = CommandGroup::kConnection,
             .handler = reset,
             .summary = "Reset the connection",
             .since = "6.2.0"});
  table.add({.name = "auth",
             .arity = -2,
             .flags = kNoscript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
             .acl = conn_fast,
             .group = CommandGroup::kConnection,
             .handler = auth,
             .summary = "Authenticate to the server"});
  table.add({.name = "hello",
             .arity = -1,
             .flags = kNoscript | kLoading | kStale | kFast | kNoAuth | kAllowBusy,
             .acl = conn_fast,
             .group = CommandGroup::kConnection,
             .handler = hello,
             .summary = "Handshake with Redis",
             .since = "6.0.0"});
  table.add({.name = "select",
             .arity = 2,
             .flags = kLoading | kStale | kFast,
             .acl = kAclFast | kAclConnection,
             .group = CommandGroup::kConnection,
             .handler = select,
             .summary = "Change the selected database for the current connection"});
}

}  // namespace zakros::server
