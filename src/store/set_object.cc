#include "store/set_object.h"

#include <algorithm>
#include <utility>

#include "util/numbers.h"

namespace zakros::store {

namespace {
// Redis limits intsets to 1G entries whatever set-max-intset-entries says (t_set.c).
constexpr size_t kIntsetHardLimit = size_t{1} << 30;
}  // namespace

std::unique_ptr<SetObject> SetObject::create_for(std::string_view first) {
  return util::parse_int64(first, nullptr) ? create_intset() : create_hashtable();
}

std::unique_ptr<SetObject> SetObject::create_intset() {
  return std::make_unique<SetObject>();
}

std::unique_ptr<SetObject> SetObject::create_hashtable() {
  auto set = std::make_unique<SetObject>();
  set->table_ = std::make_unique<DenseTable>();
  return set;
}

std::unique_ptr<SetObject> SetObject::from_intset(Intset intset) {
  auto set = std::make_unique<SetObject>();
  set->intset_ = std::move(intset);
  return set;
}

std::unique_ptr<Object> SetObject::clone() const {
  auto copy = std::make_unique<SetObject>();
  if (table_) {
    copy->table_ = std::make_unique<DenseTable>(*table_);
  } else {
    copy->intset_ = intset_;
  }
  return copy;
}

size_t SetObject::memory_usage(size_t samples) const {
  (void)samples;  // exact: the table knows its bytes
  size_t bytes = sizeof(SetObject);
  if (table_) return bytes + sizeof(DenseTable) + table_->memory_usage();
  return bytes + intset_.bytes();
}

bool SetObject::contains(std::string_view member) const {
  if (table_) return table_->contains(member);
  int64_t v;
  return util::parse_int64(member, &v) && intset_.contains(v);
}

bool SetObject::add(std::string_view member, const EncodingLimits& limits) {
  if (!table_) {
    int64_t v;
    if (util::parse_int64(member, &v)) {
      if (!intset_.add(v)) return false;
      size_t max = std::min(limits.set_max_intset_entries, kIntsetHardLimit);
      if (intset_.size() > max) to_hashtable();
      return true;
    }
    to_hashtable();
    table_->insert_new(member);
    return true;
  }
  if (table_->contains(member)) return false;
  table_->insert_new(member);
  return true;
}

bool SetObject::remove(std::string_view member) {
  if (table_) return table_->erase(member);
  int64_t v;
  return util::parse_int64(member, &v) && intset_.remove(v);
}

void SetObject::to_hashtable() {
  if (table_) return;
  auto table = std::make_unique<DenseTable>();
  table->reserve(intset_.size());
  char buf[kMemberBufSize];
  for (size_t i = 0; i < intset_.size(); ++i) {
    table->insert_new(std::string_view(buf, util::format_int64(intset_.at(i), buf)));
  }
  table_ = std::move(table);
  intset_ = Intset();
}

std::string_view SetObject::member_at(size_t i, char* buf) const {
  if (table_) return table_->key_at(i);
  return std::string_view(buf, util::format_int64(intset_.at(i), buf));
}

void SetObject::remove_at(size_t i) {
  if (table_) {
    table_->erase_at(i);
  } else {
    intset_.remove(intset_.at(i));
  }
}

}  // namespace zakros::store
