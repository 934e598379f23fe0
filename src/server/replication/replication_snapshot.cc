// Replication's snapshots: taking them (Snapshotter's fork child), installing them, loading the
// newest at start and installing one received from the leader. The overview is in
// replication.h; the snapshot files' layout in raft/disk_snapshot.h; the RDB format in
// store/rdb.h.
//
// A snapshot's RDB file carries, besides Redis's own aux fields:
//   zakros-raft-index    the index it covers (every entry up to it is applied in it)
//   zakros-raft-term     that entry's term
//   zakros-raft-conf     the membership in force there: "voters=0,1,2 learners="
//   zakros-raft-members  the member addresses this node knew: "0=host:port 1=host:port ..."
//   zakros-now-ms        the newest `now` applied (the clock clamp, design.md "Determinism")
//   zakros-watch-record  the WATCH modification record at that index (replication.h), so that
//                        a node started from the snapshot decides every later EXEC exactly as
//                        the nodes that applied the whole log. Text: "<record_start>" then
//                        " d<db>:<index>" per database-wide change, then " <index>:h<id>" per
//                        recorded key modification, oldest first, <id> being the 16 hex digits
//                        of its modification_id. (Files of before 2026-12-08 have
//                        " <index>:<hex of "db\0key">" instead; they still load.)
// Real Redis ignores aux fields it does not know, so it loads these files as they are.
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "raft/core/memory_storage.h"
#include "raft/storage/disk_io.h"
#include "raft/storage/disk_log.h"
#include "raft/storage/disk_log_writer.h"
#include "raft/storage/disk_snapshot.h"
#include "server/replication/replication.h"
#include "server/replication/snapshotter.h"
#include "server/server.h"
#include "server/session/blocking.h"
#include "server/session/transactions.h"
#include "store/keyspace.h"
#include "util/clock.h"
#include "util/strings.h"

namespace zakros::server {

namespace {

// After a failed automatic snapshot, wait this long before the next attempt.
constexpr int64_t kRetryAfterFailureMs = 5000;

constexpr std::string_view kAuxIndex = "zakros-raft-index";
constexpr std::string_view kAuxTerm = "zakros-raft-term";
constexpr std::string_view kAuxConf = "zakros-raft-conf";
constexpr std::string_view kAuxMembers = "zakros-raft-members";
constexpr std::string_view kAuxNow = "zakros-now-ms";
constexpr std::string_view kAuxWatch = "zakros-watch-record";

std::string join_ids(const std::vector<raft::NodeId>& ids) {
  std::string s;
  for (raft::NodeId id : ids) {
    if (!s.empty()) s += ',';
    s += std::to_string(id);
  }
  return s;
}

const std::string* find_aux(const store::rdb::AuxFields& aux, std::string_view name) {
  for (const auto& [k, v] : aux) {
    if (k == name) return &v;
  }
  return nullptr;
}

bool from_hex(std::string_view s, std::string* out) {
  if (s.size() % 2 != 0) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out->clear();
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

// A recorded modification of the zakros-watch-record field: "h<16 hex digits>" (the id), or
// the hex of "<db>\0<key>" (files of before 2026-12-08).
bool parse_modification_id(std::string_view s, uint64_t* id) {
  if (!s.empty() && s[0] == 'h') {
    const std::string digits(s.substr(1));
    if (digits.size() != 16 || !std::all_of(digits.begin(), digits.end(), ::isxdigit)) {
      return false;
    }
    *id = std::strtoull(digits.c_str(), nullptr, 16);
    return true;
  }
  std::string old;
  if (!from_hex(s, &old)) return false;
  const size_t nul = old.find('\0');
  if (nul == std::string::npos || nul == 0 || nul > 10) return false;
  const int db = std::atoi(old.substr(0, nul).c_str());
  *id = modification_id(db, std::string_view(old).substr(nul + 1));
  return true;
}

}  // namespace

// ---- start ------------------------------------------------------------------------------------

bool Replication::open_snapshots(const std::string& node_dir, std::string* error) {
  const std::string dir = node_dir + "/snapshots";
  // Scanned first only to name broken snapshots if the log turns out to need one of them.
  raft::SnapshotScan scan = raft::scan_snapshots(dir);
  raft::DiskSnapshotOptions options;
  options.warn = [](const std::string& what) { spdlog::warn("{}", what); };
  options.fatal = raft_storage_failure;
  auto store = raft::DiskSnapshotStore::open(dir, options, error);
  if (!store) return false;
  disk_snapshots_ = store.get();
  snapshots_ = std::move(store);
  const auto newest = disk_snapshots_->newest();
  const raft::Index snap_index = newest ? newest->meta.index : 0;
  if (disk_log_->first_index() > snap_index + 1) {
    *error =
        "Can't start: the Raft log in " + disk_log_->dir() + " starts at entry " +
        std::to_string(disk_log_->first_index()) +
        (newest ? ", after the newest valid snapshot (index " + std::to_string(snap_index) + ")"
                : " but there is no valid snapshot in " + dir) +
        ", so entries would be missing";
    for (const auto& bad : scan.invalid) *error += "; invalid snapshot: " + bad;
    return false;
  }
  if (newest && snap_index >= disk_log_->first_index()) {
    // A crash between installing a received snapshot and resetting the log (raft::persist) can
    // leave a log that ends before the snapshot or disagrees with it: the snapshot wins.
    const bool behind = disk_log_->last_index() < snap_index;
    if (behind || disk_log_->term_at(snap_index) != newest->meta.term) {
      spdlog::warn("Raft log {}..{} does not continue the snapshot at index {} (term {}): reset",
                   disk_log_->first_index(), disk_log_->last_index(), snap_index,
                   newest->meta.term);
      disk_log_->reset(snap_index);
    }
  }
  return true;
}

bool Replication::load_snapshot_at_start(raft::Index* applied, std::string* error) {
  *applied = 0;
  if (disk_snapshots_ == nullptr) return true;
  const auto newest = disk_snapshots_->newest();
  if (!newest) return true;
  store::rdb::AuxFields aux;
  store::rdb::LoadOptions options;
  options.skip_expired = false;   // only the log deletes keys (design.md "Determinism")
  options.keep_encodings = true;  // the same bytes and member order as the node that wrote it
  std::string why;
  if (!store::rdb::load_rdb_file(newest->payload_path, server_.keyspace(), options, &aux, &why)) {
    *error = "Can't load the Raft snapshot " + why;
    return false;
  }
  const std::string* index = find_aux(aux, kAuxIndex);
  if (index == nullptr || *index != std::to_string(newest->meta.index)) {
    *error = "Can't load the Raft snapshot " + newest->payload_path + ": its " +
             std::string(kAuxIndex) + " aux field does not say " +
             std::to_string(newest->meta.index);
    return false;
  }
  if (!restore_bookkeeping(newest->meta.index, aux)) {
    *error = "Can't load the Raft snapshot " + newest->payload_path + ": bad " +
             std::string(kAuxWatch) + " aux field";
    return false;
  }
  struct stat st {};
  snapshot_time_ms_ = ::stat(newest->meta_path.c_str(), &st) == 0
                          ? static_cast<int64_t>(st.st_mtime) * 1000
                          : util::wall_ms();
  server_.last_save_sec = snapshot_time_ms_ / 1000;
  *applied = newest->meta.index;
  spdlog::info("Loaded the Raft snapshot {} (index {}, term {}, {} keys, {} bytes)",
               newest->payload_path, newest->meta.index, newest->meta.term,
               server_.keyspace().total_keys(), newest->payload_bytes);
  return true;
}

// ---- taking a snapshot ------------------------------------------------------------------------

store::rdb::AuxFields Replication::snapshot_aux(const raft::SnapshotMeta& meta) const {
  store::rdb::AuxFields aux = store::rdb::default_aux_fields(util::wall_ms(), 0);
  aux.emplace_back(kAuxIndex, std::to_string(meta.index));
  aux.emplace_back(kAuxTerm, std::to_string(meta.term));
  aux.emplace_back(kAuxConf, "voters=" + join_ids(meta.conf.voters) +
                                 " learners=" + join_ids(meta.conf.learners));
  aux.emplace_back(kAuxMembers, encode_members());
  aux.emplace_back(kAuxNow, std::to_string(last_now_ms_));
  std::string watch = std::to_string(record_start_);
  std::vector<std::pair<int, raft::Index>> dbs(db_modified_at_.begin(), db_modified_at_.end());
  std::sort(dbs.begin(), dbs.end());
  for (const auto& [db, index] : dbs) {
    watch += " d" + std::to_string(db) + ":" + std::to_string(index);
  }
  char id_hex[20];
  for (const auto& [index, id] : modified_order_) {
    watch += ' ';
    watch += std::to_string(index);
    std::snprintf(id_hex, sizeof id_hex, ":h%016" PRIx64, id);
    watch += id_hex;
  }
  aux.emplace_back(kAuxWatch, std::move(watch));
  return aux;
}

bool Replication::restore_bookkeeping(raft::Index index, const store::rdb::AuxFields& aux) {
  applying_index_ = index;
  applied_bytes_ = 0;
  if (const std::string* now = find_aux(aux, kAuxNow)) {
    last_now_ms_ = std::max<int64_t>(last_now_ms_, std::strtoll(now->c_str(), nullptr, 10));
  }
  // Member addresses replicated before the snapshot (kMembers entries it replaced); addresses
  // this node knows and the snapshot does not (cluster-addrs seeds) stay, and so does its own
  // (where it listens now). A single node's table is only itself.
  const std::string* members = find_aux(aux, kAuxMembers);
  if (cluster_mode_ && members != nullptr) {
    std::map<raft::NodeId, PeerAddress> known = members_;
    if (!decode_members(*members)) return false;
    for (const auto& [id, address] : known) members_.emplace(id, address);
    if (auto self = known.find(self_); self != known.end()) members_[self_] = self->second;
    sync_peers();
  }
  modified_order_.clear();
  db_modified_at_.clear();
  record_start_ = index;  // without a record, every older WATCH aborts
  const std::string* watch = find_aux(aux, kAuxWatch);
  if (watch == nullptr) return true;
  std::string_view rest = *watch;
  auto next = [&rest]() {
    size_t sp = rest.find(' ');
    std::string_view word = rest.substr(0, sp);
    rest = sp == std::string_view::npos ? std::string_view() : rest.substr(sp + 1);
    return word;
  };
  auto number = [](std::string_view s, long long* out) {
    if (s.empty() || s.size() > 20) return false;
    char* end = nullptr;
    std::string copy(s);
    *out = std::strtoll(copy.c_str(), &end, 10);
    return end == copy.c_str() + copy.size();
  };
  long long start = 0;
  if (!number(next(), &start) || start < 0) return false;
  record_start_ = static_cast<raft::Index>(start);
  while (!rest.empty()) {
    std::string_view word = next();
    size_t colon = word.find(':');
    if (colon == std::string_view::npos) return false;
    long long a = 0, b = 0;
    if (word[0] == 'd') {
      if (!number(word.substr(1, colon - 1), &a) || !number(word.substr(colon + 1), &b)) {
        return false;
      }
      db_modified_at_[static_cast<int>(a)] = static_cast<raft::Index>(b);
      continue;
    }
    if (!number(word.substr(0, colon), &a)) return false;
    uint64_t id = 0;
    if (!parse_modification_id(word.substr(colon + 1), &id)) return false;
    modified_order_.emplace_back(static_cast<raft::Index>(a), id);
  }
  return true;
}

bool Replication::snapshot_in_progress() const {
  return snapshotting_index_ != 0;
}

bool Replication::take_snapshot(bool background, std::string* error) {
  Snapshotter& snapshotter = server_.snapshotter();
  if (snapshotting_index_ != 0 || snapshotter.in_progress()) {
    *error = "Background save already in progress";
    return false;
  }
  if (driving_) {
    *error = "ERR a snapshot cannot be taken while log entries are being applied";
    return false;
  }
  // Outside drive() every entry the core handed out is applied: the keyspace is exactly the
  // state at applying_index_.
  const raft::Index index = applying_index_;
  if (index == 0) {
    *error = "ERR nothing to snapshot yet: no log entry has been applied";
    return false;
  }
  if (index <= node_->log().snapshot_index()) return true;  // the newest snapshot covers it
  const raft::SnapshotMeta meta = node_->snapshot_meta(index);
  store::rdb::AuxFields aux = snapshot_aux(meta);
  const uint64_t covered = applied_bytes_;
  const uint64_t dirty = server_.dirty;
  if (disk_snapshots_ == nullptr) {
    // raft-storage memory: the snapshot is written in memory, here and now.
    std::string data;
    store::rdb::StringSink sink(&data);
    store::rdb::RdbWriter writer(sink);
    if (!store::rdb::write_rdb(server_.keyspace(), aux, writer)) {
      *error = "ERR the snapshot could not be serialised";
      return false;
    }
    node_->compact(index, raft::Bytes(data));
    snapshots_->save(node_->latest_snapshot());
    log_->compact(index);
    applied_bytes_ -= std::min(covered, applied_bytes_);
    server_.dirty -= std::min(dirty, server_.dirty);
    ++snapshots_taken_;
    snapshot_time_ms_ = util::wall_ms();
    server_.last_save_sec = snapshot_time_ms_ / 1000;
    return true;
  }
  const std::string path = disk_snapshots_->payload_temp_path(index);
  if (!background) {
    if (!snapshotter.save_now(path, aux, error)) {
      *error = "ERR " + *error;
      return false;
    }
    if (!finish_snapshot(meta, path, covered, /*background=*/false, error)) return false;
    server_.dirty -= std::min(dirty, server_.dirty);
    return true;
  }
  snapshotting_index_ = index;
  auto done = [this, meta, path, covered, dirty](bool ok, const std::string& why) {
    std::string failure = why;
    if (ok && !finish_snapshot(meta, path, covered, /*background=*/true, &failure)) ok = false;
    if (!ok) {
      snapshotting_index_ = 0;
      snapshot_retry_after_ms_ = util::wall_ms() + kRetryAfterFailureMs;
      spdlog::warn("Raft snapshot at index {} failed: {}", meta.index, failure);
      return;
    }
    server_.dirty -= std::min(dirty, server_.dirty);
  };
  if (!snapshotter.start_background(path, std::move(aux), std::move(done), error)) {
    snapshotting_index_ = 0;
    *error = "ERR " + *error;
    return false;
  }
  spdlog::info("Background saving started by pid {} (Raft snapshot at index {})",
               snapshotter.child_pid(), index);
  return true;
}

bool Replication::finish_snapshot(const raft::SnapshotMeta& meta, const std::string& payload_path,
                                  uint64_t covered_bytes, bool background, std::string* error) {
  if (meta.index <= node_->log().snapshot_index()) {
    // A newer snapshot arrived from the leader while this one was written.
    ::unlink(payload_path.c_str());
    if (background) snapshotting_index_ = 0;
    return true;
  }
  // The log thread installs the file and then drops the log up to meta.index on disk (in that
  // order, in one batch). The core needs the snapshot's bytes (to send it to followers) before it
  // drops its own copy of the log. Reading back a large file takes a while (~250 ms for 100 MB
  // here), so a background snapshot reads it on a helper thread once installed
  // (on_snapshot_installed) and compacts once that is done; SAVE waits and reads it here (the
  // client waits anyway). snapshotting_index_ stays set until then: one at a time.
  const int64_t start_us = util::monotonic_us();
  raft::PersistRequest request;
  request.install = raft::PersistRequest::Install{meta, payload_path};
  request.compact = meta.index;
  last_ticket_ = writer_->submit(std::move(request));
  if (background) {
    installing_ = InstallingSnapshot{meta, covered_bytes, start_us};
    return true;
  }
  wait_until_durable();
  const auto newest = disk_snapshots_->newest();
  if (newest && newest->meta.index > meta.index) return true;  // one received meanwhile covers it
  if (!newest || newest->meta.index != meta.index) {
    *error = "ERR the snapshot could not be installed (the reason is in the server's log)";
    return false;
  }
  const int64_t install_ms = (util::monotonic_us() - start_us) / 1000;
  snapshot_time_ms_ = util::wall_ms();
  server_.last_save_sec = snapshot_time_ms_ / 1000;
  std::string bytes;
  if (!raft::disk::read_whole_file(newest->payload_path, &bytes, error)) return false;
  compact_to(meta, raft::Bytes(bytes), covered_bytes, install_ms, 0);
  return true;
}

void Replication::on_snapshot_installed(const raft::SnapshotMeta& meta, bool ok) {
  // SAVE waited for its own installation; only a background snapshot is finished here.
  if (!installing_ || installing_->meta.index != meta.index) return;
  const InstallingSnapshot job = *installing_;
  installing_.reset();
  if (!ok) {
    snapshotting_index_ = 0;
    snapshot_retry_after_ms_ = util::wall_ms() + kRetryAfterFailureMs;
    return;  // the log thread logged why
  }
  snapshot_time_ms_ = util::wall_ms();
  server_.last_save_sec = snapshot_time_ms_ / 1000;
  read_back_snapshot(meta, job.covered_bytes, (util::monotonic_us() - job.start_us) / 1000);
}

void Replication::read_back_snapshot(const raft::SnapshotMeta& meta, uint64_t covered_bytes,
                                     int64_t install_ms) {
  const auto newest = disk_snapshots_->newest();
  if (!newest || newest->meta.index != meta.index) {
    // A newer snapshot (received from the leader) replaced it meanwhile.
    snapshotting_index_ = 0;
    return;
  }
  const std::string installed_path = newest->payload_path;
  snapshot_reader_ =
      std::async(std::launch::async, [this, meta, covered_bytes, install_ms, installed_path] {
        const int64_t read_start_us = util::monotonic_us();
        std::string bytes, why;
        const bool ok = raft::disk::read_whole_file(installed_path, &bytes, &why);
        raft::Bytes data = ok ? raft::Bytes(bytes) : raft::Bytes();
        bytes = std::string();
        const int64_t read_ms = (util::monotonic_us() - read_start_us) / 1000;
        asio::post(server_.io(), [this, meta, covered_bytes, install_ms, read_ms, ok, why,
                                  data = std::move(data)]() mutable {
          snapshotting_index_ = 0;
          if (!ok) {
            // Installed (and the log on disk compacted) but not handed to the core: the core
            // keeps its log in memory until the next snapshot.
            spdlog::warn("Raft snapshot at index {}: reading it back failed: {}", meta.index, why);
            return;
          }
          compact_to(meta, std::move(data), covered_bytes, install_ms, read_ms);
        });
      });
}

void Replication::compact_to(const raft::SnapshotMeta& meta, raft::Bytes data,
                             uint64_t covered_bytes, int64_t install_ms, int64_t read_ms) {
  if (meta.index <= node_->log().snapshot_index()) return;  // a newer one was received
  const int64_t start_us = util::monotonic_us();
  const size_t bytes = data.size();
  // The core takes only what it knows applied (advance() of a durable Ready): wait for the
  // Readys still in flight, which is at most one fsync away.
  if (meta.index > node_->applied_index()) wait_until_durable();
  node_->compact(meta.index, std::move(data));
  if (node_->log().snapshot_index() != meta.index) {
    // The core refused (it never should: the index was applied); keep the log whole.
    spdlog::error("The Raft core did not take the snapshot at index {}; the log is kept",
                  meta.index);
    return;
  }
  if (!writer_) log_->compact(meta.index);  // else the log thread did, after installing it
  applied_bytes_ -= std::min(covered_bytes, applied_bytes_);
  ++snapshots_taken_;
  spdlog::info(
      "Raft snapshot at index {} (term {}) installed: {} bytes; the log now holds {}..{} "
      "(install {} ms, read back {} ms, compaction {} ms)",
      meta.index, meta.term, bytes, node_->first_index(), node_->last_index(), install_ms, read_ms,
      (util::monotonic_us() - start_us) / 1000);
}

void Replication::maybe_snapshot() {
  if (applied_bytes_ < server_.config().raft_log_max_bytes || snapshotting_index_ != 0 ||
      server_.snapshotter().in_progress() || util::wall_ms() < snapshot_retry_after_ms_) {
    return;
  }
  std::string error;
  if (!take_snapshot(/*background=*/true, &error)) {
    snapshot_retry_after_ms_ = util::wall_ms() + kRetryAfterFailureMs;
    spdlog::warn("Raft snapshot not started: {}", error);
  }
}

bool Replication::save_snapshot(std::string* error) {
  return take_snapshot(/*background=*/false, error);
}

bool Replication::background_snapshot(std::string* error) {
  if (applying_index_ <= node_->log().snapshot_index() && applying_index_ != 0) {
    // Nothing applied since the newest snapshot: it already is what BGSAVE would write.
    return true;
  }
  return take_snapshot(/*background=*/true, error);
}

bool Replication::reload_from_snapshot(std::string* error) {
  if (!save_snapshot(error)) return false;
  // The core's copy: the stores may be the log thread's.
  std::shared_ptr<const raft::Snapshot> snapshot = node_->latest_snapshot();
  if (!snapshot) {
    *error = "ERR Error trying to load the RDB dump";
    return false;
  }
  store::rdb::RdbReader reader(snapshot->data.view());
  store::rdb::AuxFields aux;
  store::rdb::LoadOptions options;
  options.skip_expired = false;
  options.keep_encodings = true;  // replicas stay byte-identical (store/rdb.h LoadOptions)
  std::string why;
  server_.keyspace().flush_all();
  if (!store::rdb::load_rdb(reader, server_.keyspace(), options, &aux, &why)) {
    // The snapshot was just written from this very keyspace: failing to read it back is a bug
    // that must not be papered over (the node would serve an empty dataset).
    spdlog::critical("DEBUG RELOAD: the snapshot just written cannot be loaded: {}", why);
    std::abort();
  }
  spdlog::warn("DB reloaded by DEBUG RELOAD");
  return true;
}

// ---- receiving a snapshot ---------------------------------------------------------------------

void Replication::install_received_snapshot(const raft::Snapshot& snapshot) {
  store::Keyspace& keyspace = server_.keyspace();
  keyspace.flush_all();
  store::rdb::RdbReader reader(snapshot.data.view());
  store::rdb::AuxFields aux;
  store::rdb::LoadOptions options;
  options.skip_expired = false;
  options.keep_encodings = true;  // replicas stay byte-identical (store/rdb.h LoadOptions)
  std::string why;
  if (!store::rdb::load_rdb(reader, keyspace, options, &aux, &why) ||
      !restore_bookkeeping(snapshot.meta.index, aux)) {
    // It is persisted already; going on without it would apply later entries to the wrong
    // state. Stop loudly (a restart loads it from disk, or refuses with the file's name).
    spdlog::critical("The snapshot received at index {} cannot be loaded: {}", snapshot.meta.index,
                     why.empty() ? "bad zakros aux fields" : why);
    std::abort();
  }
  // Local WATCHes and blocked clients see every key as changed, as after Redis's full sync.
  server_.transactions().touch_db(-1);
  server_.blocking().signal_database(-1);
  ++snapshots_received_;
  snapshot_time_ms_ = util::wall_ms();
  server_.last_save_sec = snapshot_time_ms_ / 1000;
  spdlog::info("Installed the snapshot received from the leader: index {}, term {}, {} keys",
               snapshot.meta.index, snapshot.meta.term, keyspace.total_keys());
}

void Replication::on_snapshot_sent(raft::NodeId peer, bool ok) {
  if (ok) ++snapshots_sent_;
  if (!ok) spdlog::warn("Sending the snapshot to peer node {} failed", peer);
  node_->report_snapshot(peer, ok);
  schedule_drive();
}

std::string Replication::snapshot_info() const {
  std::string s;
  auto line = [&](std::string_view name, std::string_view value) {
    util::append_info_line(s, name, value);
  };
  auto snapshot = node_->latest_snapshot();
  line("raft_snapshot_index", std::to_string(snapshot ? snapshot->meta.index : 0));
  line("raft_snapshot_term", std::to_string(snapshot ? snapshot->meta.term : 0));
  line("raft_snapshot_bytes", std::to_string(snapshot ? snapshot->data.size() : 0));
  line(
      "raft_snapshot_age_seconds",
      snapshot_time_ms_ == 0 ? "-1" : std::to_string((util::wall_ms() - snapshot_time_ms_) / 1000));
  line("raft_snapshot_in_progress", snapshotting_index_ != 0 ? "1" : "0");
  line("raft_snapshots_taken", std::to_string(snapshots_taken_));
  line("raft_snapshots_received", std::to_string(snapshots_received_));
  line("raft_snapshots_sent", std::to_string(snapshots_sent_));
  line("raft_log_applied_bytes", std::to_string(applied_bytes_));
  return s;
}

}  // namespace zakros::server
