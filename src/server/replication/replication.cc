#include "server/replication/replication.h"

#include <spdlog/spdlog.h>
#include <xxhash.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "commands/command_table.h"
#include "raft/core/memory_storage.h"
#include "raft/storage/disk_hard_state.h"
#include "raft/storage/disk_log.h"
#include "raft/storage/disk_log_writer.h"
#include "server/net/client.h"
#include "server/server.h"
#include "server/session/blocking.h"
#include "server/session/transactions.h"
#include "util/clock.h"
#include "util/crc16.h"
#include "util/strings.h"

namespace zakros::server {

namespace {

// How many recent key modifications the WATCH record keeps (see replication.h).
constexpr size_t kModificationRecord = 100000;

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

uint64_t modification_id(int db, std::string_view key) {
  return XXH3_64bits_withSeed(key.data(), key.size(), static_cast<uint64_t>(db));
}

void raft_storage_failure(const std::string& what) {
  spdlog::critical("Raft storage failure: {}", what);
  std::abort();
}

Replication::Replication(Server& server) : server_(server), tick_timer_(server.io()) {}

Replication::~Replication() = default;

bool Replication::start(std::string* error) {
  const Config& config = server_.config();
  cluster_mode_ = !config.cluster_addrs.empty();
  stale_reads_ = config.raft_test_break == "stale-reads";
  early_ack_ = config.raft_test_break == "early-ack";
  if (stale_reads_ || early_ack_) {
    spdlog::warn("raft-test-break {}: this node is deliberately UNSAFE (fault-test only)",
                 config.raft_test_break);
  }
  self_ = static_cast<raft::NodeId>(config.node_id);
  std::string addrs;
  if (cluster_mode_) {
    if (config.node_id < 0 || static_cast<size_t>(config.node_id) >= config.cluster_addrs.size()) {
      *error = "node-id " + std::to_string(config.node_id) + " is not an index of cluster-addrs";
      return false;
    }
    for (size_t i = 0; i < config.cluster_addrs.size(); ++i) {
      const NodeAddress& a = config.cluster_addrs[i];
      members_[i] = PeerAddress{a.host, a.port};
      addrs += a.host + ":" + std::to_string(a.port) + " ";
    }
  } else {
    members_[self_] = PeerAddress{"127.0.0.1", server_.bound_port()};
    addrs = "single";
  }
  char id[17];
  std::snprintf(id, sizeof(id), "%016" PRIx64, XXH3_64bits(addrs.data(), addrs.size()));
  cluster_id_ = config.raft_cluster_id.empty() ? std::string(id) : config.raft_cluster_id;

  raft::Index applied = 0;
  raft::DiskHardStateStore* disk_hard_state = nullptr;
  if (config.raft_storage == RaftStorage::kMemory) {
    log_ = std::make_unique<raft::MemoryLogStore>();
    hard_state_ = std::make_unique<raft::MemoryHardStateStore>();
    snapshots_ = std::make_unique<raft::MemorySnapshotStore>();
  } else {
    std::string node_dir = config.dir + "/node-" + std::to_string(self_);
    std::error_code ec;
    std::filesystem::create_directories(node_dir, ec);
    if (ec) {
      *error = "Can't create the node directory " + node_dir + ": " + ec.message();
      return false;
    }
    if (cluster_mode_ && !settle_cluster_id(node_dir, error)) return false;
    raft::DiskLogOptions log_options;
    log_options.warn = [](const std::string& what) { spdlog::warn("Raft log: {}", what); };
    log_options.fatal = raft_storage_failure;
    // Segments small enough that compaction after a snapshot frees most of the log.
    log_options.segment_bytes =
        std::clamp<uint64_t>(config.raft_log_max_bytes / 4, 64 * 1024, 64ull << 20);
    auto disk_log = raft::DiskLogStore::open(node_dir + "/log", log_options, error);
    if (!disk_log) return false;
    disk_log_ = disk_log.get();
    log_ = std::move(disk_log);
    raft::DiskHardStateOptions hs_options;
    hs_options.fatal = raft_storage_failure;
    auto disk_hs = raft::DiskHardStateStore::open(node_dir, hs_options, error);
    if (!disk_hs) return false;
    disk_hard_state = disk_hs.get();
    hard_state_ = std::move(disk_hs);
    if (!open_snapshots(node_dir, error) || !load_snapshot_at_start(&applied, error)) return false;
    spdlog::info("Raft log under {}: entries {}..{}", node_dir, log_->first_index(),
                 log_->last_index());
  }

  raft::Config rc;
  rc.id = self_;
  // A joining node starts with no configuration: it never campaigns, and learns the membership
  // from the leader's log once the leader adds it (membership.cc).
  if (!config.raft_join) {
    for (const auto& [member, address] : members_) rc.voters.push_back(member);
  }
  tick_ms_ = std::max(1, config.raft_heartbeat_interval);
  rc.heartbeat_ticks = 1;
  rc.election_ticks = std::max(2, config.raft_election_timeout / tick_ms_);
  election_timeout_ms_ = rc.election_ticks * tick_ms_;
  rc.seed = util::wall_ms() ^ (self_ * 0x9e3779b97f4a7c15ull);
  rc.applied = applied;  // the snapshot loaded into the keyspace
  seed_state_ = rc.seed;
  node_ = std::make_unique<raft::Node>(rc, *log_, *hard_state_, *snapshots_);
  // From here on the disk stores are the log thread's.
  if (disk_log_ != nullptr) start_log_thread(disk_log_, disk_hard_state);

  if (cluster_mode_) {
    transport_ = std::make_unique<PeerTransport>(
        server_.io(), self_, cluster_id_,
        [this](raft::Message&& m) {
          if (m.to != self_) return;
          node_->step(m);
          schedule_drive();
        },
        [this](raft::NodeId peer) { node_->report_unreachable(peer); });
    transport_->set_on_snapshot_sent(
        [this](raft::NodeId peer, bool ok) { on_snapshot_sent(peer, ok); });
  }
  setup_membership();
  size_t member_count = member_ids().size();
  spdlog::info("Raft node {} of cluster {} started ({} member{}, election timeout {} ms){}", self_,
               cluster_id_, member_count, member_count == 1 ? "" : "s", election_timeout_ms_,
               config.raft_join && member_count == 0 ? ", waiting to be added (raft-join)" : "");
  warn_if_cluster_addrs_contradict();
  if (node_->conf().voters == std::vector<raft::NodeId>{self_}) {
    // A lone voter need not wait out an election timeout nobody else could use: let the time
    // pass at once so that it serves right after start.
    for (int i = 0; i < 2 * rc.election_ticks; ++i) node_->tick();
  }
  on_tick();
  return true;
}

// ---- the gate ------------------------------------------------------------------------------

std::string Replication::redirect_error(std::span<const std::string_view> argv,
                                        const commands::CommandSpec& spec) const {
  raft::NodeId leader = node_->leader();
  auto address = address_of(leader);
  if (leader == raft::kNoNode || !address) return "CLUSTERDOWN The cluster is down";
  int slot = 0;
  std::vector<int> keys = commands::CommandTable::key_indexes(spec, argv);
  if (!keys.empty()) slot = util::key_hash_slot(argv[static_cast<size_t>(keys.front())]);
  return "MOVED " + std::to_string(slot) + " " + address->host + ":" +
         std::to_string(address->port);
}

Replication::Route Replication::route(Client& client, const commands::CommandSpec& spec,
                                      const commands::CommandSpec* parent,
                                      std::span<const std::string_view> argv, int db) {
  // PUBLISH goes through the log in a cluster so that every node delivers the message to its
  // own subscribers when it applies the entry (clients may subscribe on any node); its reply
  // counts the receivers on the leader, as Redis Cluster counts those of the receiving node.
  bool publish = cluster_mode_ && spec.has(commands::kPubsub) &&
                 (spec.name == "publish" || spec.name == "spublish");
  // A read that would change a value (PFCOUNT refreshing its cache) goes through the log on the
  // leader; elsewhere (READONLY on a follower) it runs as a read that changes nothing.
  bool write =
      spec.has(commands::kWrite) || publish ||
      (spec.writes_now != nullptr && is_leader() && db >= 0 && db < server_.keyspace().count() &&
       spec.writes_now(server_.keyspace().db(db), argv));
  bool read = !write && spec.has(commands::kReadonly);
  if (!write && !read) return Route::kLocal;
  if (read && stale_reads_) return Route::kLocal;  // raft-test-break stale-reads
  if (!is_leader()) {
    // Leadership was lost while this client had commands in flight: their answers come first.
    if (client.replies_in_flight()) return Route::kHold;
    if (read && client.readonly && cluster_mode_) return Route::kLocal;  // READONLY: stale read
    client.out().error(redirect_error(argv, spec));
    return Route::kTaken;
  }
  if (read && client.pending_writes == 0) return this->read(client, spec, parent, argv, db);
  // A write, or a read behind this client's writes in flight: the read then goes through the
  // log with them (executed in log order on every node, its reply in turn) rather than waiting
  // for them to apply before its own ReadIndex round. A pipeline mixing SETs and GETs thus
  // shares one log write instead of taking one round per command.
  // One entry reused for every write (its vectors and strings keep their capacity).
  ReplicatedEntry& e = proposed_entry_;
  e.kind = ReplicatedEntry::Kind::kCommand;
  e.db = db;
  e.protocol = static_cast<uint8_t>(client.protocol());
  e.watch_index = 0;
  e.watched.clear();
  e.woken_key.clear();
  e.commands.resize(1);
  e.commands[0].resize(argv.size());
  for (size_t i = 0; i < argv.size(); ++i) e.commands[0][i].assign(argv[i]);
  return propose(client, e, !pipelinable(spec));
}

void Replication::propose_transaction(Client& client, std::vector<QueuedCommand> queue, int db,
                                      std::vector<std::pair<int32_t, std::string>> watched) {
  if (!is_leader()) {
    // Not proposed: nothing happened.
    client.out().error(node_->leader() == raft::kNoNode ? "CLUSTERDOWN The cluster is down"
                                                        : "TRYAGAIN leadership changed");
    return;
  }
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kTransaction;
  e.db = db;
  e.protocol = static_cast<uint8_t>(client.protocol());
  e.watch_index = applying_index_;
  e.watched = std::move(watched);
  for (QueuedCommand& q : queue) e.commands.push_back(std::move(q.argv));
  propose(client, e, true);
}

int64_t Replication::next_now() {
  last_now_ms_ = std::max(last_now_ms_, util::wall_ms());
  return last_now_ms_;
}

void Replication::repropose_blocked(Client& client, std::vector<std::string> argv, int db,
                                    int64_t deadline_ms, std::string_view woken_key) {
  if (!is_leader()) {
    std::vector<std::string_view> views(argv.begin(), argv.end());
    const commands::CommandSpec* spec = server_.commands().find(argv[0]);
    client.out().error(spec != nullptr ? redirect_error(views, *spec)
                                       : "CLUSTERDOWN The cluster is down");
    release(client);
    return;
  }
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kCommand;
  e.db = db;
  e.protocol = static_cast<uint8_t>(client.protocol());
  e.commands.push_back(std::move(argv));
  e.woken_key = woken_key;
  propose(client, e, true);
  auto it = pending_writes_.rbegin();
  if (it != pending_writes_.rend() && it->second.client.lock().get() == &client) {
    it->second.block_deadline_ms = deadline_ms;
    wake_index_ = std::max(wake_index_, it->first);
  }
}

raft::Status Replication::propose_entry(ReplicatedEntry& entry, raft::EntryId* id) {
  entry.now_ms = next_now();
  entry.seed = splitmix64(seed_state_);
  return node_->propose(entry.encode(), id);
}

Replication::Route Replication::propose(Client& client, ReplicatedEntry& entry, bool exclusive) {
  raft::EntryId id;
  raft::Status status = propose_entry(entry, &id);
  if (status != raft::Status::kOk) {
    if (client.replies_in_flight()) return Route::kHold;
    if (client.awaiting_raft) release(client);  // a woken blocked client (repropose_blocked)
    // Not proposed: the client may retry safely.
    client.out().error(status == raft::Status::kNotLeader
                           ? "CLUSTERDOWN The cluster is down"
                           : "TRYAGAIN " + std::string(raft::status_name(status)));
    return Route::kTaken;
  }
  if (early_ack_ && entry.kind == ReplicatedEntry::Kind::kCommand) {
    // raft-test-break early-ack: acknowledge now, as a broken system would.
    client.out().ok();
    schedule_drive();
    return Route::kTaken;
  }
  client.last_write_index = id.index;
  PendingWrite& pw = pending_writes_[id.index];
  pw.client = client.weak_from_this();
  pw.term = id.term;
  pw.exclusive = exclusive;
  pw.silenced = client.reply_silenced();
  if (exclusive) {
    client.awaiting_raft = true;
  } else {
    ++client.pending_writes;
  }
  schedule_drive();
  return Route::kTaken;
}

void Replication::active_expire() {
  // How many keys with a TTL one call looks at per database, and at most how many expired keys
  // one entry deletes (Redis's cycle: 20 per round, more rounds while over 10% are expired).
  constexpr size_t kSample = 200;
  constexpr size_t kMaxSample = 4000;
  constexpr size_t kMaxKeys = 1000;
  if (!is_leader() || !node_->committed_in_term()) return;
  if (expire_in_flight_ > applying_index_) return;
  expire_in_flight_ = 0;
  store::Keyspace& keyspace = server_.keyspace();
  int64_t now = next_now();
  for (int tried = 0; tried < keyspace.count(); ++tried) {
    int db = expire_next_db_++ % keyspace.count();
    std::vector<std::string> keys;
    // Keep sampling while more than a tenth of a sample was expired, as Redis does, but never
    // past one lap of the cursor (a key must not be listed twice).
    size_t budget = std::min(kMaxSample, keyspace.db(db).expires_count());
    while (budget > 0 && keys.size() < kMaxKeys) {
      size_t before = keys.size();
      size_t seen = keyspace.db(db).collect_expired(now, std::min(kSample, budget), &keys);
      budget -= seen;
      if (seen == 0 || (keys.size() - before) * 10 <= seen) break;
    }
    if (keys.empty()) continue;
    propose_expire(db, std::move(keys));
    return;
  }
}

bool Replication::propose_expire(int db, std::vector<std::string> keys) {
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kExpire;
  e.db = db;
  e.commands.push_back(std::move(keys));
  raft::EntryId id;
  if (propose_entry(e, &id) != raft::Status::kOk) return false;
  expire_in_flight_ = std::max(expire_in_flight_, id.index);
  schedule_drive();
  return true;
}

Replication::Route Replication::read(Client& client, const commands::CommandSpec& spec,
                                     const commands::CommandSpec* parent,
                                     std::span<const std::string_view> argv, int db) {
  uint64_t context = next_read_context_++;
  // The core answers a ReadIndex request later, in a Ready: registering it after asking is safe.
  raft::Status status = node_->read_index(context);
  if (status == raft::Status::kNotCommittedInTerm) {
    deferred_reads_.push_back(context);
  } else if (status != raft::Status::kOk) {
    if (client.replies_in_flight()) return Route::kHold;
    client.out().error(status == raft::Status::kNotLeader
                           ? "CLUSTERDOWN The cluster is down"
                           : "TRYAGAIN " + std::string(raft::status_name(status)));
    return Route::kTaken;
  }
  PendingRead& r = pending_reads_[context];
  r.client = client.weak_from_this();
  r.spec = &spec;
  r.parent = parent;
  r.argv.assign(argv.begin(), argv.end());
  r.db = db;
  r.pipelined = pipelinable_read(spec);
  r.silenced = client.reply_silenced();
  if (r.pipelined) {
    ++client.pending_reads;
  } else {
    client.awaiting_raft = true;
  }
  schedule_drive();
  return Route::kTaken;
}

void Replication::retry_deferred_reads() {
  if (deferred_reads_.empty() || !node_->committed_in_term()) return;
  std::deque<uint64_t> reads;
  reads.swap(deferred_reads_);
  for (uint64_t context : reads) {
    if (pending_reads_.count(context) == 0) continue;
    if (node_->read_index(context) != raft::Status::kOk) deferred_reads_.push_back(context);
  }
}

// ---- driving the core ------------------------------------------------------------------------

void Replication::schedule_drive() {
  if (drive_posted_ || driving_) return;
  drive_posted_ = true;
  asio::post(server_.io(), [this] {
    drive_posted_ = false;
    drive();
  });
}

void Replication::on_tick() {
  node_->tick();
  on_member_tick();
  drive();
  tick_timer_.expires_after(std::chrono::milliseconds(tick_ms_));
  tick_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) on_tick();
  });
}

void Replication::drive() {
  if (driving_) return;
  driving_ = true;
  retry_deferred_reads();
  while (node_->has_ready()) {
    raft::Ready ready = node_->ready();
    if (ready.soft_state) on_role_change(*ready.soft_state);
    if (transport_) {
      for (const raft::Message& m : ready.messages) transport_->send(m);
    }
    const uint64_t ticket = submit_persist(ready);
    // A received snapshot, like committed entries, is durable on a majority already: the
    // keyspace takes it now, whether or not this node's own write of it is done.
    if (ready.snapshot) install_received_snapshot(*ready.snapshot);
    // Reads whose index is applied already go before this Ready's entries: a read that arrived
    // before a write then sees the state before it, the order Redis would run them in (either
    // order is linearizable; this one is what clients of a single Redis expect).
    std::vector<uint64_t> after_entries;
    for (const raft::ReadState& rs : ready.read_states) {
      if (rs.index <= applying_index_) {
        serve_read(rs.context);
      } else {
        after_entries.push_back(rs.context);
      }
    }
    for (const raft::Entry& entry : ready.committed_entries) apply(entry);
    // Clients these entries unblocked propose their commands again now, so that the reads
    // below wait for them (try_serve_read).
    server_.serve_blocked_clients();
    serve_held_reads();
    for (uint64_t context : after_entries) serve_read(context);
    finish_ready(std::move(ready), ticket);
    after_ready();
    retry_deferred_reads();
  }
  driving_ = false;
  server_.serve_blocked_clients();
  maybe_snapshot();
}

void Replication::on_role_change(const raft::SoftState& soft) {
  if (soft.leader != soft_.leader && soft.leader != raft::kNoNode) ++leader_changes_;
  if (soft.role != soft_.role || soft.leader != soft_.leader) {
    if (soft.role == raft::Role::kLeader) {
      ++elections_seen_;
      spdlog::info("Node {} is now the leader (term {})", self_, node_->term());
    } else if (soft.leader != raft::kNoNode) {
      spdlog::info("Node {} follows leader {} (term {})", self_, soft.leader, node_->term());
    } else {
      spdlog::info("Node {} is {} with no known leader (term {})", self_,
                   raft::role_name(soft.role), node_->term());
    }
  }
  bool lost = soft_.role == raft::Role::kLeader && soft.role != raft::Role::kLeader;
  soft_ = soft;
  if (!lost) return;
  // Answered after this Ready's entries are applied (after_ready): a leader that removed itself
  // steps down in the same Ready that commits its removal.
  if (member_op_) member_op_->leadership_lost = true;
  // The outcome of every pending write is now unknown: it may still commit under a new leader.
  for (auto& [index, pending] : pending_writes_) {
    if (auto client = pending.client.lock()) {
      if (!pending.silenced) {
        client->out().error(
            "UNCERTAIN leadership was lost before the write was known to be committed; it may "
            "or may not have happened");
      }
      client->pending_writes = 0;
      release(*client);
    }
  }
  pending_writes_.clear();
  // Reads were never proposed: answering with a redirect is truthful.
  for (auto& [context, pending] : pending_reads_) {
    if (auto client = pending.client.lock()) {
      std::vector<std::string_view> argv(pending.argv.begin(), pending.argv.end());
      if (!pending.silenced) client->out().error(redirect_error(argv, *pending.spec));
      client->pending_reads = 0;
      release(*client);
    }
  }
  pending_reads_.clear();
  deferred_reads_.clear();
  held_reads_.clear();
}

void Replication::release(Client& client) {
  client.awaiting_raft = false;
  client.flush_soon();
  client.resume();
}

// ---- applying --------------------------------------------------------------------------------

void Replication::apply(const raft::Entry& entry) {
  applying_index_ = entry.index;
  // The automatic snapshot threshold (raft-log-max-bytes) counts each entry as its log record.
  applied_bytes_ += entry.data.size() + raft::kRecordHeaderBytes + raft::kRecordBodyMin;
  if (entry.type != raft::EntryType::kNormal) {
    // No-ops carry nothing; configuration changes are already in force in the core, this only
    // answers the RAFT.NODE request waiting for one.
    if (entry.type == raft::EntryType::kConfChange) on_conf_applied(entry);
    return;
  }
  std::shared_ptr<Client> client;
  PendingWrite pw;
  auto pending = pending_writes_.find(entry.index);
  if (pending != pending_writes_.end()) {
    if (pending->second.term == entry.term) client = pending->second.client.lock();
    pw = pending->second;
    pending_writes_.erase(pending);
  }
  ReplicatedEntry& e = applied_entry_;  // reused: its vectors and strings keep their capacity
  if (!ReplicatedEntry::decode(entry.data.view(), &e)) {
    spdlog::critical("Log entry {} is not a zakros command; refusing to diverge", entry.index);
    std::abort();
  }
  last_now_ms_ = std::max(last_now_ms_, e.now_ms);
  if (client && client->closing()) client.reset();
  bool blocked = apply_entry(e, entry.index, client.get(), client ? &pw : nullptr);
  if (!client) return;
  if (blocked) {
    client->awaiting_raft = false;  // now waits as a blocked client, input still held
  } else if (pw.exclusive) {
    release(*client);
  } else if (--client->pending_writes == 0) {
    release(*client);  // lets the held-back requests run
  } else {
    client->flush_soon();
  }
}

bool Replication::apply_entry(const ReplicatedEntry& e, raft::Index index, Client* client,
                              const PendingWrite* pending) {
  std::string scratch;
  resp::ReplyWriter discard(&scratch, e.protocol);
  const bool silenced = pending != nullptr && pending->silenced;
  resp::ReplyWriter& out = client != nullptr && !silenced ? client->out() : discard;
  commands::ExecContext exec;
  exec.now_ms = e.now_ms;
  exec.seed = e.seed;
  exec.may_delete_expired = true;  // deterministic: every node applies with the same `now`
  const commands::CommandTable& table = server_.commands();

  auto resolve = [&](const std::vector<std::string>& argv, const commands::CommandSpec** spec,
                     const commands::CommandSpec** parent) {
    *parent = nullptr;
    *spec = argv.empty() ? nullptr : table.find(argv[0]);
    if (*spec != nullptr && !(*spec)->subcommands.empty() && argv.size() >= 2) {
      *parent = *spec;
      *spec = commands::CommandTable::find_subcommand(**parent, argv[1]);
    }
    return *spec != nullptr && (*spec)->arity_ok(argv.size());
  };

  int db = e.db;
  std::vector<std::string_view> views;
  if (e.kind == ReplicatedEntry::Kind::kCommand) {
    const commands::CommandSpec *spec, *parent;
    if (e.commands.size() != 1 || !resolve(e.commands[0], &spec, &parent)) {
      out.error("ERR command unknown on this node");
      return false;
    }
    views.assign(e.commands[0].begin(), e.commands[0].end());
    // Only the node whose client sent a blocking command lets it block; everywhere else it
    // found nothing to pop either, so no node changed anything.
    commands::BlockRequest block;
    bool may_block = client != nullptr && spec->has(commands::kBlocking);
    server_.execute(client, *spec, parent, views, out, db, false, may_block ? &block : nullptr,
                    !e.woken_key.empty(), &exec, e.woken_key);
    if (!block.requested) return false;
    if (pending != nullptr && pending->block_deadline_ms != 0) {
      block.deadline_ms = pending->block_deadline_ms;
    }
    server_.blocking().block(*client, *spec, parent, views, e.db, std::move(block));
    return true;
  }
  if (e.kind == ReplicatedEntry::Kind::kTransaction) {
    // WATCH, decided here the same way on every node.
    bool aborted = e.watch_index < record_start_;
    std::vector<uint64_t> watched_ids;
    for (const auto& [wdb, key] : e.watched) {
      watched_ids.push_back(modification_id(wdb, key));
      for (int d : {wdb, -1}) {
        auto dbit = db_modified_at_.find(d);
        if (dbit != db_modified_at_.end() && dbit->second > e.watch_index) aborted = true;
      }
    }
    for (auto m = modified_order_.rbegin(); !aborted && m != modified_order_.rend(); ++m) {
      if (m->first <= e.watch_index) break;
      aborted = std::find(watched_ids.begin(), watched_ids.end(), m->second) != watched_ids.end();
    }
    // The EXEC this client sent, held back from MONITOR until now (after_command.cc).
    const std::string_view exec_argv[] = {"exec"};
    if (aborted) {
      out.null_array();
      if (client != nullptr) server_.feed_monitors(client, db, exec_argv);
      return false;
    }
    out.array(e.commands.size());
    for (const auto& argv : e.commands) {
      const commands::CommandSpec *spec, *parent;
      if (!resolve(argv, &spec, &parent)) {
        out.error("ERR command unknown on this node");
        continue;
      }
      views.assign(argv.begin(), argv.end());
      server_.execute(client, *spec, parent, views, out, db, true, nullptr, false, &exec);
    }
    if (client != nullptr) {
      client->db = db;  // SELECT inside the transaction
      server_.feed_monitors(client, db, exec_argv);
    }
    return false;
  }
  if (e.kind == ReplicatedEntry::Kind::kExpire) {
    // Delete what is still expired at the entry's `now` (a key written since the leader sampled
    // it may have a new TTL or none): the lookup deletes it and reports the expiry.
    if (e.db < 0 || e.db >= server_.keyspace().count() || e.commands.size() != 1) return false;
    store::Database& d = server_.keyspace().db(e.db);
    store::TimeContext tc{e.now_ms, true};
    for (const std::string& key : e.commands[0]) d.find(key, tc, store::kLookupNoTouch);
    return false;
  }
  if (e.kind == ReplicatedEntry::Kind::kMembers) {
    apply_members(e);
    return false;
  }
  (void)index;
  return false;
}

void Replication::serve_read(uint64_t context) {
  // Behind a read that waits for the deletion of expired keys, every later read waits too, so
  // that each client's replies keep their order.
  if (!held_reads_.empty()) {
    held_reads_.push_back(HeldRead{context, 0, 0});
    return;
  }
  raft::Index after = 0;
  if (!try_serve_read(context, 0, &after)) held_reads_.push_back(HeldRead{context, after, 1});
}

void Replication::serve_held_reads() {
  while (!held_reads_.empty() && held_reads_.front().after <= applying_index_) {
    HeldRead h = held_reads_.front();
    held_reads_.pop_front();
    raft::Index after = 0;
    if (!try_serve_read(h.context, h.hops, &after)) {
      held_reads_.push_front(HeldRead{h.context, after, h.hops + 1});
      return;
    }
  }
}

bool Replication::try_serve_read(uint64_t context, int hops, raft::Index* after) {
  // Blocked clients woken by a write are served by proposing their command again when that
  // write is applied (repropose_blocked), and those may wake others in turn. Redis serves them
  // all before it runs the next command, so a read waits until the ones in flight are applied
  // (a chain of at most kMaxWakeHops, so that a steady stream of wake-ups cannot starve it).
  constexpr int kMaxWakeHops = 16;
  if (wake_index_ > applying_index_ && hops < kMaxWakeHops) {
    *after = wake_index_;
    return false;
  }
  if (serve_read_now(context)) return true;
  *after = expire_in_flight_;
  return false;
}

bool Replication::expire_before_read(const PendingRead& r, std::span<const std::string_view> argv,
                                     int64_t now) {
  if (r.db < 0 || r.db >= server_.keyspace().count()) return false;
  store::Database& d = server_.keyspace().db(r.db);
  if (d.expires_count() == 0) return false;  // nothing in this database can have expired
  std::vector<std::string> expired;
  commands::CommandTable::for_each_key_index(*r.spec, argv, [&](int i) {
    const store::Entry* e = d.find_raw(argv[static_cast<size_t>(i)]);
    if (e != nullptr && store::Database::is_expired(e, now)) {
      expired.emplace_back(argv[static_cast<size_t>(i)]);
    }
  });
  // Not proposed (leadership lost): the role change answers the read.
  return !expired.empty() && propose_expire(r.db, std::move(expired));
}

bool Replication::serve_read_now(uint64_t context) {
  auto it = pending_reads_.find(context);
  if (it == pending_reads_.end()) return true;
  // A key this read would find logically expired is deleted through the log first (design.md,
  // "Expiry"): answering "absent" from this node's clock alone could be undone by a later leader
  // whose clock is behind, which would show the key again.
  int64_t now = next_now();
  std::vector<std::string_view> argv(it->second.argv.begin(), it->second.argv.end());
  if (expire_before_read(it->second, argv, now)) return false;
  PendingRead r = std::move(it->second);
  pending_reads_.erase(it);
  std::shared_ptr<Client> client = r.client.lock();
  if (!client || client->closing()) return true;
  commands::ExecContext exec;
  exec.now_ms = now;
  exec.seed = splitmix64(seed_state_);
  exec.may_delete_expired = false;  // deletions only ever come from the log
  exec.may_modify = false;
  int db = r.db;
  commands::BlockRequest block;
  bool may_block = r.spec->has(commands::kBlocking);
  std::string scratch;
  resp::ReplyWriter discard(&scratch, client->protocol());
  // argv still points into r.argv (moved, not copied: the strings did not move).
  server_.execute(client.get(), *r.spec, r.parent, argv, r.silenced ? discard : client->out(), db,
                  false, may_block ? &block : nullptr, false, &exec);
  if (block.requested) {
    client->awaiting_raft = false;
    server_.blocking().block(*client, *r.spec, r.parent, argv, r.db, std::move(block));
    return true;
  }
  if (r.pipelined && --client->pending_reads > 0) {
    client->flush_soon();
    return true;
  }
  release(*client);
  return true;
}

void Replication::on_key_modified(int db, std::string_view key) {
  if (applying_index_ == 0) return;
  modified_order_.emplace_back(applying_index_, modification_id(db, key));
  while (modified_order_.size() > kModificationRecord) {
    record_start_ = std::max(record_start_, modified_order_.front().first);
    modified_order_.pop_front();
  }
}

void Replication::on_database_modified(int db) {
  if (applying_index_ == 0) return;
  db_modified_at_[db] = applying_index_;
}

// ---- peers and introspection -----------------------------------------------------------------

void Replication::adopt_peer(asio::ip::tcp::socket socket, std::string received) {
  if (!transport_) {
    spdlog::warn("Refused a peer connection: this node is not part of a cluster");
    return;
  }
  transport_->adopt_inbound(std::move(socket), std::move(received));
}

std::optional<PeerAddress> Replication::address_of(raft::NodeId id) const {
  auto it = members_.find(id);
  if (it == members_.end()) return std::nullopt;
  return it->second;
}

std::string Replication::node_name(raft::NodeId id) const {
  std::string name;
  for (int part = 0; name.size() < 40; ++part) {
    std::string seed = cluster_id_ + ":" + std::to_string(id) + ":" + std::to_string(part);
    char hex[17];
    std::snprintf(hex, sizeof(hex), "%016" PRIx64, XXH3_64bits(seed.data(), seed.size()));
    name += hex;
  }
  name.resize(40);
  return name;
}

std::string Replication::info_section() const {
  std::string s;
  auto line = [&](std::string_view name, std::string_view value) {
    util::append_info_line(s, name, value);
  };
  line("raft_node_id", std::to_string(self_));
  line("raft_role", raft::role_name(node_->role()));
  line("raft_term", std::to_string(node_->term()));
  raft::NodeId leader = node_->leader();
  line("raft_leader_id", leader == raft::kNoNode ? "-1" : std::to_string(leader));
  line("raft_commit_index", std::to_string(node_->commit_index()));
  line("raft_applied_index", std::to_string(applying_index_));
  line("raft_first_index", std::to_string(node_->first_index()));
  line("raft_last_index", std::to_string(node_->last_index()));
  line("raft_cluster_id", cluster_id_);
  const raft::ConfState& conf = node_->conf();
  line("raft_members", std::to_string(conf.voters.size() + conf.learners.size()));
  line("raft_voters", std::to_string(conf.voters.size()));
  line("raft_learners", std::to_string(conf.learners.size()));
  line("raft_is_voter", conf.is_voter(self_) ? "1" : "0");
  raft::NodeId transferee = node_->transfer_target();
  line("raft_transfer_target", transferee == raft::kNoNode ? "-1" : std::to_string(transferee));
  line("raft_elections_won", std::to_string(elections_seen_));
  line("raft_leaders_seen", std::to_string(leader_changes_));  // elections this node saw won
  line("raft_pending_writes", std::to_string(pending_writes_.size()));
  line("raft_pending_reads", std::to_string(pending_reads_.size()));
  log_info(s);
  for (raft::NodeId id : member_ids()) {
    if (id == self_) continue;
    const raft::Progress* pr = node_->progress(id);
    auto address = address_of(id);
    std::string v = "addr=" + (address ? address->host + ":" + std::to_string(address->port) : "") +
                    ",role=" + (conf.is_voter(id) ? "voter" : "learner") +
                    ",connected=" + (transport_ && transport_->connected(id) ? "1" : "0");
    if (pr != nullptr && is_leader()) {
      v += ",match=" + std::to_string(pr->match) +
           ",lag=" + std::to_string(node_->last_index() - pr->match);
    }
    line("raft_peer" + std::to_string(id), v);
  }
  s += snapshot_info();
  return s;
}

}  // namespace zakros::server
