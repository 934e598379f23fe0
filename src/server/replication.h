// Replication: the glue between the dispatch gate, the Raft core (src/raft) and the keyspace.
// It turns client writes into log entries, applies committed entries to the keyspace on every
// node, serves linearizable reads through ReadIndex and answers redirects (design.md, "Reads and
// redirects" and "Determinism").
//
// Write path (leader): the gate hands a write to route(); it is encoded as a ReplicatedEntry
// (argv + the leader's `now` and `seed` + db + protocol), proposed, and the client waits (its
// further pipelined requests stay in its buffer, so replies keep their order). When the entry
// is committed, every node applies it with the same code; on the proposing node the reply of
// that application goes to the client. If leadership is lost before the outcome is known, the
// client gets -UNCERTAIN: the write may or may not have happened. MOVED, CLUSTERDOWN and
// TRYAGAIN are only ever answered for commands that were not proposed.
//
// Read path (leader): a read asks the core for a ReadIndex (reads arriving in one event-loop turn
// share one heartbeat round); once confirmed and applied up to that index it executes locally.
// Reads wait until the leader has committed an entry of its own term.
//
// Followers answer -MOVED <slot> <leader host:port> (slot of the first key; 0 for keyless
// commands) or -CLUSTERDOWN while no leader is known; after READONLY a client reads locally
// (possibly stale). Commands that are neither writes nor key reads (PING, CLIENT, CONFIG, INFO,
// pub/sub ...) run locally on any node.
//
// Driving the core: one timer ticks it (raft-heartbeat-interval ms per tick); after any input
// (message, tick, proposal) a drive is posted once per event-loop turn, which handles every
// Ready in node.h's order. Persistence is synchronous inside the drive: all proposals of one
// event-loop turn share one write and one fsync (group commit).
//
// Membership (membership.cc, raft_commands.cc): the configuration (voters, learners) is the
// core's and lives in the log; members_ maps every member id to its address, seeded by
// cluster-addrs and extended by replicated kMembers entries, so it is rebuilt by replaying the
// log. The peer transport follows the configuration in force. RAFT.NODE ADD/REMOVE and
// RAFT.TRANSFER_LEADER run on the leader; a node started with raft-join begins with an empty
// configuration and waits to be added.
//
// Only the event-loop thread touches this.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/command.h"
#include "raft/node.h"
#include "server/peer_transport.h"
#include "server/replicated_entry.h"

namespace zakros::server {

class Client;
class Server;
struct QueuedCommand;

class Replication {
 public:
  explicit Replication(Server& server);
  ~Replication();

  // Opens the node's storage under dir/node-<id>/ (or memory), builds the core and starts
  // ticking and connecting to peers. False with a message if the storage cannot be used.
  bool start(std::string* error);

  // ---- the dispatch gate ----
  // Handles `spec` if it is replicated work (a write, or a key read); true if it took the
  // command (the reply comes later, or a redirect error was written). False: run it locally.
  bool route(Client& client, const commands::CommandSpec& spec, const commands::CommandSpec* parent,
             std::span<const std::string_view> argv, int db);
  // EXEC of a clean transaction: proposes the queue as one entry with the client's WATCHes.
  // Writes the reply (later) itself. `watch_index` is the applied index up to which the client's
  // watched keys are known unmodified.
  void propose_transaction(Client& client, std::vector<QueuedCommand> queue, int db,
                           std::vector<std::pair<int32_t, std::string>> watched);

  // A blocked client was woken (blocking.h): its command goes through the log again, keeping
  // `deadline_ms` if it has to block once more.
  void repropose_blocked(Client& client, std::vector<std::string> argv, int db, int64_t deadline_ms,
                         std::string_view woken_key);

  // ---- peers ----
  void adopt_peer(asio::ip::tcp::socket socket, std::string received);

  // ---- key modification record for WATCH at apply time ----
  // Called for every key a command changes (Server::key_modified).
  void on_key_modified(int db, std::string_view key);
  void on_database_modified(int db);

  // Whether `spec` may be proposed while the client still has writes in flight: a plain write
  // (not blocking). Anything else waits for them (see Client::pending_writes).
  static bool pipelinable(const commands::CommandSpec& spec) {
    return spec.has(commands::kWrite) && !spec.has(commands::kBlocking);
  }

  // ---- membership and leadership (membership.cc; RAFT.NODE, RAFT.TRANSFER_LEADER) ----
  // Each starts a change on the leader for `client`, which waits (awaiting_raft) for the reply
  // written later: +OK or an error. The caller has checked that this node is the leader.
  //
  // add_node: proposes a kMembers entry with the address, then (once it is applied here) the
  // configuration change that makes `id` a learner; answers +OK once that change is committed.
  // The learner is promoted to voter automatically (on the leader's tick) once its log is within
  // kPromotionLag entries of the leader's, so a slow joiner never weakens the quorum.
  void add_node(Client& client, raft::NodeId id, PeerAddress address);
  // remove_node: proposes the removal; answers +OK once it is committed. Removing the leader
  // itself makes it hand leadership to the most up-to-date voter once the change commits.
  void remove_node(Client& client, raft::NodeId id);
  // transfer_leader: asks the core to hand leadership to `to` (kNoNode: the most caught-up other
  // voter); answers +OK once `to` is known to lead, an error if the transfer is abandoned.
  void transfer_leader(Client& client, raft::NodeId to);
  // The error for a request that cannot start now, or empty if it can (checked by the command
  // handlers before they parse further): a change or transfer is already running.
  std::string membership_busy() const;

  // The member address table (id -> host:port, every address ever replicated or seeded by
  // cluster-addrs, removed members included) as one line of text, "0=h0:p0 1=h1:p1 3=[::1]:p3",
  // for a snapshot's aux field. decode_members() replaces the table with one read back (false
  // if malformed: the table is then unchanged) and updates the peer connections.
  std::string encode_members() const;
  bool decode_members(std::string_view text);

  // ---- introspection ----
  const raft::Node& node() const { return *node_; }
  bool is_leader() const { return node_ && node_->role() == raft::Role::kLeader; }
  bool cluster_mode() const { return cluster_mode_; }
  raft::NodeId self() const { return self_; }
  // host:port of a member (its client address), if known.
  std::optional<PeerAddress> address_of(raft::NodeId id) const;
  std::string node_name(raft::NodeId id) const;  // 40 hex characters, stable per member
  const std::string& cluster_id() const { return cluster_id_; }
  // Voters then learners of the configuration in force (this node's view).
  std::vector<raft::NodeId> member_ids() const;
  // INFO raft section lines ("name:value\r\n").
  std::string info_section() const;
  // The error a non-leader answers for a command routed to the leader.
  std::string redirect_error(std::span<const std::string_view> argv,
                             const commands::CommandSpec& spec) const;

 private:
  struct PendingWrite {
    std::weak_ptr<Client> client;
    raft::Term term = 0;
    // A blocked command proposed again after a wake-up keeps its first deadline (0 = none).
    int64_t block_deadline_ms = 0;
    // The client waits for this entry alone (awaiting_raft), rather than counting it among its
    // pipelined writes (pending_writes).
    bool exclusive = false;
  };
  struct PendingRead {
    std::weak_ptr<Client> client;
    const commands::CommandSpec* spec = nullptr;
    const commands::CommandSpec* parent = nullptr;
    std::vector<std::string> argv;
    int db = 0;
  };

  void propose(Client& client, ReplicatedEntry entry, bool exclusive);
  void read(Client& client, const commands::CommandSpec& spec, const commands::CommandSpec* parent,
            std::span<const std::string_view> argv, int db);
  void retry_deferred_reads();
  void schedule_drive();
  void drive();
  void on_tick();
  void apply(const raft::Entry& entry);
  // Returns true when the command blocked its client (blocking.h) instead of replying.
  bool apply_entry(const ReplicatedEntry& e, raft::Index index, Client* client,
                   const PendingWrite* pending);
  void serve_read(uint64_t context);
  void on_role_change(const raft::SoftState& soft);
  // Ends a waiting client's wait: flushes what was written for it and resumes its input.
  void release(Client& client);
  int64_t next_now();

  // membership.cc: hooks called from the drive loop and apply.
  void apply_members(const ReplicatedEntry& e);  // a kMembers entry
  void on_conf_applied(const raft::Entry& entry);
  void after_ready();        // after each Ready: configuration changes, pending membership work
  void on_member_tick();     // leader: promote caught-up learners, retry, time out a transfer
  void check_member_work();  // moves the pending RAFT.NODE / transfer on (or answers it)
  void sync_peers();         // transport peers = members with a known address
  // At start: the transport advertises this node's address and learns unknown peers' ones.
  void setup_membership();
  void warn_if_cluster_addrs_contradict();
  // Disk storage: the cluster id stored in node_dir/cluster-id wins over the configured one
  // (stored there at the first start). False with *error if the file can't be read or written.
  bool settle_cluster_id(const std::string& node_dir, std::string* error);
  void finish_member_op(const std::string& error);  // empty = +OK
  void finish_transfer(const std::string& error);

  // A RAFT.NODE request the leader is working on (at most one at a time).
  struct MemberOp {
    enum class Step : uint8_t { kAddress, kLearner, kRemove };
    Step step = Step::kAddress;
    raft::NodeId node = raft::kNoNode;
    PeerAddress address;
    std::weak_ptr<Client> client;
    raft::EntryId entry;           // the entry whose application moves the request on
    bool address_applied = false;  // kAddress: time to propose the learner
    bool leadership_lost = false;
  };
  struct TransferOp {
    raft::NodeId target = raft::kNoNode;
    std::weak_ptr<Client> client;
    int64_t deadline_ms = 0;
  };
  std::optional<MemberOp> member_op_;
  std::optional<TransferOp> transfer_op_;
  raft::ConfState seen_conf_;  // the configuration the transport and log lines last followed
  raft::NodeId seen_leader_ = raft::kNoNode;  // the leader the transport last followed
  int election_timeout_ms_ = 1000;
  Server& server_;
  bool cluster_mode_ = false;
  bool stale_reads_ = false;  // raft-test-break (config.h)
  bool early_ack_ = false;
  raft::NodeId self_ = 0;
  std::string cluster_id_;
  std::map<raft::NodeId, PeerAddress> members_;
  std::unique_ptr<raft::LogStore> log_;
  std::unique_ptr<raft::HardStateStore> hard_state_;
  std::unique_ptr<raft::SnapshotStore> snapshots_;
  std::unique_ptr<raft::Node> node_;
  std::unique_ptr<PeerTransport> transport_;
  asio::steady_timer tick_timer_;
  int tick_ms_ = 100;
  bool drive_posted_ = false;
  bool driving_ = false;
  raft::SoftState soft_;

  std::map<raft::Index, PendingWrite> pending_writes_;
  std::unordered_map<uint64_t, PendingRead> pending_reads_;
  std::deque<uint64_t> deferred_reads_;  // waiting for the leader's first commit in its term
  uint64_t next_read_context_ = 1;
  int64_t last_now_ms_ = 0;  // `now` of the newest entry proposed or applied (clock clamp)
  uint64_t seed_state_ = 0;

  // WATCH at apply time: for recently applied entries, the keys they modified. An EXEC entry
  // aborts if a watched key was modified after its watch_index; if watch_index is older than
  // this record reaches back, it aborts too (the same way on every node).
  raft::Index applying_index_ = 0;
  std::unordered_map<std::string, raft::Index> modified_at_;  // "db\0key" -> index
  std::deque<std::pair<raft::Index, std::string>> modified_order_;
  std::unordered_map<int, raft::Index> db_modified_at_;  // -1 = all databases
  raft::Index record_start_ = 0;  // the record covers modifications at indexes > this

  uint64_t elections_seen_ = 0;
};

}  // namespace zakros::server
