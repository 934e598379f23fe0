// Database: one of the numbered keyspaces (SELECT n). Keys, values, TTLs, lazy and active expiry,
// SCAN, RANDOMKEY.
//
// Expiry (design.md, "Determinism"): a key whose expire_at <= now is logically absent. Every
// lookup takes a TimeContext; when it finds such a key it deletes it only if
// may_delete_expired is set (never on a follower applying the log) and reports the deletion to
// the KeyspaceObserver, which sends the 'expired' notification and invalidates WATCH.
//
// TTLs live inside the entry (entry.h). The keys that have one are also listed in a vector
// (each entry remembers its slot), so EXPIRES counts, random sampling and the active expiry
// cycle cost nothing per key without a TTL and 8 bytes per key with one; Redis spends a
// dictEntry (24-32 bytes) per TTL in its expires dict.
//
// Who calls it: command handlers (through CommandContext::db()), the server's timer (active
// expiry and idle rehashing, through Keyspace), persistence (iteration).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "store/dict.h"
#include "store/entry.h"
#include "store/lazy_free.h"

namespace zakros::store {

class Keyspace;

// The clock and permission a command executes with (built from commands::ExecContext).
struct TimeContext {
  int64_t now_ms = 0;
  bool may_delete_expired = true;
};

// TTL argument of the set_* functions.
inline constexpr int64_t kPersist = -1;  // the key has no TTL afterwards
inline constexpr int64_t kKeepTtl = -2;  // keep the TTL of the live key being replaced

// Lookup flags.
enum LookupFlag : unsigned {
  kLookupNoTouch = 1,  // do not update the LRU/LFU data (OBJECT, TYPE-like introspection)
};

class Database {
 public:
  using KeyDict = Dict<EntryTraits>;

  Database(int id, Keyspace* owner) : id_(id), owner_(owner) {}
  ~Database() { clear(); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  int id() const { return id_; }
  // Keys stored, including logically expired ones not yet deleted (as Redis's DBSIZE).
  size_t size() const { return dict_.size(); }
  size_t expires_count() const { return expires_.size(); }
  // Estimated average TTL in ms of keys with a TTL, maintained by the active expiry cycle
  // (INFO keyspace avg_ttl), 0 when unknown.
  int64_t avg_ttl() const { return avg_ttl_; }

  // --- lookups ------------------------------------------------------------------------------
  // The live entry for `key`, or null if absent or logically expired. Updates LRU/LFU data
  // unless kLookupNoTouch. The pointer is valid until the next call that modifies the database.
  Entry* find(std::string_view key, const TimeContext& tc, unsigned flags = 0);
  // The entry whatever its TTL; no touch, no deletion.
  Entry* find_raw(std::string_view key);
  // True when `e` is logically expired at tc.now_ms.
  static bool is_expired(const Entry* e, int64_t now_ms) {
    return e->has_expire() && e->expire_at() <= now_ms;
  }

  // --- writes that create or replace a key --------------------------------------------------
  // Each replaces whatever `key` holds (any type). A replaced entry that was logically expired
  // is reported to the observer first (when tc allows deletion), as Redis's lookupKeyWrite
  // would. `expire_at` is an absolute time in ms, kPersist or kKeepTtl. Returns the new entry.
  Entry* set_string(std::string_view key, std::string_view value, int64_t expire_at,
                    const TimeContext& tc);
  Entry* set_int(std::string_view key, int64_t value, int64_t expire_at, const TimeContext& tc);
  // "embstr"/"raw" without trying the "int" encoding (Redis's createStringObject).
  Entry* set_plain_string(std::string_view key, std::string_view value, int64_t expire_at,
                          const TimeContext& tc);
  Entry* set_raw(std::string_view key, std::string value, int64_t expire_at, const TimeContext& tc);
  Entry* set_object(std::string_view key, std::unique_ptr<Object> value, int64_t expire_at,
                    const TimeContext& tc);

  // --- in-place value changes (the entry may move: use the returned pointer) ----------------
  // Makes a string entry "raw" and returns its heap string for APPEND/SETRANGE.
  std::string* make_raw(Entry*& e);
  // Stores an integer in a string entry ("int" encoding), in place when it already is one.
  void set_int_value(Entry*& e, int64_t value);

  // --- deletion -----------------------------------------------------------------------------
  // Deletes `key` whatever its TTL. True if it was stored. The value is freed as Redis's
  // dbDelete frees it: lazily (lazy_free.h) under lazyfree-lazy-server-del.
  bool erase(std::string_view key);
  // The same with the freeing chosen by the caller: `lazy` for UNLINK, DEL under
  // lazyfree-lazy-user-del, deletions of expired keys under lazyfree-lazy-expire.
  bool erase(std::string_view key, bool lazy);
  // Deletes an entry obtained from this database.
  void erase(Entry* e) { erase(e->key()); }
  void erase(Entry* e, bool lazy) { erase(e->key(), lazy); }
  // Removes every key (FLUSHDB).
  void clear();
  // Removes every key without freeing them: the caller frees the result, e.g. on the LazyFree
  // thread (FLUSHDB ASYNC). Null when the database is empty.
  std::unique_ptr<DetachedKeys> detach_all();

  // --- TTL ----------------------------------------------------------------------------------
  // Sets an absolute expire time; `e` may move.
  void set_expire(Entry*& e, int64_t expire_at);
  // Removes the TTL; true if there was one. `e` may move.
  bool persist(Entry*& e);

  // --- moving keys between databases and names ----------------------------------------------
  // Unlinks the entry of `key` (whatever its TTL) and returns it, TTL kept inside; null if
  // absent. The caller owns it until attach() or Entry::destroy().
  Entry* detach(std::string_view key);
  // Links a detached entry, replacing any stored entry with its key.
  void attach(Entry* e);
  // Renames a live entry of this database to `new_key`, replacing any entry stored under it;
  // the TTL moves with the value. Returns the renamed entry.
  Entry* rename(Entry* e, std::string_view new_key);

  // --- iteration ----------------------------------------------------------------------------
  // One SCAN step with Redis's cursor guarantee (dict.h). fn(Entry*) is called for every stored
  // entry of the visited buckets, expired or not: the caller filters (and must not modify the
  // database inside fn).
  template <class Fn>
  uint64_t scan(uint64_t cursor, Fn&& fn) {
    return dict_.scan(cursor, fn);
  }
  template <class Fn>
  void for_each(Fn&& fn) const {
    dict_.for_each(fn);
  }
  // A random live key (RANDOMKEY), or null. Expired keys met on the way are deleted when
  // allowed. `rng` is a splitmix64 state (seed it from ExecContext::seed).
  Entry* random_entry(uint64_t& rng, const TimeContext& tc);

  // --- maintenance (server timer) -----------------------------------------------------------
  // One round of active expiry sampling: looks at up to `samples` keys with a TTL and deletes
  // the expired ones. Adds to *sampled / *expired; updates the avg_ttl estimate.
  void active_expire_round(int64_t now_ms, size_t samples, size_t* sampled, size_t* expired);
  // The same walk for a Raft leader, which may not delete on its own (design.md, "Expiry"):
  // looks at up to `samples` keys with a TTL from the round-robin cursor and appends the names of
  // those expired at `now_ms` to *out, deleting nothing. Returns how many were looked at.
  size_t collect_expired(int64_t now_ms, size_t samples, std::vector<std::string>* out);
  // Incremental rehashing with a time budget. True if there was rehashing to do.
  bool rehash_for(std::chrono::microseconds budget);
  bool rehashing() const { return dict_.rehashing(); }
  size_t bucket_count() const { return dict_.bucket_count(); }
  // DEBUG HTSTATS: table 0 (main) or 1 (rehash target).
  DictTableStats table_stats(int table) const { return dict_.table_stats(table); }

  // Swaps the contents (keys, TTLs, stats) with another database; ids stay (SWAPDB).
  void swap_contents(Database& other);

  // The LRU/LFU stamp a new or touched key gets (depends on the keyspace's eviction policy).
  uint32_t new_lru(int64_t now_ms) const;

 private:
  // Replaces or inserts `fresh` under its key; handles TTL bookkeeping and the expired report.
  Entry* store(Entry* fresh, int64_t expire_at, const TimeContext& tc);
  void touch(Entry* e, int64_t now_ms);
  void add_expire_slot(Entry* e);
  void remove_expire_slot(Entry* e);
  // Deletes a logically expired entry and reports it.
  void delete_expired(Entry* e);
  // Rebuilds `e`'s block with or without the TTL section, relinked in place; returns it.
  Entry* relocate(Entry* e, bool with_expire);

  int id_;
  Keyspace* owner_;
  KeyDict dict_;
  std::vector<Entry*> expires_;
  size_t expire_cursor_ = 0;
  int64_t avg_ttl_ = 0;
};

}  // namespace zakros::store
