#include "raft/core/bytes.h"

#include <cstring>
#include <new>

namespace zakros::raft {

Bytes::Bytes(std::string_view s) {
  // Empty payloads (no-ops, heartbeats) share the null representation: no allocation at all.
  if (s.empty()) return;
  void* mem = ::operator new(sizeof(Rep) + s.size());
  rep_ = new (mem) Rep{};
  rep_->refs.store(1, std::memory_order_relaxed);
  rep_->size = s.size();
  std::memcpy(rep_->bytes(), s.data(), s.size());
}

void Bytes::release() noexcept {
  if (rep_ == nullptr) return;
  if (rep_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    rep_->~Rep();
    ::operator delete(static_cast<void*>(rep_));
  }
  rep_ = nullptr;
}

}  // namespace zakros::raft
