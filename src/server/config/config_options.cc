// The option table: every option zakros accepts, with Redis 7.0's names, aliases, bounds,
// defaults and error texts (Redis's config.c standardConfig table is the reference for the
// facts). The typed builders below turn one table row into the set/get/rewrite functions of an
// OptionSpec; the special options (save, bind, client-output-buffer-limit, ...) are in
// config_special.cc.
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "server/config/config_options.h"
#include "server/config/config_special.h"
#include "util/numbers.h"

namespace zakros::server {

bool parse_memory(std::string_view text, unsigned long long* value) {
  if (!text.empty() && text[0] == '-') return false;
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::string_view unit = text.substr(digits);
  unsigned long long mul;
  if (unit.empty() || iequals(unit, "b")) {
    mul = 1;
  } else if (iequals(unit, "k")) {
    mul = 1000;
  } else if (iequals(unit, "kb")) {
    mul = 1024;
  } else if (iequals(unit, "m")) {
    mul = 1000 * 1000;
  } else if (iequals(unit, "mb")) {
    mul = 1024 * 1024;
  } else if (iequals(unit, "g")) {
    mul = 1000ull * 1000 * 1000;
  } else if (iequals(unit, "gb")) {
    mul = 1024ull * 1024 * 1024;
  } else {
    return false;
  }
  if (digits >= 128) return false;
  // As Redis: strtoull over the digits, so "" (no digits) is 0 and overflow saturates.
  std::string buf(text.substr(0, digits));
  unsigned long long v = std::strtoull(buf.c_str(), nullptr, 10);
  *value = v * mul;
  return true;
}

std::string format_memory(long long bytes) {
  constexpr long long kGb = 1024ll * 1024 * 1024, kMb = 1024ll * 1024, kKb = 1024;
  if (bytes != 0 && bytes % kGb == 0) return std::to_string(bytes / kGb) + "gb";
  if (bytes != 0 && bytes % kMb == 0) return std::to_string(bytes / kMb) + "mb";
  if (bytes != 0 && bytes % kKb == 0) return std::to_string(bytes / kKb) + "kb";
  return std::to_string(bytes);
}

namespace {

using Args = std::span<const std::string>;
using Error = std::optional<std::string>;

// ---- bool ----

int yes_no(std::string_view s) {
  if (iequals(s, "yes")) return 1;
  if (iequals(s, "no")) return 0;
  return -1;
}

OptionSpec bool_option(std::string_view name, std::string_view alias, uint32_t flags,
                       bool Config::*field, bool def) {
  OptionSpec spec{name, alias, OptionType::kBool, flags, {}, {}, {}, {}};
  spec.set = [field](Config& c, Args args, bool) -> Error {
    int yn = yes_no(args[0]);
    if (yn < 0) return "argument must be 'yes' or 'no'";
    c.*field = yn == 1;
    return std::nullopt;
  };
  spec.get = [field](const Config& c) { return std::string(c.*field ? "yes" : "no"); };
  spec.rewrite = [field, def](const Config& c, std::string_view n) {
    return std::vector<RewriteLine>{
        {std::string(n) + (c.*field ? " yes" : " no"), c.*field != def}};
  };
  return spec;
}

// ---- numbers ----

enum NumericFlag : int { kNumInteger = 0, kNumMemory = 1, kNumPercent = 2, kNumOctal = 4 };

// Redis's numericParseString: the accepted syntaxes depend on the option's numeric flags.
Error parse_numeric(std::string_view text, int numflags, long long* out) {
  if (numflags & kNumMemory) {
    unsigned long long v;
    if (parse_memory(text, &v)) {
      *out = static_cast<long long>(v);
      return std::nullopt;
    }
  }
  if ((numflags & kNumPercent) && text.size() > 1 && text.back() == '%') {
    int64_t v;
    if (util::parse_int64(text.substr(0, text.size() - 1), &v) && v >= 0) {
      *out = -v;  // percentages are stored negated, as Redis does
      return std::nullopt;
    }
  }
  if (numflags & kNumOctal) {
    std::string buf(text);
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(buf.c_str(), &end, 8);
    if (errno == 0 && *end == '\0') {
      *out = v;
      return std::nullopt;
    }
  }
  if (numflags == kNumInteger) {
    int64_t v;
    if (util::parse_int64(text, &v)) {
      *out = v;
      return std::nullopt;
    }
  }
  if ((numflags & kNumMemory) && (numflags & kNumPercent)) {
    return "argument must be a memory or percent value";
  }
  if (numflags & kNumMemory) return "argument must be a memory value";
  if (numflags & kNumOctal) return "argument couldn't be parsed as an octal number";
  return "argument couldn't be parsed into an integer";
}

using NumericValidator = Error (*)(long long value);

template <typename T>
OptionSpec numeric_option(std::string_view name, std::string_view alias, uint32_t flags,
                          long long lower, unsigned long long upper, T Config::*field, T def,
                          int numflags = kNumInteger, NumericValidator validate = nullptr) {
  OptionType type = (numflags & kNumMemory) ? OptionType::kMemory : OptionType::kInteger;
  OptionSpec spec{name, alias, type, flags, {}, {}, {}, {}};
  spec.set = [=](Config& c, Args args, bool) -> Error {
    long long v;
    if (Error e = parse_numeric(args[0], numflags, &v)) return e;
    char buf[128];
    if constexpr (std::is_unsigned_v<T>) {
      // Unsigned options compare as unsigned: "-1" is out of range, not negative.
      auto u = static_cast<unsigned long long>(v);
      if (u > upper || u < static_cast<unsigned long long>(lower)) {
        std::snprintf(buf, sizeof(buf),
                      (numflags & kNumOctal) ? "argument must be between %llo and %llo inclusive"
                                             : "argument must be between %llu and %llu inclusive",
                      static_cast<unsigned long long>(lower), upper);
        return std::string(buf);
      }
    } else {
      if ((numflags & kNumPercent) && v < 0) {
        if (v < lower) {
          std::snprintf(buf, sizeof(buf), "percentage argument must be less or equal to %lld",
                        -lower);
          return std::string(buf);
        }
      } else if (v > static_cast<long long>(upper) || v < lower) {
        std::snprintf(buf, sizeof(buf), "argument must be between %lld and %lld inclusive", lower,
                      static_cast<long long>(upper));
        return std::string(buf);
      }
    }
    if (validate != nullptr) {
      if (Error e = validate(v)) return e;
    }
    c.*field = static_cast<T>(v);
    return std::nullopt;
  };
  spec.get = [=](const Config& c) -> std::string {
    auto v = static_cast<long long>(c.*field);
    if ((numflags & kNumPercent) && v < 0) return std::to_string(-v) + "%";
    if (numflags & kNumMemory) return std::to_string(static_cast<unsigned long long>(v));
    if (numflags & kNumOctal) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%llo", v);
      return buf;
    }
    return std::to_string(v);
  };
  spec.rewrite = [=](const Config& c, std::string_view n) {
    auto v = static_cast<long long>(c.*field);
    std::string line(n);
    if ((numflags & kNumPercent) && v < 0) {
      line += " " + std::to_string(-v) + "%";
    } else if (numflags & kNumMemory) {
      line += " " + format_memory(v);
    } else if (numflags & kNumOctal) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), " %llo", v);
      line += buf;
    } else {
      line += " " + std::to_string(v);
    }
    return std::vector<RewriteLine>{{line, c.*field != def}};
  };
  return spec;
}

// ---- enums ----

template <typename E>
struct EnumName {
  std::string_view name;
  E value;
};

template <typename E>
std::string enum_error(std::span<const EnumName<E>> names) {
  std::string err = "argument(s) must be one of the following: ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) err += ", ";
    err += names[i].name;
  }
  if (err.size() > 255) err.resize(255);  // Redis formats it into a 256-byte buffer
  return err;
}

template <typename E>
std::string enum_name(std::span<const EnumName<E>> names, E value) {
  for (const auto& n : names) {
    if (n.value == value) return std::string(n.name);
  }
  return "unknown";
}

template <typename E>
OptionSpec enum_option(std::string_view name, std::string_view alias, uint32_t flags,
                       E Config::*field, std::span<const EnumName<E>> names, E def) {
  OptionSpec spec{name, alias, OptionType::kEnum, flags, {}, {}, {}, {}};
  spec.set = [=](Config& c, Args args, bool) -> Error {
    for (const auto& n : names) {
      if (iequals(args[0], n.name)) {
        c.*field = n.value;
        return std::nullopt;
      }
    }
    return enum_error(names);
  };
  spec.get = [=](const Config& c) { return enum_name(names, c.*field); };
  spec.rewrite = [=](const Config& c, std::string_view n) {
    return std::vector<RewriteLine>{
        {std::string(n) + " " + enum_name(names, c.*field), c.*field != def}};
  };
  return spec;
}

// An enum kept as its canonical name in a string field (loglevel: util/log.h takes names).
OptionSpec name_option(std::string_view name, uint32_t flags, std::string Config::*field,
                       std::span<const EnumName<int>> names, std::string_view def) {
  OptionSpec spec{name, "", OptionType::kEnum, flags, {}, {}, {}, {}};
  spec.set = [=](Config& c, Args args, bool) -> Error {
    for (const auto& n : names) {
      if (iequals(args[0], n.name)) {
        c.*field = std::string(n.name);
        return std::nullopt;
      }
    }
    return enum_error(names);
  };
  spec.get = [field](const Config& c) { return c.*field; };
  spec.rewrite = [=](const Config& c, std::string_view n) {
    return std::vector<RewriteLine>{{std::string(n) + " " + c.*field, c.*field != def}};
  };
  return spec;
}

// shutdown-on-sigint/sigterm: several flags in one value (Redis's MULTI_ARG enum).
constexpr EnumName<int> kShutdownNames[] = {{"default", 0},
                                            {"save", kShutdownSave},
                                            {"nosave", kShutdownNoSave},
                                            {"now", kShutdownNow},
                                            {"force", kShutdownForce}};

std::string shutdown_flags_name(int value) {
  std::string out;
  int unmatched = value;
  for (const auto& n : kShutdownNames) {
    if (n.value == value) return std::string(n.name);
    if (n.value != 0 && (unmatched & n.value) == n.value) {
      if (!out.empty()) out += ' ';
      out += n.name;
      unmatched &= ~n.value;
    }
  }
  if (out.empty() || unmatched != 0) return "unknown";
  return out;
}

OptionSpec shutdown_option(std::string_view name, int Config::*field) {
  OptionSpec spec{name, "", OptionType::kEnum, kMultiArg, {}, {}, {}, {}};
  spec.set = [field](Config& c, Args args, bool) -> Error {
    if (args.empty()) return enum_error(std::span<const EnumName<int>>(kShutdownNames));
    int flags = 0;
    for (const std::string& a : args) {
      bool matched = false;
      for (const auto& n : kShutdownNames) {
        if (iequals(a, n.name)) {
          flags |= n.value;
          matched = true;
        }
      }
      if (!matched) return enum_error(std::span<const EnumName<int>>(kShutdownNames));
    }
    if ((flags & kShutdownSave) && (flags & kShutdownNoSave)) {
      return "shutdown options SAVE and NOSAVE can't be used simultaneously";
    }
    c.*field = flags;
    return std::nullopt;
  };
  spec.get = [field](const Config& c) { return shutdown_flags_name(c.*field); };
  spec.rewrite = [field](const Config& c, std::string_view n) {
    return std::vector<RewriteLine>{
        {std::string(n) + " " + shutdown_flags_name(c.*field), c.*field != 0}};
  };
  return spec;
}

// ---- strings ----

using StringValidator = Error (*)(const std::string& value);

// `empty_is_unset`: "" means "not set", and an unset string is left out of a rewritten file
// (Redis's EMPTY_STRING_IS_NULL); otherwise "" is a value like any other.
OptionSpec string_option(std::string_view name, std::string_view alias, uint32_t flags,
                         std::string Config::*field, std::string_view def, bool empty_is_unset,
                         StringValidator validate = nullptr) {
  OptionSpec spec{name, alias, OptionType::kString, flags, {}, {}, {}, {}};
  spec.set = [=](Config& c, Args args, bool) -> Error {
    if (validate != nullptr) {
      if (Error e = validate(args[0])) return e;
    }
    c.*field = args[0];
    return std::nullopt;
  };
  spec.get = [field](const Config& c) { return c.*field; };
  spec.rewrite = [=](const Config& c, std::string_view n) {
    const std::string& v = c.*field;
    if (empty_is_unset && v.empty()) return std::vector<RewriteLine>{};
    bool is_default = !(empty_is_unset && def.empty()) && v == def;
    return std::vector<RewriteLine>{{std::string(n) + " " + quote_arg(v), !is_default}};
  };
  return spec;
}

// ---- validators ----

bool is_base_name(const std::string& path) {
  return path.find('/') == std::string::npos && path.find('\\') == std::string::npos;
}

Error valid_dbfilename(const std::string& v) {
  if (!is_base_name(v)) return "dbfilename can't be a path, just a filename";
  return std::nullopt;
}

Error valid_appendfilename(const std::string& v) {
  if (v.empty()) return "appendfilename can't be empty";
  if (!is_base_name(v)) return "appendfilename can't be a path, just a filename";
  return std::nullopt;
}

Error valid_appenddirname(const std::string& v) {
  if (v.empty()) return "appenddirname can't be empty";
  if (!is_base_name(v)) return "appenddirname can't be a path, just a dirname";
  return std::nullopt;
}

Error valid_hostname(const std::string& v) {
  if (v.size() >= 256) return "Hostnames must be less than 256 characters";
  for (char ch : v) {
    bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '.';
    if (!ok) return "Hostnames may only contain alphanumeric characters, hyphens or dots";
  }
  return std::nullopt;
}

// Redis's validateProcTitleTemplate: known {variables} only, balanced braces, and the template
// must not expand to nothing.
Error valid_proc_title_template(const std::string& v) {
  static constexpr std::string_view kVars[] = {"title",    "listen-addr", "server-mode", "port",
                                               "tls-port", "unixsocket",  "config-file"};
  bool nonempty = false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '{') {
      size_t end = v.find('}', i);
      if (end == std::string::npos)
        return "template format is invalid or contains unknown variables";
      std::string_view var(v.data() + i + 1, end - i - 1);
      if (std::find(std::begin(kVars), std::end(kVars), var) == std::end(kVars)) {
        return "template format is invalid or contains unknown variables";
      }
      // {title}, {server-mode} and {unixsocket} may expand to nothing.
      if (var != "title" && var != "server-mode" && var != "unixsocket") nonempty = true;
      i = end;
    } else if (v[i] == '}') {
      return "template format is invalid or contains unknown variables";
    } else {
      nonempty = true;
    }
  }
  if (!nonempty) return "template format is invalid or contains unknown variables";
  return std::nullopt;
}

Error valid_tls_port(long long v) {
  if (v != 0) return "TLS is not supported by zakros yet: tls-port must be 0";
  return std::nullopt;
}

// ---- enum value tables (Redis's names, in Redis's order: the error text lists them) ----

constexpr EnumName<int> kLogLevels[] = {
    {"debug", 0}, {"verbose", 1}, {"notice", 2}, {"warning", 3}};
constexpr EnumName<MaxmemoryPolicy> kMaxmemoryPolicies[] = {
    {"volatile-lru", MaxmemoryPolicy::kVolatileLru},
    {"volatile-lfu", MaxmemoryPolicy::kVolatileLfu},
    {"volatile-random", MaxmemoryPolicy::kVolatileRandom},
    {"volatile-ttl", MaxmemoryPolicy::kVolatileTtl},
    {"allkeys-lru", MaxmemoryPolicy::kAllkeysLru},
    {"allkeys-lfu", MaxmemoryPolicy::kAllkeysLfu},
    {"allkeys-random", MaxmemoryPolicy::kAllkeysRandom},
    {"noeviction", MaxmemoryPolicy::kNoeviction}};
constexpr EnumName<AppendFsync> kAppendFsync[] = {{"everysec", AppendFsync::kEverysec},
                                                  {"always", AppendFsync::kAlways},
                                                  {"no", AppendFsync::kNo}};
constexpr EnumName<ProtectedAction> kProtectedActions[] = {{"no", ProtectedAction::kNo},
                                                           {"yes", ProtectedAction::kYes},
                                                           {"local", ProtectedAction::kLocal}};
constexpr EnumName<RaftStorage> kRaftStorage[] = {{"disk", RaftStorage::kDisk},
                                                  {"memory", RaftStorage::kMemory}};
constexpr EnumName<int> kSupervised[] = {{"upstart", 1}, {"systemd", 2}, {"auto", 3}, {"no", 0}};
constexpr EnumName<int> kSyslogFacility[] = {{"user", 0},   {"local0", 1}, {"local1", 2},
                                             {"local2", 3}, {"local3", 4}, {"local4", 5},
                                             {"local5", 6}, {"local6", 7}, {"local7", 8}};
constexpr EnumName<int> kReplDisklessLoad[] = {{"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}};
constexpr EnumName<int> kOomScoreAdj[] = {{"no", 0}, {"yes", 1}, {"relative", 1}, {"absolute", 2}};
constexpr EnumName<int> kAclPubsubDefault[] = {{"allchannels", 1}, {"resetchannels", 0}};
constexpr EnumName<int> kSanitizeDumpPayload[] = {{"no", 0}, {"yes", 1}, {"clients", 2}};
constexpr EnumName<int> kEndpointType[] = {{"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}};
constexpr EnumName<int> kPropagationErrorBehavior[] = {
    {"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}};
constexpr EnumName<int> kTlsAuthClients[] = {{"no", 0}, {"yes", 1}, {"optional", 2}};

template <typename E, size_t N>
std::span<const EnumName<E>> names(const EnumName<E> (&arr)[N]) {
  return std::span<const EnumName<E>>(arr, N);
}

constexpr long long kIntMax = INT_MAX;
constexpr long long kIntMin = INT_MIN;
constexpr long long kLongMax = LONG_MAX;
constexpr long long kLLongMax = LLONG_MAX;
constexpr uint32_t kNA = kNotActedUpon;
constexpr uint32_t kZakrosImmutable = kImmutable | kSameValueOk;

// Where clients must authenticate, peers must too, with masterauth (peer_transport.h): a cluster
// node with requirepass alone could neither prove itself to its peers nor check them. At start
// (validate_config) and on CONFIG SET of either option.
Error peer_auth_check(const Config& c) {
  if (!c.raft_enabled || c.cluster_addrs.empty() || c.requirepass.empty() ||
      !c.masterauth.empty()) {
    return {};
  }
  return std::string(
      "requirepass is set but masterauth is not: a cluster node (cluster-addrs) must also set "
      "masterauth, the secret its peers prove they know (the same value on every node)");
}

std::vector<OptionSpec> build_table() {
  using C = Config;
  std::vector<OptionSpec> t;
  auto b = [&](std::string_view n, std::string_view a, uint32_t f, bool C::*m, bool d) {
    t.push_back(bool_option(n, a, f, m, d));
  };
  auto s = [&](std::string_view n, std::string_view a, uint32_t f, std::string C::*m,
               std::string_view d, bool unset, StringValidator v = nullptr) {
    t.push_back(string_option(n, a, f, m, d, unset, v));
  };

  // ---- options zakros acts on ----
  add_special_options(t, /*acted_upon=*/true);  // bind, dir, client-output-buffer-limit, ...
  t.push_back(numeric_option<int>("port", "", 0, 0, 65535, &C::port, 6379));
  t.push_back(numeric_option<int>("tcp-backlog", "", kImmutable, 0, kIntMax, &C::tcp_backlog, 511));
  t.push_back(numeric_option<int>("timeout", "", 0, 0, kIntMax, &C::timeout, 0));
  t.push_back(numeric_option<int>("tcp-keepalive", "", 0, 0, kIntMax, &C::tcp_keepalive, 300));
  t.push_back(numeric_option<unsigned>("maxclients", "", 0, 1, UINT_MAX, &C::maxclients, 10000u));
  b("protected-mode", "", 0, &C::protected_mode, true);
  t.push_back(name_option("loglevel", 0, &C::loglevel, names(kLogLevels), "notice"));
  s("logfile", "", kImmutable, &C::logfile, "", false);
  t.push_back(numeric_option<int>("databases", "", kImmutable, 1, kIntMax, &C::databases, 16));
  {
    // Redis takes any hz but caps it to 1..500 (a hint, not a contract).
    OptionSpec hz = numeric_option<int>("hz", "", 0, 0, kIntMax, &C::hz, 10);
    hz.set = [inner = hz.set](Config& c, Args args, bool repeat) -> Error {
      Error e = inner(c, args, repeat);
      if (!e) c.hz = std::clamp(c.hz, 1, 500);
      return e;
    };
    t.push_back(std::move(hz));
  }
  b("dynamic-hz", "", 0, &C::dynamic_hz, true);
  s("requirepass", "", kSensitive, &C::requirepass, "", true);
  t.back().runtime_check = peer_auth_check;
  s("pidfile", "", kImmutable, &C::pidfile, "", true);
  b("daemonize", "", kImmutable, &C::daemonize, false);
  t.push_back(shutdown_option("shutdown-on-sigint", &C::shutdown_on_sigint));
  t.push_back(shutdown_option("shutdown-on-sigterm", &C::shutdown_on_sigterm));
  t.push_back(numeric_option<int>("shutdown-timeout", "", 0, 0, kIntMax, &C::shutdown_timeout, 10));
  t.push_back(numeric_option<long long>("proto-max-bulk-len", "", 0, 1024 * 1024, kLongMax,
                                        &C::proto_max_bulk_len, 512ll * 1024 * 1024, kNumMemory));
  t.push_back(numeric_option<size_t>("client-query-buffer-limit", "", 0, 1024 * 1024, kLongMax,
                                     &C::client_query_buffer_limit, size_t{1024} * 1024 * 1024,
                                     kNumMemory));
  t.push_back(numeric_option<unsigned long long>("maxmemory", "", 0, 0, ULLONG_MAX, &C::maxmemory,
                                                 0ull, kNumMemory));
  t.push_back(enum_option("maxmemory-policy", "", 0, &C::maxmemory_policy,
                          names(kMaxmemoryPolicies), MaxmemoryPolicy::kNoeviction));
  t.push_back(
      numeric_option<int>("maxmemory-samples", "", 0, 1, kIntMax, &C::maxmemory_samples, 5));
  t.push_back(numeric_option<int>("maxmemory-eviction-tenacity", "", 0, 0, 100,
                                  &C::maxmemory_eviction_tenacity, 10));
  t.push_back(numeric_option<long long>("maxmemory-clients", "", 0, -100, kLLongMax,
                                        &C::maxmemory_clients, 0ll, kNumMemory | kNumPercent));
  t.push_back(
      numeric_option<int>("active-expire-effort", "", 0, 1, 10, &C::active_expire_effort, 1));
  b("activerehashing", "", 0, &C::activerehashing, true);
  t.push_back(numeric_option<long long>("slowlog-log-slower-than", "", 0, -1, kLLongMax,
                                        &C::slowlog_log_slower_than, 10000ll));
  t.push_back(numeric_option<size_t>("slowlog-max-len", "", 0, 0, kLongMax, &C::slowlog_max_len,
                                     size_t{128}));
  t.push_back(numeric_option<long long>("latency-monitor-threshold", "", 0, 0, kLLongMax,
                                        &C::latency_monitor_threshold, 0ll));
  b("latency-tracking", "", 0, &C::latency_tracking, true);
  t.push_back(numeric_option<long long>("busy-reply-threshold", "lua-time-limit", 0, 0, kLongMax,
                                        &C::busy_reply_threshold, 5000ll));
  t.push_back(numeric_option<size_t>("tracking-table-max-keys", "", 0, 0, kLongMax,
                                     &C::tracking_table_max_keys, size_t{1000000}));
  t.push_back(enum_option("enable-protected-configs", "", kImmutable, &C::enable_protected_configs,
                          names(kProtectedActions), ProtectedAction::kNo));
  t.push_back(enum_option("enable-debug-command", "", kImmutable, &C::enable_debug_command,
                          names(kProtectedActions), ProtectedAction::kNo));
  t.push_back(enum_option("enable-module-command", "", kImmutable, &C::enable_module_command,
                          names(kProtectedActions), ProtectedAction::kNo));
  t.push_back(numeric_option<int>("list-max-listpack-size", "list-max-ziplist-size", 0, kIntMin,
                                  kIntMax, &C::list_max_listpack_size, -2));
  t.push_back(
      numeric_option<int>("list-compress-depth", "", 0, 0, kIntMax, &C::list_compress_depth, 0));
  t.push_back(numeric_option<size_t>("hash-max-listpack-entries", "hash-max-ziplist-entries", 0, 0,
                                     kLongMax, &C::hash_max_listpack_entries, size_t{512}));
  t.push_back(numeric_option<size_t>("hash-max-listpack-value", "hash-max-ziplist-value", 0, 0,
                                     kLongMax, &C::hash_max_listpack_value, size_t{64},
                                     kNumMemory));
  t.push_back(numeric_option<size_t>("set-max-intset-entries", "", 0, 0, kLongMax,
                                     &C::set_max_intset_entries, size_t{512}));
  t.push_back(numeric_option<size_t>("zset-max-listpack-entries", "zset-max-ziplist-entries", 0, 0,
                                     kLongMax, &C::zset_max_listpack_entries, size_t{128}));
  t.push_back(numeric_option<size_t>("zset-max-listpack-value", "zset-max-ziplist-value", 0, 0,
                                     kLongMax, &C::zset_max_listpack_value, size_t{64},
                                     kNumMemory));
  t.push_back(numeric_option<size_t>("stream-node-max-bytes", "", 0, 0, kLongMax,
                                     &C::stream_node_max_bytes, size_t{4096}, kNumMemory));
  t.push_back(numeric_option<long long>("stream-node-max-entries", "", 0, 0, kLLongMax,
                                        &C::stream_node_max_entries, 100ll));
  t.push_back(numeric_option<size_t>("hll-sparse-max-bytes", "", 0, 0, kLongMax,
                                     &C::hll_sparse_max_bytes, size_t{3000}, kNumMemory));
  t.push_back(numeric_option<int>("lfu-log-factor", "", 0, 0, kIntMax, &C::lfu_log_factor, 10));
  t.push_back(numeric_option<int>("lfu-decay-time", "", 0, 0, kIntMax, &C::lfu_decay_time, 1));

  // ---- zakros's own: cluster and Raft (start-up only; membership changes go through Raft) ----
  t.push_back(numeric_option<int>("node-id", "", kZakrosImmutable, 0, kIntMax, &C::node_id, 0));
  b("raft-enabled", "", kZakrosImmutable, &C::raft_enabled, true);
  t.push_back(enum_option("raft-storage", "", kZakrosImmutable, &C::raft_storage,
                          names(kRaftStorage), RaftStorage::kDisk));
  s("raft-cluster-id", "", kZakrosImmutable, &C::raft_cluster_id, "", true,
    [](const std::string& v) -> Error {
      if (v.size() > 64 || v.find_first_of(" \t\r\n") != std::string::npos) {
        return "argument must be at most 64 characters without spaces";
      }
      return std::nullopt;
    });
  b("raft-join", "", kZakrosImmutable, &C::raft_join, false);
  s("raft-test-break", "", kZakrosImmutable, &C::raft_test_break, "", true,
    [](const std::string& v) -> Error {
      if (v.empty() || v == "stale-reads" || v == "early-ack") return std::nullopt;
      return "argument must be 'stale-reads' or 'early-ack'";
    });
  t.push_back(numeric_option<int>("raft-election-timeout", "", kZakrosImmutable, 10, 3600000,
                                  &C::raft_election_timeout, 1000));
  t.push_back(numeric_option<int>("raft-heartbeat-interval", "", kZakrosImmutable, 1, 3600000,
                                  &C::raft_heartbeat_interval, 100));
  t.push_back(numeric_option<unsigned long long>("raft-log-max-bytes", "", kZakrosImmutable,
                                                 1024 * 1024, ULLONG_MAX, &C::raft_log_max_bytes,
                                                 64ull * 1024 * 1024, kNumMemory));

  // ---- accepted and stored for compatibility, not acted upon (kNotActedUpon) ----
  add_special_options(t, /*acted_upon=*/false);  // save, replicaof, oom-score-adj-values, ...
  b("appendonly", "", kNA | kDenyLoading, &C::appendonly, false);
  t.push_back(enum_option("appendfsync", "", kNA, &C::appendfsync, names(kAppendFsync),
                          AppendFsync::kEverysec));
  s("appendfilename", "", kNA | kImmutable, &C::appendfilename, "appendonly.aof", false,
    valid_appendfilename);
  s("appenddirname", "", kNA | kImmutable, &C::appenddirname, "appendonlydir", false,
    valid_appenddirname);
  s("dbfilename", "", kNA | kProtected, &C::dbfilename, "dump.rdb", false, valid_dbfilename);
  b("rdbcompression", "", kNA, &C::rdbcompression, true);
  b("rdbchecksum", "", kNA | kImmutable, &C::rdbchecksum, true);
  b("rdb-del-sync-files", "", kNA, &C::rdb_del_sync_files, false);
  b("stop-writes-on-bgsave-error", "", kNA, &C::stop_writes_on_bgsave_error, true);
  b("rdb-save-incremental-fsync", "", kNA, &C::rdb_save_incremental_fsync, true);
  b("aof-rewrite-incremental-fsync", "", kNA, &C::aof_rewrite_incremental_fsync, true);
  b("no-appendfsync-on-rewrite", "", kNA, &C::no_appendfsync_on_rewrite, false);
  b("aof-load-truncated", "", kNA, &C::aof_load_truncated, true);
  b("aof-use-rdb-preamble", "", kNA, &C::aof_use_rdb_preamble, true);
  b("aof-timestamp-enabled", "", kNA, &C::aof_timestamp_enabled, false);
  b("aof-disable-auto-gc", "", kNA, &C::aof_disable_auto_gc, false);
  t.push_back(numeric_option<int>("auto-aof-rewrite-percentage", "", kNA, 0, kIntMax,
                                  &C::auto_aof_rewrite_percentage, 100));
  t.push_back(numeric_option<long long>("auto-aof-rewrite-min-size", "", kNA, 0, kLLongMax,
                                        &C::auto_aof_rewrite_min_size, 64ll * 1024 * 1024,
                                        kNumMemory));
  b("lazyfree-lazy-eviction", "", kNA, &C::lazyfree_lazy_eviction, false);
  // Acted upon (Server::apply_store_settings -> store::LazyFreePolicy); nothing evicts yet.
  b("lazyfree-lazy-expire", "", 0, &C::lazyfree_lazy_expire, false);
  b("lazyfree-lazy-server-del", "", 0, &C::lazyfree_lazy_server_del, false);
  b("lazyfree-lazy-user-del", "", 0, &C::lazyfree_lazy_user_del, false);
  b("lazyfree-lazy-user-flush", "", 0, &C::lazyfree_lazy_user_flush, false);
  b("activedefrag", "", kNA, &C::activedefrag, false);
  t.push_back(numeric_option<int>("active-defrag-cycle-min", "", kNA, 1, 99,
                                  &C::active_defrag_cycle_min, 1));
  t.push_back(numeric_option<int>("active-defrag-cycle-max", "", kNA, 1, 99,
                                  &C::active_defrag_cycle_max, 25));
  t.push_back(numeric_option<int>("active-defrag-threshold-lower", "", kNA, 0, 1000,
                                  &C::active_defrag_threshold_lower, 10));
  t.push_back(numeric_option<int>("active-defrag-threshold-upper", "", kNA, 0, 1000,
                                  &C::active_defrag_threshold_upper, 100));
  t.push_back(numeric_option<size_t>("active-defrag-ignore-bytes", "", kNA, 1, kLLongMax,
                                     &C::active_defrag_ignore_bytes, size_t{100} << 20,
                                     kNumMemory));
  t.push_back(numeric_option<size_t>("active-defrag-max-scan-fields", "", kNA, 1, kLongMax,
                                     &C::active_defrag_max_scan_fields, size_t{1000}));
  b("always-show-logo", "", kNA | kImmutable, &C::always_show_logo, false);
  b("set-proc-title", "", kNA | kImmutable, &C::set_proc_title, true);
  s("proc-title-template", "", kNA, &C::proc_title_template, "{title} {listen-addr} {server-mode}",
    false, valid_proc_title_template);
  t.push_back(
      enum_option("supervised", "", kNA | kImmutable, &C::supervised, names(kSupervised), 0));
  b("syslog-enabled", "", kNA | kImmutable, &C::syslog_enabled, false);
  s("syslog-ident", "", kNA | kImmutable, &C::syslog_ident, "redis", false);
  t.push_back(enum_option("syslog-facility", "", kNA | kImmutable, &C::syslog_facility,
                          names(kSyslogFacility), 1));
  s("unixsocket", "", kNA | kImmutable, &C::unixsocket, "", true);
  t.push_back(numeric_option<unsigned>("unixsocketperm", "", kNA | kImmutable, 0, 0777,
                                       &C::unixsocketperm, 0u, kNumOctal));
  t.push_back(numeric_option<unsigned>("socket-mark-id", "", kNA | kImmutable, 0, UINT_MAX,
                                       &C::socket_mark_id, 0u));
  t.push_back(numeric_option<int>("io-threads", "", kNA | kImmutable, 1, 128, &C::io_threads, 1));
  b("io-threads-do-reads", "", kNA | kImmutable, &C::io_threads_do_reads, false);
  b("jemalloc-bg-thread", "", kNA, &C::jemalloc_bg_thread, true);
  b("disable-thp", "", kNA | kImmutable, &C::disable_thp, true);
  b("crash-log-enabled", "", kNA, &C::crash_log_enabled, true);
  b("crash-memcheck-enabled", "", kNA, &C::crash_memcheck_enabled, true);
  b("use-exit-on-panic", "", kNA | kHidden, &C::use_exit_on_panic, false);
  t.push_back(enum_option("oom-score-adj", "", kNA, &C::oom_score_adj, names(kOomScoreAdj), 0));
  s("ignore-warnings", "", kNA, &C::ignore_warnings, "", false);
  s("bind-source-addr", "", kNA, &C::bind_source_addr, "", true);
  s("server_cpulist", "", kNA | kImmutable, &C::server_cpulist, "", true);
  s("bio_cpulist", "", kNA | kImmutable, &C::bio_cpulist, "", true);
  s("aof_rewrite_cpulist", "", kNA | kImmutable, &C::aof_rewrite_cpulist, "", true);
  s("bgsave_cpulist", "", kNA | kImmutable, &C::bgsave_cpulist, "", true);
  s("aclfile", "", kNA | kImmutable, &C::aclfile, "", false);
  t.push_back(numeric_option<size_t>("acllog-max-len", "", kNA, 0, kLongMax, &C::acllog_max_len,
                                     size_t{128}));
  t.push_back(enum_option("acl-pubsub-default", "", kNA, &C::acl_pubsub_default,
                          names(kAclPubsubDefault), 0));
  t.push_back(enum_option("sanitize-dump-payload", "", kNA, &C::sanitize_dump_payload,
                          names(kSanitizeDumpPayload), 0));
  t.push_back(enum_option("propagation-error-behavior", "", kNA, &C::propagation_error_behavior,
                          names(kPropagationErrorBehavior), 0));
  t.push_back(numeric_option<long long>("key-load-delay", "", kNA | kHidden, kIntMin, kIntMax,
                                        &C::key_load_delay, 0ll));
  t.push_back(numeric_option<long long>("rdb-key-save-delay", "", kNA | kHidden, kIntMin, kIntMax,
                                        &C::rdb_key_save_delay, 0ll));
  t.push_back(numeric_option<long long>("loading-process-events-interval-bytes", "", kNA | kHidden,
                                        1024, kIntMax, &C::loading_process_events_interval_bytes,
                                        2ll * 1024 * 1024));
  t.push_back(numeric_option<int>("watchdog-period", "", kNA | kHidden, 0, kIntMax,
                                  &C::watchdog_period, 0));
  b("lua-enable-deprecated-api", "", kNA | kImmutable | kHidden, &C::lua_enable_deprecated_api,
    false);
  // replication
  // The key of the peer handshake's proofs in a cluster (peer_transport.h).
  s("masterauth", "", kSensitive, &C::masterauth, "", true);
  t.back().runtime_check = peer_auth_check;
  s("masteruser", "", kSensitive, &C::masteruser, "", true);
  b("replica-serve-stale-data", "slave-serve-stale-data", kNA, &C::replica_serve_stale_data, true);
  b("replica-read-only", "slave-read-only", kNA, &C::replica_read_only, true);
  b("replica-lazy-flush", "slave-lazy-flush", kNA, &C::replica_lazy_flush, false);
  b("replica-ignore-maxmemory", "slave-ignore-maxmemory", kNA, &C::replica_ignore_maxmemory, true);
  b("replica-announced", "", kNA, &C::replica_announced, true);
  b("replica-ignore-disk-write-errors", "", kNA, &C::replica_ignore_disk_write_errors, false);
  s("replica-announce-ip", "slave-announce-ip", kNA, &C::replica_announce_ip, "", true);
  t.push_back(numeric_option<int>("replica-announce-port", "slave-announce-port", kNA, 0, 65535,
                                  &C::replica_announce_port, 0));
  t.push_back(numeric_option<int>("replica-priority", "slave-priority", kNA, 0, kIntMax,
                                  &C::replica_priority, 100));
  b("repl-diskless-sync", "", kNA, &C::repl_diskless_sync, true);
  t.push_back(numeric_option<int>("repl-diskless-sync-delay", "", kNA, 0, kIntMax,
                                  &C::repl_diskless_sync_delay, 5));
  t.push_back(numeric_option<int>("repl-diskless-sync-max-replicas", "", kNA, 0, kIntMax,
                                  &C::repl_diskless_sync_max_replicas, 0));
  t.push_back(enum_option("repl-diskless-load", "", kNA | kDenyLoading, &C::repl_diskless_load,
                          names(kReplDisklessLoad), 0));
  b("repl-disable-tcp-nodelay", "", kNA, &C::repl_disable_tcp_nodelay, false);
  t.push_back(numeric_option<long long>("repl-backlog-size", "", kNA, 1, kLLongMax,
                                        &C::repl_backlog_size, 1024ll * 1024, kNumMemory));
  t.push_back(numeric_option<long long>("repl-backlog-ttl", "", kNA, 0, kLongMax,
                                        &C::repl_backlog_ttl, 3600ll));
  t.push_back(numeric_option<int>("repl-timeout", "", kNA, 1, kIntMax, &C::repl_timeout, 60));
  t.push_back(numeric_option<int>("repl-ping-replica-period", "repl-ping-slave-period", kNA, 1,
                                  kIntMax, &C::repl_ping_replica_period, 10));
  t.push_back(numeric_option<int>("min-replicas-to-write", "min-slaves-to-write", kNA, 0, kIntMax,
                                  &C::min_replicas_to_write, 0));
  t.push_back(numeric_option<int>("min-replicas-max-lag", "min-slaves-max-lag", kNA, 0, kIntMax,
                                  &C::min_replicas_max_lag, 10));
  // Redis Cluster
  b("cluster-enabled", "", kNA | kImmutable, &C::cluster_enabled, false);
  s("cluster-config-file", "", kNA | kImmutable, &C::cluster_config_file, "nodes.conf", false);
  t.push_back(numeric_option<long long>("cluster-node-timeout", "", kNA, 0, kLLongMax,
                                        &C::cluster_node_timeout, 15000ll));
  t.push_back(
      numeric_option<int>("cluster-port", "", kNA | kImmutable, 0, 65535, &C::cluster_port, 0));
  t.push_back(numeric_option<int>("cluster-migration-barrier", "", kNA, 0, kIntMax,
                                  &C::cluster_migration_barrier, 1));
  t.push_back(numeric_option<int>("cluster-replica-validity-factor",
                                  "cluster-slave-validity-factor", kNA, 0, kIntMax,
                                  &C::cluster_replica_validity_factor, 10));
  b("cluster-replica-no-failover", "cluster-slave-no-failover", kNA,
    &C::cluster_replica_no_failover, false);
  b("cluster-require-full-coverage", "", kNA, &C::cluster_require_full_coverage, true);
  b("cluster-allow-reads-when-down", "", kNA, &C::cluster_allow_reads_when_down, false);
  b("cluster-allow-pubsubshard-when-down", "", kNA, &C::cluster_allow_pubsubshard_when_down, true);
  b("cluster-allow-replica-migration", "", kNA, &C::cluster_allow_replica_migration, true);
  s("cluster-announce-ip", "", kNA, &C::cluster_announce_ip, "", true);
  s("cluster-announce-hostname", "", kNA, &C::cluster_announce_hostname, "", true, valid_hostname);
  t.push_back(numeric_option<int>("cluster-announce-port", "", kNA, 0, 65535,
                                  &C::cluster_announce_port, 0));
  t.push_back(numeric_option<int>("cluster-announce-bus-port", "", kNA, 0, 65535,
                                  &C::cluster_announce_bus_port, 0));
  t.push_back(numeric_option<int>("cluster-announce-tls-port", "", kNA, 0, 65535,
                                  &C::cluster_announce_tls_port, 0));
  t.push_back(enum_option("cluster-preferred-endpoint-type", "", kNA,
                          &C::cluster_preferred_endpoint_type, names(kEndpointType), 0));
  t.push_back(numeric_option<unsigned long long>("cluster-link-sendbuf-limit", "", kNA, 0,
                                                 ULLONG_MAX, &C::cluster_link_sendbuf_limit, 0ull,
                                                 kNumMemory));
  // TLS: the names exist so that clients and tests reading them work; zakros serves no TLS.
  t.push_back(numeric_option<int>("tls-port", "", kNA, 0, 65535, &C::tls_port, 0, kNumInteger,
                                  valid_tls_port));
  t.push_back(numeric_option<int>("tls-session-cache-size", "", kNA, 0, kIntMax,
                                  &C::tls_session_cache_size, 20 * 1024));
  t.push_back(numeric_option<int>("tls-session-cache-timeout", "", kNA, 0, kIntMax,
                                  &C::tls_session_cache_timeout, 300));
  b("tls-cluster", "", kNA, &C::tls_cluster, false);
  b("tls-replication", "", kNA, &C::tls_replication, false);
  t.push_back(
      enum_option("tls-auth-clients", "", kNA, &C::tls_auth_clients, names(kTlsAuthClients), 1));
  b("tls-prefer-server-ciphers", "", kNA, &C::tls_prefer_server_ciphers, false);
  b("tls-session-caching", "", kNA, &C::tls_session_caching, true);
  s("tls-cert-file", "", kNA, &C::tls_cert_file, "", true);
  s("tls-key-file", "", kNA, &C::tls_key_file, "", true);
  s("tls-key-file-pass", "", kNA, &C::tls_key_file_pass, "", true);
  s("tls-client-cert-file", "", kNA, &C::tls_client_cert_file, "", true);
  s("tls-client-key-file", "", kNA, &C::tls_client_key_file, "", true);
  s("tls-client-key-file-pass", "", kNA, &C::tls_client_key_file_pass, "", true);
  s("tls-dh-params-file", "", kNA, &C::tls_dh_params_file, "", true);
  s("tls-ca-cert-file", "", kNA, &C::tls_ca_cert_file, "", true);
  s("tls-ca-cert-dir", "", kNA, &C::tls_ca_cert_dir, "", true);
  s("tls-protocols", "", kNA, &C::tls_protocols, "", true);
  s("tls-ciphers", "", kNA, &C::tls_ciphers, "", true);
  s("tls-ciphersuites", "", kNA, &C::tls_ciphersuites, "", true);
  return t;
}

struct Table {
  std::vector<OptionSpec> options;
  std::unordered_map<std::string, std::pair<size_t, bool>> by_name;  // lowercase -> (index, alias)

  Table() : options(build_table()) {
    for (size_t i = 0; i < options.size(); ++i) {
      by_name.emplace(std::string(options[i].name), std::make_pair(i, false));
      if (!options[i].alias.empty()) {
        by_name.emplace(std::string(options[i].alias), std::make_pair(i, true));
      }
    }
  }
};

const Table& table() {
  static const Table t;
  return t;
}

}  // namespace

std::span<const OptionSpec> option_table() {
  return table().options;
}

const OptionSpec* find_option(std::string_view name, bool* is_alias) {
  const Table& t = table();
  auto it = t.by_name.find(to_lower(name));
  if (it == t.by_name.end()) return nullptr;
  if (is_alias != nullptr) *is_alias = it->second.second;
  return &t.options[it->second.first];
}

std::optional<std::string> validate_config(const Config& config) {
  if (auto err = peer_auth_check(config)) return err;
  size_t nodes = config.cluster_addrs.empty() ? 1 : config.cluster_addrs.size();
  if (config.node_id < 0 || static_cast<size_t>(config.node_id) >= nodes) {
    return "node-id " + std::to_string(config.node_id) + " is out of range: cluster-addrs has " +
           std::to_string(nodes) + (nodes == 1 ? " node" : " nodes") + " (node ids are 0.." +
           std::to_string(nodes - 1) + ")";
  }
  if (config.raft_join && config.cluster_addrs.empty()) {
    return "raft-join yes needs cluster-addrs (the members to join, and this node's own address "
           "at index node-id)";
  }
  if (config.raft_join && config.raft_cluster_id.empty()) {
    return "raft-join yes needs raft-cluster-id (the cluster's id: INFO raft on a member shows it "
           "as raft_cluster_id)";
  }
  if (config.raft_heartbeat_interval >= config.raft_election_timeout) {
    return "raft-heartbeat-interval (" + std::to_string(config.raft_heartbeat_interval) +
           " ms) must be shorter than raft-election-timeout (" +
           std::to_string(config.raft_election_timeout) + " ms)";
  }
  return std::nullopt;
}

}  // namespace zakros::server
