// HashObject: the hash type (TYPE "hash"), in Redis 7.0's two encodings:
//   "listpack"  field, value, field, value ... in one store::Listpack, while the hash has at
//               most hash-max-listpack-entries fields and no field or value longer than
//               hash-max-listpack-value bytes. Fields keep insertion order.
//   "hashtable" a store::DenseTable of (field, value).
// Conversion goes one way, listpack -> hashtable, when a write exceeds a limit (Redis's
// hashTypeTryConversion / hashTypeSet). An empty hash is never stored: commands delete the key.
//
// Positions: every field has a position 0 <= i < size() (its pair index in the listpack, its
// DenseTable position), deterministic given the writes (dense_table.h), used by HRANDFIELD.
//
// For the RDB reader/writer (store/rdb*.cc):
//   writing: encoding() == kListpack -> listpack()->data() is the RDB_TYPE_HASH_LISTPACK blob;
//            otherwise RDB_TYPE_HASH: size(), then for_each(field, value).
//   reading: from_listpack(Listpack::from_bytes(blob)) after Listpack::validate (even entry
//            count, no duplicate fields: check with has_duplicate_fields()); convert with
//            to_hashtable() when the blob exceeds the limits, as Redis's rdbLoad does. A
//            RDB_TYPE_HASH is read into create_hashtable() (or create() when small) with set().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/dense_table.h"
#include "store/encoding_limits.h"
#include "store/listpack.h"
#include "store/object.h"

namespace zakros::store {

class HashObject : public Object {
 public:
  // Buffer size for values read from a listpack that are stored as integers.
  static constexpr size_t kValueBufSize = 24;

  // An empty listpack hash (what HSET on a missing key starts with).
  static std::unique_ptr<HashObject> create();
  static std::unique_ptr<HashObject> create_hashtable();
  // Adopts a listpack of field/value pairs (validated by the caller).
  static std::unique_ptr<HashObject> from_listpack(Listpack lp);

  ValueType type() const override { return ValueType::kHash; }
  Encoding encoding() const override { return table_ ? Encoding::kHashtable : Encoding::kListpack; }
  std::unique_ptr<Object> clone() const override;
  size_t memory_usage(size_t samples) const override;

  // Number of fields.
  size_t size() const { return table_ ? table_->size() : lp_.size() / 2; }
  bool contains(std::string_view field) const;
  // The value of `field` into *value (pointing into the hash or into buf, kValueBufSize bytes);
  // false if absent.
  bool get(std::string_view field, char* buf, std::string_view* value) const;

  // Redis's hashTypeTryConversion: converts a listpack to a hashtable when a write is about to
  // add an argument longer than hash-max-listpack-value (`max_len` is the longest of the
  // command's fields and values), or `total_len` more bytes would make it unsafe to grow.
  void prepare_write(size_t max_len, size_t total_len, const EncodingLimits& limits);
  // Sets `field` to `value`, converting as Redis's hashTypeSet does. True if the field is new.
  bool set(std::string_view field, std::string_view value, const EncodingLimits& limits);
  // Removes `field`; false if absent.
  bool remove(std::string_view field);
  void to_hashtable();

  // The field and value at position i (0 <= i < size()). Integers of a listpack are formatted
  // into fbuf / vbuf (kValueBufSize bytes each). O(i) for a listpack.
  void at(size_t i, char* fbuf, char* vbuf, std::string_view* field, std::string_view* value) const;

  // Calls fn(std::string_view field, std::string_view value) for each pair in position order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    if (table_) {
      table_->for_each(fn);
      return;
    }
    char fbuf[kValueBufSize], vbuf[kValueBufSize];
    for (size_t p = lp_.first(); p != Listpack::kEnd;) {
      ListpackValue f = lp_.get(p);
      p = lp_.next(p);
      ListpackValue v = lp_.get(p);
      p = lp_.next(p);
      fn(f.view(fbuf), v.view(vbuf));
    }
  }

  // One HSCAN step: a listpack returns everything at once (cursor 0); a hashtable visits up to
  // `count` positions (dense_table.h). Returns the next cursor.
  template <class Fn>
  uint64_t scan(uint64_t cursor, size_t count, Fn&& fn) const {
    if (table_) return table_->scan(cursor, count, fn);
    for_each(fn);
    return 0;
  }

  // The compact blob (encoding() == kListpack), or null.
  const Listpack* listpack() const { return table_ ? nullptr : &lp_; }
  const DenseTable* table() const { return table_.get(); }
  // For the RDB reader: true if a listpack hash repeats a field (Redis rejects such payloads).
  bool has_duplicate_fields() const;

 private:
  // Position of the value entry of `field` in the listpack, or Listpack::kEnd.
  size_t lp_find_value(std::string_view field) const;

  Listpack lp_;                        // used while table_ is null
  std::unique_ptr<DenseTable> table_;  // the "hashtable" encoding
};

}  // namespace zakros::store
