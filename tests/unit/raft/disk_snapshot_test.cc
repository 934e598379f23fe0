// DiskSnapshotStore: install from a file (the fork child's path) and from memory, newest valid
// one wins, older ones deleted, crashes at every step leave the previous snapshot.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "temp_dir.h"

#include "raft/storage/disk_snapshot.h"

namespace zakros::raft {
namespace {

namespace fs = std::filesystem;

// Every test's directory is named zakros-disk-snap-XXXXXX.
class TempDir : public testing::TempDir {
 public:
  TempDir() : testing::TempDir("disk-snap") {}
};

struct Opened {
  std::unique_ptr<DiskSnapshotStore> store;
  std::string error;
  std::vector<std::string> warnings;
};

Opened open_store(const std::string& dir) {
  Opened o;
  DiskSnapshotOptions opts;
  auto* w = &o.warnings;
  opts.warn = [w](const std::string& m) { w->push_back(m); };
  o.store = DiskSnapshotStore::open(dir, opts, &o.error);
  return o;
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

SnapshotMeta meta(Index index, Term term) {
  SnapshotMeta m;
  m.index = index;
  m.term = term;
  m.conf.voters = {0, 1, 2};
  m.conf.learners = {5};
  return m;
}

std::string payload(Index index) {
  return "REDIS0010-fake-rdb-" + std::string(1000 + index, 'x');
}

TEST(DiskSnapshot, EmptyDirectoryHasNoSnapshot) {
  TempDir tmp;
  auto o = open_store(tmp.path() + "/snapshots");
  ASSERT_TRUE(o.store) << o.error;
  EXPECT_FALSE(o.store->load());
  EXPECT_FALSE(o.store->newest());
}

TEST(DiskSnapshot, InstallFromAChildsFileAndReload) {
  TempDir tmp;
  {
    auto o = open_store(tmp.path());
    const std::string child_file = o.store->payload_temp_path(100);
    spit(child_file, payload(100));
    std::string error;
    ASSERT_TRUE(o.store->install(meta(100, 3), child_file, &error)) << error;
    EXPECT_FALSE(fs::exists(child_file));
    ASSERT_TRUE(o.store->newest());
    EXPECT_EQ(o.store->newest()->payload_bytes, payload(100).size());
  }
  auto o = open_store(tmp.path());
  ASSERT_TRUE(o.store) << o.error;
  EXPECT_TRUE(o.warnings.empty());
  auto snap = o.store->load();
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->meta.index, 100u);
  EXPECT_EQ(snap->meta.term, 3u);
  EXPECT_EQ(snap->meta.conf, meta(100, 3).conf);
  EXPECT_EQ(snap->data.view(), payload(100));
}

TEST(DiskSnapshot, SaveFromMemoryReplacesAndDeletesOlder) {
  TempDir tmp;
  auto o = open_store(tmp.path());
  for (Index i : {10, 20, 30}) {
    auto s = std::make_shared<Snapshot>();
    s->meta = meta(i, i / 10);
    s->data = Bytes(payload(i));
    o.store->save(s);
  }
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(tmp.path())) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "00000000000000000030.meta");
  EXPECT_EQ(names[1], "00000000000000000030.rdb");
  // Same index again: nothing rewritten.
  auto again = std::make_shared<Snapshot>();
  again->meta = meta(30, 3);
  again->data = Bytes("different bytes");
  o.store->save(again);
  EXPECT_EQ(o.store->load()->data.view(), payload(30));
}

TEST(DiskSnapshot, CrashesLeaveThePreviousSnapshot) {
  TempDir tmp;
  {
    auto o = open_store(tmp.path());
    auto s = std::make_shared<Snapshot>();
    s->meta = meta(10, 1);
    s->data = Bytes(payload(10));
    o.store->save(s);
  }
  // The child died mid-write; a crash after the payload rename but before the metadata.
  spit(tmp.path() + "/00000000000000000020.rdb.tmp", "REDIS00");
  spit(tmp.path() + "/00000000000000000030.rdb", payload(30));
  spit(tmp.path() + "/00000000000000000030.meta.tmp", "half");
  auto o = open_store(tmp.path());
  ASSERT_TRUE(o.store) << o.error;
  EXPECT_EQ(o.warnings.size(), 3u);
  EXPECT_EQ(o.store->load()->meta.index, 10u);
  EXPECT_FALSE(fs::exists(tmp.path() + "/00000000000000000030.rdb"));
  EXPECT_FALSE(fs::exists(tmp.path() + "/00000000000000000020.rdb.tmp"));
}

TEST(DiskSnapshot, CorruptNewestFallsBackToAnOlderValidOne) {
  TempDir tmp;
  // Two valid snapshots as left by a crash before the older one was deleted.
  {
    auto o = open_store(tmp.path());
    std::string error;
    spit(o.store->payload_temp_path(10), payload(10));
    ASSERT_TRUE(o.store->install(meta(10, 1), o.store->payload_temp_path(10), &error));
  }
  const std::string kept_meta = tmp.path() + "/00000000000000000010.meta";
  const std::string kept_rdb = tmp.path() + "/00000000000000000010.rdb";
  const std::string meta10 = [&] {
    std::ifstream in(kept_meta, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  {
    auto o = open_store(tmp.path());
    std::string error;
    spit(o.store->payload_temp_path(20), payload(20));
    ASSERT_TRUE(o.store->install(meta(20, 2), o.store->payload_temp_path(20), &error));
  }
  spit(kept_meta, meta10);
  spit(kept_rdb, payload(10));
  // Flip a payload byte of the newest.
  std::string p20 = payload(20);
  p20[500] ^= 1;
  spit(tmp.path() + "/00000000000000000020.rdb", p20);
  const SnapshotScan scan = scan_snapshots(tmp.path());
  ASSERT_EQ(scan.valid.size(), 1u);
  ASSERT_EQ(scan.invalid.size(), 1u);
  EXPECT_NE(scan.invalid[0].find("00000000000000000020.rdb: offset 0: payload checksum mismatch"),
            std::string::npos)
      << scan.invalid[0];
  auto o = open_store(tmp.path());
  ASSERT_TRUE(o.store) << o.error;
  EXPECT_EQ(o.warnings.size(), 1u);
  EXPECT_EQ(o.store->load()->meta.index, 10u);
  // The broken one stays for inspection until a newer snapshot is installed.
  EXPECT_TRUE(fs::exists(tmp.path() + "/00000000000000000020.meta"));
  std::string error;
  spit(o.store->payload_temp_path(30), payload(30));
  ASSERT_TRUE(o.store->install(meta(30, 2), o.store->payload_temp_path(30), &error));
  EXPECT_FALSE(fs::exists(tmp.path() + "/00000000000000000020.meta"));
  EXPECT_FALSE(fs::exists(kept_rdb));
}

TEST(DiskSnapshot, MetadataEncodingRejectsDamage) {
  const std::string bytes = encode_snapshot_meta(meta(7, 2), 1234, 99);
  SnapshotFile f;
  std::string error;
  ASSERT_TRUE(decode_snapshot_meta(bytes, &f, &error)) << error;
  EXPECT_EQ(f.meta.index, 7u);
  EXPECT_EQ(f.payload_bytes, 1234u);
  EXPECT_EQ(f.payload_checksum, 99u);
  for (std::size_t k = 0; k < bytes.size(); ++k) {
    std::string bad = bytes;
    bad[k] ^= 0x20;
    EXPECT_FALSE(decode_snapshot_meta(bad, &f, &error)) << k;
    EXPECT_FALSE(decode_snapshot_meta(bytes.substr(0, k), &f, &error)) << k;
  }
}

TEST(DiskSnapshot, InstallOfAMissingFileFails) {
  TempDir tmp;
  auto o = open_store(tmp.path());
  std::string error;
  EXPECT_FALSE(o.store->install(meta(5, 1), tmp.path() + "/nope.rdb.tmp", &error));
  EXPECT_NE(error.find("nope.rdb.tmp"), std::string::npos);
  EXPECT_FALSE(o.store->newest());
}

}  // namespace
}  // namespace zakros::raft
