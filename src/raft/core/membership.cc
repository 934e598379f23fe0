// Membership changes (single-server, Raft dissertation §4.1-4.3) and leadership transfer (§3.10).
//
// A configuration is an entry (kConfChange, data = the whole new ConfState) and takes effect on
// every node as soon as it is in that node's log, committed or not; a truncated configuration
// entry takes its configuration with it. Because consecutive configurations differ by one server,
// any majority of the old one overlaps any majority of the new one, as long as only one change is
// uncommitted at a time and the leader has committed an entry of its own term before proposing
// (otherwise a change proposed by a deposed leader's log could be lost while another overlapping
// change commits: the bug Ongaro described in 2015).
#include "raft/core/node.h"

#include <algorithm>

namespace zakros::raft {

Status Node::propose_conf_change(const ConfChange& change, EntryId* id) {
  if (role_ != Role::kLeader) return Status::kNotLeader;
  if (transferee_ != kNoNode) return Status::kTransferring;
  if (!conf_entries_.empty() && conf_entries_.back().first > commit_) {
    return Status::kChangeInProgress;
  }
  if (!committed_in_term()) return Status::kNotCommittedInTerm;
  if (change.node == kNoNode) return Status::kInvalid;
  ConfState next = conf_;
  switch (change.type) {
    case ConfChangeType::kAddVoter:
      if (next.is_voter(change.node)) return Status::kInvalid;
      std::erase(next.learners, change.node);
      next.voters.push_back(change.node);
      break;
    case ConfChangeType::kAddLearner:
      if (next.contains(change.node)) return Status::kInvalid;
      next.learners.push_back(change.node);
      break;
    case ConfChangeType::kRemove:
      if (!next.contains(change.node)) return Status::kInvalid;
      std::erase(next.voters, change.node);
      std::erase(next.learners, change.node);
      if (next.voters.empty()) return Status::kInvalid;
      break;
  }
  next.normalize();
  return append_entry(EntryType::kConfChange, Bytes(next.encode()), id);
}

void Node::on_log_changed(Index from) {
  while (!conf_entries_.empty() && conf_entries_.back().first >= from) conf_entries_.pop_back();
  for (Index i = std::max(from, log_.first_index()); i <= log_.last_index(); ++i) {
    const Entry& e = log_.at(i);
    if (e.type != EntryType::kConfChange) continue;
    auto cs = ConfState::decode(e.data.view());
    if (!cs) panic("undecodable configuration entry");
    cs->normalize();
    conf_entries_.emplace_back(i, std::move(*cs));
  }
  const ConfState& next = conf_entries_.empty() ? base_conf_ : conf_entries_.back().second;
  if (next == conf_) return;
  conf_ = next;
  if (role_ == Role::kLeader) {
    if (!conf_.is_voter(id_) && pending_removal_ == 0 && !conf_entries_.empty()) {
      // Keep leading (without counting ourselves) until the change commits, then step down.
      pending_removal_ = conf_entries_.back().first;
    }
    sync_progress();
    // A smaller quorum may commit entries right away.
    if (maybe_commit()) bcast_commit_ = true;
  }
}

void Node::sync_progress() {
  auto add = [&](NodeId id) {
    if (find_progress(id) != nullptr) return;
    Progress pr;
    pr.id = id;
    pr.next = log_.last_index() + 1;
    pr.recent_active = true;
    pr.inflights = Inflights(cfg_.max_inflight_msgs);
    progress_.push_back(std::move(pr));
  };
  add(id_);
  for (NodeId v : conf_.voters) add(v);
  for (NodeId l : conf_.learners) add(l);
  std::erase_if(progress_,
                [&](const Progress& pr) { return pr.id != id_ && !conf_.contains(pr.id); });
  if (Progress* self = find_progress(id_)) self->match = log_.stable();
  if (transferee_ != kNoNode && !conf_.is_voter(transferee_)) abort_transfer();
}

void Node::maybe_step_down_removed() {
  if (role_ != Role::kLeader || pending_removal_ == 0 || commit_ < pending_removal_) return;
  // Hand over to the most up-to-date voter so the cluster does not wait for an election timeout.
  const Progress* best = nullptr;
  for (const auto& pr : progress_) {
    if (pr.id == id_ || !conf_.is_voter(pr.id)) continue;
    if (best == nullptr || pr.match > best->match) best = &pr;
  }
  if (best != nullptr && best->match == log_.last_index()) {
    Message m;
    m.type = MessageType::kTimeoutNow;
    m.to = best->id;
    send(std::move(m));
  }
  become_follower(term_, kNoNode);
}

Status Node::transfer_leadership(NodeId to) {
  if (role_ != Role::kLeader) return Status::kNotLeader;
  if (to == id_) return Status::kOk;
  if (!conf_.is_voter(to)) return Status::kInvalid;
  if (transferee_ == to) return Status::kOk;
  Progress* pr = find_progress(to);
  if (pr == nullptr) return Status::kInvalid;
  transferee_ = to;
  transfer_elapsed_ = 0;
  // Give the transfer a full election timeout before it is abandoned.
  election_elapsed_ = 0;
  if (pr->match == log_.last_index()) {
    maybe_send_timeout_now(*pr);
  } else {
    maybe_send_append(*pr, true);
  }
  return Status::kOk;
}

Status Node::request_leadership() {
  if (role_ == Role::kLeader) return Status::kOk;
  if (!conf_.is_voter(id_)) return Status::kInvalid;
  if (leader_ == kNoNode) return Status::kNotLeader;
  Message m;
  m.type = MessageType::kTransferLeader;
  m.to = leader_;
  send(std::move(m));
  return Status::kOk;
}

void Node::maybe_send_timeout_now(const Progress& pr) {
  if (pr.id != transferee_ || pr.match != log_.last_index()) return;
  Message m;
  m.type = MessageType::kTimeoutNow;
  m.to = pr.id;
  send(std::move(m));
}

void Node::handle_timeout_now(const Message&) {
  // The old leader vouches that our log is up to date; campaign now, skipping PreVote and the
  // voters' lease (the vote requests carry `force`).
  if (promotable()) campaign(false, true);
}

}  // namespace zakros::raft
