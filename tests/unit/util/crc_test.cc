#include <gtest/gtest.h>

#include <random>
#include <string>

#include "util/crc16.h"
#include "util/crc64.h"

namespace zakros::util {
namespace {

TEST(Crc16, CheckValue) {
  EXPECT_EQ(crc16("123456789"), 0x31c3);
  EXPECT_EQ(crc16(""), 0);
}

TEST(KeyHashSlot, KnownSlots) {
  // Values from redis-server 7.0's CLUSTER KEYSLOT.
  EXPECT_EQ(key_hash_slot("foo"), 12182);
  EXPECT_EQ(key_hash_slot("bar"), 5061);
  EXPECT_EQ(key_hash_slot("somekey"), 11058);
  EXPECT_EQ(key_hash_slot(""), 0);
  EXPECT_EQ(key_hash_slot("{user1000}.following"), key_hash_slot("user1000"));
  EXPECT_EQ(key_hash_slot("{user1000}.followers"), key_hash_slot("user1000"));
  EXPECT_EQ(key_hash_slot("foo{}{bar}"), static_cast<int>(crc16("foo{}{bar}") & 16383));
  EXPECT_NE(key_hash_slot("foo{}{bar}"), key_hash_slot("bar"));  // empty first tag: whole key
  EXPECT_EQ(key_hash_slot("foo{{bar}}zap"), key_hash_slot("{bar"));
  EXPECT_EQ(key_hash_slot("foo{bar}{zap}"), key_hash_slot("bar"));
  EXPECT_EQ(key_hash_slot("{foo"), static_cast<int>(crc16("{foo") & 16383));
}

TEST(Crc64, CheckValue) {
  EXPECT_EQ(crc64(0, "123456789", 9), 0xe9c6d914c4b8d9caULL);
  EXPECT_EQ(crc64(0, "", 0), 0u);
}

TEST(Crc64, IncrementalAndSlicingAgreeWithBytewise) {
  std::mt19937_64 rng(1);
  std::string data(1000, '\0');
  for (auto& c : data) c = static_cast<char>(rng());
  // Bytewise reference: fold one byte at a time.
  uint64_t ref = 0;
  for (size_t i = 0; i < data.size(); ++i) ref = crc64(ref, data.data() + i, 1);
  EXPECT_EQ(crc64(0, data.data(), data.size()), ref);
  for (size_t split : {1u, 7u, 8u, 9u, 500u, 999u}) {
    EXPECT_EQ(crc64(crc64(0, data.data(), split), data.data() + split, data.size() - split), ref);
  }
}

}  // namespace
}  // namespace zakros::util
