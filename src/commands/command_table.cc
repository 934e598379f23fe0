#include "commands/command_table.h"

#include <algorithm>
#include <cassert>
#include <cctype>

#include "store/keyspace.h"
#include "util/strings.h"

namespace zakros::commands {

store::Database& CommandContext::db() const {
  return keyspace.db(db_index);
}

void CommandTable::add(CommandSpec spec) {
  std::string key = util::to_lower(spec.name);
  assert(by_name_.find(key) == by_name_.end() && "command registered twice");
  by_name_[key] = std::make_unique<CommandSpec>(std::move(spec));
}

bool CommandTable::rename(std::string_view old_name, std::string_view new_name) {
  auto it = by_name_.find(util::to_lower(old_name));
  if (it == by_name_.end()) return false;
  std::string target = util::to_lower(new_name);
  if (!target.empty() && by_name_.count(target) != 0) return false;
  std::unique_ptr<CommandSpec> spec = std::move(it->second);
  by_name_.erase(it);
  if (!target.empty())
    by_name_[target] = std::move(spec);
  else
    retired_.push_back(std::move(spec));  // stats may still point at it
  return true;
}

const CommandSpec* CommandTable::find(std::string_view name) const {
  // Command names are short; a stack copy avoids an allocation on the hot path.
  char buf[64];
  if (name.size() >= sizeof(buf)) return nullptr;
  for (size_t i = 0; i < name.size(); ++i) {
    // ASCII folding inline (std::tolower is a locale-aware libc call per character).
    const char c = name[i];
    buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  auto it = by_name_.find(std::string(buf, name.size()));
  return it == by_name_.end() ? nullptr : it->second.get();
}

const CommandSpec* CommandTable::find_subcommand(const CommandSpec& parent, std::string_view name) {
  for (const CommandSpec& sub : parent.subcommands) {
    if (util::iequals(sub.name, name)) return &sub;
  }
  return nullptr;
}

std::vector<const CommandSpec*> CommandTable::all() const {
  std::vector<const CommandSpec*> out;
  out.reserve(by_name_.size());
  for (const auto& [name, spec] : by_name_) out.push_back(spec.get());
  std::sort(out.begin(), out.end(),
            [](const CommandSpec* a, const CommandSpec* b) { return a->name < b->name; });
  return out;
}

std::vector<int> CommandTable::key_indexes(const CommandSpec& spec,
                                           std::span<const std::string_view> argv) {
  if (spec.get_keys != nullptr) return spec.get_keys(argv);
  std::vector<int> keys;
  for_each_key_index(spec, argv, [&keys](int i) { keys.push_back(i); });
  return keys;
}

std::string full_name(const CommandSpec* parent, const CommandSpec& spec) {
  if (parent == nullptr) return std::string(spec.name);
  return std::string(parent->name) + "|" + std::string(spec.name);
}

void register_data_commands(CommandTable& table) {
  register_keyspace_commands(table);
  register_string_commands(table);
  register_list_commands(table);
  register_hash_commands(table);
  register_set_commands(table);
  register_sorted_set_commands(table);
  register_geo_commands(table);
  register_bitmap_commands(table);
  register_hyperloglog_commands(table);
  register_stream_commands(table);
  register_sort_commands(table);
  register_dump_commands(table);
  register_memory_commands(table);
}

}  // namespace zakros::commands
