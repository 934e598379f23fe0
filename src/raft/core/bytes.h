// Bytes: the immutable, shared payload of a log entry.
//
// One proposal travels through the leader's log, the Ready handed to the caller for persistence,
// one AppendEntries message per follower, each follower's log and every apply path. Copying a
// std::string at each of those steps would cost one heap allocation per copy; Bytes shares one
// buffer (a small header with an atomic reference count followed by the bytes), so a proposal
// costs exactly one allocation however many copies the core makes. The count is atomic because
// the caller may hand entries to a log-writer thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace zakros::raft {

class Bytes {
 public:
  Bytes() noexcept = default;
  explicit Bytes(std::string_view s);
  Bytes(const Bytes& other) noexcept : rep_(other.rep_) {
    if (rep_ != nullptr) rep_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  Bytes(Bytes&& other) noexcept : rep_(std::exchange(other.rep_, nullptr)) {}
  Bytes& operator=(const Bytes& other) noexcept {
    Bytes copy(other);
    std::swap(rep_, copy.rep_);
    return *this;
  }
  Bytes& operator=(Bytes&& other) noexcept {
    Bytes moved(std::move(other));
    std::swap(rep_, moved.rep_);
    return *this;
  }
  ~Bytes() { release(); }

  std::string_view view() const noexcept {
    return rep_ == nullptr ? std::string_view() : std::string_view(rep_->bytes(), rep_->size);
  }
  const char* data() const noexcept { return rep_ == nullptr ? nullptr : rep_->bytes(); }
  std::size_t size() const noexcept { return rep_ == nullptr ? 0 : rep_->size; }
  bool empty() const noexcept { return size() == 0; }
  std::string str() const { return std::string(view()); }

  friend bool operator==(const Bytes& a, const Bytes& b) noexcept { return a.view() == b.view(); }

 private:
  struct Rep {
    std::atomic<std::uint32_t> refs;
    std::size_t size;
    char* bytes() noexcept { return reinterpret_cast<char*>(this + 1); }
  };
  void release() noexcept;

  Rep* rep_ = nullptr;
};

}  // namespace zakros::raft
