// The options whose syntax is their own. Error texts are Redis 7.0's.
#include "server/config/config_special.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "util/numbers.h"

namespace zakros::server {

namespace {

using Args = std::span<const std::string>;
using Error = std::optional<std::string>;

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ' ';
    out += parts[i];
  }
  return out;
}

// strtoll over the whole text, as Redis's option parsers use it ("" is 0, as in Redis).
bool whole_strtoll(const std::string& text, long long* value) {
  char* end = nullptr;
  *value = std::strtoll(text.c_str(), &end, 10);
  return *end == '\0';
}

OptionSpec special(std::string_view name, std::string_view alias, uint32_t flags) {
  return OptionSpec{name, alias, OptionType::kSpecial, flags, {}, {}, {}, {}};
}

// ---- bind ----

constexpr size_t kMaxBindAddresses = 16;

OptionSpec bind_option() {
  OptionSpec spec = special("bind", "", kMultiArg);
  spec.set = [](Config& c, Args args, bool) -> Error {
    if (args.size() > kMaxBindAddresses) return "Too many bind addresses specified.";
    if (args.size() == 1 && args[0].empty()) args = {};  // bind "" = no TCP listener
    c.bind.assign(args.begin(), args.end());
    return std::nullopt;
  };
  spec.get = [](const Config& c) { return join(c.bind); };
  spec.rewrite = [](const Config& c, std::string_view n) {
    if (c.bind == Config{}.bind) return std::vector<RewriteLine>{};
    std::string line(n);
    line += c.bind.empty() ? " \"\"" : " " + join(c.bind);
    return std::vector<RewriteLine>{{line, true}};
  };
  return spec;
}

// ---- dir ----

OptionSpec dir_option() {
  OptionSpec spec = special("dir", "", kProtected | kDenyLoading);
  spec.set = [](Config& c, Args args, bool) -> Error {
    if (args.size() != 1) return "wrong number of arguments";
    // Stored absolute so that a later chdir (or a client in another directory reading CONFIG
    // GET dir) sees the same place. The server creates it if missing.
    c.dir = absolute_dir(args[0]);
    return std::nullopt;
  };
  spec.runtime_check = [](const Config& c) -> Error {
    std::error_code ec;
    if (!std::filesystem::exists(c.dir, ec)) return std::string(std::strerror(ENOENT));
    if (!std::filesystem::is_directory(c.dir, ec)) return std::string(std::strerror(ENOTDIR));
    return std::nullopt;
  };
  spec.get = [](const Config& c) { return absolute_dir(c.dir); };
  spec.rewrite = [](const Config& c, std::string_view n) {
    return std::vector<RewriteLine>{{std::string(n) + " " + quote_arg(absolute_dir(c.dir)), true}};
  };
  return spec;
}

// ---- client-output-buffer-limit ----

int client_class_by_name(std::string_view name) {
  if (iequals(name, "normal")) return kClientNormal;
  if (iequals(name, "slave") || iequals(name, "replica")) return kClientReplica;
  if (iequals(name, "pubsub")) return kClientPubsub;
  return -1;  // includes "master": a valid client type in Redis, but not here
}

OptionSpec output_buffer_limit_option() {
  OptionSpec spec = special("client-output-buffer-limit", "", kMultiArg);
  spec.set = [](Config& c, Args args, bool) -> Error {
    if (args.size() % 4 != 0) return "Wrong number of arguments in buffer limit configuration.";
    // Validate every class before changing any, so a bad line changes nothing.
    auto limits = c.client_output_buffer_limit;
    for (size_t i = 0; i < args.size(); i += 4) {
      int cls = client_class_by_name(args[i]);
      if (cls < 0) return "Invalid client class specified in buffer limit configuration.";
      unsigned long long hard, soft;
      long long seconds;
      if (!parse_memory(args[i + 1], &hard) || !parse_memory(args[i + 2], &soft) ||
          !whole_strtoll(args[i + 3], &seconds) || seconds < 0) {
        return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
      }
      limits[cls] = OutputBufferLimit{hard, soft, seconds};
    }
    c.client_output_buffer_limit = limits;
    return std::nullopt;
  };
  static constexpr const char* kNames[] = {"normal", "slave", "pubsub"};
  spec.get = [](const Config& c) {
    std::string out;
    for (int i = 0; i < 3; ++i) {
      const OutputBufferLimit& l = c.client_output_buffer_limit[i];
      if (i > 0) out += ' ';
      out += std::string(kNames[i]) + " " + std::to_string(l.hard_bytes) + " " +
             std::to_string(l.soft_bytes) + " " + std::to_string(l.soft_seconds);
    }
    return out;
  };
  spec.rewrite = [](const Config& c, std::string_view n) {
    std::vector<RewriteLine> lines;
    static constexpr const char* kRewriteNames[] = {"normal", "replica", "pubsub"};
    for (int i = 0; i < 3; ++i) {
      const OutputBufferLimit& l = c.client_output_buffer_limit[i];
      std::string line = std::string(n) + " " + kRewriteNames[i] + " " +
                         format_memory(static_cast<long long>(l.hard_bytes)) + " " +
                         format_memory(static_cast<long long>(l.soft_bytes)) + " " +
                         std::to_string(l.soft_seconds);
      lines.push_back({line, l != Config{}.client_output_buffer_limit[i]});
    }
    return lines;
  };
  return spec;
}

// ---- notify-keyspace-events ----

OptionSpec notify_option() {
  OptionSpec spec = special("notify-keyspace-events", "", 0);
  spec.set = [](Config& c, Args args, bool) -> Error {
    if (args.size() != 1) return "wrong number of arguments";
    int flags = keyspace_events_from_string(args[0]);
    if (flags < 0) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
    c.notify_keyspace_events = flags;
    return std::nullopt;
  };
  spec.get = [](const Config& c) { return keyspace_events_to_string(c.notify_keyspace_events); };
  spec.rewrite = [](const Config& c, std::string_view n) {
    return std::vector<RewriteLine>{
        {std::string(n) + " " + quote_arg(keyspace_events_to_string(c.notify_keyspace_events)),
         c.notify_keyspace_events != 0}};
  };
  return spec;
}

// ---- latency-tracking-info-percentiles ----

// "%f" with trailing zeros (and a trailing '.') removed, as Redis's trimDoubleString.
std::string format_percentile(double v) {
  char buf[128];
  std::snprintf(buf, sizeof(buf), "%f", v);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

std::string percentiles_text(const std::vector<double>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ' ';
    out += format_percentile(values[i]);
  }
  return out;
}

OptionSpec percentiles_option() {
  OptionSpec spec = special("latency-tracking-info-percentiles", "", kMultiArg);
  spec.set = [](Config& c, Args args, bool) -> Error {
    if (args.size() == 1 && args[0].empty()) args = {};
    std::vector<double> values;
    for (const std::string& a : args) {
      double v;
      if (!util::parse_double(a, &v)) return "Invalid latency-tracking-info-percentiles parameters";
      if (v > 100.0 || v < 0.0) {
        return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
      }
      values.push_back(v);
    }
    c.latency_tracking_info_percentiles = std::move(values);
    return std::nullopt;
  };
  spec.get = [](const Config& c) { return percentiles_text(c.latency_tracking_info_percentiles); };
  spec.rewrite = [](const Config& c, std::string_view n) {
    const auto& v = c.latency_tracking_info_percentiles;
    std::string line = std::string(n) + " " + (v.empty() ? "\"\"" : percentiles_text(v));
    return std::vector<RewriteLine>{{line, true}};
  };
  return spec;
}

// ---- cluster-addrs (zakros) ----

}  // namespace

bool parse_node_address(std::string_view text, NodeAddress* out) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // [::1]:7000
  } else if (host.find(':') != std::string_view::npos) {
    return false;  // an IPv6 address needs brackets
  }
  int64_t port;
  if (host.empty() || !util::parse_int64(text.substr(colon + 1), &port) || port < 1 ||
      port > 65535) {
    return false;
  }
  out->host = std::string(host);
  out->port = static_cast<int>(port);
  return true;
}

std::string format_node_address(const NodeAddress& a) {
  if (a.host.find(':') != std::string::npos) return "[" + a.host + "]:" + std::to_string(a.port);
  return a.host + ":" + std::to_string(a.port);
}

namespace {

std::string cluster_addrs_text(const std::vector<NodeAddress>& addrs) {
  std::string out;
  for (size_t i = 0; i < addrs.size(); ++i) {
    if (i > 0) out += ' ';
    out += format_node_address(addrs[i]);
  }
  return out;
}

OptionSpec cluster_addrs_option() {
  OptionSpec spec = special("cluster-addrs", "", kImmutable | kSameValueOk | kMultiArg);
  spec.set = [](Config& c, Args args, bool) -> Error {
    if (args.size() == 1 && args[0].empty()) args = {};
    std::vector<NodeAddress> addrs;
    for (const std::string& a : args) {
      NodeAddress addr;
      if (!parse_node_address(a, &addr)) {
        return "invalid cluster-addrs entry '" + a + "': expected host:port (port 1-65535)";
      }
      for (const NodeAddress& other : addrs) {
        if (other == addr) return "duplicate cluster-addrs entry '" + a + "'";
      }
      addrs.push_back(std::move(addr));
    }
    c.cluster_addrs = std::move(addrs);
    return std::nullopt;
  };
  spec.get = [](const Config& c) { return cluster_addrs_text(c.cluster_addrs); };
  spec.rewrite = [](const Config& c, std::string_view n) {
    if (c.cluster_addrs.empty()) return std::vector<RewriteLine>{};
    return std::vector<RewriteLine>{
        {std::string(n) + " " + quote_arg(cluster_addrs_text(c.cluster_addrs)), true}};
  };
  return spec;
}

// ---- save (stored only) ----

OptionSpec save_option() {
  OptionSpec spec = special("save", "", kMultiArg | kNotActedUpon);
  spec.set = [](Config& c, Args args, bool repeat) -> Error {
    bool reset = !repeat;
    if (args.size() == 1 && args[0].empty()) {  // save "" = no snapshots
      args = {};
      reset = true;
    }
    if (args.size() % 2 != 0) return "Invalid save parameters";
    std::vector<std::pair<long long, long long>> points;
    for (size_t j = 0; j < args.size(); j += 2) {
      long long seconds, changes;
      if (!whole_strtoll(args[j], &seconds) || seconds < 1 ||
          !whole_strtoll(args[j + 1], &changes) || changes < 0) {
        return "Invalid save parameters";
      }
      points.emplace_back(seconds, changes);
    }
    // The first save line of a config file replaces the defaults, later ones add to it.
    if (reset) c.save.clear();
    c.save.insert(c.save.end(), points.begin(), points.end());
    return std::nullopt;
  };
  spec.get = [](const Config& c) {
    std::string out;
    for (size_t i = 0; i < c.save.size(); ++i) {
      if (i > 0) out += ' ';
      out += std::to_string(c.save[i].first) + " " + std::to_string(c.save[i].second);
    }
    return out;
  };
  spec.rewrite = [](const Config& c, std::string_view n) {
    std::vector<RewriteLine> lines;
    if (c.save.empty()) lines.push_back({std::string(n) + " \"\"", true});
    for (const auto& [seconds, changes] : c.save) {
      lines.push_back(
          {std::string(n) + " " + std::to_string(seconds) + " " + std::to_string(changes), true});
    }
    return lines;
  };
  return spec;
}

// ---- replicaof (stored; validate_config refuses it: zakros replicates with Raft) ----

OptionSpec replicaof_option() {
  OptionSpec spec = special("replicaof", "slaveof", kImmutable | kMultiArg | kNotActedUpon);
  spec.set = [](Config& c, Args args, bool) -> Error {
    if (args.size() != 2) return "wrong number of arguments";
    if (iequals(args[0], "no") && iequals(args[1], "one")) {
      c.replicaof_host.clear();
      c.replicaof_port = 0;
      return std::nullopt;
    }
    long long port;
    if (!whole_strtoll(args[1], &port) || port < 0 || port > 65535) return "Invalid master port";
    c.replicaof_host = args[0];
    c.replicaof_port = static_cast<int>(port);
    return std::nullopt;
  };
  spec.get = [](const Config& c) {
    if (c.replicaof_host.empty()) return std::string();
    return c.replicaof_host + " " + std::to_string(c.replicaof_port);
  };
  spec.rewrite = [](const Config& c, std::string_view n) {
    if (c.replicaof_host.empty()) return std::vector<RewriteLine>{};
    return std::vector<RewriteLine>{
        {std::string(n) + " " + c.replicaof_host + " " + std::to_string(c.replicaof_port), true}};
  };
  return spec;
}

// ---- oom-score-adj-values (stored only) ----

OptionSpec oom_values_option() {
  OptionSpec spec = special("oom-score-adj-values", "", kMultiArg | kNotActedUpon);
  spec.set = [](Config& c, Args args, bool) -> Error {
    if (args.size() != 3) return "wrong number of arguments";
    std::array<int, 3> values;
    for (size_t i = 0; i < 3; ++i) {
      long long v;
      if (!whole_strtoll(args[i], &v) || v < -2000 || v > 2000) {
        return "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
      }
      values[i] = static_cast<int>(v);
    }
    c.oom_score_adj_values = values;
    return std::nullopt;
  };
  spec.get = [](const Config& c) {
    const auto& v = c.oom_score_adj_values;
    return std::to_string(v[0]) + " " + std::to_string(v[1]) + " " + std::to_string(v[2]);
  };
  spec.rewrite = [get = spec.get](const Config& c, std::string_view n) {
    return std::vector<RewriteLine>{
        {std::string(n) + " " + get(c), c.oom_score_adj_values != Config{}.oom_score_adj_values}};
  };
  return spec;
}

}  // namespace

std::string absolute_dir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(dir, ec);
  if (ec) return dir;
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

void add_special_options(std::vector<OptionSpec>& table, bool acted_upon) {
  if (acted_upon) {
    table.push_back(bind_option());
    table.push_back(dir_option());
    table.push_back(output_buffer_limit_option());
    table.push_back(notify_option());
    table.push_back(percentiles_option());
    table.push_back(cluster_addrs_option());
  } else {
    table.push_back(save_option());
    table.push_back(replicaof_option());
    table.push_back(oom_values_option());
  }
}

int keyspace_events_from_string(std::string_view classes) {
  int flags = 0;
  for (char c : classes) {
    switch (c) {
      case 'A':
        flags |= kNotifyAll;
        break;
      case 'g':
        flags |= kNotifyGeneric;
        break;
      case '$':
        flags |= kNotifyString;
        break;
      case 'l':
        flags |= kNotifyList;
        break;
      case 's':
        flags |= kNotifySet;
        break;
      case 'h':
        flags |= kNotifyHash;
        break;
      case 'z':
        flags |= kNotifyZset;
        break;
      case 'x':
        flags |= kNotifyExpired;
        break;
      case 'e':
        flags |= kNotifyEvicted;
        break;
      case 'K':
        flags |= kNotifyKeyspace;
        break;
      case 'E':
        flags |= kNotifyKeyevent;
        break;
      case 't':
        flags |= kNotifyStream;
        break;
      case 'm':
        flags |= kNotifyKeyMiss;
        break;
      case 'd':
        flags |= kNotifyModule;
        break;
      case 'n':
        flags |= kNotifyNew;
        break;
      default:
        return -1;
    }
  }
  return flags;
}

std::string keyspace_events_to_string(int flags) {
  std::string out;
  if ((flags & kNotifyAll) == kNotifyAll) {
    out += 'A';
  } else {
    static constexpr std::pair<int, char> kOrder[] = {
        {kNotifyGeneric, 'g'}, {kNotifyString, '$'}, {kNotifyList, 'l'},    {kNotifySet, 's'},
        {kNotifyHash, 'h'},    {kNotifyZset, 'z'},   {kNotifyExpired, 'x'}, {kNotifyEvicted, 'e'},
        {kNotifyStream, 't'},  {kNotifyModule, 'd'}, {kNotifyNew, 'n'}};
    for (const auto& [bit, letter] : kOrder) {
      if (flags & bit) out += letter;
    }
  }
  if (flags & kNotifyKeyspace) out += 'K';
  if (flags & kNotifyKeyevent) out += 'E';
  if (flags & kNotifyKeyMiss) out += 'm';
  return out;
}

}  // namespace zakros::server
