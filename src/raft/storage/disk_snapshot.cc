#include "raft/storage/disk_snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace zakros::raft {

namespace {

constexpr char kMagic[8] = {'Z', 'K', 'R', 'S', 'S', 'N', 'P', '\n'};
constexpr std::size_t kFixedBytes = 52;

std::string index_name(Index index, const char* suffix) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%020llu%s", static_cast<unsigned long long>(index), suffix);
  return buf;
}

bool parse_index(const std::string& name, std::string_view suffix, Index* index) {
  if (!disk::ends_with(name, suffix) || name.size() != 20 + suffix.size()) return false;
  Index v = 0;
  for (std::size_t k = 0; k < 20; ++k) {
    if (name[k] < '0' || name[k] > '9') return false;
    v = v * 10 + static_cast<Index>(name[k] - '0');
  }
  *index = v;
  return true;
}

bool unlink_quiet(const std::string& path, std::string* error) {
  if (::unlink(path.c_str()) == 0 || errno == ENOENT) return true;
  *error = disk::errno_message("unlink", path);
  return false;
}

}  // namespace

std::string encode_snapshot_meta(const SnapshotMeta& meta, std::uint64_t payload_bytes,
                                 std::uint64_t payload_checksum) {
  std::string out(kMagic, sizeof kMagic);
  disk::put_u32(&out, kSnapshotFormatVersion);
  disk::put_u32(&out, 0);
  disk::put_u64(&out, meta.index);
  disk::put_u64(&out, meta.term);
  disk::put_u64(&out, payload_bytes);
  disk::put_u64(&out, payload_checksum);
  const std::string conf = meta.conf.encode();
  disk::put_u32(&out, static_cast<std::uint32_t>(conf.size()));
  out += conf;
  disk::put_u64(&out, disk::checksum(out));
  return out;
}

bool decode_snapshot_meta(std::string_view bytes, SnapshotFile* out, std::string* error) {
  if (bytes.size() < kFixedBytes + 8) {
    *error = "offset 0: metadata too short (" + std::to_string(bytes.size()) + " bytes)";
    return false;
  }
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    *error = "offset 0: bad magic";
    return false;
  }
  const std::uint32_t conf_len = disk::get_u32(bytes.data() + 48);
  if (bytes.size() != kFixedBytes + conf_len + 8) {
    *error = "offset 48: configuration length " + std::to_string(conf_len) +
             " does not match the file size " + std::to_string(bytes.size());
    return false;
  }
  const std::size_t sum_at = kFixedBytes + conf_len;
  if (disk::checksum(bytes.substr(0, sum_at)) != disk::get_u64(bytes.data() + sum_at)) {
    *error = "offset " + std::to_string(sum_at) + ": metadata checksum mismatch";
    return false;
  }
  if (disk::get_u32(bytes.data() + 8) != kSnapshotFormatVersion) {
    *error = "offset 8: unsupported version " + std::to_string(disk::get_u32(bytes.data() + 8));
    return false;
  }
  auto conf = ConfState::decode(bytes.substr(kFixedBytes, conf_len));
  if (!conf) {
    *error = "offset 52: undecodable configuration";
    return false;
  }
  out->meta.index = disk::get_u64(bytes.data() + 16);
  out->meta.term = disk::get_u64(bytes.data() + 24);
  out->meta.conf = std::move(*conf);
  out->payload_bytes = disk::get_u64(bytes.data() + 32);
  out->payload_checksum = disk::get_u64(bytes.data() + 40);
  return true;
}

SnapshotScan scan_snapshots(const std::string& dir) {
  SnapshotScan scan;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 && errno == ENOENT) return scan;
  std::vector<std::string> names;
  if (!disk::list_dir(dir, &names, &scan.error)) return scan;
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    const std::string path = disk::join(dir, name);
    Index index = 0;
    if (disk::ends_with(name, ".tmp")) {
      scan.temporary.push_back(path);
    } else if (parse_index(name, ".rdb", &index)) {
      if (std::find(names.begin(), names.end(), index_name(index, ".meta")) == names.end()) {
        scan.orphans.push_back(path);
      }
    } else if (parse_index(name, ".meta", &index)) {
      SnapshotFile f;
      f.meta_path = path;
      f.payload_path = disk::join(dir, index_name(index, ".rdb"));
      std::string bytes, error;
      if (!disk::read_whole_file(path, &bytes, &error)) {
        scan.invalid.push_back(error);
        continue;
      }
      if (!decode_snapshot_meta(bytes, &f, &error)) {
        scan.invalid.push_back(path + ": " + error);
        continue;
      }
      if (f.meta.index != index) {
        scan.invalid.push_back(path + ": offset 16: index " + std::to_string(f.meta.index) +
                               " does not match the file name");
        continue;
      }
      std::uint64_t sum = 0, size = 0;
      if (!disk::checksum_file(f.payload_path, &sum, &size, &error)) {
        scan.invalid.push_back(error);
        continue;
      }
      if (size != f.payload_bytes) {
        scan.invalid.push_back(f.payload_path + ": offset " + std::to_string(size) +
                               ": payload is " + std::to_string(size) + " bytes, metadata says " +
                               std::to_string(f.payload_bytes));
        continue;
      }
      if (sum != f.payload_checksum) {
        scan.invalid.push_back(f.payload_path + ": offset 0: payload checksum mismatch");
        continue;
      }
      scan.valid.push_back(std::move(f));
    }
  }
  std::sort(scan.valid.begin(), scan.valid.end(), [](const SnapshotFile& a, const SnapshotFile& b) {
    return a.meta.index > b.meta.index;
  });
  return scan;
}

std::unique_ptr<DiskSnapshotStore> DiskSnapshotStore::open(const std::string& dir,
                                                           DiskSnapshotOptions options,
                                                           std::string* error) {
  if (!disk::make_dirs(dir, error)) return nullptr;
  SnapshotScan scan = scan_snapshots(dir);
  if (!scan.error.empty()) {
    *error = scan.error;
    return nullptr;
  }
  std::unique_ptr<DiskSnapshotStore> store(new DiskSnapshotStore(dir, std::move(options)));
  bool removed = false;
  for (const auto& path : scan.temporary) {
    if (!unlink_quiet(path, error)) return nullptr;
    disk::warn(store->opts_.warn, "raft snapshots: removed unfinished " + path);
    removed = true;
  }
  for (const auto& path : scan.orphans) {
    if (!unlink_quiet(path, error)) return nullptr;
    disk::warn(store->opts_.warn, "raft snapshots: removed payload without metadata " + path);
    removed = true;
  }
  for (const auto& what : scan.invalid) {
    disk::warn(store->opts_.warn, "raft snapshots: skipping invalid snapshot: " + what);
  }
  for (std::size_t k = 1; k < scan.valid.size(); ++k) {
    if (!unlink_quiet(scan.valid[k].meta_path, error) ||
        !unlink_quiet(scan.valid[k].payload_path, error)) {
      return nullptr;
    }
    removed = true;
  }
  if (removed && !disk::fsync_dir(dir, error)) return nullptr;
  if (!scan.valid.empty()) store->newest_ = std::move(scan.valid.front());
  return store;
}

std::optional<SnapshotFile> DiskSnapshotStore::newest() const {
  std::lock_guard lock(mu_);
  return newest_;
}

std::string DiskSnapshotStore::payload_temp_path(Index index) const {
  return disk::join(dir_, index_name(index, ".rdb.tmp"));
}

std::shared_ptr<const Snapshot> DiskSnapshotStore::load() const {
  const auto f = newest();
  if (!f) return nullptr;
  std::string bytes, error;
  if (!disk::read_whole_file(f->payload_path, &bytes, &error)) {
    disk::fail(opts_.fatal, "raft snapshots: " + error);
  }
  auto snap = std::make_shared<Snapshot>();
  snap->meta = f->meta;
  snap->data = Bytes(bytes);
  return snap;
}

void DiskSnapshotStore::save(std::shared_ptr<const Snapshot> snapshot) {
  if (!snapshot) return;
  if (const auto cur = newest(); cur && cur->meta.index == snapshot->meta.index) return;
  const std::string tmp = payload_temp_path(snapshot->meta.index);
  std::string error;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) disk::fail(opts_.fatal, "raft snapshots: " + disk::errno_message("create", tmp));
  const bool ok = disk::pwrite_all(fd, snapshot->data.view(), 0);
  ::close(fd);
  if (!ok) disk::fail(opts_.fatal, "raft snapshots: " + disk::errno_message("write", tmp));
  if (!install(snapshot->meta, tmp, &error)) disk::fail(opts_.fatal, "raft snapshots: " + error);
}

bool DiskSnapshotStore::install(const SnapshotMeta& meta, const std::string& payload_path,
                                std::string* error) {
  std::string ignored;
  if (const auto cur = newest(); cur && cur->meta.index == meta.index) {
    unlink_quiet(payload_path, &ignored);  // same index, same state: keep the one installed
    return true;
  }
  SnapshotFile f;
  f.meta = meta;
  f.meta.conf.normalize();
  f.meta_path = disk::join(dir_, index_name(meta.index, ".meta"));
  f.payload_path = disk::join(dir_, index_name(meta.index, ".rdb"));
  bool ok = disk::checksum_file(payload_path, &f.payload_checksum, &f.payload_bytes, error);
  if (ok) {
    const int fd = ::open(payload_path.c_str(), O_RDONLY | O_CLOEXEC);
    ok = fd >= 0 && ::fsync(fd) == 0;
    if (!ok) *error = disk::errno_message("fsync", payload_path);
    if (fd >= 0) ::close(fd);
  }
  if (ok && ::rename(payload_path.c_str(), f.payload_path.c_str()) != 0) {
    *error = disk::errno_message("rename to " + f.payload_path + " from", payload_path);
    ok = false;
  }
  if (!ok) {
    unlink_quiet(payload_path, &ignored);
    return false;
  }
  // The metadata's rename and directory fsync make the payload's rename durable too.
  if (!disk::write_file_atomic(
          f.meta_path, encode_snapshot_meta(f.meta, f.payload_bytes, f.payload_checksum), error)) {
    return false;
  }
  const Index installed = f.meta.index;
  {
    std::lock_guard lock(mu_);
    if (!newest_ || newest_->meta.index < installed) newest_ = std::move(f);
  }
  delete_older_than(newest()->meta.index);
  return true;
}

void DiskSnapshotStore::delete_older_than(Index index) {
  std::vector<std::string> names;
  std::string error;
  if (!disk::list_dir(dir_, &names, &error)) disk::fail(opts_.fatal, "raft snapshots: " + error);
  bool removed = false;
  // Metadata first: a crash in between leaves an orphan payload, which open() removes.
  for (const char* suffix : {".meta", ".rdb"}) {
    for (const auto& name : names) {
      Index i = 0;
      if (parse_index(name, suffix, &i) && i < index) {
        if (!unlink_quiet(disk::join(dir_, name), &error)) {
          disk::fail(opts_.fatal, "raft snapshots: " + error);
        }
        removed = true;
      }
    }
  }
  if (removed && !disk::fsync_dir(dir_, &error)) {
    disk::fail(opts_.fatal, "raft snapshots: " + error);
  }
}

}  // namespace zakros::raft
