#include "server/net/client.h"

#include "raft/transport/peer_transport.h"
#include "server/replication/replication.h"

#include <sys/socket.h>

#include "server/server.h"
#include "server/session/pubsub.h"
#include "server/session/transactions.h"
#include "util/clock.h"

namespace zakros::server {

namespace {

// Bytes asked of each read(2): as Redis's PROTO_IOBUF_LEN, but a large bulk argument that is
// still arriving is read straight into the buffer in bigger chunks.
constexpr size_t kReadChunk = 16 * 1024;
// Consumed bytes at the head of the read buffer are dropped once they exceed this.
constexpr size_t kCompactThreshold = 64 * 1024;
// Redis frees a client's argument array after every command, and never holds a whole request in
// its query buffer (arguments move into objects as they arrive). Here arguments are views into the
// read buffer, so one huge request (SADD of 100,000 members) grows both; once it is done, lists
// longer than this and an empty buffer bigger than that are freed, or the memory would stay
// counted in INFO used_memory until the cron trimmed it (Redis's unit/lazyfree measures it).
constexpr size_t kMaxKeptArgs = 1024;
constexpr size_t kMaxKeptBuffer = 1024 * 1024;

resp::RequestParser::Limits parser_limits(const Config& config) {
  resp::RequestParser::Limits limits;
  limits.max_bulk_len = config.proto_max_bulk_len;
  return limits;
}

}  // namespace

Client::Client(Server& server, asio::ip::tcp::socket socket, uint64_t id)
    : id(id),
      server_(server),
      socket_(std::move(socket)),
      parser_(parser_limits(server.config())),
      writer_(&out_buf_) {
  writer_.set_error_observer(this);
  created_ms = util::wall_ms();
  last_interaction_ms = created_ms;
  authenticated = server.config().requirepass.empty();
  asio::error_code ec;
  auto remote = socket_.remote_endpoint(ec);
  if (!ec) peer_address = remote.address().to_string() + ":" + std::to_string(remote.port());
  auto local = socket_.local_endpoint(ec);
  if (!ec) local_address = local.address().to_string() + ":" + std::to_string(local.port());
  socket_.non_blocking(true, ec);
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  if (server.config().tcp_keepalive > 0)
    socket_.set_option(asio::socket_base::keep_alive(true), ec);
}

Client::~Client() = default;

void Client::start() {
  on_readable();
}

void Client::wait_readable() {
  if (read_waiting_ || closing_) return;
  read_waiting_ = true;
  socket_.async_wait(asio::socket_base::wait_read,
                     [self = shared_from_this()](const asio::error_code& ec) {
                       self->read_waiting_ = false;
                       if (ec || self->closing_) return;
                       self->on_readable();
                     });
}

// Reads what the socket has (edge-style: until a short read), executes every complete request,
// then writes all the replies at once. Asio's reactor reports readiness only for waits that are
// queued, so whoever stops waiting must call on_readable() again to resume (see resume()).
void Client::on_readable() {
  if (closing_) return;
  for (;;) {
    if (read_pos_ > kCompactThreshold && read_pos_ * 2 > read_buf_.size()) {
      read_buf_.erase(0, read_pos_);
      read_pos_ = 0;
    }
    // recv into one scratch buffer, then append what arrived: growing read_buf_ by a whole
    // chunk before each recv zero-fills 16 KB per read (5% of the CPU of a pipelined SET
    // benchmark). The event loop is single-threaded; thread_local keeps that assumption safe.
    alignas(64) static thread_local char scratch[kReadChunk];
    // Room for a whole chunk, as Redis's query buffer has (CLIENT LIST qbuf + qbuf-free is at
    // least PROTO_IOBUF_LEN while a client is active); reserve() does not fill it.
    if (read_buf_.capacity() < read_buf_.size() + kReadChunk) {
      read_buf_.reserve(std::max(read_buf_.size() + kReadChunk, read_buf_.capacity() * 2));
    }
    ssize_t n = ::recv(socket_.native_handle(), scratch, kReadChunk, 0);
    if (n <= 0) {
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n < 0 && errno == EINTR) continue;
      close_now();  // EOF or error
      return;
    }
    read_buf_.append(scratch, static_cast<size_t>(n));
    query_buffer_peak = std::max(query_buffer_peak, read_buf_.size() - read_pos_);
    server_.stats().net_input_bytes += static_cast<uint64_t>(n);
    server_.stats().total_reads_processed++;
    last_interaction_ms = util::wall_ms();
    bool drained = static_cast<size_t>(n) < kReadChunk;
    process_input();
    if (closing_ || paused) break;
    if (query_buffer_size() > static_cast<size_t>(server_.config().client_query_buffer_limit)) {
      server_.stats().client_query_buffer_limit_disconnections++;
      close_now();
      return;
    }
    if (drained) break;
  }
  write_output();
  if (!closing_ && !close_after_reply_ && !paused) wait_readable();
}

void Client::process_input() {
  while (!closing_ && !close_after_reply_ && !paused && !blocked && !awaiting_raft) {
    std::string_view pending(read_buf_.data() + read_pos_, read_buf_.size() - read_pos_);
    if (pending.empty()) break;
    if (commands_processed == 0 && read_pos_ == 0 && pending[0] == '*' &&
        PeerTransport::looks_like_handshake(pending)) {
      if (pending.size() < 13) break;  // the whole magic decides
      if (hand_over_to_peer()) return;
    }
    size_t consumed = 0;
    // Before AUTH, Redis refuses big multibulk counts and bulk lengths.
    parser_.set_auth_required(!authenticated);
    auto status = parser_.parse(pending, &consumed, &argv_);
    if (status == resp::RequestParser::Status::kIncomplete) break;
    if (status == resp::RequestParser::Status::kError) {
      // The error and the close wait until the replies still owed for earlier commands are out.
      if (replies_in_flight()) break;
      writer_.error(std::string("ERR ") + std::string(parser_.error()));
      close_after_reply();
      read_pos_ = read_buf_.size();
      break;
    }
    if (!argv_.empty()) {
      if (!server_.process_command(*this, argv_)) break;  // paused: keep the request
      commands_processed++;
      if (argv_.capacity() > kMaxKeptArgs) {
        std::vector<std::string_view>().swap(argv_);
        parser_.release_large_scratch(kMaxKeptArgs);
      }
    }
    read_pos_ += consumed;
    if (blocked || awaiting_raft) break;
  }
  if (read_pos_ == read_buf_.size()) {
    if (read_buf_.capacity() > kMaxKeptBuffer) {
      std::string().swap(read_buf_);
    } else {
      read_buf_.clear();
    }
    read_pos_ = 0;
  }
}

void Client::cron_resize_query_buffer(int64_t now_ms) {
  // Thresholds are Redis's: only when at least 4 KB are wasted; PROTO_RESIZE_THRESHOLD 32 KB.
  constexpr size_t kMinWaste = 4 * 1024;
  constexpr size_t kResizeThreshold = 32 * 1024;
  if (read_pos_ > 0) {
    read_buf_.erase(0, read_pos_);
    read_pos_ = 0;
  }
  size_t used = read_buf_.size();
  size_t capacity = query_buffer_capacity();
  if (capacity > used + kMinWaste) {
    if (now_ms - last_interaction_ms > 2000) {
      if (used == 0) {
        std::string().swap(read_buf_);
      } else {
        read_buf_.shrink_to_fit();
      }
    } else if (capacity > kResizeThreshold && capacity / 2 > query_buffer_peak) {
      size_t keep = std::max({used, query_buffer_peak, parser_.bytes_needed_hint()});
      std::string resized;
      resized.reserve(keep);
      resized.assign(read_buf_);
      read_buf_.swap(resized);
    }
  }
  query_buffer_peak = read_buf_.size();
}

void Client::flush_soon() {
  if (flush_scheduled_ || write_waiting_ || closing_) return;
  if (!check_output_limits()) return;
  flush_scheduled_ = true;
  asio::post(server_.io(), [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->write_output();
  });
}

void Client::write_output() {
  if (closing_) return;
  if (!check_output_limits()) return;
  while (out_pos_ < out_buf_.size()) {
    ssize_t n = ::send(socket_.native_handle(), out_buf_.data() + out_pos_,
                       out_buf_.size() - out_pos_, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wait_writable();
        return;
      }
      close_now();
      return;
    }
    out_pos_ += static_cast<size_t>(n);
    server_.stats().net_output_bytes += static_cast<uint64_t>(n);
    server_.stats().total_writes_processed++;
  }
  out_buf_.clear();
  out_pos_ = 0;
  if (out_buf_.capacity() > 1024 * 1024) out_buf_.shrink_to_fit();
  obuf_soft_limit_since_ms = 0;
  if (close_after_reply_) close_now();
}

void Client::wait_writable() {
  if (write_waiting_) return;
  write_waiting_ = true;
  socket_.async_wait(asio::socket_base::wait_write,
                     [self = shared_from_this()](const asio::error_code& ec) {
                       self->write_waiting_ = false;
                       if (ec || self->closing_) return;
                       self->write_output();
                     });
}

// client-output-buffer-limit: the hard limit disconnects at once; the soft one after it has
// been exceeded continuously for soft-seconds. Pub/Sub subscribers use their own class.
bool Client::check_output_limits() {
  const Config& config = server_.config();
  const OutputBufferLimit& limit = subscription_count() > 0 ? config.client_output_buffer_limit[2]
                                                            : config.client_output_buffer_limit[0];
  size_t used = output_buffer_size();
  bool over = false;
  if (limit.hard_bytes > 0 && used >= static_cast<size_t>(limit.hard_bytes)) over = true;
  if (!over && limit.soft_bytes > 0 && used >= static_cast<size_t>(limit.soft_bytes)) {
    int64_t now = util::wall_ms();
    if (obuf_soft_limit_since_ms == 0) {
      obuf_soft_limit_since_ms = now;
    } else if (now - obuf_soft_limit_since_ms >= limit.soft_seconds * 1000) {
      over = true;
    }
  } else if (!over) {
    obuf_soft_limit_since_ms = 0;
  }
  if (over) {
    server_.stats().client_output_buffer_limit_disconnections++;
    close_now();
    return false;
  }
  return true;
}

void Client::close_after_reply() {
  close_after_reply_ = true;
}

void Client::close_now() {
  if (closing_) return;
  closing_ = true;
  asio::error_code ec;
  socket_.cancel(ec);
  socket_.close(ec);
  // Removal drops the server's reference; pending handlers hold their own until they run.
  server_.remove_client(*this);
}

bool Client::hand_over_to_peer() {
  Replication* replication = server_.replication();
  if (replication == nullptr || !replication->cluster_mode()) return false;
  std::string received = read_buf_.substr(read_pos_);
  asio::ip::tcp::socket socket = std::move(socket_);
  closing_ = true;
  server_.remove_client(*this);
  replication->adopt_peer(std::move(socket), std::move(received));
  return true;
}

void Client::resume() {
  if (closing_) return;
  paused = false;
  asio::post(server_.io(), [self = shared_from_this()] {
    if (self->closing_ || self->paused) return;
    self->process_input();
    self->on_readable();
  });
}

void Client::on_error_reply(std::string_view message) {
  Stats& stats = server_.stats();
  stats.total_error_replies++;
  size_t space = message.find(' ');
  std::string code(message.substr(0, space == std::string_view::npos ? message.size() : space));
  stats.errors[code]++;
}

}  // namespace zakros::server
