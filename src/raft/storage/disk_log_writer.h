// DiskLogWriter: the log thread (group commit). The event loop hands it what each Ready asks to
// persist and keeps serving; the thread writes everything queued since its last round, fsyncs
// the log once for the whole batch, writes the hard state, and reports the batch durable.
//
// How the server drives it (design.md "Threads"; node.h's handling order, asynchronously):
//
//   raft::Ready rd = node.ready();
//   send(rd.messages);                           // at once: the leader's appends leave while
//                                                // its own fsync runs (Raft thesis §10.2.1)
//   Ticket t = rd.must_persist() ? writer.submit(rd) : 0;
//   inflight.push_back({t, std::move(rd)});      // Readys are finished strictly in order
//   ...
//   // when writer.event_fd() is readable (or on_durable posted to the loop):
//   writer.clear_event();
//   while (!inflight.empty() && inflight.front().ticket <= writer.durable_ticket()) {
//     Ready& rd = inflight.front().ready;
//     send(rd.persist_messages);                  // votes and acks promise durable state
//     if (rd.snapshot) restore_state_machine(*rd.snapshot);
//     apply(rd.committed_entries); serve_reads(rd.read_states);
//     node.advance(rd);                           // the leader now counts itself for commit
//     inflight.pop_front();
//   }
//
// node.step()/tick()/propose()/ready() may be called while Readys are in flight (node.h); the
// core counts the leader's own log towards a quorum only up to what advance() reported, so the
// leader's commit waits for its fsync or for a quorum of followers, whichever makes a majority.
//
// Lower latency (no core change needed): committed_entries are already durable on a majority
// (that is what committed means), so the loop may restore rd.snapshot, apply
// rd.committed_entries and serve rd.read_states as soon as it takes the Ready, and keep only
// persist_messages and advance() for when the ticket is durable. Otherwise entries that
// followers committed wait behind the leader's fsync of the next batch. The core only uses the
// applied index that advance() reports to bound Node::compact(index), so snapshot at most at
// node.applied_index().
//
// Within a batch the requests are applied in submission order with the order of raft::persist()
// for each: a received snapshot (saved, then the log reset to it), a locally taken snapshot
// (install), entries (written, not yet synced); then one sync() of the log for the whole batch;
// then the newest hard state of the batch (after the entries it may refer to are durable); then
// compactions (the snapshots they rely on were made durable by their install). If the process
// dies during a batch, none of its tickets was reported, and the stores recover a prefix
// (disk_log.h).
//
// The stores belong to the log thread from construction until stop(): the event loop must not
// call them meanwhile (the stats below and DiskSnapshotStore::newest() are safe). I/O errors are
// fatal (options.fatal, default: message on stderr and abort): after a failed fsync the kernel
// may have dropped the data, and nothing can be acknowledged any more.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "raft/core/node.h"
#include "raft/storage/disk_hard_state.h"
#include "raft/storage/disk_log.h"
#include "raft/storage/disk_snapshot.h"

namespace zakros::raft {

// One unit of work for the log thread.
struct PersistRequest {
  std::shared_ptr<const Snapshot> snapshot;  // received from the leader: save, reset the log
  // A snapshot taken locally by a fork child: install its payload file (DiskSnapshotStore).
  struct Install {
    SnapshotMeta meta;
    std::string payload_path;  // DiskSnapshotStore::payload_temp_path(meta.index)
  };
  std::optional<Install> install;
  std::vector<Entry> entries;           // to append (may overwrite a suffix)
  std::optional<HardState> hard_state;  // term/vote/commit
  Index compact = 0;  // if > 0: drop log entries <= compact (skipped if `install` failed)

  // What `ready` asks to persist (entries share their payloads: no copy of the data).
  static PersistRequest from_ready(const Ready& ready);
};

struct DiskLogWriterOptions {
  // Called on the log thread after each batch became durable (e.g. post a wake-up to the event
  // loop). The eventfd is signalled as well.
  std::function<void()> on_durable;
  // Called on the log thread after each install: ok, or the reason it failed (the previous
  // snapshot stays; the request's compaction is skipped).
  std::function<void(const SnapshotMeta&, bool ok, const std::string& error)> on_install;
  disk::FatalHandler fatal;
};

class DiskLogWriter {
 public:
  using Ticket = std::uint64_t;

  // Starts the log thread. The stores must outlive the writer. `snapshots` and `hard_state` are
  // required; pass the same stores the Node was built from.
  DiskLogWriter(DiskLogStore* log, DiskHardStateStore* hard_state, DiskSnapshotStore* snapshots,
                DiskLogWriterOptions options = {});
  ~DiskLogWriter();  // stop()
  DiskLogWriter(const DiskLogWriter&) = delete;
  DiskLogWriter& operator=(const DiskLogWriter&) = delete;

  // Event loop: queues a request; never blocks on I/O. Tickets increase by one per call,
  // starting at 1.
  Ticket submit(PersistRequest request);
  Ticket submit(const Ready& ready) { return submit(PersistRequest::from_ready(ready)); }

  // Every request with a ticket <= durable_ticket() is durable (any thread).
  Ticket durable_ticket() const { return durable_ticket_.load(std::memory_order_acquire); }
  // The log's last index as of the last durable batch (informational: INFO, benchmarks).
  Index durable_index() const { return durable_index_.load(std::memory_order_acquire); }
  // Blocks until `ticket` is durable (tests, shutdown, the single-node fast path if wanted).
  // It may return before event_fd() is signalled for that batch: the thread publishes the
  // durable ticket first and signals after, so that whoever the eventfd wakes sees the ticket.
  void wait(Ticket ticket);

  // A Linux eventfd that becomes readable after each durable batch; clear_event() rearms it.
  int event_fd() const { return event_fd_; }
  void clear_event();

  // Finishes every queued request, writes a pending commit index (DiskHardStateStore::flush)
  // and joins the thread. Idempotent.
  void stop();

  struct Stats {
    std::uint64_t batches = 0;  // = fsyncs of the log
    std::uint64_t requests = 0;
    std::uint64_t entries = 0;
    std::uint64_t max_batch_requests = 0;
    std::uint64_t fsync_ns_total = 0;  // time in the log's sync() (the group commit fsync)
    std::uint64_t fsync_ns_last = 0;
    Index first_index = 0;  // the log's, after the last batch
    Index last_index = 0;
    std::uint64_t log_bytes = 0;
    std::uint64_t segments = 0;  // the log's segment files
  };
  Stats stats() const;

 private:
  struct Queued {
    Ticket ticket;
    PersistRequest request;
  };
  void run();
  void process(std::vector<Queued>& batch);

  DiskLogStore* log_;
  DiskHardStateStore* hard_state_;
  DiskSnapshotStore* snapshots_;
  DiskLogWriterOptions opts_;
  int event_fd_ = -1;

  std::mutex mu_;
  std::condition_variable cv_;       // work queued / stop
  std::condition_variable done_cv_;  // a batch became durable (wait())
  std::vector<Queued> queue_;
  Ticket next_ticket_ = 0;
  bool stopping_ = false;
  bool stopped_ = false;

  std::atomic<Ticket> durable_ticket_{0};
  std::atomic<Index> durable_index_{0};
  mutable std::mutex stats_mu_;
  Stats stats_;
  std::thread thread_;
};

}  // namespace zakros::raft
