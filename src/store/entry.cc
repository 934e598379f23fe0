#include "store/entry.h"

#include <cassert>
#include <cstddef>
#include <cstdlib>
#include <new>

#include "util/numbers.h"

namespace zakros::store {

static_assert(sizeof(void*) == 8, "the entry layout assumes 64-bit pointers");

Entry* Entry::allocate(std::string_view key, ValueType type, Encoding enc, size_t value_bytes,
                       bool with_expire) {
  bool long_key = key.size() > 255;
  size_t size =
      kVarOffset + (long_key ? 4 : 1) + (with_expire ? kExpireBytes : 0) + key.size() + value_bytes;
  if (size < sizeof(Entry)) size = sizeof(Entry);
  void* block = std::malloc(size);
  if (block == nullptr) throw std::bad_alloc();
  Entry* e = new (block) Entry();
  static_assert(offsetof(Entry, flags_) + 1 == kVarOffset);
  e->meta_ = (static_cast<uint32_t>(enc) << 28) | (static_cast<uint32_t>(type) << 24);
  e->flags_ = static_cast<uint8_t>((with_expire ? kHasExpire : 0) | (long_key ? kLongKey : 0));
  unsigned char* p = e->var();
  if (long_key) {
    uint32_t len = static_cast<uint32_t>(key.size());
    std::memcpy(p, &len, sizeof(len));
  } else {
    p[0] = static_cast<unsigned char>(key.size());
  }
  if (with_expire) {
    e->set_expire_at(0);
    e->set_expire_slot(0);
  }
  if (!key.empty()) std::memcpy(p + e->key_offset(), key.data(), key.size());
  return e;
}

Entry* Entry::create_string(std::string_view key, std::string_view value, bool with_expire) {
  int64_t v;
  if (value.size() <= kIntMaxChars && util::is_canonical_int64(value, &v)) {
    return create_int(key, v, with_expire);
  }
  return create_embstr_or_raw(key, value, with_expire);
}

Entry* Entry::create_int(std::string_view key, int64_t value, bool with_expire) {
  Entry* e = allocate(key, ValueType::kString, Encoding::kInt, sizeof(int64_t), with_expire);
  e->set_int_value(value);
  return e;
}

Entry* Entry::create_embstr_or_raw(std::string_view key, std::string_view value, bool with_expire) {
  if (value.size() > kEmbstrMaxLen) return create_raw(key, std::string(value), with_expire);
  Entry* e = allocate(key, ValueType::kString, Encoding::kEmbstr, 1 + value.size(), with_expire);
  unsigned char* p = e->value_ptr();
  p[0] = static_cast<unsigned char>(value.size());
  if (!value.empty()) std::memcpy(p + 1, value.data(), value.size());
  return e;
}

Entry* Entry::create_raw(std::string_view key, std::string value, bool with_expire) {
  Entry* e = allocate(key, ValueType::kString, Encoding::kRaw, sizeof(void*), with_expire);
  std::string* s = new std::string(std::move(value));
  std::memcpy(e->value_ptr(), &s, sizeof(s));
  return e;
}

Entry* Entry::create_object(std::string_view key, std::unique_ptr<Object> object,
                            bool with_expire) {
  Entry* e = allocate(key, object->type(), object->encoding(), sizeof(void*), with_expire);
  Object* o = object.release();
  std::memcpy(e->value_ptr(), &o, sizeof(o));
  return e;
}

Entry* Entry::clone(const Entry& src, std::string_view key, bool with_expire) {
  Entry* e;
  if (!src.is_string()) {
    e = create_object(key, src.object()->clone(), with_expire);
  } else if (src.string_encoding() == Encoding::kRaw) {
    e = create_raw(key, *src.raw_string(), with_expire);
  } else {
    size_t n = value_bytes_of(src);
    e = allocate(key, ValueType::kString, src.string_encoding(), n, with_expire);
    std::memcpy(e->value_ptr(), src.value_ptr(), n);
  }
  e->set_lru(src.lru());
  return e;
}

Entry* Entry::relocate(Entry* src, std::string_view key, bool with_expire) {
  size_t n = value_bytes_of(*src);
  Encoding enc = static_cast<Encoding>(src->meta_ >> 28);
  Entry* e = allocate(key, src->type(), enc, n, with_expire);
  // The value bytes (including an owned pointer) move bitwise; src's block is freed without
  // destroying the value.
  std::memcpy(e->value_ptr(), src->value_ptr(), n);
  e->set_lru(src->lru());
  if (with_expire && src->has_expire()) {
    e->set_expire_at(src->expire_at());
    e->set_expire_slot(src->expire_slot());
  }
  std::free(src);
  return e;
}

void Entry::destroy(Entry* entry) {
  if (entry == nullptr) return;
  if (!entry->is_string()) {
    delete entry->object();
  } else if (entry->string_encoding() == Encoding::kRaw) {
    delete entry->raw_string();
  }
  std::free(entry);
}

size_t Entry::value_bytes_of(const Entry& e) {
  if (!e.is_string()) return sizeof(void*);
  switch (e.string_encoding()) {
    case Encoding::kInt:
      return sizeof(int64_t);
    case Encoding::kEmbstr:
      return 1 + e.value_ptr()[0];
    default:
      return sizeof(void*);
  }
}

Encoding Entry::encoding() const {
  if (!is_string()) return object()->encoding();
  return string_encoding();
}

std::string_view Entry::string_value(char* buf) const {
  assert(is_string());
  switch (string_encoding()) {
    case Encoding::kInt:
      return {buf, util::format_int64(int_value(), buf)};
    case Encoding::kEmbstr: {
      const unsigned char* p = value_ptr();
      return {reinterpret_cast<const char*>(p + 1), p[0]};
    }
    default:
      return *raw_string();
  }
}

size_t Entry::string_length() const {
  switch (string_encoding()) {
    case Encoding::kInt: {
      int64_t v = int_value();
      uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
      return static_cast<size_t>(util::digits10(mag)) + (v < 0 ? 1 : 0);
    }
    case Encoding::kEmbstr:
      return value_ptr()[0];
    default:
      return raw_string()->size();
  }
}

bool Entry::assign_same_size_embstr(std::string_view value) {
  if (!is_string() || string_encoding() != Encoding::kEmbstr) return false;
  unsigned char* p = value_ptr();
  if (p[0] != value.size()) return false;
  if (!value.empty()) std::memcpy(p + 1, value.data(), value.size());
  return true;
}

size_t Entry::block_size() const {
  size_t size = kVarOffset + key_offset() + key_length() + value_bytes_of(*this);
  return size < sizeof(Entry) ? sizeof(Entry) : size;
}

}  // namespace zakros::store

namespace zakros::store {

size_t Entry::memory_usage(size_t samples) const {
  size_t total = block_size();
  if (!is_string()) {
    total += object()->memory_usage(samples);
  } else if (string_encoding() == Encoding::kRaw) {
    const std::string* s = raw_string();
    total += sizeof(std::string);
    // Short strings live inside the std::string object (small-string optimisation).
    if (s->capacity() > sizeof(std::string) - 1) total += s->capacity() + 1;
  }
  return total;
}

}  // namespace zakros::store
