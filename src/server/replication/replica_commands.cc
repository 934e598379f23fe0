// Redis's own replication commands: ROLE, and REPLICAOF, SLAVEOF, SYNC, PSYNC, REPLCONF and
// FAILOVER. (WAIT is in wait_command.cc.)
//
// zakros nodes replicate through Raft (replication.h): a node never follows a Redis primary and
// never feeds a Redis replica, so all but ROLE exist only to answer a clear error instead of
// "unknown command" (and so that COMMAND lists them with Redis 7.0's arity and flags). Changing
// which node leads is RAFT.TRANSFER_LEADER's job.
//
// ROLE describes the Raft roles in Redis's terms, as INFO replication does: the leader is a
// master whose replicas are the other members, a follower (or a candidate) is a replica of the
// leader, and a node without peers (volatile, or a persistent single node) a master without
// replicas. Offsets are Raft log indexes: the leader's last index, the leader's match index for
// each member, a follower's applied index.
#include <string>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "raft/core/progress.h"
#include "server/admin/server_commands.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "util/strings.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using namespace commands;  // flags and ACL categories

void not_replicated_like_redis(CommandContext& ctx) {
  ctx.out.error("ERR " + util::to_upper(ctx.arg(0)) +
                " is not supported: zakros nodes replicate through Raft (see INFO raft and "
                "CLUSTER NODES)");
}

// Redis's roleCommand: ["master", offset, [[ip, port, offset] ...]] with the replicas' port and
// offset as bulk strings, or ["slave", master-ip, master-port, state, offset] with integers.
void role_command(CommandContext& ctx) {
  Replication* replication = ctx.server != nullptr ? ctx.server->replication() : nullptr;
  if (replication != nullptr && acts_as_replica(*ctx.server)) {
    // Redis's replica states: "connected" with a live master link, "connect" while it has yet
    // to reach one, here while no leader is known (the address is then unknown, as INFO shows).
    auto leader = replication->address_of(replication->node().leader());
    ctx.out.array(5);
    ctx.out.bulk("slave");
    ctx.out.bulk(leader ? leader->host : "?");
    ctx.out.integer(leader ? leader->port : 0);
    ctx.out.bulk(leader ? "connected" : "connect");
    ctx.out.integer(static_cast<long long>(replication->applied_index()));
    return;
  }
  ctx.out.array(3);
  ctx.out.bulk("master");
  if (replication == nullptr) {
    ctx.out.integer(0);
    ctx.out.array(0);
    return;
  }
  const raft::Node& node = replication->node();
  ctx.out.integer(static_cast<long long>(node.last_index()));
  size_t token = ctx.out.begin_deferred();
  size_t replicas = 0;
  if (replication->is_leader()) {
    for (raft::NodeId id : replication->member_ids()) {
      if (id == replication->self()) continue;
      auto address = replication->address_of(id);
      const raft::Progress* progress = node.progress(id);
      if (!address || progress == nullptr) continue;
      ctx.out.array(3);
      ctx.out.bulk(address->host);
      ctx.out.bulk_integer(address->port);
      ctx.out.bulk_integer(static_cast<long long>(progress->match));
      ++replicas;
    }
  }
  ctx.out.end_deferred_array(token, replicas);
}

}  // namespace

bool acts_as_replica(Server& server) {
  Replication* replication = server.replication();
  return replication != nullptr && replication->cluster_mode() && !replication->is_leader();
}

void register_replica_commands(commands::CommandTable& table) {
  table.add(make_spec("role", 1, kNoscript | kLoading | kStale | kFast,
                      kAclAdmin | kAclDangerous | kAclFast, 0, 0, 0, CommandGroup::kServer,
                      role_command, "Return the role of the instance in the context of replication",
                      "2.8.12"));
  register_wait_command(table);
  const uint64_t admin = kAclAdmin | kAclSlow | kAclDangerous;
  const auto add = [&](std::string_view name, int arity, uint64_t flags, std::string_view summary,
                       std::string_view since) {
    table.add(make_spec(name, arity, flags, admin, 0, 0, 0, CommandGroup::kServer,
                        not_replicated_like_redis, summary, since));
  };
  add("replicaof", 3, kAdmin | kNoscript | kStale | kNoAsyncLoading,
      "Make the server a replica of another instance, or promote it as master", "5.0.0");
  add("slaveof", 3, kAdmin | kNoscript | kStale | kNoAsyncLoading,
      "Make the server a replica of another instance, or promote it as master", "1.0.0");
  add("sync", 1, kAdmin | kNoscript | kNoAsyncLoading | kNoMulti,
      "Internal command used for replication", "1.0.0");
  add("psync", -3, kAdmin | kNoscript | kNoAsyncLoading | kNoMulti,
      "Internal command used for replication", "2.8.0");
  add("replconf", -1, kAdmin | kNoscript | kLoading | kStale | kAllowBusy,
      "An internal command for configuring the replication stream", "3.0.0");
  add("failover", -1, kAdmin | kNoscript | kStale,
      "Start a coordinated failover between this server and one of its replicas.", "6.2.0");
}

}  // namespace zakros::server
