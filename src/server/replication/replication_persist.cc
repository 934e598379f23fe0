// Replication's persistence of Readys (the "Persist" step of node.h's handling order).
//
// raft-storage memory: persisted at once, on the event loop (nothing to wait for).
//
// raft-storage disk: the log thread (raft::DiskLogWriter) writes and fsyncs what the Readys
// ask, one batch at a time (group commit), while the event loop goes on reading, proposing and
// applying. A Ready is handled at once except for the two steps that promise durable state: its
// persist_messages (votes, append acknowledgements) and Node::advance() (which lets a leader count
// its own log towards a commit, and records what was applied) wait in inflight_ until its ticket
// is durable, in the order the Readys were taken. Applying committed entries before this node's
// own fsync is safe: committed means durable on a majority already (disk_log_writer.h).
//
// The disk stores belong to the log thread from start_log_thread() on: snapshots are installed
// and the log compacted through it too (replication_snapshot.cc).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "raft/storage/disk_log_writer.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "util/clock.h"
#include "util/strings.h"

namespace zakros::server {

void Replication::start_log_thread(raft::DiskLogStore* log, raft::DiskHardStateStore* hard_state) {
  raft::DiskLogWriterOptions options;
  options.fatal = raft_storage_failure;
  // Called on the log thread: one wake-up of the loop at a time is enough, it finishes every
  // Ready durable by then.
  options.on_durable = [this] {
    if (!durable_posted_.exchange(true)) {
      asio::post(server_.io(), [this] {
        durable_posted_ = false;
        finish_durable_readys();
        drive();
      });
    }
  };
  options.on_install = [this](const raft::SnapshotMeta& meta, bool ok, const std::string& why) {
    if (!ok) spdlog::warn("Raft snapshot at index {} could not be installed: {}", meta.index, why);
    asio::post(server_.io(), [this, meta, ok] { on_snapshot_installed(meta, ok); });
  };
  writer_ =
      std::make_unique<raft::DiskLogWriter>(log, hard_state, disk_snapshots_, std::move(options));
}

uint64_t Replication::submit_persist(raft::Ready& ready) {
  if (!writer_) {
    const int64_t start_us = util::monotonic_us();
    raft::persist(ready, log_.get(), hard_state_.get(), snapshots_.get());
    if (ready.must_persist()) {
      last_persist_us_ = util::monotonic_us() - start_us;
      persist_us_total_ += static_cast<uint64_t>(last_persist_us_);
      ++persists_;
    }
    return 0;
  }
  if (!ready.must_persist()) return last_ticket_;  // advanced after the Readys before it
  raft::PersistRequest request;
  request.snapshot = ready.snapshot;
  request.hard_state = ready.hard_state;
  request.entries = std::move(ready.entries);
  // advance() only looks at the last entry written.
  if (!request.entries.empty()) ready.entries.assign(1, request.entries.back());
  last_ticket_ = writer_->submit(std::move(request));
  return last_ticket_;
}

void Replication::finish_ready(raft::Ready ready, uint64_t ticket) {
  if (!writer_) {
    if (transport_) {
      for (const raft::Message& m : ready.persist_messages) transport_->send(m);
    }
    node_->advance(ready);
    return;
  }
  // Keep only what the durable step needs: persist_messages and what advance() reads (the last
  // entry written and the last entry applied).
  ready.messages.clear();
  ready.read_states.clear();
  if (ready.committed_entries.size() > 1) {
    ready.committed_entries.erase(ready.committed_entries.begin(),
                                  ready.committed_entries.end() - 1);
  }
  inflight_.push_back({ticket, std::move(ready)});
  finish_durable_readys();
}

void Replication::finish_durable_readys() {
  if (!writer_) return;
  const uint64_t durable = writer_->durable_ticket();
  while (!inflight_.empty() && inflight_.front().ticket <= durable) {
    raft::Ready& ready = inflight_.front().ready;
    if (transport_) {
      for (const raft::Message& m : ready.persist_messages) transport_->send(m);
    }
    node_->advance(ready);
    inflight_.pop_front();
  }
}

void Replication::wait_until_durable() {
  if (!writer_) return;
  writer_->wait(last_ticket_);
  finish_durable_readys();
  schedule_drive();  // advance() may have committed something
}

void Replication::log_info(std::string& s) const {
  uint64_t fsyncs = persists_;
  uint64_t last_us = static_cast<uint64_t>(last_persist_us_);
  uint64_t total_us = persist_us_total_;
  const raft::DiskLogWriter::Stats stats =
      writer_ ? writer_->stats() : raft::DiskLogWriter::Stats{};
  if (writer_) {
    fsyncs = stats.batches;
    last_us = stats.fsync_ns_last / 1000;
    total_us = stats.fsync_ns_total / 1000;
  }
  // With the log thread one batch is everything queued while the previous one was fsynced.
  util::append_info_line(s, "raft_log_fsyncs", std::to_string(fsyncs));
  util::append_info_line(s, "raft_log_fsync_last_us", std::to_string(last_us));
  util::append_info_line(s, "raft_log_fsync_avg_us",
                         std::to_string(fsyncs ? total_us / fsyncs : 0));
  util::append_info_line(s, "raft_readys_awaiting_fsync", std::to_string(inflight_.size()));
  if (writer_) {
    util::append_info_line(s, "raft_log_bytes", std::to_string(stats.log_bytes));
    util::append_info_line(s, "raft_log_segments", std::to_string(stats.segments));
  }
}

}  // namespace zakros::server
