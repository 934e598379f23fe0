// SetObject: the set type (TYPE "set"), in Redis 7.0's two encodings:
//   "intset"    every member is an integer (util::parse_int64 rules, Redis's string2ll) and
//               there are at most set-max-intset-entries of them: a store::Intset blob, members
//               ascending.
//   "hashtable" anything else: a store::DenseTable of members (no values).
// A set starts as an intset when its first member is an integer (Redis's setTypeCreate) and is
// converted to a hashtable, once and for good, when a non-integer member is added or it grows
// past the limit. An empty set is never stored: commands delete the key instead.
//
// Deterministic order: every member has a position 0 <= i < size(): its rank in an intset, its
// DenseTable position in a hashtable. SPOP and SRANDMEMBER pick positions from
// ExecContext::seed, so every Raft node picks the same members (see dense_table.h for why the
// hashtable order does not depend on the process's hash seed).
//
// For the RDB reader/writer (store/rdb*.cc):
//   writing: encoding() == kIntset -> intset()->data() is the RDB_TYPE_SET_INTSET blob;
//            otherwise RDB_TYPE_SET: size(), then for_each(member).
//   reading: from_intset(Intset::from_bytes(blob)) after Intset::validate (the caller converts
//            with to_hashtable() when the blob exceeds the limits, as Redis's rdbLoad does), or
//            an empty create_hashtable() / create_for(first) filled with add().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/dense_table.h"
#include "store/encoding_limits.h"
#include "store/intset.h"
#include "store/object.h"

namespace zakros::store {

class SetObject : public Object {
 public:
  // Buffer size for member_at() on an intset: the longest int64 text.
  static constexpr size_t kMemberBufSize = 24;

  // An empty set in the encoding Redis gives a set whose first member is `first`.
  static std::unique_ptr<SetObject> create_for(std::string_view first);
  // An empty intset (SINTERSTORE, SUNIONSTORE, SDIFFSTORE destinations start as one).
  static std::unique_ptr<SetObject> create_intset();
  static std::unique_ptr<SetObject> create_hashtable();
  // Adopts an intset blob (validated by the caller).
  static std::unique_ptr<SetObject> from_intset(Intset intset);

  ValueType type() const override { return ValueType::kSet; }
  Encoding encoding() const override { return table_ ? Encoding::kHashtable : Encoding::kIntset; }
  std::unique_ptr<Object> clone() const override;
  size_t memory_usage(size_t samples) const override;

  size_t size() const { return table_ ? table_->size() : intset_.size(); }
  bool contains(std::string_view member) const;
  // Adds `member`, converting the encoding as Redis does; false if it was already a member.
  bool add(std::string_view member, const EncodingLimits& limits);
  // Removes `member`; false if it was not a member.
  bool remove(std::string_view member);
  // Converts an intset to a hashtable (no-op if already one).
  void to_hashtable();

  // The member at position i (0 <= i < size()) of the deterministic order. For an intset the
  // text is formatted into buf (kMemberBufSize bytes); otherwise it points into the set.
  std::string_view member_at(size_t i, char* buf) const;
  // Removes the member at position i. In a hashtable the last member moves to position i.
  void remove_at(size_t i);

  // Calls fn(std::string_view member) for each member in position order (intset: ascending).
  template <class Fn>
  void for_each(Fn&& fn) const {
    if (table_) {
      table_->for_each([&](std::string_view k, std::string_view) { fn(k); });
      return;
    }
    char buf[kMemberBufSize];
    for (size_t i = 0; i < intset_.size(); ++i) fn(member_at(i, buf));
  }

  // One SSCAN step: an intset returns everything at once (cursor 0); a hashtable visits up to
  // `count` positions (dense_table.h). Returns the next cursor.
  template <class Fn>
  uint64_t scan(uint64_t cursor, size_t count, Fn&& fn) const {
    if (table_) {
      return table_->scan(cursor, count, [&](std::string_view k, std::string_view) { fn(k); });
    }
    for_each(fn);
    return 0;
  }

  // The compact blob (encoding() == kIntset), or null.
  const Intset* intset() const { return table_ ? nullptr : &intset_; }
  // The hashtable (encoding() == kHashtable), or null.
  const DenseTable* table() const { return table_.get(); }

 private:
  Intset intset_;                      // used while table_ is null
  std::unique_ptr<DenseTable> table_;  // the "hashtable" encoding
};

}  // namespace zakros::store
