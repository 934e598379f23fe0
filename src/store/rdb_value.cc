// RDB values: save_value / load_value for every type, and DUMP payloads (formats in rdb.h).
//
// Loading follows Redis 7.0's rdbLoadObject: the encoding of the loaded value is chosen with the
// keyspace's EncodingLimits (a listpack blob with too many entries becomes a hashtable/skiplist,
// a plain RDB_TYPE_HASH small enough becomes a listpack ...), empty collections and duplicate
// members are corrupt, and every blob is validated deeply before it is adopted.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "store/database.h"
#include "store/entry.h"
#include "store/intset.h"
#include "store/listpack.h"
#include "store/rdb.h"
#include "store/zset_object.h"
#include "util/crc64.h"

// The type headers are detected rather than assumed so that this file builds at every commit
// while the types land one by one (a type whose header is missing is "not supported yet").
// All of them exist since the streams commit (rdb_stream.h); the detection stays harmless.
#if __has_include("store/set_object.h")
#include "store/set_object.h"
#define ZAKROS_RDB_HAVE_SET 1
#else
#define ZAKROS_RDB_HAVE_SET 0
#endif

#if __has_include("store/hash_object.h")
#include "store/hash_object.h"
#define ZAKROS_RDB_HAVE_HASH 1
#else
#define ZAKROS_RDB_HAVE_HASH 0
#endif

#if __has_include("store/rdb_stream.h")
#include "store/rdb_stream.h"
#define ZAKROS_RDB_HAVE_STREAM 1
#else
#define ZAKROS_RDB_HAVE_STREAM 0
#endif

#if __has_include("store/list_object.h")
#include "store/list_object.h"
#define ZAKROS_RDB_HAVE_LIST 1
#else
#define ZAKROS_RDB_HAVE_LIST 0
#endif

namespace zakros::store::rdb {

namespace {

using detail::mark_empty;

// ---- saving ------------------------------------------------------------------------------------

#if ZAKROS_RDB_HAVE_SET
void save_set(RdbWriter& w, const SetObject& set) {
  if (const Intset* is = set.intset()) {
    w.write_string(is->data());
    return;
  }
  w.write_len(set.size());
  set.for_each([&](std::string_view m) { w.write_string(m); });
}

#endif

#if ZAKROS_RDB_HAVE_HASH
void save_hash(RdbWriter& w, const HashObject& hash) {
  if (const Listpack* lp = hash.listpack()) {
    w.write_string(lp->data());
    return;
  }
  w.write_len(hash.size());
  hash.for_each([&](std::string_view f, std::string_view v) {
    w.write_string(f);
    w.write_string(v);
  });
}

#endif

void save_zset(RdbWriter& w, const ZsetObject& zset) {
  if (zset.is_listpack()) {
    w.write_string(zset.listpack().data());
    return;
  }
  // Redis writes skiplists from the highest score down, so that loading inserts at the head.
  w.write_len(zset.size());
  for (ZsetObject::Cursor c = zset.last(); c.valid(); c.prev()) {
    w.write_string(c.member());
    w.write_binary_double(c.score());
  }
}

// ---- loading -----------------------------------------------------------------------------------

bool load_string_value(RdbReader& r, LoadedValue* out) {
  out->is_string = true;
  return r.read_string(&out->string);
}

#if ZAKROS_RDB_HAVE_SET
// RDB_TYPE_SET: members one by one, intset while they are integers and few enough.
bool load_set(RdbReader& r, const EncodingLimits& limits, bool keep, LoadedValue* out) {
  uint64_t len = r.read_len();
  if (!r.ok()) return false;
  if (len == 0) return mark_empty(out);
  size_t max_entries = std::min<size_t>(limits.set_max_intset_entries, size_t{1} << 30);
  std::unique_ptr<SetObject> set =
      keep || len > max_entries ? SetObject::create_hashtable() : SetObject::create_intset();
  std::string member;
  for (uint64_t i = 0; i < len; ++i) {
    if (!r.read_string(&member)) return false;
    if (!set->add(member, limits)) return r.fail("duplicate set members");
  }
  out->is_string = false;
  out->object = std::move(set);
  return true;
}

bool load_set_intset(RdbReader& r, const EncodingLimits& limits, bool keep, LoadedValue* out) {
  std::string blob;
  if (!r.read_string(&blob)) return false;
  if (!Intset::validate(blob, true)) return r.fail("intset integrity check failed");
  auto set = SetObject::from_intset(Intset::from_bytes(blob));
  if (set->size() == 0) return r.fail("empty set");
  if (!keep && set->size() > limits.set_max_intset_entries) set->to_hashtable();
  out->is_string = false;
  out->object = std::move(set);
  return true;
}

#endif

// RDB_TYPE_ZSET / ZSET_2: members with text or binary scores, in any order.
bool load_zset(RdbReader& r, uint8_t type, const EncodingLimits& limits, bool keep,
               LoadedValue* out) {
  uint64_t len = r.read_len();
  if (!r.ok()) return false;
  if (len == 0) return mark_empty(out);
  auto zset = ZsetObject::create_skiplist();
  std::string member;
  size_t max_len = 0;
  size_t total_len = 0;
  for (uint64_t i = 0; i < len; ++i) {
    if (!r.read_string(&member)) return false;
    double score;
    if (type == kTypeZset2 ? !r.read_binary_double(&score) : !r.read_text_double(&score)) {
      return false;
    }
    if (std::isnan(score)) return r.fail("sorted set with a NaN score");
    if (zset->contains(member)) return r.fail("duplicate sorted set members");
    max_len = std::max(max_len, member.size());
    total_len += member.size();
    zset->insert_new(member, score, limits);
  }
  // Converted after loading, as Redis does, since the members come in no particular order.
  if (!keep) zset->shrink_if_fits(max_len, total_len, limits);
  out->is_string = false;
  out->object = std::move(zset);
  return true;
}

bool adopt_zset_listpack(RdbReader& r, Listpack lp, const EncodingLimits& limits, bool keep,
                         LoadedValue* out) {
  if (lp.size() == 0) return mark_empty(out);
  auto zset = ZsetObject::from_listpack(std::move(lp));
  if (zset == nullptr) return r.fail("sorted set listpack integrity check failed");
  if (!keep && zset->size() > limits.zset_max_listpack_entries) zset->convert_to_skiplist();
  out->is_string = false;
  out->object = std::move(zset);
  return true;
}

bool read_listpack_blob(RdbReader& r, Listpack* lp, size_t* count) {
  std::string blob;
  if (!r.read_string(&blob)) return false;
  if (!Listpack::validate(blob, true, count)) return r.fail("listpack integrity check failed");
  *lp = Listpack::from_bytes(blob);
  return true;
}

bool load_zset_listpack(RdbReader& r, const EncodingLimits& limits, bool keep, LoadedValue* out) {
  Listpack lp;
  size_t count = 0;
  if (!read_listpack_blob(r, &lp, &count)) return false;
  if (count % 2 != 0) return r.fail("sorted set listpack with an odd entry count");
  return adopt_zset_listpack(r, std::move(lp), limits, keep, out);
}

// Converts a ziplist blob to a listpack of its elements.
bool ziplist_to_listpack(RdbReader& r, Listpack* lp, size_t* count) {
  std::string blob;
  if (!r.read_string(&blob)) return false;
  std::vector<std::string> elements;
  if (!detail::decode_ziplist(blob, &elements)) return r.fail("ziplist integrity check failed");
  for (const std::string& e : elements) {
    if (!lp->safe_to_add(e.size() + 16)) return r.fail("ziplist too large");
    lp->append(e);
  }
  *count = elements.size();
  return true;
}

bool load_zset_ziplist(RdbReader& r, const EncodingLimits& limits, LoadedValue* out) {
  Listpack lp;
  size_t count = 0;
  if (!ziplist_to_listpack(r, &lp, &count)) return false;
  if (count % 2 != 0) return r.fail("sorted set ziplist with an odd entry count");
  return adopt_zset_listpack(r, std::move(lp), limits, false, out);
}

#if ZAKROS_RDB_HAVE_HASH
// RDB_TYPE_HASH: fields and values, listpack while they fit.
bool load_hash(RdbReader& r, const EncodingLimits& limits, bool keep, LoadedValue* out) {
  uint64_t len = r.read_len();
  if (!r.ok()) return false;
  if (len == 0) return mark_empty(out);
  auto hash = keep || len > limits.hash_max_listpack_entries ? HashObject::create_hashtable()
                                                             : HashObject::create();
  std::string field, value;
  for (uint64_t i = 0; i < len; ++i) {
    if (!r.read_string(&field) || !r.read_string(&value)) return false;
    hash->prepare_write(std::max(field.size(), value.size()), field.size() + value.size(), limits);
    if (!hash->set(field, value, limits)) return r.fail("duplicate hash fields");
  }
  out->is_string = false;
  out->object = std::move(hash);
  return true;
}

bool adopt_hash_listpack(RdbReader& r, Listpack lp, const EncodingLimits& limits, bool keep,
                         LoadedValue* out) {
  if (lp.size() == 0) return mark_empty(out);
  auto hash = HashObject::from_listpack(std::move(lp));
  if (hash->has_duplicate_fields()) return r.fail("hash listpack with duplicate fields");
  if (!keep && hash->size() > limits.hash_max_listpack_entries) hash->to_hashtable();
  out->is_string = false;
  out->object = std::move(hash);
  return true;
}

bool load_hash_listpack(RdbReader& r, const EncodingLimits& limits, bool keep, LoadedValue* out) {
  Listpack lp;
  size_t count = 0;
  if (!read_listpack_blob(r, &lp, &count)) return false;
  if (count % 2 != 0) return r.fail("hash listpack with an odd entry count");
  return adopt_hash_listpack(r, std::move(lp), limits, keep, out);
}

// RDB_TYPE_HASH_ZIPMAP: converted to a listpack (hashtable when a limit is exceeded).
bool load_hash_zipmap(RdbReader& r, const EncodingLimits& limits, LoadedValue* out) {
  std::string blob;
  if (!r.read_string(&blob)) return false;
  std::vector<std::string> items;
  if (!detail::decode_zipmap(blob, &items)) return r.fail("zipmap integrity check failed");
  Listpack lp;
  size_t max_len = 0;
  for (const std::string& e : items) {
    if (!lp.safe_to_add(e.size() + 16)) return r.fail("zipmap too large");
    lp.append(e);
    max_len = std::max(max_len, e.size());
  }
  if (!adopt_hash_listpack(r, std::move(lp), limits, false, out)) return false;
  if (out->empty) return true;
  auto* hash = static_cast<HashObject*>(out->object.get());
  if (max_len > limits.hash_max_listpack_value) hash->to_hashtable();
  return true;
}

bool load_hash_ziplist(RdbReader& r, const EncodingLimits& limits, LoadedValue* out) {
  Listpack lp;
  size_t count = 0;
  if (!ziplist_to_listpack(r, &lp, &count)) return false;
  if (count % 2 != 0) return r.fail("hash ziplist with an odd entry count");
  return adopt_hash_listpack(r, std::move(lp), limits, false, out);
}

#endif

}  // namespace

// Implemented in rdb_list.cc once the list type exists.
#if ZAKROS_RDB_HAVE_LIST
void save_list(RdbWriter& w, const Object& list);
bool load_list(RdbReader& r, uint8_t type, const EncodingLimits& limits, LoadedValue* out);
#endif

// ---- public API
// ----------------------------------------------------------------------------------

uint8_t object_type_of(const Object& o) {
  switch (o.type()) {
    case ValueType::kList:
      return kTypeListQuicklist2;
    case ValueType::kSet:
      return o.encoding() == Encoding::kIntset ? kTypeSetIntset : kTypeSet;
    case ValueType::kZset:
      return o.encoding() == Encoding::kListpack ? kTypeZsetListpack : kTypeZset2;
    case ValueType::kHash:
      return o.encoding() == Encoding::kListpack ? kTypeHashListpack : kTypeHash;
    case ValueType::kStream:
      return kTypeStreamListpacks2;
    default:
      return kTypeModule2;  // never produced by zakros
  }
}

uint8_t value_type_of(const Entry& e) {
  return e.is_string() ? static_cast<uint8_t>(kTypeString) : object_type_of(*e.object());
}

void save_object(RdbWriter& w, const Object& o) {
  switch (o.type()) {
#if ZAKROS_RDB_HAVE_SET
    case ValueType::kSet:
      save_set(w, static_cast<const SetObject&>(o));
      return;
#endif
#if ZAKROS_RDB_HAVE_HASH
    case ValueType::kHash:
      save_hash(w, static_cast<const HashObject&>(o));
      return;
#endif
    case ValueType::kZset:
      save_zset(w, static_cast<const ZsetObject&>(o));
      return;
    case ValueType::kList:
#if ZAKROS_RDB_HAVE_LIST
      save_list(w, o);
      return;
#else
      break;
#endif
    case ValueType::kStream:
#if ZAKROS_RDB_HAVE_STREAM
      save_stream(w, o);
      return;
#else
      break;
#endif
    default:
      break;
  }
  w.fail();
}

void save_value(RdbWriter& w, const Entry& e) {
  if (!e.is_string()) {
    save_object(w, *e.object());
  } else if (e.is_int()) {
    w.write_int_string(e.int_value());
  } else {
    char buf[Entry::kIntMaxChars];
    w.write_string(e.string_value(buf));
  }
}

bool load_value(RdbReader& r, uint8_t type, const EncodingLimits& limits, LoadedValue* out,
                bool keep_encodings) {
  const bool keep = keep_encodings;
  if (!r.ok()) return false;
  switch (type) {
    case kTypeString:
      return load_string_value(r, out);
#if ZAKROS_RDB_HAVE_SET
    case kTypeSet:
      return load_set(r, limits, keep, out);
    case kTypeSetIntset:
      return load_set_intset(r, limits, keep, out);
#endif
    case kTypeZset:
    case kTypeZset2:
      return load_zset(r, type, limits, keep, out);
    case kTypeZsetListpack:
      return load_zset_listpack(r, limits, keep, out);
    case kTypeZsetZiplist:
      return load_zset_ziplist(r, limits, out);
#if ZAKROS_RDB_HAVE_HASH
    case kTypeHash:
      return load_hash(r, limits, keep, out);
    case kTypeHashListpack:
      return load_hash_listpack(r, limits, keep, out);
    case kTypeHashZiplist:
      return load_hash_ziplist(r, limits, out);
#endif
    case kTypeList:
    case kTypeListZiplist:
    case kTypeListQuicklist:
    case kTypeListQuicklist2:
#if ZAKROS_RDB_HAVE_LIST
      return load_list(r, type, limits, out);
#else
      return r.fail("lists are not supported yet");
#endif
    case kTypeStreamListpacks:
    case kTypeStreamListpacks2: {
#if ZAKROS_RDB_HAVE_STREAM
      std::unique_ptr<Object> stream = load_stream(r, type, limits);
      if (stream == nullptr) return r.fail("bad stream");
      out->is_string = false;
      out->object = std::move(stream);
      return true;
#else
      return r.fail("streams are not supported yet");
#endif
    }
#if ZAKROS_RDB_HAVE_HASH
    case kTypeHashZipmap:
      return load_hash_zipmap(r, limits, out);
#endif
    case kTypeModule:
    case kTypeModule2:
      return r.fail("module values are not supported");
    default:
      return r.fail("unknown value type");
  }
}

Entry* store_value(Database& db, std::string_view key, LoadedValue&& value, int64_t expire_at,
                   const TimeContext& tc) {
  if (value.is_string) return db.set_string(key, value.string, expire_at, tc);
  return db.set_object(key, std::move(value.object), expire_at, tc);
}

// ---- DUMP / RESTORE ----------------------------------------------------------------------------

std::string dump_payload(const Entry& e) {
  std::string out;
  StringSink sink(&out);
  RdbWriter w(sink);
  w.write_type(value_type_of(e));
  save_value(w, e);
  unsigned char footer[10];
  footer[0] = static_cast<unsigned char>(kVersion & 0xff);
  footer[1] = static_cast<unsigned char>((kVersion >> 8) & 0xff);
  w.write_raw(footer, 2);
  uint64_t crc = w.crc();
  for (int i = 0; i < 8; ++i) footer[2 + i] = static_cast<unsigned char>(crc >> (8 * i));
  w.write_raw(footer + 2, 8);
  w.flush();
  return out;
}

bool verify_payload(std::string_view payload) {
  if (payload.size() < 10) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(payload.data());
  const unsigned char* footer = p + payload.size() - 10;
  int version = footer[0] | (footer[1] << 8);
  if (version > kVersion) return false;
  uint64_t crc = util::crc64(0, p, payload.size() - 8);
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= static_cast<uint64_t>(footer[2 + i]) << (8 * i);
  return crc == stored;
}

PayloadStatus restore_payload(std::string_view payload, const EncodingLimits& limits,
                              LoadedValue* out) {
  if (!verify_payload(payload)) return PayloadStatus::kVersionOrChecksum;
  RdbReader r(payload.substr(0, payload.size() - 10));
  uint8_t type = r.read_u8();
  if (!r.ok() || !is_value_type(type)) return PayloadStatus::kBadFormat;
  if (!load_value(r, type, limits, out) || out->empty) return PayloadStatus::kBadFormat;
  return PayloadStatus::kOk;
}

}  // namespace zakros::store::rdb
