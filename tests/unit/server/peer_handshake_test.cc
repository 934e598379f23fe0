// The peer handshake (peer_handshake.h, protocol in peer_transport.h): its lines parse exactly
// as documented, its proofs are the documented HMAC-SHA256 (vectors computed independently
// with Python's hmac module), refusals are rate-limited, and two transports with the same
// masterauth connect while different ones never exchange a message.
#include "raft/transport/peer_handshake.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "raft/transport/peer_transport.h"
#include "server/config/config.h"
#include "server/config/config_options.h"

namespace zakros::server {
namespace {

namespace hs = peer_handshake;

std::string bytes_from(int first) {
  std::string s;
  for (int i = 0; i < 32; ++i) s.push_back(static_cast<char>(first + i));
  return s;
}

TEST(PeerHandshake, HelloRoundTripsInBothVersions) {
  hs::Hello v1{1, "0123abcd", 0, 2, "", "127.0.0.1:7000"};
  std::string line = hs::format_hello(v1);
  EXPECT_EQ(line, "*ZAKROS-PEER 1 0123abcd 0 2 127.0.0.1:7000\r\n");
  hs::Hello got;
  ASSERT_TRUE(hs::parse_hello(line.substr(0, line.size() - 2), &got));
  EXPECT_EQ(got.version, 1);
  EXPECT_EQ(got.cluster_id, "0123abcd");
  EXPECT_EQ(got.to, 2u);
  EXPECT_EQ(got.address, "127.0.0.1:7000");

  hs::Hello v2{2, "c", 1, 0, bytes_from(0), ""};
  line = hs::format_hello(v2);
  EXPECT_EQ(line, "*ZAKROS-PEER 2 c 1 0 " + hs::to_hex(bytes_from(0)) + "\r\n");
  ASSERT_TRUE(hs::parse_hello(line.substr(0, line.size() - 2), &got));
  EXPECT_EQ(got.version, 2);
  EXPECT_EQ(got.from, 1u);
  EXPECT_EQ(got.nonce, bytes_from(0));
  EXPECT_EQ(got.address, "");
}

TEST(PeerHandshake, RejectsAnythingElse) {
  const std::string nonce = hs::to_hex(bytes_from(0));
  for (const std::string& line : std::vector<std::string>{
           "",
           "*ZAKROS-PEER",
           "*ZAKROS-PEER ",
           "*ZAKROS-PEER 1 c 0",
           "*ZAKROS-PEER 1 c 0 1 a b",
           "*ZAKROS-PEER 1  c 0 1",
           "*ZAKROS-PEER 1 c 0 1 ",
           "*ZAKROS-PEER 01 c 0 1",
           "*ZAKROS-PEER 1 c -1 1",
           "*ZAKROS-PEER 1 c 0 18446744073709551616",
           "*ZAKROS-PEER 2 c 0 1",
           "*ZAKROS-PEER 2 c 0 1 abcd",
           "*zakros-peer 1 c 0 1",
           "*ZAKROS-PEER 1 c\x01 0 1",
           std::string("*ZAKROS-PEER 1 c\0 0 1", 21),
           "*ZAKROS-PEER 1 " + std::string(129, 'c') + " 0 1",
           "*ZAKROS-PEER 1 c 0 1 " + std::string(257, 'a'),
           "*ZAKROS-PEER 2 c 0 1 " + nonce.substr(0, 63) + "G",
           "*ZAKROS-PEER 2 c 0 1 " + nonce.substr(0, 62) + "AB",  // lowercase only
       }) {
    hs::Hello h;
    EXPECT_FALSE(hs::parse_hello(line, &h)) << line;
  }
  hs::Hello h;
  EXPECT_FALSE(hs::parse_hello("*ZAKROS-PEER 3 c 0 1", &h));
  EXPECT_EQ(h.version, 3);  // so the refusal can name it

  hs::Challenge c;
  EXPECT_FALSE(hs::parse_challenge("+ZAKROS-PEER " + nonce, &c));
  EXPECT_FALSE(hs::parse_challenge("+ZAKROS-PEER " + nonce + " " + nonce + " x", &c));
  EXPECT_FALSE(hs::parse_challenge("-ERR Protocol error: invalid multibulk length", &c));
  EXPECT_TRUE(hs::parse_challenge("+ZAKROS-PEER " + nonce + " " + nonce, &c));
  std::string proof;
  EXPECT_FALSE(hs::parse_proof("PROOF " + nonce + "0", &proof));
  EXPECT_FALSE(hs::parse_proof("PROOF  " + nonce, &proof));
  EXPECT_TRUE(hs::parse_proof("PROOF " + nonce, &proof));
  EXPECT_EQ(proof, bytes_from(0));
}

TEST(PeerHandshake, ProofIsTheDocumentedHmac) {
  hs::Hello hello{2, "c1", 1, 2, bytes_from(0), "127.0.0.1:7001"};
  hs::Credentials creds{true, "", "s3cret"};
  EXPECT_EQ(hs::to_hex(hs::compute_proof(hs::Role::kDialer, creds, hello, bytes_from(32))),
            "b0473891563f051bcc869486d84fab4a62114996660635f9b28451ce3c6ef42e");
  creds.user = "peer";
  EXPECT_EQ(hs::to_hex(hs::compute_proof(hs::Role::kAcceptor, creds, hello, bytes_from(32))),
            "6615925e877f68356b1d54f8eb7343be00aea651a2f44a977fbf17dfc177bca3");
}

TEST(PeerHandshake, ProofDependsOnEveryInput) {
  hs::Hello hello{2, "c1", 1, 2, bytes_from(0), "h:1"};
  hs::Credentials creds{true, "", "s3cret"};
  const std::string base = hs::compute_proof(hs::Role::kDialer, creds, hello, bytes_from(32));
  auto differs = [&](hs::Role role, hs::Credentials c, hs::Hello h, std::string nonce) {
    return !hs::proofs_equal(base, hs::compute_proof(role, c, h, nonce));
  };
  EXPECT_TRUE(differs(hs::Role::kAcceptor, creds, hello, bytes_from(32)));
  EXPECT_TRUE(differs(hs::Role::kDialer, {true, "", "s3cret!"}, hello, bytes_from(32)));
  EXPECT_TRUE(differs(hs::Role::kDialer, {true, "u", "s3cret"}, hello, bytes_from(32)));
  EXPECT_TRUE(differs(hs::Role::kDialer, creds, hello, bytes_from(33)));
  for (int field = 0; field < 5; ++field) {
    hs::Hello h = hello;
    if (field == 0) h.cluster_id = "c2";
    if (field == 1) h.from = 3;
    if (field == 2) h.to = 3;
    if (field == 3) h.nonce = bytes_from(1);
    if (field == 4) h.address = "h:2";
    EXPECT_TRUE(differs(hs::Role::kDialer, creds, h, bytes_from(32))) << field;
  }
  EXPECT_FALSE(differs(hs::Role::kDialer, creds, hello, bytes_from(32)));
  EXPECT_NE(hs::random_nonce(), hs::random_nonce());
  EXPECT_EQ(hs::random_nonce().size(), hs::kNonceBytes);
}

TEST(PeerHandshake, RefusalsAreLoggedOncePerSecondPerReason) {
  hs::RefusalLimiter limiter;
  const auto t0 = hs::RefusalLimiter::Clock::time_point{} + std::chrono::hours(1);
  uint64_t suppressed = 99;
  EXPECT_TRUE(limiter.admit(hs::Refusal::kBadProof, t0, &suppressed));
  EXPECT_EQ(suppressed, 0u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(
        limiter.admit(hs::Refusal::kBadProof, t0 + std::chrono::milliseconds(i), &suppressed));
  }
  EXPECT_TRUE(limiter.admit(hs::Refusal::kNoProof, t0, &suppressed));  // another reason
  EXPECT_TRUE(limiter.has_suppressed());
  std::vector<std::pair<hs::Refusal, uint64_t>> taken;
  auto take = [&](hs::Refusal r, uint64_t n) { taken.emplace_back(r, n); };
  limiter.take_suppressed(t0 + std::chrono::milliseconds(500), take);
  EXPECT_TRUE(taken.empty());  // its second has not passed
  EXPECT_TRUE(limiter.admit(hs::Refusal::kBadProof, t0 + std::chrono::seconds(1), &suppressed));
  EXPECT_EQ(suppressed, 5u);
  EXPECT_FALSE(
      limiter.admit(hs::Refusal::kBadProof, t0 + std::chrono::milliseconds(1500), &suppressed));
  limiter.take_suppressed(t0 + std::chrono::seconds(2), take);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0], std::make_pair(hs::Refusal::kBadProof, uint64_t{1}));
  EXPECT_FALSE(limiter.has_suppressed());
}

TEST(PeerHandshake, ClusterNodeWithRequirepassNeedsMasterauth) {
  Config c;
  c.cluster_addrs = {{"127.0.0.1", 7000}, {"127.0.0.1", 7001}};
  c.requirepass = "pw";
  auto err = validate_config(c);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("requirepass is set but masterauth is not"), std::string::npos) << *err;
  c.masterauth = "secret";
  EXPECT_FALSE(validate_config(c));
  c.masterauth.clear();
  c.raft_enabled = false;  // no peers then
  EXPECT_FALSE(validate_config(c));
  c.raft_enabled = true;
  c.cluster_addrs.clear();  // a single node has no peers either
  EXPECT_FALSE(validate_config(c));
  // CONFIG SET checks it too.
  c.cluster_addrs = {{"127.0.0.1", 7000}, {"127.0.0.1", 7001}};
  const OptionSpec* spec = find_option("requirepass");
  ASSERT_TRUE(spec && spec->runtime_check);
  EXPECT_TRUE(spec->runtime_check(c));
}

// Two transports over loopback, node 0 dialing node 1, with the given secrets ("" = no
// authentication): returns how many messages node 1 received within `wait`.
size_t deliver(const std::string& secret0, const std::string& secret1,
               std::chrono::milliseconds wait) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const int port = acceptor.local_endpoint().port();
  size_t got = 0;
  PeerTransport receiver(
      io, 1, "cluster", [&](raft::Message&&) { ++got; }, nullptr);
  PeerTransport sender(
      io, 0, "cluster", [](raft::Message&&) {}, nullptr);
  receiver.credentials = [&] { return hs::Credentials{!secret1.empty(), "", secret1}; };
  sender.credentials = [&] { return hs::Credentials{!secret0.empty(), "", secret0}; };
  std::function<void()> accept = [&] {
    acceptor.async_accept([&](const asio::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      receiver.adopt_inbound(std::move(socket), "");
      accept();
    });
  };
  accept();
  sender.set_peers({{1, PeerAddress{"127.0.0.1", port}}});
  raft::Message m;
  m.type = raft::MessageType::kHeartbeat;
  m.from = 0;
  m.to = 1;
  m.term = 7;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (got == 0 && std::chrono::steady_clock::now() < deadline) {
    sender.send(m);  // dropped while not connected
    io.run_for(std::chrono::milliseconds(20));
  }
  return got;
}

TEST(PeerTransportAuth, SameSecretConnects) {
  EXPECT_GT(deliver("s3cret", "s3cret", std::chrono::seconds(20)), 0u);
  EXPECT_GT(deliver("", "", std::chrono::seconds(20)), 0u);
}

TEST(PeerTransportAuth, DifferentOrMissingSecretNeverDelivers) {
  // A bounded wait is the point here: several reconnect rounds (50, 100, 200 ms...) must all
  // fail, so 1.5 s is the test's subject, not a synchronisation.
  EXPECT_EQ(deliver("s3cret", "other", std::chrono::milliseconds(1500)), 0u);
  EXPECT_EQ(deliver("", "s3cret", std::chrono::milliseconds(1500)), 0u);
  EXPECT_EQ(deliver("s3cret", "", std::chrono::milliseconds(1500)), 0u);
}

// Runs `io` until `done()` or 10 s pass.
template <class Done>
bool run_until(asio::io_context& io, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(10));
  }
  return done();
}

// A raw connection that records what the other side sends until it closes.
struct Recorder {
  explicit Recorder(asio::ip::tcp::socket s) : socket(std::move(s)) {}
  asio::ip::tcp::socket socket;
  std::string got;
  bool closed = false;
  std::array<char, 512> buf;
};

void record(const std::shared_ptr<Recorder>& r) {
  r->socket.async_read_some(asio::buffer(r->buf), [r](const asio::error_code& ec, size_t n) {
    if (ec) {
      r->closed = true;
      return;
    }
    r->got.append(r->buf.data(), n);
    record(r);
  });
}

TEST(PeerTransportAuth, DialerGivesUpOnASilentAcceptorAndRetries) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  PeerTransport sender(
      io, 0, "cluster", [](raft::Message&&) {}, nullptr);
  sender.credentials = [] { return hs::Credentials{true, "", "s3cret"}; };
  sender.handshake_timeout = std::chrono::milliseconds(200);
  // Reads the hellos and answers nothing.
  std::vector<std::shared_ptr<Recorder>> accepted;
  std::function<void()> accept = [&] {
    acceptor.async_accept([&](const asio::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      accepted.push_back(std::make_shared<Recorder>(std::move(socket)));
      record(accepted.back());
      accept();
    });
  };
  accept();
  sender.set_peers({{1, PeerAddress{"127.0.0.1", acceptor.local_endpoint().port()}}});
  ASSERT_TRUE(run_until(io, [&] { return accepted.size() >= 2 && accepted[0]->closed; }));
  EXPECT_EQ(accepted[0]->got.rfind("*ZAKROS-PEER 2 cluster 0 1 ", 0), 0u) << accepted[0]->got;
  EXPECT_FALSE(sender.connected(1));
}

TEST(PeerTransportAuth, AcceptorGivesUpOnASilentDialer) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  PeerTransport receiver(
      io, 1, "cluster", [](raft::Message&&) {}, nullptr);
  receiver.credentials = [] { return hs::Credentials{true, "", "s3cret"}; };
  receiver.handshake_timeout = std::chrono::milliseconds(200);
  std::function<void()> accept = [&] {
    acceptor.async_accept([&](const asio::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      receiver.adopt_inbound(std::move(socket), "");
      accept();
    });
  };
  accept();
  // One stops in the middle of its hello, one after it (the challenge comes, no proof follows).
  const std::string hello = hs::format_hello({2, "cluster", 0, 1, hs::random_nonce(), ""});
  for (const std::string& sent : {hello.substr(0, 20), hello}) {
    asio::ip::tcp::socket client(io);
    client.connect(acceptor.local_endpoint());
    asio::write(client, asio::buffer(sent));
    auto r = std::make_shared<Recorder>(std::move(client));
    record(r);
    ASSERT_TRUE(run_until(io, [&] { return r->closed; })) << sent;
    EXPECT_EQ(r->got.rfind("+ZAKROS-PEER ", 0), sent == hello ? 0u : std::string::npos) << r->got;
  }
}

}  // namespace
}  // namespace zakros::server
