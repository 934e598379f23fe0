// Options with their own syntax (Redis's "special" configs plus zakros's cluster-addrs):
// bind, dir, save, client-output-buffer-limit, notify-keyspace-events, replicaof,
// oom-score-adj-values, latency-tracking-info-percentiles, cluster-addrs. Used only by the
// option table (config_options.cc).
#pragma once

#include <vector>

#include "server/config/config_options.h"

namespace zakros::server {

// Appends the special options zakros acts on (`acted_upon`) or those it only stores.
void add_special_options(std::vector<OptionSpec>& table, bool acted_upon);

// The absolute, normalised form of a directory path ("./data" -> "/cwd/data"), as CONFIG GET
// dir shows it.
std::string absolute_dir(const std::string& dir);

// host:port (IPv6 as [addr]:port, port 1-65535), as cluster-addrs and RAFT.NODE ADD take it.
bool parse_node_address(std::string_view text, NodeAddress* out);
std::string format_node_address(const NodeAddress& address);

}  // namespace zakros::server
