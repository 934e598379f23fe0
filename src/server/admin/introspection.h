// Helpers shared by the server's introspection commands (INFO, CLIENT, COMMAND, DEBUG, SLOWLOG,
// LATENCY, MONITOR) and the registration functions of their files. Internal to server/:
// register_server_commands() (server_commands.cc) calls the register_* below.
#pragma once

#include "util/strings.h"

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "commands/command_table.h"

namespace zakros::server {

class Server;
class Client;

// INFO (info_command.cc).
void register_info_command(commands::CommandTable& table);
// DEBUG (debug_command.cc).
void register_debug_command(commands::CommandTable& table);

// The full text of INFO for the given section arguments (as INFO's argv[1..]); used by INFO
// and by tests.
std::string info_string(Server& server, std::span<const std::string_view> sections);

// Redis's addReplyHelp: "<CMD> <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
// the lines, then "HELP" / "    Prints this help.", all as status replies. `command` is
// argv[0] as the client typed it (shown uppercase).
void reply_help(commands::CommandContext& ctx, std::initializer_list<std::string_view> lines);

// CLIENT LIST / CLIENT INFO's line for one client (no trailing newline). `current` is the
// client running the command (its argv-mem is `current_argv_bytes`).
std::string client_info_line(Server& server, Client& client, const Client* current,
                             size_t current_argv_bytes);

// Redis's bytesToHuman: "919.05K", "1.03M", "200B".
std::string bytes_to_human(unsigned long long bytes);

using util::append_repr;

// The arguments as SLOWLOG and MONITOR show them, secrets replaced by "(redacted)" the way
// Redis 7.0 redacts them (AUTH, HELLO ... AUTH, MIGRATE ... AUTH/AUTH2, CONFIG SET of
// sensitive options, ACL SETUSER).
std::vector<std::string_view> redacted_argv(const commands::CommandSpec& spec,
                                            const commands::CommandSpec* parent,
                                            std::span<const std::string_view> argv);

using util::iequals;
std::string to_upper_ascii(std::string_view s);

}  // namespace zakros::server
