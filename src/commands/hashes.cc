// The hash commands (HSET ... HSCAN). Not implemented yet: the group registers nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_hash_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
