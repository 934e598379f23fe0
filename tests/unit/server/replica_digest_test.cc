// Every replica holds byte-identical data (design.md, "Determinism"; issue 10).
//
// One seeded random stream of log entries (every write command of the command table with valid
// argument shapes, MULTI/EXEC transactions, the leader's active-expiry deletions, no-ops) is
// applied through Replication::apply, the code followers run for committed entries, to two servers'
// keyspaces. The second lags: it stops applying a third of the way in, then installs a snapshot of
// the first taken halfway (the RDB a leader sends with InstallSnapshot, through the follower's own
// install code) and applies the rest. Both must end with the same DEBUG DIGEST and the same DUMP
// payload and TTL for every key.
//
// On a failure the test names the first command after which the replicas' contents differ and the
// first checkpoint (every 1000 entries) where their bytes differ, and prints its seed;
// ZAKROS_TEST_SEED=<n> replays it.
//
// Not covered here: the WATCH record. The servers' own replication is not this Replication (Server
// has no way to take one in), so key modifications are not recorded and transactions never abort
// (test_snapshots.py covers the record across a snapshot).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "commands/command_table.h"
#include "raft/core/types.h"
#include "random_commands.h"
#include "resp/reply_writer.h"
#include "server/config/config.h"
#include "server/replication/replicated_entry.h"
#include "server/replication/replication.h"
#include "server/server.h"
#include "store/digest.h"
#include "store/entry.h"
#include "store/keyspace.h"
#include "store/rdb.h"

namespace zakros::server {

// The friend replication.h names: reaches the follower's private apply and snapshot paths so that
// the test runs them rather than a copy of them.
class ReplicationTestPeer {
 public:
  static void apply(Replication& r, const raft::Entry& entry) { r.apply(entry); }
  // The snapshot a leader would send at `index`: the RDB of its keyspace with its aux fields, as
  // the memory snapshot store writes it.
  static std::string snapshot(Replication& r, Server& server, raft::Index index) {
    std::string data;
    store::rdb::StringSink sink(&data);
    store::rdb::RdbWriter writer(sink);
    EXPECT_TRUE(store::rdb::write_rdb(server.keyspace(), r.snapshot_aux(meta(index)), writer));
    return data;
  }
  static void install(Replication& r, raft::Index index, const std::string& data) {
    raft::Snapshot snapshot;
    snapshot.meta = meta(index);
    snapshot.data = raft::Bytes(data);
    r.install_received_snapshot(snapshot);
  }

 private:
  static raft::SnapshotMeta meta(raft::Index index) {
    raft::SnapshotMeta m;
    m.index = index;
    m.term = 1;
    m.conf.voters = {0};
    return m;
  }
};

namespace {

using testing::Argv;
using testing::RandomCommands;

// One node: a server (keyspace, command table) and the replication code that applies to it.
struct Replica {
  Server server{Config{}};
  Replication replication{server};
  void apply(const raft::Entry& e) { ReplicationTestPeer::apply(replication, e); }
  store::Keyspace& keyspace() { return server.keyspace(); }
};

raft::Entry log_entry(raft::Index index, const ReplicatedEntry& e) {
  raft::Entry out;
  out.term = 1;
  out.index = index;
  out.data = raft::Bytes(e.encode());
  return out;
}

ReplicatedEntry command_entry(const Argv& argv, int db, int64_t now_ms, uint64_t seed) {
  ReplicatedEntry e;
  e.kind = ReplicatedEntry::Kind::kCommand;
  e.db = db;
  e.now_ms = now_ms;
  e.seed = seed;
  e.commands = {argv};
  return e;
}

// The table's spec for argv (subcommand resolved) and its full name, or null.
const commands::CommandSpec* resolve(const commands::CommandTable& table, const Argv& argv,
                                     std::string* name,
                                     const commands::CommandSpec** parent_out = nullptr) {
  const commands::CommandSpec* spec = table.find(argv[0]);
  const commands::CommandSpec* parent = nullptr;
  if (spec != nullptr && !spec->subcommands.empty() && argv.size() >= 2) {
    parent = spec;
    spec = commands::CommandTable::find_subcommand(*parent, argv[1]);
  }
  if (spec != nullptr) *name = commands::full_name(parent, *spec);
  if (parent_out != nullptr) *parent_out = parent;
  return spec;
}

// Every command of the table with `flag` (and, for kReadonly, without kWrite), by full name.
std::set<std::string> commands_with(const commands::CommandTable& table,
                                    commands::CommandFlag flag) {
  auto wanted = [flag](const commands::CommandSpec& spec) {
    return spec.has(flag) && (flag == commands::kWrite || !spec.has(commands::kWrite));
  };
  std::set<std::string> out;
  for (const commands::CommandSpec* spec : table.all()) {
    if (wanted(*spec)) out.insert(commands::full_name(nullptr, *spec));
    for (const commands::CommandSpec& sub : spec->subcommands) {
      if (wanted(sub)) out.insert(commands::full_name(spec, sub));
    }
  }
  return out;
}

// A key's exact state: its DUMP payload (encoding, order, stream groups, HLL bytes) and TTL. With
// `content_only`, what DEBUG DIGEST-VALUE sees instead (no encoding, no order where Redis's digest
// has none) and the encoding's name, for diagnostics.
std::string key_state(store::Database& db, std::string_view key, bool content_only = false) {
  const store::Entry* e = db.find_raw(key);
  if (e == nullptr) return "(absent)";
  std::string s =
      content_only ? store::digest_hex(store::value_digest(*e)) : store::rdb::dump_payload(*e);
  if (e->has_expire()) s += " ttl@" + std::to_string(e->expire_at());
  return s;
}

// What a command may have changed: its keys' states, or the whole dataset's digest for commands
// without keys (FLUSHDB, SWAPDB ...).
std::string touched_state(Replica& r, const commands::CommandSpec& spec, const Argv& argv, int db,
                          bool content_only = false) {
  std::vector<std::string_view> views(argv.begin(), argv.end());
  std::vector<int> keys = commands::CommandTable::key_indexes(spec, views);
  if (keys.empty()) return store::digest_hex(store::dataset_digest(r.keyspace()));
  std::string s;
  for (int i : keys) {
    s += key_state(r.keyspace().db(db), argv[static_cast<size_t>(i)], content_only) + "|";
  }
  return s;
}

// The encodings of a command's keys ("listpack/skiplist ..."), for diagnostics.
std::string encodings(Replica& r, const commands::CommandSpec& spec, const Argv& argv, int db) {
  std::vector<std::string_view> views(argv.begin(), argv.end());
  std::string s;
  for (int i : commands::CommandTable::key_indexes(spec, views)) {
    const store::Entry* e = r.keyspace().db(db).find_raw(argv[static_cast<size_t>(i)]);
    s += e == nullptr ? "absent " : std::string(store::encoding_name(e->encoding())) + " ";
  }
  return s;
}

std::string join(const Argv& argv) {
  std::string s;
  for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a.substr(0, 40);
  return s;
}

// The differences between two keyspaces (empty when byte-identical), at most a few listed.
std::string differences(Replica& a, Replica& b) {
  std::string out;
  int listed = 0;
  auto note = [&](const std::string& what) {
    if (++listed <= 10) out += what + "\n";
  };
  std::string da = store::digest_hex(store::dataset_digest(a.keyspace()));
  std::string db = store::digest_hex(store::dataset_digest(b.keyspace()));
  if (da != db) note("DEBUG DIGEST " + da + " != " + db);
  for (int i = 0; i < a.keyspace().count(); ++i) {
    store::Database& x = a.keyspace().db(i);
    store::Database& y = b.keyspace().db(i);
    if (x.size() != y.size()) {
      note("db" + std::to_string(i) + " sizes " + std::to_string(x.size()) +
           " != " + std::to_string(y.size()));
    }
    x.for_each([&](const store::Entry* e) {
      if (key_state(x, e->key()) != key_state(y, e->key())) {
        const store::Entry* other = y.find_raw(e->key());
        note("db" + std::to_string(i) + " key '" + std::string(e->key()) +
             "' differs: " + std::string(store::encoding_name(e->encoding())) + " value digest " +
             store::digest_hex(store::value_digest(*e)) + " vs " +
             (other == nullptr
                  ? std::string("absent")
                  : std::string(store::encoding_name(other->encoding())) + " value digest " +
                        store::digest_hex(store::value_digest(*other))));
      }
    });
  }
  return out;
}

uint64_t test_seed() {
  const char* env = std::getenv("ZAKROS_TEST_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 20261208;
}

// DUMP payloads of a few values of every type, by key pool, for RESTORE.
std::map<std::string, std::vector<std::string>> restore_payloads() {
  Replica scratch;
  const std::vector<std::pair<std::string, Argv>> writes = {
      {"str", {"SET", "k1", "12345"}},
      {"str", {"SET", "k2", std::string(100, 'x')}},
      {"list", {"RPUSH", "k3", "1", "two", "3"}},
      {"hash", {"HSET", "k4", "f", "v", "n", "7"}},
      {"set", {"SADD", "k5", "1", "2", "3"}},
      {"set", {"SADD", "k6", "x", "y"}},
      {"zset", {"ZADD", "k7", "1.5", "a", "2", "b"}},
      {"stream", {"XADD", "k8", "1-1", "k", "v"}},
      {"stream", {"XGROUP", "CREATE", "k8", "g0", "0"}},
      {"hll", {"PFADD", "k9", "a", "b", "c"}},
  };
  std::map<std::string, std::vector<std::string>> out;
  raft::Index index = 0;
  for (const auto& [pool, argv] : writes) {
    ++index;
    scratch.apply(log_entry(index, command_entry(argv, 0, 1000, index)));
  }
  for (const auto& [pool, argv] : writes) {
    if (argv[0] == "XGROUP") continue;
    const store::Entry* e = scratch.keyspace().db(0).find_raw(argv[1]);
    EXPECT_NE(e, nullptr) << argv[1];
    if (e != nullptr) out[pool].push_back(store::rdb::dump_payload(*e));
  }
  return out;
}

// The random log, generated up front (it does not depend on the keyspace). Alongside each entry,
// the command it carries when it is a single command (for the coverage counts).
struct RandomLog {
  std::vector<raft::Entry> entries;
  std::vector<Argv> single;           // empty for transactions, expiry and no-op entries
  std::vector<int> dbs;               // the database of each entry
  std::vector<int64_t> nows;          // the `now` of each entry
  std::map<std::string, int> driven;  // by command name, inside transactions too
};

RandomLog make_log(uint64_t seed, size_t count) {
  RandomCommands gen(seed);
  gen.set_restore_payloads(restore_payloads());
  RandomLog log;
  int64_t now = 1'800'000'000'000;
  for (raft::Index index = 1; index <= count; ++index) {
    // Mostly close together, sometimes seconds apart, so that TTLs run out along the way.
    now += gen.one_in(50) ? static_cast<int64_t>(gen.below(20000))
                          : static_cast<int64_t>(gen.below(30));
    const int db = gen.one_in(5) ? static_cast<int>(gen.below(4)) : 0;
    const uint64_t seed_of_entry = gen.below(UINT64_MAX);
    std::string name;
    Argv argv;
    ReplicatedEntry e;
    raft::Entry out;
    const uint64_t kind = gen.below(100);
    if (index == count * 2 / 5) {
      argv = gen.make("flushall", &name);  // drawn too rarely to count on it
    } else if (index == count * 7 / 10) {
      argv = gen.make("flushdb", &name);
    } else if (kind < 90) {
      argv = gen.next_write(now, &name);
    }
    if (!argv.empty()) {
      ++log.driven[name];
      e = command_entry(argv, db, now, seed_of_entry);
      e.protocol = gen.one_in(4) ? 3 : 2;
      out = log_entry(index, e);
    } else if (kind < 95) {
      // MULTI/EXEC: a few commands, sometimes switching databases, with WATCHed keys.
      e.kind = ReplicatedEntry::Kind::kTransaction;
      e.db = db;
      e.now_ms = now;
      e.seed = seed_of_entry;
      e.watch_index = index - 1 - gen.below(std::min<uint64_t>(index - 1, 20) + 1);
      e.watched.emplace_back(db, "list:" + std::to_string(gen.below(6)));
      for (int n = 2 + static_cast<int>(gen.below(3)); n > 0; --n) {
        if (gen.one_in(8)) e.commands.push_back({"SELECT", std::to_string(gen.below(4))});
        e.commands.push_back(gen.next_write(now, &name));
        ++log.driven[name];
      }
      out = log_entry(index, e);
    } else if (kind < 99) {
      // The leader's active expiry: delete those still expired at `now`.
      e.kind = ReplicatedEntry::Kind::kExpire;
      e.db = db;
      e.now_ms = now;
      e.commands.emplace_back();
      for (const char* type : {"str", "list", "hash", "set", "zset", "stream", "hll", "geo"}) {
        if (gen.one_in(2))
          e.commands[0].push_back(std::string(type) + ":" + std::to_string(gen.below(6)));
      }
      out = log_entry(index, e);
    } else {
      out.term = 1;
      out.index = index;
      out.type = raft::EntryType::kNoop;
    }
    log.entries.push_back(std::move(out));
    log.single.push_back(argv);
    log.dbs.push_back(db);
    log.nows.push_back(now);
  }
  return log;
}

TEST(ReplicaDigest, LaggingReplicaRestoredFromSnapshotEndsByteIdentical) {
  const uint64_t seed = test_seed();
  SCOPED_TRACE("seed " + std::to_string(seed) +
               " (replay: ZAKROS_TEST_SEED=" + std::to_string(seed) + ")");
  constexpr size_t kEntries = 50000;
  RandomLog log = make_log(seed, kEntries);
  const size_t lag_stop = kEntries / 3;     // the lagging replica stops here
  const size_t snapshot_at = kEntries / 2;  // and receives a snapshot taken here

  Replica leader, lagging;
  const commands::CommandTable& table = leader.server.commands();
  std::map<std::string, int> changed;
  std::string first_split;
  std::string checkpoint_failure;
  for (size_t i = 0; i < log.entries.size(); ++i) {
    const raft::Entry& entry = log.entries[i];
    const Argv& argv = log.single[i];
    std::string name, before;
    const commands::CommandSpec* spec = argv.empty() ? nullptr : resolve(table, argv, &name);
    const int db = log.dbs[i];
    const bool both = i >= snapshot_at;  // the lagging replica applies this entry too
    // Diagnostics: the first command that makes equal contents differ names the culprit.
    bool same_before = false;
    std::string lagging_encodings;
    if (spec != nullptr) {
      before = touched_state(leader, *spec, argv, db);
      if (both && first_split.empty()) {
        same_before = touched_state(leader, *spec, argv, db, true) ==
                      touched_state(lagging, *spec, argv, db, true);
        lagging_encodings = encodings(lagging, *spec, argv, db);
      }
    }
    leader.apply(entry);
    if (spec != nullptr && touched_state(leader, *spec, argv, db) != before) ++changed[name];
    if (both || i < lag_stop) lagging.apply(entry);
    if (same_before && touched_state(leader, *spec, argv, db, true) !=
                           touched_state(lagging, *spec, argv, db, true)) {
      first_split = "entry " + std::to_string(entry.index) + " (db " + std::to_string(db) +
                    "): " + join(argv) + "; the keys were " + encodings(leader, *spec, argv, db) +
                    "on the leader, " + lagging_encodings + "on the lagging replica";
    }
    if (i + 1 == snapshot_at) {
      ReplicationTestPeer::install(
          lagging.replication, entry.index,
          ReplicationTestPeer::snapshot(leader.replication, leader.server, entry.index));
      EXPECT_EQ(differences(leader, lagging), "") << "right after the snapshot";
    }
    // Checkpoints, so that a difference a later write would overwrite is still seen.
    if (i >= snapshot_at && (i + 1) % 1000 == 0 && checkpoint_failure.empty()) {
      std::string d = differences(leader, lagging);
      if (!d.empty()) checkpoint_failure = "after entry " + std::to_string(entry.index) + ":\n" + d;
    }
  }
  EXPECT_EQ(checkpoint_failure, "") << "the first checkpoint where the replicas differ";
  EXPECT_EQ(first_split, "") << "the first command after which the replicas' contents differ";
  EXPECT_EQ(differences(leader, lagging), "");
  EXPECT_GT(leader.keyspace().total_keys(), 50u);

  // Every write command of the table was driven, and each changed a key at least once (so its
  // argument shapes are valid), FUNCTION FLUSH excepted: zakros has no functions to flush.
  std::set<std::string> not_driven;
  for (const std::string& name : commands_with(table, commands::kWrite)) {
    if (log.driven.count(name) == 0) not_driven.insert(name);
  }
  EXPECT_EQ(not_driven, std::set<std::string>{});
  std::string report;
  for (const auto& [name, n] : log.driven) {
    report += " " + name + "=" + std::to_string(changed[name]) + "/" + std::to_string(n);
    if (name != "function|flush") {
      EXPECT_GT(changed[name], 0) << name << " never changed a key";
    }
  }
  std::cout << "[ coverage ] command=changed/driven (single-command entries):" << report << "\n";
}

// Reads a leader serves outside the log (after a ReadIndex round: may_modify and
// may_delete_expired off, as Replication::serve_read_now runs them) change nothing, so the leader
// stays byte-identical to a follower that never saw them. Every read-only command of the table
// is drawn.
TEST(ReplicaDigest, ReadsServedOutsideTheLogChangeNothing) {
  const uint64_t seed = test_seed();
  SCOPED_TRACE("seed " + std::to_string(seed) +
               " (replay: ZAKROS_TEST_SEED=" + std::to_string(seed) + ")");
  RandomLog log = make_log(seed, 20000);
  RandomCommands reads(seed + 1);
  Replica leader, follower;
  const commands::CommandTable& table = leader.server.commands();
  std::map<std::string, int> driven;
  std::string first_change;
  std::string replies;
  for (size_t i = 0; i < log.entries.size(); ++i) {
    leader.apply(log.entries[i]);
    follower.apply(log.entries[i]);
    for (int k = 0; k < 2; ++k) {
      std::string name;
      const commands::CommandSpec* parent = nullptr;
      const Argv argv = reads.next_read(log.nows[i], &name);
      const commands::CommandSpec* spec = resolve(table, argv, &name, &parent);
      ASSERT_NE(spec, nullptr) << join(argv);
      ++driven[name];
      int db = reads.one_in(5) ? static_cast<int>(reads.below(4)) : 0;
      const std::string before = touched_state(leader, *spec, argv, db);
      commands::ExecContext exec;
      exec.now_ms = log.nows[i] + static_cast<int64_t>(reads.below(50));
      exec.seed = reads.below(UINT64_MAX);
      exec.may_delete_expired = false;
      exec.may_modify = false;
      std::vector<std::string_view> views(argv.begin(), argv.end());
      replies.clear();
      resp::ReplyWriter out(&replies, 2);
      leader.server.execute(nullptr, *spec, parent, views, out, db, false, nullptr, false, &exec);
      if (first_change.empty() && touched_state(leader, *spec, argv, db) != before) {
        first_change = "after entry " + std::to_string(i + 1) + ": " + join(argv);
      }
    }
  }
  EXPECT_EQ(first_change, "") << "the first read that changed a value";
  EXPECT_EQ(differences(leader, follower), "");
  std::set<std::string> not_driven;
  for (const std::string& name : commands_with(table, commands::kReadonly)) {
    if (driven.count(name) == 0) not_driven.insert(name);
  }
  EXPECT_EQ(not_driven, std::set<std::string>{});
}

// The focused cases the random stream found. Each builds a value on a leader, hands a lagging
// replica the snapshot, then applies one more command to both.
class SnapshotThenCommand : public ::testing::Test {
 protected:
  void write(const Argv& argv) {
    ++index_;
    leader_.apply(log_entry(index_, command_entry(argv, 0, 1000 + index_, index_)));
  }
  void snapshot() {
    ReplicationTestPeer::install(
        lagging_.replication, index_,
        ReplicationTestPeer::snapshot(leader_.replication, leader_.server, index_));
  }
  void both(const Argv& argv) {
    ++index_;
    raft::Entry e = log_entry(index_, command_entry(argv, 0, 1000 + index_, 42));
    leader_.apply(e);
    lagging_.apply(e);
  }
  Replica leader_, lagging_;
  raft::Index index_ = 0;
};

// A set whose members are all integers but that is a hashtable (it held a string once) must keep
// its encoding and member order through a snapshot: SPOP picks by position, so another order pops
// other members. ("mixed", converted from an intset by its first string, is a guard.)
TEST_F(SnapshotThenCommand, SetKeepsItsOrderForSpop) {
  write({"SADD", "ints", "a", "5", "1", "9", "3", "7"});
  write({"SREM", "ints", "a"});
  write({"SADD", "mixed", "5", "1", "9", "b", "3", "7"});
  snapshot();
  EXPECT_EQ(differences(leader_, lagging_), "");
  both({"SPOP", "ints", "2"});
  both({"SPOP", "mixed", "2"});
  EXPECT_EQ(differences(leader_, lagging_), "");
}

// A small hash or sorted set that was converted to its big encoding keeps it through a snapshot
// (Redis's loading converts it back; a replica must hold the leader's bytes).
TEST_F(SnapshotThenCommand, ConvertedValuesKeepTheirEncoding) {
  write({"HSET", "h", "f", "v", "long", std::string(100, 'x')});
  write({"HDEL", "h", "long"});
  write({"ZADD", "z", "1", "a", "2", std::string(100, 'y')});
  write({"ZREM", "z", std::string(100, 'y')});
  snapshot();
  EXPECT_EQ(differences(leader_, lagging_), "");
}

// ZREMRANGEBYLEX over members with different scores: Redis leaves the result unspecified, but every
// replica must compute the same one, whatever the history of its skip list's levels.
TEST_F(SnapshotThenCommand, LexRangeOverMixedScoresIsTheSameEverywhere) {
  Argv zadd{"ZADD", "z"};
  for (int i = 0; i < 300; ++i) {
    zadd.push_back(std::to_string((i * 7919) % 13));
    zadd.push_back("m" + std::to_string((i * 104729) % 1000));
  }
  write(zadd);
  snapshot();
  for (int i = 0; i < 20; ++i) {
    both(
        {"ZREMRANGEBYLEX", "z", "[m" + std::to_string(i * 40), "(m" + std::to_string(i * 40 + 30)});
  }
  EXPECT_EQ(differences(leader_, lagging_), "");
}

}  // namespace
}  // namespace zakros::server
