// Redis 7.0's digests (see digest.h for the algorithm and why it looks at content only).
#include "store/digest.h"

#include <openssl/sha.h>

#include <cstdio>
#include <string_view>
#include <vector>

#include "store/database.h"
#include "store/entry.h"
#include "store/hash_object.h"
#include "store/keyspace.h"
#include "store/list_object.h"
#include "store/set_object.h"
#include "store/stream.h"
#include "store/zset_object.h"

namespace zakros::store {

namespace {

// d ^= SHA1(bytes): Redis's xorDigest.
void xor_digest(Digest& d, std::string_view bytes) {
  unsigned char hash[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), hash);
  for (size_t i = 0; i < d.size(); ++i) d[i] ^= hash[i];
}

// d = SHA1(d ^ SHA1(bytes)): Redis's mixDigest.
void mix_digest(Digest& d, std::string_view bytes) {
  xor_digest(d, bytes);
  SHA1(d.data(), d.size(), d.data());
}

// A 32-bit number as Redis mixes it: htonl, then its four bytes.
void mix_u32(Digest& d, uint32_t v) {
  const char be[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                      static_cast<char>(v >> 8), static_cast<char>(v)};
  mix_digest(d, std::string_view(be, sizeof(be)));
}

std::string_view as_view(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

void sorted_set_digest(Digest& d, const ZsetObject& zset) {
  // Redis formats the score with snprintf("%.17g") in both encodings (not d2string), so an
  // integral score is "1", a fraction keeps 17 significant digits, infinities are "inf".
  char buf[64];
  zset.for_each([&](std::string_view member, double score) {
    Digest element{};
    mix_digest(element, member);
    int n = std::snprintf(buf, sizeof(buf), "%.17g", score);
    mix_digest(element, std::string_view(buf, static_cast<size_t>(n)));
    xor_digest(d, as_view(element));
  });
}

void stream_digest(Digest& d, const StreamObject& stream) {
  StreamObject::Iterator it(stream, StreamID::min(), StreamID::max(), false);
  StreamID id;
  std::vector<std::string> fields;
  char buf[48];
  while (it.next(&id, &fields)) {
    // sdscatfmt("%U.%U"): a dot, not the dash of the ID's usual form.
    int n = std::snprintf(buf, sizeof(buf), "%llu.%llu", static_cast<unsigned long long>(id.ms),
                          static_cast<unsigned long long>(id.seq));
    mix_digest(d, std::string_view(buf, static_cast<size_t>(n)));
    for (const std::string& f : fields) mix_digest(d, f);
  }
}

// Redis's xorObjectDigest: mixes e's type and value into d, then the TTL mark.
void object_digest(Digest& d, const Entry& e) {
  mix_u32(d, static_cast<uint32_t>(e.type()));
  switch (e.type()) {
    case ValueType::kString: {
      char buf[Entry::kIntMaxChars];
      mix_digest(d, e.string_value(buf));
      break;
    }
    case ValueType::kList:
      static_cast<const ListObject*>(e.object())->for_each([&](std::string_view v) {
        mix_digest(d, v);
      });
      break;
    case ValueType::kSet:
      static_cast<const SetObject*>(e.object())->for_each([&](std::string_view m) {
        xor_digest(d, m);
      });
      break;
    case ValueType::kZset:
      sorted_set_digest(d, *static_cast<const ZsetObject*>(e.object()));
      break;
    case ValueType::kHash:
      static_cast<const HashObject*>(e.object())
          ->for_each([&](std::string_view field, std::string_view value) {
            Digest element{};
            mix_digest(element, field);
            mix_digest(element, value);
            xor_digest(d, as_view(element));
          });
      break;
    case ValueType::kStream:
      stream_digest(d, *static_cast<const StreamObject*>(e.object()));
      break;
    case ValueType::kModule:
      // zakros has no modules; Redis mixes nothing for a module type without a digest callback.
      break;
  }
  if (e.has_expire()) xor_digest(d, "!!expire!!");
}

}  // namespace

Digest value_digest(const Entry& e) {
  Digest d{};
  object_digest(d, e);
  return d;
}

Digest dataset_digest(const Keyspace& keyspace) {
  Digest final_digest{};
  for (int j = 0; j < keyspace.count(); ++j) {
    const Database& db = keyspace.db(j);
    if (db.size() == 0) continue;
    // The database number enters the mix, so the same keys in another database differ.
    mix_u32(final_digest, static_cast<uint32_t>(j));
    db.for_each([&](const Entry* e) {
      Digest key_digest{};
      mix_digest(key_digest, e->key());
      object_digest(key_digest, *e);
      xor_digest(final_digest, as_view(key_digest));
    });
  }
  return final_digest;
}

std::string digest_hex(const Digest& digest) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace zakros::store
