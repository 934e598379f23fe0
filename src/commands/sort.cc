// The sort commands (SORT, SORT_RO). Not implemented yet: the group registers nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_sort_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
