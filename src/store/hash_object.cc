#include "store/hash_object.h"

#include <string>
#include <unordered_set>
#include <utility>

namespace zakros::store {

std::unique_ptr<HashObject> HashObject::create() {
  return std::make_unique<HashObject>();
}

std::unique_ptr<HashObject> HashObject::create_hashtable() {
  auto h = std::make_unique<HashObject>();
  h->table_ = std::make_unique<DenseTable>();
  return h;
}

std::unique_ptr<HashObject> HashObject::from_listpack(Listpack lp) {
  auto h = std::make_unique<HashObject>();
  h->lp_ = std::move(lp);
  return h;
}

std::unique_ptr<Object> HashObject::clone() const {
  auto copy = std::make_unique<HashObject>();
  if (table_) {
    copy->table_ = std::make_unique<DenseTable>(*table_);
  } else {
    copy->lp_ = lp_;
  }
  return copy;
}

size_t HashObject::memory_usage(size_t samples) const {
  (void)samples;  // exact: the table knows its bytes
  size_t bytes = sizeof(HashObject);
  if (table_) return bytes + sizeof(DenseTable) + table_->memory_usage();
  return bytes + lp_.bytes();
}

size_t HashObject::lp_find_value(std::string_view field) const {
  size_t p = lp_.first();
  if (p == Listpack::kEnd) return Listpack::kEnd;
  p = lp_.find(p, field, 1);
  return p == Listpack::kEnd ? p : lp_.next(p);
}

bool HashObject::contains(std::string_view field) const {
  if (table_) return table_->contains(field);
  return lp_find_value(field) != Listpack::kEnd;
}

bool HashObject::get(std::string_view field, char* buf, std::string_view* value) const {
  if (table_) {
    size_t pos = table_->find(field);
    if (pos == DenseTable::kNotFound) return false;
    *value = table_->value_at(pos);
    return true;
  }
  size_t p = lp_find_value(field);
  if (p == Listpack::kEnd) return false;
  *value = lp_.get(p).view(buf);
  return true;
}

void HashObject::prepare_write(size_t max_len, size_t total_len, const EncodingLimits& limits) {
  if (table_) return;
  if (max_len > limits.hash_max_listpack_value || !lp_.safe_to_add(total_len)) to_hashtable();
}

bool HashObject::set(std::string_view field, std::string_view value, const EncodingLimits& limits) {
  if (!table_ && (field.size() > limits.hash_max_listpack_value ||
                  value.size() > limits.hash_max_listpack_value)) {
    to_hashtable();
  }
  if (table_) {
    size_t pos = table_->find(field);
    if (pos != DenseTable::kNotFound) {
      table_->set_value(pos, value);
      return false;
    }
    table_->insert_new(field, value);
    return true;
  }
  size_t p = lp_find_value(field);
  if (p != Listpack::kEnd) {
    lp_.replace(p, value);
    return false;
  }
  lp_.append(field);
  lp_.append(value);
  if (size() > limits.hash_max_listpack_entries) to_hashtable();
  return true;
}

bool HashObject::remove(std::string_view field) {
  if (table_) return table_->erase(field);
  size_t p = lp_.first();
  if (p == Listpack::kEnd) return false;
  p = lp_.find(p, field, 1);
  if (p == Listpack::kEnd) return false;
  lp_.erase_range(p, 2);
  return true;
}

void HashObject::to_hashtable() {
  if (table_) return;
  auto table = std::make_unique<DenseTable>();
  table->reserve(size());
  for_each([&](std::string_view f, std::string_view v) {
    // A listpack never holds a field twice (set() and the RDB reader's check see to it).
    table->insert_new(f, v);
  });
  table_ = std::move(table);
  lp_ = Listpack();
}

void HashObject::at(size_t i, char* fbuf, char* vbuf, std::string_view* field,
                    std::string_view* value) const {
  if (table_) {
    *field = table_->key_at(i);
    *value = table_->value_at(i);
    return;
  }
  size_t p = lp_.seek(static_cast<long>(2 * i));
  *field = lp_.get(p).view(fbuf);
  *value = lp_.get(lp_.next(p)).view(vbuf);
}

bool HashObject::has_duplicate_fields() const {
  if (table_) return false;
  std::unordered_set<std::string> seen;
  bool dup = false;
  for_each([&](std::string_view f, std::string_view) {
    if (!seen.emplace(f).second) dup = true;
  });
  return dup;
}

}  // namespace zakros::store
