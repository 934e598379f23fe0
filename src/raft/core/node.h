// Node: one member of a Raft group, as a pure state machine (etcd's raft design).
//
// The core performs no I/O, reads no clock, starts no thread and holds no global state. The
// caller drives it:
//
//   step(message)    a message from a peer arrived
//   tick()           a unit of time passed (elections and heartbeats are counted in ticks)
//   propose(...)     the leader appends a command; propose_conf_change(), read_index() and
//                    transfer_leadership() likewise ask the leader for something
//   has_ready()/ready()/advance()
//                    collect what the core wants done, do it, report it done.
//
// Handling a Ready, in this order (the simulator and the server both follow it):
//   1. Send ready.messages at once: they depend on nothing unpersisted (the leader's appends may
//      leave before the leader's own write of the same entries completes, §10.2.1).
//   2. Persist: ready.snapshot (restore the state machine from it), ready.entries (overwriting
//      from entries.front().index), ready.hard_state. See storage.h persist().
//   3. Send ready.persist_messages (votes, acknowledgements: promises about durable state).
//   4. Apply ready.committed_entries in order (skip kNoop; kConfChange carries the new
//      ConfState, already in force in the core), then serve ready.read_states.
//   5. advance(ready).
// Several Readys may be in flight (taken but not yet advanced), e.g. while a log thread fsyncs;
// they must then be persisted and advanced in the order they were taken, and step()/tick()/
// propose() may be called in between. The leader counts its own log towards a commit quorum only
// up to what advance() reported durable.
//
// Roles:
//   follower       accepts appends from the leader of its term; campaigns after a randomized
//                  election timeout without hearing from a leader (if it is a voter).
//   pre-candidate  (PreVote, §9.6) asks whether it could win without changing any term; only a
//                  quorum of yes starts a real election, so a node that was partitioned away cannot
//                  disrupt a healthy leader by inflating terms.
//   candidate      incremented its term, voted for itself, asks for votes.
//   leader         appends a no-op at the start of its term, replicates, commits, serves reads.
//                  With CheckQuorum it steps down if a quorum was not heard from within an election
//                  timeout. A leader removed from the configuration steps down once the change is
//                  committed, handing leadership to the most up-to-date voter.
//
// Invariants the implementation relies on (the simulator checks the resulting properties after
// every step):
//   * term and vote are durable before any message that depends on them leaves;
//   * at most one vote per term; a vote only for a candidate whose log is at least as up-to-date;
//   * the leader never overwrites or deletes entries of its log (Leader Append-Only);
//   * an append is accepted only after the entry preceding it matches (Log Matching);
//   * commit moves only forward and only by counting durable replicas of an entry of the leader's
//     current term (§5.4.2, Figure 8): earlier entries are committed indirectly;
//   * a configuration takes effect as soon as its entry is in the log; at most one change is
//     uncommitted, and a leader proposes one only after committing an entry of its own term
//     (Ongaro's 2015 fix for single-server changes);
//   * a read is served at an index that was committed when it arrived, after a quorum confirmed
//     this node was still leader, and only once the leader committed an entry of its term.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "raft/core/config.h"
#include "raft/core/log.h"
#include "raft/core/messages.h"
#include "raft/core/progress.h"
#include "raft/core/storage.h"
#include "raft/core/types.h"

namespace zakros::raft {

// Everything the core wants the caller to do; see the handling order above.
struct Ready {
  std::optional<SoftState> soft_state;       // set when leader or role changed
  std::optional<HardState> hard_state;       // set when term, vote or commit changed
  std::shared_ptr<const Snapshot> snapshot;  // a snapshot received from the leader
  std::vector<Entry> entries;                // to append (may overwrite a suffix)
  std::vector<Message> messages;             // send now
  std::vector<Message> persist_messages;     // send only after the persist step
  std::vector<Entry> committed_entries;      // apply, in order
  std::vector<ReadState> read_states;        // serve after applying committed_entries

  bool must_persist() const { return snapshot || hard_state || !entries.empty(); }
};

class Node {
 public:
  // Starts from what the stores hold. Empty stores mean a first start with config.voters and
  // config.learners as the configuration.
  Node(Config config, const LogStore& log, const HardStateStore& hard_state,
       const SnapshotStore& snapshots);

  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  void tick();
  void step(const Message& m);

  // Leader only. On success `id` (if given) receives the entry's index and term.
  Status propose(std::string_view data, EntryId* id = nullptr);
  Status propose(Bytes data, EntryId* id = nullptr);
  // One single-server membership change (see the invariants above).
  Status propose_conf_change(const ConfChange& change, EntryId* id = nullptr);
  Status propose_membership_change(const ConfChange& change, EntryId* id = nullptr) {
    return propose_conf_change(change, id);
  }
  // Leader only: a linearizable read tagged `context`; answered through Ready::read_states. Reads
  // issued between two ready() calls share one heartbeat round. Pending reads are dropped when
  // the node stops being leader (Ready::soft_state tells the caller to fail them).
  Status read_index(std::uint64_t context);
  // Leader only: hand leadership to `to` (a voter) once its log is caught up; aborted after an
  // election timeout. Proposals are refused meanwhile.
  Status transfer_leadership(NodeId to);
  // A voter that is not the leader asks the leader of its term to transfer_leadership() to it
  // (Redis's CLUSTER FAILOVER sent to a replica). kNotLeader if no leader is known, kInvalid if
  // this node is not a voter; kOk means only that the request was sent: it is lost with its
  // message, and the leader ignores it while another transfer is under way.
  Status request_leadership();

  // The caller's state machine has been snapshotted at `index` (<= applied) into `data`; the core
  // drops its log up to there and sends this snapshot to followers that need older entries.
  // snapshot_meta(index) gives the metadata to store alongside the caller's data.
  void compact(Index index, Bytes data);
  SnapshotMeta snapshot_meta(Index index) const;

  // Transport feedback: a peer could not be reached / a snapshot transfer ended.
  void report_unreachable(NodeId peer);
  void report_snapshot(NodeId peer, bool ok);

  bool has_ready() const;
  Ready ready();
  void advance(const Ready& ready);

  // Inspection (tests, simulator, INFO/CLUSTER output).
  NodeId id() const { return id_; }
  Role role() const { return role_; }
  NodeId leader() const { return leader_; }
  Term term() const { return term_; }
  NodeId vote() const { return vote_; }
  Index commit_index() const { return commit_; }
  Index applied_index() const { return applied_; }
  Index last_index() const { return log_.last_index(); }
  Index stable_index() const { return log_.stable(); }
  Index first_index() const { return log_.first_index(); }
  const RaftLog& log() const { return log_; }
  std::optional<Term> term_at(Index i) const { return log_.term(i); }
  const ConfState& conf() const { return conf_; }
  const Progress* progress(NodeId peer) const;
  NodeId transfer_target() const { return transferee_; }
  // The newest snapshot (taken by compact() or received); null if none. What the caller stores.
  std::shared_ptr<const Snapshot> latest_snapshot() const { return snapshot_; }
  bool committed_in_term() const;

 private:
  // node.cc: roles, timers, dispatch, Ready.
  void become_follower(Term term, NodeId leader);
  void become_pre_candidate();
  void become_candidate();
  void become_leader();
  void reset(Term term);
  void reset_randomized_timeout();
  void tick_election();
  void tick_heartbeat();
  void send(Message m);
  bool promotable() const { return conf_.is_voter(id_); }
  std::size_t quorum() const { return conf_.voters.size() / 2 + 1; }
  void panic(const char* what) const;
  Progress* find_progress(NodeId peer);
  void flush();

  // election.cc
  void campaign(bool pre, bool transfer);
  void handle_vote_request(const Message& m);
  void handle_vote_response(const Message& m);
  bool lease_blocks_vote(const Message& m) const;

  // replication.cc
  Status append_entry(EntryType type, Bytes data, EntryId* id);
  bool maybe_send_append(Progress& pr, bool send_if_empty);
  void broadcast_append(bool send_if_empty);
  void broadcast_heartbeat();
  void send_heartbeat(const Progress& pr);
  void handle_append(const Message& m);
  void handle_append_response(const Message& m);
  void handle_heartbeat(const Message& m);
  void handle_heartbeat_response(const Message& m);
  bool maybe_commit();
  void commit_to(Index index);
  void on_self_durable();

  // read_index.cc
  void start_read_round();
  void confirm_reads();
  void drop_reads();

  // snapshot.cc
  bool send_snapshot(Progress& pr);
  void handle_snapshot(const Message& m);

  // membership.cc
  void on_log_changed(Index from);
  void sync_progress();
  void maybe_step_down_removed();
  void handle_timeout_now(const Message& m);
  void maybe_send_timeout_now(const Progress& pr);
  void abort_transfer() {
    transferee_ = kNoNode;
    transfer_elapsed_ = 0;
  }

  Config cfg_;
  NodeId id_;
  std::uint64_t rng_;

  // Persistent state (mirrored to the HardStateStore through Ready).
  Term term_ = 0;
  NodeId vote_ = kNoNode;
  Term durable_term_ = 0;  // newest term the caller reported durable (advance() or restart)
  Index commit_ = 0;
  RaftLog log_;

  // Apply bookkeeping: entries up to applying_ were handed out, up to applied_ advanced.
  Index applying_ = 0;
  Index applied_ = 0;

  Role role_ = Role::kFollower;
  NodeId leader_ = kNoNode;
  int election_elapsed_ = 0;
  int heartbeat_elapsed_ = 0;
  int randomized_timeout_ = 0;

  // Configuration: the snapshot's, then every configuration entry in the log after it. The newest
  // is in force (§4.1: a server uses the latest configuration in its log, committed or not).
  ConfState base_conf_;
  std::vector<std::pair<Index, ConfState>> conf_entries_;
  ConfState conf_;
  Index pending_removal_ = 0;  // leader: index of a configuration entry that removes it

  // Candidate: votes received this election (id, granted).
  std::vector<std::pair<NodeId, bool>> votes_;

  // Leader.
  std::vector<Progress> progress_;  // one per member, this node included
  Index term_start_ = 0;            // index of this term's first entry (the no-op)
  bool bcast_append_ = false;       // new entries to send at the next flush
  bool bcast_commit_ = false;       // commit advanced: tell followers even with no new entries
  NodeId transferee_ = kNoNode;
  int transfer_elapsed_ = 0;

  // ReadIndex (leader). Reads wait in `reads_` in arrival order; round 0 = not yet started.
  struct PendingRead {
    std::uint64_t context;
    Index index;
    std::uint64_t round;
  };
  std::deque<PendingRead> reads_;
  std::uint64_t read_round_ = 0;            // newest round started in this term
  std::vector<ReadState> confirmed_reads_;  // confirmed, waiting for applying_ >= index

  // Snapshots: the newest one (taken locally or received), sent to lagging followers.
  std::shared_ptr<const Snapshot> snapshot_;
  std::shared_ptr<const Snapshot> pending_snapshot_;  // received, to hand out in the next Ready

  // Outgoing messages and what was last handed out.
  std::vector<Message> msgs_;
  std::vector<Message> msgs_after_persist_;
  HardState handed_hs_;
  SoftState handed_ss_;
};

}  // namespace zakros::raft
