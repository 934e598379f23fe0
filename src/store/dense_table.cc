#include "store/dense_table.h"

#include <bit>
#include <cstdlib>
#include <new>
#include <utility>

#include "store/hash.h"

namespace zakros::store {

namespace {
constexpr size_t kMinCapacity = 8;
}  // namespace

DenseTable::Block* DenseTable::make_block(std::string_view key, std::string_view value) {
  auto* b = static_cast<Block*>(std::malloc(sizeof(Block) + key.size() + value.size()));
  if (b == nullptr) throw std::bad_alloc();
  b->key_len = static_cast<uint32_t>(key.size());
  b->value_len = static_cast<uint32_t>(value.size());
  if (!key.empty()) std::memcpy(b->bytes, key.data(), key.size());
  if (!value.empty()) std::memcpy(b->bytes + key.size(), value.data(), value.size());
  return b;
}

DenseTable::~DenseTable() {
  for (Block* b : items_) std::free(b);
}

DenseTable::DenseTable(const DenseTable& other) {
  items_.reserve(other.items_.size());
  for (size_t i = 0; i < other.size(); ++i) {
    items_.push_back(make_block(other.key_at(i), other.value_at(i)));
  }
  if (other.index_) {
    index_.reset(new uint32_t[other.mask_ + 1]);
    std::memcpy(index_.get(), other.index_.get(), (other.mask_ + 1) * sizeof(uint32_t));
    mask_ = other.mask_;
  }
}

DenseTable::DenseTable(DenseTable&& other) noexcept
    : items_(std::move(other.items_)), index_(std::move(other.index_)), mask_(other.mask_) {
  other.items_.clear();
  other.mask_ = 0;
}

DenseTable& DenseTable::operator=(DenseTable&& other) noexcept {
  if (this != &other) {
    for (Block* b : items_) std::free(b);
    items_ = std::move(other.items_);
    index_ = std::move(other.index_);
    mask_ = other.mask_;
    other.items_.clear();
    other.mask_ = 0;
  }
  return *this;
}

size_t DenseTable::find(std::string_view key) const {
  if (!index_) return kNotFound;
  size_t s = hash_key(key) & mask_;
  while (index_[s] != 0) {
    size_t pos = index_[s] - 1;
    const Block* b = items_[pos];
    if (b->key_len == key.size() && std::memcmp(b->bytes, key.data(), key.size()) == 0) {
      return pos;
    }
    s = (s + 1) & mask_;
  }
  return kNotFound;
}

size_t DenseTable::slot_of(uint64_t hash, size_t pos) const {
  size_t s = hash & mask_;
  while (index_[s] != pos + 1) s = (s + 1) & mask_;
  return s;
}

void DenseTable::rebuild_index(size_t capacity) {
  index_.reset(new uint32_t[capacity]());
  mask_ = capacity - 1;
  for (size_t pos = 0; pos < items_.size(); ++pos) {
    size_t s = hash_key(key_at(pos)) & mask_;
    while (index_[s] != 0) s = (s + 1) & mask_;
    index_[s] = static_cast<uint32_t>(pos + 1);
  }
}

// Load factor at most 3/4: linear probing stays short, and 4-byte slots keep the index at
// 5.3-10.7 bytes per element.
void DenseTable::grow_if_needed() {
  size_t capacity = index_ ? mask_ + 1 : 0;
  size_t need = items_.size() + 1;
  if (need * 4 <= capacity * 3) return;
  size_t cap = std::max(kMinCapacity, capacity * 2);
  while (need * 4 > cap * 3) cap *= 2;
  rebuild_index(cap);
}

void DenseTable::shrink_if_needed() {
  size_t capacity = mask_ + 1;
  if (capacity <= kMinCapacity || items_.size() * 8 >= capacity) return;
  size_t cap = std::max(kMinCapacity, std::bit_ceil(items_.size() * 2));
  rebuild_index(cap);
}

void DenseTable::reserve(size_t n) {
  items_.reserve(n);
  size_t capacity = index_ ? mask_ + 1 : 0;
  if (n * 4 <= capacity * 3) return;
  size_t cap = std::max(kMinCapacity, capacity);
  while (n * 4 > cap * 3) cap *= 2;
  rebuild_index(cap);
}

size_t DenseTable::insert_new(std::string_view key, std::string_view value) {
  grow_if_needed();
  size_t pos = items_.size();
  items_.push_back(make_block(key, value));
  size_t s = hash_key(key) & mask_;
  while (index_[s] != 0) s = (s + 1) & mask_;
  index_[s] = static_cast<uint32_t>(pos + 1);
  return pos;
}

void DenseTable::set_value(size_t i, std::string_view value) {
  Block* b = items_[i];
  if (b->value_len == value.size()) {
    if (!value.empty()) std::memcpy(b->bytes + b->key_len, value.data(), value.size());
    return;
  }
  items_[i] = make_block(std::string_view(b->bytes, b->key_len), value);
  std::free(b);
}

void DenseTable::clear_slot(size_t s) {
  size_t j = s;
  for (;;) {
    j = (j + 1) & mask_;
    if (index_[j] == 0) break;
    size_t home = hash_key(key_at(index_[j] - 1)) & mask_;
    // The element at j may fill the hole at s only if its probe path from `home` passes s.
    if (((j - home) & mask_) >= ((j - s) & mask_)) {
      index_[s] = index_[j];
      s = j;
    }
  }
  index_[s] = 0;
}

void DenseTable::erase_at(size_t i) {
  clear_slot(slot_of(hash_key(key_at(i)), i));
  size_t last = items_.size() - 1;
  std::free(items_[i]);
  if (i != last) {
    index_[slot_of(hash_key(key_at(last)), last)] = static_cast<uint32_t>(i + 1);
    items_[i] = items_[last];
  }
  items_.pop_back();
  if (items_.empty()) {
    index_.reset();
    mask_ = 0;
    std::vector<Block*>().swap(items_);
  } else {
    shrink_if_needed();
  }
}

bool DenseTable::erase(std::string_view key) {
  size_t pos = find(key);
  if (pos == kNotFound) return false;
  erase_at(pos);
  return true;
}

size_t DenseTable::memory_usage() const {
  size_t bytes = items_.capacity() * sizeof(Block*);
  if (index_) bytes += (mask_ + 1) * sizeof(uint32_t);
  for (const Block* b : items_) bytes += sizeof(Block) + b->key_len + b->value_len;
  return bytes;
}

}  // namespace zakros::store
