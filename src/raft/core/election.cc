// Elections: PreVote, votes, and the leader lease that makes voters ignore disruptive candidates.
#include "raft/core/node.h"

namespace zakros::raft {

void Node::campaign(bool pre, bool transfer) {
  if (!promotable()) return;
  Term vote_term;
  MessageType type;
  if (pre) {
    become_pre_candidate();
    vote_term = term_ + 1;
    type = MessageType::kPreVote;
  } else {
    become_candidate();
    vote_term = term_;
    type = MessageType::kVote;
  }
  votes_.emplace_back(id_, true);
  if (quorum() <= 1) {
    // A single voter wins at once. Its vote is durable before its first entry commits, because
    // the leader counts itself only for what advance() reported durable.
    if (pre) {
      campaign(false, transfer);
    } else {
      become_leader();
    }
    return;
  }
  for (NodeId voter : conf_.voters) {
    if (voter == id_) continue;
    Message m;
    m.type = type;
    m.to = voter;
    m.term = vote_term;
    m.index = log_.last_index();
    m.log_term = log_.last_term();
    m.force = transfer;
    send(std::move(m));
  }
}

bool Node::lease_blocks_vote(const Message& m) const {
  // With CheckQuorum, a voter that heard from a leader within the last election timeout ignores
  // candidates: a node that merely lost touch with the leader (asymmetric partition) cannot
  // depose it. A leadership transfer carries `force` and is exempt.
  if (!cfg_.check_quorum || cfg_.broken == Broken::kNoPreVote || m.force) return false;
  return leader_ != kNoNode && election_elapsed_ < cfg_.election_ticks;
}

void Node::handle_vote_request(const Message& m) {
  const bool pre = m.type == MessageType::kPreVote;
  // We can vote for the one we already voted for (a retransmission), for anyone if we have
  // neither voted nor seen a leader in this term, and in a pre-vote for any later term.
  const bool can_vote =
      vote_ == m.from || (vote_ == kNoNode && leader_ == kNoNode) || (pre && m.term > term_);
  const bool log_ok =
      log_.is_up_to_date(m.index, m.log_term) || cfg_.broken == Broken::kNoLogCheckOnVote;
  Message r;
  r.type = pre ? MessageType::kPreVoteResponse : MessageType::kVoteResponse;
  r.to = m.from;
  if (can_vote && log_ok) {
    r.term = m.term;
    if (!pre) {
      vote_ = m.from;
      election_elapsed_ = 0;
    }
  } else {
    r.term = term_;
    r.reject = true;
  }
  send(std::move(r));
}

void Node::handle_vote_response(const Message& m) {
  const bool pre = m.type == MessageType::kPreVoteResponse;
  if (pre ? role_ != Role::kPreCandidate : role_ != Role::kCandidate) return;
  bool seen = false;
  for (const auto& [id, granted] : votes_) seen |= id == m.from;
  if (!seen) votes_.emplace_back(m.from, !m.reject);
  std::size_t granted = 0;
  std::size_t rejected = 0;
  for (const auto& [id, g] : votes_) {
    if (!conf_.is_voter(id)) continue;
    (g ? granted : rejected) += 1;
  }
  if (granted >= quorum()) {
    if (pre) {
      campaign(false, false);
    } else {
      become_leader();
    }
  } else if (rejected >= quorum()) {
    become_follower(term_, kNoNode);
  }
}

}  // namespace zakros::raft
