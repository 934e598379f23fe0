#include "raft/storage/disk_storage.h"

namespace zakros::raft {

std::string node_dir(const std::string& data_dir, NodeId id) {
  return disk::join(data_dir, "node-" + std::to_string(id));
}
std::string log_dir(const std::string& node_dir) {
  return disk::join(node_dir, "log");
}
std::string snapshot_dir(const std::string& node_dir) {
  return disk::join(node_dir, "snapshots");
}

bool open_disk_storage(const std::string& node_dir, const DiskStorageOptions& options,
                       DiskStorage* out, std::string* error) {
  DiskSnapshotOptions so;
  so.warn = options.warn;
  so.fatal = options.fatal;
  auto snapshots = DiskSnapshotStore::open(snapshot_dir(node_dir), so, error);
  if (!snapshots) return false;
  DiskLogOptions lo;
  lo.segment_bytes = options.segment_bytes;
  lo.warn = options.warn;
  lo.fatal = options.fatal;
  auto log = DiskLogStore::open(log_dir(node_dir), lo, error);
  if (!log) return false;
  DiskHardStateOptions ho;
  ho.sync_commit = options.sync_commit;
  ho.fatal = options.fatal;
  auto hard_state = DiskHardStateStore::open(node_dir, ho, error);
  if (!hard_state) return false;

  const auto snap = snapshots->newest();
  const Index s = snap ? snap->meta.index : 0;
  const Index f = log->first_index();
  const Index l = log->last_index();
  if (f > s + 1) {
    *error = log->dir() + ": the log starts at index " + std::to_string(f) +
             " but the newest valid snapshot ends at " + std::to_string(s) + ": entries " +
             std::to_string(s + 1) + ".." + std::to_string(f - 1) + " are missing";
    return false;
  }
  const HardState hs = hard_state->load();
  if (hs.commit > std::max(s, l)) {
    *error = node_dir + "/" + kHardStateFileName + ": commit index " + std::to_string(hs.commit) +
             " lies beyond the log (last index " + std::to_string(l) + ") and the snapshot (" +
             std::to_string(s) + "): committed entries are missing";
    return false;
  }
  if (snap) {
    if (l < s) {
      if (l >= f) {
        disk::warn(options.warn, "raft storage: the log ends at " + std::to_string(l) +
                                     ", below the snapshot at " + std::to_string(s) +
                                     ": reset to the snapshot");
      }
      log->reset(s);
    } else if (s >= f && log->term_at(s) != snap->meta.term) {
      disk::warn(options.warn, "raft storage: the log's entry " + std::to_string(s) + " has term " +
                                   std::to_string(log->term_at(s)) + " but the snapshot's is " +
                                   std::to_string(snap->meta.term) + ": log reset to the snapshot");
      log->reset(s);
    } else if (s >= f) {
      log->compact(s);
    }
  }
  out->snapshots = std::move(snapshots);
  out->log = std::move(log);
  out->hard_state = std::move(hard_state);
  return true;
}

}  // namespace zakros::raft
