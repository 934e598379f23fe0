// DiskLogStore with real files in a temporary directory: round trips, restarts, torn tails at
// every byte, corruption refusal with file and offset, overwrites across segments, compaction.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "temp_dir.h"

#include "raft/storage/disk_log.h"

namespace zakros::raft {
namespace {

namespace fs = std::filesystem;

// Every test's directory is named zakros-disk-log-XXXXXX.
class TempDir : public testing::TempDir {
 public:
  TempDir() : testing::TempDir("disk-log") {}
};

Entry make(Index index, Term term, std::size_t size = 0) {
  std::string data(size == 0 ? 5 + index % 13 : size, 'a');
  for (std::size_t k = 0; k < data.size(); ++k) data[k] = static_cast<char>('a' + (index + k) % 26);
  return Entry{term, index, index % 7 == 0 ? EntryType::kNoop : EntryType::kNormal, Bytes(data)};
}

std::vector<Entry> range(Index lo, Index hi, Term term) {
  std::vector<Entry> v;
  for (Index i = lo; i <= hi; ++i) v.push_back(make(i, term));
  return v;
}

struct Opened {
  std::unique_ptr<DiskLogStore> log;
  std::string error;
  std::vector<std::string> warnings;
};

Opened open_log(const std::string& dir, std::uint64_t segment_bytes = 64ull << 20) {
  Opened o;
  DiskLogOptions opts;
  opts.segment_bytes = segment_bytes;
  auto* warnings = &o.warnings;
  opts.warn = [warnings](const std::string& m) { warnings->push_back(m); };
  opts.fatal = [](const std::string& m) { throw std::runtime_error(m); };
  o.log = DiskLogStore::open(dir, std::move(opts), &o.error);
  return o;
}

void expect_entries(const DiskLogStore& log, Index lo, Index hi, Term term) {
  std::vector<Entry> got;
  log.read(lo, hi, &got);
  ASSERT_EQ(got.size(), hi - lo + 1);
  for (Index i = lo; i <= hi; ++i) {
    const Entry want = make(i, term);
    const Entry& e = got[i - lo];
    EXPECT_EQ(e.index, i);
    EXPECT_EQ(e.term, term) << "index " << i;
    EXPECT_EQ(e.type, want.type);
    EXPECT_EQ(e.data.view(), want.data.view()) << "index " << i;
  }
}

std::vector<std::string> segment_files(const std::string& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir)) v.push_back(e.path().string());
  std::sort(v.begin(), v.end());
  return v;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(DiskLog, FreshLogIsEmpty) {
  TempDir tmp;
  auto o = open_log(tmp.path() + "/log");
  ASSERT_TRUE(o.log) << o.error;
  EXPECT_EQ(o.log->first_index(), 1u);
  EXPECT_EQ(o.log->last_index(), 0u);
  EXPECT_EQ(segment_files(tmp.path() + "/log").size(), 1u);
}

TEST(DiskLog, RoundTripAndRestart) {
  TempDir tmp;
  {
    auto o = open_log(tmp.path());
    ASSERT_TRUE(o.log) << o.error;
    o.log->append(range(1, 50, 1));
    o.log->write(range(51, 100, 2));
    o.log->sync();
    EXPECT_EQ(o.log->last_index(), 100u);
    expect_entries(*o.log, 1, 50, 1);
    expect_entries(*o.log, 51, 100, 2);
    EXPECT_EQ(o.log->term_at(77), 2u);
  }
  auto o = open_log(tmp.path());
  ASSERT_TRUE(o.log) << o.error;
  EXPECT_TRUE(o.warnings.empty());
  EXPECT_EQ(o.log->first_index(), 1u);
  EXPECT_EQ(o.log->last_index(), 100u);
  expect_entries(*o.log, 1, 50, 1);
  expect_entries(*o.log, 51, 100, 2);
  expect_entries(*o.log, 40, 50, 1);
}

TEST(DiskLog, SegmentsRollOverAndReadAcrossThem) {
  TempDir tmp;
  {
    auto o = open_log(tmp.path(), 512);
    ASSERT_TRUE(o.log) << o.error;
    for (Index i = 1; i <= 300; i += 10) o.log->append(range(i, i + 9, 3));
    EXPECT_GT(o.log->segment_count(), 5u);
  }
  auto o = open_log(tmp.path(), 512);
  ASSERT_TRUE(o.log) << o.error;
  EXPECT_GT(o.log->segment_count(), 5u);
  EXPECT_EQ(o.log->last_index(), 300u);
  expect_entries(*o.log, 1, 300, 3);
  expect_entries(*o.log, 37, 211, 3);
  // Every file is named after its first index.
  const LogScan scan = scan_log(tmp.path());
  ASSERT_TRUE(scan.ok()) << scan.error;
  for (const auto& s : scan.segments) {
    EXPECT_EQ(fs::path(s.path).filename().string(), segment_file_name(s.first_index));
  }
}

TEST(DiskLog, TornTailAtEveryByteRecoversThePrefix) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/log";
  {
    auto o = open_log(dir);
    ASSERT_TRUE(o.log) << o.error;
    o.log->append(range(1, 9, 1));
    o.log->append(std::vector<Entry>{make(10, 1, 40)});
  }
  const LogScan scan = scan_log(dir);
  ASSERT_TRUE(scan.ok());
  const std::string path = scan.segments.back().path;
  const std::uint64_t last_record = scan.segments.back().offsets.back();
  const std::string full = slurp(path);
  for (std::uint64_t cut = last_record; cut < full.size(); ++cut) {
    spit(path, full.substr(0, cut));
    auto o = open_log(dir);
    ASSERT_TRUE(o.log) << "cut " << cut << ": " << o.error;
    EXPECT_EQ(o.log->last_index(), 9u) << "cut " << cut;
    EXPECT_EQ(o.warnings.size(), cut == last_record ? 0u : 1u) << "cut " << cut;
    if (cut > last_record) {
      ASSERT_TRUE(o.log->repaired());
      EXPECT_EQ(o.log->repaired()->offset, last_record);
    }
    expect_entries(*o.log, 1, 9, 1);
    // The repaired log takes appends where it ends, and they survive a restart.
    o.log->append(std::vector<Entry>{make(10, 2)});
    o.log.reset();
    auto again = open_log(dir);
    ASSERT_TRUE(again.log) << again.error;
    EXPECT_TRUE(again.warnings.empty());
    EXPECT_EQ(again.log->last_index(), 10u);
    EXPECT_EQ(again.log->term_at(10), 2u);
  }
}

TEST(DiskLog, GarbledLastRecordAndZeroFilledTailAreTorn) {
  TempDir tmp;
  {
    auto o = open_log(tmp.path());
    o.log->append(range(1, 20, 1));
  }
  const LogScan scan = scan_log(tmp.path());
  const std::string path = scan.segments.back().path;
  std::string bytes = slurp(path);
  bytes[bytes.size() - 3] ^= 0x40;  // inside the last record's body
  spit(path, bytes);
  {
    auto o = open_log(tmp.path());
    ASSERT_TRUE(o.log) << o.error;
    EXPECT_EQ(o.log->last_index(), 19u);
    ASSERT_EQ(o.warnings.size(), 1u);
    EXPECT_NE(o.warnings[0].find("torn tail"), std::string::npos);
    EXPECT_NE(o.warnings[0].find(path), std::string::npos);
  }
  // A file extended with zeros (size updated, data never written) after record 19.
  bytes = slurp(path);
  spit(path, bytes + std::string(4096, '\0'));
  auto o = open_log(tmp.path());
  ASSERT_TRUE(o.log) << o.error;
  EXPECT_EQ(o.log->last_index(), 19u);
  EXPECT_EQ(o.warnings.size(), 1u);
  expect_entries(*o.log, 1, 19, 1);
}

TEST(DiskLog, CorruptionBeforeTheTailRefusesWithFileAndOffset) {
  TempDir tmp;
  {
    auto o = open_log(tmp.path(), 1024);
    for (Index i = 1; i <= 200; i += 20) o.log->append(range(i, i + 19, 1));
    ASSERT_GT(o.log->segment_count(), 2u);
  }
  const LogScan scan = scan_log(tmp.path());
  ASSERT_TRUE(scan.ok());
  struct Case {
    std::size_t segment;
    std::size_t record;
    std::size_t byte;  // within the record
  };
  const std::size_t last = scan.segments.size() - 1;
  const Case cases[] = {
      {last, 2, kRecordHeaderBytes + 3},  // a body byte, data follows in the last segment
      {last, 1, 1},                       // the length field
      {last, 0, 9},                       // the body checksum
      {0, scan.segments[0].count - 1, kRecordHeaderBytes + 1},  // a closed segment's last record
      {1, 0, 0},
  };
  for (const Case& c : cases) {
    const SegmentInfo& seg = scan.segments[c.segment];
    const std::string original = slurp(seg.path);
    std::string bytes = original;
    const std::uint64_t offset = seg.offsets[c.record];
    bytes[offset + c.byte] ^= 0x01;
    spit(seg.path, bytes);
    auto o = open_log(tmp.path(), 1024);
    EXPECT_FALSE(o.log);
    EXPECT_NE(o.error.find(seg.path + ": offset " + std::to_string(offset)), std::string::npos)
        << o.error;
    spit(seg.path, original);
  }
  // A bad segment header.
  const std::string original = slurp(scan.segments[1].path);
  std::string bytes = original;
  bytes[17] ^= 0x10;
  spit(scan.segments[1].path, bytes);
  auto o = open_log(tmp.path(), 1024);
  EXPECT_FALSE(o.log);
  EXPECT_NE(o.error.find(scan.segments[1].path + ": offset 0"), std::string::npos) << o.error;
  spit(scan.segments[1].path, original);
  // A missing middle segment is a hole.
  fs::rename(scan.segments[1].path, tmp.path() + "/aside");
  o = open_log(tmp.path(), 1024);
  EXPECT_FALSE(o.log);
  EXPECT_NE(o.error.find("previous one ends at"), std::string::npos) << o.error;
  fs::rename(tmp.path() + "/aside", scan.segments[1].path);
  o = open_log(tmp.path(), 1024);
  ASSERT_TRUE(o.log) << o.error;
  EXPECT_EQ(o.log->last_index(), 200u);
}

TEST(DiskLog, HalfCreatedLastSegmentIsRemoved) {
  TempDir tmp;
  {
    auto o = open_log(tmp.path());
    o.log->append(range(1, 10, 1));
  }
  spit(tmp.path() + "/" + segment_file_name(11), std::string(7, 'Z'));
  auto o = open_log(tmp.path());
  ASSERT_TRUE(o.log) << o.error;
  EXPECT_EQ(o.log->last_index(), 10u);
  EXPECT_EQ(o.warnings.size(), 1u);
  EXPECT_FALSE(fs::exists(tmp.path() + "/" + segment_file_name(11)));
  o.log->append(range(11, 12, 1));
  expect_entries(*o.log, 1, 12, 1);
}

TEST(DiskLog, OverwritingASuffixAcrossSegments) {
  TempDir tmp;
  {
    auto o = open_log(tmp.path(), 512);
    for (Index i = 1; i <= 100; i += 10) o.log->append(range(i, i + 9, 1));
    const std::size_t before = o.log->segment_count();
    ASSERT_GT(before, 4u);
    o.log->append(range(30, 40, 2));  // 30 lies in an early segment: later ones go
    EXPECT_LT(o.log->segment_count(), before);
    EXPECT_EQ(o.log->last_index(), 40u);
    expect_entries(*o.log, 1, 29, 1);
    expect_entries(*o.log, 30, 40, 2);
    o.log->append(range(41, 60, 2));
  }
  auto o = open_log(tmp.path(), 512);
  ASSERT_TRUE(o.log) << o.error;
  EXPECT_EQ(o.log->last_index(), 60u);
  expect_entries(*o.log, 1, 29, 1);
  expect_entries(*o.log, 30, 60, 2);
  // Overwriting exactly at a segment's first index leaves that segment empty, still named right.
  const LogScan scan = scan_log(tmp.path());
  const Index seg_first = scan.segments.back().first_index;
  o.log->append(std::vector<Entry>{make(seg_first, 3)});
  EXPECT_EQ(o.log->last_index(), seg_first);
  o.log.reset();
  o = open_log(tmp.path(), 512);
  ASSERT_TRUE(o.log) << o.error;
  EXPECT_EQ(o.log->term_at(seg_first), 3u);
  EXPECT_EQ(o.log->term_at(seg_first - 1), 2u);
}

TEST(DiskLog, CompactionDeletesWholeSegmentsBelowTheSnapshot) {
  TempDir tmp;
  auto o = open_log(tmp.path(), 512);
  for (Index i = 1; i <= 200; i += 10) o.log->append(range(i, i + 9, 1));
  const std::size_t before = o.log->segment_count();
  o.log->compact(120);
  EXPECT_EQ(o.log->first_index(), 121u);
  EXPECT_LT(o.log->segment_count(), before);
  expect_entries(*o.log, 121, 200, 1);
  o.log.reset();
  o = open_log(tmp.path(), 512);
  ASSERT_TRUE(o.log) << o.error;
  // Whole segments only: the first held entry may lie a little below the snapshot.
  EXPECT_LE(o.log->first_index(), 121u);
  EXPECT_GT(o.log->first_index(), 100u);
  expect_entries(*o.log, 121, 200, 1);
  // Compacting everything leaves an empty log that continues after the snapshot.
  o.log->compact(200);
  EXPECT_EQ(o.log->first_index(), 201u);
  EXPECT_EQ(o.log->last_index(), 200u);
  o.log->append(range(201, 205, 2));
  expect_entries(*o.log, 201, 205, 2);
  // Beyond the end: like reset().
  o.log->compact(1000);
  EXPECT_EQ(o.log->first_index(), 1001u);
  EXPECT_EQ(o.log->last_index(), 1000u);
}

TEST(DiskLog, ResetSurvivesRestart) {
  TempDir tmp;
  {
    auto o = open_log(tmp.path(), 512);
    for (Index i = 1; i <= 100; i += 10) o.log->append(range(i, i + 9, 1));
    o.log->reset(500);
    EXPECT_EQ(o.log->first_index(), 501u);
    EXPECT_EQ(o.log->last_index(), 500u);
    EXPECT_EQ(o.log->segment_count(), 1u);
  }
  {
    auto o = open_log(tmp.path(), 512);
    ASSERT_TRUE(o.log) << o.error;
    EXPECT_EQ(o.log->first_index(), 501u);
    EXPECT_EQ(o.log->last_index(), 500u);
    o.log->append(range(501, 510, 4));
  }
  auto o = open_log(tmp.path(), 512);
  ASSERT_TRUE(o.log) << o.error;
  expect_entries(*o.log, 501, 510, 4);
}

TEST(DiskLog, GapsAreRefused) {
  TempDir tmp;
  auto o = open_log(tmp.path());
  o.log->append(range(1, 5, 1));
  EXPECT_THROW(o.log->append(range(7, 8, 1)), std::runtime_error);
  EXPECT_THROW(o.log->append(std::vector<Entry>{make(1, 1), make(3, 1)}), std::runtime_error);
  EXPECT_EQ(o.log->last_index(), 5u);  // nothing was dropped by the refused append
  expect_entries(*o.log, 1, 5, 1);
}

TEST(DiskLog, ScanOfAMissingDirectoryIsEmpty) {
  const LogScan scan = scan_log("/nonexistent/zakros/log");
  EXPECT_TRUE(scan.ok());
  EXPECT_TRUE(scan.segments.empty());
}

// Random damage (byte flips, truncation, garbage appended) anywhere in the files: opening either
// refuses with a file and offset, or recovers a prefix of exactly the entries written. Damage in
// a closed segment is always refused.
TEST(DiskLog, RandomDamageIsRefusedOrRecoversAnExactPrefix) {
  TempDir tmp;
  {
    auto o = open_log(tmp.path(), 1024);
    for (Index i = 1; i <= 150; i += 10) o.log->append(range(i, i + 9, 1 + i / 50));
  }
  const LogScan scan = scan_log(tmp.path());
  ASSERT_GE(scan.segments.size(), 3u);
  std::map<std::string, std::string> original;
  for (const auto& seg : scan.segments) original[seg.path] = slurp(seg.path);
  std::mt19937_64 rng(20261125);
  int refused = 0, recovered = 0;
  for (int trial = 0; trial < 120; ++trial) {
    for (const auto& [path, bytes] : original) spit(path, bytes);
    const std::size_t k = rng() % scan.segments.size();
    const bool last = k + 1 == scan.segments.size();
    const std::string& path = scan.segments[k].path;
    std::string bytes = original[path];
    switch (rng() % 3) {
      case 0: {
        std::set<std::size_t> at;
        const std::size_t flips = 1 + rng() % 3;
        while (at.size() < flips) at.insert(rng() % bytes.size());
        for (std::size_t p : at) bytes[p] ^= static_cast<char>(1 + rng() % 255);
        break;
      }
      case 1:
        bytes.resize(rng() % bytes.size());
        break;
      default:
        for (std::size_t n = 1 + rng() % 40; n > 0; --n) bytes.push_back(static_cast<char>(rng()));
        break;
    }
    spit(path, bytes);
    auto o = open_log(tmp.path(), 1024);
    if (!o.log) {
      ++refused;
      EXPECT_NE(o.error.find(": offset "), std::string::npos) << o.error;
      continue;
    }
    ++recovered;
    EXPECT_TRUE(last) << "damage in closed segment " << path << " was accepted";
    ASSERT_LE(o.log->last_index(), 150u);
    for (Index i = 1; i <= o.log->last_index(); i += 10) {
      std::vector<Entry> got;
      const Index hi = std::min<Index>(i + 9, o.log->last_index());
      o.log->read(i, hi, &got);
      for (const Entry& e : got) {
        const Entry want = make(e.index, 1 + ((e.index - 1) / 10 * 10 + 1) / 50);
        ASSERT_EQ(e.term, want.term) << e.index;
        ASSERT_EQ(e.data.view(), want.data.view()) << e.index;
      }
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_GT(recovered, 0);
}

}  // namespace
}  // namespace zakros::raft
