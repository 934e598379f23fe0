// DiskLogWriter (the log thread) and open_disk_storage(): a real Node persisting through the
// group commit thread and restarting from its files; batches, installs, compaction, resets.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "temp_dir.h"

#include "raft/core/node.h"
#include "raft/storage/disk_log_writer.h"
#include "raft/storage/disk_storage.h"

namespace zakros::raft {
namespace {

namespace fs = std::filesystem;

// Every test's directory is named zakros-disk-writer-XXXXXX.
class TempDir : public testing::TempDir {
 public:
  TempDir() : testing::TempDir("disk-writer") {}
};

DiskStorage open_storage(const std::string& dir, std::vector<std::string>* warnings = nullptr,
                         std::uint64_t segment_bytes = 64ull << 20) {
  DiskStorage st;
  DiskStorageOptions opts;
  opts.segment_bytes = segment_bytes;
  opts.warn = [warnings](const std::string& m) {
    if (warnings != nullptr) warnings->push_back(m);
  };
  std::string error;
  EXPECT_TRUE(open_disk_storage(dir, opts, &st, &error)) << error;
  return st;
}

Entry entry(Index i, Term t) {
  return Entry{t, i, EntryType::kNormal, Bytes("v" + std::to_string(i))};
}

// The server's loop in miniature (disk_log_writer.h's recipe).
struct Driver {
  Node& node;
  DiskLogWriter& writer;
  std::deque<std::pair<DiskLogWriter::Ticket, Ready>> inflight;
  std::vector<std::string> applied;

  void pump() {
    while (node.has_ready()) {
      Ready rd = node.ready();
      const DiskLogWriter::Ticket t = rd.must_persist() ? writer.submit(rd) : 0;
      inflight.emplace_back(t, std::move(rd));
    }
    while (!inflight.empty() && inflight.front().first <= writer.durable_ticket()) {
      Ready& rd = inflight.front().second;
      for (const Entry& e : rd.committed_entries) {
        if (e.type == EntryType::kNormal) applied.push_back(e.data.str());
      }
      node.advance(rd);
      inflight.pop_front();
    }
  }
  // Pumps until `done` or a bound on rounds, waiting for the log thread between rounds.
  template <typename F>
  void until(F done) {
    for (int round = 0; round < 10000 && !done(); ++round) {
      pump();
      if (!inflight.empty()) writer.wait(inflight.back().first);
      pump();
    }
  }
};

TEST(DiskLogWriter, SingleNodeClusterPersistsAndRestarts) {
  TempDir tmp;
  const std::string dir = node_dir(tmp.path(), 0);
  Config cfg;
  cfg.id = 0;
  cfg.voters = {0};
  {
    DiskStorage st = open_storage(dir, nullptr, 4096);
    Node node(cfg, *st.log, *st.hard_state, *st.snapshots);
    DiskLogWriter writer(st.log.get(), st.hard_state.get(), st.snapshots.get());
    Driver d{node, writer};
    d.until([&] {
      node.tick();
      return node.role() == Role::kLeader;
    });
    ASSERT_EQ(node.role(), Role::kLeader);
    for (int i = 0; i < 300; ++i) {
      ASSERT_EQ(node.propose("w" + std::to_string(i)), Status::kOk);
      if (i % 7 == 0) d.pump();  // proposals keep coming while earlier batches are in flight
    }
    d.until([&] { return d.applied.size() == 300; });
    ASSERT_EQ(d.applied.size(), 300u);
    EXPECT_EQ(d.applied[299], "w299");
    const auto stats = writer.stats();
    EXPECT_GE(stats.entries, 301u);  // the no-op too
    EXPECT_LE(stats.batches, stats.requests);
    EXPECT_EQ(writer.durable_index(), node.last_index());
  }
  // Restart from the files: the same log, term and (flushed at stop) commit index.
  DiskStorage st = open_storage(dir);
  EXPECT_GT(st.log->segment_count(), 1u);
  EXPECT_EQ(st.log->last_index(), 301u);
  EXPECT_EQ(st.hard_state->load().commit, 301u);
  EXPECT_EQ(st.hard_state->load().term, 1u);
  Node node(cfg, *st.log, *st.hard_state, *st.snapshots);
  DiskLogWriter writer(st.log.get(), st.hard_state.get(), st.snapshots.get());
  Driver d{node, writer};
  d.until([&] { return d.applied.size() == 300; });
  ASSERT_EQ(d.applied.size(), 300u);
  EXPECT_EQ(d.applied[0], "w0");
}

TEST(DiskLogWriter, GroupCommitBatchesManyRequests) {
  TempDir tmp;
  DiskStorage st = open_storage(tmp.path());
  DiskLogWriter writer(st.log.get(), st.hard_state.get(), st.snapshots.get());
  int woken = 0;
  DiskLogWriter::Ticket last = 0;
  for (Index i = 1; i <= 500; ++i) {
    PersistRequest r;
    r.entries.push_back(entry(i, 1));
    r.hard_state = HardState{1, 0, i - 1};
    last = writer.submit(std::move(r));
  }
  EXPECT_EQ(last, 500u);
  writer.wait(last);
  EXPECT_EQ(writer.durable_ticket(), 500u);
  EXPECT_EQ(writer.durable_index(), 500u);
  // wait() returns once the batch is durable; the log thread signals the eventfd just after
  // that (durable first, so that a loop woken by the eventfd always sees the new ticket), so
  // the signal may still be on its way: poll for it with a deadline.
  pollfd readable{writer.event_fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&readable, 1, 30'000), 1) << "the eventfd was never signalled";
  std::uint64_t v = 0;
  if (::read(writer.event_fd(), &v, sizeof v) == sizeof v) woken = static_cast<int>(v);
  EXPECT_GE(woken, 1);
  const auto stats = writer.stats();
  EXPECT_EQ(stats.requests, 500u);
  EXPECT_EQ(stats.entries, 500u);
  EXPECT_GE(stats.batches, 1u);
  EXPECT_LE(stats.batches, 500u);
  writer.stop();
  EXPECT_EQ(st.hard_state->durable().commit, 499u);  // flushed at stop
  std::vector<Entry> got;
  st.log->read(1, 500, &got);
  EXPECT_EQ(got[499].data.view(), "v500");
}

TEST(DiskLogWriter, InstallThenCompactAndReceivedSnapshotReset) {
  TempDir tmp;
  DiskStorage st = open_storage(tmp.path(), nullptr, 512);
  std::vector<std::pair<Index, bool>> installs;
  DiskLogWriterOptions opts;
  opts.on_install = [&](const SnapshotMeta& m, bool ok, const std::string&) {
    installs.emplace_back(m.index, ok);
  };
  DiskLogWriter writer(st.log.get(), st.hard_state.get(), st.snapshots.get(), opts);
  PersistRequest r;
  for (Index i = 1; i <= 100; ++i) r.entries.push_back(entry(i, 2));
  writer.wait(writer.submit(std::move(r)));

  // A failed install (the child wrote nothing) compacts nothing.
  PersistRequest bad;
  bad.install =
      PersistRequest::Install{SnapshotMeta{60, 2, {{0}, {}}}, st.snapshots->payload_temp_path(60)};
  bad.compact = 60;
  writer.wait(writer.submit(std::move(bad)));
  EXPECT_EQ(writer.stats().first_index, 1u);

  {
    std::ofstream out(st.snapshots->payload_temp_path(60), std::ios::binary);
    out << "payload-60";
  }
  PersistRequest good;
  good.install =
      PersistRequest::Install{SnapshotMeta{60, 2, {{0}, {}}}, st.snapshots->payload_temp_path(60)};
  good.compact = 60;
  writer.wait(writer.submit(std::move(good)));
  EXPECT_EQ(writer.stats().first_index, 61u);
  ASSERT_EQ(installs.size(), 2u);
  EXPECT_FALSE(installs[0].second);
  EXPECT_TRUE(installs[1].second);
  ASSERT_TRUE(st.snapshots->newest());
  EXPECT_EQ(st.snapshots->newest()->meta.index, 60u);

  // A snapshot received from a leader replaces the whole log.
  auto snap = std::make_shared<Snapshot>();
  snap->meta = SnapshotMeta{500, 7, {{0, 1, 2}, {}}};
  snap->data = Bytes("payload-500");
  PersistRequest recv;
  recv.snapshot = snap;
  recv.entries = {entry(501, 7), entry(502, 7)};
  recv.hard_state = HardState{7, 1, 500};
  writer.wait(writer.submit(std::move(recv)));
  writer.stop();
  EXPECT_EQ(st.log->first_index(), 501u);
  EXPECT_EQ(st.log->last_index(), 502u);
  EXPECT_EQ(st.snapshots->newest()->meta.index, 500u);
  EXPECT_EQ(st.hard_state->durable(), (HardState{7, 1, 500}));
}

TEST(DiskStorage, ChecksTheStoresAgainstEachOther) {
  TempDir tmp;
  {
    DiskStorage st = open_storage(tmp.path(), nullptr, 512);
    std::vector<Entry> es;
    for (Index i = 1; i <= 100; ++i) es.push_back(entry(i, 1));
    st.log->append(es);
    st.hard_state->save(HardState{1, 0, 100});
  }
  // The log lost its tail (say, someone deleted segments): committed entries are missing.
  {
    LogScan scan = scan_log(log_dir(tmp.path()));
    fs::remove(scan.segments.back().path);
    DiskStorage st;
    std::string error;
    EXPECT_FALSE(open_disk_storage(tmp.path(), {}, &st, &error));
    EXPECT_NE(error.find("committed entries are missing"), std::string::npos) << error;
  }
  // A snapshot at 80 whose term differs from the log's entry 80: the log is reset to it.
  {
    DiskStorage st;
    std::string error;
    DiskHardStateOptions ho;
    auto hs = DiskHardStateStore::open(tmp.path(), ho, &error);
    hs->save(HardState{3, 0, 80});
    auto snaps = DiskSnapshotStore::open(snapshot_dir(tmp.path()), {}, &error);
    auto s = std::make_shared<Snapshot>();
    s->meta = SnapshotMeta{80, 3, {{0}, {}}};
    s->data = Bytes("x");
    snaps->save(s);
  }
  {
    std::vector<std::string> warnings;
    DiskStorage st = open_storage(tmp.path(), &warnings, 512);
    ASSERT_TRUE(st.log);
    EXPECT_EQ(st.log->first_index(), 81u);
    EXPECT_EQ(st.log->last_index(), 80u);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("term"), std::string::npos);
  }
  // A log that starts after the snapshot leaves a hole.
  fs::remove_all(snapshot_dir(tmp.path()));
  DiskStorage st;
  std::string error;
  EXPECT_FALSE(open_disk_storage(tmp.path(), {}, &st, &error));
  EXPECT_NE(error.find("are missing"), std::string::npos) << error;
}

// A child process writes through the log thread and reports each durable ticket on a pipe; it is
// killed with SIGKILL mid-stream. Every entry reported durable must be there after a restart.
TEST(DiskLogWriter, KillNineLosesNothingAcknowledged) {
  TempDir tmp;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      DiskStorage st;
      DiskStorageOptions opts;
      opts.segment_bytes = 8192;
      std::string error;
      if (!open_disk_storage(tmp.path(), opts, &st, &error)) ::_exit(3);
      DiskLogWriter writer(st.log.get(), st.hard_state.get(), st.snapshots.get());
      Index next = st.log->last_index() + 1;
      DiskLogWriter::Ticket reported = 0, last = 0;
      for (;;) {
        for (int k = 0; k < 20; ++k) {
          PersistRequest r;
          r.entries.push_back(entry(next, 1));
          ++next;
          last = writer.submit(std::move(r));
        }
        writer.wait(last - 10);
        const DiskLogWriter::Ticket d = writer.durable_ticket();
        if (d > reported) {
          const Index durable = writer.durable_index();
          if (::write(fds[1], &durable, sizeof durable) != sizeof durable) ::_exit(4);
          reported = d;
        }
      }
    }
    ::close(fds[1]);
    Index acked = 0, v = 0;
    // Let it run for a while, then kill it without warning.
    for (int reads = 0; reads < 40 + 25 * round && ::read(fds[0], &v, sizeof v) == sizeof v;
         ++reads) {
      acked = v;
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    while (::read(fds[0], &v, sizeof v) == sizeof v) acked = v;
    ::close(fds[0]);
    ASSERT_GT(acked, 0u);
    std::vector<std::string> warnings;
    DiskStorage st = open_storage(tmp.path(), &warnings, 8192);
    ASSERT_TRUE(st.log);
    EXPECT_GE(st.log->last_index(), acked) << "round " << round;
    std::vector<Entry> got;
    st.log->read(1, st.log->last_index(), &got);
    for (Index i = 1; i <= got.size(); ++i) {
      ASSERT_EQ(got[i - 1].data.view(), "v" + std::to_string(i));
    }
  }
}

}  // namespace
}  // namespace zakros::raft
