#include "server/peer_transport.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <deque>

#include "raft/codec.h"

namespace zakros::server {

namespace {

constexpr std::string_view kMagic = "*ZAKROS-PEER ";
constexpr int kMinBackoffMs = 50;
constexpr int kMaxBackoffMs = 1000;
constexpr size_t kMaxFrame = UINT32_MAX;  // what the u32 length can say (snapshots included)
constexpr size_t kMaxHandshake = 512;

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
  asio::steady_timer timer;
  bool connected = false, connecting = false, writing = false, closed = false;
  bool was_connected = false;  // for logging connects/disconnects once
  std::deque<Piece> pieces;    // front is being written while `writing`
  size_t queued_bytes = 0;     // owned bytes in `pieces` (the max_queue_bytes bound)
  int backoff_ms = kMinBackoffMs;
};

struct PeerTransport::Inbound {
  explicit Inbound(asio::ip::tcp::socket s) : socket(std::move(s)) {}
  asio::ip::tcp::socket socket;
  std::string buf;
  size_t pos = 0;
  bool handshaken = false;
  raft::NodeId from = raft::kNoNode;
  char chunk[64 * 1024];
};

PeerTransport::PeerTransport(asio::io_context& io, raft::NodeId self, std::string cluster_id,
                             OnMessage on_message, OnUnreachable on_unreachable)
    : io_(io),
      self_(self),
      cluster_id_(std::move(cluster_id)),
      on_message_(std::move(on_message)),
      on_unreachable_(std::move(on_unreachable)),
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
  size_t n = std::min(bytes.size(), kMagic.size());
  return n > 1 && bytes.substr(0, n) == kMagic.substr(0, n);
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
        asio::async_connect(
            out->socket, res, [this, alive, out](const asio::error_code& ec2, const auto&) {
              if (alive.expired() || out->closed) return;
              out->connecting = false;
              if (ec2) {
                asio::error_code ignored;
                out->socket.close(ignored);
                schedule_reconnect(out);
                return;
              }
              asio::error_code ignored;
              out->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
              out->connected = true;
              out->backoff_ms = kMinBackoffMs;
              if (!out->was_connected) {
                spdlog::info("Connected to peer node {} at {}:{}", out->id, out->address.host,
                             out->address.port);
              }
              out->was_connected = true;
              std::string hello = std::string(kMagic) + "1 " + cluster_id_ + " " +
                                  std::to_string(self_) + " " + std::to_string(out->id);
              if (!advertised_address.empty()) hello += " " + advertised_address;
              hello += "\r\n";
              Piece piece;
              piece.bytes = std::move(hello);
              out->queued_bytes += piece.bytes.size();
              out->pieces.push_front(std::move(piece));
              flush(out);
            });
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
  if (!consume_inbound(*in)) {
    asio::error_code ec;
    in->socket.close(ec);
    return;
  }
  read_inbound(in);
}

void PeerTransport::read_inbound(const std::shared_ptr<Inbound>& in) {
  std::weak_ptr<bool> alive = alive_;
  in->socket.async_read_some(asio::buffer(in->chunk),
                             [this, alive, in](const asio::error_code& ec, size_t n) {
                               if (alive.expired()) return;
                               if (ec) {
                                 asio::error_code ignored;
                                 in->socket.close(ignored);
                                 return;
                               }
                               in->buf.append(in->chunk, n);
                               if (!consume_inbound(*in)) {
                                 asio::error_code ignored;
                                 in->socket.close(ignored);
                                 return;
                               }
                               read_inbound(in);
                             });
}

bool PeerTransport::consume_inbound(Inbound& in) {
  if (!in.handshaken) {
    size_t eol = in.buf.find("\r\n");
    if (eol == std::string::npos) return in.buf.size() < kMaxHandshake;
    std::string line = in.buf.substr(0, eol);
    in.pos = eol + 2;
    // "*ZAKROS-PEER 1 <cluster-id> <from> <to>"
    char cluster[129] = {0}, address[257] = {0};
    unsigned long long from = 0, to = 0;
    int version = 0;
    // The listen address is optional (nodes before it ignore it, sscanf stops after 4 fields).
    int fields = line.compare(0, kMagic.size(), kMagic) != 0
                     ? 0
                     : std::sscanf(line.c_str() + kMagic.size(), "%d %128s %llu %llu %256s",
                                   &version, cluster, &from, &to, address);
    if (fields < 4) {
      spdlog::warn("Refused a peer connection: malformed handshake");
      return false;
    }
    if (version != 1) {
      spdlog::warn("Refused peer node {}: protocol version {} (this node speaks 1)", from, version);
      return false;
    }
    if (cluster_id_ != cluster) {
      spdlog::warn("Refused peer node {}: it belongs to cluster {}, this node to {}", from, cluster,
                   cluster_id_);
      return false;
    }
    if (to != self_) {
      spdlog::warn("Refused peer node {}: it wants node {} but this is node {}", from, to, self_);
      return false;
    }
    in.from = from;
    in.handshaken = true;
    if (fields == 5 && on_address) on_address(from, address);
  }
  for (;;) {
    if (in.buf.size() - in.pos < 4) break;
    uint32_t len;
    std::memcpy(&len, in.buf.data() + in.pos, 4);
    if (len > kMaxFrame) {
      spdlog::warn("Refused peer node {}: frame of {} bytes", in.from, len);
      return false;
    }
    if (in.buf.size() - in.pos - 4 < len) {
      // A large frame (a snapshot): grow the buffer once rather than by doubling.
      if (len > (1u << 20)) in.buf.reserve(in.pos + 4 + len);
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
