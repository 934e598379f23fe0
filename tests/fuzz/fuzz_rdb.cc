// Fuzzing of the RDB reader (store/rdb.h): RESTORE payloads and whole RDB files come from
// untrusted clients and disks, so no input may crash it (design.md: "Fuzz ... every decoder of
// bytes from disk or network").
//
// Input layout: byte 0 picks what the rest is and the encoding limits:
//   bit 0-1: 0/1 = a DUMP payload (the footer's CRC is recomputed first, so mutations reach the
//            value decoder instead of stopping at the checksum), 2 = a payload as is,
//            3 = a whole RDB file (CRC trailer recomputed);
//   bit 2:   tiny EncodingLimits (every conversion path on load).
// Invariants checked (any violation aborts):
//   - decoding never crashes, hangs or reads out of bounds (ASan/UBSan in the libFuzzer build);
//   - a value that loads dumps again, that dump restores, and dumping it once more gives the
//     same bytes (what we accept we can also write, and it is stable).
//
// Two binaries: `fuzz_rdb_smoke` (any compiler; ctest runs it in every build: the seed
// payloads captured from redis-server 7.0.15 and a seeded run of mutations of them and of
// random bytes) and `fuzz_rdb` (ZAKROS_FUZZ=ON, clang's libFuzzer;
// ZAKROS_FUZZ_LIBFUZZER defined, no main here).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "store/entry.h"
#include "store/keyspace.h"
#include "store/rdb.h"
#include "util/crc64.h"

namespace {

namespace rdb = zakros::store::rdb;
using zakros::store::EncodingLimits;
using zakros::store::Keyspace;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_rdb invariant violated: %s\n", what);
    std::abort();
  }
}

void fix_crc(std::string& bytes) {
  if (bytes.size() < 8) return;
  uint64_t crc = zakros::util::crc64(0, bytes.data(), bytes.size() - 8);
  for (int i = 0; i < 8; ++i) bytes[bytes.size() - 8 + i] = static_cast<char>(crc >> (8 * i));
}

EncodingLimits tiny_limits() {
  EncodingLimits l;
  l.list_max_listpack_size = 2;
  l.hash_max_listpack_entries = 2;
  l.hash_max_listpack_value = 4;
  l.set_max_intset_entries = 2;
  l.zset_max_listpack_entries = 2;
  l.zset_max_listpack_value = 4;
  return l;
}

void fuzz_payload(std::string payload, bool fix, const EncodingLimits& limits) {
  if (fix) fix_crc(payload);
  rdb::LoadedValue v;
  if (rdb::restore_payload(payload, limits, &v) != rdb::PayloadStatus::kOk) return;
  Keyspace ks(1);
  zakros::store::TimeContext tc{0, true};
  zakros::store::Entry* e =
      rdb::store_value(ks.db(0), "k", std::move(v), zakros::store::kPersist, tc);
  std::string first = rdb::dump_payload(*e);
  rdb::LoadedValue again;
  check(rdb::restore_payload(first, limits, &again) == rdb::PayloadStatus::kOk,
        "our own DUMP of an accepted value does not restore");
  e = rdb::store_value(ks.db(0), "k2", std::move(again), zakros::store::kPersist, tc);
  check(rdb::dump_payload(*e) == first, "DUMP -> RESTORE -> DUMP is not stable");
}

void fuzz_file(std::string file, const EncodingLimits& limits) {
  fix_crc(file);
  Keyspace ks(16);
  ks.set_limits(limits);
  rdb::RdbReader r(file);
  rdb::AuxFields aux;
  std::string error;
  rdb::LoadOptions options;
  options.skip_expired = false;
  if (!rdb::load_rdb(r, ks, options, &aux, &error)) return;
  // Whatever loaded writes out again.
  std::string out;
  rdb::StringSink sink(&out);
  rdb::RdbWriter w(sink);
  check(rdb::write_rdb(ks, aux, w), "write_rdb failed on a loaded keyspace");
  Keyspace back(16);
  back.set_limits(limits);
  rdb::RdbReader r2(out);
  rdb::AuxFields aux2;
  check(rdb::load_rdb(r2, back, options, &aux2, &error), "our own RDB file does not load");
  check(back.total_keys() == ks.total_keys(), "key count changed through an RDB file");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  EncodingLimits limits = (data[0] & 4) ? tiny_limits() : EncodingLimits{};
  switch (data[0] & 3) {
    case 0:
    case 1:
      fuzz_payload(std::move(body), true, limits);
      break;
    case 2:
      fuzz_payload(std::move(body), false, limits);
      break;
    default:
      fuzz_file(std::move(body), limits);
      break;
  }
  return 0;
}

#ifndef ZAKROS_FUZZ_LIBFUZZER

namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// DUMP payloads of redis-server 7.0.15 (one per type and encoding).
const char* const kSeeds[] = {
    "00c139300a009d94ea2793fc08b9",
    "000d313233343536373839303132330a005e0c12ae0429bc1e",
    "00c3094064016161e057000161610a00e8a3b507b06df271",
    "0b1c04000000050000006079feff010000000200000003000000701101000a003429497f7aba726c",
    "0204c0010163016101620a00f704df94f169b125",
    "10c3233b0b3b000000060082663103827620030c6632031601846e616d65059e78e01400011fff0a00275552e3dfc"
    "cf928",
    "0404026631027631026630027630046c6f6e67c3094064017979e057000179790266320276320a002552437c862fc"
    "f5b",
    "111a1a0000000600816302dffd02816102010181620283322e3504ff0a00a68a1ab1a9f2dcc2",
    "0503016101000000000000f03f016201000000000000004001630100000000000008400a00ffffffffffffffff",
    "1201021414000000050081610281620201010201816302ff0a00c3a6e1dd076938dc",
    "1203020a0a0000000100816102ff01c3094096017878e08900017878020a0a0000000100816202ff0a00265af5b75"
    "eda57ca",
    "1203020d0d0000000300000101010201ff020d0d0000000300030104010501ff02090900000001000601ff0a00ca5c"
    "e83c8f749bb2",
    "13011000000000000000010000000000000001333300000013000201000101018166020001020100010001817602"
    "040100010101000102018166028177028167028168020801ff020201010100000201026731010101010000000000"
    "0000010000000000000001856d4b13a20100000101026331856d4b13a2010000010000000000000001000000000000"
    "00010a005fd384f4f8903816",
};

// A small RDB file with one key of each seed's type, written by our own writer.
std::string seed_file() {
  Keyspace ks(16);
  zakros::store::TimeContext tc{0, true};
  int i = 0;
  for (const char* hex : kSeeds) {
    rdb::LoadedValue v;
    if (rdb::restore_payload(unhex(hex), {}, &v) != rdb::PayloadStatus::kOk) continue;
    rdb::store_value(ks.db(i % 3), "key" + std::to_string(i), std::move(v),
                     i % 2 ? 9000000000000 : zakros::store::kPersist, tc);
    ++i;
  }
  std::string out;
  rdb::StringSink sink(&out);
  rdb::RdbWriter w(sink);
  rdb::write_rdb(ks, rdb::default_aux_fields(0, 0), w);
  return out;
}

std::string mutate(std::string s, std::mt19937_64& rng) {
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits; ++i) {
    if (s.empty() || rng() % 4 == 0) {
      s.insert(s.begin() + static_cast<long>(s.empty() ? 0 : rng() % s.size()),
               static_cast<char>(rng()));
    } else if (rng() % 3) {
      s[rng() % s.size()] = static_cast<char>(rng());
    } else {
      s.erase(rng() % s.size(), 1 + rng() % 4);
    }
  }
  return s;
}

int run(uint8_t mode, const std::string& body) {
  std::string input(1, static_cast<char>(mode));
  input += body;
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
}

}  // namespace

// Usage: fuzz_rdb_smoke [iterations] [max-seconds] [seed]
int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 100000;
  const double max_seconds = argc > 2 ? std::atof(argv[2]) : 20.0;
  const uint64_t seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10)
                                 : static_cast<uint64_t>(std::random_device{}());
  std::printf("fuzz_rdb_smoke: seed %llu\n", static_cast<unsigned long long>(seed));

  std::vector<std::string> seeds;
  for (const char* hex : kSeeds) seeds.push_back(unhex(hex));
  std::string file = seed_file();
  for (const std::string& s : seeds) {
    run(2, s);
    run(2 | 4, s);
  }
  run(3, file);
  run(3 | 4, file);

  std::mt19937_64 rng(seed);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(max_seconds);
  long done = 0;
  for (; done < iterations && std::chrono::steady_clock::now() < deadline; ++done) {
    uint8_t mode = static_cast<uint8_t>(rng());
    std::string body;
    switch (rng() % 8) {
      case 0: {  // random bytes with a plausible type byte
        body.resize(rng() % 64);
        for (auto& c : body) c = static_cast<char>(rng());
        if (!body.empty()) body[0] = static_cast<char>(rng() % 20);
        break;
      }
      case 1:
        body = mutate(file, rng);
        mode = static_cast<uint8_t>((mode & 4) | 3);
        break;
      default:
        body = mutate(seeds[rng() % seeds.size()], rng);
        if ((mode & 3) == 3) mode = static_cast<uint8_t>(mode & 4);
        break;
    }
    run(mode, body);
  }
  std::printf("fuzz_rdb_smoke: %ld generated inputs ok\n", done);
  return 0;
}

#endif  // ZAKROS_FUZZ_LIBFUZZER
