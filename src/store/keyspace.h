// Keyspace: the numbered databases (16 by default), the observer of expirations, the eviction
// policy's LRU/LFU clock rules, and the timer-driven maintenance (active expiry, rehashing).
//
// Who calls it: the server builds one at start-up (its `databases` option) and hands it to every
// CommandContext; command handlers reach a database through db(index); the server's timer calls
// active_expire_cycle and rehash_idle (Redis's serverCron -> databasesCron).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/encoding_limits.h"

namespace zakros::store {

// Told about every key deleted because it expired, lazily (a lookup met it) or actively (the
// expiry cycle). The server implements it: 'expired' keyspace notification, WATCH invalidation.
class KeyspaceObserver {
 public:
  virtual ~KeyspaceObserver() = default;
  // Called after the key is unlinked, before its memory is freed.
  virtual void on_key_expired(int db, std::string_view key) = 0;
  // A key was created where no live key was (Redis's dbAdd: the 'new' notification, sent before
  // the command's own event). Also called for the destination of RENAME, MOVE and COPY.
  virtual void on_key_added(int db, std::string_view key) {
    (void)db;
    (void)key;
  }
};

// Which deletions free big values on the lazy-free thread (lazy_free.h): Redis's
// lazyfree-lazy-* options, kept in step with the configuration by the server. UNLINK and
// FLUSH* ASYNC are lazy whatever these say. (lazyfree-lazy-eviction has no counterpart: nothing
// evicts keys yet.)
struct LazyFreePolicy {
  bool user_del = false;    // DEL and GETDEL behave as UNLINK
  bool server_del = false;  // overwrites and implicit deletions (SET over a big set, RENAME ...)
  bool expire = false;      // keys deleted because they expired
  bool user_flush = false;  // FLUSHDB/FLUSHALL without SYNC or ASYNC behave as ASYNC
};

class Keyspace {
 public:
  // Redis 7.0's activeExpireCycle constants (expire.c), effort 1.
  static constexpr size_t kExpireKeysPerLoop = 20;
  static constexpr size_t kExpireAcceptableStalePercent = 10;
  // Redis's LRU clock: 24 bits of seconds.
  static constexpr uint32_t kLruClockMax = (1u << 24) - 1;
  static constexpr uint32_t kLfuInitVal = 5;

  explicit Keyspace(int databases = 16);
  Keyspace(const Keyspace&) = delete;
  Keyspace& operator=(const Keyspace&) = delete;

  // The database `index` (0 <= index < count(); the caller validates SELECT's argument).
  Database& db(int index) { return *dbs_[static_cast<size_t>(index)]; }
  const Database& db(int index) const { return *dbs_[static_cast<size_t>(index)]; }
  int count() const { return static_cast<int>(dbs_.size()); }

  // SWAPDB: exchanges the contents of two databases.
  void swap(int a, int b);
  // FLUSHALL.
  void flush_all();
  // FLUSHDB ASYNC / FLUSHALL ASYNC (index -1): the keys vanish at once and are freed on the
  // lazy-free thread.
  void flush_async(int index);
  LazyFree& lazy_free() { return lazy_free_; }
  const LazyFree& lazy_free() const { return lazy_free_; }
  const LazyFreePolicy& lazy_free_policy() const { return lazy_policy_; }
  void set_lazy_free_policy(const LazyFreePolicy& policy) { lazy_policy_ = policy; }
  // Frees an entry taken out of a database (Redis's freeObjAsync when `lazy`): on the lazy-free
  // thread if `lazy` and its free effort exceeds kLazyFreeThreshold, else now.
  void dispose(Entry* e, bool lazy);
  size_t total_keys() const;

  // INFO keyspace: "db0:keys=1,expires=0,avg_ttl=0".
  struct DbStats {
    size_t keys = 0;
    size_t expires = 0;
    int64_t avg_ttl = 0;
  };
  DbStats stats(int index) const;

  void set_observer(KeyspaceObserver* observer) { observer_ = observer; }

  // --- LRU / LFU (maxmemory-policy) ---------------------------------------------------------
  // True when the eviction policy is an LFU one: entries then hold Redis's LFU data (16 bits of
  // minutes, 8 bits of logarithmic counter) instead of the LRU clock.
  bool lfu() const { return lfu_; }
  void set_lfu(bool lfu) { lfu_ = lfu; }
  // Redis shares the objects of the integers 0..9999 (OBJECT REFCOUNT 2147483647) unless
  // maxmemory is set with an LRU or LFU policy; the server keeps this flag in step.
  // Compact-encoding thresholds (hash-max-listpack-entries ...), kept in step with the config.
  const EncodingLimits& limits() const { return limits_; }
  void set_limits(const EncodingLimits& limits) { limits_ = limits; }

  bool shared_integers() const { return shared_integers_; }
  void set_shared_integers(bool shared) { shared_integers_ = shared; }
  void set_lfu_log_factor(int f) { lfu_log_factor_ = f; }
  void set_lfu_decay_time(int minutes) { lfu_decay_time_ = minutes; }
  // The stamp of a new key.
  uint32_t initial_lru(int64_t now_ms) const;
  // An access: refreshes the LRU clock, or decays and log-increments the LFU counter.
  uint32_t touched_lru(uint32_t lru, int64_t now_ms);
  // OBJECT IDLETIME (milliseconds; meaningful when !lfu()).
  uint64_t idle_ms(const Entry& e, int64_t now_ms) const;
  // OBJECT FREQ: the decayed LFU counter (meaningful when lfu()).
  uint32_t lfu_frequency(const Entry& e, int64_t now_ms) const;

  // --- maintenance --------------------------------------------------------------------------
  // Redis's slow activeExpireCycle: visits the databases round-robin, sampling keys with a TTL
  // and deleting the expired ones, repeating on a database while more than 10% of a sample was
  // expired, until `budget` is used (checked every 16 rounds). Returns the keys deleted.
  // Call it only where deleting is allowed (leader or volatile node).
  size_t active_expire_cycle(int64_t now_ms, std::chrono::microseconds budget);
  // Same, with the budget in microseconds and `on_expired(db, key)` called for each key the
  // cycle deletes (in addition to the observer).
  template <class Fn>
  size_t active_expire_cycle(int64_t now_ms, int64_t budget_us, Fn&& on_expired) {
    ExpiredCallback cb(on_expired);
    cycle_callback_ = &cb;
    size_t n = active_expire_cycle(now_ms, std::chrono::microseconds(budget_us));
    cycle_callback_ = nullptr;
    return n;
  }
  // Spends up to `budget` (per database) on incremental rehashing; Redis does 1 ms per cron.
  void rehash_idle(std::chrono::microseconds budget);
  void rehash_step(int64_t budget_us) { rehash_idle(std::chrono::microseconds(budget_us)); }

  // --- statistics (INFO stats) --------------------------------------------------------------
  uint64_t expired_keys() const { return expired_keys_; }
  double expired_stale_perc() const { return expired_stale_perc_; }
  uint64_t expired_time_cap_reached_count() const { return expired_time_cap_reached_; }
  // INFO keyspace_hits / keyspace_misses: counted by the commands' read lookups.
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  void reset_stats() {
    keyspace_hits = 0;
    keyspace_misses = 0;
    expired_keys_ = 0;
    expired_stale_perc_ = 0;
    expired_time_cap_reached_ = 0;
    lazy_free_.reset_freed();
  }

  // For Database: reports an expired key's deletion / a new key.
  void note_expired(int db, std::string_view key);
  void note_added(int db, std::string_view key) {
    if (observer_ != nullptr) observer_->on_key_added(db, key);
  }

 private:
  // Type-erased view of the per-call callback of the templated active_expire_cycle.
  class ExpiredCallback {
   public:
    template <class Fn>
    explicit ExpiredCallback(Fn& fn)
        : obj_(&fn),
          call_([](void* o, int db, std::string_view key) { (*static_cast<Fn*>(o))(db, key); }) {}
    void operator()(int db, std::string_view key) const { call_(obj_, db, key); }

   private:
    void* obj_;
    void (*call_)(void*, int, std::string_view);
  };

  // Declared first so it is destroyed last: it may still be freeing detached keys.
  LazyFree lazy_free_;
  LazyFreePolicy lazy_policy_;
  std::vector<std::unique_ptr<Database>> dbs_;
  const ExpiredCallback* cycle_callback_ = nullptr;
  KeyspaceObserver* observer_ = nullptr;
  bool lfu_ = false;
  EncodingLimits limits_;
  bool shared_integers_ = true;
  int lfu_log_factor_ = 10;
  int lfu_decay_time_ = 1;
  uint64_t lfu_rng_ = 0x2545f4914f6cdd1dull;  // LFU's probabilistic increment (local effect only)
  size_t expire_next_db_ = 0;
  uint64_t expired_keys_ = 0;
  double expired_stale_perc_ = 0;
  uint64_t expired_time_cap_reached_ = 0;
};

}  // namespace zakros::store
