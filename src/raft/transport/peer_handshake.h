// The pieces of the peer handshake that need no socket: formatting and parsing its lines, the
// HMAC-SHA256 proofs, nonces, and the rate limit of refusal log lines. The wire format and the
// protocol (who sends what, when) are documented in peer_transport.h, which drives them.
//
// Everything here reads bytes from the network before the sender is authenticated: the parsers
// take a line without its "\r\n", accept exactly the documented syntax and nothing else, and
// are fuzzed (tests/fuzz/fuzz_peer_handshake.cc).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zakros::server::peer_handshake {

inline constexpr std::string_view kMagic = "*ZAKROS-PEER ";         // the dialer's first line
inline constexpr std::string_view kChallengeTag = "+ZAKROS-PEER ";  // the acceptor's answer
inline constexpr std::string_view kProofTag = "PROOF ";             // the dialer's proof
inline constexpr size_t kNonceBytes = 32;
inline constexpr size_t kProofBytes = 32;  // HMAC-SHA256
// No handshake line is longer (the address is at most 256 bytes, the cluster id 128).
inline constexpr size_t kMaxLine = 512;
inline constexpr size_t kMaxClusterId = 128;
inline constexpr size_t kMaxAddress = 256;
inline constexpr int kPlainVersion = 1;          // no authentication
inline constexpr int kAuthenticatedVersion = 2;  // challenge-response keyed by masterauth

// The dialer's first line. `nonce` (raw bytes) only in version 2; `address` may be empty.
struct Hello {
  int version = 0;
  std::string cluster_id;
  uint64_t from = 0;  // the dialer's node id
  uint64_t to = 0;    // the node id the dialer wants to reach
  std::string nonce;
  std::string address;  // where the dialer listens (host:port), "" = not sent
};

// The acceptor's answer in version 2: its nonce and its proof (raw bytes).
struct Challenge {
  std::string nonce;
  std::string proof;
};

// What a node authenticates with: the live values of masterauth/masteruser, and whether peers
// must authenticate at all (requirepass or masterauth set).
struct Credentials {
  bool required = false;
  std::string user;
  std::string secret;
};

// Why a handshake failed: one rate-limited log line per reason (RefusalLimiter).
enum class Refusal : uint8_t {
  kMalformed,       // not a handshake line
  kVersion,         // a protocol version this node does not speak
  kNoProof,         // version 1 where authentication is required
  kNotRequired,     // version 2 where this node has no masterauth
  kNoSecret,        // authentication required but masterauth empty (CONFIG SET made it so)
  kCluster,         // another cluster's id
  kWrongNode,       // meant for another node id
  kBadProof,        // the dialer's proof does not verify
  kTimeout,         // the handshake did not finish in time
  kAcceptorProof,   // (dialing) the acceptor's proof does not verify
  kAcceptorClosed,  // (dialing) the acceptor closed the connection or answered garbage
  kCount,
};

// Lines without "\r\n" are parsed; formatted lines include it.
std::string format_hello(const Hello& hello);
// False unless `line` is exactly a version-1 or version-2 hello (a higher version parses only
// its version, so that the caller can say which it got: *out->version is set whenever the magic
// and a number are there).
bool parse_hello(std::string_view line, Hello* out);
std::string format_challenge(const Challenge& challenge);
bool parse_challenge(std::string_view line, Challenge* out);
std::string format_proof(std::string_view proof);
bool parse_proof(std::string_view line, std::string* proof);

enum class Role : char { kDialer = 'D', kAcceptor = 'A' };
// HMAC-SHA256 keyed with `credentials.secret` over the role, the hello's cluster id, node ids,
// nonce and address, the user, and the acceptor's nonce (peer_transport.h has the exact bytes).
std::string compute_proof(Role role, const Credentials& credentials, const Hello& hello,
                          std::string_view acceptor_nonce);
// Constant-time comparison (a timing difference must not tell how much of a proof was right).
bool proofs_equal(std::string_view a, std::string_view b);
// kNonceBytes from OpenSSL's CSPRNG; "" if it failed (the handshake is then refused).
std::string random_nonce();

std::string to_hex(std::string_view bytes);
// Lowercase hex of exactly 2 * `bytes` digits.
bool from_hex(std::string_view hex, size_t bytes, std::string* out);

// At most one log line per reason per second: admit() says whether to log now and how many
// refusals of that reason were not logged since the last line; take_suppressed() drains the
// counts of reasons whose second has passed (the transport logs them from a timer, so a burst
// that stops is still counted in the log).
class RefusalLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  bool admit(Refusal reason, Clock::time_point now, uint64_t* suppressed);
  // Calls fn(reason, count) for each reason with suppressed refusals whose window has passed.
  template <class Fn>
  void take_suppressed(Clock::time_point now, Fn&& fn) {
    for (size_t i = 0; i < slots_.size(); ++i) {
      Slot& s = slots_[i];
      if (s.suppressed == 0 || now - s.last < kWindow) continue;
      fn(static_cast<Refusal>(i), s.suppressed);
      s.suppressed = 0;
      s.last = now;
    }
  }
  bool has_suppressed() const;

  static constexpr Clock::duration kWindow = std::chrono::seconds(1);

 private:
  struct Slot {
    Clock::time_point last{};
    bool logged = false;
    uint64_t suppressed = 0;
  };
  std::array<Slot, static_cast<size_t>(Refusal::kCount)> slots_{};
};

}  // namespace zakros::server::peer_handshake
