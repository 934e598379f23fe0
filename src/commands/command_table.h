// The command table: one CommandSpec per command, looked up case-insensitively.
//
// Each command group registers itself with an explicit call (register_string_commands(table),
// ...), never a static registrar the linker could drop. build_command_table() calls every
// group's registration in commands/; the server adds its own groups (connection, server,
// pub/sub, transactions) on top before starting.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands/command.h"

namespace zakros::commands {

class CommandTable {
 public:
  // Adds a command. Names are stored lowercase; a duplicate name is a programming error.
  void add(CommandSpec spec);
  // rename-command: the command answers to `new_name` instead of `old_name` (its spec, and so
  // COMMAND INFO and error texts, keep the original name, as in Redis). An empty `new_name`
  // removes the command. Returns false if `old_name` is unknown or `new_name` is taken.
  bool rename(std::string_view old_name, std::string_view new_name);
  // Case-insensitive lookup of a top-level command; null if unknown.
  const CommandSpec* find(std::string_view name) const;
  // Case-insensitive lookup of `parent`'s subcommand; null if unknown.
  static const CommandSpec* find_subcommand(const CommandSpec& parent, std::string_view name);
  // Every top-level command, in a stable order (sorted by name).
  std::vector<const CommandSpec*> all() const;
  size_t size() const { return by_name_.size(); }

  // The key argument indexes of one call of `spec` (already subcommand-resolved), honouring
  // first/last/step or get_keys. Arguments past argv's end are ignored.
  static std::vector<int> key_indexes(const CommandSpec& spec,
                                      std::span<const std::string_view> argv);

 private:
  std::unordered_map<std::string, std::unique_ptr<CommandSpec>> by_name_;
  std::vector<std::unique_ptr<CommandSpec>> retired_;  // removed by rename-command
};

// The full name used in COMMAND INFO and errors: "get" or "config|get".
std::string full_name(const CommandSpec* parent, const CommandSpec& spec);

// Registration of the groups implemented in commands/. Each lives in its own file.
void register_keyspace_commands(CommandTable& table);  // commands/keyspace.cc
void register_string_commands(CommandTable& table);    // commands/strings.cc
void register_list_commands(CommandTable& table);      // commands/lists.cc (LPUSH ... BLMPOP)
void register_hash_commands(CommandTable& table);      // commands/hashes.cc (HSET ... HSCAN)
void register_set_commands(CommandTable& table);       // commands/sets.cc (SADD ... SSCAN)
void register_sorted_set_commands(
    CommandTable& table);                            // commands/sorted_sets.cc (ZADD ... BZMPOP)
void register_geo_commands(CommandTable& table);     // commands/geo.cc (GEOADD ... GEOSEARCHSTORE)
void register_bitmap_commands(CommandTable& table);  // commands/bitmaps.cc (SETBIT ... BITFIELD_RO)
void register_hyperloglog_commands(
    CommandTable& table);  // commands/hyperloglog.cc (PFADD ... PFSELFTEST)
void register_stream_commands(CommandTable& table);  // commands/streams.cc (XADD ... XINFO)
void register_sort_commands(CommandTable& table);    // commands/sort.cc (SORT, SORT_RO)
void register_dump_commands(CommandTable& table);    // commands/dump.cc (DUMP, RESTORE)

// Calls every register_*_commands of commands/.
void register_data_commands(CommandTable& table);

}  // namespace zakros::commands
