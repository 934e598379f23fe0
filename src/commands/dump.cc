// The dump commands (DUMP, RESTORE). Not implemented yet: the group registers nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_dump_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
