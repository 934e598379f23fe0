#include "server/session/transactions.h"

#include <algorithm>
#include <chrono>

#include "server/net/client.h"
#include "server/server.h"
#include "store/keyspace.h"

namespace zakros::server {

Transactions::KeyMap* Transactions::db_map(int db) {
  if (db < 0 || static_cast<size_t>(db) >= dbs_.size()) return nullptr;
  return &dbs_[static_cast<size_t>(db)];
}

const Transactions::KeyMap* Transactions::db_map(int db) const {
  if (db < 0 || static_cast<size_t>(db) >= dbs_.size()) return nullptr;
  return &dbs_[static_cast<size_t>(db)];
}

bool Transactions::stored(int db, std::string_view key) const {
  if (keyspace_ == nullptr || db < 0 || db >= keyspace_->count()) return false;
  return keyspace_->db(db).find_raw(key) != nullptr;
}

bool Transactions::expired(int db, std::string_view key, int64_t now_ms) const {
  if (keyspace_ == nullptr || db < 0 || db >= keyspace_->count()) return false;
  const store::Entry* e = keyspace_->db(db).find_raw(key);
  return e != nullptr && store::Database::is_expired(e, now_ms);
}

void Transactions::watch(Client& client, int db, std::string_view key, int64_t now_ms) {
  for (const auto& [wdb, wkey] : client.watched_keys) {
    if (wdb == db && wkey == key) return;
  }
  if (db < 0) return;
  if (static_cast<size_t>(db) >= dbs_.size()) dbs_.resize(static_cast<size_t>(db) + 1);
  KeyMap& map = dbs_[static_cast<size_t>(db)];
  auto it = map.find(key);
  if (it == map.end()) {
    it = map.emplace(std::string(key), std::vector<Watcher>{}).first;
    ++watched_keys_;
  }
  it->second.push_back(Watcher{&client, expired(db, key, now_ms), stored(db, key)});
  client.watched_keys.emplace_back(db, std::string(key));
}

void Transactions::unwatch_all(Client& client) {
  for (const auto& [db, key] : client.watched_keys) {
    KeyMap* map = db_map(db);
    if (map == nullptr) continue;
    auto it = map->find(key);
    if (it == map->end()) continue;
    std::erase_if(it->second, [&](const Watcher& w) { return w.client == &client; });
    if (it->second.empty()) {
      map->erase(it);
      --watched_keys_;
    }
  }
  client.watched_keys.clear();
}

void Transactions::touch(int db, std::string_view key) {
  if (watched_keys_ == 0) return;
  KeyMap* map = db_map(db);
  if (map == nullptr) return;
  auto it = map->find(key);
  if (it == map->end()) return;
  // Dirty clients stop watching at once (nothing can make them clean again before EXEC), which
  // edits this very list: collect them first.
  std::vector<Client*> dirty;
  for (Watcher& w : it->second) {
    if (w.expired) {
      // The key was already expired at WATCH time. Its deletion is no logical change, and a
      // deleted key is not expired any more, so later changes count as usual.
      if (!stored(db, key)) {
        w.expired = false;
        w.stored = false;
        continue;
      }
      // Still stored: a change that did not delete the expired value first (writes normally
      // do, as Redis's lookupKeyWrite). Redis 7.0 leaves this client alone; it also stops
      // looking at the other watchers (a `break`), which we do not copy: they are judged on
      // their own, so no live watcher can miss a change.
      continue;
    }
    dirty.push_back(w.client);
  }
  for (Client* client : dirty) {
    client->watch_dirty = true;
    unwatch_all(*client);
  }
}

void Transactions::touch_db(int db) {
  if (watched_keys_ == 0) return;
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  touch_db(db, now_ms);
}

void Transactions::touch_db(int db, int64_t now_ms) {
  if (watched_keys_ == 0) return;
  if (db >= 0) {
    touch_one_db(db, now_ms);
    return;
  }
  for (size_t i = 0; i < dbs_.size(); ++i) touch_one_db(static_cast<int>(i), now_ms);
}

// Redis's touchAllWatchedKeysInDb(emptied, replaced_with), run after the change: "emptied" is
// the watcher's record of the old contents, "replaced_with" is what the database holds now.
void Transactions::touch_one_db(int db, int64_t now_ms) {
  KeyMap* map = db_map(db);
  if (map == nullptr) return;
  for (auto& [key, watchers] : *map) {
    bool stored_now = stored(db, key);
    bool expired_now = stored_now && expired(db, key, now_ms);
    for (Watcher& w : watchers) {
      bool stored_before = w.stored;
      w.stored = stored_now;
      if (!stored_before && !stored_now) continue;
      if (w.expired) {
        if (!stored_now) {
          // An expired key is now deleted: no logical change, and no longer expired.
          w.expired = false;
          continue;
        }
        // An expired key replaced by another expired key: still absent.
        if (expired_now) continue;
      } else if (!stored_before && expired_now) {
        // An absent key replaced by an expired one: still absent, but now expired.
        w.expired = true;
        continue;
      }
      // Redis does not unwatch here (its iterator could not survive it); the client stays
      // dirty until EXEC/DISCARD/UNWATCH.
      w.client->watch_dirty = true;
    }
  }
}

bool Transactions::watched_key_expired(const Client& client, int64_t now_ms) const {
  for (const auto& [db, key] : client.watched_keys) {
    const KeyMap* map = db_map(db);
    if (map == nullptr) continue;
    auto it = map->find(key);
    if (it == map->end()) continue;
    for (const Watcher& w : it->second) {
      if (w.client != &client) continue;
      if (!w.expired && expired(db, key, now_ms)) return true;
      break;
    }
  }
  return false;
}

size_t Transactions::watchers(int db, std::string_view key) const {
  const KeyMap* map = db_map(db);
  if (map == nullptr) return 0;
  auto it = map->find(key);
  return it == map->end() ? 0 : it->second.size();
}

void Transactions::discard(Client& client) {
  client.multi_queue.clear();
  client.in_multi = false;
  client.multi_dirty = false;
  client.watch_dirty = false;
}

void execute_transaction(Server& server, Client* client, std::span<const QueuedCommand> queue,
                         resp::ReplyWriter& out, int& db_index) {
  out.array(queue.size());
  std::vector<std::string_view> argv;
  for (const QueuedCommand& command : queue) {
    argv.assign(command.argv.begin(), command.argv.end());
    server.execute(client, *command.spec, command.parent, argv, out, db_index, true);
  }
}

}  // namespace zakros::server
