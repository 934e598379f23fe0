// Dict: an intrusive chained hash table with incremental rehashing and Redis's SCAN cursor.
//
// Written by hand because no Debian-packaged hash table offers Redis's SCAN guarantee: a
// stateless cursor that returns every element present for the whole iteration at least once,
// even while the table grows or shrinks between calls. std::unordered_map, absl and folly
// tables rehash all at once and expose no such cursor.
//
// How it works (the algorithm of Redis's dict.c, reimplemented):
// - Two power-of-two bucket arrays. Growing or shrinking allocates the second one and moves
//   buckets from the first a few at a time: one bucket (visiting at most 10 empty ones) per
//   lookup, insert or removal, plus whatever the owner's idle timer asks for (rehash_for). No
//   single operation pays for moving the whole table.
// - Grows when the element count reaches the bucket count (load factor 1); shrinks when fewer
//   than 10% of the buckets are used (to the smallest power of two >= the count, min 4).
// - SCAN increments the cursor's *reversed* bits. Bucket i of a table of size 2^n expands to
//   buckets i, i+2^n, ... of a larger table, which a reverse-binary walk visits consecutively,
//   so buckets already visited stay visited after a resize. While rehashing, the cursor visits
//   the bucket of the smaller table and all its expansions in the larger one.
//
// Nodes are owned by the caller: the dictionary only links them (through Traits::next_field)
// and never allocates or frees a node. Traits:
//   using Node = ...;
//   static Node** next_field(Node*);           // the node's intrusive "next" pointer
//   static std::string_view key(const Node*);
// Keys are hashed with store::hash_key (seeded XXH3).
//
// Not thread-safe; the event loop owns it. Callbacks passed to scan/for_each must not modify
// the dictionary.
#pragma once

#include <bit>
#include <cassert>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <utility>

#include "store/hash.h"

namespace zakros::store {

// Redis's dict_can_resize: the server clears it while a fork()ed snapshot child runs, so that
// rehashing does not copy-on-write the whole bucket array. Tables then grow only when they hold
// more than 5 elements per bucket, and never shrink.
inline bool g_dict_resize_allowed = true;
inline constexpr uint64_t kDictForceResizeRatio = 5;

// One table's shape, for DEBUG HTSTATS.
struct DictTableStats {
  uint64_t size = 0;        // buckets
  uint64_t used = 0;        // elements
  uint64_t slots_used = 0;  // non-empty buckets ("different slots")
  uint64_t max_chain = 0;   // longest chain
};

template <class Traits>
class Dict {
 public:
  using Node = typename Traits::Node;

  static Node* next_of(Node* node) { return *Traits::next_field(node); }
  static void set_next_of(Node* node, Node* next) { *Traits::next_field(node) = next; }

  // Redis: rehash moves at most n buckets per step and looks at no more than n*10 empty ones.
  static constexpr int kEmptyVisitsPerStep = 10;
  static constexpr uint64_t kInitialSize = 4;
  static constexpr uint64_t kMinFillPercent = 10;

  Dict() = default;
  Dict(const Dict&) = delete;
  Dict& operator=(const Dict&) = delete;
  Dict(Dict&& other) noexcept { swap(other); }
  Dict& operator=(Dict&& other) noexcept {
    swap(other);
    return *this;
  }
  // The owner must have emptied the dictionary (clear) if nodes need freeing.
  ~Dict() {
    std::free(t_[0].buckets);
    std::free(t_[1].buckets);
  }

  void swap(Dict& other) noexcept {
    std::swap(t_[0], other.t_[0]);
    std::swap(t_[1], other.t_[1]);
    std::swap(rehash_idx_, other.rehash_idx_);
  }

  size_t size() const { return t_[0].used + t_[1].used; }
  bool empty() const { return size() == 0; }
  // Buckets allocated in both tables (memory accounting, tests).
  size_t bucket_count() const { return t_[0].size() + t_[1].size(); }
  bool rehashing() const { return rehash_idx_ >= 0; }

  // The node whose key equals `key`, or null. Performs one rehash step.
  Node* find(std::string_view key) { return find(key, hash_key(key)); }
  Node* find(std::string_view key, uint64_t hash) {
    if (size() == 0) return nullptr;
    step_if_rehashing();
    Node** link = find_link(key, hash);
    return link ? *link : nullptr;
  }

  // The link (bucket slot or predecessor's next field) that points at the node with `key`, or
  // null. Does not rehash, so the link stays valid until the next mutating call; the caller may
  // splice a replacement node into it with replace_at.
  Node** find_link(std::string_view key, uint64_t hash) {
    for (int t = 0; t < 2; ++t) {
      Table& tab = t_[t];
      if (tab.buckets == nullptr) break;
      Node** link = &tab.buckets[hash & tab.mask];
      while (*link != nullptr) {
        if (Traits::key(*link) == key) return link;
        link = next_link(*link);
      }
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Replaces the node at `link` (from find_link) by `node`, which must have the same key.
  static void replace_at(Node** link, Node* node) {
    set_next_of(node, next_of(*link));
    *link = node;
  }

  // Links a node whose key is not present. Performs one rehash step and grows as needed.
  void insert(Node* node) { insert(node, hash_key(Traits::key(node))); }
  void insert(Node* node, uint64_t hash) {
    step_if_rehashing();
    expand_if_needed();
    Table& tab = rehashing() ? t_[1] : t_[0];
    Node** slot = &tab.buckets[hash & tab.mask];
    set_next_of(node, *slot);
    *slot = node;
    ++tab.used;
  }

  // Unlinks and returns the node with `key`, or null. May start shrinking the table.
  Node* remove(std::string_view key) { return remove(key, hash_key(key)); }
  Node* remove(std::string_view key, uint64_t hash) {
    if (size() == 0) return nullptr;
    step_if_rehashing();
    for (int t = 0; t < 2; ++t) {
      Table& tab = t_[t];
      if (tab.buckets == nullptr) break;
      Node** link = &tab.buckets[hash & tab.mask];
      while (*link != nullptr) {
        if (Traits::key(*link) == key) {
          Node* node = *link;
          *link = next_of(node);
          set_next_of(node, nullptr);
          --tab.used;
          shrink_if_needed();
          return node;
        }
        link = next_link(*link);
      }
      if (!rehashing()) break;
    }
    return nullptr;
  }

  // Moves up to `buckets` non-empty buckets to the new table. Returns true while more remain.
  bool rehash(int buckets) {
    if (!rehashing()) return false;
    int empty_visits = buckets * kEmptyVisitsPerStep;
    Table& from = t_[0];
    Table& to = t_[1];
    while (buckets-- > 0 && from.used != 0) {
      while (from.buckets[rehash_idx_] == nullptr) {
        ++rehash_idx_;
        if (--empty_visits == 0) return true;
      }
      Node* node = from.buckets[rehash_idx_];
      while (node != nullptr) {
        Node* next = next_of(node);
        uint64_t idx = hash_key(Traits::key(node)) & to.mask;
        set_next_of(node, to.buckets[idx]);
        to.buckets[idx] = node;
        --from.used;
        ++to.used;
        node = next;
      }
      from.buckets[rehash_idx_] = nullptr;
      ++rehash_idx_;
    }
    if (from.used == 0) {
      std::free(from.buckets);
      t_[0] = to;
      t_[1] = Table{};
      rehash_idx_ = -1;
      return false;
    }
    return true;
  }

  // Rehashes in batches of 100 buckets until `budget` has elapsed (the server's idle timer,
  // Redis's incrementallyRehash). Returns the number of batches done.
  int rehash_for(std::chrono::microseconds budget) {
    auto start = std::chrono::steady_clock::now();
    int batches = 0;
    while (rehash(100)) {
      ++batches;
      if (std::chrono::steady_clock::now() - start > budget) break;
    }
    return batches;
  }

  // One SCAN call: visits the buckets the cursor designates, calls fn(node) for each node,
  // and returns the next cursor (0 when the iteration is complete).
  template <class Fn>
  uint64_t scan(uint64_t cursor, Fn&& fn) {
    if (size() == 0) return 0;
    uint64_t v = cursor;
    if (!rehashing()) {
      const Table& t0 = t_[0];
      visit_bucket(t0, v & t0.mask, fn);
      v |= ~t0.mask;
      v = next_cursor(v);
    } else {
      const Table* small = &t_[0];
      const Table* large = &t_[1];
      if (small->size() > large->size()) std::swap(small, large);
      uint64_t m0 = small->mask;
      uint64_t m1 = large->mask;
      visit_bucket(*small, v & m0, fn);
      // Every bucket of the larger table that is an expansion of the small table's bucket.
      do {
        visit_bucket(*large, v & m1, fn);
        v |= ~m1;
        v = next_cursor(v);
      } while ((v & (m0 ^ m1)) != 0);
    }
    return v;
  }

  // Shape of table 0 (the main one) or 1 (the rehash target; size 0 when not rehashing).
  DictTableStats table_stats(int table) const {
    DictTableStats st;
    const Table& tab = t_[table];
    st.size = tab.size();
    st.used = tab.used;
    for (uint64_t i = 0; i < tab.size(); ++i) {
      uint64_t len = 0;
      for (Node* n = tab.buckets[i]; n != nullptr; n = next_of(n)) ++len;
      if (len > 0) ++st.slots_used;
      if (len > st.max_chain) st.max_chain = len;
    }
    return st;
  }

  // Calls fn(node) for every node (no particular order). No rehash step.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (int t = 0; t < 2; ++t) {
      const Table& tab = t_[t];
      for (uint64_t i = 0; i < tab.size(); ++i) {
        for (Node* n = tab.buckets[i]; n != nullptr;) {
          Node* next = next_of(n);
          fn(n);
          n = next;
        }
      }
    }
  }

  // A random node (null if empty), Redis's dictGetRandomKey: a random non-empty bucket, then a
  // random node of its chain. `rng` is a splitmix64 state advanced by the call.
  Node* random(uint64_t& rng) {
    if (size() == 0) return nullptr;
    step_if_rehashing();
    Node* head = nullptr;
    if (rehashing()) {
      // Buckets below rehash_idx_ in the old table are known empty.
      uint64_t s0 = t_[0].size();
      uint64_t span = s0 + t_[1].size() - static_cast<uint64_t>(rehash_idx_);
      while (head == nullptr) {
        uint64_t h = static_cast<uint64_t>(rehash_idx_) + next_random(rng) % span;
        head = h >= s0 ? t_[1].buckets[h - s0] : t_[0].buckets[h];
      }
    } else {
      while (head == nullptr) head = t_[0].buckets[next_random(rng) & t_[0].mask];
    }
    size_t len = 0;
    for (Node* n = head; n != nullptr; n = next_of(n)) ++len;
    size_t pick = next_random(rng) % len;
    while (pick-- > 0) head = next_of(head);
    return head;
  }

  // Unlinks every node, calling destroy(node) on each, and frees the buckets.
  template <class Fn>
  void clear(Fn&& destroy) {
    for_each(destroy);
    std::free(t_[0].buckets);
    std::free(t_[1].buckets);
    t_[0] = Table{};
    t_[1] = Table{};
    rehash_idx_ = -1;
  }

  static uint64_t next_random(uint64_t& state) {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  struct Table {
    Node** buckets = nullptr;
    uint64_t mask = 0;  // size - 1 (meaningless when buckets is null)
    size_t used = 0;
    uint64_t size() const { return buckets ? mask + 1 : 0; }
  };

  static Node** next_link(Node* node) { return Traits::next_field(node); }

  static uint64_t reverse_bits(uint64_t v) {
    v = ((v >> 1) & 0x5555555555555555ull) | ((v & 0x5555555555555555ull) << 1);
    v = ((v >> 2) & 0x3333333333333333ull) | ((v & 0x3333333333333333ull) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0full) | ((v & 0x0f0f0f0f0f0f0f0full) << 4);
    return __builtin_bswap64(v);
  }
  static uint64_t next_cursor(uint64_t v) {
    // Increment the reversed cursor: carries propagate from the high bits downwards.
    return reverse_bits(reverse_bits(v) + 1);
  }

  template <class Fn>
  static void visit_bucket(const Table& tab, uint64_t idx, Fn& fn) {
    for (Node* n = tab.buckets[idx]; n != nullptr;) {
      Node* next = next_of(n);
      fn(n);
      n = next;
    }
  }

  void step_if_rehashing() {
    if (rehashing()) rehash(1);
  }

  static uint64_t next_power(uint64_t n) {
    if (n <= kInitialSize) return kInitialSize;
    return std::bit_ceil(n);
  }

  // Starts a resize to `size` buckets (a power of two).
  void resize_to(uint64_t size) {
    assert(!rehashing());
    Node** buckets = static_cast<Node**>(std::calloc(size, sizeof(Node*)));
    if (buckets == nullptr) std::abort();
    if (t_[0].buckets == nullptr) {
      t_[0] = Table{buckets, size - 1, 0};
      return;
    }
    t_[1] = Table{buckets, size - 1, 0};
    rehash_idx_ = 0;
  }

  void expand_if_needed() {
    if (rehashing()) return;
    if (t_[0].buckets == nullptr) {
      resize_to(kInitialSize);
    } else if (t_[0].used >= t_[0].size() &&
               (g_dict_resize_allowed || t_[0].used / t_[0].size() > kDictForceResizeRatio)) {
      resize_to(next_power(t_[0].used + 1));
    }
  }

  void shrink_if_needed() {
    if (!g_dict_resize_allowed || rehashing() || t_[0].buckets == nullptr) return;
    uint64_t size = t_[0].size();
    if (size <= kInitialSize) return;
    if (t_[0].used * 100 / size >= kMinFillPercent) return;
    if (t_[0].used == 0) {
      // Nothing to move: drop to the initial size at once.
      std::free(t_[0].buckets);
      t_[0] = Table{};
      return;
    }
    resize_to(next_power(t_[0].used));
  }

  Table t_[2];
  int64_t rehash_idx_ = -1;  // next bucket of t_[0] to move; -1 when not rehashing
};

}  // namespace zakros::store
