// PeerTransport: carries Raft messages between the nodes of a cluster over TCP, on the same port
// that clients use (design.md).
//
// Each node keeps one outbound connection per peer for the messages it sends, and accepts the
// peers' outbound connections for the messages it receives; a node writes on an inbound
// connection only during the handshake. So every direction of every pair is one ordered byte
// stream with one writer.
//
// Handshake. The dialing node (D) opens the connection; the accepting node (A) answers on it
// only during the handshake. Every line ends with "\r\n"; no line is longer than 512 bytes.
//
// Version 1, when D authenticates nothing (neither requirepass nor masterauth set on it):
//   D -> A  "*ZAKROS-PEER 1 <cluster-id> <D's node id> <A's node id> [<D's host:port>]"
// then frames at once. A refuses it if it requires authentication itself.
//
// Version 2, when requirepass or masterauth is set (a cluster node with requirepass must set
// masterauth, validate_config refuses to start otherwise): a mutual challenge-response keyed
// with masterauth, in which the secret never crosses the wire.
//   D -> A  "*ZAKROS-PEER 2 <cluster-id> <D's node id> <A's node id> <nonce-D> [<D's host:port>]"
//   A -> D  "+ZAKROS-PEER <nonce-A> <proof-A>"
//   D -> A  "PROOF <proof-D>", then frames.
// Nonces are 32 bytes from OpenSSL's RAND_bytes, fresh per connection on each side; nonces and
// proofs travel as 64 lowercase hex digits. Node ids are decimal, the cluster id and host:port
// visible ASCII without spaces (at most 128 and 256 bytes). A proof is
//   HMAC-SHA256(key = masterauth,
//               "ZAKROS-PEER-AUTH 2" 0x00 R | str(cluster-id) | u64 D's id | u64 A's id
//               | str(masteruser) | str(nonce-D) | str(nonce-A) | str(D's host:port or ""))
// with R the byte 'A' in A's proof and 'D' in D's, u64 little-endian, str(x) = u32
// little-endian length then the bytes (nonces raw, not hex); masteruser is each node's own
// ("" if unset), so nodes with different masterusers refuse each other.
// Why each part: both fresh nonces make a recorded exchange useless on a new connection
// (replay); the node ids and cluster id make a proof made for node X fail as node Y; the role
// byte keeps A's proof from being reflected back as D's. A answers only once it has checked the
// version, the cluster id and that <A's node id> is itself; D checks A's proof before it sends
// anything more (Raft messages carry the data, so a node that can't prove it knows the secret
// gets none); A checks D's proof before it decodes a single frame, and only then acts on the
// advertised host:port. Each side gives the other 10 s to finish.
// Any failure closes the connection and is logged with the peer's address, at most one line
// per second per reason (then a count of the lines not logged). Not covered: the frames after
// the handshake are neither encrypted nor authenticated, so an attacker on the network path
// can still read or alter them (TLS between nodes is the later answer to that).
//
// The optional host:port is where the dialer listens: a node that does not know that peer's
// address yet (a member added while it was down, before it replays the entry naming it) learns
// it there, since it can only answer a peer on its own outbound connection.
// A '*' followed by a letter is a RESP protocol error (Redis answers "invalid multibulk
// length"), so a Redis client can never speak it by accident, and a peer that reached a plain
// Redis server gets an error instead of silently talking to it. The cluster id (a hash of the
// initial cluster-addrs, or raft-cluster-id) is no secret: it only keeps clusters apart.
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
// Receiving: frames are reassembled in a per-connection buffer (reserved toward the announced
// frame size once its header is in, at most 64 MiB ahead of the bytes received) and decoded
// once complete.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "raft/core/messages.h"
#include "raft/transport/peer_handshake.h"

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
  // Called with a peer's advertised address when it connects to this node (once it proved
  // who it is, where authentication is required).
  std::function<void(raft::NodeId, std::string_view)> on_address;
  // Read at every handshake (so CONFIG SET masterauth applies to the next connections): whether
  // peers must authenticate, and with what. Unset = never.
  std::function<peer_handshake::Credentials()> credentials;

  size_t max_queue_bytes = 256u << 20;
  // How long either side of a connection waits for the other to finish the handshake.
  std::chrono::milliseconds handshake_timeout{10000};

 private:
  struct Outbound;
  struct Inbound;
  struct Piece;
  void drop_queue(Outbound& out);
  void connect(const std::shared_ptr<Outbound>& out);
  void schedule_reconnect(const std::shared_ptr<Outbound>& out);
  void flush(const std::shared_ptr<Outbound>& out);
  // Dialing side of the handshake (see the top of this file).
  void start_handshake(const std::shared_ptr<Outbound>& out);
  void finish_handshake(const std::shared_ptr<Outbound>& out, std::string_view answer,
                        const asio::error_code& ec);
  void fail_handshake(const std::shared_ptr<Outbound>& out);
  // The link is up: `first_line` (the hello or the proof) goes before everything queued.
  void start_link(const std::shared_ptr<Outbound>& out, std::string first_line);
  void read_inbound(const std::shared_ptr<Inbound>& in);
  // Parses what `in` has buffered; false when the connection must be closed.
  bool consume_inbound(const std::shared_ptr<Inbound>& in);
  // Accepting side of the handshake; false when the connection must be closed.
  bool handshake_inbound(const std::shared_ptr<Inbound>& in);
  bool on_hello(const std::shared_ptr<Inbound>& in, std::string_view line);
  bool on_proof(Inbound& in, std::string_view line);
  void accept_inbound(Inbound& in, bool authenticated);
  void close_inbound(Inbound& in);
  // Logs why `in` is refused (rate-limited); always false.
  bool refuse(const Inbound& in, peer_handshake::Refusal reason, std::string_view why);
  void log_refusal(peer_handshake::Refusal reason, const std::string& text);
  void arm_refusal_timer();

  asio::io_context& io_;
  raft::NodeId self_;
  std::string cluster_id_;
  OnMessage on_message_;
  OnUnreachable on_unreachable_;
  OnSnapshotSent on_snapshot_sent_;
  std::map<raft::NodeId, std::shared_ptr<Outbound>> outbound_;
  peer_handshake::RefusalLimiter limiter_;
  asio::steady_timer limiter_timer_;
  bool limiter_armed_ = false;
  std::shared_ptr<bool> alive_;  // lets asio handlers notice the transport is gone
};

}  // namespace zakros::server
