// check_log_dir (zakros --check-log): summaries, torn tails, corruption with file and offset,
// and that it never changes the files it reads.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "temp_dir.h"

#include "raft/storage/check_log.h"
#include "raft/storage/disk_storage.h"

namespace zakros::raft {
namespace {

namespace fs = std::filesystem;

// Every test's directory is named zakros-check-log-XXXXXX.
class TempDir : public testing::TempDir {
 public:
  TempDir() : testing::TempDir("check-log") {}
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A node with a snapshot at 40, entries 1..120 in small segments (compacted), term 2, commit 100.
void make_node(const std::string& dir) {
  DiskStorage st;
  DiskStorageOptions opts;
  opts.segment_bytes = 512;
  std::string error;
  ASSERT_TRUE(open_disk_storage(dir, opts, &st, &error)) << error;
  std::vector<Entry> es;
  for (Index i = 1; i <= 120; ++i) {
    es.push_back(
        Entry{i <= 60 ? 1u : 2u, i, EntryType::kNormal, Bytes("value-" + std::to_string(i))});
  }
  st.log->append(es);
  auto snap = std::make_shared<Snapshot>();
  snap->meta = SnapshotMeta{40, 1, {{0, 1, 2}, {}}};
  snap->data = Bytes("REDIS0010...");
  st.snapshots->save(snap);
  st.log->compact(40);
  st.hard_state->save(HardState{2, 1, 100});
}

std::string run(const std::string& dir, int* code) {
  std::ostringstream out;
  *code = check_log_dir(dir, out);
  return out.str();
}

TEST(CheckLog, SummarisesACleanNode) {
  TempDir tmp;
  const std::string node = node_dir(tmp.path(), 0);
  make_node(node);
  int code = -1;
  const std::string out = run(node, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("snapshot: index 40 term 1, voters 0,1,2"), std::string::npos) << out;
  EXPECT_NE(out.find("..120"), std::string::npos) << out;
  EXPECT_NE(out.find("terms 1..2"), std::string::npos) << out;
  EXPECT_NE(out.find("hard state: term 2, vote 1, commit 100"), std::string::npos) << out;
  EXPECT_NE(out.find("result: OK"), std::string::npos) << out;
  // A data directory with several nodes.
  make_node(node_dir(tmp.path(), 1));
  const std::string all = run(tmp.path(), &code);
  EXPECT_EQ(code, 0) << all;
  EXPECT_NE(all.find("node-0"), std::string::npos);
  EXPECT_NE(all.find("node-1"), std::string::npos);
}

TEST(CheckLog, ReportsATornTailWithoutRepairingIt) {
  TempDir tmp;
  make_node(tmp.path());
  const LogScan scan = scan_log(log_dir(tmp.path()));
  const std::string path = scan.segments.back().path;
  const std::uint64_t last_record = scan.segments.back().offsets.back();
  const std::string bytes = slurp(path);
  spit(path, bytes.substr(0, bytes.size() - 3));
  int code = -1;
  const std::string out = run(tmp.path(), &code);
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("TORN: " + path + ": offset " + std::to_string(last_record)),
            std::string::npos)
      << out;
  EXPECT_EQ(slurp(path).size(), bytes.size() - 3);  // untouched
}

TEST(CheckLog, ReportsCorruptionWithFileAndOffset) {
  TempDir tmp;
  make_node(tmp.path());
  const LogScan scan = scan_log(log_dir(tmp.path()));
  const SegmentInfo& seg = scan.segments[1];
  std::string bytes = slurp(seg.path);
  bytes[seg.offsets[2] + kRecordHeaderBytes + 4] ^= 0x08;
  spit(seg.path, bytes);
  int code = -1;
  std::string out = run(tmp.path(), &code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("CORRUPT: " + seg.path + ": offset " + std::to_string(seg.offsets[2])),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("result: CORRUPT"), std::string::npos) << out;
  // The hard state too.
  bytes[seg.offsets[2] + kRecordHeaderBytes + 4] ^= 0x08;
  spit(seg.path, bytes);
  std::string hs = slurp(tmp.path() + "/hard_state");
  hs[20] ^= 1;
  spit(tmp.path() + "/hard_state", hs);
  out = run(tmp.path(), &code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find(tmp.path() + "/hard_state: offset 0: checksum mismatch"), std::string::npos)
      << out;
}

TEST(CheckLog, ReportsMissingCommittedEntriesAndHoles) {
  TempDir tmp;
  make_node(tmp.path());
  const LogScan scan = scan_log(log_dir(tmp.path()));
  for (const auto& seg : scan.segments) {
    if (seg.first_index > 90) fs::remove(seg.path);  // a suffix holding committed entries
  }
  int code = -1;
  std::string out = run(tmp.path(), &code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("committed entries are missing"), std::string::npos) << out;
  fs::remove_all(snapshot_dir(tmp.path()));
  out = run(tmp.path(), &code);
  EXPECT_EQ(code, 2) << out;
  EXPECT_NE(out.find("are missing"), std::string::npos) << out;
}

TEST(CheckLog, NothingToCheck) {
  TempDir tmp;
  int code = -1;
  EXPECT_NE(run(tmp.path(), &code).find("no zakros Raft files"), std::string::npos);
  EXPECT_EQ(code, 2);
  run(tmp.path() + "/missing", &code);
  EXPECT_EQ(code, 2);
}

}  // namespace
}  // namespace zakros::raft
