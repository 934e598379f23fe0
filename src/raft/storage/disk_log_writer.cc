#include "raft/storage/disk_log_writer.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace zakros::raft {

PersistRequest PersistRequest::from_ready(const Ready& ready) {
  PersistRequest r;
  r.snapshot = ready.snapshot;
  r.entries = ready.entries;
  r.hard_state = ready.hard_state;
  return r;
}

DiskLogWriter::DiskLogWriter(DiskLogStore* log, DiskHardStateStore* hard_state,
                             DiskSnapshotStore* snapshots, DiskLogWriterOptions options)
    : log_(log), hard_state_(hard_state), snapshots_(snapshots), opts_(std::move(options)) {
  event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) disk::fail(opts_.fatal, disk::errno_message("eventfd", "for the log thread"));
  durable_index_.store(log_->last_index());
  stats_.first_index = log_->first_index();
  stats_.last_index = log_->last_index();
  stats_.log_bytes = log_->size_bytes();
  stats_.segments = log_->segment_count();
  thread_ = std::thread([this] { run(); });
}

DiskLogWriter::~DiskLogWriter() {
  stop();
  if (event_fd_ >= 0) ::close(event_fd_);
}

DiskLogWriter::Ticket DiskLogWriter::submit(PersistRequest request) {
  Ticket t;
  {
    std::lock_guard lock(mu_);
    t = ++next_ticket_;
    queue_.push_back(Queued{t, std::move(request)});
  }
  cv_.notify_one();
  return t;
}

void DiskLogWriter::wait(Ticket ticket) {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return durable_ticket() >= ticket || stopped_; });
}

void DiskLogWriter::clear_event() {
  std::uint64_t v;
  while (::read(event_fd_, &v, sizeof v) < 0 && errno == EINTR) {
  }
}

void DiskLogWriter::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

DiskLogWriter::Stats DiskLogWriter::stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

void DiskLogWriter::run() {
  std::vector<Queued> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) break;  // stopping, and everything was written
      batch.swap(queue_);
    }
    process(batch);
    const Ticket last = batch.back().ticket;
    batch.clear();
    {
      std::lock_guard lock(mu_);
      durable_ticket_.store(last, std::memory_order_release);
    }
    done_cv_.notify_all();
    const std::uint64_t one = 1;
    while (::write(event_fd_, &one, sizeof one) < 0 && errno == EINTR) {
    }
    if (opts_.on_durable) opts_.on_durable();
  }
  hard_state_->flush();
  std::lock_guard lock(mu_);
  stopped_ = true;
  done_cv_.notify_all();
}

void DiskLogWriter::process(std::vector<Queued>& batch) {
  std::optional<HardState> hs;
  Index compact = 0;
  std::uint64_t entries = 0;
  for (Queued& q : batch) {
    PersistRequest& r = q.request;
    if (r.snapshot) {
      snapshots_->save(r.snapshot);
      log_->reset(r.snapshot->meta.index);
    }
    bool installed = true;
    if (r.install) {
      std::string error;
      installed = snapshots_->install(r.install->meta, r.install->payload_path, &error);
      if (opts_.on_install) opts_.on_install(r.install->meta, installed, error);
    }
    if (!r.entries.empty()) {
      log_->write(r.entries);
      entries += r.entries.size();
    }
    if (r.hard_state) hs = r.hard_state;
    if (installed && r.compact > compact) compact = r.compact;
  }
  const auto t0 = std::chrono::steady_clock::now();
  log_->sync();
  const auto ns = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
          .count());
  if (hs) hard_state_->save(*hs);
  if (compact > 0) log_->compact(compact);
  durable_index_.store(log_->last_index(), std::memory_order_release);
  std::lock_guard lock(stats_mu_);
  ++stats_.batches;
  stats_.requests += batch.size();
  stats_.entries += entries;
  if (batch.size() > stats_.max_batch_requests) stats_.max_batch_requests = batch.size();
  stats_.fsync_ns_total += ns;
  stats_.fsync_ns_last = ns;
  stats_.first_index = log_->first_index();
  stats_.last_index = log_->last_index();
  stats_.log_bytes = log_->size_bytes();
  stats_.segments = log_->segment_count();
}

}  // namespace zakros::raft
