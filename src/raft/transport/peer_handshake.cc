#include "raft/transport/peer_handshake.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <vector>

#include "util/numbers.h"

namespace zakros::server::peer_handshake {

namespace {

constexpr std::string_view kMacLabel = "ZAKROS-PEER-AUTH 2";

// Splits on single spaces; an empty field (two spaces, a leading or trailing one) fails.
bool split_fields(std::string_view line, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  for (;;) {
    size_t sp = line.find(' ', start);
    std::string_view field = line.substr(start, sp == std::string_view::npos ? sp : sp - start);
    if (field.empty()) return false;
    fields->push_back(field);
    if (sp == std::string_view::npos) return true;
    start = sp + 1;
  }
}

// Visible ASCII only: what a cluster id or host:port can be, and nothing a log line or the
// line syntax could trip on.
bool printable(std::string_view s, size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

void put_u32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void put_u64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void put_field(std::string* out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out->append(s);
}

}  // namespace

std::string format_hello(const Hello& hello) {
  std::string line(kMagic);
  line += std::to_string(hello.version) + " " + hello.cluster_id + " " +
          std::to_string(hello.from) + " " + std::to_string(hello.to);
  if (hello.version >= kAuthenticatedVersion) line += " " + to_hex(hello.nonce);
  if (!hello.address.empty()) line += " " + hello.address;
  line += "\r\n";
  return line;
}

bool parse_hello(std::string_view line, Hello* out) {
  if (line.substr(0, kMagic.size()) != kMagic) return false;
  std::vector<std::string_view> f;
  if (!split_fields(line.substr(kMagic.size()), &f)) return false;
  int64_t version = 0;
  if (!util::parse_int64(f[0], &version) || version < 1 || version > 1000) return false;
  out->version = static_cast<int>(version);
  if (version > kAuthenticatedVersion) return false;
  const size_t fixed = version == kPlainVersion ? 4 : 5;
  if (f.size() != fixed && f.size() != fixed + 1) return false;
  if (!printable(f[1], kMaxClusterId) || !util::parse_uint64(f[2], &out->from) ||
      !util::parse_uint64(f[3], &out->to)) {
    return false;
  }
  out->cluster_id.assign(f[1]);
  out->nonce.clear();
  if (version == kAuthenticatedVersion && !from_hex(f[4], kNonceBytes, &out->nonce)) return false;
  out->address.clear();
  if (f.size() == fixed + 1) {
    if (!printable(f[fixed], kMaxAddress)) return false;
    out->address.assign(f[fixed]);
  }
  return true;
}

std::string format_challenge(const Challenge& challenge) {
  return std::string(kChallengeTag) + to_hex(challenge.nonce) + " " + to_hex(challenge.proof) +
         "\r\n";
}

bool parse_challenge(std::string_view line, Challenge* out) {
  if (line.substr(0, kChallengeTag.size()) != kChallengeTag) return false;
  std::vector<std::string_view> f;
  return split_fields(line.substr(kChallengeTag.size()), &f) && f.size() == 2 &&
         from_hex(f[0], kNonceBytes, &out->nonce) && from_hex(f[1], kProofBytes, &out->proof);
}

std::string format_proof(std::string_view proof) {
  return std::string(kProofTag) + to_hex(proof) + "\r\n";
}

bool parse_proof(std::string_view line, std::string* proof) {
  return line.substr(0, kProofTag.size()) == kProofTag &&
         from_hex(line.substr(kProofTag.size()), kProofBytes, proof);
}

std::string compute_proof(Role role, const Credentials& credentials, const Hello& hello,
                          std::string_view acceptor_nonce) {
  std::string data(kMacLabel);
  data.push_back('\0');
  data.push_back(static_cast<char>(role));
  put_field(&data, hello.cluster_id);
  put_u64(&data, hello.from);
  put_u64(&data, hello.to);
  put_field(&data, credentials.user);
  put_field(&data, hello.nonce);
  put_field(&data, acceptor_nonce);
  put_field(&data, hello.address);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), credentials.secret.data(), static_cast<int>(credentials.secret.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &len) == nullptr) {
    return {};  // never equal to a parsed proof, which has kProofBytes bytes
  }
  return std::string(reinterpret_cast<const char*>(mac), len);
}

bool proofs_equal(std::string_view a, std::string_view b) {
  return a.size() == kProofBytes && b.size() == kProofBytes &&
         CRYPTO_memcmp(a.data(), b.data(), kProofBytes) == 0;
}

std::string random_nonce() {
  std::string nonce(kNonceBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), static_cast<int>(kNonceBytes)) !=
      1) {
    return {};
  }
  return nonce;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

bool from_hex(std::string_view hex, size_t bytes, std::string* out) {
  if (hex.size() != 2 * bytes) return false;
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out->assign(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<char>(hi << 4 | lo);
  }
  return true;
}

bool RefusalLimiter::admit(Refusal reason, Clock::time_point now, uint64_t* suppressed) {
  Slot& s = slots_[static_cast<size_t>(reason)];
  if (s.logged && now - s.last < kWindow) {
    ++s.suppressed;
    return false;
  }
  *suppressed = s.suppressed;
  s.suppressed = 0;
  s.logged = true;
  s.last = now;
  return true;
}

bool RefusalLimiter::has_suppressed() const {
  for (const Slot& s : slots_) {
    if (s.suppressed != 0) return true;
  }
  return false;
}

}  // namespace zakros::server::peer_handshake
