// HyperLogLog in Redis 7.0's exact byte format (hyperloglog.c), so that a value written by
// redis-server (GET it there, SET it here) counts the same here, and the reverse. A HyperLogLog
// is an ordinary string value; these functions work on its bytes.
//
// Format (all of it is part of the compatibility contract):
//
//   offset 0   "HYLL"                magic
//   offset 4   uint8 encoding        0 = dense, 1 = sparse (anything else is invalid)
//   offset 5   3 unused bytes        zero
//   offset 8   uint64 cardinality    little endian cache of the last count; bit 7 of byte 15
//                                    set means "stale, recompute"
//   offset 16  registers
//
//   dense:  16384 registers of 6 bits, little-endian bit order inside bytes (register i starts
//           at bit 6*i, its low bits in the low bits of byte 6*i/8), 12288 bytes; total 12304.
//   sparse: run-length opcodes covering exactly 16384 registers:
//           00xxxxxx           ZERO   1..64 registers of value 0
//           01xxxxxx yyyyyyyy  XZERO  1..16384 registers of value 0 (14-bit length - 1)
//           1vvvvvxx           VAL    1..4 registers (xx + 1) of value 1..32 (vvvvv + 1)
//           An empty HyperLogLog is one XZERO:16384. A register that needs a value above 32,
//           or a sparse form that would grow past hll-sparse-max-bytes, turns it dense.
//
// Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the register,
// the position of the first 1 bit in the remaining 50 (+1) is the candidate register value.
// The count is Otmar Ertl's estimator ("New cardinality estimation algorithms for HyperLogLog
// sketches", arXiv:1702.01284), computed with the same floating-point operations as Redis so
// that every count is identical.
//
// Every function tolerates arbitrary bytes after a valid header (PFADD/PFCOUNT on corrupted or
// fuzzed values must report corruption, never crash); callers check is_valid() first.
//
// Who calls it: commands/hyperloglog.cc (PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zakros::store::hll {

inline constexpr int kP = 14;
inline constexpr int kQ = 64 - kP;
inline constexpr int kRegisters = 1 << kP;
inline constexpr int kRegisterMax = 63;
inline constexpr size_t kHeaderSize = 16;
inline constexpr size_t kDenseSize = kHeaderSize + (kRegisters * 6 + 7) / 8;
inline constexpr uint8_t kDense = 0;
inline constexpr uint8_t kSparse = 1;
inline constexpr int kSparseValMax = 32;

// hll-sparse-max-bytes: the largest sparse representation before it turns dense. The server
// sets it from its configuration (default 3000, Redis's).
extern int64_t g_sparse_max_bytes;

// Redis's MurmurHash64A (the 64-bit MurmurHash2, reading blocks little endian).
uint64_t murmurhash64a(const void* key, size_t len, uint64_t seed);

// hllPatLen: the register an element goes to and the value it proposes (1..51).
int pattern_length(std::string_view element, long* index);

// isHLLObjectOrReply's test: at least a header, magic "HYLL", encoding dense or sparse, and a
// dense value of exactly kDenseSize bytes. (Sparse bodies are checked as they are read.)
bool is_valid(std::string_view value);
uint8_t encoding(std::string_view value);

// An empty HyperLogLog, sparse (createHLLObject).
std::string create();

// hllAdd: adds one element. 1 if a register changed, 0 if not, -1 if the sparse body is
// corrupted. May turn a sparse value dense.
int add(std::string& hll, std::string_view element);
// Raises register `index` to `count` if it is lower (hllDenseSet / hllSparseSet); same results.
int set_register(std::string& hll, long index, uint8_t count);
// hllSparseToDense: false (value untouched) if the sparse body is corrupted. No-op when dense.
bool to_dense(std::string& hll);

// hllMerge: max[i] = max(max[i], register i) for the kRegisters bytes of `max`. False if the
// sparse body is corrupted.
bool merge_into(uint8_t* max, std::string_view hll);

// hllCount over a value; *invalid set (if given) when a sparse body is corrupted.
uint64_t count(std::string_view hll, bool* invalid);
// hllCount over kRegisters plain byte registers (PFCOUNT of several keys).
uint64_t count_registers(const uint8_t* registers);

// The cardinality cache in the header.
bool cache_valid(std::string_view hll);
uint64_t cached_count(std::string_view hll);
void set_cache(std::string& hll, uint64_t card);
void invalidate_cache(std::string& hll);

// Dense register access (registers start at offset kHeaderSize of a dense value).
uint8_t dense_get(const uint8_t* registers, long index);
void dense_set(uint8_t* registers, long index, uint8_t value);

// PFDEBUG DECODE's text of a sparse body: "z:N", "Z:N", "v:value,len" separated by spaces.
std::string decode_sparse(std::string_view hll);

}  // namespace zakros::store::hll
