// WAIT numreplicas timeout (Redis's waitCommand): how many replicas hold this client's writes.
//
// In zakros the replicas are the other Raft members (voters and learners), and a member holds the
// client's newest write once the leader's match index for it reaches Client::last_write_index
// (set when that write was proposed). The dispatch gate runs WAIT only after the client's own
// writes are applied, so in a cluster they are committed and a majority has them already: WAIT 1
// answers at once with three members.
//
// As Redis: the count is answered at once when it already reaches numreplicas or inside MULTI;
// otherwise the client blocks (Blocking::block_until) until it does or until `timeout` ms (0 =
// forever) pass, and then answers the count reached. A node with no other member (volatile, or a
// persistent single node) is Redis without replicas: WAIT 0 answers 0 at once, WAIT 1 100 answers
// 0 after 100 ms. A follower is a replica and answers Redis's replica error. A leader that steps
// down while a client waits answers at once the count it knew: those members did hold the write,
// and a node that no longer leads learns nothing more. (Redis instead drops such a client with an
// -UNBLOCKED error when a master becomes a replica.)
//
// The leader learns match indexes when it handles its followers' responses, each followed by a
// Raft drive; the drive ends by serving blocked clients, which runs the waiting clients' check.
#include "commands/command_table.h"
#include "commands/command_util.h"
#include "raft/core/progress.h"
#include "server/admin/server_commands.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "server/session/blocking.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using namespace commands;  // flags and ACL categories

constexpr std::string_view kWaitOnReplica =
    "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a "
    "replica is configured to be writable (which is not the default) writes to replicas are "
    "just local and are not propagated.";

// The members other than this leader whose log holds `index`, as the leader knows it; 0 on a
// node that does not lead.
long long acked_members(Server& server, uint64_t index) {
  Replication* replication = server.replication();
  if (replication == nullptr || !replication->is_leader()) return 0;
  long long count = 0;
  for (raft::NodeId id : replication->member_ids()) {
    if (id == replication->self()) continue;
    const raft::Progress* progress = replication->node().progress(id);
    if (progress != nullptr && progress->match >= index) ++count;
  }
  return count;
}

void wait_command(CommandContext& ctx) {
  Server* server = ctx.server;
  if (server != nullptr && acts_as_replica(*server)) {
    ctx.out.error(kWaitOnReplica);
    return;
  }
  int64_t numreplicas = 0;
  if (!parse_int_arg(ctx, ctx.arg(1), &numreplicas)) return;
  int64_t deadline_ms = 0;
  if (!parse_block_timeout(ctx, ctx.arg(2), TimeoutUnit::kMilliseconds, &deadline_ms)) return;
  if (server == nullptr || ctx.client == nullptr) {
    ctx.out.integer(0);  // applied from the log on another node: nobody reads this reply
    return;
  }
  const uint64_t index = ctx.client->last_write_index;
  long long acked = acked_members(*server, index);
  if (acked >= numreplicas || ctx.in_multi) {
    ctx.out.integer(acked);
    return;
  }
  server->blocking().block_until(
      *ctx.client, deadline_ms,
      [server, index, numreplicas, reached = acked](Client& client, bool final) mutable {
        Replication* replication = server->replication();
        const bool leads = replication == nullptr || replication->is_leader();
        if (leads) reached = acked_members(*server, index);
        if (reached < numreplicas && !final && leads) return false;
        client.out().integer(reached);
        return true;
      });
}

}  // namespace

void register_wait_command(commands::CommandTable& table) {
  table.add(make_spec("wait", 3, kNoscript, kAclConnection | kAclSlow, 0, 0, 0,
                      CommandGroup::kGeneric, wait_command,
                      "Wait for the synchronous replication of all the write commands sent in the "
                      "context of the current connection",
                      "3.0.0"));
}

}  // namespace zakros::server
