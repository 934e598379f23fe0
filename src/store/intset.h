// Intset: Redis's sorted array of distinct integers, byte for byte, the "intset" encoding of
// sets whose members are all integers (up to set-max-intset-entries of them).
//
// Written by hand for the same reason as listpack.h: RDB_TYPE_SET_INTSET payloads are this
// exact blob, in DUMP/RESTORE and in snapshots.
//
// Layout (little-endian): <encoding:u32 = 2, 4 or 8 (bytes per member)> <length:u32>
// <members, ascending, each `encoding` bytes, signed>. The encoding is the smallest width that
// holds every member; adding a wider member upgrades the whole set (never downgraded).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zakros::store {

class Intset {
 public:
  static constexpr size_t kHeaderSize = 8;

  Intset();  // empty, 16-bit members
  ~Intset();
  Intset(Intset&& other) noexcept;
  Intset& operator=(Intset&& other) noexcept;
  Intset(const Intset& other);
  Intset& operator=(const Intset& other);

  // Checks untrusted bytes: header, width, length against the byte count and, when `deep`,
  // that members are strictly ascending. Never reads outside `bytes`.
  static bool validate(std::string_view bytes, bool deep);
  // Adopts a copy of bytes that validate() accepted.
  static Intset from_bytes(std::string_view bytes);

  size_t size() const;
  // Total bytes (header included), what MEMORY USAGE counts.
  size_t bytes() const;
  std::string_view data() const;
  // 2, 4 or 8.
  uint32_t width() const;

  // The i-th smallest member (0 <= i < size()).
  int64_t at(size_t i) const;
  bool contains(int64_t value) const;
  // Adds `value`; false if it was already there.
  bool add(int64_t value);
  // Removes `value`; false if it was not there.
  bool remove(int64_t value);
  int64_t min() const { return at(0); }
  int64_t max() const { return at(size() - 1); }

 private:
  // Binary search: true if found; *pos is the value's index or where it would be inserted.
  bool search(int64_t value, size_t* pos) const;

  unsigned char* is_;  // malloc'ed
};

}  // namespace zakros::store
