// Snapshotter: writes the keyspace as an RDB file (Redis 7.0's format, version 10; store/rdb.h),
// either in a fork()ed child while the server keeps serving (BGSAVE, Raft snapshots) or on the
// spot (SAVE, DEBUG RELOAD). It knows nothing of Raft: callers give the path and the aux fields
// (replication_snapshot.cc adds the Raft index/term/membership) and say what to do once the
// file is complete.
//
// Background saves (design.md "Threads"): fork(); the child writes the file with write_rdb over
// an FdSink, fsyncs it and _exit()s with 0 (ok) or 1; it logs nothing, takes no lock of ours and
// touches no other thread's state (jemalloc's and glibc's fork handlers keep malloc usable in
// the child). The child's copy of the keyspace is the parent's at the fork, so the file shows
// exactly the state of that moment. The parent polls the child with waitpid(WNOHANG) on a timer
// (kPollMs; no SIGCHLD handler, which would fight asio's signal_set) and calls the completion on
// the event-loop thread. One save at a time: start_background() refuses while a child runs.
//
// Who calls it: Replication (Raft snapshots when the log passes raft-log-max-bytes, SAVE and
// BGSAVE in Raft mode, DEBUG RELOAD) and the SAVE/BGSAVE/DEBUG RELOAD commands of a volatile
// node (dir/dbfilename, as Redis does). INFO persistence and LASTSAVE read its bookkeeping.
//
// Only the event-loop thread uses it.
#pragma once

#include <sys/types.h>
#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <string>

#include "store/rdb.h"

namespace zakros::store {
class Keyspace;
}

namespace zakros::server {

class Snapshotter {
 public:
  // ok = the file at `path` is complete and fsynced; error says why not (empty when ok).
  using Done = std::function<void(bool ok, const std::string& error)>;
  static constexpr int kPollMs = 10;

  Snapshotter(asio::io_context& io, const store::Keyspace& keyspace);
  ~Snapshotter();  // kills and reaps a running child
  Snapshotter(const Snapshotter&) = delete;
  Snapshotter& operator=(const Snapshotter&) = delete;

  // Forks a child that writes `path`. False with *error if a save is running or fork failed;
  // otherwise `done` is called later, on the event-loop thread.
  bool start_background(const std::string& path, store::rdb::AuxFields aux, Done done,
                        std::string* error);
  // Writes `path` now, in this thread (blocks the loop as Redis's SAVE does). False with *error.
  bool save_now(const std::string& path, const store::rdb::AuxFields& aux, std::string* error);

  // Bookkeeping for INFO persistence / LASTSAVE (Redis's names in the comments).
  bool in_progress() const { return child_ > 0; }  // rdb_bgsave_in_progress
  pid_t child_pid() const { return child_; }
  int64_t started_ms() const { return started_ms_; }          // rdb_current_bgsave_time_sec
  int64_t last_ok_sec() const { return last_ok_sec_; }        // lastsave (0 = never)
  bool last_background_ok() const { return last_bg_ok_; }     // rdb_last_bgsave_status
  int64_t last_background_ms() const { return last_bg_ms_; }  // rdb_last_bgsave_time_sec (-1)
  uint64_t saves() const { return saves_; }                   // rdb_saves

 private:
  void poll();
  void finish(bool ok, const std::string& error);

  asio::io_context& io_;
  const store::Keyspace& keyspace_;
  asio::steady_timer timer_;
  pid_t child_ = -1;
  std::string path_;
  Done done_;
  int64_t started_ms_ = 0;
  int64_t last_ok_sec_ = 0;
  bool last_bg_ok_ = true;
  int64_t last_bg_ms_ = -1;
  uint64_t saves_ = 0;
};

}  // namespace zakros::server
