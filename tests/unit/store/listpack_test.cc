#include "store/listpack.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace zakros::store {
namespace {

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string from_hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

std::string element(const Listpack& lp, size_t pos) {
  char buf[32];
  return std::string(lp.get(pos).view(buf));
}

std::vector<std::string> forward(const Listpack& lp) {
  std::vector<std::string> out;
  for (size_t p = lp.first(); p != Listpack::kEnd; p = lp.next(p)) out.push_back(element(lp, p));
  return out;
}

std::vector<std::string> backward(const Listpack& lp) {
  std::vector<std::string> out;
  for (size_t p = lp.last(); p != Listpack::kEnd; p = lp.prev(p)) out.push_back(element(lp, p));
  return out;
}

TEST(ListpackTest, EmptyIsSevenBytes) {
  Listpack lp;
  EXPECT_EQ(lp.bytes(), 7u);
  EXPECT_EQ(to_hex(lp.data()),
            "07000000"
            "0000"
            "ff");
  EXPECT_TRUE(lp.empty());
  EXPECT_EQ(lp.size(), 0u);
  EXPECT_EQ(lp.first(), Listpack::kEnd);
  EXPECT_EQ(lp.last(), Listpack::kEnd);
  EXPECT_EQ(lp.seek(0), Listpack::kEnd);
  EXPECT_TRUE(Listpack::validate(lp.data(), true));
}

// The listpack of a small hash, from redis-server 7.0.15: HSET h <field_i> v<i> for the fields
// below, then DUMP h (rdbcompression no); the listpack is the RDB string inside the payload.
// It covers every integer width at its edges and strings that look like integers but are not.
TEST(ListpackTest, HashBytesMatchRedis) {
  const std::vector<std::string> fields = {"0",
                                           "127",
                                           "128",
                                           "-1",
                                           "-4096",
                                           "4095",
                                           "-4097",
                                           "32767",
                                           "-32768",
                                           "32768",
                                           "8388607",
                                           "-8388608",
                                           "8388608",
                                           "2147483647",
                                           "-2147483648",
                                           "2147483648",
                                           "9223372036854775807",
                                           "-9223372036854775808",
                                           "",
                                           "a",
                                           "01",
                                           "+1",
                                           "-0",
                                           "9223372036854775808"};
  Listpack lp;
  for (size_t i = 0; i < fields.size(); ++i) {
    lp.append(fields[i]);
    lp.append("v" + std::to_string(i));
  }
  const char* expected =
      "f600000030000001827630037f0182763103c0800282763203dfff0282763303d0000282763403cfff028276"
      "3503f1ffef0382763603f1ff7f0382763703f100800382763803f20080000482763903f2ffff7f0483763130"
      "04f2000080048376313104f300008000058376313204f3ffffff7f058376313304f300000080058376313404"
      "f40000008000000000098376313504f4ffffffffffffff7f098376313604f400000000000000800983763137"
      "04800183763138048161028376313904823031038376323004822b31038376323104822d3003837632320493"
      "39323233333732303336383534373735383038148376323304ff";
  EXPECT_EQ(to_hex(lp.data()), expected);
  size_t count = 0;
  ASSERT_TRUE(Listpack::validate(from_hex(expected), true, &count));
  EXPECT_EQ(count, fields.size() * 2);

  // Decoding gives the elements back, in both directions.
  std::vector<std::string> all;
  for (size_t i = 0; i < fields.size(); ++i) {
    all.push_back(fields[i]);
    all.push_back("v" + std::to_string(i));
  }
  EXPECT_EQ(forward(lp), all);
  std::vector<std::string> rev(all.rbegin(), all.rend());
  EXPECT_EQ(backward(lp), rev);
  // Integers decode as integers, non-canonical text as strings.
  EXPECT_TRUE(lp.get(lp.seek(2 * 16)).is_int());  // "9223372036854775807"
  EXPECT_EQ(lp.get(lp.seek(2 * 17)).integer, INT64_MIN);
  EXPECT_FALSE(lp.get(lp.seek(2 * 20)).is_int());  // "01"
}

// One field of n 'x' bytes and the value "y", compared with what redis-server 7.0.15 dumps:
// the first and last bytes of the listpack (string header widths and backlen sizes 1..4).
TEST(ListpackTest, StringWidthsAndBacklensMatchRedis) {
  struct Case {
    size_t n;
    size_t total;
    const char* head;
    const char* tail;
  };
  const Case cases[] = {
      {63, 75, "4b0000000200bf78", "78787840817902ff"},
      {64, 77, "4d0000000200e040", "78787842817902ff"},
      {125, 138, "8a0000000200e07d", "7878787f817902ff"},
      {126, 140, "8c0000000200e07e", "78780180817902ff"},
      {127, 141, "8d0000000200e07f", "78780181817902ff"},
      {4095, 4109, "0d1000000200efff", "78782081817902ff"},
      {4096, 4113, "111000000200f000", "78782085817902ff"},
      {16380, 16398, "0e4000000200f0fc", "78018081817902ff"},
      {16381, 16399, "0f4000000200f0fd", "78018082817902ff"},
      {16400, 16418, "224000000200f010", "78018095817902ff"},
      {2097140, 2097158, "060020000200f0f4", "7ffff9817902ff"},
      {2097160, 2097179, "1b0020000200f008", "0180808d817902ff"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.n);
    Listpack lp;
    lp.append(std::string(c.n, 'x'));
    lp.append("y");
    ASSERT_EQ(lp.bytes(), c.total);
    std::string hex = to_hex(lp.data());
    EXPECT_EQ(hex.substr(0, 16), c.head);
    EXPECT_EQ(hex.substr(hex.size() - std::string(c.tail).size()), c.tail);
    EXPECT_TRUE(Listpack::validate(lp.data(), true));
    EXPECT_EQ(backward(lp), (std::vector<std::string>{"y", std::string(c.n, 'x')}));
    EXPECT_EQ(lp.get(lp.first()).len, c.n);
  }
}

// A 5-byte backlen needs an entry of at least 268435455 bytes: build it and walk back over it.
TEST(ListpackTest, FiveByteBacklen) {
  Listpack lp;
  lp.append("a");
  lp.append(std::string(268435456, 'z'));
  lp.append("b");
  EXPECT_EQ(lp.bytes(), 7u + 3 + (5 + 268435456 + 5) + 3);
  EXPECT_EQ(element(lp, lp.prev(lp.prev(lp.last()))), "a");
  EXPECT_TRUE(Listpack::validate(lp.data(), true));
}

TEST(ListpackTest, AppendIntMatchesStringForm) {
  Listpack a, b;
  for (int64_t v : {int64_t{0}, int64_t{-1}, int64_t{5000}, INT64_MAX, INT64_MIN}) {
    a.append_int(v);
    b.append(std::to_string(v));
  }
  EXPECT_EQ(a.data(), b.data());
}

TEST(ListpackTest, SeekFromBothEnds) {
  Listpack lp;
  for (int i = 0; i < 10; ++i) lp.append("e" + std::to_string(i));
  EXPECT_EQ(element(lp, lp.seek(0)), "e0");
  EXPECT_EQ(element(lp, lp.seek(7)), "e7");
  EXPECT_EQ(element(lp, lp.seek(-1)), "e9");
  EXPECT_EQ(element(lp, lp.seek(-10)), "e0");
  EXPECT_EQ(lp.seek(10), Listpack::kEnd);
  EXPECT_EQ(lp.seek(-11), Listpack::kEnd);
}

TEST(ListpackTest, InsertReplaceErase) {
  Listpack lp;
  lp.append("b");
  lp.prepend("a");
  lp.append("d");
  size_t pos = lp.insert_after(lp.seek(1), "c");
  EXPECT_EQ(element(lp, pos), "c");
  pos = lp.insert_before(lp.first(), "0");
  EXPECT_EQ(pos, lp.first());
  EXPECT_EQ(forward(lp), (std::vector<std::string>{"0", "a", "b", "c", "d"}));
  EXPECT_EQ(lp.size(), 5u);

  pos = lp.replace(lp.seek(2), std::string(300, 'B'));
  EXPECT_EQ(element(lp, pos), std::string(300, 'B'));
  EXPECT_EQ(element(lp, lp.next(pos)), "c");
  lp.replace_int(lp.seek(2), 12345);
  EXPECT_EQ(element(lp, lp.seek(2)), "12345");
  EXPECT_TRUE(lp.get(lp.seek(2)).is_int());

  size_t after = lp.erase(lp.seek(1));
  EXPECT_EQ(element(lp, after), "12345");
  EXPECT_EQ(lp.erase(lp.last()), Listpack::kEnd);
  EXPECT_EQ(forward(lp), (std::vector<std::string>{"0", "12345", "c"}));
  EXPECT_EQ(lp.size(), 3u);
  EXPECT_TRUE(Listpack::validate(lp.data(), true));

  // The result is the same bytes as building it directly.
  Listpack direct;
  for (const char* s : {"0", "12345", "c"}) direct.append(s);
  EXPECT_EQ(lp.data(), direct.data());

  lp.clear();
  EXPECT_EQ(lp.bytes(), 7u);
}

TEST(ListpackTest, EraseRanges) {
  auto make = [] {
    Listpack lp;
    for (int i = 0; i < 8; ++i) lp.append(std::to_string(i * 1000));
    return lp;
  };
  Listpack lp = make();
  size_t next = lp.erase_range(lp.seek(2), 3);
  EXPECT_EQ(element(lp, next), "5000");
  EXPECT_EQ(forward(lp), (std::vector<std::string>{"0", "1000", "5000", "6000", "7000"}));
  EXPECT_EQ(lp.erase_range(lp.seek(3), 100), Listpack::kEnd);
  EXPECT_EQ(lp.size(), 3u);

  lp = make();
  lp.erase_range_index(-3, 10);  // through the end: the terminator moves
  EXPECT_EQ(forward(lp), (std::vector<std::string>{"0", "1000", "2000", "3000", "4000"}));
  lp.erase_range_index(1, 2);
  EXPECT_EQ(forward(lp), (std::vector<std::string>{"0", "3000", "4000"}));
  lp.erase_range_index(5, 2);  // out of range: nothing
  EXPECT_EQ(lp.size(), 3u);
  EXPECT_TRUE(Listpack::validate(lp.data(), true));
}

TEST(ListpackTest, FindWithSkip) {
  Listpack lp;
  // field/value pairs where a value equals a later field name.
  for (const char* s : {"f1", "x", "f2", "f3", "f3", "12", "12", "y"}) lp.append(s);
  EXPECT_EQ(lp.find(lp.first(), "f3", 1), lp.seek(4));  // the value "f3" at 3 is skipped
  EXPECT_EQ(lp.find(lp.first(), "f3", 0), lp.seek(3));
  EXPECT_EQ(lp.find(lp.first(), "12", 1), lp.seek(6));
  EXPECT_EQ(lp.find(lp.seek(1), "12", 1), lp.seek(5));  // the odd positions
  EXPECT_EQ(lp.find(lp.first(), "x", 1), Listpack::kEnd);
  EXPECT_EQ(lp.find(lp.first(), "012", 0), Listpack::kEnd);  // not the integer 12
  EXPECT_EQ(lp.find(Listpack::kEnd, "f1", 0), Listpack::kEnd);
}

TEST(ListpackTest, CountBeyondHeader) {
  Listpack lp;
  for (int i = 0; i < 65536; ++i) lp.append_int(i % 100);
  EXPECT_EQ(lp.data()[4], '\xff');  // unknown (65535)
  EXPECT_EQ(lp.data()[5], '\xff');
  EXPECT_EQ(lp.size(), 65536u);
  EXPECT_TRUE(Listpack::validate(lp.data(), true));
  lp.erase(lp.first());
  lp.erase(lp.first());
  EXPECT_EQ(lp.size(), 65534u);  // counted, and stored again since it fits
  EXPECT_EQ(static_cast<unsigned char>(lp.data()[4]), 0xfe);
}

TEST(ListpackTest, ValidateRejectsBadBytes) {
  Listpack lp;
  for (const char* s : {"hello", "42", "-70000", "world"}) lp.append(s);
  std::string good(lp.data());
  ASSERT_TRUE(Listpack::validate(good, true));

  // Truncations, at every length.
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(Listpack::validate(good.substr(0, n), true)) << n;
  }
  // Total bytes disagreeing with the buffer.
  std::string bad = good;
  bad[0] = static_cast<char>(bad[0] + 1);
  EXPECT_FALSE(Listpack::validate(bad, false));
  // No terminator.
  bad = good;
  bad.back() = 0;
  EXPECT_FALSE(Listpack::validate(bad, false));
  // Wrong count (shallow validation does not look).
  bad = good;
  bad[4] = 3;
  EXPECT_TRUE(Listpack::validate(bad, false));
  EXPECT_FALSE(Listpack::validate(bad, true));
  // Unknown count is fine.
  bad = good;
  bad[4] = bad[5] = '\xff';
  size_t count = 0;
  EXPECT_TRUE(Listpack::validate(bad, true, &count));
  EXPECT_EQ(count, 4u);
  // A garbled backlen.
  bad = good;
  bad[6 + 6] = 9;  // "hello" is 85 68 65 6c 6c 6f 06
  EXPECT_FALSE(Listpack::validate(bad, true));
  // An invalid encoding byte.
  bad = good;
  bad[6] = static_cast<char>(0xF5);
  EXPECT_FALSE(Listpack::validate(bad, true));
  // A string length reaching past the end.
  bad = good;
  bad[6] = static_cast<char>(0xBF);
  EXPECT_FALSE(Listpack::validate(bad, true));
  // A 32-bit string length that overflows.
  std::string huge = from_hex(
      "0f000000"
      "0100"
      "f0ffffffff"
      "0000"
      "ff");
  huge[0] = static_cast<char>(huge.size());
  EXPECT_FALSE(Listpack::validate(huge, true));
}

// Random mutations of valid listpacks: validate() must never read out of bounds (run under
// ZAKROS_SANITIZE), and whatever it accepts must be walkable both ways.
TEST(ListpackTest, ValidateFuzz) {
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 3000; ++round) {
    Listpack lp;
    int n = static_cast<int>(rng() % 12);
    for (int i = 0; i < n; ++i) {
      switch (rng() % 4) {
        case 0:
          lp.append_int(static_cast<int64_t>(rng()) >> (rng() % 64));
          break;
        case 1:
          lp.append(std::string(rng() % 70, 'a'));
          break;
        case 2:
          lp.append(std::string(rng() % 5000, 'b'));
          break;
        default:
          lp.append(std::to_string(static_cast<int>(rng() % 20000) - 10000));
      }
    }
    std::string bytes(lp.data());
    int mutations = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations; ++m) {
      switch (rng() % 4) {
        case 0:
          if (!bytes.empty()) bytes[rng() % bytes.size()] = static_cast<char>(rng());
          break;
        case 1:
          bytes.resize(rng() % (bytes.size() + 1));
          break;
        case 2:
          bytes.insert(rng() % (bytes.size() + 1), 1, static_cast<char>(rng()));
          break;
        default:
          if (!bytes.empty()) bytes.erase(rng() % bytes.size(), 1);
      }
    }
    // Keep the header consistent half of the time so that deep checks get exercised.
    if (bytes.size() >= 7 && rng() % 2) {
      uint32_t total = static_cast<uint32_t>(bytes.size());
      for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(total >> (8 * i));
      bytes.back() = '\xff';
    }
    size_t count = 0;
    if (!Listpack::validate(bytes, true, &count)) continue;
    Listpack copy = Listpack::from_bytes(bytes);
    EXPECT_EQ(copy.size(), count);
    EXPECT_EQ(forward(copy).size(), count);
    EXPECT_EQ(backward(copy).size(), count);
  }
}

}  // namespace
}  // namespace zakros::store
