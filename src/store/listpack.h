// Listpack: Redis 7.0's compact sequence of strings and integers, byte for byte.
//
// Written by hand because no packaged library produces this format, and zakros needs it
// exactly: small hashes, sorted sets and list nodes are stored as listpacks so that they cost
// what they cost in Redis, and so that DUMP/RESTORE and RDB snapshots copy them as opaque blobs
// that real Redis reads (RDB_TYPE_*_LISTPACK, quicklist-2 nodes, stream nodes).
//
// Layout (all integers little-endian):
//   <total-bytes:u32> <count:u16> <entry>* <0xFF>
//   count is the number of entries, or 65535 when it is unknown (then it must be counted).
//   entry = <encoding+data> <backlen>, where backlen is the length of <encoding+data> written
//   in 1-5 bytes, 7 bits per byte, so that it can be read backwards from the entry's end: the
//   entry's last byte holds the lowest 7 bits, and a byte with its high bit set says that one
//   more (higher) byte precedes it. (127 -> 7F; 200 -> 01 C8.)
//   Encodings (first byte):
//     0xxxxxxx            7-bit unsigned integer
//     10xxxxxx            string of up to 63 bytes follows
//     110xxxxx yyyyyyyy   13-bit signed integer (two's complement)
//     1110xxxx yyyyyyyy   string of up to 4095 bytes follows (length big-endian in 12 bits)
//     11110000 <u32 len>  string of any length
//     11110001 <i16>      11110010 <i24>      11110011 <i32>      11110100 <i64>
//     11111111            end of the listpack
//   A string that is the canonical decimal form of an int64 (util::string_to_int64 rules) is
//   always stored as an integer, in the smallest encoding that holds it.
//
// Positions are byte offsets of an entry's first byte inside the listpack; kEnd means "no
// entry" (past the last, or before the first). Any modification invalidates every position
// except the ones the modifying function returns.
//
// Who uses it: the list (quicklist nodes), hash, sorted-set and stream types, and the RDB
// reader/writer (rdb.h), which validates untrusted bytes with validate() before adopting them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zakros::store {

// One element read from a listpack: an integer, or a string pointing into the listpack.
struct ListpackValue {
  const unsigned char* str = nullptr;  // null when the element is an integer
  uint32_t len = 0;
  int64_t integer = 0;

  bool is_int() const { return str == nullptr; }
  // The element as a string. Integers are formatted into `buf` (at least 21 bytes).
  std::string_view view(char* buf) const;
  // True when the element equals `s` byte for byte (an integer compares by its decimal form).
  bool equals(std::string_view s) const;
};

class Listpack {
 public:
  static constexpr size_t kEnd = static_cast<size_t>(-1);
  static constexpr size_t kHeaderSize = 6;
  // Redis refuses to grow a listpack beyond this (lpSafeToAdd): callers convert to the large
  // encoding instead. 1 GB.
  static constexpr size_t kMaxSafeSize = size_t{1} << 30;

  // An empty listpack (7 bytes).
  Listpack();
  ~Listpack();
  Listpack(Listpack&& other) noexcept;
  Listpack& operator=(Listpack&& other) noexcept;
  Listpack(const Listpack& other);
  Listpack& operator=(const Listpack& other);

  // Checks untrusted bytes (RESTORE, RDB files): header, total length, terminator and, when
  // `deep`, every entry's encoding, length and backlen; the count must match when not 65535.
  // Never reads outside `bytes`. On success stores the number of entries in *count (if given).
  static bool validate(std::string_view bytes, bool deep, size_t* count = nullptr);
  // Adopts a copy of bytes that validate() accepted.
  static Listpack from_bytes(std::string_view bytes);

  // Number of entries (counts them once when the header says 65535).
  size_t size() const;
  bool empty() const { return first() == kEnd; }
  // Total bytes (what Redis's lpBytes reports and what MEMORY USAGE counts).
  size_t bytes() const;
  // The raw bytes, for the RDB writer.
  std::string_view data() const;

  // ---- navigation ----
  size_t first() const;
  size_t last() const;
  size_t next(size_t pos) const;  // kEnd after the last entry
  size_t prev(size_t pos) const;  // kEnd before the first entry
  // The entry at `index` (negative counts from the end, -1 = last); kEnd if out of range.
  // Walks from whichever end is nearer.
  size_t seek(long index) const;
  ListpackValue get(size_t pos) const;

  // ---- modification ----
  void append(std::string_view value);
  void append_int(int64_t value);
  void prepend(std::string_view value);
  // Appends `value` as a string entry even when it is the text of an integer. Only for
  // quicklist plain nodes (list_object.h), whose element comes back as the bytes it was.
  void append_string(std::string_view value);
  // Appends every entry of `other` (lpMerge's result for first=this, second=other).
  void append_all(const Listpack& other);
  // Inserts before / after the entry at `pos`; returns the position of the new entry.
  size_t insert_before(size_t pos, std::string_view value);
  size_t insert_after(size_t pos, std::string_view value);
  // Replaces the entry at `pos`; returns its (unchanged) position.
  size_t replace(size_t pos, std::string_view value);
  size_t replace_int(size_t pos, int64_t value);
  // Deletes the entry at `pos`; returns the position of the entry that followed it (kEnd if
  // none).
  size_t erase(size_t pos);
  // Deletes `count` entries starting at `pos` (fewer if the listpack ends first); returns the
  // position of the entry after them.
  size_t erase_range(size_t pos, size_t count);
  // Deletes `count` entries starting at `index` (negative from the end), as lpDeleteRange.
  void erase_range_index(long index, size_t count);
  void clear();

  // ---- search ----
  // lpFind: the first entry at or after `pos` equal to `value`, looking only at every
  // (skip+1)-th entry (skip = 1 finds hash fields or sorted-set members among pairs); kEnd if
  // none.
  size_t find(size_t pos, std::string_view value, unsigned skip) const;

  // True when appending an element of `add_bytes` bytes keeps the listpack under kMaxSafeSize.
  bool safe_to_add(size_t add_bytes) const { return bytes() + add_bytes <= kMaxSafeSize; }

 private:
  explicit Listpack(unsigned char* lp) : lp_(lp) {}
  // Resizes the `old_len` bytes at `pos` to `new_len` bytes (contents undefined), moving the
  // rest and updating the total; returns a pointer to them. The count is left alone.
  unsigned char* splice(size_t pos, size_t old_len, size_t new_len);
  // Adds `delta` to the header count unless it is unknown (65535).
  void adjust_count(int delta);
  // Write an element encoded by listpack.cc's encoder (an opaque pointer to keep it private).
  size_t insert_encoded(size_t pos, const void* encoded);
  size_t replace_encoded(size_t pos, const void* encoded);

  unsigned char* lp_;  // malloc'ed; always a valid listpack
};

}  // namespace zakros::store
