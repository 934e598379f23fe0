#include "commands/object_scan.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <string>

#include "commands/command_util.h"
#include "commands/errors.h"
#include "util/glob.h"
#include "util/numbers.h"

namespace zakros::commands {

bool ObjectScanOptions::matches(std::string_view element) const {
  return !use_pattern || util::glob_match(pattern, element, false);
}

bool parse_scan_cursor(CommandContext& ctx, std::string_view text, uint64_t* cursor) {
  std::string s(text);
  if (!s.empty() && std::isspace(static_cast<unsigned char>(s[0]))) {
    ctx.out.error(kInvalidCursor);
    return false;
  }
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (*end != '\0' || errno == ERANGE || static_cast<size_t>(end - s.c_str()) != s.size()) {
    ctx.out.error(kInvalidCursor);
    return false;
  }
  *cursor = v;
  return true;
}

bool parse_object_scan_options(CommandContext& ctx, size_t first, ObjectScanOptions* options) {
  for (size_t i = first; i < ctx.argc();) {
    size_t left = ctx.argc() - i;
    std::string_view opt = ctx.arg(i);
    if (iequals(opt, "count") && left >= 2) {
      if (!parse_int_arg(ctx, ctx.arg(i + 1), &options->count)) return false;
      if (options->count < 1) {
        ctx.out.error(kSyntaxError);
        return false;
      }
      i += 2;
    } else if (iequals(opt, "match") && left >= 2) {
      options->pattern = ctx.arg(i + 1);
      options->use_pattern = options->pattern != "*";
      i += 2;
    } else {
      ctx.out.error(kSyntaxError);
      return false;
    }
  }
  return true;
}

void reply_empty_scan(CommandContext& ctx) {
  ctx.out.array(2);
  ctx.out.bulk("0");
  ctx.out.array(0);
}

void reply_scan_cursor(CommandContext& ctx, uint64_t cursor) {
  char buf[20];
  ctx.out.bulk(std::string_view(buf, util::format_uint64(cursor, buf)));
}

}  // namespace zakros::commands
