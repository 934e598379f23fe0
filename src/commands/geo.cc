// The geo commands (GEOADD ... GEOSEARCHSTORE). Not implemented yet: the group registers nothing.
#include "commands/command_table.h"

namespace zakros::commands {

void register_geo_commands(CommandTable& table) {
  (void)table;
}

}  // namespace zakros::commands
