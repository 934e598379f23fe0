// zakros: parse the command line and configuration, set up logging, run the server.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "raft/storage/check_log.h"
#include "server/config/config.h"
#include "server/server.h"
#include "server/version.h"
#include "util/log.h"

namespace {

void print_usage() {
  std::printf(
      "Usage: zakros [/path/to/zakros.conf] [options] [-]\n"
      "       zakros - (read config from stdin)\n"
      "       zakros -v or --version\n"
      "       zakros -h or --help\n"
      "       zakros --check-log DIR (verify a node's Raft log, hard state and snapshots)\n\n"
      "Examples:\n"
      "       zakros (a persistent single node on port 6379, data under ./data)\n"
      "       zakros --raft-enabled no --port 7777 (a volatile single node)\n"
      "       zakros zakros.conf --loglevel verbose\n"
      "       zakros --node-id 0 --cluster-addrs '127.0.0.1:7000 127.0.0.1:7001 "
      "127.0.0.1:7002'\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string_view(argv[1]) == "--check-log") {
    // Verifies and summarises a node's Raft files (exit 0 clean, 1 repairable, 2 refused).
    return zakros::raft::check_log_dir(argv[2], std::cout);
  }
  if (argc == 2) {
    std::string_view arg = argv[1];
    if (arg == "-v" || arg == "--version") {
      std::printf("zakros server v=%s (Redis %s compatible)\n", zakros::server::kZakrosVersion,
                  zakros::server::kRedisCompatVersion);
      return 0;
    }
    if (arg == "-h" || arg == "--help") {
      print_usage();
      return 0;
    }
  }
  zakros::server::Config config;
  std::string config_file;
  if (auto error = zakros::server::load_config(argc, argv, &config, &config_file)) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 1;
  }
  std::string log_error;
  if (!zakros::util::init_logging(config.loglevel, config.logfile, &log_error)) {
    std::fprintf(stderr, "%s\n", log_error.c_str());
    return 1;
  }
  if (!config.raft_enabled) {
    spdlog::info("Raft disabled: volatile single node, nothing is persisted");
  } else if (config.cluster_addrs.empty()) {
    spdlog::info("Persistent single node: a one-member Raft cluster, log under {}/node-{}",
                 config.dir, config.node_id);
  } else {
    spdlog::info("Cluster node {} of {}", config.node_id, config.cluster_addrs.size());
  }
  zakros::server::Server server(std::move(config), std::move(config_file));
  return server.run();
}
