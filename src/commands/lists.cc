// The list commands (LPUSH ... BLMPOP). Not implemented yet: the group registers nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_list_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
