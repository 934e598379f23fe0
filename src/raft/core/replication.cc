// Log replication: proposals, pipelined appends with flow control, fast backtracking, commitment.
#include "raft/core/node.h"

#include <algorithm>
#include <functional>

namespace zakros::raft {

Status Node::propose(std::string_view data, EntryId* id) {
  return propose(Bytes(data), id);
}

Status Node::propose(Bytes data, EntryId* id) {
  if (role_ != Role::kLeader) return Status::kNotLeader;
  if (transferee_ != kNoNode) return Status::kTransferring;
  return append_entry(EntryType::kNormal, std::move(data), id);
}

Status Node::append_entry(EntryType type, Bytes data, EntryId* id) {
  const Index index = log_.last_index() + 1;
  log_.append(Entry{term_, index, type, std::move(data)});
  if (id != nullptr) *id = EntryId{index, term_};
  if (type == EntryType::kConfChange) on_log_changed(index);
  // Sent at the next ready(): every proposal made until then shares one message per follower.
  bcast_append_ = true;
  return Status::kOk;
}

bool Node::maybe_send_append(Progress& pr, bool send_if_empty) {
  if (pr.id == id_ || pr.paused(cfg_.max_inflight_bytes)) return false;
  const Index prev = pr.next - 1;
  const std::optional<Term> prev_term = log_.term(prev);
  if (!prev_term) return send_snapshot(pr);
  Message m;
  m.type = MessageType::kAppend;
  m.to = pr.id;
  m.index = prev;
  m.log_term = *prev_term;
  m.commit = commit_;
  if (pr.next <= log_.last_index()) {
    log_.slice(pr.next, log_.last_index(), cfg_.max_msg_entries, cfg_.max_msg_bytes, &m.entries);
  }
  if (m.entries.empty() && !send_if_empty) return false;
  if (pr.state == ProgressState::kReplicate && !m.entries.empty()) {
    std::size_t bytes = 0;
    for (const auto& e : m.entries) bytes += e.data.size();
    pr.next = m.entries.back().index + 1;
    pr.inflights.add(m.entries.back().index, bytes);
  } else if (pr.state == ProgressState::kProbe) {
    pr.probe_sent = true;
  }
  send(std::move(m));
  return true;
}

void Node::broadcast_append(bool send_if_empty) {
  for (auto& pr : progress_) {
    if (pr.id == id_) continue;
    bool sent = maybe_send_append(pr, send_if_empty);
    // Fill the pipeline window when many entries are waiting.
    while (sent && pr.state == ProgressState::kReplicate && pr.next <= log_.last_index()) {
      sent = maybe_send_append(pr, false);
    }
  }
}

void Node::send_heartbeat(const Progress& pr) {
  Message m;
  m.type = MessageType::kHeartbeat;
  m.to = pr.id;
  // Never let a follower commit past what is known to match (its log may hold a divergent tail).
  m.commit = std::min(pr.match, commit_);
  m.context = read_round_;
  send(std::move(m));
}

void Node::broadcast_heartbeat() {
  for (const auto& pr : progress_) {
    if (pr.id != id_) send_heartbeat(pr);
  }
}

void Node::handle_append(const Message& m) {
  Message r;
  r.type = MessageType::kAppendResponse;
  r.to = m.from;
  if (m.index < commit_) {
    // Everything up to our commit index already matches the leader's log.
    r.index = commit_;
    send(std::move(r));
    return;
  }
  if (log_.matches(m.index, m.log_term)) {
    const Index conflict = log_.find_conflict(m.entries);
    if (conflict != 0 && conflict <= commit_) panic("leader asked to overwrite a committed entry");
    const Index from = log_.merge(m.entries);
    if (from != 0) on_log_changed(from);
    const Index last_new = m.index + m.entries.size();
    commit_to(std::min(m.commit, last_new));
    r.index = last_new;
    send(std::move(r));
    return;
  }
  // Conflict hint: skip every entry of ours whose term is newer than the leader's entry at
  // m.index; they cannot match it.
  const Index hint = log_.find_conflict_by_term(std::min(m.index, log_.last_index()), m.log_term);
  r.reject = true;
  r.index = m.index;
  r.reject_hint = hint;
  r.log_term = log_.term(hint).value_or(0);
  send(std::move(r));
}

void Node::handle_append_response(const Message& m) {
  Progress* pr = find_progress(m.from);
  if (pr == nullptr) return;
  pr->recent_active = true;
  if (m.reject) {
    Index hint = m.reject_hint;
    // The follower's last entry of term <= log_term sits at reject_hint; find where our log has
    // an entry of term <= that term at or below it: the highest index that may match.
    if (m.log_term > 0) hint = log_.find_conflict_by_term(m.reject_hint, m.log_term);
    if (pr->maybe_decrease(m.index, hint)) {
      if (pr->state == ProgressState::kReplicate) pr->become_probe();
      maybe_send_append(*pr, true);
    }
    return;
  }
  const bool was_paused = pr->paused(cfg_.max_inflight_bytes);
  if (!pr->maybe_update(m.index)) return;
  pr->stalled_heartbeats = 0;
  switch (pr->state) {
    case ProgressState::kProbe:
      pr->become_replicate();
      break;
    case ProgressState::kSnapshot:
      if (pr->match >= pr->pending_snapshot) pr->become_replicate();
      break;
    case ProgressState::kReplicate:
      pr->inflights.free_le(m.index);
      break;
  }
  if (maybe_commit()) {
    bcast_commit_ = true;
    if (role_ != Role::kLeader) return;  // a removed leader stepped down
  } else if (was_paused) {
    // Even with nothing new, tell a follower that was waiting on us about the commit index.
    maybe_send_append(*pr, true);
  }
  // Keep the pipeline full (the commit broadcast at the next flush also carries new entries).
  while (pr->state == ProgressState::kReplicate && pr->next <= log_.last_index() &&
         maybe_send_append(*pr, false)) {
  }
  if (m.from == transferee_) maybe_send_timeout_now(*pr);
}

void Node::handle_heartbeat(const Message& m) {
  commit_to(m.commit);
  Message r;
  r.type = MessageType::kHeartbeatResponse;
  r.to = m.from;
  r.context = m.context;
  send(std::move(r));
}

void Node::handle_heartbeat_response(const Message& m) {
  Progress* pr = find_progress(m.from);
  if (pr == nullptr) return;
  pr->recent_active = true;
  // A lost probe or its lost answer must not stall the follower forever; likewise a pipeline
  // window full of lost appends: free one slot per heartbeat so that the next append reveals the
  // gap (the follower rejects it and we fall back to probing).
  pr->probe_sent = false;
  if (pr->state == ProgressState::kReplicate && pr->inflights.full(cfg_.max_inflight_bytes)) {
    pr->inflights.free_first();
  }
  if (pr->match < log_.last_index()) {
    if (pr->state != ProgressState::kReplicate || pr->inflights.count() == 0) {
      // Also reveals a lost append at the tail: an empty append after it is rejected by a
      // follower that lacks it, which sends us back to probing (otherwise an idle cluster would
      // never resend).
      maybe_send_append(*pr, true);
    } else if (++pr->stalled_heartbeats >= 3) {
      // Appends are in flight but none was acknowledged for three heartbeat rounds: presume them
      // lost. (Probing on every heartbeat instead would make a busy pipeline fall back to probe
      // whenever a heartbeat overtakes an append still in flight.)
      pr->become_probe();
      maybe_send_append(*pr, true);
    }
  }
  if (m.context > pr->read_ack) {
    pr->read_ack = m.context;
    confirm_reads();
  }
}

bool Node::maybe_commit() {
  // The quorum-th largest durable match among voters. Our own log counts only up to stable().
  Index matches[16];
  std::vector<Index> big;
  Index* buf = matches;
  if (conf_.voters.size() > 16) {
    big.resize(conf_.voters.size());
    buf = big.data();
  }
  std::size_t n = 0;
  for (NodeId v : conf_.voters) {
    Index mi = 0;
    if (v == id_) {
      mi = log_.stable();
    } else if (const Progress* pr = progress(v)) {
      mi = pr->match;
    }
    buf[n++] = mi;
  }
  if (n == 0) return false;
  std::sort(buf, buf + n, std::greater<Index>());
  const Index c = buf[quorum() - 1];
  if (c <= commit_) return false;
  // Only an entry of the current term is committed by counting replicas (§5.4.2): an older entry
  // on a majority can still be overwritten by a leader that never saw it (Figure 8).
  if (!log_.matches(c, term_) && cfg_.broken != Broken::kCommitPreviousTerm) return false;
  commit_ = c;
  maybe_step_down_removed();
  return true;
}

void Node::commit_to(Index index) {
  index = std::min(index, log_.last_index());
  if (index > commit_) commit_ = index;
}

void Node::on_self_durable() {
  if (role_ != Role::kLeader) return;
  if (Progress* self = find_progress(id_)) self->match = log_.stable();
  if (maybe_commit()) bcast_commit_ = true;
}

}  // namespace zakros::raft
