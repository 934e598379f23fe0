// The bitmap commands (SETBIT ... BITFIELD_RO). Not implemented yet: the group registers nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_bitmap_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
