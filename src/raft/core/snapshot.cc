// Snapshots: local compaction, InstallSnapshot to lagging followers, and installing one received.
#include "raft/core/node.h"

#include <algorithm>

namespace zakros::raft {

SnapshotMeta Node::snapshot_meta(Index index) const {
  SnapshotMeta meta;
  meta.index = index;
  meta.term = log_.term(index).value_or(0);
  meta.conf = base_conf_;
  for (const auto& [i, cs] : conf_entries_) {
    if (i <= index) meta.conf = cs;
  }
  return meta;
}

void Node::compact(Index index, Bytes data) {
  // Only what the state machine has applied (hence what is durable here) can be compacted.
  if (index <= log_.snapshot_index() || index > applied_ || index > log_.last_index()) return;
  auto snap = std::make_shared<Snapshot>();
  snap->meta = snapshot_meta(index);
  snap->data = std::move(data);
  base_conf_ = snap->meta.conf;
  std::erase_if(conf_entries_, [&](const auto& ce) { return ce.first <= index; });
  log_.compact(index);
  snapshot_ = std::move(snap);
}

bool Node::send_snapshot(Progress& pr) {
  // Don't ship a snapshot to a member that does not answer; its heartbeat replies revive it.
  if (!snapshot_ || !pr.recent_active) return false;
  Message m;
  m.type = MessageType::kSnapshot;
  m.to = pr.id;
  m.snapshot = snapshot_;
  pr.become_snapshot(snapshot_->meta.index);
  send(std::move(m));
  return true;
}

void Node::handle_snapshot(const Message& m) {
  if (!m.snapshot) return;
  const SnapshotMeta& meta = m.snapshot->meta;
  Message r;
  r.type = MessageType::kAppendResponse;
  r.to = m.from;
  if (meta.index <= commit_) {
    r.index = commit_;
    send(std::move(r));
    return;
  }
  if (log_.matches(meta.index, meta.term)) {
    // We already hold everything the snapshot covers: just learn that it is committed.
    commit_to(meta.index);
    r.index = meta.index;
    send(std::move(r));
    return;
  }
  // Replace the log. Whatever we held beyond our commit index was not committed (or is covered
  // by the snapshot), so nothing committed is lost.
  log_.reset(meta.index, meta.term);
  commit_ = meta.index;
  applying_ = std::max(applying_, meta.index);
  base_conf_ = meta.conf;
  base_conf_.normalize();
  conf_entries_.clear();
  on_log_changed(meta.index + 1);
  snapshot_ = m.snapshot;
  pending_snapshot_ = m.snapshot;
  r.index = meta.index;
  send(std::move(r));
}

void Node::report_unreachable(NodeId peer) {
  if (role_ != Role::kLeader) return;
  Progress* pr = find_progress(peer);
  // Optimistic pipelining towards an unreachable peer only fills its window with lost messages.
  if (pr != nullptr && pr->state == ProgressState::kReplicate) pr->become_probe();
}

void Node::report_snapshot(NodeId peer, bool ok) {
  if (role_ != Role::kLeader) return;
  Progress* pr = find_progress(peer);
  if (pr == nullptr || pr->state != ProgressState::kSnapshot) return;
  if (!ok) pr->pending_snapshot = 0;
  pr->become_probe();
  // Wait for the follower's answer (or a heartbeat reply) before the next append.
  pr->probe_sent = true;
}

}  // namespace zakros::raft
