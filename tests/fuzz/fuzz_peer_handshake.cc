// libFuzzer entry point for what a node reads from a peer connection before it knows who is
// there (server/peer_handshake.h, server/peer_transport.h).
//
// Input layout: byte 0 picks the mode, the rest is the bytes:
//   bits 0-1: 0 = parse_hello, 1 = parse_challenge, 2 = parse_proof (one line without "\r\n");
//             3 = a whole inbound connection: PeerTransport::adopt_inbound with the bytes as
//             what the connection sent (handshake lines, proofs, frames), on a socket that is
//             open but not connected, so the challenge write and later reads fail at once;
//   bit 2:    (mode 3) the node requires authentication (masterauth set), else not.
// Invariants checked (any violation aborts):
//   - nothing crashes, hangs or reads out of bounds (ASan/UBSan in the libFuzzer build);
//   - a line that parses formats back to exactly itself (one spelling per handshake);
//   - (mode 3) a node that requires authentication never delivers a message: nobody can
//     prove the secret without the acceptor's fresh nonce, which the input can't know.
// Built as `fuzz_peer_handshake` (ZAKROS_FUZZ=ON) and, with fuzz_smoke_main.cc, as
// `fuzz_peer_handshake_smoke`, which ctest runs over corpus/peer_handshake in every build.
#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "raft/transport/peer_handshake.h"
#include "raft/transport/peer_transport.h"

namespace {

namespace hs = zakros::server::peer_handshake;
using zakros::server::PeerTransport;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_peer_handshake invariant violated: %s\n", what);
    std::abort();
  }
}

void fuzz_lines(int mode, std::string_view line) {
  const std::string with_end = std::string(line) + "\r\n";
  if (mode == 0) {
    hs::Hello hello;
    if (hs::parse_hello(line, &hello)) {
      check(hs::format_hello(hello) == with_end, "a hello does not format back to itself");
    }
  } else if (mode == 1) {
    hs::Challenge challenge;
    if (hs::parse_challenge(line, &challenge)) {
      check(hs::format_challenge(challenge) == with_end,
            "a challenge does not format back to itself");
    }
  } else {
    std::string proof;
    if (hs::parse_proof(line, &proof)) {
      check(hs::format_proof(proof) == with_end, "a proof does not format back to itself");
    }
  }
}

void fuzz_connection(bool auth, std::string_view bytes) {
  asio::io_context io;
  size_t delivered = 0;
  {
    PeerTransport transport(
        io, 1, "c", [&](zakros::raft::Message&&) { ++delivered; }, nullptr);
    transport.credentials = [auth] { return hs::Credentials{auth, "", auth ? "secret" : ""}; };
    asio::ip::tcp::socket socket(io);
    asio::error_code ec;
    socket.open(asio::ip::tcp::v4(), ec);
    check(!ec, "no socket");
    transport.adopt_inbound(std::move(socket), std::string(bytes));
    io.poll();
  }
  io.poll();
  if (auth) check(delivered == 0, "a message got through without a proof");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);  // refusals are the normal outcome here
    return true;
  }();
  (void)quiet;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int mode = data[0] & 3;
  if (mode == 3) {
    fuzz_connection((data[0] & 4) != 0, body);
  } else {
    fuzz_lines(mode, body);
  }
  return 0;
}
