// The hyperloglog commands (PFADD ... PFSELFTEST). Not implemented yet: the group registers
// nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_hyperloglog_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
