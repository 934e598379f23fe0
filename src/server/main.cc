// zakros: parse the command line and configuration, set up logging, run the server.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "server/config.h"
#include "server/server.h"
#include "util/log.h"

int main(int argc, char** argv) {
  zakros::server::Config config;
  std::string config_file;
  if (auto error = zakros::server::load_config(argc, argv, &config, &config_file)) {
    std::fprintf(stderr, "%s\n", error->c_str());
    return 1;
  }
  std::string log_error;
  if (!zakros::util::init_logging(config.loglevel, config.logfile,
                                  &log_error)) {
    std::fprintf(stderr, "%s\n", log_error.c_str());
    return 1;
  }
  if (!config.raft_enabled) {
    spdlog::info("Raft disabled: volatile single node, nothing is persisted");
  } else {
    // Until the replicated server lands (issue 5), every mode runs as a volatile node.
    spdlog::warn(
        "Persistence is not there yet: running as a volatile single node (data is lost on exit)");
  }
  zakros::server::Server server(std::move(config), std::move(config_file));
  return server.run();
}
