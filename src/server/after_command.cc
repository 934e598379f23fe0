// Work after every executed command: slowlog, latency monitor and the MONITOR feed.
#include "server/server.h"

namespace zakros::server {

void Server::after_command(Client*, const commands::CommandSpec&, const commands::CommandSpec*,
                           std::span<const std::string_view>, int64_t) {}

}  // namespace zakros::server
