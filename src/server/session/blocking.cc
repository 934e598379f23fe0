#include "server/session/blocking.h"

#include <algorithm>
#include <chrono>

#include "commands/command_util.h"
#include "server/net/client.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "util/clock.h"

namespace zakros::server {

Blocking::~Blocking() {
  for (auto& [id, b] : blocked_) {
    if (b->timer) b->timer->cancel();
  }
}

Blocking::KeyId Blocking::key_id(int db, std::string_view key) {
  KeyId id = std::to_string(db);
  id += '\0';
  id.append(key);
  return id;
}

void Blocking::block(Client& client, const commands::CommandSpec& spec,
                     const commands::CommandSpec* parent, std::span<const std::string_view> argv,
                     int db, commands::BlockRequest request) {
  auto b = std::make_unique<Blocked>();
  b->client = client.weak_from_this();
  b->spec = &spec;
  b->parent = parent;
  if (!request.rerun_argv.empty()) {
    b->argv = std::move(request.rerun_argv);
  } else {
    b->argv.assign(argv.begin(), argv.end());
  }
  b->db = db;
  b->deadline_ms = request.deadline_ms;
  b->timeout_reply = request.timeout_reply;
  b->generation = ++generation_;
  // BLPOP k k waits once on k.
  for (std::string& key : request.keys) {
    if (std::find(b->keys.begin(), b->keys.end(), key) == b->keys.end()) {
      b->keys.push_back(std::move(key));
    }
  }
  for (const std::string& key : b->keys) waiting_[key_id(db, key)].push_back(client.id);
  start_timer(*b, client.id);
  client.blocked = true;
  blocked_[client.id] = std::move(b);
}

void Blocking::block_until(Client& client, int64_t deadline_ms, Check check) {
  auto b = std::make_unique<Blocked>();
  b->client = client.weak_from_this();
  b->deadline_ms = deadline_ms;
  b->generation = ++generation_;
  b->check = std::move(check);
  start_timer(*b, client.id);
  client.blocked = true;
  blocked_[client.id] = std::move(b);
  conditions_.push_back(client.id);
}

void Blocking::start_timer(Blocked& b, uint64_t id) {
  if (b.deadline_ms <= 0) return;
  b.timer = std::make_unique<asio::steady_timer>(server_.io());
  int64_t delay = std::max<int64_t>(0, b.deadline_ms - util::wall_ms());
  b.timer->expires_after(std::chrono::milliseconds(delay));
  uint64_t generation = b.generation;
  b.timer->async_wait([this, id, generation](const asio::error_code& ec) {
    if (ec) return;  // cancelled: the Blocked (and maybe this object) is gone
    auto it = blocked_.find(id);
    if (it != blocked_.end() && it->second->generation == generation) on_timeout(id);
  });
}

void Blocking::signal(int db, std::string_view key) {
  if (waiting_.empty()) return;
  KeyId id = key_id(db, key);
  if (waiting_.count(id) == 0) return;
  if (std::find(ready_.begin(), ready_.end(), id) == ready_.end()) ready_.push_back(std::move(id));
}

void Blocking::signal_database(int db) {
  for (const auto& [id, clients] : waiting_) {
    int key_db = std::stoi(id.substr(0, id.find('\0')));
    if ((db < 0 || key_db == db) && std::find(ready_.begin(), ready_.end(), id) == ready_.end()) {
      ready_.push_back(id);
    }
  }
}

void Blocking::serve_ready_keys() {
  if (serving_) return;
  serving_ = true;
  while (!ready_.empty()) {
    std::vector<KeyId> keys;
    keys.swap(ready_);
    for (const KeyId& key : keys) {
      auto it = waiting_.find(key);
      if (it == waiting_.end()) continue;
      // Snapshot the queue: serving removes clients from it.
      std::vector<uint64_t> ids(it->second.begin(), it->second.end());
      std::string_view ready_key = std::string_view(key).substr(key.find('\0') + 1);
      for (uint64_t id : ids) {
        if (blocked_.count(id) != 0) rerun(id, ready_key);
      }
    }
  }
  check_conditions();
  serving_ = false;
}

void Blocking::check_conditions() {
  if (conditions_.empty()) return;
  // A copy: ending a wait removes its client from conditions_.
  std::vector<uint64_t> ids = conditions_;
  for (uint64_t id : ids) {
    auto it = blocked_.find(id);
    if (it == blocked_.end()) continue;
    std::shared_ptr<Client> client = it->second->client.lock();
    if (!client || client->closing()) {
      forget(id);
      continue;
    }
    if (!it->second->check(*client, false)) continue;
    forget(id);
    release(*client);
  }
}

bool Blocking::rerun(uint64_t id, std::string_view woken_key) {
  Blocked& b = *blocked_.at(id);
  std::shared_ptr<Client> client = b.client.lock();
  if (!client || client->closing()) {
    forget(id);
    return true;
  }
  if (Replication* replication = server_.replication();
      replication != nullptr && b.spec->has(commands::kWrite)) {
    // A pop changes the keyspace, so it goes through the log again (replication.h); reads
    // (XREAD) run again locally like on a volatile node.
    std::unique_ptr<Blocked> parked = forget(id);
    client->awaiting_raft = true;
    replication->repropose_blocked(*client, std::move(parked->argv), parked->db,
                                   parked->deadline_ms, woken_key);
    return true;
  }
  std::vector<std::string_view> argv(b.argv.begin(), b.argv.end());
  commands::BlockRequest again;
  int db = b.db;
  server_.execute(client.get(), *b.spec, b.parent, argv, client->out(), db, false, &again, true,
                  nullptr, woken_key);
  if (again.requested) return false;  // still nothing for it: keeps its place and deadline
  forget(id);
  release(*client);
  return true;
}

void Blocking::on_timeout(uint64_t id) {
  std::unique_ptr<Blocked> b = forget(id);
  std::shared_ptr<Client> client = b->client.lock();
  if (!client || client->closing()) return;
  timeout_reply(*b, *client);
  release(*client);
}

void Blocking::timeout_reply(Blocked& b, Client& client) {
  if (b.check) {
    b.check(client, true);
    return;
  }
  // Redis 7.0 answers every timed-out block with a null array, BLMOVE's included (only a
  // command that could not block at all, in MULTI, gets its own null).
  client.out().null_array();
}

bool Blocking::unblock(Client& client, bool with_error) {
  if (blocked_.count(client.id) == 0) return false;
  std::unique_ptr<Blocked> b = forget(client.id);
  if (with_error) {
    client.out().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
  } else {
    timeout_reply(*b, client);
  }
  release(client);
  return true;
}

void Blocking::remove(Client& client) {
  if (blocked_.count(client.id) != 0) forget(client.id);
  client.blocked = false;
}

bool Blocking::is_blocked(const Client& client) const {
  return blocked_.count(client.id) != 0;
}

size_t Blocking::with_timeout_count() const {
  size_t n = 0;
  for (const auto& [id, b] : blocked_) n += b->deadline_ms > 0 ? 1 : 0;
  return n;
}

std::unique_ptr<Blocking::Blocked> Blocking::forget(uint64_t id) {
  auto it = blocked_.find(id);
  std::unique_ptr<Blocked> b = std::move(it->second);
  blocked_.erase(it);
  for (const std::string& key : b->keys) {
    auto w = waiting_.find(key_id(b->db, key));
    if (w == waiting_.end()) continue;
    w->second.remove(id);
    if (w->second.empty()) waiting_.erase(w);
  }
  if (b->check) std::erase(conditions_, id);
  if (b->timer) b->timer->cancel();
  if (auto client = b->client.lock()) client->blocked = false;
  return b;
}

void Blocking::release(Client& client) {
  client.blocked = false;
  client.flush_soon();
  client.resume();  // goes on with the requests that arrived while it was blocked
}

}  // namespace zakros::server
