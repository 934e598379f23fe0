// Client: one connection's state — socket, read buffer and request parser, reply buffer, and
// everything Redis keeps per client (selected db, protocol, name, auth, MULTI queue, watched
// keys, subscriptions, reply mode, flags shown by CLIENT LIST).
//
// Owned by the Server (server.h) and only touched on the event-loop thread. The networking code
// (client.cc) follows the reactor pattern of design.md: wait until the socket is readable, read
// without blocking, execute every complete request in the buffer, then write all replies
// produced by that read in one system call.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "resp/reply_writer.h"
#include "resp/request_parser.h"

namespace zakros::commands {
struct CommandSpec;
}

namespace zakros::server {

class Server;

// CLIENT REPLY modes.
enum class ReplyMode : uint8_t { kOn, kOff, kSkipNext, kSkipThis };

// One queued command of a MULTI block: its arguments (owned copies) and resolved spec.
struct QueuedCommand {
  std::vector<std::string> argv;
  const commands::CommandSpec* spec = nullptr;
  const commands::CommandSpec* parent = nullptr;  // set when spec is a subcommand
};

class Client : public std::enable_shared_from_this<Client>, public resp::ErrorObserver {
 public:
  Client(Server& server, asio::ip::tcp::socket socket, uint64_t id);
  ~Client() override;

  // Starts reading. Called once by the acceptor.
  void start();
  // Closes the connection after the pending replies are written (QUIT, protocol errors).
  void close_after_reply();
  // Closes the connection now, dropping pending output (CLIENT KILL, limits, shutdown).
  void close_now();
  bool closing() const { return closing_ || close_after_reply_; }

  // Appends to the reply buffer outside of a command (pub/sub messages, MONITOR lines, blocked
  // client wake-ups) and makes sure it gets written.
  resp::ReplyWriter& out() { return writer_; }
  void flush_soon();
  // Checks client-output-buffer-limit now (disconnecting the client if it is over) even when a
  // write is already pending, which flush_soon() skips; false if the client was closed. Used by
  // Pub/Sub delivery so that a subscriber that stops reading cannot grow its buffer unbounded.
  bool enforce_output_limits() { return !closing_ && check_output_limits(); }

  // Resumes a client whose reading was suspended (CLIENT PAUSE ended, unblocked).
  void resume();

  // ErrorObserver: counts error replies for INFO errorstats.
  void on_error_reply(std::string_view message) override;

  // --- state read and written by commands (public on purpose: this is a plain record) ---
  const uint64_t id;
  std::string name;
  std::string lib_name, lib_ver;  // CLIENT SETINFO
  std::string peer_address;       // "ip:port"
  std::string local_address;
  int db = 0;
  bool authenticated = false;
  ReplyMode reply_mode = ReplyMode::kOn;
  bool no_evict = false, no_touch = false;
  bool monitor = false;
  bool readonly = false;  // READONLY (cluster mode reads on followers)
  int64_t created_ms = 0;
  int64_t last_interaction_ms = 0;
  std::string last_command = "NULL";

  // MULTI/EXEC
  bool in_multi = false;
  bool multi_dirty = false;  // EXECABORT: an error while queueing
  bool watch_dirty = false;  // a watched key was modified: EXEC answers null
  std::vector<QueuedCommand> multi_queue;
  std::vector<std::pair<int, std::string>> watched_keys;  // (db, key)

  // Pub/Sub
  std::unordered_set<std::string> channels;
  std::unordered_set<std::string> patterns;
  std::unordered_set<std::string> shard_channels;
  size_t subscription_count() const {
    return channels.size() + patterns.size() + shard_channels.size();
  }
  // Subscription confirmations produced while CLIENT REPLY OFF/SKIP silences the command that
  // produced them. Redis delivers them anyway (its CLIENT_PUSHING flag): the dispatch gate
  // appends this after dropping the silenced replies, then clears it.
  std::string silenced_pushes;

  // Statistics shown by CLIENT LIST / INFO.
  size_t query_buffer_size() const { return read_buf_.size() - read_pos_; }
  size_t query_buffer_peak = 0;  // most unconsumed bytes seen since the last cron resize
  size_t output_buffer_size() const { return out_buf_.size() - out_pos_; }
  int protocol() const { return writer_.protocol(); }
  void set_protocol(int proto) { writer_.set_protocol(proto); }
  uint64_t commands_processed = 0;
  // Seconds since soft output-buffer limit was first exceeded (0 = not exceeded).
  int64_t obuf_soft_limit_since_ms = 0;

  // Suspends/resumes request processing (CLIENT PAUSE, blocking commands).
  bool paused = false;
  // In a blocking command (blocking.h): requests that arrive meanwhile wait in the buffer, but
  // the socket is still read, so that a disconnect is noticed.
  bool blocked = false;
  // Waiting for its write to commit or its read to be confirmed (replication.h); like
  // `blocked`, later requests wait in the buffer so that replies keep their order.
  bool awaiting_raft = false;
  // Plain writes of this client proposed and not yet applied. A pipeline of writes is proposed
  // together (one log write and fsync for all); the dispatch gate holds back any other command
  // until they are applied, so replies keep their order.
  uint32_t pending_writes = 0;
  // Likewise for plain reads waiting for their ReadIndex round (a pipeline of GETs shares one
  // round); never at the same time as pending_writes.
  uint32_t pending_reads = 0;
  // Whether replies of earlier commands are still owed (pipelined writes or reads in flight).
  bool replies_in_flight() const { return pending_writes > 0 || pending_reads > 0; }
  // Whether CLIENT REPLY OFF/SKIP drops the reply of the command being dispatched.
  bool reply_silenced() const {
    return reply_mode == ReplyMode::kOff || reply_mode == ReplyMode::kSkipThis;
  }
  // The log index of this client's newest proposed write (0 = none yet): WAIT counts the
  // members whose log holds it.
  uint64_t last_write_index = 0;

  // CLIENT TRACKING ON/OFF state (client_command.cc). Invalidation messages are not sent yet;
  // the flag only shows in CLIENT LIST/TRACKINGINFO. RESET clears it.
  bool tracking = false;
  int64_t tracking_redirect = 0;

  // For CLIENT LIST (client_command.cc): the socket's descriptor, whether a write is waiting
  // for the socket, and the buffers' allocated sizes.
  int fd() { return static_cast<int>(socket_.native_handle()); }
  bool write_pending() const { return write_waiting_; }
  // Heap bytes held by the read buffer (an empty std::string's inline storage counts as 0).
  size_t query_buffer_capacity() const {
    return read_buf_.capacity() > std::string().capacity() ? read_buf_.capacity() : 0;
  }
  // Redis's clientsCronResizeQueryBuffer, called about once a second: frees the buffer of an
  // idle client, trims one much larger than its recent peak, then restarts the peak.
  void cron_resize_query_buffer(int64_t now_ms);
  size_t output_buffer_capacity() const { return out_buf_.capacity(); }

 private:
  friend class Server;
  void wait_readable();
  void on_readable();
  void process_input();
  // The connection opened with the Raft peer handshake: hands the socket and what was read to
  // the peer transport and drops this client. True if it did.
  bool hand_over_to_peer();
  void write_output();
  void wait_writable();
  bool check_output_limits();

  Server& server_;
  asio::ip::tcp::socket socket_;
  std::string read_buf_;
  size_t read_pos_ = 0;  // bytes of read_buf_ already consumed
  resp::RequestParser parser_;
  std::vector<std::string_view> argv_;
  std::string out_buf_;
  size_t out_pos_ = 0;  // bytes of out_buf_ already written
  resp::ReplyWriter writer_;
  bool read_waiting_ = false;
  bool write_waiting_ = false;
  bool flush_scheduled_ = false;
  bool closing_ = false;
  bool close_after_reply_ = false;
};

}  // namespace zakros::server
