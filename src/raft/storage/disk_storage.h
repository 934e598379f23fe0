// One node's files, opened together and checked against each other.
//
// Layout (design.md "Storage on disk"):
//   <dir>/node-<id>/log/<first-index>.seg      log segments (disk_log.h)
//   <dir>/node-<id>/hard_state                 term, vote, commit (disk_hard_state.h)
//   <dir>/node-<id>/snapshots/<index>.rdb      snapshot payloads + metadata (disk_snapshot.h)
//   <dir>/node-<id>/snapshots/<index>.meta
//
// open_disk_storage() recovers in the order of the issue: the newest valid snapshot, then the
// log after it, then the hard state, and checks that they fit:
//   * the log continues the snapshot without a hole (else: refuse, entries are missing);
//   * the hard state's commit index lies within snapshot + log (else: refuse, committed entries
//     were lost: never start and silently forget acknowledged writes);
//   * a log that ends below the snapshot, or whose entry at the snapshot index has another term
//     (a crash between saving a received snapshot and resetting the log), is reset to the
//     snapshot with a warning; otherwise segments wholly covered by the snapshot are compacted.
// Then build the Node from the three stores (Config::applied = the snapshot's index) and start a
// DiskLogWriter on them.
#pragma once

#include <memory>
#include <string>

#include "raft/storage/disk_hard_state.h"
#include "raft/storage/disk_log.h"
#include "raft/storage/disk_snapshot.h"

namespace zakros::raft {

std::string node_dir(const std::string& data_dir, NodeId id);  // <data_dir>/node-<id>
std::string log_dir(const std::string& node_dir);              // <node_dir>/log
std::string snapshot_dir(const std::string& node_dir);         // <node_dir>/snapshots

struct DiskStorageOptions {
  std::uint64_t segment_bytes = 64ull << 20;
  bool sync_commit = false;  // DiskHardStateOptions::sync_commit
  disk::WarnHandler warn;    // repairs (torn tail, stale files); the server's logger
  disk::FatalHandler fatal;  // I/O failure after open
};

struct DiskStorage {
  std::unique_ptr<DiskSnapshotStore> snapshots;
  std::unique_ptr<DiskLogStore> log;
  std::unique_ptr<DiskHardStateStore> hard_state;
};

// Opens (creating) the files of the node directory `node_dir`. false with *error (naming the
// file and offset for corruption) if the node must not start.
bool open_disk_storage(const std::string& node_dir, const DiskStorageOptions& options,
                       DiskStorage* out, std::string* error);

}  // namespace zakros::raft
