// The declarative option table behind Config (config_options.cc): one OptionSpec per option,
// read by the config-file loader (config.cc), CONFIG GET/SET (config_command.cc) and CONFIG
// REWRITE (config_rewrite.cc). Nothing else needs it: the server reads Config's fields.
//
// Semantics follow Redis 7.0's config.c (names, aliases, bounds, defaults, error texts):
//  - bool: "yes"/"no" (case-insensitive), else "argument must be 'yes' or 'no'".
//  - integer: Redis's strict string2ll, bounds checked ("argument must be between A and B
//    inclusive"); memory options also take k/kb/m/mb/g/gb (1k = 1000, 1kb = 1024).
//  - enum: one of a fixed list ("argument(s) must be one of the following: a, b, c").
//  - string: any text; some turn "" into "unset".
//  - special: their own syntax (save, bind, client-output-buffer-limit, ...).
#pragma once

#include "util/strings.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/config/config.h"

namespace zakros::server {

enum OptionFlag : uint32_t {
  kModifiable = 0,
  kImmutable = 1u << 0,    // start-up only: CONFIG SET says "can't set immutable config"
  kSensitive = 1u << 1,    // a secret (requirepass, masterauth): keep it out of logs
  kHidden = 1u << 2,       // CONFIG GET shows it only when asked by its exact name
  kMultiArg = 1u << 3,     // takes several arguments (save, bind, ...)
  kProtected = 1u << 4,    // CONFIG SET needs enable-protected-configs (dir, dbfilename)
  kDenyLoading = 1u << 5,  // not while loading a dataset
  // Accepted, validated and stored for compatibility with Redis clients and tests, but zakros
  // does not act on it (yet). The value round-trips through CONFIG GET/SET/REWRITE.
  kNotActedUpon = 1u << 6,
  // zakros's own start-up-only options (node-id, raft-*, cluster-addrs): CONFIG SET to the
  // value they already have is accepted as a no-op, any other value is refused as immutable.
  // Redis's "CONFIG sanity" test sets every option CONFIG GET * lists back to its value,
  // skipping only Redis's own immutable options, and must pass against zakros.
  kSameValueOk = 1u << 7,
};

enum class OptionType { kBool, kInteger, kMemory, kEnum, kString, kSpecial };

// One line CONFIG REWRITE wants in the file for an option. A forced line is appended when the
// file has no line for the option yet (the value differs from the default); an unforced one
// only replaces an existing line.
struct RewriteLine {
  std::string text;  // the whole line, e.g. "save 3600 1" or "requirepass \"secret\""
  bool force = true;
};

struct OptionSpec {
  std::string_view name;   // canonical lowercase name
  std::string_view alias;  // Redis's old name ("slaveof", "hash-max-ziplist-entries") or ""
  OptionType type = OptionType::kSpecial;
  uint32_t flags = 0;  // OptionFlag bits

  // Parses `args` into `config` (nothing is changed on error). `repeat` is true when the same
  // config file already had a line for this option: `save` lines then accumulate instead of
  // replacing the defaults. Returns Redis's error text on failure.
  std::function<std::optional<std::string>(Config& config, std::span<const std::string> args,
                                           bool repeat)>
      set;
  // The value as CONFIG GET shows it.
  std::function<std::string(const Config& config)> get;
  // The lines CONFIG REWRITE writes, using `name` as the directive. An empty result means the
  // option must not appear in the file (e.g. an unset string): its old lines are blanked.
  std::function<std::vector<RewriteLine>(const Config& config, std::string_view name)> rewrite;
  // Optional: a check CONFIG SET makes after storing the value, on a running server only (not
  // when loading the config file). For `dir`, which must then exist, as Redis's chdir demands.
  std::function<std::optional<std::string>(const Config& config)> runtime_check;

  bool has(OptionFlag flag) const { return (flags & flag) != 0; }
};

// Every option, in table order.
std::span<const OptionSpec> option_table();

// Case-insensitive lookup by name or alias; null if unknown. `*is_alias` tells which matched.
const OptionSpec* find_option(std::string_view name, bool* is_alias = nullptr);

// Cross-option checks done once the whole configuration is loaded (node-id must index
// cluster-addrs, heartbeat shorter than the election timeout, ...). Error text or nullopt.
std::optional<std::string> validate_config(const Config& config);

// Redis's memtoull: digits with an optional unit b, k, kb, m, mb, g, gb (case-insensitive).
// Negative values and other suffixes are errors.
bool parse_memory(std::string_view text, unsigned long long* value);

// Redis's rewriteConfigFormatMemory: 1073741824 -> "1gb", 1048576 -> "1mb", 1024 -> "1kb".
std::string format_memory(long long bytes);

using util::iequals;
using util::to_lower;

}  // namespace zakros::server
