#include "server/replication/replicated_entry.h"

#include <cstring>

namespace zakros::server {

namespace {

constexpr uint8_t kVersion = 1;

template <class T>
void put(std::string& out, T value) {
  char buf[sizeof(T)];
  std::memcpy(buf, &value, sizeof(T));  // little-endian hosts only (x86-64, arm64)
  out.append(buf, sizeof(T));
}

void put_bytes(std::string& out, std::string_view s) {
  put<uint32_t>(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

// Bounds-checked reader over the entry bytes.
struct Reader {
  std::string_view in;
  bool ok = true;

  template <class T>
  T get() {
    T value{};
    if (in.size() < sizeof(T)) {
      ok = false;
      return value;
    }
    std::memcpy(&value, in.data(), sizeof(T));
    in.remove_prefix(sizeof(T));
    return value;
  }
  std::string_view bytes() {
    uint32_t len = get<uint32_t>();
    if (!ok || in.size() < len) {
      ok = false;
      return {};
    }
    std::string_view s = in.substr(0, len);
    in.remove_prefix(len);
    return s;
  }
};

}  // namespace

std::string ReplicatedEntry::encode() const {
  std::string out;
  size_t size = 40;
  for (const auto& cmd : commands) {
    for (const auto& arg : cmd) size += arg.size() + 4;
  }
  out.reserve(size);
  put<uint8_t>(out, kVersion);
  put<uint8_t>(out, static_cast<uint8_t>(kind));
  put<int32_t>(out, db);
  put<uint8_t>(out, protocol);
  put<int64_t>(out, now_ms);
  put<uint64_t>(out, seed);
  put<uint64_t>(out, watch_index);
  put<uint32_t>(out, static_cast<uint32_t>(watched.size()));
  for (const auto& [wdb, key] : watched) {
    put<int32_t>(out, wdb);
    put_bytes(out, key);
  }
  put<uint32_t>(out, static_cast<uint32_t>(commands.size()));
  for (const auto& cmd : commands) {
    put<uint32_t>(out, static_cast<uint32_t>(cmd.size()));
    for (const auto& arg : cmd) put_bytes(out, arg);
  }
  put_bytes(out, woken_key);
  return out;
}

bool ReplicatedEntry::decode(std::string_view bytes, ReplicatedEntry* out) {
  Reader r{bytes};
  if (r.get<uint8_t>() != kVersion || !r.ok) return false;
  uint8_t kind = r.get<uint8_t>();
  if (kind < 1 || kind > 4) return false;
  out->kind = static_cast<Kind>(kind);
  out->db = r.get<int32_t>();
  out->protocol = r.get<uint8_t>();
  out->now_ms = r.get<int64_t>();
  out->seed = r.get<uint64_t>();
  out->watch_index = r.get<uint64_t>();
  uint32_t nwatched = r.get<uint32_t>();
  if (!r.ok || nwatched > r.in.size()) return false;
  // resize() and assign() reuse what `out` already holds: a caller decoding every entry into
  // the same ReplicatedEntry allocates nothing for commands of a familiar shape.
  out->watched.resize(nwatched);
  for (uint32_t i = 0; i < nwatched && r.ok; ++i) {
    out->watched[i].first = r.get<int32_t>();
    out->watched[i].second.assign(r.bytes());
  }
  uint32_t ncommands = r.get<uint32_t>();
  if (!r.ok || ncommands > r.in.size()) return false;
  out->commands.resize(ncommands);
  for (uint32_t i = 0; i < ncommands && r.ok; ++i) {
    uint32_t argc = r.get<uint32_t>();
    if (!r.ok || argc > r.in.size() / 4) return false;
    std::vector<std::string>& argv = out->commands[i];
    argv.resize(argc);
    for (uint32_t j = 0; j < argc && r.ok; ++j) argv[j].assign(r.bytes());
  }
  out->woken_key.assign(r.bytes());
  return r.ok && r.in.empty();
}

}  // namespace zakros::server
