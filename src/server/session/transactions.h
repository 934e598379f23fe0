// Transactions: MULTI/EXEC/DISCARD/WATCH/UNWATCH, Redis 7.0's multi.c semantics.
//
// Division of work:
//  - The dispatch gate (dispatch.cc) queues commands while Client::in_multi, answers QUEUED,
//    and sets Client::multi_dirty when it rejects a command during MULTI (EXECABORT later).
//  - This part keeps the watched-keys registry and marks watching clients dirty
//    (Client::watch_dirty: EXEC then answers a null array) when a key they watch is modified
//    (Server::key_modified -> touch), when its database's contents are replaced wholesale by
//    FLUSHDB/FLUSHALL/SWAPDB (Server::database_modified -> touch_db) and when a watched key
//    expires (an expiry deletion calls touch; EXEC also checks watched_key_expired for keys that
//    are logically expired but not yet deleted).
//  - execute_transaction() runs a queue as one unit. It is the only place EXEC's work happens,
//    so a Raft build can carry a whole queue in one log entry and apply it with this call.
//
// Keys that were already logically expired when WATCHed are special, as in Redis 7.0: their
// deletion is not a change (the key was already absent for the client), and neither is a
// FLUSHDB or SWAPDB that leaves them absent or expired.
//
// touch_db() is told only "database N now holds other contents" (after the change). It needs
// to know whether each watched key was stored before the change (Redis asks the dictionary
// before flushing or swapping); every watcher therefore remembers it, which is exact because
// any change of a watched key in between goes through touch(): a clean watcher's record is
// always the key's current presence. The same call thus covers FLUSHDB/FLUSHALL (emptied) and
// SWAPDB (called for both databases, each now holding the other's keys).
//
// Who calls it: transaction_commands.cc (the commands), the server (touch*, unwatch_all when a
// client goes away, discard on RESET).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/command_table.h"

namespace zakros::store {
class Keyspace;
}
namespace zakros::resp {
class ReplyWriter;
}

namespace zakros::server {

class Client;
class Server;
struct QueuedCommand;

class Transactions {
 public:
  Transactions() = default;
  // `keyspace` is asked whether watched keys are stored or expired; it must outlive this.
  explicit Transactions(store::Keyspace& keyspace) : keyspace_(&keyspace) {}
  // Sets the keyspace after construction (the WATCH command does it if the server did not).
  void bind_keyspace(store::Keyspace& keyspace) { keyspace_ = &keyspace; }
  bool bound() const { return keyspace_ != nullptr; }

  // WATCH one key in `db` for `client` (no-op if it already watches it). `now_ms` decides
  // whether the key is already logically expired (see the header comment).
  void watch(Client& client, int db, std::string_view key, int64_t now_ms);
  // Forgets every key `client` watches (UNWATCH, EXEC, DISCARD, disconnect). Does not touch
  // Client::watch_dirty: the callers decide.
  void unwatch_all(Client& client);

  // A key was modified or deleted (Redis's touchWatchedKey): every client watching it gets
  // watch_dirty and stops watching anything. Called after the change.
  void touch(int db, std::string_view key);
  // The contents of database `db` (-1: all) were replaced wholesale, AFTER the change: emptied
  // by FLUSHDB/FLUSHALL, or swapped with another database by SWAPDB (then called for both).
  // Redis's touchAllWatchedKeysInDb: clients watching a key that was stored before or is stored
  // now get watch_dirty, unless the key stays logically absent for them (expired rules above).
  // `now_ms` decides what "expired" means; the one-argument form uses the wall clock.
  void touch_db(int db);
  void touch_db(int db, int64_t now_ms);

  // Redis's isWatchedKeyExpired, checked by EXEC: true if a key `client` watches was alive at
  // WATCH time and is now logically expired (stored with expire_at <= now_ms).
  bool watched_key_expired(const Client& client, int64_t now_ms) const;

  // Distinct (db, key) pairs watched by anyone.
  size_t watched_key_count() const { return watched_keys_; }
  // Clients watching `key` of `db` (tests, introspection).
  size_t watchers(int db, std::string_view key) const;

  // Clears the MULTI state of `client` (queue, in_multi, multi_dirty, watch_dirty) after EXEC,
  // DISCARD or RESET. Watched keys are released separately with unwatch_all().
  static void discard(Client& client);

 private:
  struct Watcher {
    Client* client;
    bool expired;  // the key was logically expired when this client WATCHed it
    bool stored;   // the key is stored (see the header comment); kept current while clean
  };
  // Transparent hashing so touch() can look a key up by string_view without a copy.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  using KeyMap = std::unordered_map<std::string, std::vector<Watcher>, KeyHash, std::equal_to<>>;

  KeyMap* db_map(int db);
  const KeyMap* db_map(int db) const;
  bool stored(int db, std::string_view key) const;
  bool expired(int db, std::string_view key, int64_t now_ms) const;
  void touch_one_db(int db, int64_t now_ms);

  store::Keyspace* keyspace_ = nullptr;
  std::vector<KeyMap> dbs_;  // indexed by database, grown on demand
  size_t watched_keys_ = 0;
};

// Runs a transaction's queued commands in order with Server::execute, as one unit: appends an
// array of their replies to `out`. `db_index` is the database selected when EXEC runs; a
// queued SELECT changes it for the commands that follow, and the final value is left in it.
// `client` may be null (a transaction applied from the Raft log on another node).
void execute_transaction(Server& server, Client* client, std::span<const QueuedCommand> queue,
                         resp::ReplyWriter& out, int& db_index);

// MULTI, EXEC, DISCARD, WATCH, UNWATCH with Redis 7.0's arity, flags, key positions and ACL
// categories (transaction_commands.cc).
void register_transaction_commands(commands::CommandTable& table);

}  // namespace zakros::server
