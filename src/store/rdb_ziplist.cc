// Reading Redis's pre-7.0 ziplist blobs (RDB types 10, 12, 13, 14) and zipmaps (type 9), which
// Redis 7.0 still loads from old DUMP payloads and RDB files by converting them to listpacks.
//
// Ziplist layout (little-endian): <zlbytes:u32> <zltail:u32> <zllen:u16> <entry>* <0xFF>
//   entry = <prevlen> <encoding> <data>
//   prevlen: 1 byte (< 254), or 0xFE then a u32: the byte length of the previous entry.
//   encoding: 00pppppp (string, 6-bit length), 01pppppp qqqqqqqq (14-bit, big-endian),
//             10000000 <u32 big-endian> (32-bit length), 11000000 i16, 11010000 i32,
//             11100000 i64, 11110000 i24, 11111110 i8, 1111xxxx (xxxx 1..13) the value xxxx-1.
#include <cstring>

#include "store/rdb.h"
#include "util/numbers.h"

namespace zakros::store::rdb::detail {

namespace {

constexpr size_t kHeaderSize = 10;
constexpr unsigned char kEnd = 0xFF;

uint64_t le(const unsigned char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

}  // namespace

bool decode_ziplist(std::string_view blob, std::vector<std::string>* out) {
  const auto* zl = reinterpret_cast<const unsigned char*>(blob.data());
  size_t size = blob.size();
  if (size < kHeaderSize + 1) return false;
  if (le(zl, 4) != size) return false;
  size_t tail = le(zl + 4, 4);
  size_t declared = le(zl + 8, 2);
  if (tail > size - 1) return false;
  if (zl[size - 1] != kEnd) return false;

  size_t pos = kHeaderSize;
  size_t prev_len = 0;
  size_t prev_pos = 0;  // start of the last entry seen
  size_t count = 0;
  bool any = false;
  while (pos < size - 1) {
    if (zl[pos] == kEnd) return false;  // terminator before the end
    size_t start = pos;
    // prevlen
    size_t prevlen;
    if (zl[pos] < 254) {
      prevlen = zl[pos];
      pos += 1;
    } else if (zl[pos] == 254) {
      if (pos + 5 > size - 1) return false;
      prevlen = le(zl + pos + 1, 4);
      pos += 5;
    } else {
      return false;
    }
    if (prevlen != prev_len) return false;
    if (pos >= size - 1) return false;
    unsigned char enc = zl[pos];
    size_t header = 0;
    size_t data_len = 0;
    bool is_int = false;
    int64_t value = 0;
    switch (enc >> 6) {
      case 0:
        header = 1;
        data_len = enc & 0x3f;
        break;
      case 1:
        if (pos + 2 > size - 1) return false;
        header = 2;
        data_len = (static_cast<size_t>(enc & 0x3f) << 8) | zl[pos + 1];
        break;
      case 2:
        if (enc != 0x80 || pos + 5 > size - 1) return false;
        header = 5;
        data_len = (static_cast<size_t>(zl[pos + 1]) << 24) |
                   (static_cast<size_t>(zl[pos + 2]) << 16) |
                   (static_cast<size_t>(zl[pos + 3]) << 8) | zl[pos + 4];
        break;
      default: {
        header = 1;
        is_int = true;
        int bytes = 0;
        switch (enc) {
          case 0xC0:
            bytes = 2;
            break;
          case 0xD0:
            bytes = 4;
            break;
          case 0xE0:
            bytes = 8;
            break;
          case 0xF0:
            bytes = 3;
            break;
          case 0xFE:
            bytes = 1;
            break;
          default:
            if (enc >= 0xF1 && enc <= 0xFD) {
              value = (enc & 0x0f) - 1;
            } else {
              return false;
            }
        }
        data_len = static_cast<size_t>(bytes);
        if (bytes > 0) {
          if (pos + 1 + data_len > size - 1) return false;
          uint64_t u = le(zl + pos + 1, bytes);
          // Sign-extend from `bytes` bytes.
          int shift = 64 - 8 * bytes;
          value = static_cast<int64_t>(u << shift) >> shift;
        }
      }
    }
    if (data_len > size || pos + header + data_len > size - 1) return false;
    if (is_int) {
      out->push_back(util::int64_to_string(value));
    } else {
      out->emplace_back(reinterpret_cast<const char*>(zl + pos + header), data_len);
    }
    pos += header + data_len;
    prev_len = pos - start;
    prev_pos = start;
    any = true;
    ++count;
  }
  if (pos != size - 1) return false;
  // zltail is the offset of the last entry (of the terminator's position when empty).
  if (any ? tail != prev_pos : tail != kHeaderSize) return false;
  if (declared != 0xFFFF && declared != count) return false;
  return true;
}

namespace {

// A zipmap length at p (p < end); sets *size to its encoded size. False if it overruns.
bool zipmap_len(const unsigned char* p, const unsigned char* end, size_t* len, size_t* size) {
  if (*p < 254) {
    *len = *p;
    *size = 1;
    return true;
  }
  if (*p != 254 || end - p < 5) return false;
  *len = le(p + 1, 4);
  *size = 5;
  return true;
}

}  // namespace

bool decode_zipmap(std::string_view blob, std::vector<std::string>* out) {
  const auto* zm = reinterpret_cast<const unsigned char*>(blob.data());
  size_t size = blob.size();
  if (size < 2 || zm[size - 1] != kEnd) return false;
  const unsigned char* p = zm + 1;
  const unsigned char* end = zm + size - 1;  // the terminator
  size_t count = 0;
  while (p < end) {
    size_t len, enc;
    if (!zipmap_len(p, end, &len, &enc) || (len < 254 && enc != 1)) return false;
    p += enc;
    if (static_cast<size_t>(end - p) < len) return false;
    out->emplace_back(reinterpret_cast<const char*>(p), len);
    p += len;
    if (p >= end || !zipmap_len(p, end, &len, &enc) || (len < 254 && enc != 1)) return false;
    p += enc;
    if (p >= end) return false;
    size_t free_bytes = *p++;
    if (static_cast<size_t>(end - p) < len || static_cast<size_t>(end - p) - len < free_bytes) {
      return false;
    }
    out->emplace_back(reinterpret_cast<const char*>(p), len);
    p += len + free_bytes;
    ++count;
  }
  if (p != end) return false;
  return zm[0] == 254 || zm[0] == count;
}

}  // namespace zakros::store::rdb::detail
