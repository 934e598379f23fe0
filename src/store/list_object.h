// ListObject: the list type (TYPE "list"), Redis 7.0's quicklist: a sequence of nodes, each a
// listpack of consecutive elements, so that pushes and pops at both ends are O(1) and a list
// costs about what it costs in Redis.
//
// OBJECT ENCODING is always "quicklist", as in Redis 7.0 (a listpack-encoded small list only
// came with 7.2). The node layout follows 7.0's quicklist.c, so that DUMP and snapshots contain
// the same quicklist-2 nodes Redis would write:
//   - `fill` (list-max-listpack-size when the list was created, clamped to -5..32768): > 0 is
//     the most elements per node (and never more than 8 KB, Redis's safety limit); -1..-5 caps
//     a node at 4/8/16/32/64 KB. A push goes into the end node while it has room (estimated as
//     node bytes + element length + 8), else into a new node. LINSERT/LSET split and merge
//     nodes as quicklist's _quicklistInsert does. Deletions drop emptied nodes, never merge.
//   - elements of at least packed_threshold() bytes (1 GB; DEBUG QUICKLIST-PACKED-THRESHOLD
//     changes it) live alone in a "plain" node (RDB container 1) instead of a listpack (2).
//   - list-compress-depth is accepted but nodes are never compressed.
//   - there is no conversion back and no empty list: commands delete the key when it empties.
//
// Indexes are 0-based from the head; negative indexes count from the tail (-1 = last).
//
// For the RDB writer/reader (store/rdb_list.cc), RDB_TYPE_LIST_QUICKLIST_2:
//   writing: node_count(), then for_each_node(fn(bool plain, std::string_view bytes)): `bytes`
//            is the node's listpack (container 2, QUICKLIST_NODE_CONTAINER_PACKED) or, for a
//            plain node, the element itself (container 1, PLAIN).
//   reading: create(fill) with the keyspace's limits().list_max_listpack_size, then per node
//            append_listpack_node(Listpack::from_bytes(blob)) after Listpack::validate(deep)
//            (empty listpacks are skipped by the function, as Redis skips them), or
//            append_plain_node(element). Older formats (RDB_TYPE_LIST, ziplist quicklists) can
//            simply push_back() each element. An empty result must not be stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>

#include "store/encoding_limits.h"
#include "store/listpack.h"
#include "store/object.h"

namespace zakros::store {

class ListObject : public Object {
 public:
  // One quicklist node. A plain node holds exactly one element, kept as a string entry.
  struct Node {
    Listpack lp;
    bool plain = false;
  };
  using NodeList = std::list<Node>;

  // Buffer size for elements stored as integers (ListpackValue::view).
  static constexpr size_t kValueBufSize = 24;

  // An empty list whose nodes follow `fill` (list-max-listpack-size).
  static std::unique_ptr<ListObject> create(int fill);
  // The same with the keyspace's limits (list_max_listpack_size).
  static std::unique_ptr<ListObject> create(const EncodingLimits& limits) {
    return create(limits.list_max_listpack_size);
  }
  explicit ListObject(int fill);

  ValueType type() const override { return ValueType::kList; }
  Encoding encoding() const override { return Encoding::kQuicklist; }
  std::unique_ptr<Object> clone() const override;
  size_t memory_usage(size_t samples) const override;

  // Elements larger than this go into plain nodes. set_packed_threshold(0) restores the
  // default (1 GB); false (nothing changed) for values above 4 GB - 1 MB, as quicklist.c.
  // Called by DEBUG QUICKLIST-PACKED-THRESHOLD. Process-wide, as in Redis.
  static size_t packed_threshold();
  static bool set_packed_threshold(uint64_t bytes);

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  int fill() const { return fill_; }

  // ---- the ends (LPUSH, RPUSH, LPOP, RPOP, LMOVE) ----
  void push_front(std::string_view value);
  void push_back(std::string_view value);
  // The list keeps the fill it was created with; `limits` is accepted for callers that have
  // them at hand (SORT ... STORE).
  void push_back(std::string_view value, const EncodingLimits& limits) {
    (void)limits;
    push_back(value);
  }
  // Removes the first / last element into *out; false if empty.
  bool pop_front(std::string* out);
  bool pop_back(std::string* out);

  // ---- by index ----
  // The element at `index` into *out; false if out of range.
  bool get(long index, std::string* out) const;
  // The element at `index`, or "" when out of range.
  std::string at_index_string(long index) const {
    std::string out;
    get(index, &out);
    return out;
  }
  // LSET: replaces the element at `index`; false if out of range.
  bool set(long index, std::string_view value);
  // LTRIM's quicklistDelRange: deletes `count` elements from `start` (negative from the tail).
  void erase_range(long start, long count);

  // ---- by value ----
  // LINSERT: inserts `value` before/after the first element equal to `pivot`; false if none.
  bool insert(std::string_view pivot, std::string_view value, bool after);
  // LREM: removes elements equal to `value`, at most `count` from the head (count > 0) or the
  // tail (count < 0), all when 0. Returns how many were removed.
  size_t remove(std::string_view value, long count);

  // ---- iteration ----
  // Walks elements from `index` (negative from the tail) towards the tail (forward) or the
  // head, calling fn(std::string_view element) until it returns false or the list ends. The
  // view is valid during the call only. Out-of-range start: nothing.
  template <class Fn>
  void walk(long index, bool forward, Fn&& fn) const;
  // fn(std::string_view element) for every element, head to tail.
  template <class Fn>
  void for_each(Fn&& fn) const {
    walk(0, true, [&](std::string_view v) {
      fn(v);
      return true;
    });
  }

  // ---- nodes (RDB) ----
  size_t node_count() const { return nodes_.size(); }
  // fn(bool plain, std::string_view bytes) per node, head to tail (see the header comment).
  template <class Fn>
  void for_each_node(Fn&& fn) const {
    for (const Node& n : nodes_) {
      if (n.plain) {
        ListpackValue v = n.lp.get(n.lp.first());
        fn(true, std::string_view(reinterpret_cast<const char*>(v.str), v.len));
      } else {
        fn(false, n.lp.data());
      }
    }
  }
  void append_listpack_node(Listpack lp);
  void append_plain_node(std::string_view element);
  const NodeList& nodes() const { return nodes_; }

 private:
  using NodeIt = NodeList::iterator;

  // Redis's _quicklistNodeAllowInsert / _quicklistNodeAllowMerge.
  bool allow_insert(const Node& node, size_t sz) const;
  bool allow_merge(const Node& a, const Node& b) const;
  static Node make_plain(std::string_view value);
  static Node make_packed(std::string_view value);
  // Where an element lives: its node and its offset in that node.
  struct Position {
    NodeIt node;
    size_t offset = 0;
  };
  // Finds the element at `index` (non-negative, < count_).
  Position locate(size_t index);
  // _quicklistInsert: inserts `value` before/after the element at `offset` (position `pos`)
  // of `node`.
  void insert_at(NodeIt node, size_t offset, size_t pos, std::string_view value, bool after);
  // _quicklistSplitNode: `node` keeps [0, offset] (after) or [offset, end) (!after); the other
  // part is returned, not yet linked.
  Node split(Node& node, size_t offset, bool after);
  // _quicklistMergeNodes around `center`.
  void merge_around(NodeIt center);
  // Appends b's elements to a and drops b; returns a.
  NodeIt merge(NodeIt a, NodeIt b);
  // Deletes the element at `pos` of `node`; drops the node when it empties. Returns the
  // position that followed (Listpack::kEnd at the node's end or when it was dropped).
  size_t erase_at(NodeIt& node, size_t pos, bool* node_dropped);

  NodeList nodes_;
  size_t count_ = 0;
  int fill_;
};

template <class Fn>
void ListObject::walk(long index, bool forward, Fn&& fn) const {
  long n = static_cast<long>(count_);
  if (index < 0) index += n;
  if (index < 0 || index >= n) return;
  char buf[kValueBufSize];
  if (forward) {
    long skip = index;
    for (const Node& node : nodes_) {
      long c = static_cast<long>(node.lp.size());
      if (skip >= c) {
        skip -= c;
        continue;
      }
      for (size_t p = node.lp.seek(skip); p != Listpack::kEnd; p = node.lp.next(p)) {
        if (!fn(node.lp.get(p).view(buf))) return;
      }
      skip = 0;
    }
  } else {
    long skip = n - 1 - index;  // elements to pass from the tail
    for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) {
      const Node& node = *it;
      long c = static_cast<long>(node.lp.size());
      if (skip >= c) {
        skip -= c;
        continue;
      }
      for (size_t p = node.lp.seek(-1 - skip); p != Listpack::kEnd; p = node.lp.prev(p)) {
        if (!fn(node.lp.get(p).view(buf))) return;
      }
      skip = 0;
    }
  }
}

}  // namespace zakros::store
