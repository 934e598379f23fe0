// The stream commands (XADD ... XINFO). Not implemented yet: the group registers nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_stream_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
