#include "raft/storage/disk_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace zakros::raft {

namespace {

constexpr char kSegmentMagic[8] = {'Z', 'K', 'R', 'S', 'L', 'O', 'G', '\n'};
constexpr std::string_view kSegmentSuffix = ".seg";

std::uint32_t length_check(const char* len_bytes) {
  return static_cast<std::uint32_t>(disk::checksum(std::string_view(len_bytes, 4)));
}

std::string segment_header(Index first) {
  std::string h(kSegmentMagic, sizeof kSegmentMagic);
  disk::put_u32(&h, kLogFormatVersion);
  disk::put_u32(&h, 0);
  disk::put_u64(&h, first);
  disk::put_u64(&h, disk::checksum(h));
  return h;
}

void encode_record(const Entry& e, std::string* out) {
  const std::size_t start = out->size();
  const auto len = static_cast<std::uint32_t>(kRecordBodyMin + e.data.size());
  disk::put_u32(out, len);
  disk::put_u32(out, 0);  // length check, filled below
  disk::put_u64(out, 0);  // body checksum, filled below
  disk::put_u64(out, e.term);
  disk::put_u64(out, e.index);
  out->push_back(static_cast<char>(e.type));
  out->append(e.data.view());
  char* rec = out->data() + start;
  const std::uint32_t lc = length_check(rec);
  const std::uint64_t bc = disk::checksum(std::string_view(rec + kRecordHeaderBytes, len));
  for (int i = 0; i < 4; ++i) rec[4 + i] = static_cast<char>((lc >> (8 * i)) & 0xff);
  for (int i = 0; i < 8; ++i) rec[8 + i] = static_cast<char>((bc >> (8 * i)) & 0xff);
}

// Decodes a verified body.
bool decode_body(const char* body, std::uint32_t len, Entry* e) {
  const auto type = static_cast<std::uint8_t>(body[16]);
  if (type > static_cast<std::uint8_t>(EntryType::kConfChange)) return false;
  e->term = disk::get_u64(body);
  e->index = disk::get_u64(body + 8);
  e->type = static_cast<EntryType>(type);
  e->data = Bytes(std::string_view(body + kRecordBodyMin, len - kRecordBodyMin));
  return true;
}

bool all_zero(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == 0; });
}

std::string at_offset(const std::string& path, std::uint64_t offset, const std::string& what) {
  return path + ": offset " + std::to_string(offset) + ": " + what;
}

bool parse_segment_name(const std::string& name, Index* first) {
  if (!disk::ends_with(name, kSegmentSuffix)) return false;
  const std::string digits = name.substr(0, name.size() - kSegmentSuffix.size());
  if (digits.empty() || digits.size() > 20) return false;
  Index v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<Index>(c - '0');
  }
  *first = v;
  return true;
}

// Verifies one segment file. Returns false with *error on corruption; a torn tail (only
// tolerated when `is_last`) is reported through *torn.
bool scan_segment(const std::string& path, Index named_first, bool is_last, SegmentInfo* info,
                  std::optional<LogScan::Torn>* torn, std::string* error) {
  std::string data;
  if (!disk::read_whole_file(path, &data, error)) return false;
  info->path = path;
  info->first_index = named_first;
  info->file_bytes = data.size();
  auto tear = [&](std::uint64_t offset, bool whole, std::string reason) {
    *torn = LogScan::Torn{path, offset, data.size(), whole, std::move(reason)};
    info->valid_bytes = whole ? 0 : offset;
    return true;
  };
  if (data.size() < kSegmentHeaderBytes || all_zero(std::string_view(data).substr(0, 32))) {
    if (is_last && all_zero(data)) return tear(0, true, "segment header never written");
    if (is_last && data.size() < kSegmentHeaderBytes) {
      return tear(0, true, "partial segment header");
    }
    *error = at_offset(path, 0, "bad segment header");
    return false;
  }
  const std::string_view header(data.data(), kSegmentHeaderBytes);
  if (std::memcmp(header.data(), kSegmentMagic, sizeof kSegmentMagic) != 0) {
    *error = at_offset(path, 0, "not a zakros log segment (bad magic)");
    return false;
  }
  if (disk::checksum(header.substr(0, 24)) != disk::get_u64(header.data() + 24)) {
    *error = at_offset(path, 0, "segment header checksum mismatch");
    return false;
  }
  if (const std::uint32_t v = disk::get_u32(header.data() + 8); v != kLogFormatVersion) {
    *error = at_offset(path, 8, "unsupported log format version " + std::to_string(v));
    return false;
  }
  if (disk::get_u64(header.data() + 16) != named_first) {
    *error =
        at_offset(path, 16,
                  "header says first index " + std::to_string(disk::get_u64(header.data() + 16)) +
                      ", the file name says " + std::to_string(named_first));
    return false;
  }
  std::uint64_t p = kSegmentHeaderBytes;
  const std::uint64_t size = data.size();
  Term prev_term = 0;
  auto bad = [&](std::uint64_t at, const std::string& what, bool tolerable) {
    if (is_last && tolerable) return tear(at, false, what);
    *error = at_offset(path, at, what);
    return false;
  };
  while (p < size) {
    const char* rec = data.data() + p;
    const std::string_view rest(rec, size - p);
    if (size - p < kRecordHeaderBytes) return bad(p, "partial record header", true);
    const std::uint32_t len = disk::get_u32(rec);
    if (disk::get_u32(rec + 4) != length_check(rec)) {
      return bad(p, "record length check mismatch", all_zero(rest));
    }
    if (len < kRecordBodyMin || len > kMaxRecordBody) {
      return bad(p, "impossible record length " + std::to_string(len), all_zero(rest));
    }
    const std::uint64_t end = p + kRecordHeaderBytes + len;
    if (end > size) return bad(p, "record runs past the end of the file", true);
    const std::string_view body(rec + kRecordHeaderBytes, len);
    if (disk::checksum(body) != disk::get_u64(rec + 8)) {
      return bad(p, "record checksum mismatch",
                 end == size || all_zero(std::string_view(data).substr(end)));
    }
    Entry e;
    if (!decode_body(body.data(), len, &e)) return bad(p, "unknown entry type", false);
    const Index expected = named_first + info->count;
    if (e.index != expected) {
      return bad(p,
                 "record holds index " + std::to_string(e.index) + ", expected " +
                     std::to_string(expected),
                 false);
    }
    if (e.term < prev_term) {
      return bad(
          p, "term goes back from " + std::to_string(prev_term) + " to " + std::to_string(e.term),
          false);
    }
    if (info->count == 0) info->first_term = e.term;
    info->last_term = prev_term = e.term;
    info->offsets.push_back(p);
    ++info->count;
    p = end;
  }
  info->valid_bytes = p;
  return true;
}

}  // namespace

std::string segment_file_name(Index first_index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu.seg", static_cast<unsigned long long>(first_index));
  return buf;
}

LogScan scan_log(const std::string& dir) {
  LogScan scan;
  std::vector<std::string> names;
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 && errno == ENOENT) return scan;
  if (!disk::list_dir(dir, &names, &scan.error)) return scan;
  std::vector<std::pair<Index, std::string>> segs;
  for (const auto& n : names) {
    Index first = 0;
    if (parse_segment_name(n, &first)) segs.emplace_back(first, n);
  }
  std::sort(segs.begin(), segs.end());
  for (std::size_t k = 0; k < segs.size(); ++k) {
    SegmentInfo info;
    const std::string path = disk::join(dir, segs[k].second);
    if (!scan_segment(path, segs[k].first, k + 1 == segs.size(), &info, &scan.torn, &scan.error)) {
      return scan;
    }
    if (scan.torn && scan.torn->whole_segment) break;  // a half-created last segment
    if (!scan.segments.empty()) {
      const SegmentInfo& prev = scan.segments.back();
      if (info.first_index != prev.last_index() + 1) {
        scan.error =
            at_offset(path, 0,
                      "segment starts at index " + std::to_string(info.first_index) +
                          " but the previous one ends at " + std::to_string(prev.last_index()));
        return scan;
      }
      if (info.count > 0 && prev.count > 0 && info.first_term < prev.last_term) {
        scan.error = at_offset(path, info.offsets.front(),
                               "term goes back from " + std::to_string(prev.last_term) + " to " +
                                   std::to_string(info.first_term));
        return scan;
      }
    }
    scan.segments.push_back(std::move(info));
  }
  return scan;
}

DiskLogStore::DiskLogStore(std::string dir, DiskLogOptions options)
    : dir_(std::move(dir)), opts_(std::move(options)) {}

DiskLogStore::~DiskLogStore() {
  for (auto& s : segs_) {
    if (s.fd >= 0) ::close(s.fd);
  }
}

void DiskLogStore::fail(const std::string& message) const {
  disk::fail(opts_.fatal, "raft log " + dir_ + ": " + message);
}

std::unique_ptr<DiskLogStore> DiskLogStore::open(const std::string& dir, DiskLogOptions options,
                                                 std::string* error) {
  if (!disk::make_dirs(dir, error)) return nullptr;
  LogScan scan = scan_log(dir);
  if (!scan.ok()) {
    *error = scan.error;
    return nullptr;
  }
  std::unique_ptr<DiskLogStore> log(new DiskLogStore(dir, std::move(options)));
  if (scan.torn) {
    const auto& t = *scan.torn;
    if (t.whole_segment) {
      if (::unlink(t.path.c_str()) != 0) {
        *error = disk::errno_message("unlink torn segment", t.path);
        return nullptr;
      }
      if (!disk::fsync_dir(dir, error)) return nullptr;
      disk::warn(log->opts_.warn, "raft log: removed half-created segment " + t.path + " (" +
                                      t.reason + ", " + std::to_string(t.file_bytes) + " bytes)");
    } else {
      const int fd = ::open(t.path.c_str(), O_RDWR | O_CLOEXEC);
      if (fd < 0 || ::ftruncate(fd, static_cast<off_t>(t.offset)) != 0 || ::fsync(fd) != 0) {
        *error = disk::errno_message("truncate torn tail of", t.path);
        if (fd >= 0) ::close(fd);
        return nullptr;
      }
      ::close(fd);
      disk::warn(log->opts_.warn, "raft log: torn tail truncated: " + t.path + " offset " +
                                      std::to_string(t.offset) + " (" + t.reason + "), " +
                                      std::to_string(t.file_bytes - t.offset) +
                                      " bytes of unacknowledged writes dropped");
    }
    log->repaired_ = t;
  }
  for (auto& info : scan.segments) {
    Segment s;
    s.path = info.path;
    s.first = info.first_index;
    s.offsets = std::move(info.offsets);
    s.size = info.valid_bytes;
    s.fd = ::open(s.path.c_str(), O_RDWR | O_CLOEXEC);
    if (s.fd < 0) {
      *error = disk::errno_message("open", s.path);
      return nullptr;
    }
    log->segs_.push_back(std::move(s));
  }
  if (log->segs_.empty()) log->create_segment(1);
  log->first_ = log->segs_.front().first;
  return log;
}

Index DiskLogStore::last_index() const {
  const Segment& s = segs_.back();
  return s.first + s.offsets.size() - 1;
}

std::uint64_t DiskLogStore::size_bytes() const {
  std::uint64_t n = 0;
  for (const auto& s : segs_) n += s.size;
  return n;
}

void DiskLogStore::sync_dir() {
  std::string error;
  if (!disk::fsync_dir(dir_, &error)) fail(error);
}

void DiskLogStore::create_segment(Index first) {
  Segment s;
  s.path = disk::join(dir_, segment_file_name(first));
  s.first = first;
  s.fd = ::open(s.path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (s.fd < 0) fail(disk::errno_message("create segment", s.path));
  const std::string header = segment_header(first);
  if (!disk::pwrite_all(s.fd, header, 0)) fail(disk::errno_message("write", s.path));
  if (::fsync(s.fd) != 0) fail(disk::errno_message("fsync", s.path));
  s.size = header.size();
  segs_.push_back(std::move(s));
  sync_dir();
}

void DiskLogStore::remove_segment_file(Segment& s) {
  if (s.fd >= 0) ::close(s.fd);
  s.fd = -1;
  if (::unlink(s.path.c_str()) != 0 && errno != ENOENT) {
    fail(disk::errno_message("unlink segment", s.path));
  }
}

std::size_t DiskLogStore::segment_of(Index i) const {
  // The last segment whose first index is <= i.
  auto it = std::upper_bound(segs_.begin(), segs_.end(), i,
                             [](Index v, const Segment& s) { return v < s.first; });
  return static_cast<std::size_t>(it - segs_.begin()) - 1;
}

void DiskLogStore::truncate_from(Index index) {
  const std::size_t k = segment_of(index);
  if (segs_.size() > k + 1) {
    while (segs_.size() > k + 1) {  // newest first: a crash leaves a prefix
      remove_segment_file(segs_.back());
      segs_.pop_back();
    }
    sync_dir();
  }
  Segment& s = segs_[k];
  const std::size_t keep = index - s.first;
  if (keep < s.offsets.size()) {
    s.size = s.offsets[keep];
    s.offsets.resize(keep);
    if (::ftruncate(s.fd, static_cast<off_t>(s.size)) != 0) {
      fail(disk::errno_message("truncate", s.path));
    }
    // Durable before new records land where the old ones were (see the header).
    if (::fdatasync(s.fd) != 0) fail(disk::errno_message("fsync", s.path));
  }
}

void DiskLogStore::write(std::span<const Entry> entries) {
  if (entries.empty()) return;
  const Index from = entries.front().index;
  if (from < first_ || from > last_index() + 1) {
    fail("append at index " + std::to_string(from) + " leaves a gap (held " +
         std::to_string(first_) + ".." + std::to_string(last_index()) + ")");
  }
  for (std::size_t k = 1; k < entries.size(); ++k) {  // checked before anything is dropped
    if (entries[k].index != from + k) {
      fail("append of non-consecutive entries at index " + std::to_string(entries[k].index));
    }
  }
  if (from <= last_index()) truncate_from(from);
  std::vector<std::uint64_t> offsets;
  auto flush = [&] {
    if (scratch_.empty()) return;
    Segment& s = segs_.back();
    if (!disk::pwrite_all(s.fd, scratch_, s.size)) fail(disk::errno_message("write", s.path));
    for (auto o : offsets) s.offsets.push_back(s.size + o);
    s.size += scratch_.size();
    scratch_.clear();
    offsets.clear();
    dirty_ = true;
  };
  scratch_.clear();
  for (const Entry& e : entries) {
    const Segment& active = segs_.back();
    if (active.size + scratch_.size() >= opts_.segment_bytes &&
        !(active.offsets.empty() && offsets.empty())) {
      flush();
      // The full segment is durable before the next exists: only the last can be torn.
      if (::fdatasync(segs_.back().fd) != 0) {
        fail(disk::errno_message("fsync", segs_.back().path));
      }
      create_segment(e.index);
    }
    if (e.data.size() > kMaxRecordBody - kRecordBodyMin) {
      fail("entry " + std::to_string(e.index) + " too large for a record");
    }
    offsets.push_back(scratch_.size());
    encode_record(e, &scratch_);
  }
  flush();
}

void DiskLogStore::sync() {
  if (!dirty_) return;
  Segment& s = segs_.back();
  if (::fdatasync(s.fd) != 0) fail(disk::errno_message("fsync", s.path));
  dirty_ = false;
}

void DiskLogStore::append(std::span<const Entry> entries) {
  write(entries);
  sync();
}

void DiskLogStore::read(Index lo, Index hi, std::vector<Entry>* out) const {
  if (lo > hi) return;
  if (lo < first_ || hi > last_index()) {
    fail("read of " + std::to_string(lo) + ".." + std::to_string(hi) + " outside " +
         std::to_string(first_) + ".." + std::to_string(last_index()));
  }
  std::string buf;
  for (std::size_t k = segment_of(lo); k < segs_.size() && lo <= hi; ++k) {
    const Segment& s = segs_[k];
    const Index seg_hi = std::min(hi, s.last());
    const std::uint64_t begin = s.offsets[lo - s.first];
    const std::uint64_t end = seg_hi == s.last() ? s.size : s.offsets[seg_hi - s.first + 1];
    buf.resize(end - begin);
    if (!disk::pread_all(s.fd, buf.data(), buf.size(), begin)) {
      fail(disk::errno_message("read", s.path));
    }
    std::uint64_t p = 0;
    for (Index i = lo; i <= seg_hi; ++i) {
      const char* rec = buf.data() + p;
      const std::uint32_t len = disk::get_u32(rec);
      Entry e;
      if (p + kRecordHeaderBytes + len > buf.size() ||
          disk::checksum(std::string_view(rec + kRecordHeaderBytes, len)) !=
              disk::get_u64(rec + 8) ||
          !decode_body(rec + kRecordHeaderBytes, len, &e) || e.index != i) {
        fail(at_offset(s.path, begin + p, "record changed on disk since it was verified"));
      }
      out->push_back(std::move(e));
      p += kRecordHeaderBytes + len;
    }
    lo = seg_hi + 1;
  }
}

Term DiskLogStore::term_at(Index i) const {
  if (i < first_ || i > last_index()) fail("term_at " + std::to_string(i) + " outside the log");
  const Segment& s = segs_[segment_of(i)];
  char buf[kRecordHeaderBytes + 8];
  if (!disk::pread_all(s.fd, buf, sizeof buf, s.offsets[i - s.first])) {
    fail(disk::errno_message("read", s.path));
  }
  return disk::get_u64(buf + kRecordHeaderBytes);
}

void DiskLogStore::compact(Index index) {
  if (index < first_) return;
  if (index > last_index()) {
    reset(index);
    return;
  }
  std::size_t drop = 0;
  while (drop + 1 < segs_.size() && segs_[drop + 1].first <= index + 1) ++drop;
  for (std::size_t k = 0; k < drop; ++k) remove_segment_file(segs_[k]);  // oldest first
  if (drop > 0) {
    segs_.erase(segs_.begin(), segs_.begin() + static_cast<std::ptrdiff_t>(drop));
    sync_dir();
  }
  first_ = index + 1;
}

void DiskLogStore::reset(Index index) {
  while (!segs_.empty()) {  // newest first: a crash leaves a prefix lying under the snapshot
    remove_segment_file(segs_.back());
    segs_.pop_back();
  }
  sync_dir();
  dirty_ = false;
  create_segment(index + 1);
  first_ = index + 1;
}

}  // namespace zakros::raft
