#include "store/lazy_free.h"

#include "store/hash_object.h"
#include "store/list_object.h"
#include "store/set_object.h"
#include "store/stream.h"
#include "store/zset_object.h"

namespace zakros::store {

size_t free_effort(const Entry& e) {
  switch (e.type()) {
    case ValueType::kList:
      return static_cast<const ListObject*>(e.object())->node_count();
    case ValueType::kSet: {
      const auto* set = static_cast<const SetObject*>(e.object());
      return set->encoding() == Encoding::kHashtable ? set->size() : 1;
    }
    case ValueType::kZset: {
      const auto* zset = static_cast<const ZsetObject*>(e.object());
      return zset->encoding() == Encoding::kSkiplist ? zset->size() : 1;
    }
    case ValueType::kHash: {
      const auto* hash = static_cast<const HashObject*>(e.object());
      return hash->encoding() == Encoding::kHashtable ? hash->size() : 1;
    }
    case ValueType::kStream: {
      const auto* stream = static_cast<const StreamObject*>(e.object());
      size_t effort = stream->nodes().size();
      const auto& groups = stream->groups();
      // Redis takes the first group's PEL (in name order) as the estimate for every group.
      if (!groups.empty()) effort += groups.size() * (1 + groups.begin()->second->pel.size());
      return effort;
    }
    default:
      return 1;
  }
}

LazyFree::~LazyFree() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void LazyFree::submit(std::unique_ptr<Garbage> garbage) {
  if (garbage == nullptr) return;
  pending_ += garbage->objects();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(garbage));
    if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
  }
  cv_.notify_one();
}

void LazyFree::drain() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_cv_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void LazyFree::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stop_ and nothing left
    std::unique_ptr<Garbage> job = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    size_t n = job->objects();
    job.reset();  // frees it
    if (after_free_ != nullptr) after_free_();
    // Counted as freed before it stops being pending: whoever sees pending reach 0 (a test
    // polling INFO) then sees the freed count too.
    freed_ += n;
    pending_ -= n;
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
}

}  // namespace zakros::store
