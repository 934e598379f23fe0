// DiskSnapshotStore: snapshot files. A snapshot is a payload file (for zakros an RDB file written
// by a fork child, see src/store/rdb.h; this layer never looks inside) plus a small metadata
// file with the Raft side: index, term, membership, and the payload's size and checksum.
//
// Directory layout (<node dir>/snapshots/):
//   <index>.rdb        the payload (index: 20 decimal digits, so names sort like indexes)
//   <index>.meta       its metadata; written last: a snapshot exists once its .meta does
//   *.tmp              unfinished writes; removed (with a warning) when the store is opened
//
// Metadata format (version 1), little-endian:
//     0   8  magic "ZKRSSNP\n"
//     8   4  version (1)
//     12  4  reserved (0)
//     16  8  index
//     24  8  term
//     32  8  payload size in bytes
//     40  8  XXH3-64 of the payload
//     48  4  length C of the configuration
//     52  C  ConfState::encode() (voters and learners in force at `index`)
//     52+C 8 XXH3-64 of bytes 0..51+C
//
// Install (atomic): the payload is written to <index>.rdb.tmp (by the child, or by save()),
// hashed and fsynced, renamed to <index>.rdb; then <index>.meta is written through a temporary
// file, fsynced, renamed, and the directory fsynced. Only then are older snapshots deleted
// (metadata first). A crash at any point leaves the previous snapshot intact.
//
// Open: every snapshot whose metadata and payload pass their checks (size and XXH3 of the whole
// payload) is valid; the newest valid one (highest index) is the store's snapshot, older valid
// ones are deleted. An invalid snapshot is left in place for inspection and reported by warn and
// by check_log; a payload without metadata (a crash between the two renames) is deleted.
//
// Who calls what (src/server/replication/replication_snapshot.cc): at start, open() and newest()
// (the keyspace is loaded from the newest payload); after a fork child wrote
// payload_temp_path(index), install() then load() (the payload for Node::compact); raft::persist()
// calls save() for a snapshot received from the leader.
//
// Thread safety: install()/save() run on one thread at a time (today the event-loop thread;
// the log thread once the server uses DiskLogWriter); newest(), load() and payload_temp_path()
// may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "raft/core/storage.h"
#include "raft/storage/disk_io.h"

namespace zakros::raft {

inline constexpr std::uint32_t kSnapshotFormatVersion = 1;

struct SnapshotFile {
  SnapshotMeta meta;
  std::string meta_path;
  std::string payload_path;
  std::uint64_t payload_bytes = 0;
  std::uint64_t payload_checksum = 0;
};

// What a snapshot directory holds, without changing it (open() and check_log use it).
struct SnapshotScan {
  std::vector<SnapshotFile> valid;     // newest (highest index) first
  std::vector<std::string> invalid;    // "<path>: offset N: what" per broken snapshot
  std::vector<std::string> orphans;    // payloads without metadata
  std::vector<std::string> temporary;  // *.tmp
  std::string error;                   // the directory could not be listed
};
SnapshotScan scan_snapshots(const std::string& dir);

std::string encode_snapshot_meta(const SnapshotMeta& meta, std::uint64_t payload_bytes,
                                 std::uint64_t payload_checksum);
bool decode_snapshot_meta(std::string_view bytes, SnapshotFile* out, std::string* error);

struct DiskSnapshotOptions {
  disk::WarnHandler warn;    // temporaries/orphans removed, invalid snapshots skipped
  disk::FatalHandler fatal;  // save() failed (must not return)
};

class DiskSnapshotStore final : public SnapshotStore {
 public:
  // Opens (creating) the snapshot directory `dir`. Null with *error if it cannot be listed or
  // cleaned.
  static std::unique_ptr<DiskSnapshotStore> open(const std::string& dir,
                                                 DiskSnapshotOptions options, std::string* error);

  // SnapshotStore: the newest snapshot with its payload read into memory (what the core sends to
  // followers), or null. save() writes a payload held in memory (a snapshot received from the
  // leader) and installs it; a snapshot at an index already installed is not written again (the
  // state at a committed index is the same everywhere).
  std::shared_ptr<const Snapshot> load() const override;
  void save(std::shared_ptr<const Snapshot> snapshot) override;

  // File-based path for a snapshot taken by a fork child: the child writes the payload to
  // payload_temp_path(index) (with plain system calls), then the parent (through the log thread,
  // DiskLogWriter) calls install(). false with *error if the payload cannot be read or synced;
  // the temporary file is then removed and the previous snapshot stays.
  std::string payload_temp_path(Index index) const;
  bool install(const SnapshotMeta& meta, const std::string& payload_path, std::string* error);

  // The newest installed snapshot's files (no payload read).
  std::optional<SnapshotFile> newest() const;
  const std::string& dir() const { return dir_; }

 private:
  DiskSnapshotStore(std::string dir, DiskSnapshotOptions options)
      : dir_(std::move(dir)), opts_(std::move(options)) {}
  void delete_older_than(Index index);

  std::string dir_;
  DiskSnapshotOptions opts_;
  mutable std::mutex mu_;  // guards newest_
  std::optional<SnapshotFile> newest_;
};

}  // namespace zakros::raft
