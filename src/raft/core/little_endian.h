// Little-endian fixed-width integers, the byte order of every zakros format (the log's records
// and headers, the hard state and snapshot metadata files, the peer messages). Written byte by
// byte so that the formats do not depend on the host; compilers turn each loop into one load or
// store on little-endian hosts, which matters on the write path (every log record and message).
#pragma once

#include <cstdint>
#include <string>

namespace zakros::raft {

inline void put_u32(std::string* out, std::uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 4);
}

inline void put_u64(std::string* out, std::uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(v >> (8 * i));
  out->append(b, 8);
}

inline std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

inline std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

}  // namespace zakros::raft
