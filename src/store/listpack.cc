// Listpack: see listpack.h for the format. The encoder and decoder below follow the byte
// layout of Redis 7.0's listpack.c; the code is our own.
#include "store/listpack.h"

#include <cstdlib>
#include <cstring>
#include <new>

#include "util/numbers.h"

namespace zakros::store {

namespace {

constexpr unsigned char kEof = 0xFF;
constexpr uint32_t kCountUnknown = 65535;
constexpr size_t kMaxBacklen = 5;

uint32_t load_u32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
void store_u32(unsigned char* p, uint32_t v) {
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}
uint32_t header_total(const unsigned char* lp) {
  return load_u32(lp);
}
uint32_t header_count(const unsigned char* lp) {
  return uint32_t{lp[4]} | uint32_t{lp[5]} << 8;
}
void set_header_count(unsigned char* lp, uint32_t n) {
  lp[4] = n & 0xff;
  lp[5] = (n >> 8) & 0xff;
}

// Writes the backward-readable length of an entry's encoding+data into buf (may be null);
// returns its size, 1..5 bytes.
size_t encode_backlen(unsigned char* buf, uint64_t l) {
  if (l <= 127) {
    if (buf) buf[0] = static_cast<unsigned char>(l);
    return 1;
  }
  size_t n = l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
  if (buf) {
    // Highest 7-bit group first, without the continuation bit; every later byte has it set.
    for (size_t i = 0; i < n; ++i) {
      unsigned char group = static_cast<unsigned char>((l >> (7 * (n - 1 - i))) & 127);
      buf[i] = i == 0 ? group : static_cast<unsigned char>(group | 128);
    }
  }
  return n;
}

// Reads a backlen that ends at `p` (the entry's last byte), never before `floor`. Returns
// false when it runs past 5 bytes or below floor.
bool decode_backlen(const unsigned char* p, const unsigned char* floor, uint64_t* out) {
  uint64_t val = 0;
  unsigned shift = 0;
  for (size_t i = 0; i < kMaxBacklen; ++i) {
    if (p < floor) return false;
    val |= uint64_t{static_cast<unsigned char>(p[0] & 127)} << shift;
    if (!(p[0] & 128)) {
      *out = val;
      return true;
    }
    shift += 7;
    --p;
  }
  return false;
}

// How many bytes of an entry must be readable to know its encoded size (0 = bad encoding).
size_t size_bytes_needed(unsigned char b) {
  if ((b & 0x80) == 0) return 1;     // 7-bit uint
  if ((b & 0xC0) == 0x80) return 1;  // 6-bit string
  if ((b & 0xE0) == 0xC0) return 2;  // 13-bit int
  if ((b & 0xF0) == 0xE0) return 2;  // 12-bit string
  if (b >= 0xF1 && b <= 0xF4) return 1;
  if (b == 0xF0) return 5;  // 32-bit string
  return 0;                 // 0xF5..0xFF (0xFF is the terminator, not an entry)
}

// Size of an entry's encoding+data, without its backlen. The entry must be well formed.
uint64_t encoded_size(const unsigned char* p) {
  unsigned char b = p[0];
  if ((b & 0x80) == 0) return 1;
  if ((b & 0xC0) == 0x80) return 1 + uint64_t{static_cast<unsigned char>(b & 0x3F)};
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) return 2 + ((uint64_t{static_cast<unsigned char>(b & 0x0F)} << 8) | p[1]);
  switch (b) {
    case 0xF1:
      return 3;
    case 0xF2:
      return 4;
    case 0xF3:
      return 5;
    case 0xF4:
      return 9;
    case 0xF0:
      return 5 + uint64_t{load_u32(p + 1)};
  }
  return 0;
}

uint64_t entry_size(const unsigned char* p) {
  uint64_t enc = encoded_size(p);
  return enc + encode_backlen(nullptr, enc);
}

int64_t sign_extend(uint64_t v, unsigned bits) {
  uint64_t neg_start = uint64_t{1} << (bits - 1);
  if (v >= neg_start) return static_cast<int64_t>(v - (uint64_t{1} << bits));  // wraps for 64
  return static_cast<int64_t>(v);
}

ListpackValue decode(const unsigned char* p) {
  ListpackValue v;
  unsigned char b = p[0];
  if ((b & 0x80) == 0) {
    v.integer = b;
  } else if ((b & 0xC0) == 0x80) {
    v.str = p + 1;
    v.len = b & 0x3F;
  } else if ((b & 0xE0) == 0xC0) {
    v.integer = sign_extend((uint64_t{static_cast<unsigned char>(b & 0x1F)} << 8) | p[1], 13);
  } else if ((b & 0xF0) == 0xE0) {
    v.str = p + 2;
    v.len = (uint32_t{static_cast<unsigned char>(b & 0x0F)} << 8) | p[1];
  } else if (b == 0xF0) {
    v.str = p + 5;
    v.len = load_u32(p + 1);
  } else {
    unsigned nbytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
    uint64_t u = 0;
    for (unsigned i = 0; i < nbytes; ++i) u |= uint64_t{p[1 + i]} << (8 * i);
    v.integer = nbytes == 8 ? static_cast<int64_t>(u) : sign_extend(u, nbytes * 8);
  }
  return v;
}

// The encoded form of one element: a header (integer bytes, or a string's type and length),
// the string's payload, and the backlen.
struct Encoded {
  unsigned char head[9];
  size_t head_len = 0;
  const unsigned char* payload = nullptr;
  size_t payload_len = 0;
  unsigned char back[kMaxBacklen];
  size_t back_len = 0;

  size_t total() const { return head_len + payload_len + back_len; }
  void write(unsigned char* dst) const {
    std::memcpy(dst, head, head_len);
    if (payload_len) std::memcpy(dst + head_len, payload, payload_len);
    std::memcpy(dst + head_len + payload_len, back, back_len);
  }
};

void encode_int(int64_t v, Encoded* e) {
  unsigned char* h = e->head;
  auto put_le = [&](unsigned char tag, unsigned nbytes) {
    h[0] = tag;
    uint64_t u = static_cast<uint64_t>(v);
    for (unsigned i = 0; i < nbytes; ++i) h[1 + i] = static_cast<unsigned char>(u >> (8 * i));
    e->head_len = 1 + nbytes;
  };
  if (v >= 0 && v <= 127) {
    h[0] = static_cast<unsigned char>(v);
    e->head_len = 1;
  } else if (v >= -4096 && v <= 4095) {
    uint64_t u = static_cast<uint64_t>(v) & 0x1FFF;
    h[0] = static_cast<unsigned char>((u >> 8) | 0xC0);
    h[1] = static_cast<unsigned char>(u & 0xFF);
    e->head_len = 2;
  } else if (v >= -32768 && v <= 32767) {
    put_le(0xF1, 2);
  } else if (v >= -8388608 && v <= 8388607) {
    put_le(0xF2, 3);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    put_le(0xF3, 4);
  } else {
    put_le(0xF4, 8);
  }
  e->back_len = encode_backlen(e->back, e->head_len);
}

void encode_string(std::string_view s, Encoded* e) {
  size_t len = s.size();
  unsigned char* h = e->head;
  if (len < 64) {
    h[0] = static_cast<unsigned char>(0x80 | len);
    e->head_len = 1;
  } else if (len < 4096) {
    h[0] = static_cast<unsigned char>((len >> 8) | 0xE0);
    h[1] = static_cast<unsigned char>(len & 0xFF);
    e->head_len = 2;
  } else {
    h[0] = 0xF0;
    store_u32(h + 1, static_cast<uint32_t>(len));
    e->head_len = 5;
  }
  e->payload = reinterpret_cast<const unsigned char*>(s.data());
  e->payload_len = len;
  e->back_len = encode_backlen(e->back, e->head_len + len);
}

// Strings that are the canonical text of an int64 are stored as integers (lpEncodeGetType).
void encode_value(std::string_view s, Encoded* e) {
  int64_t v;
  if (s.size() <= util::kInt64MaxChars && util::parse_int64(s, &v)) {
    encode_int(v, e);
  } else {
    encode_string(s, e);
  }
}

unsigned char* allocate(size_t n) {
  auto* p = static_cast<unsigned char*>(std::malloc(n));
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

// ---- ListpackValue --------------------------------------------------------------------------

std::string_view ListpackValue::view(char* buf) const {
  if (str) return {reinterpret_cast<const char*>(str), len};
  return {buf, util::format_int64(integer, buf)};
}

bool ListpackValue::equals(std::string_view s) const {
  if (str) return s.size() == len && (len == 0 || std::memcmp(str, s.data(), len) == 0);
  int64_t v;
  return s.size() <= util::kInt64MaxChars && util::parse_int64(s, &v) && v == integer;
}

// ---- construction ---------------------------------------------------------------------------

Listpack::Listpack() : lp_(allocate(kHeaderSize + 1)) {
  store_u32(lp_, kHeaderSize + 1);
  set_header_count(lp_, 0);
  lp_[kHeaderSize] = kEof;
}

Listpack::~Listpack() {
  std::free(lp_);
}

Listpack::Listpack(Listpack&& other) noexcept : lp_(other.lp_) {
  other.lp_ = nullptr;
}

Listpack& Listpack::operator=(Listpack&& other) noexcept {
  if (this != &other) {
    std::free(lp_);
    lp_ = other.lp_;
    other.lp_ = nullptr;
  }
  return *this;
}

Listpack::Listpack(const Listpack& other) : lp_(allocate(other.bytes())) {
  std::memcpy(lp_, other.lp_, other.bytes());
}

Listpack& Listpack::operator=(const Listpack& other) {
  if (this != &other) {
    unsigned char* copy = allocate(other.bytes());
    std::memcpy(copy, other.lp_, other.bytes());
    std::free(lp_);
    lp_ = copy;
  }
  return *this;
}

bool Listpack::validate(std::string_view bytes, bool deep, size_t* count) {
  const auto* lp = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t size = bytes.size();
  if (size < kHeaderSize + 1) return false;
  if (header_total(lp) != size) return false;
  if (lp[size - 1] != kEof) return false;
  uint32_t numele = header_count(lp);
  if (!deep) {
    if (count) *count = numele;  // may be 65535 (unknown): callers that need it validate deep
    return true;
  }
  const unsigned char* end = lp + size - 1;  // the terminator
  const unsigned char* p = lp + kHeaderSize;
  size_t n = 0;
  while (p < end) {
    size_t need = size_bytes_needed(p[0]);
    if (need == 0) return false;
    if (static_cast<size_t>(end - p) < need) return false;
    uint64_t enc = encoded_size(p);
    uint64_t total = enc + encode_backlen(nullptr, enc);
    if (total > static_cast<uint64_t>(end - p)) return false;
    uint64_t back;
    if (!decode_backlen(p + total - 1, p + enc, &back) || back != enc) return false;
    p += total;
    ++n;
  }
  if (p != end) return false;
  if (numele != kCountUnknown && numele != n) return false;
  if (count) *count = n;
  return true;
}

Listpack Listpack::from_bytes(std::string_view bytes) {
  unsigned char* lp = allocate(bytes.size());
  std::memcpy(lp, bytes.data(), bytes.size());
  return Listpack(lp);
}

// ---- reading ----------------------------------------------------------------------------------

size_t Listpack::size() const {
  uint32_t n = header_count(lp_);
  if (n != kCountUnknown) return n;
  size_t counted = 0;
  for (size_t p = first(); p != kEnd; p = next(p)) ++counted;
  // As lpLength: remember the count once it fits the header again.
  if (counted < kCountUnknown) set_header_count(lp_, static_cast<uint32_t>(counted));
  return counted;
}

size_t Listpack::bytes() const {
  return header_total(lp_);
}

std::string_view Listpack::data() const {
  return {reinterpret_cast<const char*>(lp_), bytes()};
}

size_t Listpack::first() const {
  return lp_[kHeaderSize] == kEof ? kEnd : kHeaderSize;
}

size_t Listpack::last() const {
  size_t eof = bytes() - 1;
  return eof == kHeaderSize ? kEnd : prev(eof);
}

size_t Listpack::next(size_t pos) const {
  size_t n = pos + entry_size(lp_ + pos);
  return lp_[n] == kEof ? kEnd : n;
}

size_t Listpack::prev(size_t pos) const {
  if (pos == kHeaderSize) return kEnd;
  uint64_t enc = 0;
  decode_backlen(lp_ + pos - 1, lp_ + kHeaderSize, &enc);
  return pos - enc - encode_backlen(nullptr, enc);
}

size_t Listpack::seek(long index) const {
  size_t n = size();
  long numele = static_cast<long>(n);
  if (index < 0) index += numele;
  if (index < 0 || index >= numele) return kEnd;
  if (index <= numele / 2) {
    size_t p = first();
    while (index-- > 0) p = next(p);
    return p;
  }
  size_t p = last();
  for (long i = numele - 1; i > index; --i) p = prev(p);
  return p;
}

ListpackValue Listpack::get(size_t pos) const {
  return decode(lp_ + pos);
}

// ---- modification -----------------------------------------------------------------------------

unsigned char* Listpack::splice(size_t pos, size_t old_len, size_t new_len) {
  size_t old_total = bytes();
  size_t new_total = old_total - old_len + new_len;
  size_t tail = old_total - pos - old_len;
  // Grow before moving the tail right, shrink after moving it left (as lpInsert).
  if (new_total > old_total) {
    auto* grown = static_cast<unsigned char*>(std::realloc(lp_, new_total));
    if (!grown) throw std::bad_alloc();
    lp_ = grown;
  }
  std::memmove(lp_ + pos + new_len, lp_ + pos + old_len, tail);
  if (new_total < old_total) {
    auto* shrunk = static_cast<unsigned char*>(std::realloc(lp_, new_total));
    if (shrunk) lp_ = shrunk;
  }
  store_u32(lp_, static_cast<uint32_t>(new_total));
  return lp_ + pos;
}

void Listpack::adjust_count(int delta) {
  uint32_t n = header_count(lp_);
  if (n != kCountUnknown)
    set_header_count(lp_, static_cast<uint32_t>(static_cast<int64_t>(n) + delta));
}

size_t Listpack::insert_encoded(size_t pos, const void* encoded) {
  const auto& e = *static_cast<const Encoded*>(encoded);
  e.write(splice(pos, 0, e.total()));
  adjust_count(1);
  return pos;
}

size_t Listpack::replace_encoded(size_t pos, const void* encoded) {
  const auto& e = *static_cast<const Encoded*>(encoded);
  e.write(splice(pos, entry_size(lp_ + pos), e.total()));
  return pos;
}

size_t Listpack::insert_before(size_t pos, std::string_view value) {
  Encoded e;
  encode_value(value, &e);
  return insert_encoded(pos, &e);
}

size_t Listpack::insert_after(size_t pos, std::string_view value) {
  return insert_before(pos + entry_size(lp_ + pos), value);
}

void Listpack::append(std::string_view value) {
  insert_before(bytes() - 1, value);
}

void Listpack::append_int(int64_t value) {
  Encoded e;
  encode_int(value, &e);
  insert_encoded(bytes() - 1, &e);
}

void Listpack::append_string(std::string_view value) {
  Encoded e;
  encode_string(value, &e);
  insert_encoded(bytes() - 1, &e);
}

void Listpack::append_all(const Listpack& other) {
  // Copy other's entries (without its header and terminator) before our terminator.
  size_t entries = other.bytes() - kHeaderSize - 1;
  if (entries == 0) return;
  size_t n = other.size();
  size_t mine = size();
  unsigned char* dst = splice(bytes() - 1, 0, entries);
  std::memcpy(dst, other.lp_ + kHeaderSize, entries);
  uint64_t total = mine + n;
  set_header_count(lp_, total < kCountUnknown ? static_cast<uint32_t>(total) : kCountUnknown);
}

void Listpack::prepend(std::string_view value) {
  insert_before(kHeaderSize, value);
}

size_t Listpack::replace(size_t pos, std::string_view value) {
  Encoded e;
  encode_value(value, &e);
  return replace_encoded(pos, &e);
}

size_t Listpack::replace_int(size_t pos, int64_t value) {
  Encoded e;
  encode_int(value, &e);
  return replace_encoded(pos, &e);
}

size_t Listpack::erase(size_t pos) {
  splice(pos, entry_size(lp_ + pos), 0);
  adjust_count(-1);
  return lp_[pos] == kEof ? kEnd : pos;
}

size_t Listpack::erase_range(size_t pos, size_t count) {
  if (count == 0 || pos == kEnd) return pos;
  size_t tail = pos;
  size_t deleted = 0;
  while (count-- > 0) {
    ++deleted;
    tail += entry_size(lp_ + tail);
    if (lp_[tail] == kEof) break;
  }
  splice(pos, tail - pos, 0);
  adjust_count(-static_cast<int>(deleted));
  return lp_[pos] == kEof ? kEnd : pos;
}

void Listpack::erase_range_index(long index, size_t count) {
  if (count == 0) return;
  size_t pos = seek(index);
  if (pos == kEnd) return;
  size_t n = size();
  if (index < 0) index += static_cast<long>(n);
  if (n - static_cast<size_t>(index) <= count) {
    // Everything from pos to the end goes: just move the terminator.
    lp_[pos] = kEof;
    store_u32(lp_, static_cast<uint32_t>(pos + 1));
    set_header_count(lp_, static_cast<uint32_t>(index));
    auto* shrunk = static_cast<unsigned char*>(std::realloc(lp_, pos + 1));
    if (shrunk) lp_ = shrunk;
    return;
  }
  erase_range(pos, count);
}

void Listpack::clear() {
  *this = Listpack();
}

// ---- search -----------------------------------------------------------------------------------

size_t Listpack::find(size_t pos, std::string_view value, unsigned skip) const {
  if (pos == kEnd) return kEnd;
  // Whether `value` could be stored as an integer is decided once (as lpFind does).
  int64_t as_int = 0;
  bool can_be_int = value.size() <= util::kInt64MaxChars && util::parse_int64(value, &as_int);
  unsigned skipcnt = 0;
  const unsigned char* p = lp_ + pos;
  while (p[0] != kEof) {
    if (skipcnt == 0) {
      ListpackValue v = decode(p);
      if (v.str) {
        if (v.len == value.size() && (v.len == 0 || std::memcmp(v.str, value.data(), v.len) == 0))
          return static_cast<size_t>(p - lp_);
      } else if (can_be_int && v.integer == as_int) {
        return static_cast<size_t>(p - lp_);
      }
      skipcnt = skip;
    } else {
      --skipcnt;
    }
    p += entry_size(p);
  }
  return kEnd;
}

}  // namespace zakros::store
