// FUNCTION, as far as a server without scripting goes: the function library is always empty
// (Lua arrives with the scripting work), so FLUSH empties nothing and LIST shows nothing.
// LOAD, DELETE, DUMP, RESTORE and the rest are not registered, so they answer
// "unknown subcommand" instead of pretending. Redis's test suite runs FUNCTION FLUSH before
// every test in external mode, which is why this exists already.
#include "server/admin/server_commands.h"
#include "util/strings.h"

namespace zakros::server {

namespace {

using namespace commands;

using util::iequals;

void function_flush(CommandContext& ctx) {
  if (ctx.argc() == 3 && !iequals(ctx.arg(2), "ASYNC") && !iequals(ctx.arg(2), "SYNC")) {
    ctx.out.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    return;
  }
  if (ctx.argc() > 3) {
    ctx.out.error(
        "ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.");
    return;
  }
  ctx.out.ok();
}

void function_list(CommandContext& ctx) {
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (iequals(ctx.arg(i), "WITHCODE")) continue;
    if (iequals(ctx.arg(i), "LIBRARYNAME") && i + 1 < ctx.argc()) {
      ++i;
      continue;
    }
    ctx.out.error("ERR Unknown argument " + std::string(ctx.arg(i)));
    return;
  }
  ctx.out.array(0);
}

void function_help(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries (zakros has no scripting yet: the library is always empty).",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries (none yet).",
      "HELP",
      "    Prints this help.",
  };
  ctx.out.array(std::size(kLines));
  for (std::string_view line : kLines) ctx.out.simple(line);
}

}  // namespace

void register_function_command(CommandTable& table) {
  CommandSpec function{.name = "function",
                       .arity = -2,
                       .acl = kAclSlow,
                       .group = CommandGroup::kScripting,
                       .summary = "A container for function commands",
                       .since = "7.0.0"};
  function.subcommands.push_back({.name = "flush",
                                  .arity = -2,
                                  .flags = kNoscript | kWrite,
                                  .acl = kAclWrite | kAclSlow | kAclScripting,
                                  .group = CommandGroup::kScripting,
                                  .handler = function_flush,
                                  .summary = "Deleting all functions",
                                  .since = "7.0.0"});
  function.subcommands.push_back({.name = "list",
                                  .arity = -2,
                                  .flags = kNoscript,
                                  .acl = kAclSlow | kAclScripting,
                                  .group = CommandGroup::kScripting,
                                  .handler = function_list,
                                  .summary = "List information about all the functions",
                                  .since = "7.0.0"});
  function.subcommands.push_back({.name = "help",
                                  .arity = 2,
                                  .flags = kLoading | kStale,
                                  .acl = kAclSlow | kAclScripting,
                                  .group = CommandGroup::kScripting,
                                  .handler = function_help,
                                  .summary = "Show helpful text about the different subcommands",
                                  .since = "7.0.0"});
  table.add(std::move(function));
}

}  // namespace zakros::server
