// HyperLogLog in Redis 7.0's byte format; see hyperloglog.h for the layout. Written by hand:
// no packaged library speaks Redis's exact sparse/dense encoding, and byte-for-byte equality of
// the values with redis-server's (including how the sparse opcodes are split and merged) is
// the point.
#include "store/hyperloglog.h"

#include <cmath>
#include <cstring>

namespace zakros::store::hll {

int64_t g_sparse_max_bytes = 3000;

namespace {

constexpr uint64_t kHashSeed = 0xadc83b19ull;
constexpr double kAlphaInf = 0.721347520444481703680;  // 0.5 / ln(2)
constexpr size_t kEncodingOffset = 4;
constexpr size_t kCardOffset = 8;

// Sparse opcodes.
inline bool is_zero(uint8_t op) {
  return (op & 0xc0) == 0;
}
inline bool is_xzero(uint8_t op) {
  return (op & 0xc0) == 0x40;
}
inline bool is_val(uint8_t op) {
  return (op & 0x80) != 0;
}
inline int zero_len(uint8_t op) {
  return (op & 0x3f) + 1;
}
inline int xzero_len(uint8_t op, uint8_t next) {
  return (((op & 0x3f) << 8) | next) + 1;
}
inline int val_value(uint8_t op) {
  return ((op >> 2) & 0x1f) + 1;
}
inline int val_len(uint8_t op) {
  return (op & 0x3) + 1;
}
inline uint8_t make_val(int value, int len) {
  return static_cast<uint8_t>(0x80 | ((value - 1) << 2) | (len - 1));
}
inline uint8_t make_zero(int len) {
  return static_cast<uint8_t>(len - 1);
}
inline void make_xzero(uint8_t* p, int len) {
  p[0] = static_cast<uint8_t>(0x40 | ((len - 1) >> 8));
  p[1] = static_cast<uint8_t>((len - 1) & 0xff);
}

// Byte `i` of `s`, or 0 past its end: Redis reads the string's NUL terminator there when a
// corrupted body ends in the middle of an XZERO opcode, and so must we (without reading past
// our buffer).
inline uint8_t byte_at(std::string_view s, size_t i) {
  return i < s.size() ? static_cast<uint8_t>(s[i]) : 0;
}

uint8_t* registers_of(std::string& hll) {
  return reinterpret_cast<uint8_t*>(hll.data()) + kHeaderSize;
}

// Walks a sparse body calling fn(first_register, run_length, value) per opcode. False if the
// opcodes do not cover exactly kRegisters registers (corruption).
template <class Fn>
bool walk_sparse(std::string_view hll, Fn&& fn) {
  size_t p = kHeaderSize;
  size_t end = hll.size();
  long idx = 0;
  while (p < end) {
    uint8_t op = static_cast<uint8_t>(hll[p]);
    int runlen, value = 0;
    if (is_zero(op)) {
      runlen = zero_len(op);
      p += 1;
    } else if (is_xzero(op)) {
      runlen = xzero_len(op, byte_at(hll, p + 1));
      p += 2;
    } else {
      runlen = val_len(op);
      value = val_value(op);
      p += 1;
    }
    if (runlen + idx > kRegisters) return false;
    fn(idx, runlen, value);
    idx += runlen;
  }
  return idx == kRegisters;
}

// Otmar Ertl's sigma and tau, with Redis's exact loops.
double sigma(double x) {
  if (x == 1.) return INFINITY;
  double z_prime;
  double y = 1;
  double z = x;
  do {
    x *= x;
    z_prime = z;
    z += x * y;
    y += y;
  } while (z_prime != z);
  return z;
}

double tau(double x) {
  if (x == 0. || x == 1.) return 0.;
  double z_prime;
  double y = 1.0;
  double z = 1 - x;
  do {
    x = std::sqrt(x);
    z_prime = z;
    y *= 0.5;
    z -= std::pow(1 - x, 2) * y;
  } while (z_prime != z);
  return z / 3;
}

uint64_t estimate(const int* histo) {
  double m = kRegisters;
  double z = m * tau((m - histo[kQ + 1]) / m);
  for (int j = kQ; j >= 1; --j) {
    z += histo[j];
    z *= 0.5;
  }
  z += m * sigma(histo[0] / m);
  return static_cast<uint64_t>(std::llround(kAlphaInf * m * m / z));
}

// hllSparseSet. See the header for the result; follows Redis's in-place split-and-merge so the
// resulting bytes are the ones redis-server would produce.
int sparse_set(std::string& s, long index, uint8_t count) {
  if (count > kSparseValMax) {
    if (!to_dense(s)) return -1;
    dense_set(registers_of(s), index, count);
    return 1;
  }
  // Step 1: find the opcode covering `index`.
  size_t p = kHeaderSize;
  size_t end = s.size();
  size_t prev = 0;
  bool has_prev = false;
  long first = 0, span = 0;
  while (p < end) {
    uint8_t op = static_cast<uint8_t>(s[p]);
    size_t oplen = 1;
    if (is_zero(op)) {
      span = zero_len(op);
    } else if (is_val(op)) {
      span = val_len(op);
    } else {
      span = xzero_len(op, byte_at(s, p + 1));
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    has_prev = true;
    p += oplen;
    first += span;
  }
  if (span == 0 || p >= end) return -1;

  uint8_t op = static_cast<uint8_t>(s[p]);
  bool zero = is_zero(op), xzero = is_xzero(op), val = !zero && !xzero;
  long runlen = zero ? zero_len(op) : xzero ? xzero_len(op, byte_at(s, p + 1)) : val_len(op);

  bool done = false;
  if (val) {
    int old = val_value(op);
    if (old >= count) return 0;  // nothing to raise
    if (runlen == 1) {
      s[p] = static_cast<char>(make_val(count, 1));
      done = true;
    }
  }
  if (!done && zero && runlen == 1) {
    s[p] = static_cast<char>(make_val(count, 1));
    done = true;
  }
  if (!done) {
    // General case: split the opcode into up to three (at most XZERO VAL XZERO, 5 bytes).
    uint8_t seq[5];
    int n = 0;
    long last = first + span - 1;
    if (zero || xzero) {
      auto put_zeros = [&](long len) {
        if (len > 64) {
          make_xzero(seq + n, static_cast<int>(len));
          n += 2;
        } else {
          seq[n++] = make_zero(static_cast<int>(len));
        }
      };
      if (index != first) put_zeros(index - first);
      seq[n++] = make_val(count, 1);
      if (index != last) put_zeros(last - index);
    } else {
      int cur = val_value(op);
      if (index != first) seq[n++] = make_val(cur, static_cast<int>(index - first));
      seq[n++] = make_val(count, 1);
      if (index != last) seq[n++] = make_val(cur, static_cast<int>(last - index));
    }
    size_t oldlen = xzero ? 2 : 1;
    long delta = n - static_cast<long>(oldlen);
    if (delta > 0 && static_cast<int64_t>(s.size()) + delta > g_sparse_max_bytes) {
      if (!to_dense(s)) return -1;
      dense_set(registers_of(s), index, count);
      return 1;
    }
    // Replace the opcode. A corrupted body may end inside an XZERO; the result then has the
    // length Redis gives it (old length + delta).
    std::string tail = p + oldlen <= end ? s.substr(p + oldlen) : std::string();
    s.resize(p);
    s.append(reinterpret_cast<const char*>(seq), static_cast<size_t>(n));
    s += tail;
    s.resize(static_cast<size_t>(static_cast<long>(end) + delta));
    end = s.size();
  }

  // Step 4: merge adjacent VAL opcodes of the same value, scanning up to 5 opcodes from prev.
  p = has_prev ? prev : kHeaderSize;
  int scan = 5;
  while (p < end && scan-- > 0) {
    uint8_t cur = static_cast<uint8_t>(s[p]);
    if (is_xzero(cur)) {
      p += 2;
      continue;
    }
    if (is_zero(cur)) {
      p += 1;
      continue;
    }
    if (p + 1 < end && is_val(static_cast<uint8_t>(s[p + 1]))) {
      uint8_t nxt = static_cast<uint8_t>(s[p + 1]);
      int v1 = val_value(cur), v2 = val_value(nxt);
      if (v1 == v2) {
        int len = val_len(cur) + val_len(nxt);
        if (len <= 4) {
          s[p + 1] = static_cast<char>(make_val(v1, len));
          s.erase(p, 1);
          --end;
          continue;  // try again with the merged opcode and its right neighbour
        }
      }
    }
    p += 1;
  }
  invalidate_cache(s);
  return 1;
}

}  // namespace

uint64_t murmurhash64a(const void* key, size_t len, uint64_t seed) {
  const uint64_t m = 0xc6a4a7935bd1e995ull;
  const int r = 47;
  uint64_t h = seed ^ (len * m);
  auto data = static_cast<const uint8_t*>(key);
  size_t blocks = len / 8;
  for (size_t i = 0; i < blocks; ++i) {
    uint64_t k = 0;
    for (int b = 7; b >= 0; --b) k = (k << 8) | data[i * 8 + static_cast<size_t>(b)];
    k *= m;
    k ^= k >> r;
    k *= m;
    h ^= k;
    h *= m;
  }
  const uint8_t* tail = data + blocks * 8;
  size_t rest = len & 7;
  if (rest > 0) {
    for (size_t i = rest; i-- > 0;) h ^= static_cast<uint64_t>(tail[i]) << (8 * i);
    h *= m;
  }
  h ^= h >> r;
  h *= m;
  h ^= h >> r;
  return h;
}

int pattern_length(std::string_view element, long* index) {
  uint64_t hash = murmurhash64a(element.data(), element.size(), kHashSeed);
  *index = static_cast<long>(hash & (kRegisters - 1));
  hash >>= kP;
  hash |= uint64_t{1} << kQ;  // guarantees the loop ends: count <= kQ + 1
  int count = 1;
  uint64_t bit = 1;
  while ((hash & bit) == 0) {
    ++count;
    bit <<= 1;
  }
  return count;
}

bool is_valid(std::string_view value) {
  if (value.size() < kHeaderSize) return false;
  if (value.substr(0, 4) != "HYLL") return false;
  uint8_t enc = static_cast<uint8_t>(value[kEncodingOffset]);
  if (enc > kSparse) return false;
  if (enc == kDense && value.size() != kDenseSize) return false;
  return true;
}

uint8_t encoding(std::string_view value) {
  return static_cast<uint8_t>(value[kEncodingOffset]);
}

std::string create() {
  std::string s(kHeaderSize, '\0');
  s.replace(0, 4, "HYLL");
  s[kEncodingOffset] = static_cast<char>(kSparse);
  for (int left = kRegisters; left > 0;) {
    int run = left > 16384 ? 16384 : left;
    uint8_t op[2];
    make_xzero(op, run);
    s.append(reinterpret_cast<const char*>(op), 2);
    left -= run;
  }
  return s;
}

uint8_t dense_get(const uint8_t* registers, long index) {
  unsigned long bit = static_cast<unsigned long>(index) * 6;
  unsigned long byte = bit / 8, fb = bit & 7;
  unsigned value = registers[byte] >> fb;
  if (fb > 2) value |= static_cast<unsigned>(registers[byte + 1]) << (8 - fb);
  return static_cast<uint8_t>(value & kRegisterMax);
}

void dense_set(uint8_t* registers, long index, uint8_t value) {
  unsigned long bit = static_cast<unsigned long>(index) * 6;
  unsigned long byte = bit / 8, fb = bit & 7;
  unsigned v = value;
  registers[byte] = static_cast<uint8_t>((registers[byte] & ~(kRegisterMax << fb)) | (v << fb));
  if (fb > 2) {
    unsigned fb8 = 8 - static_cast<unsigned>(fb);
    registers[byte + 1] =
        static_cast<uint8_t>((registers[byte + 1] & ~(kRegisterMax >> fb8)) | (v >> fb8));
  }
}

int set_register(std::string& hll, long index, uint8_t count) {
  uint8_t enc = encoding(hll);
  if (enc == kDense) {
    uint8_t* regs = registers_of(hll);
    if (dense_get(regs, index) >= count) return 0;
    dense_set(regs, index, count);
    return 1;
  }
  if (enc == kSparse) return sparse_set(hll, index, count);
  return -1;
}

int add(std::string& hll, std::string_view element) {
  long index;
  int count = pattern_length(element, &index);
  return set_register(hll, index, static_cast<uint8_t>(count));
}

bool to_dense(std::string& hll) {
  if (encoding(hll) == kDense) return true;
  std::string dense(kDenseSize, '\0');
  dense.replace(0, kHeaderSize, hll, 0, kHeaderSize);  // magic and cached cardinality
  dense[kEncodingOffset] = static_cast<char>(kDense);
  uint8_t* regs = registers_of(dense);
  bool ok = walk_sparse(hll, [&](long first, int runlen, int value) {
    if (value == 0) return;
    for (int i = 0; i < runlen; ++i) dense_set(regs, first + i, static_cast<uint8_t>(value));
  });
  if (!ok) return false;
  hll = std::move(dense);
  return true;
}

bool merge_into(uint8_t* max, std::string_view hll) {
  if (encoding(hll) == kDense) {
    auto regs = reinterpret_cast<const uint8_t*>(hll.data()) + kHeaderSize;
    for (long i = 0; i < kRegisters; ++i) {
      uint8_t v = dense_get(regs, i);
      if (v > max[i]) max[i] = v;
    }
    return true;
  }
  return walk_sparse(hll, [&](long first, int runlen, int value) {
    for (int i = 0; i < runlen; ++i) {
      if (value > max[first + i]) max[first + i] = static_cast<uint8_t>(value);
    }
  });
}

uint64_t count(std::string_view hll, bool* invalid) {
  int histo[64] = {0};
  if (encoding(hll) == kDense) {
    auto regs = reinterpret_cast<const uint8_t*>(hll.data()) + kHeaderSize;
    for (long i = 0; i < kRegisters; ++i) ++histo[dense_get(regs, i)];
  } else {
    // Redis counts what it read before finding the corruption; the caller discards the result.
    bool ok = walk_sparse(hll, [&](long, int runlen, int value) { histo[value] += runlen; });
    if (!ok && invalid != nullptr) *invalid = true;
  }
  return estimate(histo);
}

uint64_t count_registers(const uint8_t* registers) {
  int histo[64] = {0};
  for (long i = 0; i < kRegisters; ++i) ++histo[registers[i] & 63];
  return estimate(histo);
}

bool cache_valid(std::string_view hll) {
  return (static_cast<uint8_t>(hll[kCardOffset + 7]) & 0x80) == 0;
}

uint64_t cached_count(std::string_view hll) {
  uint64_t card = 0;
  for (int i = 7; i >= 0; --i) {
    card = (card << 8) | static_cast<uint8_t>(hll[kCardOffset + static_cast<size_t>(i)]);
  }
  return card;
}

void set_cache(std::string& hll, uint64_t card) {
  for (size_t i = 0; i < 8; ++i) hll[kCardOffset + i] = static_cast<char>((card >> (8 * i)) & 0xff);
}

void invalidate_cache(std::string& hll) {
  hll[kCardOffset + 7] = static_cast<char>(static_cast<uint8_t>(hll[kCardOffset + 7]) | 0x80);
}

std::string decode_sparse(std::string_view hll) {
  std::string out;
  size_t p = kHeaderSize;
  while (p < hll.size()) {
    uint8_t op = static_cast<uint8_t>(hll[p]);
    if (is_zero(op)) {
      out += "z:" + std::to_string(zero_len(op)) + " ";
      p += 1;
    } else if (is_xzero(op)) {
      out += "Z:" + std::to_string(xzero_len(op, byte_at(hll, p + 1))) + " ";
      p += 2;
    } else {
      out += "v:" + std::to_string(val_value(op)) + "," + std::to_string(val_len(op)) + " ";
      p += 1;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace zakros::store::hll
