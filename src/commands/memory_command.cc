// MEMORY USAGE (Redis's object.c memoryCommand, the USAGE subcommand only): the bytes a key and
// its value occupy, from store::Entry::memory_usage. Redis's own test units for hashes, lists and
// sets call it (support/util.tcl memory_usage) outside any test, so without it those units
// abort.
#include <climits>

#include "commands/command_table.h"
#include "commands/command_util.h"
#include "commands/errors.h"

namespace zakros::commands {

namespace {

void memory_usage(CommandContext& ctx) {
  int64_t samples = 5;  // Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES
  for (size_t j = 3; j < ctx.argc(); ++j) {
    if (iequals(ctx.arg(j), "samples") && j + 1 < ctx.argc()) {
      if (!parse_int_arg(ctx, ctx.arg(j + 1), &samples)) return;
      if (samples < 0) {
        ctx.out.error(kSyntaxError);
        return;
      }
      ++j;
    } else {
      ctx.out.error(kSyntaxError);
      return;
    }
  }
  // Redis looks the key up without the expiry check (dictFind).
  store::Entry* e = ctx.db().find_raw(ctx.arg(2));
  if (e == nullptr) {
    ctx.out.null();
    return;
  }
  // samples 0 means every element, as in Redis.
  ctx.out.integer(static_cast<long long>(e->memory_usage(static_cast<size_t>(samples))));
}

}  // namespace

void register_memory_commands(CommandTable& table) {
  CommandSpec memory = make_spec("memory", -2, 0, kAclSlow, 0, 0, 0, CommandGroup::kServer, nullptr,
                                 "A container for memory diagnostics commands", "4.0.0");
  memory.subcommands.push_back(make_spec("usage", -3, kReadonly, kAclRead | kAclSlow, 2, 2, 1,
                                         CommandGroup::kServer, memory_usage,
                                         "Estimate the memory usage of a key", "4.0.0"));
  table.add(std::move(memory));
}

}  // namespace zakros::commands
