// Snapshotter: a fork child writes the keyspace as of the fork (later changes in the parent are
// not in the file), one save at a time, failures reported, SAVE in-process.
#include "server/replication/snapshotter.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/keyspace.h"
#include "store/rdb.h"

namespace zakros::server {
namespace {

using store::Keyspace;
using store::TimeContext;

class SnapshotterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/zakros-snapshotter-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs the loop until `done` or a 20 s deadline (the child's exit is polled on a timer).
  void run_until(const bool& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done && std::chrono::steady_clock::now() < deadline) {
      io_.run_for(std::chrono::milliseconds(20));
      io_.restart();
    }
  }

  std::string dir_;
  asio::io_context io_;
};

TEST_F(SnapshotterTest, BackgroundSaveHoldsTheStateAtTheFork) {
  Keyspace ks(2);
  TimeContext tc{0, true};
  for (int i = 0; i < 1000; ++i)
    ks.db(0).set_string("k" + std::to_string(i), "v", store::kPersist, tc);
  ks.db(1).set_string("other", "db", store::kPersist, tc);
  Snapshotter snap(io_, ks);
  const std::string path = dir_ + "/bg.rdb";
  bool done = false, ok = false;
  std::string error;
  ASSERT_TRUE(snap.start_background(
      path, {{"zakros-test", "1"}},
      [&](bool result, const std::string& why) {
        done = true;
        ok = result;
        error = why;
      },
      &error))
      << error;
  EXPECT_TRUE(snap.in_progress());
  // A second save while the child runs is refused with Redis's text.
  std::string second;
  EXPECT_FALSE(snap.start_background(dir_ + "/x.rdb", {}, nullptr, &second));
  EXPECT_EQ(second, "Background save already in progress");
  EXPECT_FALSE(snap.save_now(dir_ + "/y.rdb", {}, &second));
  // Changes after the fork are not in the child's file.
  ks.db(0).set_string("late", "x", store::kPersist, tc);
  run_until(done);
  ASSERT_TRUE(done);
  ASSERT_TRUE(ok) << error;
  EXPECT_FALSE(snap.in_progress());
  EXPECT_TRUE(snap.last_background_ok());
  EXPECT_EQ(snap.saves(), 1u);
  EXPECT_GT(snap.last_ok_sec(), 0);

  Keyspace back(2);
  store::rdb::AuxFields aux;
  ASSERT_TRUE(store::rdb::load_rdb_file(path, back, {}, &aux, &error)) << error;
  EXPECT_EQ(back.db(0).size(), 1000u);
  EXPECT_EQ(back.db(1).size(), 1u);
  EXPECT_EQ(back.db(0).find_raw("late"), nullptr);
  bool found = false;
  for (const auto& [k, v] : aux) found |= k == "zakros-test" && v == "1";
  EXPECT_TRUE(found);
}

TEST_F(SnapshotterTest, ChildFailureIsReportedAndNoFileIsLeft) {
  Keyspace ks(1);
  Snapshotter snap(io_, ks);
  bool done = false, ok = true;
  std::string error, why;
  const std::string path = dir_ + "/missing-dir/file.rdb";  // the child cannot create it
  ASSERT_TRUE(snap.start_background(
      path, {},
      [&](bool result, const std::string& w) {
        done = true;
        ok = result;
        why = w;
      },
      &error));
  run_until(done);
  ASSERT_TRUE(done);
  EXPECT_FALSE(ok);
  EXPECT_NE(why.find("could not create"), std::string::npos) << why;
  EXPECT_FALSE(snap.last_background_ok());
  EXPECT_EQ(snap.saves(), 0u);
}

TEST_F(SnapshotterTest, SaveNowWritesALoadableFile) {
  Keyspace ks(1);
  TimeContext tc{0, true};
  ks.db(0).set_string("a", "1", store::kPersist, tc);
  Snapshotter snap(io_, ks);
  std::string error;
  const std::string path = dir_ + "/now.rdb";
  ASSERT_TRUE(snap.save_now(path, store::rdb::default_aux_fields(0, 0), &error)) << error;
  Keyspace back(1);
  ASSERT_TRUE(store::rdb::load_rdb_file(path, back, {}, nullptr, &error)) << error;
  EXPECT_NE(back.db(0).find_raw("a"), nullptr);
  EXPECT_FALSE(snap.save_now(dir_ + "/no/such/dir.rdb", {}, &error));
  EXPECT_NE(error.find("no/such/dir.rdb"), std::string::npos) << error;
}

}  // namespace
}  // namespace zakros::server
