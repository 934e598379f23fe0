// Node: construction, roles and timers, message dispatch, and the Ready/advance protocol.
// Elections, replication, reads, snapshots and membership live in their own files.
#include "raft/core/node.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace zakros::raft {

namespace {

// splitmix64: tiny, seedable, good enough for election jitter, and no global state.
std::uint64_t next_random(std::uint64_t* state) {
  std::uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Node::Node(Config config, const LogStore& log, const HardStateStore& hard_state,
           const SnapshotStore& snapshots)
    : cfg_(std::move(config)), id_(cfg_.id), rng_(cfg_.seed ^ (cfg_.id * 0x2545f4914f6cdd1dULL)) {
  if (cfg_.election_ticks < 2) cfg_.election_ticks = 2;
  if (cfg_.heartbeat_ticks < 1) cfg_.heartbeat_ticks = 1;
  if (cfg_.max_inflight_msgs < 1) cfg_.max_inflight_msgs = 1;
  if (cfg_.broken == Broken::kNoPreVote) cfg_.pre_vote = false;
  if (cfg_.broken == Broken::kNoCheckQuorum) cfg_.check_quorum = false;

  const HardState hs = hard_state.load();
  snapshot_ = snapshots.load();
  Index snap_index = 0;
  Term snap_term = 0;
  if (snapshot_) {
    snap_index = snapshot_->meta.index;
    snap_term = snapshot_->meta.term;
    base_conf_ = snapshot_->meta.conf;
  } else {
    // First start (or a restart that never snapshotted): the bootstrap configuration. Every
    // member of a new cluster is started with the same one; later changes are log entries.
    base_conf_.voters = cfg_.voters;
    base_conf_.learners = cfg_.learners;
  }
  base_conf_.normalize();
  std::vector<Entry> entries;
  if (log.last_index() >= log.first_index()) {
    const Index lo = std::max(log.first_index(), snap_index + 1);
    if (lo <= log.last_index()) log.read(lo, log.last_index(), &entries);
  }
  // The stored log must continue the snapshot without a gap, in order (storage.h's contract).
  for (std::size_t k = 0; k < entries.size(); ++k) {
    if (entries[k].index != snap_index + 1 + k) panic("stored log does not continue the snapshot");
  }
  log_.restore(snap_index, snap_term, std::move(entries));
  term_ = durable_term_ = hs.term;
  vote_ = hs.vote;
  commit_ = std::clamp(hs.commit, snap_index, log_.last_index());
  applied_ = applying_ = std::clamp(cfg_.applied, snap_index, commit_);
  handed_hs_ = HardState{term_, vote_, commit_};
  on_log_changed(log_.first_index());
  become_follower(term_, kNoNode);
  handed_ss_ = SoftState{leader_, role_};
}

void Node::panic(const char* what) const {
  if (cfg_.panic) cfg_.panic(what);
  std::fprintf(stderr, "raft node %llu: invariant broken: %s\n",
               static_cast<unsigned long long>(id_), what);
  std::abort();
}

Progress* Node::find_progress(NodeId peer) {
  for (auto& pr : progress_) {
    if (pr.id == peer) return &pr;
  }
  return nullptr;
}

const Progress* Node::progress(NodeId peer) const {
  for (const auto& pr : progress_) {
    if (pr.id == peer) return &pr;
  }
  return nullptr;
}

bool Node::committed_in_term() const {
  return role_ == Role::kLeader && commit_ >= term_start_ && log_.matches(commit_, term_);
}

// ---- roles ----------------------------------------------------------------------------------

void Node::reset(Term term) {
  if (term_ != term) {
    term_ = term;
    vote_ = kNoNode;
  }
  leader_ = kNoNode;
  election_elapsed_ = 0;
  heartbeat_elapsed_ = 0;
  reset_randomized_timeout();
  abort_transfer();
  votes_.clear();
  progress_.clear();
  pending_removal_ = 0;
  bcast_append_ = bcast_commit_ = false;
  drop_reads();
}

void Node::reset_randomized_timeout() {
  randomized_timeout_ =
      cfg_.election_ticks + static_cast<int>(next_random(&rng_) % cfg_.election_ticks);
}

void Node::become_follower(Term term, NodeId leader) {
  reset(term);
  role_ = Role::kFollower;
  leader_ = leader;
}

void Node::become_pre_candidate() {
  // PreVote changes neither term nor vote: a failed pre-election leaves no trace.
  votes_.clear();
  progress_.clear();
  drop_reads();
  abort_transfer();
  leader_ = kNoNode;
  role_ = Role::kPreCandidate;
}

void Node::become_candidate() {
  reset(term_ + 1);
  vote_ = id_;
  role_ = Role::kCandidate;
}

void Node::become_leader() {
  reset(term_);
  role_ = Role::kLeader;
  leader_ = id_;
  sync_progress();
  for (auto& pr : progress_) {
    // Everyone is presumed active for the first CheckQuorum round.
    pr.recent_active = true;
  }
  term_start_ = log_.last_index() + 1;
  if (cfg_.broken != Broken::kSkipNoop) {
    // The no-op commits everything before it (an earlier term's entries are committed only
    // indirectly) and lets reads start as soon as it is committed.
    append_entry(EntryType::kNoop, Bytes(), nullptr);
  }
  bcast_append_ = true;
}

// ---- timers ---------------------------------------------------------------------------------

void Node::tick() {
  if (role_ == Role::kLeader) {
    tick_heartbeat();
  } else {
    tick_election();
  }
}

void Node::tick_election() {
  ++election_elapsed_;
  if (promotable() && election_elapsed_ >= randomized_timeout_) {
    election_elapsed_ = 0;
    campaign(cfg_.pre_vote, false);
  }
}

void Node::tick_heartbeat() {
  ++heartbeat_elapsed_;
  ++election_elapsed_;
  if (election_elapsed_ >= cfg_.election_ticks) {
    election_elapsed_ = 0;
    if (cfg_.check_quorum) {
      std::size_t active = 0;
      for (auto& pr : progress_) {
        if (conf_.is_voter(pr.id) && (pr.id == id_ || pr.recent_active)) ++active;
        pr.recent_active = false;
      }
      if (active < quorum()) {
        become_follower(term_, kNoNode);
        return;
      }
    }
    // A transfer that did not complete within an election timeout is abandoned.
    abort_transfer();
  }
  if (transferee_ != kNoNode) ++transfer_elapsed_;

  for (auto& pr : progress_) {
    if (pr.state == ProgressState::kSnapshot && ++pr.snapshot_ticks > 2 * cfg_.election_ticks) {
      // The snapshot (or its acknowledgement) was lost; probe again, which resends it if needed.
      pr.become_probe();
    }
  }
  if (heartbeat_elapsed_ >= cfg_.heartbeat_ticks) {
    heartbeat_elapsed_ = 0;
    broadcast_heartbeat();
  }
}

// ---- messages -------------------------------------------------------------------------------

void Node::send(Message m) {
  m.from = id_;
  if (m.term == 0) m.term = term_;
  bool immediate = false;
  switch (m.type) {
    case MessageType::kAppend:
    case MessageType::kHeartbeat:
    case MessageType::kSnapshot:
    case MessageType::kTimeoutNow:
      // The leader's traffic promises nothing about its own log (it counts itself only once its
      // log is durable) but it does rely on its term being durable: otherwise a crash could bring
      // it back in an older term to lead the same term again with different entries. With several
      // voters that is always so (its vote requests waited for it); a single voter wins at once
      // and must wait for its first write.
      immediate = durable_term_ >= m.term;
      break;
    case MessageType::kPreVote:
    case MessageType::kPreVoteResponse:
      // PreVote changes no state.
      immediate = true;
      break;
    case MessageType::kTransferLeader:
      // A request; it changes nothing here.
      immediate = true;
      break;
    case MessageType::kHeartbeatResponse:
      // Says nothing about the log; it only tells the leader that this node was in its term when
      // it answered (liveness, ReadIndex confirmation), which is true whether or not that term
      // is durable yet (a vote in it would be, and votes are what elections count). Sent at once,
      // a leader's read round does not wait for the followers' fsyncs.
      immediate = true;
      break;
    case MessageType::kVoteResponse:
      immediate = cfg_.broken == Broken::kVoteBeforePersist;
      break;
    default:
      break;
  }
  (immediate ? msgs_ : msgs_after_persist_).push_back(std::move(m));
}

void Node::step(const Message& m) {
  if (m.to != id_ && m.to != kNoNode) return;
  if (m.term > term_) {
    if (m.type == MessageType::kVote || m.type == MessageType::kPreVote) {
      if (lease_blocks_vote(m)) return;
    }
    if (m.type == MessageType::kPreVote) {
      // Never adopt a term from a pre-vote request.
    } else if (m.type == MessageType::kPreVoteResponse && !m.reject) {
      // A granted pre-vote carries the term we would campaign in; adopting it happens when
      // (and if) the real election starts.
    } else if (m.type == MessageType::kAppend || m.type == MessageType::kHeartbeat ||
               m.type == MessageType::kSnapshot) {
      become_follower(m.term, m.from);
    } else {
      become_follower(m.term, kNoNode);
    }
  } else if (m.term < term_) {
    if ((cfg_.check_quorum || cfg_.pre_vote) &&
        (m.type == MessageType::kHeartbeat || m.type == MessageType::kAppend)) {
      // A stale leader (e.g. one that was partitioned while we moved on through PreVote without
      // bumping its term) learns our term from the answer and steps down.
      Message resp;
      resp.type = MessageType::kAppendResponse;
      resp.to = m.from;
      resp.index = 0;
      resp.reject = false;
      send(std::move(resp));
    } else if (m.type == MessageType::kPreVote) {
      Message resp;
      resp.type = MessageType::kPreVoteResponse;
      resp.to = m.from;
      resp.reject = true;
      send(std::move(resp));
    }
    return;
  }

  switch (m.type) {
    case MessageType::kPreVote:
    case MessageType::kVote:
      handle_vote_request(m);
      return;
    case MessageType::kPreVoteResponse:
    case MessageType::kVoteResponse:
      handle_vote_response(m);
      return;
    default:
      break;
  }

  if (role_ == Role::kLeader) {
    switch (m.type) {
      case MessageType::kAppendResponse:
        handle_append_response(m);
        break;
      case MessageType::kHeartbeatResponse:
        handle_heartbeat_response(m);
        break;
      case MessageType::kTransferLeader:
        if (transferee_ == kNoNode) transfer_leadership(m.from);
        break;
      default:
        break;  // another leader in our term cannot exist; ignore anything else
    }
    return;
  }

  switch (m.type) {
    case MessageType::kAppend:
    case MessageType::kHeartbeat:
    case MessageType::kSnapshot:
      if (role_ != Role::kFollower) become_follower(m.term, m.from);
      leader_ = m.from;
      election_elapsed_ = 0;
      if (m.type == MessageType::kAppend) {
        handle_append(m);
      } else if (m.type == MessageType::kHeartbeat) {
        handle_heartbeat(m);
      } else {
        handle_snapshot(m);
      }
      break;
    case MessageType::kTimeoutNow:
      handle_timeout_now(m);
      break;
    default:
      break;
  }
}

// ---- Ready ----------------------------------------------------------------------------------

void Node::flush() {
  if (role_ != Role::kLeader) return;
  if (bcast_append_ || bcast_commit_) {
    broadcast_append(bcast_commit_);
    bcast_append_ = bcast_commit_ = false;
  }
  start_read_round();
}

bool Node::has_ready() const {
  if (!msgs_.empty() || !msgs_after_persist_.empty() || pending_snapshot_) return true;
  if (log_.handed() < log_.last_index()) return true;
  if (HardState{term_, vote_, commit_} != handed_hs_) return true;
  if (SoftState{leader_, role_} != handed_ss_) return true;
  if (applying_ < std::min(commit_, log_.last_index())) return true;
  if (role_ == Role::kLeader) {
    if (bcast_append_ || bcast_commit_) return true;
    if (!reads_.empty() && reads_.back().round == 0 && committed_in_term()) return true;
  }
  for (const auto& r : confirmed_reads_) {
    if (r.index <= applying_) return true;
  }
  return false;
}

Ready Node::ready() {
  flush();
  Ready rd;
  rd.messages.swap(msgs_);
  rd.persist_messages.swap(msgs_after_persist_);
  rd.snapshot = std::move(pending_snapshot_);
  pending_snapshot_.reset();
  if (log_.handed() < log_.last_index()) {
    const Index lo = std::max(log_.handed() + 1, log_.first_index());
    rd.entries.reserve(log_.last_index() - lo + 1);
    for (Index i = lo; i <= log_.last_index(); ++i) rd.entries.push_back(log_.at(i));
    log_.set_handed(log_.last_index());
  }
  const HardState hs{term_, vote_, commit_};
  if (hs != handed_hs_) {
    rd.hard_state = hs;
    handed_hs_ = hs;
  }
  const SoftState ss{leader_, role_};
  if (ss != handed_ss_) {
    rd.soft_state = ss;
    handed_ss_ = ss;
  }
  const Index hi = std::min(commit_, log_.last_index());
  if (applying_ < hi) {
    const Index lo = std::max(applying_ + 1, log_.first_index());
    const Index end = std::min<Index>(hi, lo + cfg_.max_committed_per_ready - 1);
    rd.committed_entries.reserve(end - lo + 1);
    for (Index i = lo; i <= end; ++i) rd.committed_entries.push_back(log_.at(i));
    applying_ = end;
  }
  if (!confirmed_reads_.empty()) {
    // Released in confirmation order once the state machine will have caught up with them.
    std::size_t kept = 0;
    for (auto& r : confirmed_reads_) {
      if (r.index <= applying_) {
        rd.read_states.push_back(r);
      } else {
        confirmed_reads_[kept++] = r;
      }
    }
    confirmed_reads_.resize(kept);
  }
  return rd;
}

void Node::advance(const Ready& rd) {
  if (rd.hard_state) durable_term_ = std::max(durable_term_, rd.hard_state->term);
  if (rd.snapshot) {
    applied_ = std::max(applied_, rd.snapshot->meta.index);
  }
  if (!rd.entries.empty()) {
    const Entry& last = rd.entries.back();
    // Trust the write only if that entry is still ours (it may have been truncated and replaced
    // by a newer Ready meanwhile, which is then reported by its own advance()).
    if (last.index > log_.stable() && log_.matches(last.index, last.term)) {
      log_.set_stable(last.index);
      on_self_durable();
    }
  }
  if (!rd.committed_entries.empty()) {
    applied_ = std::max(applied_, rd.committed_entries.back().index);
  }
}

}  // namespace zakros::raft
