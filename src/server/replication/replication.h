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
// In a cluster PUBLISH and SPUBLISH are proposed like writes: every node applies them, so a
// message reaches the subscribers of every node.
//
// Followers answer -MOVED <slot> <leader host:port> (slot of the first key; 0 for keyless
// commands) or -CLUSTERDOWN while no leader is known; after READONLY a client reads locally
// (possibly stale). Commands that are neither writes nor key reads (PING, CLIENT, CONFIG, INFO,
// pub/sub ...) run locally on any node.
//
// Driving the core: one timer ticks it (raft-heartbeat-interval ms per tick); after any input
// (message, tick, proposal) a drive is posted once per event-loop turn, which handles every
// Ready in node.h's order. With raft-storage disk the log thread persists (replication_persist.cc):
// whatever the Readys ask while it fsyncs one batch becomes its next batch (group commit), and
// only the steps that promise durable state wait for it.
//
// Snapshots (replication_snapshot.cc): once the entries applied since the last snapshot pass
// raft-log-max-bytes, the node snapshots its keyspace at the applied index in a fork() child
// (Snapshotter); the log thread installs the file in the DiskSnapshotStore
// (dir/node-<id>/snapshots) and drops the log up to there (DiskLogStore::compact deletes whole
// segments); a helper thread reads it back and the payload goes to the core (Node::compact). The
// file carries the WATCH modification record, so a node started from it decides later EXECs exactly
// as the others. A snapshot received from the leader (InstallSnapshot) is persisted like any Ready
// and replaces the keyspace. At start the newest snapshot is loaded and only the log after it is
// replayed. With raft-storage memory, snapshots are written in memory on the event-loop thread (no
// fork, nothing on disk) and kept in a MemorySnapshotStore.
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
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/command.h"
#include "raft/core/node.h"
#include "raft/transport/peer_transport.h"
#include "server/replication/replicated_entry.h"
#include "store/rdb.h"

namespace zakros::raft {
class DiskHardStateStore;
class DiskLogStore;
class DiskLogWriter;
class DiskSnapshotStore;
}  // namespace zakros::raft

namespace zakros::server {

class Client;
class Server;
struct QueuedCommand;

// The WATCH record's name for a key of a database: a 64-bit hash of both. A collision can only
// make an EXEC abort, on every node alike, with a chance of about 1e-14 per watched key against
// a full record (100,000 ids, 2^-64 per pair). Stable: snapshots carry these ids.
uint64_t modification_id(int db, std::string_view key);

// The disk stores' fatal handler (an I/O error after which nothing can be acknowledged any more):
// logs `what` and aborts.
[[noreturn]] void raft_storage_failure(const std::string& what);

class Replication {
  // tests/unit/server/replica_digest_test.cc applies entries and snapshots as a follower does.
  friend class ReplicationTestPeer;

 public:
  explicit Replication(Server& server);
  ~Replication();

  // Opens the node's storage under dir/node-<id>/ (or memory), builds the core and starts
  // ticking and connecting to peers. False with a message if the storage cannot be used.
  bool start(std::string* error);

  // ---- the dispatch gate ----
  // What route() did with a command.
  enum class Route : uint8_t {
    kLocal,  // not replicated work: the gate runs it locally
    kTaken,  // proposed or sent for a ReadIndex (the reply comes later), or a redirect written
    // It could only be answered with an error now (not the leader, proposal refused), but the
    // client still waits for replies of earlier commands: nothing was written, and the gate
    // keeps the command in the client's buffer until those are answered, so replies keep
    // their order.
    kHold,
  };
  // Handles `spec` if it is replicated work (a write, or a key read).
  Route route(Client& client, const commands::CommandSpec& spec,
              const commands::CommandSpec* parent, std::span<const std::string_view> argv, int db);
  // EXEC of a clean transaction: proposes the queue as one entry with the client's WATCHes.
  // Writes the reply (later) itself. `watch_index` is the applied index up to which the client's
  // watched keys are known unmodified.
  void propose_transaction(Client& client, std::vector<QueuedCommand> queue, int db,
                           std::vector<std::pair<int32_t, std::string>> watched);

  // A blocked client was woken (blocking.h): its command goes through the log again, keeping
  // `deadline_ms` if it has to block once more.
  void repropose_blocked(Client& client, std::vector<std::string> argv, int db, int64_t deadline_ms,
                         std::string_view woken_key);

  // Active expiry (design.md, "Expiry"), called from the server's cron in Raft mode instead of
  // deleting locally: the leader samples keys with a TTL and proposes the deletion of those that
  // are expired (a kExpire entry); every node deletes them when it applies the entry, if they are
  // still expired at the entry's `now`. Followers do nothing. One such entry is in flight at a
  // time.
  void active_expire();

  // ---- peers ----
  void adopt_peer(asio::ip::tcp::socket socket, std::string received);

  // ---- key modification record for WATCH at apply time ----
  // Called for every key a command changes (Server::key_modified).
  void on_key_modified(int db, std::string_view key);
  void on_database_modified(int db);

  // Whether `spec` may be proposed while the client still has writes in flight: a plain write
  // (not blocking), or a plain read, which then goes through the log right behind them (see
  // route()). Anything else waits for them (see Client::pending_writes).
  static bool pipelinable(const commands::CommandSpec& spec) {
    return spec.has(commands::kWrite) ? !spec.has(commands::kBlocking) : pipelinable_read(spec);
  }
  // Whether `spec` may be sent for a ReadIndex while the client still has reads waiting: a
  // plain key read (Client::pending_reads). Reads are confirmed and served in arrival order.
  static bool pipelinable_read(const commands::CommandSpec& spec) {
    return spec.has(commands::kReadonly) && !spec.has(commands::kWrite) &&
           !spec.has(commands::kBlocking);
  }

  // ---- snapshots (replication_snapshot.cc) ----
  // SAVE: snapshots the applied state now, on this thread, and returns once it is durable and
  // the log is compacted. False with *error (Redis's text where Redis has one).
  bool save_snapshot(std::string* error);
  // BGSAVE: starts a snapshot in a fork child. False with *error if one is already running.
  bool background_snapshot(std::string* error);
  // DEBUG RELOAD: SAVE, then replace the keyspace with what the new snapshot holds.
  bool reload_from_snapshot(std::string* error);
  // Whether a background snapshot child is running (INFO rdb_bgsave_in_progress).
  bool snapshot_in_progress() const;

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
  // CLUSTER FAILOVER on this node: asks the leader to hand it leadership. Empty when asked, else
  // the error to answer.
  std::string request_failover();

  // The member address table (id -> host:port, every address ever replicated or seeded by
  // cluster-addrs, removed members included) as one line of text, "0=h0:p0 1=h1:p1 3=[::1]:p3",
  // for a snapshot's aux field. decode_members() replaces the table with one read back (false
  // if malformed: the table is then unchanged) and updates the peer connections.
  std::string encode_members() const;
  bool decode_members(std::string_view text);

  // ---- introspection ----
  const raft::Node& node() const { return *node_; }
  // The index the keyspace reflects (outside a drive, every entry handed out is applied). The
  // core's applied_index() may lag behind it while Readys wait for the log thread's fsync.
  raft::Index applied_index() const { return applying_index_; }
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
    // Proposed under CLIENT REPLY OFF or SKIP: its reply (or error) is dropped.
    bool silenced = false;
  };
  struct PendingRead {
    std::weak_ptr<Client> client;
    const commands::CommandSpec* spec = nullptr;
    const commands::CommandSpec* parent = nullptr;
    std::vector<std::string> argv;
    int db = 0;
    bool pipelined = false;  // counted in Client::pending_reads (else awaiting_raft)
    bool silenced = false;   // sent under CLIENT REPLY OFF or SKIP: the reply is dropped
  };

  // Stamps and proposes `entry` for `client`, which then waits for its application. If the core
  // refuses it, answers the error (kTaken) or, when the client still waits for earlier replies,
  // writes nothing (kHold).
  Route propose(Client& client, ReplicatedEntry& entry, bool exclusive);
  // Stamps `entry` with the leader's `now` and a seed and proposes it; the core's status.
  raft::Status propose_entry(ReplicatedEntry& entry, raft::EntryId* id);
  // Proposes the deletion of `keys` of `db` if still expired when applied (a kExpire entry);
  // expire_in_flight_ then covers it. False if not proposed.
  bool propose_expire(int db, std::vector<std::string> keys);
  // Sends a read for a ReadIndex round; kTaken or kHold as propose().
  Route read(Client& client, const commands::CommandSpec& spec, const commands::CommandSpec* parent,
             std::span<const std::string_view> argv, int db);
  void retry_deferred_reads();
  void schedule_drive();
  void drive();
  // Persistence (replication_persist.cc): the persist step of a Ready, then its durable step
  // (persist_messages, advance) once its ticket is durable. Tickets are the log thread's.
  void start_log_thread(raft::DiskLogStore* log, raft::DiskHardStateStore* hard_state);
  uint64_t submit_persist(raft::Ready& ready);
  void finish_ready(raft::Ready ready, uint64_t ticket);
  void finish_durable_readys();
  // Blocks until everything submitted is durable and finishes those Readys (SAVE, compaction).
  void wait_until_durable();
  void log_info(std::string& s) const;
  void on_tick();
  void apply(const raft::Entry& entry);
  // Returns true when the command blocked its client (blocking.h) instead of replying.
  bool apply_entry(const ReplicatedEntry& e, raft::Index index, Client* client,
                   const PendingWrite* pending);
  void serve_read(uint64_t context);
  // Serves a confirmed read, or (false) holds it back because it first proposed the deletion of
  // keys it would find expired (expire_before_read); then it is served once that is applied.
  bool serve_read_now(uint64_t context);
  // serve_read_now() once no woken blocked command is in flight (see the .cc); false with the
  // index to wait for. `hops`: how many times this read already waited.
  bool try_serve_read(uint64_t context, int hops, raft::Index* after);
  bool expire_before_read(const PendingRead& r, std::span<const std::string_view> argv,
                          int64_t now);
  void serve_held_reads();
  void on_role_change(const raft::SoftState& soft);
  // Ends a waiting client's wait: flushes what was written for it and resumes its input.
  void release(Client& client);
  int64_t next_now();

  // Snapshots (replication_snapshot.cc).
  bool open_snapshots(const std::string& node_dir, std::string* error);
  bool load_snapshot_at_start(raft::Index* applied, std::string* error);
  void maybe_snapshot();  // after every drive: the log passed raft-log-max-bytes?
  bool take_snapshot(bool background, std::string* error);
  store::rdb::AuxFields snapshot_aux(const raft::SnapshotMeta& meta) const;
  bool finish_snapshot(const raft::SnapshotMeta& meta, const std::string& payload_path,
                       uint64_t covered_bytes, bool background, std::string* error);
  // The log thread installed (ok) or failed to install a snapshot (raft-storage disk).
  void on_snapshot_installed(const raft::SnapshotMeta& meta, bool ok);
  // Reads the installed snapshot back on a helper thread, then compact_to() on the loop.
  void read_back_snapshot(const raft::SnapshotMeta& meta, uint64_t covered_bytes,
                          int64_t install_ms);
  void compact_to(const raft::SnapshotMeta& meta, raft::Bytes data, uint64_t covered_bytes,
                  int64_t install_ms, int64_t read_ms);
  void install_received_snapshot(const raft::Snapshot& snapshot);
  bool restore_bookkeeping(raft::Index index, const store::rdb::AuxFields& aux);
  void on_snapshot_sent(raft::NodeId peer, bool ok);
  std::string snapshot_info() const;

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
  // Answers the client a RAFT.NODE request or a transfer kept waiting (empty error = +OK) and
  // lets it go on, unless it has gone.
  void answer_waiting(const std::weak_ptr<Client>& waiting, const std::string& error);
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
  // The client waits for `entry` (proposed by `step`) to move its request on.
  void start_member_op(Client& client, MemberOp::Step step, raft::NodeId node, raft::EntryId entry,
                       PeerAddress address);
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
  ReplicatedEntry applied_entry_;   // apply()'s decoding of the entry being applied
  ReplicatedEntry proposed_entry_;  // route()'s write being proposed
  // By context, which is the order of arrival: errors after a lost leadership keep each client's
  // replies in order.
  std::map<uint64_t, PendingRead> pending_reads_;
  std::deque<uint64_t> deferred_reads_;  // waiting for the leader's first commit in its term
  // Confirmed reads held back, in order, until the applied index reaches `after` (the kExpire
  // entry a read proposed; 0 = only behind an earlier held read).
  struct HeldRead {
    uint64_t context;
    raft::Index after;
    int hops;  // times it waited already
  };
  std::deque<HeldRead> held_reads_;
  uint64_t next_read_context_ = 1;
  int64_t last_now_ms_ = 0;  // `now` of the newest entry proposed or applied (clock clamp)
  uint64_t seed_state_ = 0;

  // WATCH at apply time: for recently applied entries, the keys they modified. An EXEC entry
  // aborts if a watched key was modified after its watch_index; if watch_index is older than
  // this record reaches back, it aborts too (the same way on every node).
  raft::Index applying_index_ = 0;
  // (index, modification_id) per key modification, oldest first. An EXEC looks only at the
  // modifications after its watch_index, scanning back from the newest: those are the entries
  // that were in flight when it was proposed, usually a handful, so no index by key is kept
  // (keeping one cost a hash-map update per write).
  std::deque<std::pair<raft::Index, uint64_t>> modified_order_;
  std::unordered_map<int, raft::Index> db_modified_at_;  // -1 = all databases
  raft::Index record_start_ = 0;  // the record covers modifications at indexes > this

  uint64_t elections_seen_ = 0;  // won by this node
  uint64_t leader_changes_ = 0;  // a (new) leader became known
  // raft-storage memory: persisted Readys and their duration, for INFO raft (the log thread
  // counts its own with raft-storage disk).
  uint64_t persists_ = 0;
  uint64_t persist_us_total_ = 0;
  int64_t last_persist_us_ = 0;

  // Active expiry: the index of the kExpire entry in flight (0 = none), the next database.
  raft::Index expire_in_flight_ = 0;
  // The newest entry proposed for a woken blocked client (repropose_blocked); reads wait for it.
  raft::Index wake_index_ = 0;
  int expire_next_db_ = 0;

  // Snapshots. disk_log_/disk_snapshots_ alias log_/snapshots_ with raft-storage disk.
  raft::DiskLogStore* disk_log_ = nullptr;
  raft::DiskSnapshotStore* disk_snapshots_ = nullptr;
  uint64_t applied_bytes_ = 0;           // log bytes applied since the newest snapshot's index
  raft::Index snapshotting_index_ = 0;   // a background snapshot of this index is being written
  int64_t snapshot_time_ms_ = 0;         // when the newest snapshot was taken or received
  int64_t snapshot_retry_after_ms_ = 0;  // no automatic snapshot before (after a failure)
  uint64_t snapshots_taken_ = 0;
  uint64_t snapshots_received_ = 0;
  uint64_t snapshots_sent_ = 0;
  // A background snapshot handed to the log thread for installation (on_snapshot_installed).
  struct InstallingSnapshot {
    raft::SnapshotMeta meta;
    uint64_t covered_bytes = 0;
    int64_t start_us = 0;
  };
  std::optional<InstallingSnapshot> installing_;

  // The log thread (raft-storage disk). Readys taken but not yet durable, in order: each waits
  // for its ticket (a Ready that persists nothing waits for the one before it, last_ticket_).
  struct InflightReady {
    uint64_t ticket;
    raft::Ready ready;
  };
  std::deque<InflightReady> inflight_;
  uint64_t last_ticket_ = 0;
  std::atomic<bool> durable_posted_{false};  // a wake-up of the loop is queued (log thread)
  // Reads an installed snapshot back for the core off the event-loop thread (it only reads the
  // file and posts the result to the loop). Destroyed (joined) before the stores.
  std::future<void> snapshot_reader_;
  // Declared after the stores it writes: stopped (its queue finished) before they close.
  std::unique_ptr<raft::DiskLogWriter> writer_;
};

}  // namespace zakros::server
