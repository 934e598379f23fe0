// LazyFree: frees detached keyspace contents on a background thread (Redis's lazyfree bio job),
// so FLUSHDB ASYNC / FLUSHALL ASYNC return at once however many keys they drop.
//
// Only whole batches of entries that nothing else references are handed over; freeing touches
// no shared state but the allocator (thread-safe). The worker starts on the first submit and is
// joined when the LazyFree is destroyed, after it has freed everything queued.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/dict.h"
#include "store/entry.h"

namespace zakros::store {

// Keys taken out of a Database; destroying it frees every entry and its value.
class DetachedKeys {
 public:
  DetachedKeys(Dict<EntryTraits> dict, size_t count) : dict_(std::move(dict)), count_(count) {}
  ~DetachedKeys() {
    dict_.clear([](Entry* e) { Entry::destroy(e); });
  }
  size_t count() const { return count_; }

 private:
  Dict<EntryTraits> dict_;
  size_t count_;
};

class LazyFree {
 public:
  LazyFree() = default;
  LazyFree(const LazyFree&) = delete;
  LazyFree& operator=(const LazyFree&) = delete;
  ~LazyFree();

  void submit(std::unique_ptr<DetachedKeys> keys);
  // Keys queued or being freed (INFO lazyfree_pending_objects).
  size_t pending() const { return pending_.load(); }
  // Blocks until everything submitted so far is freed (tests, shutdown).
  void drain();

 private:
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<std::unique_ptr<DetachedKeys>> queue_;
  std::atomic<size_t> pending_{0};
  bool stop_ = false;
  bool busy_ = false;
  std::thread worker_;
};

}  // namespace zakros::store
