// PeerTransport: carries Raft messages between the nodes of a cluster over TCP, on the same port
// that clients use (design.md).
//
// Each node keeps one outbound connection per peer for the messages it sends, and accepts the
// peers' outbound connections for the messages it receives; a node never answers on an inbound
// connection. So every direction of every pair is one ordered byte stream with one writer.
//
// Handshake: an outbound connection starts with the line
//   "*ZAKROS-PEER 1 <cluster-id> <from-node-id> <to-node-id> [<from-host:port>]\r\n"
// The optional last field is where the sender listens: a node that does not know that peer's
// address yet (a member added while it was down, before it replays the entry naming it) learns
// it there, since it can only answer a peer on its own outbound connection.
// A '*' followed by a letter is a RESP protocol error (Redis answers "invalid multibulk
// length"), so a Redis client can never speak it by accident, and a peer that reached a plain
// Redis server gets an error instead of silently talking to it. The accepting node checks the
// cluster id (hash of the initial cluster-addrs) and that <to-node-id> is itself; on a mismatch
// it logs why and closes the connection.
// Frames after the handshake: u32 little-endian length, then raft::encode_message() bytes. A
// frame may be up to 4 GiB - 1 (u32): snapshots travel whole in one kSnapshot frame.
//
// Sending never blocks the event loop: each peer has a queue of pieces written in order with
// asio::async_write (which writes as the socket accepts, so a slow peer only slows its own
// queue). Small messages are copied into a shared piece (bounded by max_queue_bytes; beyond it
// messages are dropped, as Raft tolerates loss, and the core is told the peer is unreachable). A
// snapshot's payload is not copied: its frame is a small encoded head followed by a piece that
// references the snapshot's shared, immutable bytes, so a few hundred MB cost no copy and no
// queue space. When the snapshot's last byte is written, on_snapshot_sent(peer, true) is
// called; if the connection fails first or the snapshot cannot be queued, (peer, false): the
// caller passes that on to Node::report_snapshot. Connections are retried with exponential
// backoff (50 ms doubling to 1 s); a broken connection drops what was queued.
//
// Receiving: frames are reassembled in a per-connection buffer (reserved to the announced frame
// size once its header is in) and decoded once complete.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "raft/messages.h"

namespace zakros::server {

struct PeerAddress {
  std::string host;
  int port = 0;
};

class PeerTransport {
 public:
  using OnMessage = std::function<void(raft::Message&&)>;
  using OnUnreachable = std::function<void(raft::NodeId)>;
  using OnSnapshotSent = std::function<void(raft::NodeId, bool ok)>;

  PeerTransport(asio::io_context& io, raft::NodeId self, std::string cluster_id,
                OnMessage on_message, OnUnreachable on_unreachable);
  ~PeerTransport();

  // Sets the peers to send to (the node's own id is ignored). Connections to peers that are no
  // longer listed are closed.
  void set_peers(const std::map<raft::NodeId, PeerAddress>& peers);
  // Queues `m` for m.to. Dropped (and reported unreachable) if the peer is unknown or its queue
  // is full.
  void send(const raft::Message& m);
  // Takes over an accepted connection whose first bytes are `received` (starting with the
  // handshake line, possibly followed by frames).
  void adopt_inbound(asio::ip::tcp::socket socket, std::string received);

  // True if `bytes` (the first bytes a new connection sent) start like a peer handshake.
  static bool looks_like_handshake(std::string_view bytes);

  // Called when a kSnapshot message has been written out completely (ok) or was lost.
  void set_on_snapshot_sent(OnSnapshotSent fn) { on_snapshot_sent_ = std::move(fn); }

  // INFO: whether the outbound link to `peer` is up.
  bool connected(raft::NodeId peer) const;

  // Sent in the handshake of outbound connections (host:port; empty = not sent).
  std::string advertised_address;
  // Called with a peer's advertised address when it connects to this node.
  std::function<void(raft::NodeId, std::string_view)> on_address;

  size_t max_queue_bytes = 256u << 20;

 private:
  struct Outbound;
  struct Inbound;
  struct Piece;
  void drop_queue(Outbound& out);
  void connect(const std::shared_ptr<Outbound>& out);
  void schedule_reconnect(const std::shared_ptr<Outbound>& out);
  void flush(const std::shared_ptr<Outbound>& out);
  void read_inbound(const std::shared_ptr<Inbound>& in);
  // Parses what `in` has buffered; false when the connection must be closed.
  bool consume_inbound(Inbound& in);

  asio::io_context& io_;
  raft::NodeId self_;
  std::string cluster_id_;
  OnMessage on_message_;
  OnUnreachable on_unreachable_;
  OnSnapshotSent on_snapshot_sent_;
  std::map<raft::NodeId, std::shared_ptr<Outbound>> outbound_;
  std::shared_ptr<bool> alive_;  // lets asio handlers notice the transport is gone
};

}  // namespace zakros::server
