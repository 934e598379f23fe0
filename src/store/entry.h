// Entry: one key of the keyspace and its value, in a single allocation.
//
// Memory is the point of this layout (target: at most Redis 7's ~100 bytes per key for small
// strings). Redis spends a dictEntry (24 B), an sds key (~24 B), a robj (16 B) and, for small
// strings, an embstr tail per key. Here a key with a 16-byte name and a 16-byte value is one
// 47-byte block (a 48-byte jemalloc size class) plus its 8-byte bucket slot. Measured for
// 1,000,000 such keys: 64.6 bytes/key of resident memory with jemalloc, against 106 for
// redis-server 7.0.15 (DEBUG POPULATE 1000000 key 16), a ratio of 0.61. A TTL adds 12 bytes to
// the block (64-byte class) and 8 bytes in the database's list of keys with a TTL.
//
//
//   offset 0   Entry* next        chain link of the dictionary bucket (dict.h)
//   offset 8   uint32 meta        bits 0-23 LRU clock or LFU data, 24-27 ValueType, 28-31 Encoding
//   offset 12  uint8  flags       kHasExpire, kLongKey
//   offset 13  key length         1 byte, or 4 bytes (unaligned) when kLongKey
//              [expire_at int64 + expires-index uint32]   only when kHasExpire
//              key bytes
//              value              "int": int64; "embstr": 1 length byte + bytes (<= 44);
//                                 "raw": std::string*; any other type: Object*
//
// Multi-byte fields past offset 13 are unaligned and accessed with memcpy. Adding or removing
// a TTL, renaming, or changing the value to a different size or encoding builds a new block
// (Entry::relocate / the create_* functions); the Database relinks it. Values that keep their
// size (INCR on an "int", an "embstr" overwritten with one of the same length, a TTL change on
// a key that has one) are updated in place, which keeps GET/SET/INCR allocation-free.
//
// Only Database creates, relinks and destroys entries; commands read them and call the
// in-place mutators documented below.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "store/object.h"

namespace zakros::store {

class Entry {
 public:
  // Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT.
  static constexpr size_t kEmbstrMaxLen = 44;
  // Strings Redis may encode as "int": at most 20 characters (string2l).
  static constexpr size_t kIntMaxChars = 20;

  Entry(const Entry&) = delete;
  Entry& operator=(const Entry&) = delete;

  // --- creation and destruction (Database only) ---------------------------------------------
  // A string value in Redis's encoding: "int" when the text is a canonical int64 of at most 20
  // characters, "embstr" up to 44 bytes, "raw" above.
  static Entry* create_string(std::string_view key, std::string_view value, bool with_expire);
  static Entry* create_int(std::string_view key, int64_t value, bool with_expire);
  // A string stored "raw" whatever its length (APPEND, SETRANGE results, as Redis does).
  static Entry* create_raw(std::string_view key, std::string value, bool with_expire);
  // Redis's createStringObject, never "int": "embstr" up to 44 bytes, "raw" above
  // (INCRBYFLOAT's result, GETSET-style copies that Redis does not try to encode).
  static Entry* create_embstr_or_raw(std::string_view key, std::string_view value,
                                     bool with_expire);
  static Entry* create_object(std::string_view key, std::unique_ptr<Object> object,
                              bool with_expire);
  // A deep copy of src's value under `key` (COPY). The TTL is not copied (layout only).
  static Entry* clone(const Entry& src, std::string_view key, bool with_expire);
  // Moves src's value into a new block with `key` and the given expire layout, then frees src's
  // block (not its value). TTL value and LRU are carried over when both layouts have them.
  static Entry* relocate(Entry* src, std::string_view key, bool with_expire);
  // Frees the block and its value.
  static void destroy(Entry* entry);

  // --- reading ------------------------------------------------------------------------------
  std::string_view key() const {
    const unsigned char* p = var();
    return {reinterpret_cast<const char*>(p + key_offset()), key_length()};
  }
  ValueType type() const { return static_cast<ValueType>((meta_ >> 24) & 0xf); }
  // The current encoding (for objects, asked from the object).
  Encoding encoding() const;
  bool is_string() const { return type() == ValueType::kString; }
  Encoding string_encoding() const { return static_cast<Encoding>(meta_ >> 28); }
  bool is_int() const { return is_string() && string_encoding() == Encoding::kInt; }

  // The int of an "int"-encoded string.
  int64_t int_value() const {
    int64_t v;
    std::memcpy(&v, value_ptr(), sizeof(v));
    return v;
  }
  // The bytes of a string value. An "int" is formatted into `buf`, which needs kIntMaxChars
  // bytes; the view points into buf, or into the entry (valid until the entry changes).
  std::string_view string_value(char* buf) const;
  // Length of the string value (STRLEN) without formatting an int into a string.
  size_t string_length() const;
  // The heap string of a "raw" string; mutate it freely (APPEND, SETRANGE).
  std::string* raw_string() const { return load_ptr<std::string>(); }
  // The value of a non-string type.
  Object* object() const { return load_ptr<Object>(); }

  bool has_expire() const { return (flags_ & kHasExpire) != 0; }
  int64_t expire_at() const {
    int64_t v;
    std::memcpy(&v, var() + key_len_bytes(), sizeof(v));
    return v;
  }

  uint32_t lru() const { return meta_ & 0xffffff; }
  void set_lru(uint32_t lru) { meta_ = (meta_ & 0xff000000u) | (lru & 0xffffff); }

  // --- in-place mutation --------------------------------------------------------------------
  // Requires is_int().
  void set_int_value(int64_t v) { std::memcpy(value_ptr(), &v, sizeof(v)); }
  // Overwrites an "embstr" value of exactly the same length; false (nothing done) otherwise.
  bool assign_same_size_embstr(std::string_view value);

  // For Database: the intrusive link and TTL bookkeeping.
  Entry** next_field() { return &next_; }
  void set_expire_at(int64_t at) { std::memcpy(var() + key_len_bytes(), &at, sizeof(at)); }
  uint32_t expire_slot() const {
    uint32_t v;
    std::memcpy(&v, var() + key_len_bytes() + 8, sizeof(v));
    return v;
  }
  void set_expire_slot(uint32_t slot) {
    std::memcpy(var() + key_len_bytes() + 8, &slot, sizeof(slot));
  }

  // Bytes of the block (memory accounting; the allocator may round up).
  size_t block_size() const;
  // MEMORY USAGE: the block, a "raw" string's heap buffer, or the object's own estimate.
  size_t memory_usage(size_t samples = 5) const;

 private:
  Entry() = default;

  static constexpr uint8_t kHasExpire = 1;
  static constexpr uint8_t kLongKey = 2;
  static constexpr size_t kExpireBytes = 12;  // int64 expire_at + uint32 expires slot

  // Allocates a block with header and key written, value bytes left for the caller.
  static Entry* allocate(std::string_view key, ValueType type, Encoding enc, size_t value_bytes,
                         bool with_expire);
  static size_t value_bytes_of(const Entry& e);

  static constexpr size_t kVarOffset = 13;  // after next_, meta_ and flags_
  unsigned char* var() { return reinterpret_cast<unsigned char*>(this) + kVarOffset; }
  const unsigned char* var() const {
    return reinterpret_cast<const unsigned char*>(this) + kVarOffset;
  }
  size_t key_len_bytes() const { return (flags_ & kLongKey) ? 4 : 1; }
  size_t key_length() const {
    if (!(flags_ & kLongKey)) return var()[0];
    uint32_t len;
    std::memcpy(&len, var(), sizeof(len));
    return len;
  }
  size_t key_offset() const { return key_len_bytes() + (has_expire() ? kExpireBytes : 0); }
  unsigned char* value_ptr() { return var() + key_offset() + key_length(); }
  const unsigned char* value_ptr() const { return var() + key_offset() + key_length(); }
  template <class T>
  T* load_ptr() const {
    T* p;
    std::memcpy(&p, value_ptr(), sizeof(p));
    return p;
  }

  Entry* next_ = nullptr;
  uint32_t meta_ = 0;
  uint8_t flags_ = 0;
  // The variable part starts right after flags_ (offset 13); these bytes are its first three.
  unsigned char head_[3] = {0, 0, 0};
};

// Dictionary traits for the keyspace (dict.h).
struct EntryTraits {
  using Node = Entry;
  static Entry** next_field(Entry* e) { return e->next_field(); }
  static std::string_view key(const Entry* e) { return e->key(); }
};

}  // namespace zakros::store
