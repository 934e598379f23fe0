#include "raft/transport/codec.h"

#include <memory>

#include "raft/core/little_endian.h"

namespace zakros::raft {

namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kReject = 1;
constexpr std::uint8_t kForce = 2;
constexpr std::uint8_t kHasSnapshot = 4;

void put_u8(std::string* out, std::uint8_t v) {
  out->push_back(static_cast<char>(v));
}
void put_bytes(std::string* out, std::string_view b) {
  put_u32(out, static_cast<std::uint32_t>(b.size()));
  out->append(b);
}

class Reader {
 public:
  explicit Reader(std::string_view* in) : in_(in) {}
  bool u8(std::uint8_t* v) {
    if (in_->empty()) return false;
    *v = static_cast<std::uint8_t>((*in_)[0]);
    in_->remove_prefix(1);
    return true;
  }
  bool u32(std::uint32_t* v) { return fixed(v, 4); }
  bool u64(std::uint64_t* v) { return fixed(v, 8); }
  bool bytes(std::string_view* v) {
    std::uint32_t n = 0;
    if (!u32(&n) || in_->size() < n) return false;
    *v = in_->substr(0, n);
    in_->remove_prefix(n);
    return true;
  }

 private:
  template <typename T>
  bool fixed(T* v, int n) {
    if (in_->size() < static_cast<std::size_t>(n)) return false;
    *v = 0;
    for (int i = 0; i < n; ++i) *v |= T(static_cast<unsigned char>((*in_)[i])) << (8 * i);
    in_->remove_prefix(n);
    return true;
  }
  std::string_view* in_;
};

}  // namespace

void encode_entry(const Entry& e, std::string* out) {
  put_u64(out, e.term);
  put_u64(out, e.index);
  put_u8(out, static_cast<std::uint8_t>(e.type));
  put_bytes(out, e.data.view());
}

bool decode_entry(std::string_view* in, Entry* e) {
  Reader r(in);
  std::uint8_t type = 0;
  std::string_view data;
  if (!r.u64(&e->term) || !r.u64(&e->index) || !r.u8(&type) || !r.bytes(&data)) return false;
  if (type > static_cast<std::uint8_t>(EntryType::kConfChange)) return false;
  e->type = static_cast<EntryType>(type);
  e->data = Bytes(data);
  return true;
}

std::string encode_hard_state(const HardState& hs) {
  std::string out;
  put_u64(&out, hs.term);
  put_u64(&out, hs.vote);
  put_u64(&out, hs.commit);
  return out;
}

bool decode_hard_state(std::string_view in, HardState* hs) {
  Reader r(&in);
  return r.u64(&hs->term) && r.u64(&hs->vote) && r.u64(&hs->commit) && in.empty();
}

void encode_message(const Message& m, std::string* out) {
  put_u8(out, kVersion);
  put_u8(out, static_cast<std::uint8_t>(m.type));
  for (std::uint64_t v :
       {m.from, m.to, m.term, m.log_term, m.index, m.commit, m.reject_hint, m.context}) {
    put_u64(out, v);
  }
  put_u8(out, static_cast<std::uint8_t>((m.reject ? kReject : 0) | (m.force ? kForce : 0) |
                                        (m.snapshot ? kHasSnapshot : 0)));
  put_u32(out, static_cast<std::uint32_t>(m.entries.size()));
  for (const auto& e : m.entries) encode_entry(e, out);
  if (m.snapshot) {
    put_u64(out, m.snapshot->meta.index);
    put_u64(out, m.snapshot->meta.term);
    put_bytes(out, m.snapshot->meta.conf.encode());
    put_bytes(out, m.snapshot->data.view());
  }
}

bool decode_message(std::string_view in, Message* m) {
  Reader r(&in);
  std::uint8_t version = 0, type = 0, flags = 0;
  if (!r.u8(&version) || version != kVersion || !r.u8(&type)) return false;
  if (type > static_cast<std::uint8_t>(MessageType::kTransferLeader)) return false;
  m->type = static_cast<MessageType>(type);
  for (std::uint64_t* v : {&m->from, &m->to, &m->term, &m->log_term, &m->index, &m->commit,
                           &m->reject_hint, &m->context}) {
    if (!r.u64(v)) return false;
  }
  std::uint32_t count = 0;
  if (!r.u8(&flags) || !r.u32(&count)) return false;
  m->reject = flags & kReject;
  m->force = flags & kForce;
  // Each entry takes at least 21 bytes: reject absurd counts before reserving anything.
  if (count > in.size() / 21) return false;
  m->entries.clear();
  m->entries.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    Entry e;
    if (!decode_entry(&in, &e)) return false;
    m->entries.push_back(std::move(e));
  }
  m->snapshot.reset();
  if (flags & kHasSnapshot) {
    auto snap = std::make_shared<Snapshot>();
    std::string_view conf, data;
    if (!r.u64(&snap->meta.index) || !r.u64(&snap->meta.term) || !r.bytes(&conf) ||
        !r.bytes(&data)) {
      return false;
    }
    auto cs = ConfState::decode(conf);
    if (!cs) return false;
    snap->meta.conf = std::move(*cs);
    snap->data = Bytes(data);
    m->snapshot = std::move(snap);
  }
  return in.empty();
}

}  // namespace zakros::raft
