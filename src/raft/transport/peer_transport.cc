#include "raft/transport/peer_transport.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <deque>

#include "raft/transport/codec.h"

namespace zakros::server {

namespace hs = peer_handshake;

namespace {

constexpr int kMinBackoffMs = 50;
constexpr int kMaxBackoffMs = 1000;
constexpr size_t kMaxFrame = UINT32_MAX;  // what the u32 length can say (snapshots included)

const char* refusal_name(hs::Refusal reason) {
  switch (reason) {
    case hs::Refusal::kMalformed:
      return "malformed handshake";
    case hs::Refusal::kVersion:
      return "unknown protocol version";
    case hs::Refusal::kNoProof:
      return "no proof of masterauth";
    case hs::Refusal::kNotRequired:
      return "authentication not configured here";
    case hs::Refusal::kNoSecret:
      return "masterauth not set";
    case hs::Refusal::kCluster:
      return "another cluster";
    case hs::Refusal::kWrongNode:
      return "another node id";
    case hs::Refusal::kBadProof:
      return "wrong proof of masterauth";
    case hs::Refusal::kTimeout:
      return "handshake timeout";
    case hs::Refusal::kAcceptorProof:
      return "peer's wrong proof of masterauth";
    case hs::Refusal::kAcceptorClosed:
      return "peer ended the handshake";
    case hs::Refusal::kCount:
      break;
  }
  return "?";
}

// What a peer sent, fit for a log line (it is unauthenticated input).
std::string printable_prefix(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 64)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  return out;
}

}  // namespace

struct PeerTransport::Piece {
  std::string bytes;    // owned: frames of small messages, or a snapshot frame's head
  raft::Bytes payload;  // shared: a snapshot's data (when `shared`)
  bool shared = false;
  bool snapshot_end = false;  // the last piece of a snapshot frame
  std::string_view view() const { return shared ? payload.view() : std::string_view(bytes); }
};

struct PeerTransport::Outbound {
  Outbound(asio::io_context& io) : socket(io), resolver(io), timer(io) {}
  raft::NodeId id = raft::kNoNode;
  PeerAddress address;
  asio::ip::tcp::socket socket;
  asio::ip::tcp::resolver resolver;
  asio::steady_timer timer;  // reconnect backoff, or the deadline of a handshake
  // `connecting` lasts until the handshake is done: messages queue meanwhile, none is written.
  bool connected = false, connecting = false, writing = false, closed = false;
  bool was_connected = false;  // for logging connects/disconnects once
  std::deque<Piece> pieces;    // front is being written while `writing`
  size_t queued_bytes = 0;     // owned bytes in `pieces` (the max_queue_bytes bound)
  int backoff_ms = kMinBackoffMs;
  // Version 2 handshake in progress. `attempt` tells a late handler of an earlier connection.
  uint64_t attempt = 0;
  hs::Hello hello;
  hs::Credentials credentials;
  std::string hello_line, answer;
};

struct PeerTransport::Inbound {
  enum class Stage { kHello, kProof, kFrames };
  explicit Inbound(asio::ip::tcp::socket s)
      : socket(std::move(s)), deadline(socket.get_executor()) {}
  asio::ip::tcp::socket socket;
  asio::steady_timer deadline;  // of the handshake
  std::string remote;           // the peer's ip:port, for log lines
  std::string buf;
  size_t pos = 0;
  Stage stage = Stage::kHello;
  raft::NodeId from = raft::kNoNode;  // as claimed by the hello (proven once kFrames)
  hs::Hello hello;
  std::string expected_proof;  // the dialer's, once the challenge is sent
  std::string challenge;       // the line being written
  char chunk[64 * 1024];
};

PeerTransport::PeerTransport(asio::io_context& io, raft::NodeId self, std::string cluster_id,
                             OnMessage on_message, OnUnreachable on_unreachable)
    : io_(io),
      self_(self),
      cluster_id_(std::move(cluster_id)),
      on_message_(std::move(on_message)),
      on_unreachable_(std::move(on_unreachable)),
      limiter_timer_(io),
      alive_(std::make_shared<bool>(true)) {}

PeerTransport::~PeerTransport() {
  for (auto& [id, out] : outbound_) {
    out->closed = true;
    asio::error_code ec;
    out->socket.close(ec);
    out->timer.cancel();
  }
}

bool PeerTransport::looks_like_handshake(std::string_view bytes) {
  size_t n = std::min(bytes.size(), hs::kMagic.size());
  return n > 1 && bytes.substr(0, n) == hs::kMagic.substr(0, n);
}

bool PeerTransport::connected(raft::NodeId peer) const {
  auto it = outbound_.find(peer);
  return it != outbound_.end() && it->second->connected;
}

void PeerTransport::set_peers(const std::map<raft::NodeId, PeerAddress>& peers) {
  for (auto it = outbound_.begin(); it != outbound_.end();) {
    auto p = peers.find(it->first);
    if (p == peers.end() || p->second.host != it->second->address.host ||
        p->second.port != it->second->address.port) {
      it->second->closed = true;
      asio::error_code ec;
      it->second->socket.close(ec);
      it->second->timer.cancel();
      it = outbound_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [id, address] : peers) {
    if (id == self_ || outbound_.count(id) != 0) continue;
    auto out = std::make_shared<Outbound>(io_);
    out->id = id;
    out->address = address;
    outbound_[id] = out;
    connect(out);
  }
}

void PeerTransport::connect(const std::shared_ptr<Outbound>& out) {
  if (out->closed || out->connecting || out->connected) return;
  out->connecting = true;
  std::weak_ptr<bool> alive = alive_;
  out->resolver.async_resolve(
      out->address.host, std::to_string(out->address.port),
      [this, alive, out](const asio::error_code& ec, asio::ip::tcp::resolver::results_type res) {
        if (alive.expired() || out->closed) return;
        if (ec) {
          out->connecting = false;
          schedule_reconnect(out);
          return;
        }
        asio::async_connect(out->socket, res,
                            [this, alive, out](const asio::error_code& ec2, const auto&) {
                              if (alive.expired() || out->closed) return;
                              if (ec2) {
                                out->connecting = false;
                                asio::error_code ignored;
                                out->socket.close(ignored);
                                schedule_reconnect(out);
                                return;
                              }
                              asio::error_code ignored;
                              out->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
                              // Still `connecting` until the handshake is done.
                              start_handshake(out);
                            });
      });
}

void PeerTransport::start_handshake(const std::shared_ptr<Outbound>& out) {
  hs::Credentials creds = credentials ? credentials() : hs::Credentials{};
  if (!creds.required) {
    hs::Hello hello{hs::kPlainVersion, cluster_id_, self_, out->id, "", advertised_address};
    start_link(out, hs::format_hello(hello));
    return;
  }
  out->hello = hs::Hello{hs::kAuthenticatedVersion, cluster_id_,       self_, out->id,
                         hs::random_nonce(),        advertised_address};
  if (creds.secret.empty() || out->hello.nonce.empty()) {
    log_refusal(hs::Refusal::kNoSecret,
                fmt::format("Can't authenticate to peer node {} at {}:{}: {}", out->id,
                            out->address.host, out->address.port,
                            creds.secret.empty() ? "requirepass is set but masterauth is not"
                                                 : "no random bytes for a nonce"));
    fail_handshake(out);
    return;
  }
  out->credentials = std::move(creds);
  out->hello_line = hs::format_hello(out->hello);
  out->answer.clear();
  const uint64_t attempt = ++out->attempt;
  std::weak_ptr<bool> alive = alive_;
  // A peer that never answers must not hold the link: closing the socket fails the pending
  // read or write, whose handler then reconnects.
  out->timer.expires_after(handshake_timeout);
  out->timer.async_wait([alive, out, attempt](const asio::error_code& ec) {
    if (ec || alive.expired() || out->closed || out->attempt != attempt || !out->connecting) {
      return;
    }
    asio::error_code ignored;
    out->socket.close(ignored);
  });
  asio::async_write(out->socket, asio::buffer(out->hello_line),
                    [this, alive, out, attempt](const asio::error_code& ec, size_t) {
                      if (alive.expired() || out->closed || out->attempt != attempt) return;
                      if (ec) {
                        fail_handshake(out);
                        return;
                      }
                      asio::async_read_until(
                          out->socket, asio::dynamic_buffer(out->answer, hs::kMaxLine), "\r\n",
                          [this, alive, out, attempt](const asio::error_code& ec2, size_t n) {
                            if (alive.expired() || out->closed || out->attempt != attempt) return;
                            finish_handshake(out,
                                             ec2 ? std::string_view()
                                                 : std::string_view(out->answer).substr(0, n - 2),
                                             ec2);
                          });
                    });
}

void PeerTransport::finish_handshake(const std::shared_ptr<Outbound>& out, std::string_view line,
                                     const asio::error_code& ec) {
  const std::string peer =
      fmt::format("peer node {} at {}:{}", out->id, out->address.host, out->address.port);
  hs::Challenge challenge;
  if (ec) {
    log_refusal(hs::Refusal::kAcceptorClosed,
                fmt::format("The {} ended the handshake ({}): is its masterauth the same as "
                            "this node's, and its cluster id?",
                            peer, ec == asio::error::eof ? "closed the connection" : ec.message()));
  } else if (!hs::parse_challenge(line, &challenge)) {
    log_refusal(hs::Refusal::kAcceptorClosed,
                fmt::format("The {} answered the handshake with '{}': not a zakros node that "
                            "authenticates peers",
                            peer, printable_prefix(line)));
  } else if (!hs::proofs_equal(challenge.proof,
                               hs::compute_proof(hs::Role::kAcceptor, out->credentials, out->hello,
                                                 challenge.nonce))) {
    // Nothing is sent to a node that can't prove it knows the secret: Raft messages carry data.
    log_refusal(hs::Refusal::kAcceptorProof,
                fmt::format("The {} failed to prove it knows masterauth: not sending to it", peer));
  } else {
    out->timer.cancel();
    start_link(out, hs::format_proof(hs::compute_proof(hs::Role::kDialer, out->credentials,
                                                       out->hello, challenge.nonce)));
    return;
  }
  fail_handshake(out);
}

void PeerTransport::fail_handshake(const std::shared_ptr<Outbound>& out) {
  asio::error_code ignored;
  out->socket.close(ignored);
  out->connecting = false;
  out->credentials = {};
  schedule_reconnect(out);
}

void PeerTransport::start_link(const std::shared_ptr<Outbound>& out, std::string first_line) {
  out->connecting = false;
  out->connected = true;
  out->backoff_ms = kMinBackoffMs;
  out->credentials = {};
  if (!out->was_connected) {
    spdlog::info("Connected to peer node {} at {}:{}", out->id, out->address.host,
                 out->address.port);
  }
  out->was_connected = true;
  // Before whatever was queued while connecting.
  Piece piece;
  piece.bytes = std::move(first_line);
  out->queued_bytes += piece.bytes.size();
  out->pieces.push_front(std::move(piece));
  flush(out);
}

void PeerTransport::log_refusal(hs::Refusal reason, const std::string& text) {
  uint64_t suppressed = 0;
  if (limiter_.admit(reason, hs::RefusalLimiter::Clock::now(), &suppressed)) {
    if (suppressed == 0) {
      spdlog::warn("{}", text);
    } else {
      spdlog::warn("{} ({} more like it not logged)", text, suppressed);
    }
    return;
  }
  arm_refusal_timer();
}

void PeerTransport::arm_refusal_timer() {
  if (limiter_armed_) return;
  // Counts of a burst that stops are still logged, once its second has passed.
  limiter_armed_ = true;
  limiter_timer_.expires_after(hs::RefusalLimiter::kWindow);
  std::weak_ptr<bool> alive = alive_;
  limiter_timer_.async_wait([this, alive](const asio::error_code& ec) {
    if (ec || alive.expired()) return;
    limiter_armed_ = false;
    limiter_.take_suppressed(hs::RefusalLimiter::Clock::now(), [](hs::Refusal r, uint64_t n) {
      spdlog::warn("{} more peer handshake failure{} ({}) not logged", n, n == 1 ? "" : "s",
                   refusal_name(r));
    });
    if (limiter_.has_suppressed()) arm_refusal_timer();
  });
}

void PeerTransport::schedule_reconnect(const std::shared_ptr<Outbound>& out) {
  if (out->closed) return;
  if (out->was_connected) {
    spdlog::info("Lost the connection to peer node {} at {}:{}", out->id, out->address.host,
                 out->address.port);
    out->was_connected = false;
  }
  out->connected = false;
  out->writing = false;
  drop_queue(*out);
  int delay = out->backoff_ms;
  out->backoff_ms = std::min(out->backoff_ms * 2, kMaxBackoffMs);
  out->timer.expires_after(std::chrono::milliseconds(delay));
  std::weak_ptr<bool> alive = alive_;
  out->timer.async_wait([this, alive, out](const asio::error_code& ec) {
    if (ec || alive.expired() || out->closed) return;
    out->socket = asio::ip::tcp::socket(io_);
    connect(out);
  });
}

void PeerTransport::drop_queue(Outbound& out) {
  std::deque<Piece> pieces;
  pieces.swap(out.pieces);
  out.queued_bytes = 0;
  for (const Piece& p : pieces) {
    if (p.snapshot_end && on_snapshot_sent_) on_snapshot_sent_(out.id, false);
  }
}

void PeerTransport::send(const raft::Message& m) {
  auto it = outbound_.find(m.to);
  const bool snapshot = m.type == raft::MessageType::kSnapshot && m.snapshot;
  if (it == outbound_.end()) {
    if (snapshot && on_snapshot_sent_) on_snapshot_sent_(m.to, false);
    return;
  }
  Outbound& out = *it->second;
  if (out.queued_bytes > max_queue_bytes || (!out.connected && !out.connecting)) {
    if (on_unreachable_) on_unreachable_(m.to);
    if (snapshot && on_snapshot_sent_) on_snapshot_sent_(m.to, false);
    return;
  }
  if (snapshot) {
    // The head: the message with an empty payload, whose trailing u32 (the payload's length,
    // codec.h) is then set to the real length; the payload follows as a shared piece.
    raft::Message head = m;
    auto meta_only = std::make_shared<raft::Snapshot>();
    meta_only->meta = m.snapshot->meta;
    head.snapshot = std::move(meta_only);
    Piece p;
    p.bytes.assign(4, '\0');
    raft::encode_message(head, &p.bytes);
    const uint64_t data = m.snapshot->data.size();
    const uint64_t frame = p.bytes.size() - 4 + data;
    if (frame > kMaxFrame) {
      spdlog::error("Can't send the snapshot at index {} to peer node {}: {} bytes exceed a frame",
                    m.snapshot->meta.index, m.to, frame);
      if (on_snapshot_sent_) on_snapshot_sent_(m.to, false);
      return;
    }
    const auto data32 = static_cast<uint32_t>(data), frame32 = static_cast<uint32_t>(frame);
    std::memcpy(p.bytes.data() + p.bytes.size() - 4, &data32, 4);
    std::memcpy(p.bytes.data(), &frame32, 4);
    out.queued_bytes += p.bytes.size();
    Piece payload;
    payload.payload = m.snapshot->data;
    payload.shared = true;
    payload.snapshot_end = true;
    if (data == 0) {
      p.snapshot_end = true;
      out.pieces.push_back(std::move(p));
    } else {
      out.pieces.push_back(std::move(p));
      out.pieces.push_back(std::move(payload));
    }
    flush(it->second);
    return;
  }
  // Batch into the last owned piece unless it is the one being written.
  if (out.pieces.empty() || out.pieces.back().shared || (out.writing && out.pieces.size() == 1)) {
    out.pieces.emplace_back();
  }
  std::string& buf = out.pieces.back().bytes;
  const size_t before = buf.size();
  buf.append(4, '\0');
  raft::encode_message(m, &buf);
  const auto len = static_cast<uint32_t>(buf.size() - before - 4);
  std::memcpy(buf.data() + before, &len, 4);
  out.queued_bytes += buf.size() - before;
  flush(it->second);
}

void PeerTransport::flush(const std::shared_ptr<Outbound>& out) {
  if (!out->connected || out->writing || out->pieces.empty()) return;
  out->writing = true;
  const std::string_view bytes = out->pieces.front().view();
  std::weak_ptr<bool> alive = alive_;
  asio::async_write(out->socket, asio::buffer(bytes.data(), bytes.size()),
                    [this, alive, out](const asio::error_code& ec, size_t) {
                      if (alive.expired() || out->closed) return;
                      out->writing = false;
                      if (ec) {
                        asio::error_code ignored;
                        out->socket.close(ignored);
                        schedule_reconnect(out);
                        return;
                      }
                      Piece done = std::move(out->pieces.front());
                      out->pieces.pop_front();
                      if (!done.shared) out->queued_bytes -= done.bytes.size();
                      if (done.snapshot_end && on_snapshot_sent_) {
                        on_snapshot_sent_(out->id, true);
                      }
                      flush(out);
                    });
}

void PeerTransport::adopt_inbound(asio::ip::tcp::socket socket, std::string received) {
  auto in = std::make_shared<Inbound>(std::move(socket));
  in->buf = std::move(received);
  asio::error_code ec;
  auto remote = in->socket.remote_endpoint(ec);
  in->remote = ec ? "?" : remote.address().to_string() + ":" + std::to_string(remote.port());
  if (!consume_inbound(in)) {
    close_inbound(*in);
    return;
  }
  if (in->stage != Inbound::Stage::kFrames) {
    std::weak_ptr<bool> alive = alive_;
    in->deadline.expires_after(handshake_timeout);
    in->deadline.async_wait([this, alive, in](const asio::error_code& ec2) {
      if (ec2 || alive.expired() || in->stage == Inbound::Stage::kFrames) return;
      refuse(*in, hs::Refusal::kTimeout, "the handshake did not finish in time");
      close_inbound(*in);
    });
  }
  read_inbound(in);
}

void PeerTransport::close_inbound(Inbound& in) {
  asio::error_code ignored;
  in.socket.close(ignored);
  in.deadline.cancel();
}

void PeerTransport::read_inbound(const std::shared_ptr<Inbound>& in) {
  std::weak_ptr<bool> alive = alive_;
  in->socket.async_read_some(asio::buffer(in->chunk),
                             [this, alive, in](const asio::error_code& ec, size_t n) {
                               if (alive.expired()) return;
                               if (ec) {
                                 close_inbound(*in);
                                 return;
                               }
                               in->buf.append(in->chunk, n);
                               if (!consume_inbound(in)) {
                                 close_inbound(*in);
                                 return;
                               }
                               read_inbound(in);
                             });
}

bool PeerTransport::refuse(const Inbound& in, hs::Refusal reason, std::string_view why) {
  log_refusal(
      reason,
      fmt::format("Refused a peer connection from {}{}: {}", in.remote,
                  in.from == raft::kNoNode ? "" : fmt::format(" (as node {})", in.from), why));
  return false;
}

bool PeerTransport::handshake_inbound(const std::shared_ptr<Inbound>& in) {
  while (in->stage != Inbound::Stage::kFrames) {
    size_t eol = in->buf.find("\r\n", in->pos);
    size_t line_end = eol == std::string::npos ? in->buf.size() : eol;
    if (line_end - in->pos > hs::kMaxLine) {
      return refuse(*in, hs::Refusal::kMalformed,
                    fmt::format("no handshake line in its first {} bytes", hs::kMaxLine));
    }
    if (eol == std::string::npos) return true;
    // Copied: the buffer is appended to while the challenge is written.
    std::string line = in->buf.substr(in->pos, eol - in->pos);
    in->pos = eol + 2;
    bool ok = in->stage == Inbound::Stage::kHello ? on_hello(in, line) : on_proof(*in, line);
    if (!ok) return false;
  }
  return true;
}

bool PeerTransport::on_hello(const std::shared_ptr<Inbound>& in, std::string_view line) {
  hs::Hello hello;
  if (!hs::parse_hello(line, &hello)) {
    if (hello.version > hs::kAuthenticatedVersion) {
      return refuse(*in, hs::Refusal::kVersion,
                    fmt::format("protocol version {} (this node speaks 1 and 2)", hello.version));
    }
    return refuse(*in, hs::Refusal::kMalformed,
                  fmt::format("malformed handshake '{}'", printable_prefix(line)));
  }
  in->from = hello.from;
  if (hello.cluster_id != cluster_id_) {
    return refuse(
        *in, hs::Refusal::kCluster,
        fmt::format("it belongs to cluster {}, this node to {}", hello.cluster_id, cluster_id_));
  }
  if (hello.to != self_) {
    return refuse(*in, hs::Refusal::kWrongNode,
                  fmt::format("it wants node {} but this is node {}", hello.to, self_));
  }
  hs::Credentials creds = credentials ? credentials() : hs::Credentials{};
  if (hello.version == hs::kPlainVersion) {
    if (creds.required) {
      return refuse(*in, hs::Refusal::kNoProof,
                    "it did not authenticate, and this node requires it (requirepass or "
                    "masterauth is set here: set the same masterauth on every node)");
    }
    in->hello = std::move(hello);
    accept_inbound(*in, false);
    return true;
  }
  if (!creds.required) {
    return refuse(*in, hs::Refusal::kNotRequired,
                  "it authenticates with masterauth, but this node has no masterauth set");
  }
  std::string nonce = hs::random_nonce();
  if (creds.secret.empty() || nonce.empty()) {
    return refuse(*in, hs::Refusal::kNoSecret,
                  creds.secret.empty() ? "requirepass is set but masterauth is not"
                                       : "no random bytes for a nonce");
  }
  // This node proves first: the dialer sends nothing more before it has checked the proof.
  in->expected_proof = hs::compute_proof(hs::Role::kDialer, creds, hello, nonce);
  hs::Challenge challenge{nonce, hs::compute_proof(hs::Role::kAcceptor, creds, hello, nonce)};
  in->challenge = hs::format_challenge(challenge);
  in->hello = std::move(hello);
  in->stage = Inbound::Stage::kProof;
  std::weak_ptr<bool> alive = alive_;
  asio::async_write(in->socket, asio::buffer(in->challenge),
                    [this, alive, in](const asio::error_code& ec, size_t) {
                      if (!ec || alive.expired()) return;
                      close_inbound(*in);
                    });
  return true;
}

bool PeerTransport::on_proof(Inbound& in, std::string_view line) {
  std::string proof;
  if (!hs::parse_proof(line, &proof)) {
    return refuse(in, hs::Refusal::kBadProof,
                  fmt::format("'{}' is not a proof of masterauth", printable_prefix(line)));
  }
  if (!hs::proofs_equal(proof, in.expected_proof)) {
    return refuse(in, hs::Refusal::kBadProof,
                  "its proof of masterauth is wrong (another masterauth or masteruser, or not "
                  "the node it claims to be)");
  }
  accept_inbound(in, true);
  return true;
}

void PeerTransport::accept_inbound(Inbound& in, bool authenticated) {
  in.stage = Inbound::Stage::kFrames;
  in.deadline.cancel();
  in.expected_proof.clear();
  spdlog::info("Peer node {} connected from {}{}", in.from, in.remote,
               authenticated ? " (authenticated with masterauth)" : "");
  if (!in.hello.address.empty() && on_address) on_address(in.from, in.hello.address);
}

bool PeerTransport::consume_inbound(const std::shared_ptr<Inbound>& in_ptr) {
  if (in_ptr->stage != Inbound::Stage::kFrames && !handshake_inbound(in_ptr)) return false;
  Inbound& in = *in_ptr;
  if (in.stage != Inbound::Stage::kFrames) return true;  // more of the handshake to come
  for (;;) {
    if (in.buf.size() - in.pos < 4) break;
    uint32_t len;
    std::memcpy(&len, in.buf.data() + in.pos, 4);
    if (len > kMaxFrame) {
      spdlog::warn("Refused peer node {}: frame of {} bytes", in.from, len);
      return false;
    }
    if (in.buf.size() - in.pos - 4 < len) {
      // A large frame (a snapshot): grow the buffer in few steps rather than by doubling from
      // 64 KiB, but never more than 64 MiB beyond the bytes that arrived: the length is only
      // the peer's word (fuzz_peer_handshake had a connection reserve 4 GiB with 100 bytes).
      if (len > (1u << 20)) {
        in.buf.reserve(std::min<size_t>(in.pos + 4 + len, in.buf.size() + (64u << 20)));
      }
      break;
    }
    raft::Message m;
    if (!raft::decode_message(std::string_view(in.buf).substr(in.pos + 4, len), &m) ||
        m.from != in.from) {
      spdlog::warn("Dropped the connection of peer node {}: undecodable message", in.from);
      return false;
    }
    in.pos += 4 + len;
    on_message_(std::move(m));
  }
  if (in.pos > 0 && (in.pos == in.buf.size() || in.pos > (1u << 20))) {
    in.buf.erase(0, in.pos);
    in.pos = 0;
    if (in.buf.capacity() > (64u << 20) && in.buf.size() < (1u << 20)) in.buf.shrink_to_fit();
  }
  return true;
}

}  // namespace zakros::server
