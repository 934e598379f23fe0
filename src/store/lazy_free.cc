#include "store/lazy_free.h"

namespace zakros::store {

LazyFree::~LazyFree() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void LazyFree::submit(std::unique_ptr<DetachedKeys> keys) {
  if (keys == nullptr) return;
  pending_ += keys->count();
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(keys));
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
    std::unique_ptr<DetachedKeys> job = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    size_t n = job->count();
    job.reset();  // frees every entry
    pending_ -= n;
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_cv_.notify_all();
  }
}

}  // namespace zakros::store
