// DiskHardStateStore: atomic replacement, lazy commit, corruption refusal.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "temp_dir.h"

#include "raft/storage/disk_hard_state.h"

namespace zakros::raft {
namespace {

namespace fs = std::filesystem;

// Every test's directory is named zakros-disk-hs-XXXXXX.
class TempDir : public testing::TempDir {
 public:
  TempDir() : testing::TempDir("disk-hs") {}
};

std::unique_ptr<DiskHardStateStore> open_store(const std::string& dir, bool sync_commit = false,
                                               std::string* error = nullptr) {
  std::string e;
  DiskHardStateOptions opts;
  opts.sync_commit = sync_commit;
  auto s = DiskHardStateStore::open(dir, opts, &e);
  if (error != nullptr) *error = e;
  return s;
}

TEST(DiskHardState, MissingFileIsAFirstStart) {
  TempDir tmp;
  auto s = open_store(tmp.path() + "/node-0");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->load(), HardState{});
  EXPECT_FALSE(fs::exists(tmp.path() + "/node-0/hard_state"));
}

TEST(DiskHardState, TermAndVoteAreDurableAtOnce) {
  TempDir tmp;
  {
    auto s = open_store(tmp.path());
    s->save(HardState{3, 1, 10});
    EXPECT_EQ(s->writes(), 1u);
  }
  auto s = open_store(tmp.path());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->load(), (HardState{3, 1, 10}));
  EXPECT_FALSE(fs::exists(tmp.path() + "/hard_state.tmp"));
  EXPECT_EQ(fs::file_size(tmp.path() + "/hard_state"), kHardStateFileBytes);
}

TEST(DiskHardState, CommitOnlyChangesWaitForTheNextTermOrFlush) {
  TempDir tmp;
  auto s = open_store(tmp.path());
  s->save(HardState{2, 0, 5});
  s->save(HardState{2, 0, 6});
  s->save(HardState{2, 0, 7});
  EXPECT_EQ(s->writes(), 1u);
  EXPECT_EQ(s->load().commit, 7u);
  EXPECT_EQ(s->durable().commit, 5u);
  EXPECT_EQ(open_store(tmp.path())->load(), (HardState{2, 0, 5}));
  s->flush();
  EXPECT_EQ(open_store(tmp.path())->load(), (HardState{2, 0, 7}));
  s->save(HardState{3, kNoNode, 8});
  EXPECT_EQ(open_store(tmp.path())->load(), (HardState{3, kNoNode, 8}));
  EXPECT_EQ(s->writes(), 3u);

  auto eager = open_store(tmp.path(), true);
  eager->save(HardState{3, kNoNode, 9});
  EXPECT_EQ(open_store(tmp.path())->load().commit, 9u);
}

TEST(DiskHardState, ReplaceIsAtomicAndLeftoverTempIsIgnored) {
  TempDir tmp;
  {
    auto s = open_store(tmp.path());
    s->save(HardState{4, 2, 0});
  }
  // A crash after writing the temporary file but before the rename: the old state stands.
  {
    std::ofstream out(tmp.path() + "/hard_state.tmp", std::ios::binary);
    out << encode_hard_state_file(HardState{9, 9, 9}).substr(0, 20);
  }
  auto s = open_store(tmp.path());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->load(), (HardState{4, 2, 0}));
  EXPECT_FALSE(fs::exists(tmp.path() + "/hard_state.tmp"));
}

TEST(DiskHardState, CorruptFileIsRefused) {
  TempDir tmp;
  open_store(tmp.path())->save(HardState{4, 2, 0});
  std::string bytes = encode_hard_state_file(HardState{4, 2, 0});
  for (std::size_t at : {0ul, 17ul, 30ul, 45ul}) {
    std::string bad = bytes;
    bad[at] ^= 0x04;
    {
      std::ofstream out(tmp.path() + "/hard_state", std::ios::binary | std::ios::trunc);
      out << bad;
    }
    std::string error;
    EXPECT_FALSE(open_store(tmp.path(), false, &error)) << at;
    EXPECT_NE(error.find(tmp.path() + "/hard_state: offset 0"), std::string::npos) << error;
  }
  {
    std::ofstream out(tmp.path() + "/hard_state", std::ios::binary | std::ios::trunc);
    out << bytes.substr(0, 47);
  }
  std::string error;
  EXPECT_FALSE(open_store(tmp.path(), false, &error));
  EXPECT_NE(error.find("size 47"), std::string::npos) << error;
}

}  // namespace
}  // namespace zakros::raft
