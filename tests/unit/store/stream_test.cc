// StreamObject: IDs and their parsing, appends and node splitting, XDEL tombstones, trimming
// (exact and approximate, MAXLEN and MINID, LIMIT), iteration both ways, consumer-group PELs,
// and the RDB round trip with validation of corrupt input.
#include "store/stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/rdb.h"
#include "store/rdb_stream.h"

namespace zakros::store {
namespace {

std::vector<StreamID> ids_of(const StreamObject& s, bool rev = false) {
  std::vector<StreamID> out;
  StreamObject::Iterator it(s, StreamID::min(), StreamID::max(), rev);
  StreamID id;
  while (it.next(&id, nullptr)) out.push_back(id);
  return out;
}

void add(StreamObject& s, uint64_t ms, uint64_t seq, const EncodingLimits& limits,
         std::vector<std::string_view> fv = {"f", "v"}) {
  StreamID id{ms, seq};
  ASSERT_EQ(s.add(fv, &id, true, 0, limits, nullptr), StreamObject::AddResult::kOk);
}

TEST(StreamIdTest, ParseAndFormat) {
  StreamID id;
  bool seq_given;
  EXPECT_TRUE(parse_stream_id("1-2", 0, &id));
  EXPECT_EQ(id, (StreamID{1, 2}));
  EXPECT_TRUE(parse_stream_id("5", 7, &id));
  EXPECT_EQ(id, (StreamID{5, 7}));
  EXPECT_TRUE(parse_stream_id("5-*", 0, &id, &seq_given));
  EXPECT_FALSE(seq_given);
  EXPECT_FALSE(parse_stream_id("5-*", 0, &id));
  EXPECT_FALSE(parse_stream_id("abc", 0, &id));
  EXPECT_FALSE(parse_stream_id("-1", 0, &id));
  EXPECT_FALSE(parse_stream_id("1-", 0, &id));
  EXPECT_TRUE(parse_stream_id("18446744073709551615-18446744073709551615", 0, &id));
  EXPECT_EQ(id, StreamID::max());
  EXPECT_EQ(id.to_string(), "18446744073709551615-18446744073709551615");
  EXPECT_FALSE(id.increment());
  StreamID z;
  EXPECT_FALSE(z.decrement());
  StreamID a{1, UINT64_MAX};
  EXPECT_TRUE(a.increment());
  EXPECT_EQ(a, (StreamID{2, 0}));
  EXPECT_TRUE(a.decrement());
  EXPECT_EQ(a, (StreamID{1, UINT64_MAX}));
}

TEST(StreamTest, AutoIdsAndOrdering) {
  StreamObject s;
  EncodingLimits limits;
  std::vector<std::string_view> fv = {"a", "1"};
  StreamID id;
  ASSERT_EQ(s.add(fv, nullptr, true, 1000, limits, &id), StreamObject::AddResult::kOk);
  EXPECT_EQ(id, (StreamID{1000, 0}));
  ASSERT_EQ(s.add(fv, nullptr, true, 1000, limits, &id), StreamObject::AddResult::kOk);
  EXPECT_EQ(id, (StreamID{1000, 1}));
  ASSERT_EQ(s.add(fv, nullptr, true, 999, limits, &id), StreamObject::AddResult::kOk);
  EXPECT_EQ(id, (StreamID{1000, 2}));
  StreamID partial{1000, 0};
  ASSERT_EQ(s.add(fv, &partial, false, 0, limits, &id), StreamObject::AddResult::kOk);
  EXPECT_EQ(id, (StreamID{1000, 3}));
  StreamID small{5, 0};
  EXPECT_EQ(s.add(fv, &small, true, 0, limits, &id), StreamObject::AddResult::kIdTooSmall);
  EXPECT_EQ(s.length(), 4u);
  EXPECT_EQ(s.entries_added(), 4u);
  EXPECT_EQ(s.first_id(), (StreamID{1000, 0}));
  EXPECT_EQ(s.last_id(), (StreamID{1000, 3}));
}

TEST(StreamTest, FieldsRoundTripAndSameFieldsCompression) {
  StreamObject s;
  EncodingLimits limits;
  add(s, 1, 0, limits, {"name", "x", "n", "12"});
  add(s, 2, 0, limits, {"name", "y", "n", "-5"});
  add(s, 3, 0, limits, {"other", "z"});
  std::vector<std::string> fields;
  StreamObject::Iterator it(s, StreamID::min(), StreamID::max(), false);
  StreamID id;
  ASSERT_TRUE(it.next(&id, &fields));
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "x", "n", "12"}));
  ASSERT_TRUE(it.next(&id, &fields));
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "y", "n", "-5"}));
  ASSERT_TRUE(it.next(&id, &fields));
  EXPECT_EQ(id, (StreamID{3, 0}));
  EXPECT_EQ(fields, (std::vector<std::string>{"other", "z"}));
  EXPECT_FALSE(it.next(&id, &fields));
}

TEST(StreamTest, NodeSplittingByEntriesAndBytes) {
  StreamObject s;
  EncodingLimits limits;
  limits.stream_node_max_entries = 10;
  for (uint64_t i = 1; i <= 95; ++i) add(s, i, 0, limits);
  EXPECT_EQ(s.nodes().size(), 10u);
  EXPECT_EQ(ids_of(s).size(), 95u);
  std::vector<StreamID> rev = ids_of(s, true);
  ASSERT_EQ(rev.size(), 95u);
  EXPECT_EQ(rev.front(), (StreamID{95, 0}));
  EXPECT_EQ(rev.back(), (StreamID{1, 0}));

  StreamObject b;
  EncodingLimits bytes;
  bytes.stream_node_max_bytes = 100;
  std::string big(40, 'x');
  for (uint64_t i = 1; i <= 6; ++i) add(b, i, 0, bytes, {"f", big});
  EXPECT_GT(b.nodes().size(), 1u);
  EXPECT_EQ(ids_of(b).size(), 6u);
}

TEST(StreamTest, RangeIterationAcrossNodes) {
  StreamObject s;
  EncodingLimits limits;
  limits.stream_node_max_entries = 3;
  for (uint64_t i = 1; i <= 20; ++i) add(s, i, 0, limits);
  StreamObject::Iterator it(s, StreamID{5, 0}, StreamID{11, 0}, false);
  StreamID id;
  std::vector<uint64_t> got;
  while (it.next(&id, nullptr)) got.push_back(id.ms);
  EXPECT_EQ(got, (std::vector<uint64_t>{5, 6, 7, 8, 9, 10, 11}));
  StreamObject::Iterator rit(s, StreamID{5, 1}, StreamID{11, 0}, true);
  got.clear();
  while (rit.next(&id, nullptr)) got.push_back(id.ms);
  EXPECT_EQ(got, (std::vector<uint64_t>{11, 10, 9, 8, 7, 6}));
}

TEST(StreamTest, DeleteMarksTombstonesAndDropsEmptyNodes) {
  StreamObject s;
  EncodingLimits limits;
  limits.stream_node_max_entries = 2;
  for (uint64_t i = 1; i <= 4; ++i) add(s, i, 0, limits);
  EXPECT_TRUE(s.erase({1, 0}));
  EXPECT_FALSE(s.erase({1, 0}));
  EXPECT_FALSE(s.erase({9, 0}));
  EXPECT_EQ(s.first_id(), (StreamID{2, 0}));
  EXPECT_EQ(s.max_deleted_id(), (StreamID{1, 0}));
  EXPECT_EQ(s.nodes().size(), 2u);
  EXPECT_TRUE(s.erase({2, 0}));
  EXPECT_EQ(s.nodes().size(), 1u);
  EXPECT_EQ(s.length(), 2u);
  EXPECT_TRUE(s.contains({3, 0}));
  EXPECT_FALSE(s.contains({2, 0}));
  EXPECT_TRUE(s.erase({4, 0}));
  EXPECT_TRUE(s.erase({3, 0}));
  EXPECT_EQ(s.length(), 0u);
  EXPECT_EQ(s.first_id(), StreamID::min());
  EXPECT_TRUE(s.nodes().empty());
}

TEST(StreamTest, TrimExactAndApproximate) {
  EncodingLimits limits;
  limits.stream_node_max_entries = 10;
  StreamObject s;
  for (uint64_t i = 1; i <= 100; ++i) add(s, i, 0, limits);
  StreamTrimArgs approx;
  approx.strategy = StreamTrimArgs::Strategy::kMaxLen;
  approx.maxlen = 55;
  approx.approx = true;
  EXPECT_EQ(s.trim(approx), 40);  // whole nodes only
  EXPECT_EQ(s.length(), 60u);
  StreamTrimArgs exact = approx;
  exact.approx = false;
  EXPECT_EQ(s.trim(exact), 5);
  EXPECT_EQ(s.length(), 55u);
  EXPECT_EQ(s.first_id(), (StreamID{46, 0}));

  StreamTrimArgs minid;
  minid.strategy = StreamTrimArgs::Strategy::kMinId;
  minid.minid = {73, 0};
  EXPECT_EQ(s.trim(minid), 27);
  EXPECT_EQ(s.first_id(), (StreamID{73, 0}));

  StreamTrimArgs limited;
  limited.strategy = StreamTrimArgs::Strategy::kMaxLen;
  limited.maxlen = 0;
  limited.approx = true;
  limited.limit = 15;
  int64_t removed = s.trim(limited);
  EXPECT_EQ(removed, 8);  // the first node (73..80), the next would exceed the limit
  EXPECT_EQ(s.length(), 20u);
}

TEST(StreamTest, GroupsPelAndConsumers) {
  StreamObject s;
  EncodingLimits limits;
  for (uint64_t i = 1; i <= 3; ++i) add(s, i, 0, limits);
  StreamGroup* g = s.create_group("g", StreamID::min(), 0);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(s.create_group("g", StreamID::min(), 0), nullptr);
  StreamConsumer* alice = g->create_consumer("alice", 10);
  ASSERT_NE(alice, nullptr);
  EXPECT_EQ(g->create_consumer("alice", 10), nullptr);
  for (uint64_t i = 1; i <= 3; ++i) {
    StreamNack& n = g->pel[StreamID{i, 0}];
    n.consumer = alice;
    alice->pel[StreamID{i, 0}] = &n;
  }
  EXPECT_TRUE(g->ack({2, 0}));
  EXPECT_FALSE(g->ack({2, 0}));
  EXPECT_EQ(alice->pel.size(), 2u);
  EXPECT_EQ(g->delete_consumer(alice), 2u);
  EXPECT_TRUE(g->pel.empty());
  EXPECT_TRUE(s.destroy_group("g"));
  EXPECT_FALSE(s.destroy_group("g"));
}

TEST(StreamTest, LagAndEntriesRead) {
  StreamObject s;
  EncodingLimits limits;
  for (uint64_t i = 1; i <= 5; ++i) add(s, i, 0, limits);
  StreamGroup g;
  g.last_id = {2, 0};
  g.entries_read = 2;
  int64_t lag;
  ASSERT_TRUE(s.group_lag(g, &lag));
  EXPECT_EQ(lag, 3);
  s.erase({4, 0});
  g.entries_read = StreamGroup::kInvalidEntriesRead;
  EXPECT_FALSE(s.group_lag(g, &lag));
  EXPECT_EQ(s.estimate_distance_from_first_ever_entry({5, 0}), 5);
  EXPECT_EQ(s.estimate_distance_from_first_ever_entry({6, 0}), -1);
}

TEST(StreamRdbTest, RoundTripWithGroups) {
  StreamObject s;
  EncodingLimits limits;
  limits.stream_node_max_entries = 4;
  for (uint64_t i = 1; i <= 10; ++i) add(s, i, 0, limits, {"k", std::to_string(i)});
  s.erase({3, 0});
  StreamGroup* g = s.create_group("grp", StreamID{5, 0}, 4);
  StreamConsumer* c = g->create_consumer("bob", 1234);
  for (uint64_t i : {1, 2, 5}) {
    StreamNack& n = g->pel[StreamID{i, 0}];
    n.consumer = c;
    n.delivery_time = 777;
    n.delivery_count = i;
    c->pel[StreamID{i, 0}] = &n;
  }
  std::string bytes;
  rdb::StringSink sink(&bytes);
  rdb::RdbWriter w(sink);
  rdb::save_stream(w, s);
  ASSERT_TRUE(w.flush());

  rdb::RdbReader r(bytes);
  auto loaded = rdb::load_stream(r, rdb::kTypeStreamListpacks2, limits);
  ASSERT_NE(loaded, nullptr) << r.error();
  auto& t = static_cast<StreamObject&>(*loaded);
  EXPECT_EQ(t.length(), 9u);
  EXPECT_EQ(ids_of(t), ids_of(s));
  EXPECT_EQ(t.max_deleted_id(), (StreamID{3, 0}));
  EXPECT_EQ(t.entries_added(), 10u);
  StreamGroup* tg = t.find_group("grp");
  ASSERT_NE(tg, nullptr);
  EXPECT_EQ(tg->entries_read, 4);
  EXPECT_EQ(tg->pel.size(), 3u);
  EXPECT_EQ((tg->pel[StreamID{5, 0}].delivery_count), 5u);
  ASSERT_NE(tg->find_consumer("bob"), nullptr);
  EXPECT_EQ(tg->find_consumer("bob")->seen_time, 1234);

  // Every truncation and every single-byte corruption is rejected or loads a valid stream;
  // none crashes.
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    rdb::RdbReader tr(std::string_view(bytes).substr(0, cut));
    EXPECT_EQ(rdb::load_stream(tr, rdb::kTypeStreamListpacks2, limits), nullptr);
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    rdb::RdbReader br(bad);
    auto o = rdb::load_stream(br, rdb::kTypeStreamListpacks2, limits);
    if (o != nullptr) ids_of(static_cast<StreamObject&>(*o));
  }
}

}  // namespace
}  // namespace zakros::store
