// The set commands (SADD ... SSCAN). Not implemented yet: the group registers nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_set_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
