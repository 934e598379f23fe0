// HyperLogLog in Redis's byte format: register access, sparse <-> dense, counts and byte-exact
// values compared with blobs produced by redis-server 7.0.15, and corrupted-input fuzzing.
#include "store/hyperloglog.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace zakros::store::hll {
namespace {

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// redis-server 7.0.15: PFADD hs e0 ... e99; GET hs (cache invalid), then after PFCOUNT (100).
constexpr std::string_view kRedisSparseBody =
    "36843c8040a9a40e88409084406c9c048840e28041358840d380411d8840898041168c419080098040e08040948"
    "041578440a280408384405d8440e1844199844081803c844047840780404e80408f840984405184268441258440"
    "d38042638040a280404b8c406f80420b8c41798041478041638040668440f98c0184218811804182844062803088"
    "407984228040de8440d3884045800a88420090118440c184018041138440848c1684228040a88440e180422a8441"
    "0384168041178441658c414e802680058040598040ec882e88413c880380405b841b803f80409b802184412e8840"
    "8f90407e80408480415f8033844079844193844058902e80406a840d8039801380409a882880408c";
constexpr std::string_view kRedisSparseHeaderStale = "48594c4c010000000000000000000080";
constexpr std::string_view kRedisSparseHeaderCached = "48594c4c010000006400000000000000";

std::string add_all(std::string hll, int from, int to, const char* prefix = "e") {
  for (int i = from; i < to; ++i) add(hll, prefix + std::to_string(i));
  return hll;
}

TEST(HyperLogLogTest, EmptyValue) {
  std::string h = create();
  EXPECT_EQ(h.size(), kHeaderSize + 2);
  EXPECT_TRUE(is_valid(h));
  EXPECT_EQ(encoding(h), kSparse);
  EXPECT_EQ(decode_sparse(h), "Z:16384");
  EXPECT_EQ(count(h, nullptr), 0u);
}

TEST(HyperLogLogTest, SparseBytesMatchRedis) {
  std::string h = add_all(create(), 0, 100);
  std::string expected =
      from_hex(std::string(kRedisSparseHeaderStale) + std::string(kRedisSparseBody));
  EXPECT_EQ(h, expected);
  bool invalid = false;
  EXPECT_EQ(count(h, &invalid), 100u);
  EXPECT_FALSE(invalid);
  set_cache(h, 100);
  EXPECT_EQ(h, from_hex(std::string(kRedisSparseHeaderCached) + std::string(kRedisSparseBody)));
  EXPECT_TRUE(cache_valid(h));
  EXPECT_EQ(cached_count(h), 100u);
  EXPECT_EQ(decode_sparse(h).substr(0, 40), "z:55 v:2,1 z:61 v:1,1 Z:170 v:10,1 z:15 ");
}

TEST(HyperLogLogTest, RedisBlobCountsTheSame) {
  std::string redis =
      from_hex(std::string(kRedisSparseHeaderStale) + std::string(kRedisSparseBody));
  ASSERT_TRUE(is_valid(redis));
  EXPECT_EQ(count(redis, nullptr), 100u);
  // Adding what it already holds changes nothing.
  for (int i = 0; i < 100; ++i) EXPECT_EQ(add(redis, "e" + std::to_string(i)), 0);
  // redis-server: PFADD h3 x0 x1 x2.
  std::string h3 = from_hex("48594c4c0100000000000000000000804e44844295b462d0884c50");
  EXPECT_EQ(add_all(create(), 0, 3, "x"), h3);
  EXPECT_EQ(count(h3, nullptr), 3u);
}

TEST(HyperLogLogTest, DenseBytesMatchRedis) {
  // redis-server: PFADD hd e0 ... e4999 in batches of 500 turns dense; count 4968.
  std::string h = create();
  for (int i = 0; i < 5000; i += 500) h = add_all(std::move(h), i, i + 500);
  EXPECT_EQ(encoding(h), kDense);
  EXPECT_EQ(h.size(), kDenseSize);
  EXPECT_EQ(fnv1a(h), 0x805246753a1cdadaull);
  EXPECT_EQ(count(h, nullptr), 4968u);
  set_cache(h, 4968);
  EXPECT_EQ(fnv1a(h), 0x9219c5a2921db657ull);
  // PFCOUNT hs hd h3 on redis-server: 4970.
  std::vector<uint8_t> max(kRegisters, 0);
  ASSERT_TRUE(merge_into(max.data(), h));
  ASSERT_TRUE(merge_into(max.data(), add_all(create(), 0, 100)));
  ASSERT_TRUE(merge_into(max.data(), add_all(create(), 0, 3, "x")));
  EXPECT_EQ(count_registers(max.data()), 4970u);
}

TEST(HyperLogLogTest, DenseRegisters) {
  std::vector<uint8_t> regs(kDenseSize - kHeaderSize, 0);
  std::mt19937 rng(7);
  std::vector<uint8_t> expected(kRegisters);
  for (long i = 0; i < kRegisters; ++i) {
    expected[i] = static_cast<uint8_t>(rng() & 63);
    dense_set(regs.data(), i, expected[i]);
  }
  for (long i = 0; i < kRegisters; ++i) ASSERT_EQ(dense_get(regs.data(), i), expected[i]) << i;
}

TEST(HyperLogLogTest, SparseAndDenseAgree) {
  std::string sparse = create();
  std::string dense = create();
  ASSERT_TRUE(to_dense(dense));
  for (int i = 0; i < 3000; ++i) {
    std::string e = "k" + std::to_string(i * 7919);
    add(sparse, e);
    add(dense, e);
    if (i % 97 == 0) {
      ASSERT_EQ(count(sparse, nullptr), count(dense, nullptr)) << i;
    }
  }
  std::string converted = sparse;
  ASSERT_TRUE(to_dense(converted));
  auto regs = [](const std::string& h) { return h.substr(kHeaderSize); };
  EXPECT_EQ(regs(converted), regs(dense));
}

TEST(HyperLogLogTest, PromotionFollowsSparseMaxBytes) {
  int64_t saved = g_sparse_max_bytes;
  g_sparse_max_bytes = 30;
  std::string h = create();
  for (int i = 0; i < 20 && encoding(h) == kSparse; ++i) {
    add(h, "p" + std::to_string(i));
    if (encoding(h) == kSparse) {
      EXPECT_LE(h.size(), 30u);
    }
  }
  EXPECT_EQ(encoding(h), kDense);
  g_sparse_max_bytes = saved;
  // A register above 32 cannot be sparse.
  std::string big = create();
  EXPECT_EQ(set_register(big, 5, 40), 1);
  EXPECT_EQ(encoding(big), kDense);
  EXPECT_EQ(dense_get(reinterpret_cast<const uint8_t*>(big.data()) + kHeaderSize, 5), 40);
}

TEST(HyperLogLogTest, Validity) {
  EXPECT_FALSE(is_valid("HYLL"));
  std::string h = create();
  std::string bad = h;
  bad[0] = 'X';
  EXPECT_FALSE(is_valid(bad));
  bad = h;
  bad[4] = 2;
  EXPECT_FALSE(is_valid(bad));
  std::string dense = h;
  ASSERT_TRUE(to_dense(dense));
  EXPECT_TRUE(is_valid(dense));
  dense.push_back('\0');
  EXPECT_FALSE(is_valid(dense));
  // A sparse body that does not cover exactly 16384 registers.
  std::string tail = h + "\x01";
  bool invalid = false;
  count(tail, &invalid);
  EXPECT_TRUE(invalid);
  EXPECT_FALSE(to_dense(tail));
  std::vector<uint8_t> max(kRegisters, 0);
  EXPECT_FALSE(merge_into(max.data(), tail));
}

// Random bytes after a valid header, and random corruptions of real values: every function
// must return without reading or writing out of bounds.
TEST(HyperLogLogTest, FuzzCorruptedValues) {
  std::mt19937_64 rng(12345);
  std::vector<uint8_t> max(kRegisters, 0);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string h;
    if (iter % 2 == 0) {
      h = create();
      h.resize(kHeaderSize);
      size_t len = rng() % 64;
      for (size_t i = 0; i < len; ++i) h.push_back(static_cast<char>(rng()));
    } else {
      h = add_all(create(), 0, static_cast<int>(rng() % 400), "f");
      for (int k = 0; k < 3; ++k)
        h[kHeaderSize + rng() % (h.size() - kHeaderSize)] = static_cast<char>(rng());
    }
    if (!is_valid(h)) continue;
    bool invalid = false;
    (void)count(h, &invalid);
    (void)merge_into(max.data(), h);
    (void)decode_sparse(h);
    std::string copy = h;
    for (int k = 0; k < 20; ++k) {
      if (add(copy, "z" + std::to_string(rng())) < 0) break;
    }
    copy = h;
    (void)to_dense(copy);
  }
}

TEST(HyperLogLogTest, Accuracy) {
  std::string h = create();
  for (int i = 0; i < 100000; ++i) add(h, "acc" + std::to_string(i));
  double c = static_cast<double>(count(h, nullptr));
  EXPECT_NEAR(c, 100000.0, 100000.0 * 0.03);
}

}  // namespace
}  // namespace zakros::store::hll
