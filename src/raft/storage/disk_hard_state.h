// DiskHardStateStore: term, vote and commit index in one small file, replaced atomically.
//
// File: <node dir>/hard_state (version 1, 48 bytes, little-endian):
//     0   8  magic "ZKRSHST\n"
//     8   4  version (1)
//     12  4  reserved (0)
//     16  8  term
//     24  8  vote (raft::kNoNode = none)
//     32  8  commit index
//     40  8  XXH3-64 of bytes 0..39
// Each save writes hard_state.tmp, fsyncs it, renames it over hard_state and fsyncs the
// directory, so after a crash the file holds the old or the new state, never a mix; a file that
// fails its checks is corruption (refused, never torn). A missing file is a first start.
//
// Commit is advisory (types.h: it only saves re-learning the commit index after a restart), so
// by default a save that changes nothing but the commit index is kept in memory and written
// with the next change of term or vote, or by flush() (at shutdown): a leader's commit index
// moves with every batch, and three fsyncs per batch for it would halve the write rate. The
// commit on disk is thus never ahead of the log (it was taken from a Ready whose entries were
// written first) but may lag. Set DiskHardStateOptions::sync_commit to write every change.
#pragma once

#include <memory>
#include <string>

#include "raft/core/storage.h"
#include "raft/storage/disk_io.h"

namespace zakros::raft {

inline constexpr std::uint32_t kHardStateFormatVersion = 1;
inline constexpr std::size_t kHardStateFileBytes = 48;
inline constexpr const char* kHardStateFileName = "hard_state";

struct DiskHardStateOptions {
  bool sync_commit = false;  // write commit-only changes at once
  disk::FatalHandler fatal;  // a write failed after open (must not return)
};

// Encoding/decoding of the file (check_log reads it too). decode returns false with *error
// ("<what>") on a bad size, magic, version or checksum.
std::string encode_hard_state_file(const HardState& hs);
bool decode_hard_state_file(std::string_view bytes, HardState* hs, std::string* error);

// Reads `dir`/hard_state: *found = false (and a zero HardState) if there is none.
bool read_hard_state_file(const std::string& dir, HardState* hs, bool* found, std::string* error);

class DiskHardStateStore final : public HardStateStore {
 public:
  // Opens the hard state of the node directory `dir` (created if missing; a stale
  // hard_state.tmp is removed). Null with *error if the file is corrupt or unreadable.
  static std::unique_ptr<DiskHardStateStore> open(const std::string& dir,
                                                  DiskHardStateOptions options, std::string* error);

  // The newest state saved in this process (or loaded at open).
  HardState load() const override { return current_; }
  // Durable on return when term or vote changed (or with sync_commit); see above.
  void save(const HardState& hs) override;
  // Writes a commit index that save() kept in memory.
  void flush();
  // What the file holds now.
  const HardState& durable() const { return durable_; }
  std::uint64_t writes() const { return writes_; }

 private:
  DiskHardStateStore(std::string dir, DiskHardStateOptions options)
      : dir_(std::move(dir)), opts_(std::move(options)) {}
  void write(const HardState& hs);

  std::string dir_;
  DiskHardStateOptions opts_;
  HardState current_;
  HardState durable_;
  std::uint64_t writes_ = 0;
};

}  // namespace zakros::raft
