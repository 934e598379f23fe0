#include "store/keyspace.h"

#include <algorithm>

namespace zakros::store {

namespace {

uint32_t lru_clock(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / 1000) & Keyspace::kLruClockMax;
}

uint32_t lfu_minutes(int64_t now_ms) {
  return static_cast<uint32_t>(now_ms / 60000) & 0xffff;
}

}  // namespace

Keyspace::Keyspace(int databases) {
  dbs_.reserve(static_cast<size_t>(databases));
  for (int i = 0; i < databases; ++i) dbs_.push_back(std::make_unique<Database>(i, this));
}

void Keyspace::swap(int a, int b) {
  if (a == b) return;
  db(a).swap_contents(db(b));
}

void Keyspace::flush_all() {
  for (auto& d : dbs_) d->clear();
}

void Keyspace::flush_async(int index) {
  if (index >= 0) {
    lazy_free_.submit(db(index).detach_all());
    return;
  }
  for (auto& d : dbs_) lazy_free_.submit(d->detach_all());
}

void Keyspace::dispose(Entry* e, bool lazy) {
  if (lazy && free_effort(*e) > kLazyFreeThreshold) {
    lazy_free_.submit(std::make_unique<DetachedEntry>(e));
  } else {
    Entry::destroy(e);
  }
}

size_t Keyspace::total_keys() const {
  size_t n = 0;
  for (const auto& d : dbs_) n += d->size();
  return n;
}

Keyspace::DbStats Keyspace::stats(int index) const {
  const Database& d = db(index);
  return DbStats{d.size(), d.expires_count(), d.avg_ttl()};
}

void Keyspace::note_expired(int db, std::string_view key) {
  ++expired_keys_;
  if (observer_ != nullptr) observer_->on_key_expired(db, key);
  if (cycle_callback_ != nullptr) (*cycle_callback_)(db, key);
}

uint32_t Keyspace::initial_lru(int64_t now_ms) const {
  if (lfu_) return (lfu_minutes(now_ms) << 8) | kLfuInitVal;
  return lru_clock(now_ms);
}

uint32_t Keyspace::lfu_frequency(const Entry& e, int64_t now_ms) const {
  // Redis's LFUDecrAndReturn: the counter loses one per lfu-decay-time minutes elapsed.
  uint32_t ldt = e.lru() >> 8;
  uint32_t counter = e.lru() & 0xff;
  uint32_t now = lfu_minutes(now_ms);
  uint32_t elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
  uint32_t periods = lfu_decay_time_ > 0 ? elapsed / static_cast<uint32_t>(lfu_decay_time_) : 0;
  return periods > counter ? 0 : counter - periods;
}

uint32_t Keyspace::touched_lru(uint32_t lru, int64_t now_ms) {
  if (!lfu_) return lru_clock(now_ms);
  // Decay, then Redis's LFULogIncr: increment with probability 1/((counter-5)*factor+1).
  uint32_t ldt = lru >> 8;
  uint32_t counter = lru & 0xff;
  uint32_t now = lfu_minutes(now_ms);
  uint32_t elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
  uint32_t periods = lfu_decay_time_ > 0 ? elapsed / static_cast<uint32_t>(lfu_decay_time_) : 0;
  counter = periods > counter ? 0 : counter - periods;
  if (counter < 255) {
    double r = static_cast<double>(Dict<EntryTraits>::next_random(lfu_rng_) >> 11) * 0x1.0p-53;
    double base = counter > kLfuInitVal ? counter - kLfuInitVal : 0;
    double p = 1.0 / (base * lfu_log_factor_ + 1);
    if (r < p) ++counter;
  }
  return (now << 8) | counter;
}

uint64_t Keyspace::idle_ms(const Entry& e, int64_t now_ms) const {
  uint32_t clock = lru_clock(now_ms);
  uint32_t lru = e.lru();
  uint64_t secs = clock >= lru ? clock - lru : clock + (kLruClockMax - lru);
  return secs * 1000;
}

size_t Keyspace::active_expire_cycle(int64_t now_ms, std::chrono::microseconds budget) {
  auto start = std::chrono::steady_clock::now();
  size_t total_sampled = 0;
  size_t total_expired = 0;
  unsigned iteration = 0;
  bool timed_out = false;
  size_t n = dbs_.size();
  for (size_t j = 0; j < n && !timed_out; ++j) {
    Database& d = *dbs_[expire_next_db_ % n];
    ++expire_next_db_;
    size_t sampled = 0;
    size_t expired = 0;
    do {
      if (d.expires_count() == 0) {
        d.active_expire_round(now_ms, 0, &sampled, &expired);  // resets avg_ttl
        break;
      }
      sampled = 0;
      expired = 0;
      d.active_expire_round(now_ms, kExpireKeysPerLoop, &sampled, &expired);
      total_sampled += sampled;
      total_expired += expired;
      if ((++iteration & 0xf) == 0 && std::chrono::steady_clock::now() - start > budget) {
        timed_out = true;
        ++expired_time_cap_reached_;
        break;
      }
    } while (sampled == 0 || expired * 100 / sampled > kExpireAcceptableStalePercent);
  }
  double perc = total_sampled ? static_cast<double>(total_expired) / total_sampled : 0;
  expired_stale_perc_ = perc * 0.05 + expired_stale_perc_ * 0.95;
  return total_expired;
}

void Keyspace::rehash_idle(std::chrono::microseconds budget) {
  for (auto& d : dbs_) d->rehash_for(budget);
}

}  // namespace zakros::store
