// Checks every command zakros registers against Redis 7.0's own COMMAND INFO (arity, flags,
// first/last/step key positions, ACL categories), saved from a real redis-server 7.0.15 in
// tests/unit/data/redis7_command_info.txt by tests/unit/data/redis7_command_info.py.
//
// The table is the server's real one (Server's constructor runs every registration function).
// Flags zakros adds for itself (nondeterministic) and the ones Redis hides (may_replicate) are
// ignored; "movablekeys" is expected exactly when the command finds its keys with get_keys or
// says kMovableKeys, as COMMAND INFO shows it.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "commands/command_table.h"
#include "server/server.h"

namespace zakros::server {
namespace {

using commands::CommandSpec;

struct Reference {
  int arity = 0;
  std::set<std::string> flags;
  int first = 0, last = 0, step = 0;
  std::set<std::string> acl;
};

std::set<std::string> split_list(const std::string& text) {
  std::set<std::string> out;
  if (text == "-") return out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.insert(item);
  return out;
}

std::map<std::string, Reference> load_reference() {
  std::map<std::string, Reference> ref;
  std::ifstream in(std::string(ZAKROS_TEST_DATA_DIR) + "/redis7_command_info.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    std::string name, flags, acl;
    Reference r;
    fields >> name >> r.arity >> flags >> r.first >> r.last >> r.step >> acl;
    r.flags = split_list(flags);
    r.acl = split_list(acl);
    ref[name] = r;
  }
  return ref;
}

std::set<std::string> redis_flags(const CommandSpec& spec) {
  using namespace commands;
  static const std::pair<uint64_t, const char*> kNames[] = {
      {kWrite, "write"},
      {kReadonly, "readonly"},
      {kDenyOom, "denyoom"},
      {kModule, "module"},
      {kAdmin, "admin"},
      {kPubsub, "pubsub"},
      {kNoscript, "noscript"},
      {kBlocking, "blocking"},
      {kLoading, "loading"},
      {kStale, "stale"},
      {kSkipMonitor, "skip_monitor"},
      {kSkipSlowlog, "skip_slowlog"},
      {kAsking, "asking"},
      {kFast, "fast"},
      {kNoAuth, "no_auth"},
      {kNoMandatoryKeys, "no_mandatory_keys"},
      {kNoAsyncLoading, "no_async_loading"},
      {kNoMulti, "no_multi"},
      {kMovableKeys, "movablekeys"},
      {kAllowBusy, "allow_busy"},
  };
  uint64_t flags = spec.flags;
  if (spec.get_keys != nullptr) flags |= kMovableKeys;
  std::set<std::string> out;
  for (const auto& [bit, name] : kNames) {
    if (flags & bit) out.insert(name);
  }
  return out;
}

// Redis's implicit categories (setImplicitACLCategories) on top of the declared ones.
std::set<std::string> redis_acl(const CommandSpec& spec) {
  using namespace commands;
  static const std::pair<uint64_t, const char*> kNames[] = {
      {kAclKeyspace, "@keyspace"},
      {kAclRead, "@read"},
      {kAclWrite, "@write"},
      {kAclSet, "@set"},
      {kAclSortedSet, "@sortedset"},
      {kAclList, "@list"},
      {kAclHash, "@hash"},
      {kAclString, "@string"},
      {kAclBitmap, "@bitmap"},
      {kAclHyperLogLog, "@hyperloglog"},
      {kAclGeo, "@geo"},
      {kAclStream, "@stream"},
      {kAclPubsub, "@pubsub"},
      {kAclAdmin, "@admin"},
      {kAclFast, "@fast"},
      {kAclSlow, "@slow"},
      {kAclBlocking, "@blocking"},
      {kAclDangerous, "@dangerous"},
      {kAclConnection, "@connection"},
      {kAclTransaction, "@transaction"},
      {kAclScripting, "@scripting"},
  };
  uint64_t acl = spec.acl;
  if (spec.has(kWrite)) acl |= kAclWrite;
  if (spec.has(kReadonly) && !(acl & kAclScripting)) acl |= kAclRead;
  if (spec.has(kAdmin)) acl |= kAclAdmin | kAclDangerous;
  if (spec.has(kPubsub)) acl |= kAclPubsub;
  if (spec.has(kFast)) acl |= kAclFast;
  if (spec.has(kBlocking)) acl |= kAclBlocking;
  if (!(acl & kAclFast)) acl |= kAclSlow;
  std::set<std::string> out;
  for (const auto& [bit, name] : kNames) {
    if (acl & bit) out.insert(name);
  }
  return out;
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "-" : out;
}

// Every registered command and subcommand with its full name.
std::vector<std::pair<std::string, const CommandSpec*>> all_commands(const Server& server) {
  std::vector<std::pair<std::string, const CommandSpec*>> out;
  for (const CommandSpec* spec : server.commands().all()) {
    out.emplace_back(commands::full_name(nullptr, *spec), spec);
    for (const CommandSpec& sub : spec->subcommands) {
      out.emplace_back(commands::full_name(spec, sub), &sub);
    }
  }
  return out;
}

class CommandTableTest : public ::testing::Test {
 protected:
  Server server_{Config{}};
  std::map<std::string, Reference> ref_ = load_reference();
};

TEST_F(CommandTableTest, ReferenceDataIsLoaded) {
  ASSERT_GT(ref_.size(), 300u);
  ASSERT_EQ(ref_["get"].arity, 2);
}

TEST_F(CommandTableTest, ArityFlagsAndKeysMatchRedis) {
  std::string mismatches;
  size_t checked = 0;
  for (const auto& [name, spec] : all_commands(server_)) {
    auto it = ref_.find(name);
    if (it == ref_.end()) continue;  // newer than Redis 7.0 (CLIENT SETINFO...) or zakros's own
    const Reference& r = it->second;
    ++checked;
    if (spec->arity != r.arity) {
      mismatches += name + ": arity " + std::to_string(spec->arity) + ", Redis " +
                    std::to_string(r.arity) + "\n";
    }
    std::set<std::string> flags = redis_flags(*spec);
    if (flags != r.flags) {
      mismatches += name + ": flags " + join(flags) + ", Redis " + join(r.flags) + "\n";
    }
    if (spec->first_key != r.first || spec->last_key != r.last || spec->key_step != r.step) {
      mismatches += name + ": keys " + std::to_string(spec->first_key) + " " +
                    std::to_string(spec->last_key) + " " + std::to_string(spec->key_step) +
                    ", Redis " + std::to_string(r.first) + " " + std::to_string(r.last) + " " +
                    std::to_string(r.step) + "\n";
    }
  }
  EXPECT_GT(checked, 50u);
  EXPECT_EQ(mismatches, "");
}

TEST_F(CommandTableTest, AclCategoriesMatchRedis) {
  std::string mismatches;
  for (const auto& [name, spec] : all_commands(server_)) {
    auto it = ref_.find(name);
    if (it == ref_.end()) continue;
    std::set<std::string> acl = redis_acl(*spec);
    if (acl != it->second.acl) {
      mismatches += name + ": " + join(acl) + ", Redis " + join(it->second.acl) + "\n";
    }
  }
  EXPECT_EQ(mismatches, "");
}

TEST_F(CommandTableTest, RaftCommandsAreZakrosOwnAdminCommands) {
  // Not in Redis 7.0 (the checks above skip them), so their shape is pinned here: admin, never
  // inside MULTI (they are not replicated as client commands), no keys, and not writes (the gate
  // would route a write through the log and run it again on every node).
  const commands::CommandTable& table = server_.commands();
  for (std::string_view name : {"raft.transfer_leader", "raft.info"}) {
    const CommandSpec* spec = table.find(name);
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_EQ(ref_.count(std::string(name)), 0u) << name;
  }
  const CommandSpec* node = table.find("RAFT.NODE");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->arity, -2);
  for (std::string_view sub : {"add", "remove"}) {
    const CommandSpec* spec = commands::CommandTable::find_subcommand(*node, sub);
    ASSERT_NE(spec, nullptr) << sub;
    EXPECT_TRUE(spec->has(commands::kAdmin) && spec->has(commands::kNoMulti)) << sub;
    EXPECT_FALSE(spec->has(commands::kWrite) || spec->has(commands::kReadonly)) << sub;
    EXPECT_EQ(spec->first_key, 0) << sub;
  }
  EXPECT_EQ(commands::CommandTable::find_subcommand(*node, "add")->arity, 4);
  EXPECT_EQ(commands::CommandTable::find_subcommand(*node, "remove")->arity, 3);
  const CommandSpec* transfer = table.find("raft.transfer_leader");
  EXPECT_EQ(transfer->arity, -1);
  EXPECT_TRUE(transfer->has(commands::kNoMulti));
  EXPECT_FALSE(transfer->has(commands::kWrite));
}

TEST_F(CommandTableTest, ContainersHaveTheSubcommandsRedisHas) {
  // A container zakros registers must not miss a subcommand Redis 7.0 has, except those that
  // belong to features zakros does not have yet.
  static const std::set<std::string> kNotYet = {};
  std::set<std::string> registered;
  for (const auto& [name, spec] : all_commands(server_)) registered.insert(name);
  std::string missing;
  for (std::string container : {"client", "command", "slowlog", "latency"}) {
    if (registered.count(container) == 0) continue;
    for (const auto& [name, r] : ref_) {
      if (name.rfind(container + "|", 0) == 0 && registered.count(name) == 0 &&
          kNotYet.count(name) == 0) {
        missing += name + "\n";
      }
    }
  }
  EXPECT_EQ(missing, "");
}

}  // namespace
}  // namespace zakros::server
