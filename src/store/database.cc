#include "store/database.h"

#include <algorithm>
#include <cassert>

#include "store/keyspace.h"
#include "util/numbers.h"

namespace zakros::store {

uint32_t Database::new_lru(int64_t now_ms) const {
  return owner_->initial_lru(now_ms);
}

void Database::touch(Entry* e, int64_t now_ms) {
  e->set_lru(owner_->touched_lru(e->lru(), now_ms));
}

Entry* Database::find(std::string_view key, const TimeContext& tc, unsigned flags) {
  Entry* e = dict_.find(key);
  if (e == nullptr) return nullptr;
  if (is_expired(e, tc.now_ms)) {
    if (tc.may_delete_expired) delete_expired(e);
    return nullptr;
  }
  if (!(flags & kLookupNoTouch)) touch(e, tc.now_ms);
  return e;
}

Entry* Database::find_raw(std::string_view key) {
  return dict_.find(key);
}

void Database::add_expire_slot(Entry* e) {
  e->set_expire_slot(static_cast<uint32_t>(expires_.size()));
  expires_.push_back(e);
}

void Database::remove_expire_slot(Entry* e) {
  uint32_t slot = e->expire_slot();
  assert(slot < expires_.size() && expires_[slot] == e);
  Entry* last = expires_.back();
  expires_[slot] = last;
  last->set_expire_slot(slot);
  expires_.pop_back();
}

void Database::delete_expired(Entry* e) {
  Entry* removed = dict_.remove(e->key());
  assert(removed == e);
  (void)removed;
  remove_expire_slot(e);
  owner_->note_expired(id_, e->key());
  owner_->dispose(e, owner_->lazy_free_policy().expire);
}

// Creates or replaces `key`. make(with_expire) builds the new block; in_place(old) may instead
// update a compatible old block and return true.
template <class Make, class InPlace>
static Entry* store_impl(Database& db, Database::KeyDict& dict, std::vector<Entry*>& expires,
                         Keyspace& owner, std::string_view key, int64_t expire_at,
                         const TimeContext& tc, Make&& make, InPlace&& in_place) {
  uint64_t h = hash_key(key);
  if (dict.rehashing()) dict.rehash(1);
  Entry** link = dict.find_link(key, h);
  Entry* old = link ? *link : nullptr;
  bool old_live = old != nullptr && !Database::is_expired(old, tc.now_ms);
  if (old != nullptr && !old_live && tc.may_delete_expired) owner.note_expired(db.id(), key);
  int64_t ttl = expire_at;
  if (expire_at == kKeepTtl) ttl = (old_live && old->has_expire()) ? old->expire_at() : kPersist;
  bool with_expire = ttl >= 0;

  if (old_live && old->has_expire() == with_expire && in_place(old)) {
    if (with_expire) old->set_expire_at(ttl);
    old->set_lru(old_live && owner.lfu() ? old->lru() : db.new_lru(tc.now_ms));
    return old;
  }
  Entry* fresh = make(with_expire);
  fresh->set_lru(old_live && owner.lfu() ? old->lru() : db.new_lru(tc.now_ms));
  if (old != nullptr) {
    if (old->has_expire()) {
      uint32_t slot = old->expire_slot();
      Entry* last = expires.back();
      expires[slot] = last;
      last->set_expire_slot(slot);
      expires.pop_back();
    }
    Database::KeyDict::replace_at(link, fresh);
    // Redis's dbSetValue frees the old value lazily under lazyfree-lazy-server-del; an expired
    // one is an expiry's deletion.
    const LazyFreePolicy& policy = owner.lazy_free_policy();
    owner.dispose(old, old_live ? policy.server_del : policy.expire);
  } else {
    dict.insert(fresh, h);
  }
  if (with_expire) {
    fresh->set_expire_at(ttl);
    fresh->set_expire_slot(static_cast<uint32_t>(expires.size()));
    expires.push_back(fresh);
  }
  if (!old_live) owner.note_added(db.id(), key);
  return fresh;
}

Entry* Database::set_string(std::string_view key, std::string_view value, int64_t expire_at,
                            const TimeContext& tc) {
  return store_impl(
      *this, dict_, expires_, *owner_, key, expire_at, tc,
      [&](bool with_expire) { return Entry::create_string(key, value, with_expire); },
      [&](Entry* old) {
        // Same-size overwrites (the benchmark's SET of a fixed-size value) stay allocation-free.
        if (old->is_int()) {
          int64_t v;
          if (value.size() <= Entry::kIntMaxChars && util::is_canonical_int64(value, &v)) {
            old->set_int_value(v);
            return true;
          }
          return false;
        }
        if (value.size() <= Entry::kIntMaxChars && util::is_canonical_int64(value, nullptr))
          return false;
        return old->assign_same_size_embstr(value);
      });
}

Entry* Database::set_int(std::string_view key, int64_t value, int64_t expire_at,
                         const TimeContext& tc) {
  return store_impl(
      *this, dict_, expires_, *owner_, key, expire_at, tc,
      [&](bool with_expire) { return Entry::create_int(key, value, with_expire); },
      [&](Entry* old) {
        if (!old->is_int()) return false;
        old->set_int_value(value);
        return true;
      });
}

Entry* Database::set_plain_string(std::string_view key, std::string_view value, int64_t expire_at,
                                  const TimeContext& tc) {
  return store_impl(
      *this, dict_, expires_, *owner_, key, expire_at, tc,
      [&](bool with_expire) { return Entry::create_embstr_or_raw(key, value, with_expire); },
      [&](Entry* old) { return old->assign_same_size_embstr(value); });
}

Entry* Database::set_raw(std::string_view key, std::string value, int64_t expire_at,
                         const TimeContext& tc) {
  return store_impl(
      *this, dict_, expires_, *owner_, key, expire_at, tc,
      [&](bool with_expire) { return Entry::create_raw(key, std::move(value), with_expire); },
      [](Entry*) { return false; });
}

Entry* Database::set_object(std::string_view key, std::unique_ptr<Object> value, int64_t expire_at,
                            const TimeContext& tc) {
  return store_impl(
      *this, dict_, expires_, *owner_, key, expire_at, tc,
      [&](bool with_expire) { return Entry::create_object(key, std::move(value), with_expire); },
      [](Entry*) { return false; });
}

Entry* Database::relocate(Entry* e, bool with_expire) {
  std::string_view key = e->key();
  Entry** link = dict_.find_link(key, hash_key(key));
  assert(link != nullptr && *link == e);
  Entry* next = *e->next_field();
  bool had = e->has_expire();
  if (had && !with_expire) remove_expire_slot(e);
  Entry* moved = Entry::relocate(e, key, with_expire);
  *moved->next_field() = next;
  *link = moved;
  if (had && with_expire) expires_[moved->expire_slot()] = moved;
  return moved;
}

std::string* Database::make_raw(Entry*& e) {
  assert(e->is_string());
  if (e->string_encoding() == Encoding::kRaw) return e->raw_string();
  char buf[Entry::kIntMaxChars];
  std::string text(e->string_value(buf));
  Entry* fresh = Entry::create_raw(e->key(), std::move(text), e->has_expire());
  std::string_view key = e->key();
  Entry** link = dict_.find_link(key, hash_key(key));
  assert(link != nullptr && *link == e);
  fresh->set_lru(e->lru());
  if (e->has_expire()) {
    fresh->set_expire_at(e->expire_at());
    fresh->set_expire_slot(e->expire_slot());
    expires_[e->expire_slot()] = fresh;
  }
  KeyDict::replace_at(link, fresh);
  Entry::destroy(e);
  e = fresh;
  return fresh->raw_string();
}

void Database::set_int_value(Entry*& e, int64_t value) {
  if (e->is_int()) {
    e->set_int_value(value);
    return;
  }
  Entry* fresh = Entry::create_int(e->key(), value, e->has_expire());
  std::string_view key = e->key();
  Entry** link = dict_.find_link(key, hash_key(key));
  assert(link != nullptr && *link == e);
  fresh->set_lru(e->lru());
  if (e->has_expire()) {
    fresh->set_expire_at(e->expire_at());
    fresh->set_expire_slot(e->expire_slot());
    expires_[e->expire_slot()] = fresh;
  }
  KeyDict::replace_at(link, fresh);
  Entry::destroy(e);
  e = fresh;
}

bool Database::erase(std::string_view key) {
  return erase(key, owner_->lazy_free_policy().server_del);
}

bool Database::erase(std::string_view key, bool lazy) {
  Entry* e = dict_.remove(key);
  if (e == nullptr) return false;
  if (e->has_expire()) remove_expire_slot(e);
  owner_->dispose(e, lazy);
  return true;
}

void Database::clear() {
  dict_.clear([](Entry* e) { Entry::destroy(e); });
  expires_.clear();
  expires_.shrink_to_fit();
  expire_cursor_ = 0;
  avg_ttl_ = 0;
}

std::unique_ptr<DetachedKeys> Database::detach_all() {
  if (dict_.empty()) return nullptr;
  size_t n = dict_.size();
  auto out = std::make_unique<DetachedKeys>(std::move(dict_), n);
  dict_ = KeyDict();
  expires_.clear();
  expires_.shrink_to_fit();
  expire_cursor_ = 0;
  avg_ttl_ = 0;
  return out;
}

void Database::set_expire(Entry*& e, int64_t expire_at) {
  if (!e->has_expire()) {
    e = relocate(e, true);
    add_expire_slot(e);
  }
  e->set_expire_at(expire_at);
}

bool Database::persist(Entry*& e) {
  if (!e->has_expire()) return false;
  e = relocate(e, false);
  return true;
}

Entry* Database::detach(std::string_view key) {
  Entry* e = dict_.remove(key);
  if (e != nullptr && e->has_expire()) remove_expire_slot(e);
  return e;
}

void Database::attach(Entry* e) {
  std::string_view key = e->key();
  uint64_t h = hash_key(key);
  if (dict_.rehashing()) dict_.rehash(1);
  Entry** link = dict_.find_link(key, h);
  if (link != nullptr) {
    Entry* old = *link;
    if (old->has_expire()) remove_expire_slot(old);
    KeyDict::replace_at(link, e);
    owner_->dispose(old, owner_->lazy_free_policy().server_del);
  } else {
    dict_.insert(e, h);
  }
  if (e->has_expire()) add_expire_slot(e);
  owner_->note_added(id_, e->key());
}

Entry* Database::rename(Entry* e, std::string_view new_key) {
  Entry* detached = detach(e->key());
  assert(detached == e);
  Entry* renamed = Entry::relocate(detached, new_key, detached->has_expire());
  attach(renamed);
  return renamed;
}

Entry* Database::random_entry(uint64_t& rng, const TimeContext& tc) {
  // Redis's dbRandomKey: on a node that may not delete, a database of only expired keys would
  // loop forever, so after 100 tries an expired key is returned anyway.
  int max_tries = 100;
  bool all_volatile = expires_.size() == dict_.size();
  while (true) {
    Entry* e = dict_.random(rng);
    if (e == nullptr) return nullptr;
    if (is_expired(e, tc.now_ms)) {
      if (tc.may_delete_expired) {
        delete_expired(e);
        continue;
      }
      if (all_volatile && --max_tries == 0) return e;
      continue;
    }
    return e;
  }
}

void Database::active_expire_round(int64_t now_ms, size_t samples, size_t* sampled,
                                   size_t* expired) {
  if (expires_.empty()) {
    avg_ttl_ = 0;
    return;
  }
  int64_t ttl_sum = 0;
  int64_t ttl_samples = 0;
  for (size_t i = 0; i < samples && !expires_.empty(); ++i) {
    if (expire_cursor_ >= expires_.size()) expire_cursor_ = 0;
    Entry* e = expires_[expire_cursor_];
    ++*sampled;
    if (e->expire_at() <= now_ms) {
      // The last slot moves into the cursor's position: look at it next, do not advance.
      delete_expired(e);
      ++*expired;
    } else {
      ttl_sum += e->expire_at() - now_ms;
      ++ttl_samples;
      ++expire_cursor_;
    }
  }
  if (ttl_samples > 0) {
    int64_t avg = ttl_sum / ttl_samples;
    // Redis's running estimate: each round weighs 2%.
    if (avg_ttl_ == 0) avg_ttl_ = avg;
    avg_ttl_ = (avg_ttl_ / 50) * 49 + (avg / 50);
  }
}

size_t Database::collect_expired(int64_t now_ms, size_t samples, std::vector<std::string>* out) {
  size_t n = std::min(samples, expires_.size());
  for (size_t i = 0; i < n; ++i) {
    if (expire_cursor_ >= expires_.size()) expire_cursor_ = 0;
    const Entry* e = expires_[expire_cursor_++];
    if (e->expire_at() <= now_ms) out->emplace_back(e->key());
  }
  return n;
}

bool Database::rehash_for(std::chrono::microseconds budget) {
  if (!dict_.rehashing()) return false;
  dict_.rehash_for(budget);
  return true;
}

void Database::swap_contents(Database& other) {
  dict_.swap(other.dict_);
  expires_.swap(other.expires_);
  std::swap(expire_cursor_, other.expire_cursor_);
  std::swap(avg_ttl_, other.avg_ttl_);
}

}  // namespace zakros::store
