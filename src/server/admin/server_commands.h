// Registration of the command groups implemented in server/ (they need the server or the
// client, not only the keyspace). commands/ registers the data commands.
#pragma once

#include <string>
#include <string_view>

#include "commands/command_table.h"

namespace zakros::server {

class Server;

// PING, ECHO, QUIT, RESET, AUTH, HELLO, SELECT (connection_commands.cc).
void register_connection_commands(commands::CommandTable& table);
// CLIENT and its subcommands (client_command.cc).
void register_client_command(commands::CommandTable& table);
// COMMAND and its subcommands (command_command.cc).
void register_command_command(commands::CommandTable& table);
// INFO, TIME, LASTSAVE, DEBUG, SHUTDOWN, SLOWLOG, LATENCY, MONITOR, ... (server_commands.cc,
// info_command.cc, debug_command.cc, slowlog.cc, latency.cc). Also calls the three above.
void register_server_commands(commands::CommandTable& table);
// FUNCTION FLUSH/LIST/HELP over an always-empty library (function_command.cc).
void register_function_command(commands::CommandTable& table);
// CONFIG (config_command.cc).
void register_config_command(commands::CommandTable& table);
// CLUSTER, READONLY, READWRITE, ASKING (cluster_command.cc).
void register_cluster_commands(commands::CommandTable& table);
// ROLE; REPLICAOF, SLAVEOF, SYNC, PSYNC, REPLCONF, FAILOVER: a clear error
// (replica_commands.cc). Also calls register_wait_command.
void register_replica_commands(commands::CommandTable& table);
// WAIT (wait_command.cc).
void register_wait_command(commands::CommandTable& table);
// Whether this node is a replica in Redis's terms (ROLE, WAIT): a Raft cluster member that does
// not lead.
bool acts_as_replica(Server& server);

// A volatile node's SAVE (server_commands.cc): writes dir/dbfilename through a temporary file
// and a rename. False with *error ("ERR ..."). DEBUG RELOAD uses it too.
bool save_volatile_rdb(Server& server, std::string* error);
// At the start of a volatile node, as Redis: loads dir/dbfilename if there is one (keys already
// expired are skipped). True if there is none; false with *error naming the file if it can't be
// read or is malformed (the server then refuses to start, rather than serve without its data).
bool load_volatile_rdb_at_start(Server& server, std::string* error);
std::string volatile_rdb_path(Server& server);

// RAFT.NODE, RAFT.TRANSFER_LEADER, RAFT.INFO (raft_commands.cc).
void register_raft_commands(commands::CommandTable& table);

// Publishes a keyspace notification if notify-keyspace-events asks for its class
// (notifications.cc): `type` as in commands::KeyspaceEvents::notify.
void notify_keyspace_event(Server& server, char type, std::string_view event, std::string_view key,
                           int db);

}  // namespace zakros::server
