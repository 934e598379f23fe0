// Wire/disk encodings: round trips, and rejection of every truncation of a valid encoding.
#include "raft/transport/codec.h"

#include <gtest/gtest.h>

namespace zakros::raft {
namespace {

Message sample() {
  Message m;
  m.type = MessageType::kAppend;
  m.from = 0;  // node ids start at 0 in zakros
  m.to = 2;
  m.term = 7;
  m.log_term = 6;
  m.index = 41;
  m.commit = 40;
  m.reject_hint = 3;
  m.context = 99;
  m.reject = true;
  m.entries.push_back(Entry{7, 42, EntryType::kNormal, Bytes("set k v")});
  m.entries.push_back(
      Entry{7, 43, EntryType::kConfChange, Bytes(ConfState{{0, 1, 2}, {3}}.encode())});
  auto snap = std::make_shared<Snapshot>();
  snap->meta = SnapshotMeta{30, 5, ConfState{{0, 1, 2}, {}}};
  snap->data = Bytes("rdb bytes");
  m.snapshot = snap;
  return m;
}

TEST(Codec, MessageRoundTrip) {
  const Message m = sample();
  std::string wire;
  encode_message(m, &wire);
  Message back;
  ASSERT_TRUE(decode_message(wire, &back));
  EXPECT_EQ(back.type, m.type);
  EXPECT_EQ(back.from, 0u);
  EXPECT_EQ(back.to, 2u);
  EXPECT_EQ(back.term, 7u);
  EXPECT_EQ(back.log_term, 6u);
  EXPECT_EQ(back.index, 41u);
  EXPECT_EQ(back.commit, 40u);
  EXPECT_EQ(back.reject_hint, 3u);
  EXPECT_EQ(back.context, 99u);
  EXPECT_TRUE(back.reject);
  EXPECT_FALSE(back.force);
  ASSERT_EQ(back.entries.size(), 2u);
  EXPECT_EQ(back.entries[0].data.view(), "set k v");
  EXPECT_EQ(back.entries[1].type, EntryType::kConfChange);
  ASSERT_TRUE(back.snapshot);
  EXPECT_EQ(back.snapshot->meta.index, 30u);
  EXPECT_EQ(back.snapshot->meta.conf.voters.size(), 3u);
  EXPECT_EQ(back.snapshot->data.view(), "rdb bytes");
}

TEST(Codec, EveryTruncationAndTrailingGarbageIsRejected) {
  std::string wire;
  encode_message(sample(), &wire);
  Message m;
  for (std::size_t n = 0; n < wire.size(); ++n) {
    EXPECT_FALSE(decode_message(std::string_view(wire).substr(0, n), &m)) << n;
  }
  EXPECT_FALSE(decode_message(wire + "x", &m));
}

TEST(Codec, HardStateAndEntry) {
  HardState hs{9, kNoNode, 17}, back;
  ASSERT_TRUE(decode_hard_state(encode_hard_state(hs), &back));
  EXPECT_EQ(back, hs);
  std::string buf;
  encode_entry(Entry{3, 4, EntryType::kNoop, Bytes()}, &buf);
  std::string_view in = buf;
  Entry e;
  ASSERT_TRUE(decode_entry(&in, &e));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(e.index, 4u);
  EXPECT_EQ(e.type, EntryType::kNoop);
}

}  // namespace
}  // namespace zakros::raft
