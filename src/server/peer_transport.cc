#include "server/peer_transport.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "raft/codec.h"

namespace zakros::server {

namespace {

constexpr std::string_view kMagic = "*ZAKROS-PEER ";
constexpr int kMinBackoffMs = 50;
constexpr int kMaxBackoffMs = 1000;
constexpr size_t kMaxFrame = size_t{1} << 30;
constexpr size_t kMaxHandshake = 512;

}  // namespace

struct PeerTransport::Outbound {
  Outbound(asio::io_context& io) : socket(io), resolver(io), timer(io) {}
  raft::NodeId id = raft::kNoNode;
  PeerAddress address;
  asio::ip::tcp::socket socket;
  asio::ip::tcp::resolver resolver;
  asio::steady_timer timer;
  bool connected = false, connecting = false, writing = false, closed = false;
  bool was_connected = false;  // for logging connects/disconnects once
  std::string queue, sending;
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
              out->queue.insert(0, hello);
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
  out->queue.clear();
  out->sending.clear();
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

void PeerTransport::send(const raft::Message& m) {
  auto it = outbound_.find(m.to);
  if (it == outbound_.end()) return;
  Outbound& out = *it->second;
  if (out.queue.size() > max_queue_bytes || (!out.connected && !out.connecting)) {
    if (on_unreachable_) on_unreachable_(m.to);
    return;
  }
  size_t at = out.queue.size();
  out.queue.append(4, '\0');
  raft::encode_message(m, &out.queue);
  uint32_t len = static_cast<uint32_t>(out.queue.size() - at - 4);
  std::memcpy(out.queue.data() + at, &len, 4);
  flush(it->second);
}

void PeerTransport::flush(const std::shared_ptr<Outbound>& out) {
  if (!out->connected || out->writing || out->queue.empty()) return;
  out->writing = true;
  out->sending.swap(out->queue);
  out->queue.clear();
  std::weak_ptr<bool> alive = alive_;
  asio::async_write(out->socket, asio::buffer(out->sending),
                    [this, alive, out](const asio::error_code& ec, size_t) {
                      if (alive.expired() || out->closed) return;
                      out->writing = false;
                      out->sending.clear();
                      if (ec) {
                        asio::error_code ignored;
                        out->socket.close(ignored);
                        schedule_reconnect(out);
                        return;
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
    if (in.buf.size() - in.pos - 4 < len) break;
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
  }
  return true;
}

}  // namespace zakros::server
