// Redis's own replication commands: REPLICAOF, SLAVEOF, SYNC, PSYNC, REPLCONF and FAILOVER.
//
// zakros nodes replicate through Raft (replication.h): a node never follows a Redis primary and
// never feeds a Redis replica, so these commands exist only to answer a clear error instead of
// "unknown command" (and so that COMMAND lists them with Redis 7.0's arity and flags). Changing
// which node leads is RAFT.TRANSFER_LEADER's job.
#include <string>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "server/server_commands.h"
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

}  // namespace

void register_replica_commands(commands::CommandTable& table) {
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
