// Intset: see intset.h for the format (Redis 7.0's intset.c layout; the code is our own).
#include "store/intset.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace zakros::store {

namespace {

uint32_t load_u32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
void store_u32(unsigned char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

// The smallest width that holds v (_intsetValueEncoding).
uint32_t width_of(int64_t v) {
  if (v < INT32_MIN || v > INT32_MAX) return 8;
  if (v < INT16_MIN || v > INT16_MAX) return 4;
  return 2;
}

int64_t load_member(const unsigned char* base, uint32_t width, size_t i) {
  const unsigned char* p = base + i * width;
  uint64_t u = 0;
  for (uint32_t b = 0; b < width; ++b) u |= uint64_t{p[b]} << (8 * b);
  if (width == 2) return static_cast<int16_t>(u);
  if (width == 4) return static_cast<int32_t>(u);
  return static_cast<int64_t>(u);
}

void store_member(unsigned char* base, uint32_t width, size_t i, int64_t v) {
  unsigned char* p = base + i * width;
  uint64_t u = static_cast<uint64_t>(v);
  for (uint32_t b = 0; b < width; ++b) p[b] = static_cast<unsigned char>(u >> (8 * b));
}

unsigned char* allocate(size_t n) {
  auto* p = static_cast<unsigned char*>(std::malloc(n));
  if (!p) throw std::bad_alloc();
  return p;
}

unsigned char* reallocate(unsigned char* p, size_t n) {
  auto* q = static_cast<unsigned char*>(std::realloc(p, n));
  if (!q) throw std::bad_alloc();
  return q;
}

}  // namespace

Intset::Intset() : is_(allocate(kHeaderSize)) {
  store_u32(is_, 2);
  store_u32(is_ + 4, 0);
}

Intset::~Intset() {
  std::free(is_);
}

Intset::Intset(Intset&& other) noexcept : is_(other.is_) {
  other.is_ = nullptr;
}

Intset& Intset::operator=(Intset&& other) noexcept {
  if (this != &other) {
    std::free(is_);
    is_ = other.is_;
    other.is_ = nullptr;
  }
  return *this;
}

Intset::Intset(const Intset& other) : is_(allocate(other.bytes())) {
  std::memcpy(is_, other.is_, other.bytes());
}

Intset& Intset::operator=(const Intset& other) {
  if (this != &other) {
    unsigned char* copy = allocate(other.bytes());
    std::memcpy(copy, other.is_, other.bytes());
    std::free(is_);
    is_ = copy;
  }
  return *this;
}

bool Intset::validate(std::string_view bytes, bool deep) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < kHeaderSize) return false;
  uint32_t width = load_u32(p);
  if (width != 2 && width != 4 && width != 8) return false;
  uint64_t count = load_u32(p + 4);
  if (kHeaderSize + count * width != bytes.size()) return false;
  // Redis (intsetValidateIntegrity) rejects an empty intset: no set is ever stored empty.
  if (count == 0) return false;
  if (!deep) return true;
  int64_t prev = load_member(p + kHeaderSize, width, 0);
  for (size_t i = 1; i < count; ++i) {
    int64_t cur = load_member(p + kHeaderSize, width, i);
    if (cur <= prev) return false;
    prev = cur;
  }
  return true;
}

Intset Intset::from_bytes(std::string_view bytes) {
  Intset s;
  s.is_ = reallocate(s.is_, bytes.size());
  std::memcpy(s.is_, bytes.data(), bytes.size());
  return s;
}

size_t Intset::size() const {
  return load_u32(is_ + 4);
}
uint32_t Intset::width() const {
  return load_u32(is_);
}
size_t Intset::bytes() const {
  return kHeaderSize + size() * width();
}
std::string_view Intset::data() const {
  return {reinterpret_cast<const char*>(is_), bytes()};
}

int64_t Intset::at(size_t i) const {
  return load_member(is_ + kHeaderSize, width(), i);
}

// Binary search; *pos is where the value is or would be inserted.
bool Intset::search(int64_t value, size_t* pos) const {
  size_t n = size();
  if (n == 0) {
    *pos = 0;
    return false;
  }
  // The common cases of appending or prepending skip the search (as intsetSearch).
  if (value > at(n - 1)) {
    *pos = n;
    return false;
  }
  if (value < at(0)) {
    *pos = 0;
    return false;
  }
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int64_t cur = at(mid);
    if (cur == value) {
      *pos = mid;
      return true;
    }
    if (cur < value) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  *pos = lo;
  return false;
}

bool Intset::contains(int64_t value) const {
  size_t pos;
  return width_of(value) <= width() && search(value, &pos);
}

bool Intset::add(int64_t value) {
  uint32_t w = width();
  size_t n = size();
  uint32_t need = width_of(value);
  if (need > w) {
    // Upgrade: widen every member from the back, then the new value (which is out of the old
    // range) goes first if negative, last if positive.
    is_ = reallocate(is_, kHeaderSize + (n + 1) * need);
    bool prepend = value < 0;
    for (size_t i = n; i-- > 0;) {
      store_member(is_ + kHeaderSize, need, i + (prepend ? 1 : 0),
                   load_member(is_ + kHeaderSize, w, i));
    }
    store_member(is_ + kHeaderSize, need, prepend ? 0 : n, value);
    store_u32(is_, need);
    store_u32(is_ + 4, static_cast<uint32_t>(n + 1));
    return true;
  }
  size_t pos;
  if (search(value, &pos)) return false;
  is_ = reallocate(is_, kHeaderSize + (n + 1) * w);
  unsigned char* base = is_ + kHeaderSize;
  std::memmove(base + (pos + 1) * w, base + pos * w, (n - pos) * w);
  store_member(base, w, pos, value);
  store_u32(is_ + 4, static_cast<uint32_t>(n + 1));
  return true;
}

bool Intset::remove(int64_t value) {
  uint32_t w = width();
  size_t pos;
  if (width_of(value) > w || !search(value, &pos)) return false;
  size_t n = size();
  unsigned char* base = is_ + kHeaderSize;
  std::memmove(base + pos * w, base + (pos + 1) * w, (n - pos - 1) * w);
  store_u32(is_ + 4, static_cast<uint32_t>(n - 1));
  is_ = reallocate(is_, kHeaderSize + (n - 1) * w);
  return true;
}

}  // namespace zakros::store
