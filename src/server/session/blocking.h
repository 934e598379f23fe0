// Blocked clients: BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK and the other blocking commands.
//
// A blocking handler that finds nothing to serve fills in a commands::BlockRequest (through
// commands::block_client). The dispatch gate then hands the client here: it stops processing
// the client's further requests (they stay in its buffer) and queues it on each key it waits
// for, in arrival order.
//
// Wake-ups re-run the command: whenever a key some client waits on is signalled (key_ready from
// a push, and any key_modified or new key as well, which is how deletions wake XREADGROUP with
// its error), serve_ready_keys() runs the blocked command again for each client queued on that
// key, first blocked first. A run that blocks again leaves the client where it was in the queue
// with its original deadline; any other run is its reply and unblocks the client. Commands run
// this way may signal more keys (BLMOVE pushes to its destination), so serving loops until no
// key is left. The dispatch gate calls serve_ready_keys() after every top-level command, which
// makes a transaction's pushes wake clients only after EXEC, as in Redis.
//
// Timeouts are local (design.md: a timeout never goes through Raft): one timer per blocked
// client replies the command's timeout reply at its deadline. CLIENT UNBLOCK ends a block with
// that reply or with -UNBLOCKED.
//
// A client may also block on a condition instead of keys (WAIT, Redis's BLOCKED_WAIT): its check
// runs whenever blocked clients are served (after every command and every Raft drive, which is
// when a leader learns its followers' progress) and at the deadline, and writes the reply.
//
// Only the event-loop thread touches this.
#pragma once

#include <asio.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/command.h"

namespace zakros::server {

class Client;
class Server;

class Blocking {
 public:
  explicit Blocking(Server& server) : server_(server) {}
  ~Blocking();

  // Parks `client`, which just ran `spec` (with `argv`) in database `db` and asked to block.
  void block(Client& client, const commands::CommandSpec& spec, const commands::CommandSpec* parent,
             std::span<const std::string_view> argv, int db, commands::BlockRequest request);
  // Checks a condition for a client blocked on no key: writes its reply to the client and returns
  // true once the wait is over. With `final` (the deadline passed, CLIENT UNBLOCK ... TIMEOUT)
  // it must write its reply.
  using Check = std::function<bool(Client& client, bool final)>;
  // Parks `client` until `check` says its wait is over, or until `deadline_ms` (util::wall_ms's
  // clock; 0 = none). The caller has checked once already that it is not over.
  void block_until(Client& client, int64_t deadline_ms, Check check);
  // A key changed or got elements: if a client waits on it, remember it for serve_ready_keys().
  void signal(int db, std::string_view key);
  // A whole database changed (FLUSHDB/FLUSHALL with db = -1, SWAPDB): every waited key of it.
  void signal_database(int db);
  // Re-runs the blocked commands of every signalled key until none is left, then checks the
  // clients blocked on a condition.
  void serve_ready_keys();

  // CLIENT UNBLOCK: ends `client`'s block with its timeout reply, or with -UNBLOCKED when
  // `with_error`. False if it was not blocked.
  bool unblock(Client& client, bool with_error);
  // The client is going away: forget it without replying.
  void remove(Client& client);

  bool is_blocked(const Client& client) const;
  size_t blocked_count() const { return blocked_.size(); }
  // Blocked clients with a deadline (INFO clients_in_timeout_table).
  size_t with_timeout_count() const;

 private:
  struct Blocked {
    std::weak_ptr<Client> client;
    const commands::CommandSpec* spec = nullptr;
    const commands::CommandSpec* parent = nullptr;
    std::vector<std::string> argv;
    int db = 0;
    std::vector<std::string> keys;
    int64_t deadline_ms = 0;
    commands::BlockRequest::TimeoutReply timeout_reply{};
    std::unique_ptr<asio::steady_timer> timer;
    uint64_t generation = 0;  // tells a stale timer wake-up from the current block
    Check check;              // set for a block on a condition (no spec, no keys)
  };
  using KeyId = std::string;  // db index, '\0', key
  static KeyId key_id(int db, std::string_view key);

  // Removes `id` from the queues of its keys and from blocked_; cancels its timer.
  std::unique_ptr<Blocked> forget(uint64_t id);
  // Runs the command of blocked client `id` again, woken by `woken_key`; true if it was served
  // (no longer blocked).
  bool rerun(uint64_t id, std::string_view woken_key);
  void on_timeout(uint64_t id);
  // Starts the deadline timer of b (blocked_ must not hold it yet).
  void start_timer(Blocked& b, uint64_t id);
  // Runs the check of every client blocked on a condition; ends the waits that are over.
  void check_conditions();
  // Writes the reply of `b` ending at its deadline (or CLIENT UNBLOCK ... TIMEOUT).
  static void timeout_reply(Blocked& b, Client& client);
  // Writes `reply` (already in the client's buffer) out and lets the client go on with its
  // pipelined requests.
  void release(Client& client);

  Server& server_;
  std::unordered_map<uint64_t, std::unique_ptr<Blocked>> blocked_;  // by client id
  std::unordered_map<KeyId, std::list<uint64_t>> waiting_;          // key -> client ids, FIFO
  std::vector<KeyId> ready_;                                        // signalled, in order
  std::vector<uint64_t> conditions_;  // clients blocked on a condition, in order of blocking
  bool serving_ = false;
  uint64_t generation_ = 0;
};

}  // namespace zakros::server
