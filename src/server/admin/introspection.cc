#include "server/admin/introspection.h"

#include <cctype>
#include <cstdio>

#include "server/config/config.h"

namespace zakros::server {

std::string to_upper_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void reply_help(commands::CommandContext& ctx, std::initializer_list<std::string_view> lines) {
  ctx.out.array(lines.size() + 3);
  ctx.out.simple(to_upper_ascii(ctx.arg(0)) +
                 " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  for (std::string_view line : lines) ctx.out.simple(line);
  ctx.out.simple("HELP");
  ctx.out.simple("    Prints this help.");
}

std::string bytes_to_human(unsigned long long n) {
  char buf[64];
  double d = static_cast<double>(n);
  if (n < 1024) {
    std::snprintf(buf, sizeof(buf), "%lluB", n);
  } else if (n < 1024ull * 1024) {
    std::snprintf(buf, sizeof(buf), "%.2fK", d / 1024);
  } else if (n < 1024ull * 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.2fM", d / (1024.0 * 1024));
  } else if (n < 1024ull * 1024 * 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.2fG", d / (1024.0 * 1024 * 1024));
  } else if (n < 1024ull * 1024 * 1024 * 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.2fT", d / (1024.0 * 1024 * 1024 * 1024));
  } else if (n < 1024ull * 1024 * 1024 * 1024 * 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.2fP", d / (1024.0 * 1024 * 1024 * 1024 * 1024));
  } else {
    std::snprintf(buf, sizeof(buf), "%lluB", n);
  }
  return buf;
}

std::vector<std::string_view> redacted_argv(const commands::CommandSpec& spec,
                                            const commands::CommandSpec* parent,
                                            std::span<const std::string_view> argv) {
  static constexpr std::string_view kRedacted = "(redacted)";
  std::vector<std::string_view> out(argv.begin(), argv.end());
  std::string_view top = parent != nullptr ? parent->name : spec.name;
  if (top == "auth") {
    for (size_t i = 1; i < out.size(); ++i) out[i] = kRedacted;
  } else if (top == "hello") {
    for (size_t i = 2; i < out.size(); ++i) {
      if (iequals(out[i], "AUTH") && i + 2 < out.size()) {
        out[i + 1] = out[i + 2] = kRedacted;
        i += 2;
      } else if (iequals(out[i], "SETNAME")) {
        ++i;
      }
    }
  } else if (top == "migrate") {
    for (size_t i = 6; i < out.size(); ++i) {
      if (iequals(out[i], "AUTH") && i + 1 < out.size()) {
        out[++i] = kRedacted;
      } else if (iequals(out[i], "AUTH2") && i + 2 < out.size()) {
        out[i + 1] = out[i + 2] = kRedacted;
        i += 2;
      } else if (iequals(out[i], "KEYS")) {
        break;
      }
    }
  } else if (top == "config" && parent != nullptr && spec.name == "set") {
    for (size_t i : config_set_sensitive_args(argv)) {
      if (i < out.size()) out[i] = kRedacted;
    }
  } else if (top == "acl" && parent != nullptr && spec.name == "setuser") {
    for (size_t i = 2; i < out.size(); ++i) out[i] = kRedacted;
  }
  return out;
}

}  // namespace zakros::server
