// Whole-dataset RDB files: write_rdb / load_rdb (the file layout is documented in rdb.h).
//
// write_rdb runs in the fork()ed snapshot child (design.md, "Threads"): it only reads the
// keyspace and writes through the RdbWriter's sink, with no locks and no logging.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/entry.h"
#include "store/keyspace.h"
#include "store/rdb.h"
#include "util/numbers.h"

namespace zakros::store::rdb {

namespace {

constexpr std::string_view kMagic = "REDIS";

void write_aux(RdbWriter& w, std::string_view name, std::string_view value) {
  w.write_type(kOpAux);
  w.write_string(name);
  w.write_string(value);
}

void write_entry(RdbWriter& w, const Entry& e) {
  if (e.has_expire()) {
    w.write_type(kOpExpireTimeMs);
    w.write_millis(e.expire_at());
  }
  w.write_type(value_type_of(e));
  w.write_string(e.key());
  save_value(w, e);
}

}  // namespace

AuxFields default_aux_fields(int64_t now_ms, uint64_t used_memory) {
  return {
      {"redis-ver", "7.0.15"},
      {"redis-bits", "64"},
      {"ctime", util::int64_to_string(now_ms / 1000)},
      {"used-mem", util::int64_to_string(static_cast<int64_t>(used_memory))},
      {"aof-base", "0"},
  };
}

bool write_rdb(const Keyspace& keyspace, const AuxFields& aux, RdbWriter& w) {
  char header[16];
  int n = std::snprintf(header, sizeof(header), "REDIS%04d", kVersion);
  w.write_raw(header, static_cast<size_t>(n));
  for (const auto& [name, value] : aux) write_aux(w, name, value);
  for (int i = 0; i < keyspace.count() && w.ok(); ++i) {
    const Database& db = keyspace.db(i);
    if (db.size() == 0) continue;
    w.write_type(kOpSelectDb);
    w.write_len(static_cast<uint64_t>(i));
    w.write_type(kOpResizeDb);
    w.write_len(db.size());
    w.write_len(db.expires_count());
    db.for_each([&](const Entry* e) { write_entry(w, *e); });
  }
  w.write_type(kOpEof);
  uint64_t crc = w.crc();
  unsigned char trailer[8];
  for (int i = 0; i < 8; ++i) trailer[i] = static_cast<unsigned char>(crc >> (8 * i));
  w.write_raw(trailer, 8);
  return w.flush();
}

bool load_rdb(RdbReader& r, Keyspace& keyspace, const LoadOptions& options, AuxFields* aux,
              std::string* error) {
  auto failed = [&](std::string_view why) {
    *error = r.ok() ? std::string(why) : std::string(why) + ": " + r.error();
    r.fail(why);
    return false;
  };
  char header[9];
  if (!r.read_raw(header, sizeof(header))) return failed("truncated header");
  if (std::string_view(header, 5) != kMagic) return failed("wrong signature (not an RDB file)");
  int version = 0;
  for (int i = 5; i < 9; ++i) {
    if (header[i] < '0' || header[i] > '9') return failed("bad RDB version");
    version = version * 10 + (header[i] - '0');
  }
  if (version < 1 || version > kVersion) return failed("unsupported RDB version");

  TimeContext tc{options.now_ms, false};
  Database* db = &keyspace.db(0);
  int64_t expire_at = -1;
  std::string key;
  std::string name, value;
  while (true) {
    uint8_t type = r.read_u8();
    if (!r.ok()) return failed("truncated file");
    switch (type) {
      case kOpExpireTime: {
        char b[4];
        if (!r.read_raw(b, 4)) return failed("truncated expire time");
        int32_t secs;
        std::memcpy(&secs, b, 4);  // little-endian host (x86-64, arm64)
        expire_at = static_cast<int64_t>(secs) * 1000;
        continue;
      }
      case kOpExpireTimeMs:
        expire_at = r.read_millis();
        if (!r.ok()) return failed("truncated expire time");
        continue;
      case kOpFreq:
        r.read_u8();
        if (!r.ok()) return failed("truncated FREQ");
        continue;
      case kOpIdle:
        r.read_len();
        if (!r.ok()) return failed("truncated IDLE");
        continue;
      case kOpSelectDb: {
        uint64_t index = r.read_len();
        if (!r.ok()) return failed("truncated SELECTDB");
        if (index >= static_cast<uint64_t>(keyspace.count())) {
          return failed("database index out of range (raise 'databases')");
        }
        db = &keyspace.db(static_cast<int>(index));
        continue;
      }
      case kOpResizeDb:
        r.read_len();
        r.read_len();
        if (!r.ok()) return failed("truncated RESIZEDB");
        continue;
      case kOpAux:
        if (!r.read_string(&name) || !r.read_string(&value)) return failed("truncated AUX");
        if (aux != nullptr) aux->emplace_back(name, value);
        continue;
      case kOpFunction2:
        // A function library (Redis 7 FUNCTION LOAD): zakros has no functions; skip its code.
        if (!r.read_string(&value)) return failed("truncated FUNCTION2");
        continue;
      case kOpFunction:
      case kOpModuleAux:
        return failed("module or pre-release function data is not supported");
      case kOpEof:
        break;
      default: {
        if (!is_value_type(type)) return failed("unknown value type");
        if (!r.read_string(&key)) return failed("truncated key");
        LoadedValue loaded;
        if (!load_value(r, type, keyspace.limits(), &loaded, options.keep_encodings)) {
          return failed("bad value of key '" + key + "'");
        }
        bool expired = expire_at != -1 && expire_at <= options.now_ms;
        // Empty collections are skipped, as Redis does ("rdbLoadObject skipping empty key").
        if (!loaded.empty && !(options.skip_expired && expired)) {
          store_value(*db, key, std::move(loaded), expire_at == -1 ? kPersist : expire_at, tc);
        }
        expire_at = -1;
        continue;
      }
    }
    break;  // EOF
  }
  if (version >= 5) {
    uint64_t expected = r.crc();
    unsigned char trailer[8];
    if (!r.read_raw(trailer, 8)) return failed("truncated checksum");
    uint64_t stored = 0;
    for (int i = 0; i < 8; ++i) stored |= static_cast<uint64_t>(trailer[i]) << (8 * i);
    if (options.verify_checksum && stored != 0 && stored != expected) {
      return failed("wrong RDB checksum");
    }
  }
  return true;
}

bool save_rdb_file(const Keyspace& keyspace, const AuxFields& aux, const std::string& path,
                   std::string* error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  FdSink sink(fd);
  RdbWriter w(sink);
  bool ok = write_rdb(keyspace, aux, w);
  int saved = sink.saved_errno();
  if (ok && ::fsync(fd) != 0) {
    ok = false;
    saved = errno;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) *error = path + ": " + std::strerror(saved);
  return ok;
}

bool load_rdb_file(const std::string& path, Keyspace& keyspace, const LoadOptions& options,
                   AuxFields* aux, std::string* error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  struct stat st;
  uint64_t size = ::fstat(fd, &st) == 0 ? static_cast<uint64_t>(st.st_size) : UINT64_MAX;
  FdSource source(fd, size);
  RdbReader r(source);
  bool ok = load_rdb(r, keyspace, options, aux, error);
  ::close(fd);
  if (!ok) *error = path + " (offset " + std::to_string(r.bytes_read()) + "): " + *error;
  return ok;
}

}  // namespace zakros::store::rdb
