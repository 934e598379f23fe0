#include "raft/storage/disk_hard_state.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace zakros::raft {

namespace {
constexpr char kMagic[8] = {'Z', 'K', 'R', 'S', 'H', 'S', 'T', '\n'};
}  // namespace

std::string encode_hard_state_file(const HardState& hs) {
  std::string out(kMagic, sizeof kMagic);
  disk::put_u32(&out, kHardStateFormatVersion);
  disk::put_u32(&out, 0);
  disk::put_u64(&out, hs.term);
  disk::put_u64(&out, hs.vote);
  disk::put_u64(&out, hs.commit);
  disk::put_u64(&out, disk::checksum(out));
  return out;
}

bool decode_hard_state_file(std::string_view bytes, HardState* hs, std::string* error) {
  if (bytes.size() != kHardStateFileBytes) {
    *error = "size " + std::to_string(bytes.size()) + ", expected " +
             std::to_string(kHardStateFileBytes);
    return false;
  }
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    *error = "bad magic";
    return false;
  }
  if (disk::checksum(bytes.substr(0, 40)) != disk::get_u64(bytes.data() + 40)) {
    *error = "checksum mismatch";
    return false;
  }
  if (disk::get_u32(bytes.data() + 8) != kHardStateFormatVersion) {
    *error = "unsupported version " + std::to_string(disk::get_u32(bytes.data() + 8));
    return false;
  }
  hs->term = disk::get_u64(bytes.data() + 16);
  hs->vote = disk::get_u64(bytes.data() + 24);
  hs->commit = disk::get_u64(bytes.data() + 32);
  return true;
}

bool read_hard_state_file(const std::string& dir, HardState* hs, bool* found, std::string* error) {
  *hs = HardState{};
  const std::string path = disk::join(dir, kHardStateFileName);
  std::string bytes;
  bool missing = false;
  if (!disk::read_whole_file(path, &bytes, error, &missing)) {
    *found = false;
    if (missing) error->clear();
    return missing;
  }
  *found = true;
  std::string what;
  if (!decode_hard_state_file(bytes, hs, &what)) {
    *error = path + ": offset 0: " + what;
    return false;
  }
  return true;
}

std::unique_ptr<DiskHardStateStore> DiskHardStateStore::open(const std::string& dir,
                                                             DiskHardStateOptions options,
                                                             std::string* error) {
  if (!disk::make_dirs(dir, error)) return nullptr;
  // A leftover temporary file is a save that never reached its rename: not part of the state.
  const std::string tmp = disk::join(dir, std::string(kHardStateFileName) + ".tmp");
  if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) {
    *error = disk::errno_message("unlink", tmp);
    return nullptr;
  }
  HardState hs;
  bool found = false;
  if (!read_hard_state_file(dir, &hs, &found, error)) return nullptr;
  std::unique_ptr<DiskHardStateStore> store(new DiskHardStateStore(dir, std::move(options)));
  store->current_ = store->durable_ = hs;
  return store;
}

void DiskHardStateStore::save(const HardState& hs) {
  current_ = hs;
  if (hs == durable_) return;
  if (hs.term == durable_.term && hs.vote == durable_.vote && !opts_.sync_commit) return;
  write(hs);
}

void DiskHardStateStore::flush() {
  if (current_ != durable_) write(current_);
}

void DiskHardStateStore::write(const HardState& hs) {
  std::string error;
  if (!disk::write_file_atomic(disk::join(dir_, kHardStateFileName), encode_hard_state_file(hs),
                               &error)) {
    disk::fail(opts_.fatal, "raft hard state: " + error);
  }
  durable_ = hs;
  ++writes_;
}

}  // namespace zakros::raft
