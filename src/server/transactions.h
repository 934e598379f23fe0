// Transactions: MULTI/EXEC/DISCARD/WATCH/UNWATCH.
//
// The dispatch gate queues commands while a client is in MULTI (dispatch.cc); this part keeps
// the watched-keys registry and marks watching clients dirty when a key they watch is modified
// (Server::key_modified), flushed (database_modified) or expires.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "commands/command_table.h"

namespace zakros::server {

class Client;

class Transactions {
 public:
  void watch(Client& client, int db, std::string_view key);
  void unwatch_all(Client& client);
  // A key changed: every client watching it gets watch_dirty.
  void touch(int db, std::string_view key);
  // A database changed wholesale (db = -1: all): clients watching a key of it that exists (or
  // existed) get watch_dirty, as Redis's touchAllWatchedKeysInDb.
  void touch_db(int db);
  size_t watched_key_count() const { return watchers_.size(); }

  // Clears MULTI state (after EXEC/DISCARD/RESET).
  static void discard(Client& client);

 private:
  struct KeyHash {
    size_t operator()(const std::pair<int, std::string>& k) const {
      return std::hash<std::string>()(k.second) ^ static_cast<size_t>(k.first);
    }
  };
  std::unordered_map<std::pair<int, std::string>, std::unordered_set<Client*>, KeyHash> watchers_;
};

// MULTI, EXEC, DISCARD, WATCH, UNWATCH.
void register_transaction_commands(commands::CommandTable& table);

}  // namespace zakros::server
