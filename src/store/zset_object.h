// ZsetObject: the sorted set value (ValueType::kZset), in Redis 7.0's two encodings.
//
// "listpack" (small sets): one store::Listpack holding member, score, member, score ... sorted
//   by score, then by member bytes (memcmp, shorter first on a common prefix), exactly as Redis
//   lays it out, so that the RDB writer can copy it as an RDB_TYPE_ZSET_LISTPACK blob. Scores
//   are written with Redis's d2string (util::format_double_shortest); integral ones therefore
//   become listpack integers. Used while the set has at most zset_max_listpack_entries members
//   and none longer than zset_max_listpack_value bytes (EncodingLimits).
// "skiplist" (large sets): a skip list with spans (Pugh's list as Redis uses it: P = 1/4, at most
//   32 levels; each forward link knows how many elements it skips, so rank and "element at
//   rank" take O(log n)) plus a member -> node index (store::Dict, which also gives ZSCAN
//   Redis's cursor guarantee). Each node is one allocation holding the dict link, the score, the
//   backward link, the levels and the member bytes (no separate member string, no dict entry):
//   about 75 bytes per member against ~125 in Redis.
//
// Conversions: listpack -> skiplist when an add crosses a limit (add()/convert_if_needed());
// skiplist -> listpack only on demand (shrink_if_fits(), as Redis's
// zsetConvertToListpackIfNeeded for ZRANGESTORE/ZUNIONSTORE results).
//
// The object is 16 bytes (vtable + one word), like Redis's robj, because 100,000 small sorted
// sets must not cost more than in Redis.
//
// Who uses it: commands/sorted_sets.cc (every Z* command), commands/geo.cc (GEOADD, GEOSEARCH:
// add with a score, score of a member, iteration over score ranges, removal), the RDB
// reader/writer (listpack blob, for_each, construction from a blob or from pairs), SORT, COPY.
//
// Positions (Cursor) are invalidated by any modification of the set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/encoding_limits.h"
#include "store/listpack.h"
#include "store/object.h"

namespace zakros::store {

// A score interval (Redis's zrangespec): min/max with exclusive flags. "(1" is min=1, minex.
struct ZScoreRange {
  double min = 0;
  double max = 0;
  bool minex = false;
  bool maxex = false;
};

// A lexicographic interval (Redis's zlexrangespec): "-" and "+" are the infinities, "[x"
// inclusive, "(x" exclusive.
struct ZLexRange {
  enum class Bound : uint8_t { kInclusive, kExclusive, kNegInf, kPosInf };
  std::string min;
  std::string max;
  Bound min_kind = Bound::kNegInf;
  Bound max_kind = Bound::kPosInf;
  // Parses one ZRANGEBYLEX bound ("-", "+", "[abc", "(abc"); false if malformed.
  static bool parse_bound(std::string_view text, std::string* value, Bound* kind);
  // Parses both bounds; false if either is malformed.
  static bool parse(std::string_view min, std::string_view max, ZLexRange* out);
};

// Does `value` satisfy the lower / upper bound? (zslValueGteMin / zslValueLteMax and the lex
// counterparts.)
bool zscore_gte_min(double value, const ZScoreRange& r);
bool zscore_lte_max(double value, const ZScoreRange& r);
bool zlex_gte_min(std::string_view value, const ZLexRange& r);
bool zlex_lte_max(std::string_view value, const ZLexRange& r);

namespace zset_detail {
struct Skiplist;
struct Node;
}  // namespace zset_detail

class ZsetObject final : public Object {
 public:
  // zsetAdd's input flags.
  enum AddFlag : unsigned {
    kAddNx = 1,    // only add new members
    kAddXx = 2,    // only update existing members
    kAddGt = 4,    // only update when the new score is greater
    kAddLt = 8,    // only update when the new score is less
    kAddIncr = 16  // `score` is an increment
  };
  // zsetAdd's outcome.
  enum class AddResult : uint8_t {
    kAdded,      // a new member
    kUpdated,    // an existing member got another score
    kUnchanged,  // an existing member kept its score (same score, or a zero increment)
    kNop,        // refused by NX / XX / GT / LT
    kNan,        // the score (or score + increment) is NaN: nothing changed
  };

  // An empty listpack-encoded set.
  ZsetObject();
  // An empty set in the encoding Redis's ZADD would create for a first member of
  // `first_member_len` bytes (skiplist when zset_max_listpack_entries is 0 or the member is
  // longer than zset_max_listpack_value).
  static std::unique_ptr<ZsetObject> create_for(size_t first_member_len,
                                                const EncodingLimits& limits);
  // An empty skiplist-encoded set (RDB loading of RDB_TYPE_ZSET_2, big results).
  static std::unique_ptr<ZsetObject> create_skiplist();
  // Adopts a listpack of member/score pairs (RDB_TYPE_ZSET_LISTPACK after Listpack::validate).
  // Returns null when the content is not a valid sorted-set listpack: odd entry count, a score
  // that is not a number (or is NaN), members out of order, or a duplicate member.
  static std::unique_ptr<ZsetObject> from_listpack(Listpack lp);

  ~ZsetObject() override;
  ZsetObject(const ZsetObject&) = delete;
  ZsetObject& operator=(const ZsetObject&) = delete;

  ValueType type() const override { return ValueType::kZset; }
  Encoding encoding() const override;
  std::unique_ptr<Object> clone() const override;
  size_t memory_usage(size_t samples) const override;

  bool is_listpack() const;
  size_t size() const;
  // The listpack (is_listpack() only): RDB writer, DEBUG LISTPACK.
  const Listpack& listpack() const;

  // ---- single members ---------------------------------------------------------------------
  // zsetAdd. With kAddIncr, `score` is added to the current score (0 for a new member).
  // *new_score (may be null) receives the member's score after an add or update. Converts to
  // skiplist first when the new member crosses a limit.
  AddResult add(std::string_view member, double score, unsigned flags, const EncodingLimits& limits,
                double* new_score = nullptr);
  // Adds a member known to be absent, in order (RDB loading, building results). Converts to
  // skiplist when a limit is crossed.
  void insert_new(std::string_view member, double score, const EncodingLimits& limits);
  // Removes a member; false if absent.
  bool remove(std::string_view member);
  // The member's score; false if absent.
  bool score(std::string_view member, double* score) const;
  bool contains(std::string_view member) const;
  // 0-based rank (ascending, or descending when `reverse`); false if absent. O(log n) for
  // skiplists. *score (may be null) receives the score.
  bool rank(std::string_view member, bool reverse, size_t* rank, double* score = nullptr) const;

  // ---- ordered positions ------------------------------------------------------------------
  // A position in score order. member() points into the set (or into the cursor for listpack
  // integers): valid until the cursor moves or the set changes.
  class Cursor {
   public:
    bool valid() const { return pos_ != kNone; }
    std::string_view member() const;
    double score() const;
    // Towards higher ranks / lower ranks; becomes invalid past either end.
    void next();
    void prev();

   private:
    friend class ZsetObject;
    static constexpr uintptr_t kNone = ~uintptr_t{0};
    void load();  // listpack: decode the entry at pos_
    const ZsetObject* set_ = nullptr;
    uintptr_t pos_ = kNone;  // listpack byte offset of the member, or zset_detail::Node*
    double score_ = 0;
    // The member: its bytes in the set, or in buf_ (a listpack integer) when mptr_ is null, so
    // that copies of the cursor stay valid.
    const char* mptr_ = nullptr;
    size_t mlen_ = 0;
    char buf_[24] = {};
  };
  // The element at `rank` (0 = lowest score); invalid when out of range.
  Cursor at_rank(size_t rank) const;
  Cursor first() const { return at_rank(0); }
  Cursor last() const;
  // The lowest / highest element within the range; invalid when none is.
  Cursor first_in_range(const ZScoreRange& range) const;
  Cursor last_in_range(const ZScoreRange& range) const;
  Cursor first_in_lex_range(const ZLexRange& range) const;
  Cursor last_in_lex_range(const ZLexRange& range) const;
  // Number of elements within the range (O(log n) for skiplists).
  size_t count_in_range(const ZScoreRange& range) const;
  size_t count_in_lex_range(const ZLexRange& range) const;

  // Calls fn(std::string_view member, double score) for every element in ascending order. fn
  // must not modify the set.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (Cursor c = first(); c.valid(); c.next()) fn(c.member(), c.score());
  }

  // ---- bulk removal -----------------------------------------------------------------------
  // ZREMRANGEBYRANK: removes ranks [start, end] (0-based, inclusive, already clamped by the
  // caller to 0 <= start <= end < size()). Returns the number removed.
  size_t remove_range_by_rank(size_t start, size_t end);
  size_t remove_range_by_score(const ZScoreRange& range);
  size_t remove_range_by_lex(const ZLexRange& range);
  // The lowest / highest element (ZPOPMIN / ZPOPMAX); the set must not be empty.
  void remove_first() { remove_range_by_rank(0, 0); }
  void remove_last() { remove_range_by_rank(size() - 1, size() - 1); }

  // ---- encoding ---------------------------------------------------------------------------
  void convert_to_skiplist();
  // zsetConvertToListpackIfNeeded: back to listpack when size(), the longest member
  // (`max_member_len`) and the total member bytes fit the limits.
  void shrink_if_fits(size_t max_member_len, size_t total_member_len, const EncodingLimits& limits);

  // ---- ZSCAN ------------------------------------------------------------------------------
  // One ZSCAN step: listpack sets visit everything and return 0; skiplist sets follow the
  // dictionary's cursor (store/dict.h). fn(std::string_view member, double score).
  template <class Fn>
  uint64_t scan(uint64_t cursor, Fn&& fn) const {
    if (is_listpack()) {
      for_each(fn);
      return 0;
    }
    ScanFn cb(fn);
    return scan_skiplist(cursor, cb);
  }

 private:
  class ScanFn {
   public:
    template <class Fn>
    explicit ScanFn(Fn& fn)
        : obj_(&fn),
          call_([](void* o, std::string_view m, double s) { (*static_cast<Fn*>(o))(m, s); }) {}
    void operator()(std::string_view m, double s) const { call_(obj_, m, s); }

   private:
    void* obj_;
    void (*call_)(void*, std::string_view, double);
  };
  uint64_t scan_skiplist(uint64_t cursor, const ScanFn& fn) const;

  // The one word: a Listpack (its malloc'ed, even pointer) or a Skiplist* with bit 0 set.
  Listpack& lp();
  const Listpack& lp() const;
  zset_detail::Skiplist* sl() const;
  void set_skiplist(zset_detail::Skiplist* sl);
  void destroy_repr();

  // Listpack helpers (positions are byte offsets of a member entry).
  size_t lp_find(std::string_view member, double* score) const;
  void lp_insert(std::string_view member, double score);
  void lp_delete(size_t pos);

  alignas(void*) unsigned char repr_[sizeof(void*)];
};

}  // namespace zakros::store
