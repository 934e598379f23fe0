// CLUSTER, READONLY, READWRITE and ASKING: the Redis Cluster face of a Raft cluster
// (design.md, "Reads and redirects"). zakros is one shard owning every slot (0-16383); the Raft
// leader is its master and the other members are its replicas, so that redis-cli -c and cluster
// clients route every key to the leader and follow MOVED after a failover.
//
// On a volatile node or a persistent single node (no cluster-addrs) CLUSTER answers Redis's
// "ERR This instance has cluster support disabled", as a standalone Redis does.
#include <string>

#include "commands/command_util.h"
#include "server/admin/server_commands.h"
#include "server/net/client.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "store/keyspace.h"
#include "util/crc16.h"
#include "util/numbers.h"
#include "util/strings.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using namespace commands;  // flags and ACL categories

constexpr int kSlots = 16384;

Replication* cluster_or_error(CommandContext& ctx) {
  Replication* r = ctx.server != nullptr ? ctx.server->replication() : nullptr;
  if (r == nullptr || !r->cluster_mode()) {
    ctx.out.error("ERR This instance has cluster support disabled");
    return nullptr;
  }
  return r;
}

// The members in id order, leader first among equals: what SLOTS/SHARDS/NODES describe.
std::vector<raft::NodeId> members(const Replication& r) {
  std::vector<raft::NodeId> ids = r.node().conf().voters;
  for (raft::NodeId id : r.node().conf().learners) ids.push_back(id);
  return ids;
}

void cluster_info(CommandContext& ctx) {
  Replication* r = cluster_or_error(ctx);
  if (r == nullptr) return;
  bool has_leader = r->node().leader() != raft::kNoNode;
  size_t known = members(*r).size();
  std::string s;
  auto line = [&](std::string_view name, std::string_view value) {
    util::append_info_line(s, name, value);
  };
  line("cluster_state", has_leader ? "ok" : "fail");
  line("cluster_slots_assigned", std::to_string(kSlots));
  line("cluster_slots_ok", std::to_string(has_leader ? kSlots : 0));
  line("cluster_slots_pfail", "0");
  line("cluster_slots_fail", std::to_string(has_leader ? 0 : kSlots));
  line("cluster_known_nodes", std::to_string(known));
  line("cluster_size", "1");
  line("cluster_current_epoch", std::to_string(r->node().term()));
  line("cluster_my_epoch", std::to_string(r->node().term()));
  line("cluster_stats_messages_sent", "0");
  line("cluster_stats_messages_received", "0");
  line("total_cluster_links_buffer_limit_exceeded", "0");
  ctx.out.verbatim(s);
}

void cluster_myid(CommandContext& ctx) {
  Replication* r = cluster_or_error(ctx);
  if (r == nullptr) return;
  ctx.out.bulk(r->node_name(r->self()));
}

void node_entry(CommandContext& ctx, const Replication& r, raft::NodeId id) {
  auto address = r.address_of(id);
  ctx.out.array(3);
  ctx.out.bulk(address ? address->host : "");
  ctx.out.integer(address ? address->port : 0);
  ctx.out.bulk(r.node_name(id));
}

void cluster_slots(CommandContext& ctx) {
  Replication* r = cluster_or_error(ctx);
  if (r == nullptr) return;
  raft::NodeId leader = r->node().leader();
  if (leader == raft::kNoNode) {
    ctx.out.array(0);
    return;
  }
  std::vector<raft::NodeId> ids = members(*r);
  ctx.out.array(1);
  ctx.out.array(2 + ids.size());
  ctx.out.integer(0);
  ctx.out.integer(kSlots - 1);
  node_entry(ctx, *r, leader);
  for (raft::NodeId id : ids) {
    if (id != leader) node_entry(ctx, *r, id);
  }
}

void cluster_shards(CommandContext& ctx) {
  Replication* r = cluster_or_error(ctx);
  if (r == nullptr) return;
  raft::NodeId leader = r->node().leader();
  std::vector<raft::NodeId> ids = members(*r);
  ctx.out.array(1);
  ctx.out.map(2);
  ctx.out.bulk("slots");
  ctx.out.array(2);
  ctx.out.integer(0);
  ctx.out.integer(kSlots - 1);
  ctx.out.bulk("nodes");
  ctx.out.array(ids.size());
  for (raft::NodeId id : ids) {
    auto address = r->address_of(id);
    const raft::Progress* pr = r->node().progress(id);
    uint64_t offset = id == r->self() ? r->applied_index() : (pr ? pr->match : 0);
    ctx.out.map(7);
    ctx.out.bulk("id");
    ctx.out.bulk(r->node_name(id));
    ctx.out.bulk("port");
    ctx.out.integer(address ? address->port : 0);
    ctx.out.bulk("ip");
    ctx.out.bulk(address ? address->host : "");
    ctx.out.bulk("endpoint");
    ctx.out.bulk(address ? address->host : "");
    ctx.out.bulk("role");
    ctx.out.bulk(id == leader ? "master" : "replica");
    ctx.out.bulk("replication-offset");
    ctx.out.integer(static_cast<int64_t>(offset));
    ctx.out.bulk("health");
    ctx.out.bulk(leader == raft::kNoNode ? "fail" : "online");
  }
}

void cluster_nodes(CommandContext& ctx) {
  Replication* r = cluster_or_error(ctx);
  if (r == nullptr) return;
  raft::NodeId leader = r->node().leader();
  std::string s;
  for (raft::NodeId id : members(*r)) {
    auto address = r->address_of(id);
    std::string addr = address ? address->host + ":" + std::to_string(address->port) + "@" +
                                     std::to_string(address->port + 10000)
                               : ":0@0";
    std::string flags = id == r->self() ? "myself," : "";
    flags += id == leader ? "master" : "slave";
    std::string master = id == leader || leader == raft::kNoNode ? "-" : r->node_name(leader);
    s += r->node_name(id) + " " + addr + " " + flags + " " + master + " 0 0 " +
         std::to_string(r->node().term()) + " connected";
    if (id == leader) s += " 0-16383";
    s += "\n";
  }
  ctx.out.verbatim(s);
}

void cluster_keyslot(CommandContext& ctx) {
  ctx.out.integer(util::key_hash_slot(ctx.arg(2)));
}

bool parse_slot(CommandContext& ctx, std::string_view text, int64_t* slot) {
  if (!util::parse_int64(text, slot) || *slot < 0 || *slot >= kSlots) {
    ctx.out.error("ERR Invalid slot");
    return false;
  }
  return true;
}

void cluster_countkeysinslot(CommandContext& ctx) {
  if (cluster_or_error(ctx) == nullptr) return;
  int64_t slot;
  if (!parse_slot(ctx, ctx.arg(2), &slot)) return;
  // One shard and no slot index: count by hashing every key of the selected database.
  int64_t n = 0;
  ctx.db().for_each([&](const store::Entry* e) {
    if (util::key_hash_slot(e->key()) == slot) ++n;
  });
  ctx.out.integer(n);
}

void cluster_getkeysinslot(CommandContext& ctx) {
  if (cluster_or_error(ctx) == nullptr) return;
  int64_t slot, count;
  if (!parse_slot(ctx, ctx.arg(2), &slot)) return;
  if (!util::parse_int64(ctx.arg(3), &count) || count < 0) {
    ctx.out.error("ERR Invalid number of keys");
    return;
  }
  std::vector<std::string> keys;
  ctx.db().for_each([&](const store::Entry* e) {
    if (static_cast<int64_t>(keys.size()) < count && util::key_hash_slot(e->key()) == slot) {
      keys.emplace_back(e->key());
    }
  });
  ctx.out.array(keys.size());
  for (const std::string& k : keys) ctx.out.bulk(k);
}

// CLUSTER FAILOVER [FORCE|TAKEOVER], sent to a follower: it asks the leader to hand it
// leadership (Raft's leadership transfer: the leader lets this node's log catch up, then tells it
// to campaign at once; RAFT.TRANSFER_LEADER does the same from the leader's side). As in Redis,
// +OK means the request was made and the failover follows; CLUSTER NODES and INFO raft show it.
// FORCE and TAKEOVER, which in Redis go without the master's agreement, do the same here: a Raft
// leader is replaced only by an election the majority takes part in, and without a leader the
// cluster holds one by itself within the election timeout.
void cluster_failover(CommandContext& ctx) {
  Replication* r = cluster_or_error(ctx);
  if (r == nullptr) return;
  if (ctx.argc() > 3 || (ctx.argc() == 3 && !util::iequals(ctx.arg(2), "force") &&
                         !util::iequals(ctx.arg(2), "takeover"))) {
    ctx.out.error("ERR syntax error");
    return;
  }
  const std::string error = r->request_failover();
  if (error.empty()) {
    ctx.out.ok();
  } else {
    ctx.out.error(error);
  }
}

void cluster_help(CommandContext& ctx) {
  reply_help(ctx, "CLUSTER",
             {"COUNTKEYSINSLOT <slot>",
              "    Return the number of keys in <slot>.",
              "FAILOVER [FORCE|TAKEOVER]",
              "    Promote current replica node to being a master.",
              "GETKEYSINSLOT <slot> <count>",
              "    Return key names stored by current node in a slot.",
              "INFO",
              "    Return information about the cluster.",
              "KEYSLOT <key>",
              "    Return the hash slot for <key>.",
              "MYID",
              "    Return the node id.",
              "NODES",
              "    Return cluster configuration seen by node. Output format:",
              "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
              "SHARDS",
              "    Return information about slot range mappings and the nodes.",
              "SLOTS",
              "    Return information about slots range mappings. Each range is made of:",
              "    start, end, master and replicas IP addresses, ports and ids"});
}

// READONLY / READWRITE: reads on a follower are served locally (possibly stale) after READONLY.
void readonly(CommandContext& ctx) {
  if (cluster_or_error(ctx) == nullptr) return;
  ctx.client->readonly = true;
  ctx.out.ok();
}

void readwrite(CommandContext& ctx) {
  if (cluster_or_error(ctx) == nullptr) return;
  ctx.client->readonly = false;
  ctx.out.ok();
}

void asking(CommandContext& ctx) {
  if (cluster_or_error(ctx) == nullptr) return;
  ctx.out.ok();
}

}  // namespace

void register_cluster_commands(commands::CommandTable& table) {
  auto sub = [](std::string_view name, int arity, Handler handler, std::string_view summary,
                std::string_view since) {
    return make_spec(name, arity, kStale, kAclSlow, 0, 0, 0, CommandGroup::kCluster, handler,
                     summary, since);
  };
  CommandSpec cluster = make_spec("cluster", -2, 0, kAclSlow, 0, 0, 0, CommandGroup::kCluster,
                                  nullptr, "A container for Redis Cluster commands", "3.0.0");
  cluster.subcommands = {
      sub("countkeysinslot", 3, cluster_countkeysinslot,
          "Return the number of keys in the specified hash slot", "3.0.0"),
      make_spec("failover", -2, kAdmin | kNoAsyncLoading | kStale,
                kAclAdmin | kAclSlow | kAclDangerous, 0, 0, 0, CommandGroup::kCluster,
                cluster_failover, "Forces a replica to perform a manual failover of its master.",
                "3.0.0"),
      sub("getkeysinslot", 4, cluster_getkeysinslot,
          "Return local key names in the specified "
          "hash slot",
          "3.0.0"),
      make_spec("help", 2, kLoading | kStale, kAclSlow, 0, 0, 0, CommandGroup::kCluster,
                cluster_help, "Show helpful text about the different subcommands", "5.0.0"),
      sub("info", 2, cluster_info, "Provides info about Redis Cluster node state", "3.0.0"),
      sub("keyslot", 3, cluster_keyslot, "Returns the hash slot of the specified key", "3.0.0"),
      sub("myid", 2, cluster_myid, "Return the node id", "3.0.0"),
      sub("nodes", 2, cluster_nodes, "Get Cluster config for the node", "3.0.0"),
      sub("shards", 2, cluster_shards, "Get array of cluster slots to node mappings", "7.0.0"),
      sub("slots", 2, cluster_slots, "Get array of Cluster slot to node mappings", "3.0.0"),
  };
  table.add(std::move(cluster));
  uint64_t conn = kAclConnection | kAclFast;
  table.add(make_spec("readonly", 1, kFast | kLoading | kStale, conn, 0, 0, 0,
                      CommandGroup::kCluster, readonly,
                      "Enables read queries for a connection to a cluster replica node", "3.0.0"));
  table.add(make_spec("readwrite", 1, kFast | kLoading | kStale, conn, 0, 0, 0,
                      CommandGroup::kCluster, readwrite,
                      "Disables read queries for a connection to a cluster replica node", "3.0.0"));
  table.add(make_spec("asking", 1, kFast, conn, 0, 0, 0, CommandGroup::kCluster, asking,
                      "Sent by cluster clients after an -ASK redirect", "3.0.0"));
}

}  // namespace zakros::server
