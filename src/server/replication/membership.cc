// Membership changes and leadership transfer at run time: the server side of RAFT.NODE and
// RAFT.TRANSFER_LEADER (raft_commands.cc) on top of the core's single-server changes
// (raft/membership.cc).
//
// Who votes is the core's business: a configuration is a kConfChange entry and is in force on a
// node as soon as it is in that node's log. Where a member listens is ours: the leader first
// replicates a kMembers entry (replicated_entry.h) with the new member's address, and only once
// that entry is applied proposes the learner, so that every node that has the configuration
// entry in its log also has, or soon applies, the address before it; replaying the log after a
// restart rebuilds the table the same way. cluster-addrs seeds the table for the first members.
//
// Adding a node, on the leader:
//   RAFT.NODE ADD id addr -> kMembers entry -> (applied) kAddLearner -> (committed) +OK
//   tick: a learner whose log is within kPromotionLag entries of ours -> kAddVoter
// The learner receives the whole log before it can vote, so it never weakens the quorum while
// it catches up. A new leader finishes the promotion of a learner the old one had added.
//
// Only one change runs at a time (the core refuses a second uncommitted configuration; this
// file also refuses a second RAFT.NODE while one waits), and every node's transport follows the
// configuration in force (after_ready).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "raft/storage/disk_io.h"
#include "server/config/config_special.h"
#include "server/net/client.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "util/clock.h"
#include "util/numbers.h"

namespace zakros::server {

namespace {

// How far (in entries) a learner's log may trail the leader's for it to be promoted.
constexpr raft::Index kPromotionLag = 32;

std::string ids_text(const std::vector<raft::NodeId>& ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(ids[i]);
  }
  return s + "]";
}

std::string address_text(const PeerAddress& a) {
  return format_node_address(NodeAddress{a.host, a.port});
}

std::string status_error(raft::Status status) {
  switch (status) {
    case raft::Status::kOk:
      return {};
    case raft::Status::kNotLeader:
      return "CLUSTERDOWN The cluster is down";
    case raft::Status::kTransferring:
      return "TRYAGAIN a leadership transfer is in progress";
    case raft::Status::kChangeInProgress:
      return "TRYAGAIN a membership change is in progress";
    case raft::Status::kNotCommittedInTerm:
      return "TRYAGAIN the new leader has not committed an entry of its term yet";
    case raft::Status::kInvalid:
      break;
  }
  return "ERR invalid membership change";
}

const char* kLostError =
    "UNCERTAIN leadership was lost before the membership change was known to be committed; it may "
    "or may not have happened (INFO raft on the new leader shows the members)";

}  // namespace

std::vector<raft::NodeId> Replication::member_ids() const {
  std::vector<raft::NodeId> ids = node_->conf().voters;
  for (raft::NodeId id : node_->conf().learners) ids.push_back(id);
  return ids;
}

std::string Replication::membership_busy() const {
  if (member_op_) return "TRYAGAIN a membership change is in progress";
  if (transfer_op_ || node_->transfer_target() != raft::kNoNode) {
    return "TRYAGAIN a leadership transfer is in progress";
  }
  return {};
}

// ---- requests ----------------------------------------------------------------------------------

void Replication::add_node(Client& client, raft::NodeId id, PeerAddress address) {
  if (std::string busy = membership_busy(); !busy.empty()) {
    client.out().error(busy);
    return;
  }
  const raft::ConfState& conf = node_->conf();
  if (conf.contains(id)) {
    client.out().error("ERR node " + std::to_string(id) + " is already a member");
    return;
  }
  for (raft::NodeId other : member_ids()) {
    auto a = address_of(other);
    if (a && a->host == address.host && a->port == address.port) {
      client.out().error("ERR address " + address_text(address) + " is already used by node " +
                         std::to_string(other));
      return;
    }
  }
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kMembers;
  e.commands.push_back({std::to_string(id), address_text(address)});
  e.now_ms = next_now();
  raft::EntryId entry;
  raft::Status status = node_->propose(e.encode(), &entry);
  if (status != raft::Status::kOk) {
    client.out().error(status_error(status));
    return;
  }
  spdlog::info("Adding node {} at {}: replicating its address (entry {})", id,
               address_text(address), entry.index);
  start_member_op(client, MemberOp::Step::kAddress, id, entry, std::move(address));
}

void Replication::remove_node(Client& client, raft::NodeId id) {
  if (std::string busy = membership_busy(); !busy.empty()) {
    client.out().error(busy);
    return;
  }
  const raft::ConfState& conf = node_->conf();
  if (!conf.contains(id)) {
    client.out().error("ERR unknown node " + std::to_string(id));
    return;
  }
  if (conf.voters == std::vector<raft::NodeId>{id}) {
    client.out().error("ERR node " + std::to_string(id) +
                       " is the last voter and can't be removed");
    return;
  }
  raft::EntryId entry;
  raft::Status status =
      node_->propose_conf_change(raft::ConfChange{raft::ConfChangeType::kRemove, id}, &entry);
  if (status != raft::Status::kOk) {
    client.out().error(status_error(status));
    return;
  }
  spdlog::info("Removing node {} from the cluster (entry {}){}", id, entry.index,
               id == self_ ? ": this leader steps down once the change commits" : "");
  start_member_op(client, MemberOp::Step::kRemove, id, entry, PeerAddress{});
}

void Replication::start_member_op(Client& client, MemberOp::Step step, raft::NodeId node,
                                  raft::EntryId entry, PeerAddress address) {
  MemberOp op;
  op.step = step;
  op.node = node;
  op.address = std::move(address);
  op.client = client.weak_from_this();
  op.entry = entry;
  member_op_ = std::move(op);
  client.awaiting_raft = true;
  schedule_drive();
}

void Replication::transfer_leader(Client& client, raft::NodeId to) {
  if (std::string busy = membership_busy(); !busy.empty()) {
    client.out().error(busy);
    return;
  }
  const raft::ConfState& conf = node_->conf();
  if (to == raft::kNoNode) {
    // The most caught-up other voter: it needs the fewest entries before it can take over.
    raft::Index best_match = 0;
    for (raft::NodeId v : conf.voters) {
      const raft::Progress* pr = node_->progress(v);
      if (v == self_ || pr == nullptr) continue;
      if (to == raft::kNoNode || pr->match > best_match) {
        to = v;
        best_match = pr->match;
      }
    }
    if (to == raft::kNoNode) {
      client.out().error("ERR there is no other voter to transfer leadership to");
      return;
    }
  }
  if (to == self_) {
    client.out().ok();  // already the leader
    return;
  }
  if (!conf.contains(to)) {
    client.out().error("ERR unknown node " + std::to_string(to));
    return;
  }
  if (!conf.is_voter(to)) {
    client.out().error("ERR node " + std::to_string(to) + " is a learner, not a voter");
    return;
  }
  raft::Status status = node_->transfer_leadership(to);
  if (status != raft::Status::kOk) {
    client.out().error(status_error(status));
    return;
  }
  spdlog::info("Transferring leadership from node {} to node {} (term {})", self_, to,
               node_->term());
  TransferOp op;
  op.target = to;
  op.client = client.weak_from_this();
  // The core abandons a transfer after an election timeout; the new leader then still has to
  // make itself known, so give the answer some more time.
  op.deadline_ms = util::monotonic_us() / 1000 + 3 * election_timeout_ms_;
  transfer_op_ = std::move(op);
  client.awaiting_raft = true;
  schedule_drive();
}

std::string Replication::request_failover() {
  if (is_leader()) return "ERR You should send CLUSTER FAILOVER to a replica";
  switch (node_->request_leadership()) {
    case raft::Status::kOk:
      spdlog::info("CLUSTER FAILOVER: node {} asked leader {} to hand it leadership (term {})",
                   self_, node_->leader(), node_->term());
      schedule_drive();
      return "";
    case raft::Status::kNotLeader:
      return "ERR I'm a replica but my master is unknown to me";
    default:
      return "ERR this node is a learner (not yet a voter): it cannot become the leader";
  }
}

// ---- progress: applied entries, Readys, ticks -------------------------------------------------

void Replication::apply_members(const ReplicatedEntry& e) {
  const Config& config = server_.config();
  for (const std::vector<std::string>& member : e.commands) {
    uint64_t id;
    NodeAddress address;
    // The leader only proposes well-formed entries; skipping a bad one is still the same on
    // every node.
    if (member.size() != 2 || !util::parse_uint64(member[0], &id) || id == raft::kNoNode ||
        !parse_node_address(member[1], &address)) {
      spdlog::warn("Log entry {}: malformed member address, ignored", applying_index_);
      continue;
    }
    if (id < config.cluster_addrs.size() && !(config.cluster_addrs[id] == address)) {
      spdlog::warn(
          "The log says node {} is at {} but cluster-addrs says {}; the log is authoritative", id,
          member[1], format_node_address(config.cluster_addrs[id]));
    }
    auto it = members_.find(id);
    if (it == members_.end() || it->second.host != address.host ||
        it->second.port != address.port) {
      spdlog::info("Node {} is at {} (log entry {})", id, member[1], applying_index_);
    }
    members_[id] = PeerAddress{address.host, address.port};
  }
  sync_peers();
  if (member_op_ && member_op_->step == MemberOp::Step::kAddress &&
      member_op_->entry.index == applying_index_) {
    if (node_->term_at(applying_index_) == member_op_->entry.term) {
      member_op_->address_applied = true;  // after_ready proposes the learner
    } else {
      finish_member_op(kLostError);
    }
  }
}

void Replication::on_conf_applied(const raft::Entry& entry) {
  if (!member_op_ || member_op_->step == MemberOp::Step::kAddress ||
      member_op_->entry.index != entry.index) {
    return;
  }
  if (entry.term != member_op_->entry.term) {
    finish_member_op(kLostError);
    return;
  }
  spdlog::info("Membership change committed: node {} {}", member_op_->node,
               member_op_->step == MemberOp::Step::kLearner ? "is a learner (promoted to voter "
                                                              "once caught up)"
                                                            : "is removed");
  finish_member_op("");
}

void Replication::after_ready() {
  const raft::ConfState& conf = node_->conf();
  if (conf != seen_conf_) {
    for (raft::NodeId v : conf.voters) {
      if (!seen_conf_.is_voter(v)) {
        spdlog::info("Node {} is now a voter{}", v, seen_conf_.is_learner(v) ? " (promoted)" : "");
      }
    }
    for (raft::NodeId l : conf.learners) {
      if (!seen_conf_.contains(l)) spdlog::info("Node {} is now a learner", l);
    }
    for (const auto* ids : {&seen_conf_.voters, &seen_conf_.learners}) {
      for (raft::NodeId old : *ids) {
        if (!conf.contains(old)) spdlog::info("Node {} is no longer a member", old);
      }
    }
    spdlog::info("Configuration: voters {}, learners {}", ids_text(conf.voters),
                 ids_text(conf.learners));
    if (!seen_conf_.voters.empty() && !conf.contains(self_)) {
      spdlog::info("This node (node {}) was removed from the cluster: it no longer votes", self_);
    }
    seen_conf_ = conf;
    sync_peers();
  }
  if (node_->leader() != seen_leader_) {
    seen_leader_ = node_->leader();
    sync_peers();
  }
  check_member_work();
}

void Replication::check_member_work() {
  if (member_op_) {
    if (member_op_->leadership_lost) {
      // A learner not yet proposed means nothing changed: say so plainly.
      finish_member_op(member_op_->step == MemberOp::Step::kAddress
                           ? "ERR leadership was lost before node " +
                                 std::to_string(member_op_->node) +
                                 " was added; nothing changed, retry on the new leader"
                           : kLostError);
    } else if (member_op_->address_applied && member_op_->step == MemberOp::Step::kAddress) {
      raft::EntryId entry;
      raft::Status status = node_->propose_conf_change(
          raft::ConfChange{raft::ConfChangeType::kAddLearner, member_op_->node}, &entry);
      if (status == raft::Status::kOk) {
        spdlog::info("Adding node {} as a learner (entry {})", member_op_->node, entry.index);
        member_op_->step = MemberOp::Step::kLearner;
        member_op_->entry = entry;
      } else if (status == raft::Status::kInvalid) {
        finish_member_op("ERR node " + std::to_string(member_op_->node) + " is already a member");
      }
      // Otherwise (a promotion still uncommitted, ...): retried after the next Ready or tick.
    }
  }

  if (transfer_op_) {
    raft::NodeId leader = node_->leader();
    raft::NodeId target = transfer_op_->target;
    if (leader == target) {
      finish_transfer("");
    } else if (is_leader() && node_->transfer_target() != target) {
      finish_transfer("ERR leadership transfer to node " + std::to_string(target) +
                      " was abandoned: it did not take over within an election timeout");
    } else if (leader != raft::kNoNode && leader != self_) {
      finish_transfer("ERR node " + std::to_string(leader) + " became the leader instead of node " +
                      std::to_string(target));
    }
  }
}

void Replication::on_member_tick() {
  if (transfer_op_ && util::monotonic_us() / 1000 > transfer_op_->deadline_ms) {
    finish_transfer("ERR leadership transfer to node " + std::to_string(transfer_op_->target) +
                    " timed out");
  }
  check_member_work();
  if (!is_leader() || node_->transfer_target() != raft::kNoNode) return;
  for (raft::NodeId learner : node_->conf().learners) {
    const raft::Progress* pr = node_->progress(learner);
    if (pr == nullptr || pr->match == 0 || pr->match + kPromotionLag < node_->last_index()) {
      continue;
    }
    raft::Status status =
        node_->propose_conf_change(raft::ConfChange{raft::ConfChangeType::kAddVoter, learner});
    if (status == raft::Status::kOk) {
      spdlog::info("Promoting learner {} to voter (its log is at {} of {})", learner, pr->match,
                   node_->last_index());
    }
    break;  // one change at a time
  }
}

void Replication::answer_waiting(const std::weak_ptr<Client>& waiting, const std::string& error) {
  std::shared_ptr<Client> client = waiting.lock();
  if (!client || client->closing()) return;
  if (error.empty()) {
    client->out().ok();
  } else {
    client->out().error(error);
  }
  release(*client);
}

void Replication::finish_member_op(const std::string& error) {
  std::weak_ptr<Client> waiting = member_op_->client;
  member_op_.reset();
  answer_waiting(waiting, error);
}

void Replication::finish_transfer(const std::string& error) {
  if (error.empty()) {
    spdlog::info("Leadership transferred to node {} (term {})", transfer_op_->target,
                 node_->term());
  } else {
    spdlog::warn("Leadership transfer: {}", error);
  }
  std::weak_ptr<Client> waiting = transfer_op_->client;
  transfer_op_.reset();
  answer_waiting(waiting, error);
}

// ---- peers and the address table --------------------------------------------------------------

void Replication::setup_membership() {
  seen_conf_ = node_->conf();
  if (transport_) {
    if (auto self = address_of(self_)) transport_->advertised_address = address_text(*self);
    // Where clients must authenticate, peers must too (peer_transport.h); read live, so that
    // CONFIG SET masterauth applies to the next connections.
    transport_->credentials = [this] {
      const Config& c = server_.config();
      return peer_handshake::Credentials{!c.requirepass.empty() || !c.masterauth.empty(),
                                         c.masteruser, c.masterauth};
    };
    transport_->on_address = [this](raft::NodeId id, std::string_view text) {
      // Only fills a gap: addresses from cluster-addrs or the log are never overridden by what a
      // peer claims; a member added while this node was down is reachable before this node has
      // replayed the entry that names it (the leader can't give us the log otherwise).
      NodeAddress address;
      if (id == self_ || id == raft::kNoNode || members_.count(id) != 0 ||
          !parse_node_address(text, &address)) {
        return;
      }
      spdlog::info("Node {} is at {} (told by its connection)", id, text);
      members_[id] = PeerAddress{address.host, address.port};
      sync_peers();
    };
  }
  sync_peers();
}

void Replication::sync_peers() {
  if (!transport_) return;
  const raft::ConfState& conf = node_->conf();
  // A joining node has no configuration yet; it answers whoever cluster-addrs names (the leader
  // that adds it is among them). Everyone answers the leader, also one that is removing itself
  // (it leads until its removal commits, and a node only ever sends on its own connections).
  bool joining = conf.voters.empty() && conf.learners.empty();
  raft::NodeId leader = node_->leader();
  std::map<raft::NodeId, PeerAddress> peers;
  for (const auto& [id, address] : members_) {
    if (id != self_ && (joining || conf.contains(id) || id == leader)) peers[id] = address;
  }
  transport_->set_peers(peers);
}

void Replication::warn_if_cluster_addrs_contradict() {
  const Config& config = server_.config();
  if (!cluster_mode_ || config.raft_join) return;
  std::set<raft::NodeId> seeded, current;
  for (size_t i = 0; i < config.cluster_addrs.size(); ++i) seeded.insert(i);
  for (raft::NodeId id : member_ids()) current.insert(id);
  if (seeded == current) return;
  spdlog::warn(
      "cluster-addrs lists {} node(s) but the membership stored in this node's log is voters {}, "
      "learners {}: the log is authoritative (cluster-addrs only seeds the first start)",
      seeded.size(), ids_text(node_->conf().voters), ids_text(node_->conf().learners));
}

bool Replication::settle_cluster_id(const std::string& node_dir, std::string* error) {
  // The id is kept in the node's directory from the first start on, so that a later
  // cluster-addrs (which may list members added since) cannot change it by accident: peers of
  // different ids refuse each other.
  const std::string path = node_dir + "/cluster-id";
  std::string stored, read_error;
  bool missing = false;
  if (!raft::disk::read_whole_file(path, &stored, &read_error, &missing)) {
    if (!missing) {
      *error = read_error;
      return false;
    }
    return raft::disk::write_file_atomic(path, cluster_id_ + "\n", error);
  }
  while (!stored.empty() && (stored.back() == '\n' || stored.back() == '\r')) stored.pop_back();
  if (stored.empty() || stored.size() > 64 ||
      stored.find_first_of(" \t\r\n") != std::string::npos) {
    *error = "Malformed cluster id in " + path;
    return false;
  }
  if (stored != cluster_id_) {
    spdlog::warn(
        "This node belongs to cluster {} (stored in {}), the configuration says {} ({}): the "
        "stored id is kept",
        stored, path, cluster_id_,
        server_.config().raft_cluster_id.empty() ? "a hash of cluster-addrs" : "raft-cluster-id");
    cluster_id_ = stored;
  }
  return true;
}

std::string Replication::encode_members() const {
  std::string s;
  for (const auto& [id, address] : members_) {
    if (!s.empty()) s += ' ';
    s += std::to_string(id) + "=" + address_text(address);
  }
  return s;
}

bool Replication::decode_members(std::string_view text) {
  std::map<raft::NodeId, PeerAddress> table;
  while (!text.empty()) {
    size_t space = text.find(' ');
    std::string_view item = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    uint64_t id;
    NodeAddress address;
    if (eq == std::string_view::npos || !util::parse_uint64(item.substr(0, eq), &id) ||
        id == raft::kNoNode || !parse_node_address(item.substr(eq + 1), &address)) {
      return false;
    }
    table[id] = PeerAddress{address.host, address.port};
  }
  members_ = std::move(table);
  sync_peers();
  return true;
}

}  // namespace zakros::server
