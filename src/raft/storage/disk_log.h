// DiskLogStore: the Raft log in segment files, with a checksum per record.
//
// Directory layout (one directory per node, e.g. dir/node-<id>/log/):
//   <first-index>.seg   one segment; the name is the index of its first record, 20 decimal
//                       digits so that names sort like indexes. Segments are contiguous: each
//                       starts right after the last record of the previous one. The last
//                       segment is the active one (appends go there); a new one is started
//                       when it passes DiskLogOptions::segment_bytes.
//
// Segment format (version 1), all integers little-endian:
//   header, 32 bytes:
//     0   8  magic "ZKRSLOG\n"
//     8   4  version (1)
//     12  4  reserved (0)
//     16  8  first index (must match the file name)
//     24  8  XXH3-64 of bytes 0..23
//   then records, back to back:
//     0   4  body length L (17 <= L <= kMaxRecordBody)
//     4   4  length check: low 32 bits of XXH3-64 of the 4 length bytes (so that a garbled
//            length is recognised as such instead of sending the reader astray)
//     8   8  XXH3-64 of the body
//     16  L  body: u64 term, u64 index, u8 type (raft::EntryType), data (L - 17 bytes)
//   Checksums are XXH3-64 from libxxhash (not CRC32C): one fast hash for every format here.
//
// Durability and crashes:
//   * Records are written with pwrite at the end of the active segment and made durable by
//     sync() (fdatasync), once per batch by the log thread (disk_log_writer.h); append() is
//     write + sync for callers that persist synchronously (raft::persist()).
//   * A full segment is fsynced before the next one is created, and creations and deletions of
//     segments are followed by an fsync of the directory before anything else is written, so
//     only the last segment can ever hold a torn write.
//   * Overwriting a suffix (append() from an index <= last_index()) deletes later segments
//     (newest first) and truncates the segment holding the index, and fsyncs both before new
//     records go in: a crash never resurrects an overwritten record behind newer ones.
//   * compact() deletes whole segments, oldest first; reset() deletes all of them, newest first,
//     then creates an empty segment named after the index that follows the snapshot. A crash in
//     the middle therefore leaves a contiguous log (a suffix, or a prefix lying under the
//     snapshot), never one with a hole.
//
// Recovery (open()): every segment is read and verified. In the last segment, a torn tail is
// truncated with a warning (the bytes after the last good record are lost; nothing there was
// acknowledged, because it was not yet fsynced when the process died). A torn tail is:
//   * fewer bytes than a record header, or a record whose body runs past the end of the file;
//   * a record whose body checksum fails and which ends exactly at the end of the file;
//   * any bad record followed by nothing but zero bytes (a file extended but not written);
//   * a last segment whose header is partial or all zeros (a crash while creating it): deleted.
// Anything else that fails a check (a bad record with data after it, a bad segment header, a
// record whose index is not the next one, terms going backwards, segments that do not follow
// each other) refuses to open, with an error naming the file and the byte offset.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "raft/core/storage.h"
#include "raft/core/types.h"
#include "raft/storage/disk_io.h"

namespace zakros::raft {

inline constexpr std::uint32_t kLogFormatVersion = 1;
inline constexpr std::size_t kSegmentHeaderBytes = 32;
inline constexpr std::size_t kRecordHeaderBytes = 16;
inline constexpr std::size_t kRecordBodyMin = 17;          // term, index, type
inline constexpr std::uint32_t kMaxRecordBody = 1u << 30;  // larger lengths are corruption

struct DiskLogOptions {
  // A new segment starts once the active one holds at least this many bytes.
  std::uint64_t segment_bytes = 64ull << 20;
  disk::WarnHandler warn;    // torn tail truncated, half-created segment removed
  disk::FatalHandler fatal;  // a write/fsync/unlink failed after open (must not return)
};

// What one segment holds, as found by scan_log() (also what check_log prints).
struct SegmentInfo {
  std::string path;
  Index first_index = 0;  // from the header (and the name)
  Index count = 0;        // good records
  Term first_term = 0;    // of the first/last good record (0 when empty)
  Term last_term = 0;
  std::uint64_t valid_bytes = 0;  // header + good records
  std::uint64_t file_bytes = 0;
  std::vector<std::uint64_t> offsets;  // byte offset of each good record
  Index last_index() const { return first_index + count - 1; }
};

// The result of reading a log directory without changing it.
struct LogScan {
  std::vector<SegmentInfo> segments;  // in index order; the torn part is not counted
  // Set when the last segment ends with a torn tail (see above): where the good data ends.
  struct Torn {
    std::string path;
    std::uint64_t offset = 0;      // first byte to drop
    std::uint64_t file_bytes = 0;  // file size before truncation
    bool whole_segment = false;    // partial/zero header: the file is to be deleted
    std::string reason;
  };
  std::optional<Torn> torn;
  std::string error;  // non-empty: corruption ("<path>: offset N: what") or an I/O error
  bool ok() const { return error.empty(); }
};

// Reads and verifies every segment of `dir` (a missing directory is an empty log). Never writes.
LogScan scan_log(const std::string& dir);

// File name of the segment starting at `first_index`.
std::string segment_file_name(Index first_index);

class DiskLogStore final : public LogStore {
 public:
  // Opens the log in `dir` (created if missing), truncating a torn tail with a warning. Returns
  // null with *error set if a file is corrupt or cannot be read.
  static std::unique_ptr<DiskLogStore> open(const std::string& dir, DiskLogOptions options,
                                            std::string* error);
  ~DiskLogStore() override;
  DiskLogStore(const DiskLogStore&) = delete;
  DiskLogStore& operator=(const DiskLogStore&) = delete;

  // LogStore. Not thread-safe: one thread at a time (the log thread once it owns the store).
  // After a reopen, first_index() may lie below a snapshot (compaction deletes whole segments);
  // the core reads from the snapshot on.
  Index first_index() const override { return first_; }
  Index last_index() const override;
  void append(std::span<const Entry> entries) override;  // write() + sync()
  void read(Index lo, Index hi, std::vector<Entry>* out) const override;
  void compact(Index index) override;
  void reset(Index index) override;

  // Group commit: write() puts records in the files without waiting for the disk; sync() makes
  // everything written so far durable (one fdatasync of the active segment).
  void write(std::span<const Entry> entries);
  void sync();
  // Term of entry `i` (first_index() <= i <= last_index()); reads the record.
  Term term_at(Index i) const;

  std::size_t segment_count() const { return segs_.size(); }
  std::uint64_t size_bytes() const;  // all segment files together
  const std::string& dir() const { return dir_; }
  // What open() had to repair (empty when the log was clean).
  const std::optional<LogScan::Torn>& repaired() const { return repaired_; }

 private:
  struct Segment {
    std::string path;
    Index first = 0;
    std::vector<std::uint64_t> offsets;
    std::uint64_t size = 0;
    int fd = -1;
    Index last() const { return first + offsets.size() - 1; }
  };

  DiskLogStore(std::string dir, DiskLogOptions options);
  [[noreturn]] void fail(const std::string& message) const;
  void create_segment(Index first);  // new empty active segment, durable
  void truncate_from(Index index);   // drops index.. (index <= last_index())
  void remove_segment_file(Segment& s);
  void sync_dir();
  std::size_t segment_of(Index i) const;

  std::string dir_;
  DiskLogOptions opts_;
  std::vector<Segment> segs_;  // never empty once open
  Index first_ = 1;            // first logical entry (compact() may raise it inside a segment)
  bool dirty_ = false;         // written since the last sync()
  std::optional<LogScan::Torn> repaired_;
  std::string scratch_;  // encoding buffer reused across writes
};

}  // namespace zakros::raft
