// RDB: Redis 7.0's serialisation format (RDB version 10), for DUMP/RESTORE payloads and for
// whole-dataset snapshot files (design.md, "Storage on disk": snapshots are RDB files that
// redis-check-rdb accepts and real Redis loads).
//
// Three levels, each usable on its own:
//   1. Primitives: RdbWriter / RdbReader (lengths, strings, doubles, times), over a byte sink or
//      source. The stream type (rdb_stream.cc) and every value type are written with them.
//   2. Values: save_value / load_value, one key's value under its RDB type byte (rdb_value.cc).
//      DUMP payloads: dump_payload / restore_payload.
//   3. Files: write_rdb / load_rdb, a whole Keyspace (rdb_file.cc).
//
// ---- Primitive encodings (all as Redis's rdb.c) ------------------------------------------------
// Length:   00xxxxxx                          6-bit length
//           01xxxxxx yyyyyyyy                 14-bit length (big-endian)
//           10000000 <u32 big-endian>         32-bit length
//           10000001 <u64 big-endian>         64-bit length
//           11xxxxxx                          "special encoding" of a string, xxxxxx below
// String:   <length> <bytes>, or one of the special encodings:
//           11000000 <i8>  11000001 <i16 LE>  11000010 <i32 LE>   the string is that integer's
//                                                                 canonical decimal form
//           11000011 <compressed-len> <original-len> <LZF data>   (liblzf)
//           The writer uses an integer form for canonical integers of up to 11 characters that
//           fit in 32 bits, and LZF for strings longer than 20 bytes when it saves >= 4 bytes
//           (rdbSaveRawString).
// Double:   binary: 8 bytes, IEEE 754 little-endian (ZSET_2 scores).
//           text (old ZSET type 3 only): <u8 len> <ascii>; 253 = NaN, 254 = +inf, 255 = -inf.
// Millis:   8 bytes little-endian (EXPIRETIME_MS). Seconds (old EXPIRETIME): 4 bytes LE.
//
// ---- Value types written (RDB_TYPE_*, rdb.h of Redis) -----------------------------------------
//   string 0 | list: QUICKLIST_2 18 | set: SET 2, SET_INTSET 11 | zset: ZSET_2 5, ZSET_LISTPACK 17
//   hash: HASH 4, HASH_LISTPACK 16 | stream: STREAM_LISTPACKS_2 19
// Read also: LIST 1, ZSET 3, HASH_ZIPMAP 9, LIST_ZIPLIST 10, ZSET_ZIPLIST 12,
//   HASH_ZIPLIST 13, LIST_QUICKLIST 14 (ziplist and zipmap blobs are converted), STREAM_LISTPACKS
//   15 (passed to load_stream). Modules (6, 7) are rejected.
//
// ---- DUMP payload ------------------------------------------------------------------------------
//   <type byte> <value> <RDB version: u16 LE = 10> <CRC64 (util/crc64.h) LE of all before it>
//
// ---- File --------------------------------------------------------------------------------------
//   "REDIS0010" { 0xFA aux-name aux-value }* { 0xFE db-number 0xFB db-size expires-size
//   { [0xFC expire-ms] type key value }* }* 0xFF <CRC64 LE of everything before it>
//   Loading also accepts RDB versions 1-9, old EXPIRETIME (seconds), IDLE/FREQ (ignored: keys
//   get a fresh LRU/LFU stamp) and FUNCTION2 (skipped: zakros has no functions); it skips empty
//   collections as Redis does and refuses module data.
//
// Untrusted bytes (RESTORE, files) never crash the reader: every length is checked against what
// is left, every listpack/intset/ziplist blob is validated deeply before it is adopted, and any
// failure leaves the reader in a sticky error state (ok() false, error() says why).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/encoding_limits.h"
#include "store/object.h"

namespace zakros::store {

class Entry;
class Keyspace;
class Database;
struct TimeContext;

namespace rdb {

inline constexpr int kVersion = 10;

// RDB_TYPE_*: the byte before each value.
enum Type : uint8_t {
  kTypeString = 0,
  kTypeList = 1,
  kTypeSet = 2,
  kTypeZset = 3,
  kTypeHash = 4,
  kTypeZset2 = 5,
  kTypeModule = 6,
  kTypeModule2 = 7,
  kTypeHashZipmap = 9,
  kTypeListZiplist = 10,
  kTypeSetIntset = 11,
  kTypeZsetZiplist = 12,
  kTypeHashZiplist = 13,
  kTypeListQuicklist = 14,
  kTypeStreamListpacks = 15,
  kTypeHashListpack = 16,
  kTypeZsetListpack = 17,
  kTypeListQuicklist2 = 18,
  kTypeStreamListpacks2 = 19,
};
// True for the bytes rdbIsObjectType accepts (0-7 and 9-19).
bool is_value_type(uint8_t type);

// RDB_OPCODE_*: file-level markers that take a type byte's place.
enum Opcode : uint8_t {
  kOpFunction2 = 245,
  kOpFunction = 246,
  kOpModuleAux = 247,
  kOpIdle = 248,
  kOpFreq = 249,
  kOpAux = 250,
  kOpResizeDb = 251,
  kOpExpireTimeMs = 252,
  kOpExpireTime = 253,
  kOpSelectDb = 254,
  kOpEof = 255,
};

// Quicklist-2 node containers (RDB_TYPE_LIST_QUICKLIST_2: <container> <blob> per node).
inline constexpr uint64_t kQuicklistNodePlain = 1;   // the blob is one element
inline constexpr uint64_t kQuicklistNodePacked = 2;  // the blob is a listpack

// ================================================================================================
// Sinks and sources
// ================================================================================================

// Where an RdbWriter's bytes go. write() returns false on failure (the writer stops writing).
class RdbSink {
 public:
  virtual ~RdbSink() = default;
  virtual bool write(const char* data, size_t len) = 0;
};

// Appends to a std::string (DUMP payloads, tests).
class StringSink : public RdbSink {
 public:
  explicit StringSink(std::string* out) : out_(out) {}
  bool write(const char* data, size_t len) override {
    out_->append(data, len);
    return true;
  }

 private:
  std::string* out_;
};

// write(2) to a file descriptor, retrying short writes and EINTR; no locks, no logging, so a
// fork()ed snapshot child may use it. The caller opens, fsyncs and closes the descriptor.
class FdSink : public RdbSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  bool write(const char* data, size_t len) override;
  int saved_errno() const { return errno_; }

 private:
  int fd_;
  int errno_ = 0;
};

// Where an RdbReader's bytes come from. read() fills up to `len` bytes and returns how many
// (0 = end of input or error).
class RdbSource {
 public:
  virtual ~RdbSource() = default;
  virtual size_t read(char* buf, size_t len) = 0;
  // Bytes left, when known (a length larger than this is corrupt); SIZE_MAX when unknown.
  virtual uint64_t remaining() const { return UINT64_MAX; }
};

// read(2) from a file descriptor (snapshot loading). `size` is the file size when known.
class FdSource : public RdbSource {
 public:
  explicit FdSource(int fd, uint64_t size = UINT64_MAX) : fd_(fd), left_(size) {}
  size_t read(char* buf, size_t len) override;
  uint64_t remaining() const override { return left_; }

 private:
  int fd_;
  uint64_t left_;
};

// ================================================================================================
// RdbWriter
// ================================================================================================

// Buffers bytes (64 KB) and hands them to the sink; keeps the running CRC64 of everything
// written. After a sink failure every call is a no-op and ok() is false.
class RdbWriter {
 public:
  explicit RdbWriter(RdbSink& sink, bool compress = true);
  ~RdbWriter();  // does not flush: call flush() and check ok()
  RdbWriter(const RdbWriter&) = delete;
  RdbWriter& operator=(const RdbWriter&) = delete;

  void write_raw(const void* data, size_t len);
  void write_u8(uint8_t v) { write_raw(&v, 1); }
  void write_type(uint8_t type) { write_u8(type); }
  void write_len(uint64_t len);
  // A string with the integer / LZF special encodings where they apply (see the file comment).
  void write_string(std::string_view s);
  // An integer as a string (rdbSaveLongLongAsStringObject): special encoding when it fits in 32
  // bits, else its decimal text.
  void write_int_string(int64_t v);
  // A string without trying the integer form (blobs: listpacks, intsets); LZF still applies.
  void write_blob(std::string_view s);
  void write_binary_double(double v);
  void write_millis(int64_t ms);
  // Old text double (ZSET type 3 only; never written by Redis 7, kept for tests).
  void write_text_double(double v);

  // Marks the output unusable (a value that cannot be serialised); ok() becomes false.
  void fail() { ok_ = false; }
  // Sends buffered bytes to the sink. Returns ok().
  bool flush();
  bool ok() const { return ok_; }
  // CRC64 of every byte written so far (buffered or flushed).
  uint64_t crc() const;
  uint64_t bytes_written() const { return flushed_ + buf_.size(); }

 private:
  void write_lzf(std::string_view s, const char* compressed, size_t clen);

  RdbSink& sink_;
  bool compress_;
  bool ok_ = true;
  std::string buf_;
  uint64_t crc_flushed_ = 0;  // CRC of the bytes already given to the sink
  uint64_t flushed_ = 0;
};

// ================================================================================================
// RdbReader
// ================================================================================================

// Reads primitives from a source or from memory; keeps the running CRC64 of bytes consumed.
// The first failure is sticky: later reads return empty/zero values and ok() stays false.
class RdbReader {
 public:
  // Reads from memory (DUMP payloads); `data` must outlive the reader.
  explicit RdbReader(std::string_view data);
  // Reads from a source through a 64 KB buffer.
  explicit RdbReader(RdbSource& source);
  RdbReader(const RdbReader&) = delete;
  RdbReader& operator=(const RdbReader&) = delete;

  bool ok() const { return ok_; }
  const std::string& error() const { return error_; }
  // Records a failure (the first message wins) and returns false, for `return r.fail("...")`.
  bool fail(std::string_view why);

  uint8_t read_u8();
  // Reads `len` raw bytes into *out (replacing its contents).
  bool read_raw(size_t len, std::string* out);
  bool read_raw(void* out, size_t len);
  // A length; with `encoded` non-null also accepts the 11xxxxxx form, setting *encoded = true
  // and returning the xxxxxx code.
  uint64_t read_len(bool* encoded = nullptr);
  // A length that must be at most `max`, else fail (also a corrupt-length guard).
  bool read_len_checked(uint64_t* len, uint64_t max = UINT64_MAX);
  // A string in any of its encodings (plain, integer, LZF).
  bool read_string(std::string* out);
  bool read_binary_double(double* out);
  bool read_text_double(double* out);
  int64_t read_millis();
  // Bytes not yet consumed, when known (UINT64_MAX otherwise).
  uint64_t remaining() const;
  bool at_end() const;
  // CRC64 of every byte consumed so far.
  uint64_t crc() const;
  uint64_t bytes_read() const { return consumed_; }

 private:
  bool fill(size_t want);        // ensures `want` bytes buffered (or fails)
  const char* take(size_t len);  // consumes `len` buffered bytes (after fill)

  RdbSource* source_ = nullptr;
  std::string storage_;         // the buffer when reading from a source
  const char* data_ = nullptr;  // current window
  size_t size_ = 0;             // bytes in the window
  size_t pos_ = 0;              // next byte in the window
  uint64_t crc_ = 0;            // CRC of the consumed bytes before data_[crc_pos_]
  size_t crc_pos_ = 0;          // the CRC is folded in lazily, a window at a time
  uint64_t consumed_ = 0;
  bool ok_ = true;
  std::string error_;
};

// ================================================================================================
// Values (rdb_value.cc)
// ================================================================================================

// A value read back: either a string (to store with Database::set_string, which picks
// "int"/"embstr"/"raw" as Redis's tryObjectEncoding does) or an object.
struct LoadedValue {
  // An empty collection (Redis's RDB_LOAD_ERR_EMPTY_KEY): load_value returns true with this set
  // and no value; RESTORE rejects it ("Bad data format"), load_rdb skips the key, as Redis.
  bool empty = false;
  bool is_string = true;
  std::string string;
  std::unique_ptr<Object> object;
};

// The RDB type byte `e`'s value is saved under (its encoding decides: e.g. a listpack hash is
// HASH_LISTPACK). Streams: kTypeStreamListpacks2.
uint8_t value_type_of(const Entry& e);
uint8_t object_type_of(const Object& o);
// Writes the value only (no type byte, no key).
void save_value(RdbWriter& w, const Entry& e);
void save_object(RdbWriter& w, const Object& o);
// Reads one value of RDB type `type`, choosing its encoding with `limits` as Redis's
// rdbLoadObject does. False (and r.fail) on corrupt or unsupported data; an empty collection
// sets out->empty instead (see LoadedValue).
// keep_encodings (Raft snapshots, see LoadOptions): every set, hash and sorted set keeps the
// encoding its type byte names, whatever its size: a hashtable set of integers stays a
// hashtable (in its saved order), a small skiplist stays a skiplist, a big listpack stays one.
bool load_value(RdbReader& r, uint8_t type, const EncodingLimits& limits, LoadedValue* out,
                bool keep_encodings = false);
// Stores a loaded value under `key` (replacing what is there) with Database's set_* functions;
// expire_at as there (kPersist for none). Returns the new entry.
Entry* store_value(Database& db, std::string_view key, LoadedValue&& value, int64_t expire_at,
                   const TimeContext& tc);

// --- DUMP / RESTORE -----------------------------------------------------------------------------
// DUMP's reply for `e`.
std::string dump_payload(const Entry& e);
enum class PayloadStatus {
  kOk,
  kVersionOrChecksum,  // "ERR DUMP payload version or checksum are wrong"
  kBadFormat,          // "ERR Bad data format"
};
// verifyDumpPayload: at least 10 bytes, version <= 10, CRC64 matches.
bool verify_payload(std::string_view payload);
// verify_payload + load_value of the payload's value. Trailing bytes between the value and the
// footer are ignored, as Redis does.
PayloadStatus restore_payload(std::string_view payload, const EncodingLimits& limits,
                              LoadedValue* out);

// --- streams (src/store/rdb_stream.cc, written by the streams engineer on these primitives) ----
// save_stream: the value of an RDB_TYPE_STREAM_LISTPACKS_2 (19) for a stream Object.
// load_stream: reads a value of type 15 or 19 (`type` says which) and returns the stream, or
// null after r.fail(...) when the data is corrupt (every listpack validated deeply).
// rdb_value.cc dispatches to them when store/rdb_stream.h exists (__has_include: the streams
// type landed after this file; without it streams were neither saved nor loaded).
void save_stream(RdbWriter& w, const Object& stream);
std::unique_ptr<Object> load_stream(RdbReader& r, uint8_t type, const EncodingLimits& limits);

// --- internals shared by the rdb_*.cc files --------------------------------------------------
namespace detail {
// Decodes a ziplist (the pre-7.0 compact blob of RDB types 10, 12, 13 and 14 nodes), validating
// it as Redis's ziplistValidateIntegrity does (header, every entry's prevlen and encoding, tail
// offset, count, terminator). Appends each element's text to *out; false if the blob is corrupt.
bool decode_ziplist(std::string_view blob, std::vector<std::string>* out);
// Marks `out` as an empty collection and returns true (see LoadedValue::empty).
inline bool mark_empty(LoadedValue* out) {
  out->empty = true;
  out->object.reset();
  return true;
}
// Decodes a zipmap (RDB_TYPE_HASH_ZIPMAP, Redis < 2.6 hashes):
// <count:u8, 254 = unknown> { <len> field <len> <free:u8> value <free bytes> }* <0xFF>, where a
// len is one byte (< 254) or 254 then a u32 (little-endian). Validated as zipmapValidateIntegrity
// (with the CVE-2026-25243 rule: a length < 254 must use the one-byte form). Appends field,
// value, field, value ... to *out; false if corrupt.
bool decode_zipmap(std::string_view blob, std::vector<std::string>* out);
}  // namespace detail

// ================================================================================================
// Files (rdb_file.cc)
// ================================================================================================

using AuxFields = std::vector<std::pair<std::string, std::string>>;

// Writes the whole keyspace: "REDIS0010", `aux` in order (callers pass redis-ver, redis-bits,
// ctime, used-mem, aof-base and their own fields such as the Raft index/term), then each
// non-empty database (SELECTDB, RESIZEDB, its keys with EXPIRETIME_MS where set; logically
// expired keys are written too, as Redis does), EOF and the CRC64. Flushes the writer.
// Safe in a fork() child with an FdSink. False on a sink failure.
bool write_rdb(const Keyspace& keyspace, const AuxFields& aux, RdbWriter& w);
// The aux fields Redis itself writes (redis-ver, redis-bits, ctime, used-mem, aof-base), for
// callers that add their own after them.
AuxFields default_aux_fields(int64_t now_ms, uint64_t used_memory);

struct LoadOptions {
  int64_t now_ms = 0;
  // Keys whose EXPIRETIME_MS <= now_ms are dropped (Redis does so when loading as a master).
  bool skip_expired = true;
  // Verify the CRC64 trailer (a zero checksum means "not computed" and is accepted, as Redis).
  bool verify_checksum = true;
  // A Raft snapshot: values keep the encodings they were written in (load_value), so that a
  // node restored from it holds the same bytes and member order as the node that wrote it (SPOP
  // picks by position; DUMP shows the encoding). Redis's loader converts by size instead.
  bool keep_encodings = false;
};
// Loads a file into `keyspace` (which should be empty: existing keys are replaced), using the
// keyspace's EncodingLimits. Fills *aux with the file's aux fields. Keys of databases beyond
// keyspace.count() are an error. False with *error set on a malformed file.
bool load_rdb(RdbReader& r, Keyspace& keyspace, const LoadOptions& options, AuxFields* aux,
              std::string* error);

// Conveniences over the two above: write `path` (created or truncated) and fsync it; read a
// file. Callers wanting atomic replacement write a temporary name and rename it. False with
// *error set (errno text or the format problem).
bool save_rdb_file(const Keyspace& keyspace, const AuxFields& aux, const std::string& path,
                   std::string* error);
bool load_rdb_file(const std::string& path, Keyspace& keyspace, const LoadOptions& options,
                   AuxFields* aux, std::string* error);

}  // namespace rdb
}  // namespace zakros::store
