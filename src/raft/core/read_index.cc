// ReadIndex (Raft dissertation §6.4): linearizable reads without writing to the log.
//
// A read arriving at the leader waits until the leader has committed an entry of its own term
// (before that its commit index may lag behind what an earlier leader committed). It then joins
// the next heartbeat round: all reads received between two ready() calls share one round, whose
// number travels in the heartbeats' `context`. A follower's answer echoes the newest round it saw;
// once a quorum (the leader included) has answered round r or later, no other leader existed when
// the reads of rounds <= r arrived, so their read index (the commit index when the round started)
// covers every write completed before them. They are released through Ready::read_states once
// the state machine has applied up to that index.
#include "raft/core/node.h"

#include <algorithm>
#include <functional>

namespace zakros::raft {

Status Node::read_index(std::uint64_t context) {
  if (role_ != Role::kLeader) return Status::kNotLeader;
  const bool skip_round =
      cfg_.read_mode == ReadMode::kLeaseBased || cfg_.broken == Broken::kReadWithoutHeartbeat;
  const bool term_ok = committed_in_term() || cfg_.broken == Broken::kSkipNoop;
  if (skip_round && term_ok) {
    confirmed_reads_.push_back(ReadState{context, commit_});
    return Status::kOk;
  }
  reads_.push_back(PendingRead{context, 0, 0});
  return Status::kOk;
}

void Node::start_read_round() {
  if (reads_.empty() || reads_.back().round != 0) return;
  if (!committed_in_term() && cfg_.broken != Broken::kSkipNoop) return;
  ++read_round_;
  for (auto it = reads_.rbegin(); it != reads_.rend() && it->round == 0; ++it) {
    it->round = read_round_;
    it->index = commit_;
  }
  for (const auto& pr : progress_) {
    if (pr.id != id_ && conf_.is_voter(pr.id)) send_heartbeat(pr);
  }
  confirm_reads();  // a single voter confirms alone
}

void Node::confirm_reads() {
  if (reads_.empty() || conf_.voters.empty()) return;
  std::uint64_t acks[16];
  std::vector<std::uint64_t> big;
  std::uint64_t* buf = acks;
  if (conf_.voters.size() > 16) {
    big.resize(conf_.voters.size());
    buf = big.data();
  }
  std::size_t n = 0;
  for (NodeId v : conf_.voters) {
    const Progress* pr = progress(v);
    buf[n++] = v == id_ ? read_round_ : (pr != nullptr ? pr->read_ack : 0);
  }
  std::sort(buf, buf + n, std::greater<std::uint64_t>());
  const std::uint64_t confirmed = buf[quorum() - 1];
  while (!reads_.empty() && reads_.front().round != 0 && reads_.front().round <= confirmed) {
    confirmed_reads_.push_back(ReadState{reads_.front().context, reads_.front().index});
    reads_.pop_front();
  }
}

void Node::drop_reads() {
  reads_.clear();
  confirmed_reads_.clear();
}

}  // namespace zakros::raft
