#include "raft/storage/check_log.h"

#include <sys/stat.h>

#include <algorithm>
#include <vector>

#include "raft/storage/disk_hard_state.h"
#include "raft/storage/disk_log.h"
#include "raft/storage/disk_snapshot.h"
#include "raft/storage/disk_storage.h"

namespace zakros::raft {

namespace {

constexpr int kClean = 0;
constexpr int kRepairable = 1;
constexpr int kCorrupt = 2;

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string ids(const std::vector<NodeId>& v) {
  if (v.empty()) return "none";
  std::string s;
  for (NodeId id : v) {
    if (!s.empty()) s += ',';
    s += std::to_string(id);
  }
  return s;
}

std::string base_name(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Checks the log directory; fills the index range and returns the verdict.
int check_log(const std::string& dir, std::ostream& out, Index* first, Index* last) {
  const LogScan scan = scan_log(dir);
  int verdict = kClean;
  Index count = 0;
  std::uint64_t bytes = 0;
  for (const auto& s : scan.segments) {
    count += s.count;
    bytes += s.file_bytes;
  }
  *first = scan.segments.empty() ? 1 : scan.segments.front().first_index;
  *last = scan.segments.empty() ? 0 : scan.segments.back().last_index();
  out << "  log " << dir << ": " << scan.segments.size() << " segment(s), ";
  if (count == 0) {
    out << "no entries (next index " << *last + 1 << ")";
  } else {
    out << "entries " << *first << ".." << *last << " (" << count << "), terms "
        << scan.segments.front().first_term << ".." << scan.segments.back().last_term;
  }
  out << ", " << bytes << " bytes\n";
  for (const auto& s : scan.segments) {
    out << "    " << base_name(s.path) << "  ";
    if (s.count == 0) {
      out << "empty";
    } else {
      out << "entries " << s.first_index << ".." << s.last_index() << "  terms " << s.first_term
          << ".." << s.last_term;
    }
    out << "  " << s.file_bytes << " bytes\n";
  }
  if (scan.torn) {
    const auto& t = *scan.torn;
    verdict = kRepairable;
    if (t.whole_segment) {
      out << "  TORN: " << t.path << ": half-created segment (" << t.reason
          << "); opening deletes it\n";
    } else {
      out << "  TORN: " << t.path << ": offset " << t.offset << ": " << t.reason
          << "; opening truncates " << (t.file_bytes - t.offset)
          << " bytes of unacknowledged writes\n";
    }
  }
  if (!scan.ok()) {
    out << "  CORRUPT: " << scan.error << "\n";
    verdict = kCorrupt;
  }
  return verdict;
}

int check_node(const std::string& dir, std::ostream& out) {
  out << "node " << dir << "\n";
  int verdict = kClean;

  // Snapshots.
  const SnapshotScan snaps = scan_snapshots(snapshot_dir(dir));
  Index snap_index = 0;
  if (!snaps.error.empty()) {
    out << "  CORRUPT: " << snaps.error << "\n";
    verdict = kCorrupt;
  } else if (snaps.valid.empty()) {
    out << "  snapshots: none\n";
  } else {
    const SnapshotFile& s = snaps.valid.front();
    snap_index = s.meta.index;
    out << "  snapshot: index " << s.meta.index << " term " << s.meta.term << ", voters "
        << ids(s.meta.conf.voters) << ", learners " << ids(s.meta.conf.learners) << ", "
        << base_name(s.payload_path) << " " << s.payload_bytes << " bytes, checksum ok\n";
    for (std::size_t k = 1; k < snaps.valid.size(); ++k) {
      out << "    older snapshot (deleted on open): " << snaps.valid[k].meta_path << "\n";
    }
  }
  for (const auto& what : snaps.invalid) {
    // Skipped on open; only fatal if the log relies on it (checked below as a hole).
    out << "  INVALID SNAPSHOT: " << what << "\n";
    verdict = std::max(verdict, kRepairable);
  }
  for (const auto& p : snaps.orphans) {
    out << "  leftover (removed on open): " << p << " (payload without metadata)\n";
    verdict = std::max(verdict, kRepairable);
  }
  for (const auto& p : snaps.temporary) {
    out << "  leftover (removed on open): " << p << "\n";
    verdict = std::max(verdict, kRepairable);
  }

  // Log.
  Index first = 1, last = 0;
  const int log_verdict = check_log(log_dir(dir), out, &first, &last);
  verdict = std::max(verdict, log_verdict);

  // Hard state.
  HardState hs;
  bool found = false;
  std::string error;
  if (!read_hard_state_file(dir, &hs, &found, &error)) {
    out << "  CORRUPT: " << error << "\n";
    verdict = kCorrupt;
  } else if (!found) {
    out << "  hard state: none (a node that never voted or learned a term)\n";
  } else {
    out << "  hard state: term " << hs.term << ", vote ";
    if (hs.vote == kNoNode) {
      out << "none";
    } else {
      out << hs.vote;
    }
    out << ", commit " << hs.commit << "\n";
  }
  if (exists(disk::join(dir, std::string(kHardStateFileName) + ".tmp"))) {
    out << "  leftover (removed on open): " << disk::join(dir, "hard_state.tmp") << "\n";
    verdict = std::max(verdict, kRepairable);
  }

  // Do they fit together (open_disk_storage's checks)?
  if (log_verdict != kCorrupt) {
    if (first > snap_index + 1) {
      out << "  INCONSISTENT: the log starts at " << first << " but the snapshot ends at "
          << snap_index << ": entries " << snap_index + 1 << ".." << first - 1 << " are missing\n";
      verdict = kCorrupt;
    }
    if (found && hs.commit > std::max(last, snap_index)) {
      out << "  INCONSISTENT: commit index " << hs.commit << " lies beyond the log (" << last
          << ") and the snapshot (" << snap_index << "): committed entries are missing\n";
      verdict = kCorrupt;
    }
  }
  return verdict;
}

const char* verdict_name(int v) {
  switch (v) {
    case kClean:
      return "OK";
    case kRepairable:
      return "REPAIRABLE (opening truncates the torn tail and removes leftovers)";
    default:
      return "CORRUPT (the node refuses to start)";
  }
}

}  // namespace

int check_log_dir(const std::string& dir, std::ostream& out) {
  if (!is_dir(dir)) {
    out << dir << ": not a directory\n";
    return kCorrupt;
  }
  int verdict = kClean;
  const bool node_like = is_dir(log_dir(dir)) || is_dir(snapshot_dir(dir)) ||
                         exists(disk::join(dir, kHardStateFileName));
  if (node_like) {
    verdict = check_node(dir, out);
  } else {
    std::vector<std::string> names, nodes;
    std::string error;
    if (!disk::list_dir(dir, &names, &error)) {
      out << error << "\n";
      return kCorrupt;
    }
    std::sort(names.begin(), names.end());
    bool segments = false;
    for (const auto& n : names) {
      if (n.rfind("node-", 0) == 0 && is_dir(disk::join(dir, n))) nodes.push_back(n);
      if (disk::ends_with(n, ".seg")) segments = true;
    }
    if (!nodes.empty()) {
      for (const auto& n : nodes) verdict = std::max(verdict, check_node(disk::join(dir, n), out));
    } else if (segments) {
      Index first = 0, last = 0;
      verdict = check_log(dir, out, &first, &last);
    } else {
      out << dir << ": no zakros Raft files (log/, snapshots/, hard_state or node-<id>/)\n";
      return kCorrupt;
    }
  }
  out << "result: " << verdict_name(verdict) << "\n";
  return verdict;
}

}  // namespace zakros::raft
