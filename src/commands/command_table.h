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
  // The same indexes, handed to fn(int) one by one: no allocation unless spec has get_keys (the
  // per-read path of the replicated server).
  template <typename Fn>
  static void for_each_key_index(const CommandSpec& spec, std::span<const std::string_view> argv,
                                 Fn&& fn) {
    if (spec.get_keys != nullptr) {
      for (int i : spec.get_keys(argv)) fn(i);
      return;
    }
    if (spec.first_key <= 0) return;
    const int argc = static_cast<int>(argv.size());
    const int last = spec.last_key >= 0 ? spec.last_key : argc + spec.last_key;
    const int step = spec.key_step > 0 ? spec.key_step : 1;
    for (int i = spec.first_key; i <= last && i < argc; i += step) fn(i);
  }

 private:
  std::unordered_map<std::string, std::unique_ptr<CommandSpec>> by_name_;
  std::vector<std::unique_ptr<CommandSpec>> retired_;  // removed by rename-command
};

// The full name used in COMMAND INFO and errors: "get" or "config|get".
std::string full_name(const CommandSpec* parent, const CommandSpec& spec);

// Registration of the groups implemented in commands/. Each lives in its own file:
// keyspace.cc, strings.cc, lists.cc, hashes.cc, sets.cc, sorted_sets.cc, geo.cc, bitmaps.cc,
// hyperloglog.cc, streams.cc, sort.cc (SORT, SORT_RO), dump.cc (DUMP, RESTORE) and
// memory_command.cc (MEMORY USAGE).
void register_keyspace_commands(CommandTable& table);
void register_string_commands(CommandTable& table);
void register_list_commands(CommandTable& table);
void register_hash_commands(CommandTable& table);
void register_set_commands(CommandTable& table);
void register_sorted_set_commands(CommandTable& table);
void register_geo_commands(CommandTable& table);
void register_bitmap_commands(CommandTable& table);
void register_hyperloglog_commands(CommandTable& table);
void register_stream_commands(CommandTable& table);
void register_sort_commands(CommandTable& table);
void register_dump_commands(CommandTable& table);
void register_memory_commands(CommandTable& table);

// Calls every register_*_commands of commands/.
void register_data_commands(CommandTable& table);

}  // namespace zakros::commands
