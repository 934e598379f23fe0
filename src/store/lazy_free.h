// LazyFree: frees values taken out of the keyspace on a background thread (Redis's lazyfree.c and
// its bio job), so that UNLINK of a big set or FLUSHDB ASYNC returns at once however much memory
// it drops.
//
// What goes there (Redis 7.0's rules, applied by Keyspace::dispose and Keyspace::flush_async):
//   - a single value whose free effort (free_effort() below: roughly its allocations) exceeds
//     kLazyFreeThreshold, when the deletion is a lazy one: UNLINK; DEL, GETDEL with
//     lazyfree-lazy-user-del; expiry with lazyfree-lazy-expire; overwrites and implicit deletions
//     with lazyfree-lazy-server-del. Smaller values are freed at once: handing them over costs
//     more.
//   - whole databases (FLUSHDB/FLUSHALL ASYNC, or without option under lazyfree-lazy-user-flush).
// Counting is Redis's: a single value is one object, a database as many objects as it had keys.
// pending() is INFO's lazyfree_pending_objects, freed() lazyfreed_objects (CONFIG RESETSTAT
// zeroes it).
//
// Only garbage that nothing else references is handed over; freeing touches no shared state but
// the allocator (thread-safe), so it never makes Raft replicas differ: it only decides when memory
// returns. The worker starts on the first submit and is joined when the LazyFree is destroyed,
// after it has freed everything queued.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "store/dict.h"
#include "store/entry.h"

namespace zakros::store {

// Redis's LAZYFREE_THRESHOLD: values that cost at most this much to free are freed at once.
inline constexpr size_t kLazyFreeThreshold = 64;

// Redis's lazyfreeGetFreeEffort: a number proportional to the allocations freeing `e`'s value
// takes. Lists count their quicklist nodes; hashtable sets and hashes and skiplist sorted sets
// their elements; streams their listpack nodes plus, per consumer group, one plus the first
// group's PEL size. Anything in one allocation (strings, listpack and intset encodings) is 1.
// Redis counts a stream's rax nodes where this counts listpacks: the rax has at least one node
// per listpack, so a stream near the threshold may be freed at once here and lazily in Redis.
size_t free_effort(const Entry& e);

// Something taken out of the keyspace that nothing references; destroying it frees it.
class Garbage {
 public:
  virtual ~Garbage() = default;
  // How many objects Redis counts for it in lazyfree_pending_objects / lazyfreed_objects.
  virtual size_t objects() const = 0;
};

// Keys taken out of a Database (FLUSHDB ASYNC): every entry and its value.
class DetachedKeys final : public Garbage {
 public:
  DetachedKeys(Dict<EntryTraits> dict, size_t count) : dict_(std::move(dict)), count_(count) {}
  ~DetachedKeys() override {
    dict_.clear([](Entry* e) { Entry::destroy(e); });
  }
  size_t objects() const override { return count_; }

 private:
  Dict<EntryTraits> dict_;
  size_t count_;
};

// One entry unlinked from its Database (UNLINK of a big value).
class DetachedEntry final : public Garbage {
 public:
  explicit DetachedEntry(Entry* entry) : entry_(entry) {}
  DetachedEntry(const DetachedEntry&) = delete;
  DetachedEntry& operator=(const DetachedEntry&) = delete;
  ~DetachedEntry() override { Entry::destroy(entry_); }
  size_t objects() const override { return 1; }

 private:
  Entry* entry_;
};

class LazyFree {
 public:
  LazyFree() = default;
  LazyFree(const LazyFree&) = delete;
  LazyFree& operator=(const LazyFree&) = delete;
  ~LazyFree();

  // Queues `garbage` for the worker (null: nothing). Called on the event-loop thread.
  void submit(std::unique_ptr<Garbage> garbage);
  // Objects queued or being freed (INFO lazyfree_pending_objects).
  size_t pending() const { return pending_.load(); }
  // Objects freed by the worker since the start or the last reset_freed() (INFO
  // lazyfreed_objects; CONFIG RESETSTAT).
  size_t freed() const { return freed_.load(); }
  void reset_freed() { freed_.store(0); }
  // Blocks until everything submitted so far is freed (tests, shutdown).
  void drain();
  // A function the worker thread calls after each job. The server passes one that returns the
  // thread's allocator cache (jemalloc's tcache), or the freed memory would stay counted in
  // INFO used_memory until the idle worker's cache happened to be flushed. Set it before the
  // first submit (the worker reads it without a lock).
  void set_after_free(void (*hook)()) { after_free_ = hook; }

 private:
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<std::unique_ptr<Garbage>> queue_;
  std::atomic<size_t> pending_{0};
  std::atomic<size_t> freed_{0};
  void (*after_free_)() = nullptr;
  bool stop_ = false;
  bool busy_ = false;
  std::thread worker_;
};

}  // namespace zakros::store
