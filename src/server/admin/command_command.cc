// COMMAND and its subcommands (COUNT, INFO, DOCS, GETKEYS, GETKEYSANDFLAGS, LIST, HELP), all
// read from the command table (commands/command_table.h).
//
// COMMAND INFO's reply, per command (Redis 7.0):
//   [name, arity, [flags], first key, last key, step, [@acl categories], [tips], [key specs],
//    [subcommands]]
// Flags are the table's, in Redis's order, with "movablekeys" added when the command finds its
// keys with get_keys; zakros-only flags and may_replicate (hidden by Redis too) are not shown.
// ACL categories get Redis's implicit ones (write -> @write, readonly -> @read, admin ->
// @admin @dangerous, fast -> @fast else @slow, ...). Key specs are Redis's own for the
// commands Redis has (command_key_specs.inc, generated from Redis 7.0.15), otherwise derived
// from first/last/step.
#include <map>
#include <string>

#include "server/admin/introspection.h"
#include "server/admin/server_commands.h"
#include "server/server.h"
#include "util/glob.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using commands::CommandSpec;
using commands::CommandTable;
using namespace commands;  // flags and ACL categories

struct KeySpecText {
  std::string_view name;
  std::string_view specs;  // "" when the command has tips but no keys
  std::string_view tips;   // comma-separated
};

constexpr KeySpecText kRedisKeySpecs[] = {
#include "server/admin/command_key_specs.inc"
};

// One parsed key specification (see redis7_command_info.py for the text format).
struct KeySpec {
  std::vector<std::string> flags;
  std::string notes;
  enum class Begin { kIndex, kKeyword, kUnknown } begin = Begin::kUnknown;
  int index = 0;
  std::string keyword;
  int startfrom = 0;
  enum class Find { kRange, kKeynum, kUnknown } find = Find::kUnknown;
  int lastkey = 0, keystep = 1, limit = 0;       // range
  int keynumidx = 0, firstkey = 1, numstep = 1;  // keynum
};

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

KeySpec parse_spec(std::string_view text) {
  KeySpec spec;
  std::vector<std::string> parts = split(text, ';');
  spec.flags = split(parts[0], ',');
  const std::string& begin = parts[1];
  if (begin.rfind("i:", 0) == 0) {
    spec.begin = KeySpec::Begin::kIndex;
    spec.index = std::stoi(begin.substr(2));
  } else if (begin.rfind("k:", 0) == 0) {
    spec.begin = KeySpec::Begin::kKeyword;
    size_t comma = begin.rfind(',');
    spec.keyword = begin.substr(2, comma - 2);
    spec.startfrom = std::stoi(begin.substr(comma + 1));
  }
  const std::string& find = parts[2];
  if (find.rfind("r:", 0) == 0) {
    std::vector<std::string> v = split(std::string_view(find).substr(2), ',');
    spec.find = KeySpec::Find::kRange;
    spec.lastkey = std::stoi(v[0]);
    spec.keystep = std::stoi(v[1]);
    spec.limit = std::stoi(v[2]);
  } else if (find.rfind("n:", 0) == 0) {
    std::vector<std::string> v = split(std::string_view(find).substr(2), ',');
    spec.find = KeySpec::Find::kKeynum;
    spec.keynumidx = std::stoi(v[0]);
    spec.firstkey = std::stoi(v[1]);
    spec.numstep = std::stoi(v[2]);
  }
  if (parts.size() > 3) spec.notes = parts[3];
  return spec;
}

// What Redis says about a command beyond the table: key specs and tips.
struct RedisExtras {
  std::vector<KeySpec> specs;
  std::vector<std::string> tips;
};

// Redis's key specs and tips by full command name, parsed once.
const std::map<std::string, RedisExtras, std::less<>>& redis_extras() {
  static const auto* extras = [] {
    auto* m = new std::map<std::string, RedisExtras, std::less<>>();
    for (const KeySpecText& entry : kRedisKeySpecs) {
      RedisExtras& e = (*m)[std::string(entry.name)];
      if (!entry.specs.empty()) {
        for (const std::string& one : split(entry.specs, '|')) e.specs.push_back(parse_spec(one));
      }
      if (!entry.tips.empty()) e.tips = split(entry.tips, ',');
    }
    return m;
  }();
  return *extras;
}

bool has_redis_key_specs(const std::string& name) {
  auto it = redis_extras().find(name);
  return it != redis_extras().end() && !it->second.specs.empty();
}

// The key specs COMMAND INFO shows for a command.
std::vector<KeySpec> key_specs_of(const CommandSpec* parent, const CommandSpec& spec) {
  auto it = redis_extras().find(full_name(parent, spec));
  if (it != redis_extras().end() && !it->second.specs.empty()) return it->second.specs;
  std::vector<KeySpec> out;
  if (spec.first_key <= 0) {
    if (spec.get_keys != nullptr) {
      KeySpec unknown;
      unknown.flags = {"RW", "access", "update"};
      out.push_back(unknown);
    }
    return out;
  }
  KeySpec derived;
  if (spec.has(kWrite)) {
    derived.flags = {"RW", "access", "update"};
  } else {
    derived.flags = {"RO", "access"};
  }
  derived.begin = KeySpec::Begin::kIndex;
  derived.index = spec.first_key;
  derived.find = KeySpec::Find::kRange;
  derived.lastkey = spec.last_key >= 0 ? spec.last_key - spec.first_key : spec.last_key;
  derived.keystep = spec.key_step > 0 ? spec.key_step : 1;
  out.push_back(derived);
  return out;
}

bool movable_keys(const CommandSpec& spec) {
  return spec.has(kMovableKeys) || spec.get_keys != nullptr;
}

// Redis's setImplicitACLCategories.
uint64_t acl_categories(const CommandSpec& spec) {
  uint64_t acl = spec.acl;
  if (spec.has(kWrite)) acl |= kAclWrite;
  if (spec.has(kReadonly) && !(acl & kAclScripting)) acl |= kAclRead;
  if (spec.has(kAdmin)) acl |= kAclAdmin | kAclDangerous;
  if (spec.has(kPubsub)) acl |= kAclPubsub;
  if (spec.has(kFast)) acl |= kAclFast;
  if (spec.has(kBlocking)) acl |= kAclBlocking;
  if (!(acl & kAclFast)) acl |= kAclSlow;
  return acl;
}

constexpr std::pair<uint64_t, std::string_view> kFlagNames[] = {
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

constexpr std::pair<uint64_t, std::string_view> kAclNames[] = {
    {kAclKeyspace, "keyspace"},
    {kAclRead, "read"},
    {kAclWrite, "write"},
    {kAclSet, "set"},
    {kAclSortedSet, "sortedset"},
    {kAclList, "list"},
    {kAclHash, "hash"},
    {kAclString, "string"},
    {kAclBitmap, "bitmap"},
    {kAclHyperLogLog, "hyperloglog"},
    {kAclGeo, "geo"},
    {kAclStream, "stream"},
    {kAclPubsub, "pubsub"},
    {kAclAdmin, "admin"},
    {kAclFast, "fast"},
    {kAclSlow, "slow"},
    {kAclBlocking, "blocking"},
    {kAclDangerous, "dangerous"},
    {kAclConnection, "connection"},
    {kAclTransaction, "transaction"},
    {kAclScripting, "scripting"},
};

std::string_view group_name(CommandGroup group) {
  switch (group) {
    case CommandGroup::kGeneric:
      return "generic";
    case CommandGroup::kString:
      return "string";
    case CommandGroup::kList:
      return "list";
    case CommandGroup::kSet:
      return "set";
    case CommandGroup::kSortedSet:
      return "sorted-set";
    case CommandGroup::kHash:
      return "hash";
    case CommandGroup::kPubsub:
      return "pubsub";
    case CommandGroup::kTransactions:
      return "transactions";
    case CommandGroup::kConnection:
      return "connection";
    case CommandGroup::kServer:
      return "server";
    case CommandGroup::kScripting:
      return "scripting";
    case CommandGroup::kHyperLogLog:
      return "hyperloglog";
    case CommandGroup::kCluster:
      return "cluster";
    case CommandGroup::kSentinel:
      return "sentinel";
    case CommandGroup::kGeo:
      return "geo";
    case CommandGroup::kStream:
      return "stream";
    case CommandGroup::kBitmap:
      return "bitmap";
  }
  return "generic";
}

void reply_key_spec(resp::ReplyWriter& out, const KeySpec& spec) {
  out.map(spec.notes.empty() ? 3 : 4);
  if (!spec.notes.empty()) {
    out.bulk("notes");
    out.bulk(spec.notes);
  }
  out.bulk("flags");
  out.set(spec.flags.size());
  for (const std::string& f : spec.flags) out.simple(f);
  out.bulk("begin_search");
  out.map(2);
  out.bulk("type");
  switch (spec.begin) {
    case KeySpec::Begin::kIndex:
      out.bulk("index");
      out.bulk("spec");
      out.map(1);
      out.bulk("index");
      out.integer(spec.index);
      break;
    case KeySpec::Begin::kKeyword:
      out.bulk("keyword");
      out.bulk("spec");
      out.map(2);
      out.bulk("keyword");
      out.bulk(spec.keyword);
      out.bulk("startfrom");
      out.integer(spec.startfrom);
      break;
    case KeySpec::Begin::kUnknown:
      out.bulk("unknown");
      out.bulk("spec");
      out.map(0);
      break;
  }
  out.bulk("find_keys");
  out.map(2);
  out.bulk("type");
  switch (spec.find) {
    case KeySpec::Find::kRange:
      out.bulk("range");
      out.bulk("spec");
      out.map(3);
      out.bulk("lastkey");
      out.integer(spec.lastkey);
      out.bulk("keystep");
      out.integer(spec.keystep);
      out.bulk("limit");
      out.integer(spec.limit);
      break;
    case KeySpec::Find::kKeynum:
      out.bulk("keynum");
      out.bulk("spec");
      out.map(3);
      out.bulk("keynumidx");
      out.integer(spec.keynumidx);
      out.bulk("firstkey");
      out.integer(spec.firstkey);
      out.bulk("keystep");
      out.integer(spec.numstep);
      break;
    case KeySpec::Find::kUnknown:
      out.bulk("unknown");
      out.bulk("spec");
      out.map(0);
      break;
  }
}

void reply_info(resp::ReplyWriter& out, const CommandSpec* parent, const CommandSpec& spec) {
  out.array(10);
  out.bulk(full_name(parent, spec));
  out.integer(spec.arity);
  uint64_t flags = spec.flags | (movable_keys(spec) ? uint64_t{kMovableKeys} : uint64_t{0});
  size_t nflags = 0;
  for (const auto& [bit, name] : kFlagNames) nflags += (flags & bit) ? 1 : 0;
  out.set(nflags);
  for (const auto& [bit, name] : kFlagNames) {
    if (flags & bit) out.simple(name);
  }
  out.integer(spec.first_key);
  out.integer(spec.last_key);
  out.integer(spec.key_step);
  uint64_t acl = acl_categories(spec);
  size_t nacl = 0;
  for (const auto& [bit, name] : kAclNames) nacl += (acl & bit) ? 1 : 0;
  out.set(nacl);
  for (const auto& [bit, name] : kAclNames) {
    if (acl & bit) out.simple("@" + std::string(name));
  }
  auto extras = redis_extras().find(full_name(parent, spec));
  if (extras == redis_extras().end()) {
    out.set(0);
  } else {
    out.set(extras->second.tips.size());
    for (const std::string& tip : extras->second.tips) out.bulk(tip);
  }
  std::vector<KeySpec> specs = key_specs_of(parent, spec);
  out.set(specs.size());
  for (const KeySpec& ks : specs) reply_key_spec(out, ks);
  if (spec.subcommands.empty()) {
    out.set(0);
  } else {
    out.array(spec.subcommands.size());
    for (const CommandSpec& sub : spec.subcommands) reply_info(out, &spec, sub);
  }
}

void reply_docs(resp::ReplyWriter& out, const CommandSpec* parent, const CommandSpec& spec) {
  size_t pairs = 3 + (spec.subcommands.empty() ? 0 : 1);
  out.map(pairs);
  out.bulk("summary");
  out.bulk(spec.summary);
  out.bulk("since");
  out.bulk(spec.since);
  out.bulk("group");
  out.bulk(group_name(spec.group));
  if (!spec.subcommands.empty()) {
    out.bulk("subcommands");
    out.map(spec.subcommands.size());
    for (const CommandSpec& sub : spec.subcommands) {
      out.bulk(full_name(&spec, sub));
      reply_docs(out, &spec, sub);
    }
  }
  (void)parent;
}

// Looks up "name" or "parent|sub" (COMMAND INFO/DOCS). Sets *parent for a subcommand.
const CommandSpec* lookup_full_name(const CommandTable& table, std::string_view name,
                                    const CommandSpec** parent) {
  *parent = nullptr;
  size_t bar = name.find('|');
  if (bar == std::string_view::npos) return table.find(name);
  std::string_view rest = name.substr(bar + 1);
  if (rest.find('|') != std::string_view::npos) return nullptr;
  const CommandSpec* top = table.find(name.substr(0, bar));
  if (top == nullptr) return nullptr;
  const CommandSpec* sub = CommandTable::find_subcommand(*top, rest);
  if (sub != nullptr) *parent = top;
  return sub;
}

void command_all(CommandContext& ctx) {
  std::vector<const CommandSpec*> all = ctx.server->commands().all();
  ctx.out.array(all.size());
  for (const CommandSpec* spec : all) reply_info(ctx.out, nullptr, *spec);
}

void command_count(CommandContext& ctx) {
  ctx.out.integer(static_cast<long long>(ctx.server->commands().size()));
}

void command_info(CommandContext& ctx) {
  const CommandTable& table = ctx.server->commands();
  if (ctx.argc() == 2) {
    command_all(ctx);
    return;
  }
  ctx.out.array(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const CommandSpec* parent = nullptr;
    const CommandSpec* spec = lookup_full_name(table, ctx.arg(i), &parent);
    if (spec == nullptr) {
      ctx.out.null();
    } else {
      reply_info(ctx.out, parent, *spec);
    }
  }
}

void command_docs(CommandContext& ctx) {
  const CommandTable& table = ctx.server->commands();
  if (ctx.argc() == 2) {
    std::vector<const CommandSpec*> all = table.all();
    ctx.out.map(all.size());
    for (const CommandSpec* spec : all) {
      ctx.out.bulk(spec->name);
      reply_docs(ctx.out, nullptr, *spec);
    }
    return;
  }
  // Unknown names are left out, as in Redis.
  std::vector<std::pair<const CommandSpec*, const CommandSpec*>> found;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const CommandSpec* parent = nullptr;
    const CommandSpec* spec = lookup_full_name(table, ctx.arg(i), &parent);
    if (spec != nullptr) found.emplace_back(parent, spec);
  }
  ctx.out.map(found.size());
  for (const auto& [parent, spec] : found) {
    ctx.out.bulk(full_name(parent, *spec));
    reply_docs(ctx.out, parent, *spec);
  }
}

// Resolves the command whose keys GETKEYS is asked for (argv[2..]). Replies with the error and
// returns null when it cannot.
const CommandSpec* getkeys_target(CommandContext& ctx, std::span<const std::string_view> cmd,
                                  const CommandSpec** parent_out) {
  const CommandTable& table = ctx.server->commands();
  const CommandSpec* spec = table.find(cmd[0]);
  const CommandSpec* parent = nullptr;
  if (spec != nullptr && !spec->subcommands.empty() && cmd.size() >= 2) {
    parent = spec;
    spec = CommandTable::find_subcommand(*spec, cmd[1]);
  }
  *parent_out = parent;
  if (spec == nullptr) {
    ctx.out.error("ERR Invalid command specified");
    return nullptr;
  }
  bool has_keys = spec->first_key > 0 || spec->get_keys != nullptr ||
                  has_redis_key_specs(full_name(parent, *spec));
  if (!has_keys) {
    ctx.out.error("ERR The command has no key arguments");
    return nullptr;
  }
  if (!spec->arity_ok(cmd.size())) {
    ctx.out.error("ERR Invalid number of arguments specified for command");
    return nullptr;
  }
  return spec;
}

// Which key spec an argument index belongs to, by running the specs over argv (Redis's
// getKeysUsingKeySpecs). -1 if no spec with a known search produces it.
int spec_for_index(const std::vector<KeySpec>& specs, std::span<const std::string_view> argv,
                   int index) {
  int argc = static_cast<int>(argv.size());
  for (size_t s = 0; s < specs.size(); ++s) {
    const KeySpec& spec = specs[s];
    int first = 0;
    if (spec.begin == KeySpec::Begin::kIndex) {
      first = spec.index;
    } else if (spec.begin == KeySpec::Begin::kKeyword) {
      int start = spec.startfrom > 0 ? spec.startfrom : argc + spec.startfrom;
      int end = spec.startfrom > 0 ? argc - 1 : 0;
      int step = spec.startfrom > 0 ? 1 : -1;
      for (int i = start; step > 0 ? i <= end : i >= end; i += step) {
        if (i <= 0 || i >= argc) break;
        if (iequals(argv[i], spec.keyword)) {
          first = i + 1;
          break;
        }
      }
      if (first == 0) continue;
    } else {
      continue;
    }
    if (spec.find == KeySpec::Find::kRange) {
      int last = spec.lastkey >= 0 ? first + spec.lastkey : argc + spec.lastkey;
      if (spec.lastkey < 0 && spec.limit > 1) last = first + (last - first) / spec.limit;
      for (int i = first; i <= last && i < argc; i += spec.keystep) {
        if (i == index) return static_cast<int>(s);
      }
    } else if (spec.find == KeySpec::Find::kKeynum) {
      int numidx = first + spec.keynumidx;
      if (numidx >= argc) continue;
      long long n = 0;
      try {
        n = std::stoll(std::string(argv[numidx]));
      } catch (...) {
        continue;
      }
      int start = first + spec.firstkey;
      for (long long k = 0; k < n; ++k) {
        long long i = start + k * spec.numstep;
        if (i >= argc) break;
        if (i == index) return static_cast<int>(s);
      }
    }
  }
  return -1;
}

// The access flags of the key at `index` (GETKEYSANDFLAGS).
std::vector<std::string> key_flags(const CommandSpec* parent, const CommandSpec& spec,
                                   std::span<const std::string_view> argv, int index) {
  std::string name = full_name(parent, spec);
  // Commands whose flags depend on the arguments (Redis's variable_flags getkeys procs).
  if (name == "set") {
    for (size_t i = 3; i < argv.size(); ++i) {
      if (iequals(argv[i], "GET")) return {"RW", "access", "update"};
    }
    return {"OW", "update"};
  }
  std::vector<KeySpec> specs = key_specs_of(parent, spec);
  if (specs.empty()) return {"RW", "access", "update"};
  int s = spec_for_index(specs, argv, index);
  if (s < 0) {
    // Keys found by the command's own parser (SORT ... STORE): the last spec with an unknown
    // search describes them in Redis's tables.
    s = static_cast<int>(specs.size()) - 1;
  }
  std::vector<std::string> flags;
  for (const std::string& f : specs[static_cast<size_t>(s)].flags) {
    if (f != "variable_flags" && f != "incomplete") flags.push_back(f);
  }
  return flags;
}

void getkeys(CommandContext& ctx, bool with_flags) {
  std::span<const std::string_view> cmd = ctx.argv.subspan(2);
  const CommandSpec* parent = nullptr;
  const CommandSpec* spec = getkeys_target(ctx, cmd, &parent);
  if (spec == nullptr) return;
  std::vector<int> keys = CommandTable::key_indexes(*spec, cmd);
  if (keys.empty() && !spec->has(kNoMandatoryKeys)) {
    ctx.out.error("ERR Invalid arguments specified for command");
    return;
  }
  ctx.out.array(keys.size());
  for (int index : keys) {
    if (!with_flags) {
      ctx.out.bulk(cmd[static_cast<size_t>(index)]);
      continue;
    }
    ctx.out.array(2);
    ctx.out.bulk(cmd[static_cast<size_t>(index)]);
    std::vector<std::string> flags = key_flags(parent, *spec, cmd, index);
    ctx.out.set(flags.size());
    for (const std::string& f : flags) ctx.out.simple(f);
  }
}

void command_getkeys(CommandContext& ctx) {
  getkeys(ctx, false);
}
void command_getkeysandflags(CommandContext& ctx) {
  getkeys(ctx, true);
}

void command_list(CommandContext& ctx) {
  enum class Filter { kNone, kModule, kAclCat, kPattern } filter = Filter::kNone;
  std::string_view arg;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    size_t more = ctx.argc() - 1 - i;
    if (iequals(ctx.arg(i), "filterby") && more == 2) {
      std::string_view type = ctx.arg(i + 1);
      if (iequals(type, "module")) {
        filter = Filter::kModule;
      } else if (iequals(type, "aclcat")) {
        filter = Filter::kAclCat;
      } else if (iequals(type, "pattern")) {
        filter = Filter::kPattern;
      } else {
        ctx.out.error("ERR syntax error");
        return;
      }
      arg = ctx.arg(i + 2);
      i += 2;
    } else {
      ctx.out.error("ERR syntax error");
      return;
    }
  }
  uint64_t category = 0;
  if (filter == Filter::kAclCat) {
    for (const auto& [bit, name] : kAclNames) {
      if (iequals(name, arg)) category = bit;
    }
  }
  std::vector<std::string> names;
  auto consider = [&](const CommandSpec* parent, const CommandSpec& spec) {
    std::string name = full_name(parent, spec);
    switch (filter) {
      case Filter::kNone:
        break;
      case Filter::kModule:
        return;  // no modules
      case Filter::kAclCat:
        if (category == 0 || !(acl_categories(spec) & category)) return;
        break;
      case Filter::kPattern:
        if (!util::glob_match(arg, name, true)) return;
        break;
    }
    names.push_back(std::move(name));
  };
  for (const CommandSpec* spec : ctx.server->commands().all()) {
    consider(nullptr, *spec);
    for (const CommandSpec& sub : spec->subcommands) consider(spec, sub);
  }
  ctx.out.array(names.size());
  for (const std::string& name : names) ctx.out.bulk(name);
}

void command_help(CommandContext& ctx) {
  reply_help(ctx, {
                      "(no subcommand)",
                      "    Return details about all Redis commands.",
                      "COUNT",
                      "    Return the total number of commands in this Redis server.",
                      "LIST",
                      "    Return a list of all commands in this Redis server.",
                      "INFO [<command-name> ...]",
                      "    Return details about multiple Redis commands.",
                      "    If no command names are given, documentation details for all",
                      "    commands are returned.",
                      "DOCS [<command-name> ...]",
                      "    Return documentation details about multiple Redis commands.",
                      "    If no command names are given, documentation details for all",
                      "    commands are returned.",
                      "GETKEYS <full-command>",
                      "    Return the keys from a full Redis command.",
                      "GETKEYSANDFLAGS <full-command>",
                      "    Return the keys and the access flags from a full Redis command.",
                  });
}

}  // namespace

void register_command_command(commands::CommandTable& table) {
  const uint64_t flags = kLoading | kStale;
  const uint64_t acl = kAclConnection | kAclSlow;
  auto sub = [&](std::string_view name, int arity, Handler handler, std::string_view summary,
                 std::string_view since) {
    return CommandSpec{.name = name,
                       .arity = arity,
                       .flags = flags,
                       .acl = acl,
                       .group = CommandGroup::kServer,
                       .handler = handler,
                       .subcommands = {},
                       .summary = summary,
                       .since = since};
  };
  CommandSpec command{.name = "command",
                      .arity = -1,
                      .flags = flags,
                      .acl = acl,
                      .group = CommandGroup::kServer,
                      .handler = command_all,
                      .subcommands = {},
                      .summary = "Get array of Redis command details",
                      .since = "2.8.13"};
  command.subcommands = {
      sub("count", 2, command_count, "Get total number of Redis commands", "2.8.13"),
      sub("docs", -2, command_docs, "Get array of specific Redis command documentation", "7.0.0"),
      sub("getkeys", -4, command_getkeys, "Extract keys given a full Redis command", "2.8.13"),
      sub("getkeysandflags", -4, command_getkeysandflags,
          "Extract keys and access flags given a full Redis command", "7.0.0"),
      sub("help", 2, command_help, "Show helpful text about the different subcommands", "5.0.0"),
      sub("info", -2, command_info,
          "Get array of specific Redis command details, or all when "
          "no argument is given.",
          "2.8.13"),
      sub("list", -2, command_list, "Get an array of Redis command names", "7.0.0"),
  };
  table.add(std::move(command));
}

}  // namespace zakros::server
