// Transaction commands: MULTI, EXEC, DISCARD, WATCH, UNWATCH (Redis 7.0's multi.c behaviour and
// texts). Queueing itself happens in the dispatch gate; EXEC's work is execute_transaction().
#include "commands/command_util.h"
#include "server/net/client.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "server/session/transactions.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using namespace commands;  // flags and ACL categories

// MULTI state lives in a connection; a command applied from the Raft log has none.
bool has_client(CommandContext& ctx) {
  if (ctx.client != nullptr && ctx.server != nullptr) return true;
  ctx.out.error("ERR Command not allowed in this context");
  return false;
}

void multi(CommandContext& ctx) {
  if (!has_client(ctx)) return;
  if (ctx.client->in_multi) {
    ctx.out.error("ERR MULTI calls can not be nested");
    return;
  }
  ctx.client->in_multi = true;
  ctx.out.ok();
}

void exec(CommandContext& ctx) {
  if (!has_client(ctx)) return;
  Client& client = *ctx.client;
  Transactions& transactions = ctx.server->transactions();
  if (!client.in_multi) {
    ctx.out.error("ERR EXEC without MULTI");
    return;
  }
  // A watched key that was alive at WATCH time and has logically expired since counts as
  // changed even if nothing has deleted it yet.
  if (transactions.watched_key_expired(client, ctx.exec.now_ms)) client.watch_dirty = true;
  if (client.multi_dirty || client.watch_dirty) {
    if (client.multi_dirty) {
      ctx.out.error("EXECABORT Transaction discarded because of previous errors.");
    } else {
      ctx.out.null_array();
    }
    Transactions::discard(client);
    transactions.unwatch_all(client);
    return;
  }
  // Unwatch first, as Redis does: the transaction's own writes must not dirty the client.
  std::vector<std::pair<int32_t, std::string>> watched;
  for (const auto& [wdb, key] : client.watched_keys) watched.emplace_back(wdb, key);
  transactions.unwatch_all(client);
  std::vector<QueuedCommand> queue = std::move(client.multi_queue);
  client.multi_queue.clear();
  if (Replication* replication = ctx.server->replication()) {
    // One log entry; WATCH is decided again when it is applied (replication.h).
    replication->propose_transaction(client, std::move(queue), ctx.db_index, std::move(watched));
  } else {
    execute_transaction(*ctx.server, &client, queue, ctx.out, ctx.db_index);
  }
  Transactions::discard(client);
}

void discard(CommandContext& ctx) {
  if (!has_client(ctx)) return;
  if (!ctx.client->in_multi) {
    ctx.out.error("ERR DISCARD without MULTI");
    return;
  }
  Transactions::discard(*ctx.client);
  ctx.server->transactions().unwatch_all(*ctx.client);
  ctx.out.ok();
}

void watch(CommandContext& ctx) {
  if (!has_client(ctx)) return;
  Client& client = *ctx.client;
  if (client.in_multi) {
    ctx.out.error("ERR WATCH inside MULTI is not allowed");
    return;
  }
  // No point in watching more once a watched key has changed: EXEC will fail anyway.
  if (client.watch_dirty) {
    ctx.out.ok();
    return;
  }
  Transactions& transactions = ctx.server->transactions();
  if (!transactions.bound()) transactions.bind_keyspace(ctx.server->keyspace());
  for (size_t i = 1; i < ctx.argc(); ++i) {
    transactions.watch(client, ctx.db_index, ctx.arg(i), ctx.exec.now_ms);
  }
  ctx.out.ok();
}

void unwatch(CommandContext& ctx) {
  if (!has_client(ctx)) return;
  ctx.server->transactions().unwatch_all(*ctx.client);
  ctx.client->watch_dirty = false;
  ctx.out.ok();
}

// This group's commands take no keys (shard channels get theirs from with_keys).
CommandSpec make_spec(std::string_view name, int arity, uint64_t flags, uint64_t acl,
                      Handler handler, std::string_view summary, std::string_view since) {
  return commands::make_spec(name, arity, flags, acl, 0, 0, 0, CommandGroup::kTransactions, handler,
                             summary, since);
}

}  // namespace

void register_transaction_commands(commands::CommandTable& table) {
  const uint64_t quick = kNoscript | kLoading | kStale | kFast | kAllowBusy;
  const uint64_t fast = kAclFast | kAclTransaction;
  table.add(
      make_spec("multi", 1, quick, fast, multi, "Mark the start of a transaction block", "1.2.0"));
  table.add(make_spec("exec", 1, kNoscript | kLoading | kStale | kSkipSlowlog,
                      kAclSlow | kAclTransaction, exec, "Execute all commands issued after MULTI",
                      "1.2.0"));
  table.add(make_spec("discard", 1, quick, fast, discard, "Discard all commands issued after MULTI",
                      "2.0.0"));
  CommandSpec watch_spec =
      make_spec("watch", -2, quick, fast, watch,
                "Watch the given keys to determine execution of the MULTI/EXEC block", "2.2.0");
  watch_spec.first_key = 1;
  watch_spec.last_key = -1;
  watch_spec.key_step = 1;
  table.add(std::move(watch_spec));
  table.add(
      make_spec("unwatch", 1, quick, fast, unwatch, "Forget about all watched keys", "2.2.0"));
}

}  // namespace zakros::server
