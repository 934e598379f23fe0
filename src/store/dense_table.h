// DenseTable: the "hashtable" encoding of hashes and sets. Elements (a key and, for hashes, a
// value) live in a dense vector in a deterministic order; an open-addressing index of 32-bit
// slots finds them by key.
//
// Why not store/dict.h: SPOP and SRANDMEMBER must pick the same members on every Raft node
// (design.md, "Determinism"), so random picks are made by position in an order that does not
// depend on the per-process hash seed or on incremental rehashing (which reads advance and only
// the leader serves). The vector order depends only on the sequence of writes: insertions
// append, a removal moves the last element into the hole. Iteration (for_each, the RDB writer)
// follows that order, so a node restored from a snapshot has the same order as the node that
// wrote it. It is also smaller than a chained table: per element one malloc'ed block
// (8 bytes + key + value), 8 bytes in the vector and ~5-10 bytes of index.
//
// SCAN (scan()) walks positions downwards, from the last to the first. A removal only moves the
// last element to a lower position, so an element present for the whole iteration is never
// skipped (it may be returned twice); elements added during the iteration land above the cursor
// and may be missed, which Redis's guarantee allows.
//
// Written by hand: no Debian-packaged table gives positional access plus this SCAN guarantee.
// Not thread-safe (the event loop owns it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace zakros::store {

class DenseTable {
 public:
  static constexpr size_t kNotFound = static_cast<size_t>(-1);

  DenseTable() = default;
  ~DenseTable();
  DenseTable(const DenseTable& other);
  DenseTable& operator=(const DenseTable&) = delete;
  DenseTable(DenseTable&& other) noexcept;
  DenseTable& operator=(DenseTable&& other) noexcept;

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

  // The element at position i (0 <= i < size()). Views stay valid until that element is
  // changed or removed.
  std::string_view key_at(size_t i) const {
    const Block* b = items_[i];
    return {b->bytes, b->key_len};
  }
  std::string_view value_at(size_t i) const {
    const Block* b = items_[i];
    return {b->bytes + b->key_len, b->value_len};
  }

  // Position of `key`, or kNotFound.
  size_t find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key) != kNotFound; }
  // Appends an element whose key is absent (the caller checked); returns its position.
  size_t insert_new(std::string_view key, std::string_view value = {});
  // Replaces the value of the element at position i.
  void set_value(size_t i, std::string_view value);
  // Removes the element at position i; the last element moves to position i.
  void erase_at(size_t i);
  // Removes `key`; false if absent.
  bool erase(std::string_view key);
  // Prepares room for n elements (bulk loads: conversions, RDB).
  void reserve(size_t n);

  // Calls fn(key, value) for every element, in position order.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const Block* b : items_)
      fn(std::string_view(b->bytes, b->key_len),
         std::string_view(b->bytes + b->key_len, b->value_len));
  }

  // One SCAN step: visits up to `count` positions downward from the cursor's and calls
  // fn(key, value) for each; returns the next cursor (0 when done). Cursor 0 starts at the
  // last position; a cursor c > 0 continues at position c - 1 (clamped to the current size).
  template <class Fn>
  uint64_t scan(uint64_t cursor, size_t count, Fn&& fn) const {
    if (items_.empty()) return 0;
    size_t pos =
        cursor == 0 || cursor > items_.size() ? items_.size() : static_cast<size_t>(cursor);
    while (pos > 0 && count-- > 0) {
      --pos;
      fn(key_at(pos), value_at(pos));
    }
    return pos;
  }

  // Bytes used (blocks, vector and index), for MEMORY USAGE.
  size_t memory_usage() const;

 private:
  struct Block {
    uint32_t key_len;
    uint32_t value_len;
    char bytes[];
  };
  static Block* make_block(std::string_view key, std::string_view value);

  // Index slot holding position `pos` + 1, whose key hashes to `hash`.
  size_t slot_of(uint64_t hash, size_t pos) const;
  void rebuild_index(size_t capacity);
  void grow_if_needed();
  void shrink_if_needed();
  // Backward-shift deletion of index slot s (linear probing without tombstones).
  void clear_slot(size_t s);

  std::vector<Block*> items_;
  std::unique_ptr<uint32_t[]> index_;  // 0 = empty, else position + 1
  size_t mask_ = 0;                    // capacity - 1 (capacity 0 when index_ is null)
};

}  // namespace zakros::store
