// The command table's types: what a command is (CommandSpec), what a handler gets to work with
// (CommandContext), and the execution context that makes execution deterministic (ExecContext).
//
// One table (commands/command_table.h) holds a CommandSpec per command. Everything that needs to
// know about commands reads it: the dispatch gate (arity, flags, auth, MULTI queueing, write
// routing), COMMAND / COMMAND INFO / COMMAND GETKEYS, hash-slot checks and, later, ACLs.
//
// Handlers never re-check arity: the gate has done it. A handler reads only its arguments, the
// keyspace and the ExecContext (design.md, "Determinism"), so the same command applied from the
// Raft log on every node produces the same state.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "resp/reply_writer.h"

namespace zakros::store {
class Keyspace;
class Database;
}  // namespace zakros::store

namespace zakros::server {
class Server;
class Client;
}  // namespace zakros::server

namespace zakros::commands {

// Command flags, Redis 7.0's names (COMMAND INFO shows them lowercase) plus zakros's own.
enum CommandFlag : uint64_t {
  kWrite = 1ull << 0,
  kReadonly = 1ull << 1,
  kDenyOom = 1ull << 2,
  kModule = 1ull << 3,
  kAdmin = 1ull << 4,
  kPubsub = 1ull << 5,
  kNoscript = 1ull << 6,
  kBlocking = 1ull << 7,
  kLoading = 1ull << 8,
  kStale = 1ull << 9,
  kSkipMonitor = 1ull << 10,
  kSkipSlowlog = 1ull << 11,
  kAsking = 1ull << 12,
  kFast = 1ull << 13,
  kNoAuth = 1ull << 14,
  kMayReplicate = 1ull << 15,
  kNoMandatoryKeys = 1ull << 16,
  kNoAsyncLoading = 1ull << 17,
  kNoMulti = 1ull << 18,
  kMovableKeys = 1ull << 19,
  kAllowBusy = 1ull << 20,
  // zakros: the result depends on randomness or the clock beyond ExecContext (never replicated
  // as-is; see design.md).
  kNondeterministic = 1ull << 21,
};

// ACL categories (Redis 7.0's), shown by COMMAND INFO as "@name".
enum AclCategory : uint64_t {
  kAclKeyspace = 1ull << 0,
  kAclRead = 1ull << 1,
  kAclWrite = 1ull << 2,
  kAclSet = 1ull << 3,
  kAclSortedSet = 1ull << 4,
  kAclList = 1ull << 5,
  kAclHash = 1ull << 6,
  kAclString = 1ull << 7,
  kAclBitmap = 1ull << 8,
  kAclHyperLogLog = 1ull << 9,
  kAclGeo = 1ull << 10,
  kAclStream = 1ull << 11,
  kAclPubsub = 1ull << 12,
  kAclAdmin = 1ull << 13,
  kAclFast = 1ull << 14,
  kAclSlow = 1ull << 15,
  kAclBlocking = 1ull << 16,
  kAclDangerous = 1ull << 17,
  kAclConnection = 1ull << 18,
  kAclTransaction = 1ull << 19,
  kAclScripting = 1ull << 20,
};

// The group a command belongs to (COMMAND DOCS "group"), also the file it lives in.
enum class CommandGroup : uint8_t {
  kGeneric,  // keyspace
  kString,
  kList,
  kSet,
  kSortedSet,
  kHash,
  kPubsub,
  kTransactions,
  kConnection,
  kServer,
  kScripting,
  kHyperLogLog,
  kCluster,
  kSentinel,
  kGeo,
  kStream,
  kBitmap,
};

// Everything that makes a command's effect deterministic. On a volatile node it is made on the
// spot; in a Raft cluster the leader stamps it into the log entry and every node applies the
// entry with the same values.
struct ExecContext {
  int64_t now_ms = 0;  // wall clock in milliseconds; relative TTLs become absolute from it
  uint64_t seed = 0;   // randomness for SPOP, SRANDMEMBER, RANDOMKEY...
  // False when applying a follower's copy: followers never delete expired keys on their own.
  bool may_delete_expired = true;
  // False when a Raft node runs a read outside the log (a read confirmed by ReadIndex, a
  // READONLY read on a follower): it must change nothing, not even a cache inside a value
  // (PFCOUNT's cardinality), or the replicas' bytes would differ (design.md, "Determinism").
  bool may_modify = true;
};

// Observer of keyspace changes, implemented by the server: WATCH invalidation, keyspace
// notifications, blocked-client wake-ups. Handlers call it through CommandContext.
class KeyspaceEvents {
 public:
  virtual ~KeyspaceEvents() = default;
  // A key's value or TTL changed, or it was deleted (Redis's signalModifiedKey).
  virtual void key_modified(int db, std::string_view key) = 0;
  // A whole database changed (FLUSHDB/FLUSHALL: db = -1 for all, SWAPDB: both indexes).
  virtual void database_modified(int db) = 0;
  // Keyspace notification (notify-keyspace-events); `type` is one of the Redis NOTIFY_ classes
  // as a character: 'g' generic, '$' string, 'l' list, 's' set, 'h' hash, 'z' zset, 'x' expired,
  // 'e' evicted, 't' stream, 'm' key-miss, 'n' new key.
  virtual void notify(char type, std::string_view event, std::string_view key, int db) = 0;
  // A key got new elements a blocked client may be waiting for (list, zset, stream).
  virtual void key_ready(int db, std::string_view key) = 0;
};

// What a blocking command (BLPOP, BZPOPMIN, XREAD BLOCK ...) fills in when it has nothing to
// serve and may block: the server parks the client on `keys` (of the context's database) and,
// each time one of them is signalled by key_ready, runs the same command again for it (first
// blocked, first served). A run that finds nothing again leaves the client blocked where it was
// in the queue; the original deadline stays. At the deadline the server replies the timeout
// reply. Handlers use commands::block_client() (command_util.h) rather than filling this in.
struct BlockRequest {
  enum class TimeoutReply : uint8_t {
    kNullArray,  // BLPOP, BZPOPMIN, BLMPOP, XREAD ...: *-1 (RESP3 _)
    kNullBulk,   // BLMOVE, BRPOPLPUSH: $-1 (RESP3 _)
  };
  bool requested = false;
  std::vector<std::string> keys;
  int64_t deadline_ms = 0;  // absolute, on the ExecContext clock; 0 = no timeout
  TimeoutReply timeout_reply = TimeoutReply::kNullArray;
  // When not empty, the arguments to run again with instead of the original ones (XREAD's `$`
  // becomes the stream's last ID at blocking time, so that only newer entries wake it).
  std::vector<std::string> rerun_argv;
};

// What a handler receives. `client` and `server` are null when the command is applied from the
// Raft log on a node that did not receive it from a client.
struct CommandContext {
  std::span<const std::string_view> argv;  // argv[0] is the command name as the client sent it
  resp::ReplyWriter& out;
  store::Keyspace& keyspace;
  int db_index;  // the selected database; SELECT inside MULTI changes it for what follows
  const ExecContext& exec;
  KeyspaceEvents& events;
  server::Server* server = nullptr;
  server::Client* client = nullptr;
  bool in_multi = false;  // executing inside EXEC: blocking commands must not block
  // Non-null when the command may block (a client's own command outside MULTI/EXEC, scripts
  // and the Raft apply path never block). See BlockRequest.
  BlockRequest* block = nullptr;
  // True when the server runs the command again for a client woken by key_ready; `woken_key`
  // is the key whose change woke it. Redis 7.0 serves a client blocked on several keys from the
  // key that became ready (BLPOP a b woken by a push to b pops b even if a also has data now),
  // so multi-key pops try woken_key first when it is one of their keys.
  bool woken = false;
  std::string_view woken_key;

  store::Database& db() const;
  size_t argc() const { return argv.size(); }
  std::string_view arg(size_t i) const { return argv[i]; }
};

using Handler = void (*)(CommandContext& ctx);

struct CommandSpec {
  std::string_view name;  // lowercase, e.g. "get", or "get" for subcommand CONFIG GET
  int arity = 0;          // Redis's: N exact, -N at least N (argv[0] included)
  uint64_t flags = 0;     // CommandFlag bits
  uint64_t acl = 0;       // AclCategory bits
  int first_key = 0;      // 0 when the command takes no keys
  int last_key = 0;       // negative counts from the end (-1 = last argument)
  int key_step = 0;
  CommandGroup group = CommandGroup::kGeneric;
  Handler handler = nullptr;
  std::vector<CommandSpec> subcommands;  // container commands (CONFIG, CLIENT, ...)
  std::string_view summary;              // COMMAND DOCS
  std::string_view since = "1.0.0";      // COMMAND DOCS
  // For commands whose keys cannot be described by first/last/step (flag kMovableKeys), returns
  // the indexes of the key arguments in argv. Null otherwise.
  std::vector<int> (*get_keys)(std::span<const std::string_view> argv) = nullptr;
  // For read commands that sometimes change a value (flag kMayReplicate: PFCOUNT refreshing the
  // cardinality cached inside an HLL): whether running `argv` against `db` now would change it.
  // A Raft leader then proposes the command through the log like a write, so that every replica
  // changes alike, as Redis propagates such a PFCOUNT to its replicas. Null: never.
  bool (*writes_now)(store::Database& db, std::span<const std::string_view> argv) = nullptr;

  bool has(CommandFlag flag) const { return (flags & flag) != 0; }
  bool arity_ok(size_t argc) const {
    return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
  }
};

}  // namespace zakros::commands
