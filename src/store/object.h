// Value types and encodings of the keyspace, and the base class of every non-string value.
//
// Strings live inside the keyspace entry itself (see entry.h): "int" (a canonical int64),
// "embstr" (up to 44 bytes, stored inline) or "raw" (a heap std::string), the encodings Redis
// reports through OBJECT ENCODING. Every other type (list, set, sorted set, hash, stream) is an
// Object subclass owned by its entry through a pointer.
//
// Adding a type: add its ValueType (Redis's numbering, which RDB and TYPE rely on), subclass
// Object in its own file under store/, implement type(), encoding() and clone(), and create it
// with Database::set_object(). Nothing in entry.h or the dictionary changes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace zakros::store {

// Redis's OBJ_* numbering (server.h).
enum class ValueType : uint8_t {
  kString = 0,
  kList = 1,
  kSet = 2,
  kZset = 3,
  kHash = 4,
  kModule = 5,
  kStream = 6,
};

// Redis's OBJ_ENCODING_* numbering; only the 7.0 ones are ever reported.
enum class Encoding : uint8_t {
  kRaw = 0,
  kInt = 1,
  kHashtable = 2,
  kZipmap = 3,
  kLinkedlist = 4,
  kZiplist = 5,
  kIntset = 6,
  kSkiplist = 7,
  kEmbstr = 8,
  kQuicklist = 9,
  kStream = 10,
  kListpack = 11,
};

// TYPE's reply: "string", "list", "set", "zset", "hash", "stream".
std::string_view type_name(ValueType type);
// OBJECT ENCODING's reply: "raw", "int", "embstr", "listpack", "hashtable", ...
std::string_view encoding_name(Encoding encoding);
// Parses a TYPE name (SCAN ... TYPE t); false if unknown.
bool parse_type_name(std::string_view name, ValueType* type);

// Base of every non-string value. Owned by exactly one keyspace entry.
class Object {
 public:
  virtual ~Object() = default;
  virtual ValueType type() const = 0;
  // The current encoding (it may change as the value grows, e.g. listpack -> hashtable).
  virtual Encoding encoding() const = 0;
  // A deep copy (COPY).
  virtual std::unique_ptr<Object> clone() const = 0;
  // Bytes the value occupies, for MEMORY USAGE (`samples` as Redis's: nested elements sampled
  // up to that many times, 0 = all). Types should override; the default counts nothing.
  virtual size_t memory_usage(size_t samples) const {
    (void)samples;
    return 0;
  }
};

}  // namespace zakros::store
