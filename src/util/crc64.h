// CRC-64 as Redis computes it (crc64.c): the "Jones" polynomial 0xad93d23594c935a9, reflected
// input and output, no final xor. Redis appends it (little-endian) to DUMP payloads and to RDB
// files, so RESTORE, redis-check-rdb and real Redis accept only payloads carrying exactly this.
// crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca.
//
// Who calls it: the RDB writer/reader and DUMP/RESTORE in store/.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zakros::util {

// Continues a running CRC: pass 0 to start, then the previous result to extend it over more
// bytes (crc64(crc64(0, a, n), b, m) == crc64 of a followed by b).
uint64_t crc64(uint64_t crc, const void* data, size_t len);

}  // namespace zakros::util
