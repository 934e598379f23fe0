// disk_log_bench: throughput of the durable Raft log (src/raft/disk_log*.h) on this machine's
// disk, with and without group commit.
//
//   disk_log_bench [--dir DIR] [--entries N] [--payload BYTES] [--clients C] [--seconds S]
//
// group commit: the event loop's side is modelled by C clients that each have one write in
//   flight (redis-benchmark -c C -P 1): one PersistRequest of one entry per client, a new one as
//   soon as the previous is durable. The log thread takes whatever is queued, writes it and
//   fsyncs once, so entries per fsync approaches C when the disk is the bottleneck.
// sync per append: DiskLogStore::append() (write + fdatasync) per entry, what a server without a
//   log thread would do: the fsync rate of the disk is the entry rate.
// Reported: entries/s, fsyncs/s, entries per fsync, mean fsync time. DIR defaults to a fresh
// directory under $TMPDIR (/tmp), removed at the end; point it at the disk you care about.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "raft/storage/disk_log_writer.h"
#include "raft/storage/disk_storage.h"

using namespace zakros::raft;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  std::string dir;
  std::uint64_t entries = 200000;
  std::size_t payload = 100;
  std::uint64_t clients = 50;
  double seconds = 5;
};

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

Entry make_entry(Index i, const std::string& payload) {
  return Entry{1, i, EntryType::kNormal, Bytes(payload)};
}

void group_commit(const Args& a, const std::string& dir) {
  DiskStorage st;
  std::string error;
  if (!open_disk_storage(dir, {}, &st, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    std::exit(1);
  }
  DiskLogWriter writer(st.log.get(), st.hard_state.get(), st.snapshots.get());
  const std::string payload(a.payload, 'x');
  Index next = st.log->last_index() + 1;
  DiskLogWriter::Ticket submitted = 0;
  const auto t0 = Clock::now();
  std::uint64_t done = 0;
  while (done < a.entries && since(t0) < a.seconds) {
    while (submitted - writer.durable_ticket() < a.clients && submitted < a.entries) {
      PersistRequest r;
      r.entries.push_back(make_entry(next, payload));
      // The leader's commit index moves with every batch: a commit-only hard state change,
      // which DiskHardStateStore keeps in memory (see disk_hard_state.h).
      r.hard_state = HardState{1, 0, next > a.clients ? next - a.clients : 0};
      ++next;
      submitted = writer.submit(std::move(r));
    }
    writer.wait(writer.durable_ticket() + 1);  // until some client's write is durable
    done = writer.durable_ticket();
  }
  writer.wait(submitted);
  const double secs = since(t0);
  writer.stop();
  const auto s = writer.stats();
  std::printf(
      "group commit     clients=%-4llu payload=%zu: %9.0f entries/s  %7.0f fsyncs/s  %6.1f "
      "entries/fsync  fsync %.3f ms  (%llu entries, %.2f s)\n",
      static_cast<unsigned long long>(a.clients), a.payload, s.entries / secs, s.batches / secs,
      static_cast<double>(s.entries) / static_cast<double>(s.batches),
      static_cast<double>(s.fsync_ns_total) / static_cast<double>(s.batches) / 1e6,
      static_cast<unsigned long long>(s.entries), secs);
}

void sync_per_append(const Args& a, const std::string& dir) {
  DiskStorage st;
  std::string error;
  if (!open_disk_storage(dir, {}, &st, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    std::exit(1);
  }
  const std::string payload(a.payload, 'x');
  Index next = st.log->last_index() + 1;
  const auto t0 = Clock::now();
  std::uint64_t n = 0;
  std::vector<Entry> one(1);
  while (n < a.entries && since(t0) < a.seconds) {
    one[0] = make_entry(next++, payload);
    st.log->append(one);
    ++n;
  }
  const double secs = since(t0);
  std::printf(
      "sync per append               payload=%zu: %9.0f entries/s  %7.0f fsyncs/s     1.0 "
      "entries/fsync  (%llu entries, %.2f s)\n",
      a.payload, n / secs, n / secs, static_cast<unsigned long long>(n), secs);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--dir") {
      a.dir = v;
    } else if (k == "--entries") {
      a.entries = std::strtoull(v, nullptr, 10);
    } else if (k == "--payload") {
      a.payload = std::strtoull(v, nullptr, 10);
    } else if (k == "--clients") {
      a.clients = std::max<std::uint64_t>(1, std::strtoull(v, nullptr, 10));
    } else if (k == "--seconds") {
      a.seconds = std::strtod(v, nullptr);
    } else {
      std::fprintf(stderr,
                   "usage: disk_log_bench [--dir DIR] [--entries N] [--payload BYTES] "
                   "[--clients C] [--seconds S]\n");
      return 2;
    }
  }
  bool temporary = false;
  if (a.dir.empty()) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "zakros-disk-bench-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    a.dir = tmpl;
    temporary = true;
  }
  group_commit(a, a.dir + "/group");
  Args one = a;
  one.clients = 1;
  group_commit(one, a.dir + "/group1");
  sync_per_append(a, a.dir + "/sync");
  if (temporary) std::filesystem::remove_all(a.dir);
  return 0;
}
