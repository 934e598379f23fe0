// CONFIG GET / SET / RESETSTAT / REWRITE / HELP, as Redis 7.0 answers them.
#include <algorithm>
#include <string>
#include <vector>

#include "commands/command.h"
#include "commands/command_table.h"
#include "server/config/config.h"
#include "server/config/config_options.h"
#include "util/glob.h"

namespace zakros::server {

namespace {

using commands::CommandContext;
using commands::CommandSpec;
using namespace commands;  // flags and ACL categories

bool has_glob_chars(std::string_view s) {
  return s.find_first_of("[*?") != std::string_view::npos;
}

// CONFIG GET pattern [pattern ...]: a map of every matching name (aliases included, as Redis
// 7.0 lists both "replicaof" and "slaveof"). An exact name is answered as the client spelled
// it and may name a hidden option; patterns never match hidden options.
void config_get(ConfigHost* host, CommandContext& ctx) {
  if (host == nullptr) {
    ctx.out.error("ERR CONFIG is not available here");
    return;
  }
  const Config& config = host->config();
  std::vector<std::pair<std::string, const OptionSpec*>> matches;
  auto already = [&](std::string_view key) {
    return std::any_of(matches.begin(), matches.end(),
                       [&](const auto& m) { return iequals(m.first, key); });
  };
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string_view pattern = ctx.arg(i);
    if (!has_glob_chars(pattern)) {
      const OptionSpec* spec = find_option(pattern);
      if (spec != nullptr && !already(pattern)) matches.emplace_back(std::string(pattern), spec);
      continue;
    }
    for (const OptionSpec& spec : option_table()) {
      if (spec.has(kHidden)) continue;
      for (std::string_view name : {spec.name, spec.alias}) {
        if (name.empty() || already(name)) continue;
        if (util::glob_match(pattern, name, /*nocase=*/true)) {
          matches.emplace_back(std::string(name), &spec);
        }
      }
    }
  }
  ctx.out.map(matches.size());
  for (const auto& [name, spec] : matches) {
    ctx.out.bulk(name);
    ctx.out.bulk(spec->get(config));
  }
}

// CONFIG SET's values are split on single spaces for multi-argument options (Redis's
// sdssplitlen), so "" gives no arguments and "3600 1 300 100" four.
std::vector<std::string> split_value(const OptionSpec& spec, std::string_view value) {
  if (!spec.has(kMultiArg)) return {std::string(value)};
  std::vector<std::string> parts;
  if (value.empty()) return parts;
  size_t start = 0;
  while (true) {
    size_t sp = value.find(' ', start);
    if (sp == std::string_view::npos) {
      parts.emplace_back(value.substr(start));
      return parts;
    }
    parts.emplace_back(value.substr(start, sp - start));
    start = sp + 1;
  }
}

// Whether setting `value` would leave the option as it is (checked on a copy).
bool sets_same_value(const OptionSpec& spec, const Config& config, std::string_view value) {
  Config probe = config;
  std::vector<std::string> args = split_value(spec, value);
  return !spec.set(probe, args, /*repeat=*/false) && spec.get(probe) == spec.get(config);
}

bool protected_allowed(ConfigHost& host, CommandContext& ctx) {
  ProtectedAction allowed = host.config().enable_protected_configs;
  return allowed == ProtectedAction::kYes ||
         (allowed == ProtectedAction::kLocal && host.is_local_client(ctx));
}

// CONFIG SET name value [name value ...]: all or nothing. Every option is checked (known,
// mutable, not twice), then every value is stored, then the server applies the changed ones;
// any failure restores the previous configuration.
void config_set(ConfigHost* host, CommandContext& ctx) {
  if (host == nullptr) {
    ctx.out.error("ERR CONFIG is not available here");
    return;
  }
  if (ctx.argc() % 2 != 0) {
    ctx.out.error("ERR syntax error");
    return;
  }
  struct Item {
    const OptionSpec* spec;
    std::string_view value;
    std::string reported_name;  // the registered name the client used (alias or canonical)
  };
  std::vector<Item> items;
  std::string unknown_name, err_name, errstr;
  bool invalid = false;
  for (size_t i = 2; i + 1 < ctx.argc(); i += 2) {
    std::string_view name = ctx.arg(i);
    bool is_alias = false;
    const OptionSpec* spec = find_option(name, &is_alias);
    // Redis keeps scanning after the first problem (to redact sensitive values), and reports
    // an unknown option only if it comes before any other problem.
    if (spec == nullptr) {
      if (!invalid) {
        unknown_name = std::string(name);
        invalid = true;
      }
      continue;
    }
    if (invalid) continue;
    if (spec->has(kSameValueOk) && sets_same_value(*spec, host->config(), ctx.arg(i + 1))) {
      continue;  // a no-op; see kSameValueOk
    }
    if (spec->has(kImmutable) || (spec->has(kProtected) && !protected_allowed(*host, ctx))) {
      errstr = spec->has(kImmutable) ? "can't set immutable config" : "can't set protected config";
      err_name = std::string(name);
      invalid = true;
      continue;
    }
    for (const Item& item : items) {
      if (item.spec == spec) {
        errstr = "duplicate parameter";
        err_name = std::string(name);
        invalid = true;
        break;
      }
    }
    items.push_back({spec, ctx.arg(i + 1), std::string(is_alias ? spec->alias : spec->name)});
  }
  auto fail = [&]() {
    if (!unknown_name.empty()) {
      ctx.out.error("ERR Unknown option or number of arguments for CONFIG SET - '" + unknown_name +
                    "'");
    } else {
      ctx.out.error("ERR CONFIG SET failed (possibly related to argument '" + err_name + "') - " +
                    errstr);
    }
  };
  if (invalid) {
    fail();
    return;
  }

  Config& config = host->config();
  const Config backup = config;
  std::vector<const OptionSpec*> changed;
  for (const Item& item : items) {
    std::string before = item.spec->get(config);
    std::vector<std::string> args = split_value(*item.spec, item.value);
    auto err = item.spec->set(config, args, /*repeat=*/false);
    if (!err && item.spec->runtime_check) err = item.spec->runtime_check(config);
    if (err) {
      config = backup;
      errstr = *err;
      err_name = item.reported_name;
      fail();
      return;
    }
    if (item.spec->get(config) != before) changed.push_back(item.spec);
  }
  for (size_t i = 0; i < changed.size(); ++i) {
    if (auto err = host->apply_config_change(changed[i]->name)) {
      config = backup;
      // Put the server back in line with the restored values.
      for (size_t j = 0; j <= i; ++j) host->apply_config_change(changed[j]->name);
      errstr = *err;
      err_name = std::string(changed[i]->name);
      fail();
      return;
    }
  }
  ctx.out.ok();
}

void config_resetstat(ConfigHost* host, CommandContext& ctx) {
  if (host != nullptr) host->reset_stats();
  ctx.out.ok();
}

void config_rewrite(ConfigHost* host, CommandContext& ctx) {
  if (host == nullptr || host->config_file().empty()) {
    ctx.out.error("ERR The server is running without a config file");
    return;
  }
  if (auto err = rewrite_config_file(host->config_file(), host->config())) {
    ctx.out.error("ERR Rewriting config file: " + *err);
    return;
  }
  ctx.out.ok();
}

void config_help(ConfigHost*, CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
      "HELP",
      "    Prints this help.",
  };
  ctx.out.array(std::size(kLines));
  for (std::string_view line : kLines) ctx.out.simple(line);
}

template <void (*Run)(ConfigHost*, CommandContext&)>
void handler(CommandContext& ctx) {
  Run(config_host(ctx), ctx);
}

}  // namespace

void execute_config_command(ConfigHost* host, commands::CommandContext& ctx) {
  std::string_view sub = ctx.arg(1);
  if (iequals(sub, "get")) {
    config_get(host, ctx);
  } else if (iequals(sub, "set")) {
    config_set(host, ctx);
  } else if (iequals(sub, "resetstat")) {
    config_resetstat(host, ctx);
  } else if (iequals(sub, "rewrite")) {
    config_rewrite(host, ctx);
  } else if (iequals(sub, "help")) {
    config_help(host, ctx);
  } else {
    ctx.out.error("ERR unknown subcommand '" + std::string(sub) + "'. Try CONFIG HELP.");
  }
}

std::vector<size_t> config_set_sensitive_args(std::span<const std::string_view> argv) {
  std::vector<size_t> out;
  for (size_t i = 2; i + 1 < argv.size(); i += 2) {
    const OptionSpec* spec = find_option(argv[i]);
    if (spec != nullptr && spec->has(kSensitive)) out.push_back(i + 1);
  }
  return out;
}

void register_config_command(commands::CommandTable& table) {
  constexpr uint64_t kAdminFlags = kAdmin | kNoscript | kLoading | kStale;
  constexpr uint64_t kAdminAcl = kAclAdmin | kAclSlow | kAclDangerous;
  CommandSpec config;
  config.name = "config";
  config.arity = -2;
  config.acl = kAclSlow;
  config.group = commands::CommandGroup::kServer;
  config.summary = "A container for server configuration commands";
  config.since = "2.0.0";

  CommandSpec get;
  get.name = "get";
  get.arity = -3;
  get.flags = kAdminFlags;
  get.acl = kAdminAcl;
  get.group = commands::CommandGroup::kServer;
  get.handler = handler<config_get>;
  get.summary = "Get the values of configuration parameters";
  get.since = "2.0.0";

  CommandSpec set = get;
  set.name = "set";
  set.arity = -4;
  set.handler = handler<config_set>;
  set.summary = "Set configuration parameters to the given values";

  CommandSpec resetstat = get;
  resetstat.name = "resetstat";
  resetstat.arity = 2;
  resetstat.handler = handler<config_resetstat>;
  resetstat.summary = "Reset the stats returned by INFO";

  CommandSpec rewrite = get;
  rewrite.name = "rewrite";
  rewrite.arity = 2;
  rewrite.handler = handler<config_rewrite>;
  rewrite.summary = "Rewrite the configuration file with the in memory configuration";
  rewrite.since = "2.8.0";

  CommandSpec help;
  help.name = "help";
  help.arity = 2;
  help.flags = kLoading | kStale;
  help.acl = kAclSlow;
  help.group = commands::CommandGroup::kServer;
  help.handler = handler<config_help>;
  help.summary = "Show helpful text about the different subcommands";
  help.since = "5.0.0";

  config.subcommands = {std::move(rewrite), std::move(help), std::move(get), std::move(resetstat),
                        std::move(set)};
  table.add(std::move(config));
}

}  // namespace zakros::server
