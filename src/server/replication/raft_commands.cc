// RAFT.NODE ADD/REMOVE, RAFT.TRANSFER_LEADER and RAFT.INFO: changing a cluster's membership and
// its leader at run time. The names are RedisRaft's; the semantics are zakros's (see
// membership.cc for what happens on the leader, README "Changing the membership" for use).
//
//   RAFT.NODE ADD <id> <host:port>   add a node (started with raft-join yes) as a learner; +OK
//                                    once that is committed; it becomes a voter by itself once
//                                    its log has caught up.
//   RAFT.NODE REMOVE <id>            remove a voter or learner (the leader too); +OK once
//                                    committed.
//   RAFT.TRANSFER_LEADER [<id>]      hand leadership to <id>, or to the most caught-up voter;
//                                    +OK once <id> leads.
//   RAFT.INFO                        INFO raft.
//
// Changes are made by the leader only: a follower answers -MOVED 0 <leader> (as for other
// keyless commands routed to the leader) or -CLUSTERDOWN without a leader. They are not write
// commands in the command table on purpose: they are not proposed as client commands (which
// every node would execute again when applying) but turned into Raft entries here.
#include <climits>
#include <string>

#include "commands/command_util.h"
#include "server/admin/server_commands.h"
#include "server/config/config_special.h"
#include "server/net/client.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "util/numbers.h"
#include "util/strings.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using namespace commands;  // flags and ACL categories

// The replication of a cluster whose leader this node is, or null with the reply written.
Replication* leader_or_redirect(CommandContext& ctx) {
  Replication* r = ctx.server != nullptr ? ctx.server->replication() : nullptr;
  if (r == nullptr || !r->cluster_mode() || ctx.client == nullptr) {
    ctx.out.error("ERR This instance has cluster support disabled");
    return nullptr;
  }
  if (r->is_leader()) return r;
  raft::NodeId leader = r->node().leader();
  auto address = r->address_of(leader);
  if (leader == raft::kNoNode || !address) {
    ctx.out.error("CLUSTERDOWN The cluster is down");
  } else {
    ctx.out.error("MOVED 0 " + format_node_address(NodeAddress{address->host, address->port}));
  }
  return nullptr;
}

// Node ids are what node-id accepts (0..INT_MAX).
bool parse_node_id(CommandContext& ctx, std::string_view text, raft::NodeId* id) {
  int64_t v;
  if (!util::parse_int64(text, &v) || v < 0 || v > INT_MAX) {
    ctx.out.error("ERR invalid node id '" + std::string(text) +
                  "': expected an integer from 0 to " + std::to_string(INT_MAX));
    return false;
  }
  *id = static_cast<raft::NodeId>(v);
  return true;
}

void raft_node_add(CommandContext& ctx) {
  Replication* r = leader_or_redirect(ctx);
  if (r == nullptr) return;
  raft::NodeId id;
  if (!parse_node_id(ctx, ctx.arg(2), &id)) return;
  NodeAddress address;
  if (!parse_node_address(ctx.arg(3), &address)) {
    ctx.out.error("ERR invalid address '" + std::string(ctx.arg(3)) +
                  "': expected host:port (port 1-65535, IPv6 as [addr]:port)");
    return;
  }
  r->add_node(*ctx.client, id, PeerAddress{address.host, address.port});
}

void raft_node_remove(CommandContext& ctx) {
  Replication* r = leader_or_redirect(ctx);
  if (r == nullptr) return;
  raft::NodeId id;
  if (!parse_node_id(ctx, ctx.arg(2), &id)) return;
  r->remove_node(*ctx.client, id);
}

void raft_node_help(CommandContext& ctx) {
  reply_help(ctx, "RAFT.NODE",
             {"ADD <id> <host:port>",
              "    Add a node (started with raft-join yes) as a learner; it becomes a voter once",
              "    it has caught up with the leader's log.", "REMOVE <id>",
              "    Remove a voter or learner (the leader too)."});
}

void raft_transfer_leader(CommandContext& ctx) {
  if (ctx.argc() > 2) {
    ctx.out.error("ERR wrong number of arguments for 'raft.transfer_leader' command");
    return;
  }
  Replication* r = leader_or_redirect(ctx);
  if (r == nullptr) return;
  raft::NodeId to = raft::kNoNode;
  if (ctx.argc() == 2 && !parse_node_id(ctx, ctx.arg(1), &to)) return;
  r->transfer_leader(*ctx.client, to);
}

void raft_info(CommandContext& ctx) {
  Replication* r = ctx.server != nullptr ? ctx.server->replication() : nullptr;
  if (r == nullptr) {
    ctx.out.error("ERR Raft is disabled on this node (raft-enabled no)");
    return;
  }
  ctx.out.verbatim("# Raft\r\n" + r->info_section());
}

}  // namespace

void register_raft_commands(commands::CommandTable& table) {
  constexpr uint64_t kFlags = kAdmin | kNoscript | kNoMulti | kStale;
  constexpr uint64_t kAcl = kAclAdmin | kAclSlow | kAclDangerous;
  CommandSpec node = make_spec("raft.node", -2, 0, kAcl, 0, 0, 0, CommandGroup::kCluster, nullptr,
                               "A container for Raft membership commands", "7.0.0");
  node.subcommands = {
      make_spec("add", 4, kFlags, kAcl, 0, 0, 0, CommandGroup::kCluster, raft_node_add,
                "Add a node to the Raft cluster (a learner, then a voter)", "7.0.0"),
      make_spec("help", 2, kLoading | kStale, kAclSlow, 0, 0, 0, CommandGroup::kCluster,
                raft_node_help, "Show helpful text about the different subcommands", "7.0.0"),
      make_spec("remove", 3, kFlags, kAcl, 0, 0, 0, CommandGroup::kCluster, raft_node_remove,
                "Remove a node from the Raft cluster", "7.0.0"),
  };
  table.add(std::move(node));
  table.add(make_spec("raft.transfer_leader", -1, kFlags, kAcl, 0, 0, 0, CommandGroup::kCluster,
                      raft_transfer_leader,
                      "Hand Raft leadership to a node (or the most caught-up voter)", "7.0.0"));
  table.add(make_spec("raft.info", 1, kLoading | kStale, kAclSlow, 0, 0, 0, CommandGroup::kCluster,
                      raft_info, "Show the Raft section of INFO", "7.0.0"));
}

}  // namespace zakros::server
