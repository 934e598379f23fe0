// Loading the configuration: the config file syntax, include, the command-line options and
// the fatal-error message (see config.h for the contract).
#include "server/config/config.h"
#include "util/strings.h"

#include <glob.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unordered_set>

#include "server/config/config_options.h"
#include "server/config/config_special.h"
#include "server/version.h"

namespace zakros::server {

namespace {

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// State shared by every line of one load: the file, its includes and the command line.
struct LoadState {
  Config* config;
  // Options already set by an earlier line (the second `save` line adds to the first).
  std::unordered_set<const OptionSpec*> seen;
  int include_depth = 0;
};

// Where a line came from, for the error message.
struct Origin {
  std::string_view file;  // "" for the command line
};

std::string fatal(std::string_view where, int line, std::string_view text, std::string_view err) {
  std::string msg =
      std::string("\n*** FATAL CONFIG FILE ERROR (zakros ") + kZakrosVersion + ") ***\n";
  if (line > 0) {
    if (where.empty()) {
      msg += "Reading the command line options, at line " + std::to_string(line) + "\n";
    } else {
      msg += "Reading the configuration file '" + std::string(where) + "', at line " +
             std::to_string(line) + "\n";
    }
    msg += ">>> '" + std::string(text) + "'\n";
  }
  msg += err;
  return msg;
}

std::optional<std::string> load_text(std::string_view text, Origin origin, LoadState& state);

// Reads a file (or every file a glob matches) and loads it. A glob that matches nothing is not
// an error (an empty conf.d directory), a missing plain file is.
std::optional<std::string> load_path(const std::string& path, LoadState& state) {
  std::vector<std::string> files;
  if (path.find_first_of("*?[") != std::string::npos) {
    glob_t g;
    if (glob(path.c_str(), 0, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) files.emplace_back(g.gl_pathv[i]);
      globfree(&g);
    }
  } else {
    files.push_back(path);
  }
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return "Fatal error, can't open config file '" + file + "': " + std::strerror(errno);
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (auto err = load_text(text, Origin{file}, state)) return err;
  }
  return std::nullopt;
}

// Applies one split line. Returns the error text or nullopt; `*complete` tells whether the text
// is already a full fatal message (an error inside an included file) rather than a reason the
// caller still has to locate.
std::optional<std::string> apply_line(std::vector<std::string>& argv, LoadState& state,
                                      bool* complete) {
  std::string name = to_lower(argv[0]);
  if (const OptionSpec* spec = find_option(name)) {
    if (!spec->has(kMultiArg) && argv.size() != 2) return "wrong number of arguments";
    std::vector<std::string> args(argv.begin() + 1, argv.end());
    // A multi-argument option given one non-empty argument has it split again, so that both
    // `save 3600 1` and `--save "3600 1"` work.
    if (spec->has(kMultiArg) && args.size() == 1 && !args[0].empty()) {
      auto split = split_args(args[0]);
      args = split ? std::move(*split) : std::vector<std::string>{};
    }
    bool repeat = !state.seen.insert(spec).second;
    return spec->set(*state.config, args, repeat);
  }
  // Directives Redis 7.0 dropped but still ignores for old config files.
  if ((name == "list-max-ziplist-entries" || name == "list-max-ziplist-value" ||
       name == "lua-replicate-commands") &&
      argv.size() == 2) {
    return std::nullopt;
  }
  if (name == "include" && argv.size() == 2) {
    if (++state.include_depth > 32) return "include nesting too deep (an include loop?)";
    auto err = load_path(argv[1], state);
    --state.include_depth;
    *complete = err.has_value();
    return err;
  }
  if (name == "rename-command" && argv.size() == 3) {
    state.config->rename_commands.emplace_back(argv[1], argv[2]);
    return std::nullopt;
  }
  return "Bad directive or wrong number of arguments";
}

std::optional<std::string> load_text(std::string_view text, Origin origin, LoadState& state) {
  int linenum = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++linenum;
    // Trim " \t\r\n" at both ends, as Redis's sdstrim.
    while (!line.empty() && std::strchr(" \t\r\n", line.front()) != nullptr) line.remove_prefix(1);
    while (!line.empty() && std::strchr(" \t\r\n", line.back()) != nullptr) line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;

    auto argv = split_args(line);
    if (!argv) {
      return fatal(origin.file, linenum, line, "Unbalanced quotes in configuration line");
    }
    if (argv->empty()) continue;
    bool complete = false;
    if (auto err = apply_line(*argv, state, &complete)) {
      return complete ? *err : fatal(origin.file, linenum, line, *err);
    }
  }
  return std::nullopt;
}

// Checks done once everything is loaded (Redis does the logfile one at the same point).
std::optional<std::string> finish_load(Config* out) {
  if (!out->logfile.empty()) {
    FILE* f = std::fopen(out->logfile.c_str(), "a");
    if (f == nullptr) {
      return fatal("", 0, "", std::string("Can't open the log file: ") + std::strerror(errno));
    }
    std::fclose(f);
  }
  if (!out->replicaof_host.empty()) {
    return fatal("", 0, "",
                 "replicaof is not supported: zakros replicates with Raft (see cluster-addrs)");
  }
  if (auto err = validate_config(*out)) return fatal("", 0, "", *err);
  out->dir = absolute_dir(out->dir);
  return std::nullopt;
}

bool starts_with_dashes(const char* s) {
  return s[0] == '-' && s[1] == '-';
}

}  // namespace

std::optional<std::vector<std::string>> split_args(std::string_view line) {
  std::vector<std::string> out;
  size_t p = 0;
  const size_t n = line.size();
  auto at = [&](size_t i) -> char { return i < n ? line[i] : '\0'; };
  while (true) {
    while (p < n && is_space(line[p])) ++p;
    if (p >= n) return out;
    std::string current;
    bool in_double = false, in_single = false, done = false;
    while (!done) {
      char c = at(p);
      if (in_double) {
        if (c == '\\' && at(p + 1) == 'x' && is_hex(at(p + 2)) && is_hex(at(p + 3))) {
          current += static_cast<char>(hex_value(at(p + 2)) * 16 + hex_value(at(p + 3)));
          p += 3;
        } else if (c == '\\' && p + 1 < n) {
          ++p;
          switch (line[p]) {
            case 'n':
              current += '\n';
              break;
            case 'r':
              current += '\r';
              break;
            case 't':
              current += '\t';
              break;
            case 'b':
              current += '\b';
              break;
            case 'a':
              current += '\a';
              break;
            default:
              current += line[p];
              break;
          }
        } else if (c == '"') {
          // The closing quote must be followed by a space or the end.
          if (p + 1 < n && !is_space(line[p + 1])) return std::nullopt;
          done = true;
        } else if (p >= n) {
          return std::nullopt;  // unterminated quotes
        } else {
          current += c;
        }
      } else if (in_single) {
        if (c == '\\' && at(p + 1) == '\'') {
          ++p;
          current += '\'';
        } else if (c == '\'') {
          if (p + 1 < n && !is_space(line[p + 1])) return std::nullopt;
          done = true;
        } else if (p >= n) {
          return std::nullopt;
        } else {
          current += c;
        }
      } else {
        if (p >= n) {
          done = true;
        } else {
          switch (c) {
            case ' ':
            case '\n':
            case '\r':
            case '\t':
            case '\0':  // an embedded NUL ends the argument, as in C
              done = true;
              break;
            case '"':
              in_double = true;
              break;
            case '\'':
              in_single = true;
              break;
            default:
              current += c;
              break;
          }
        }
      }
      if (p < n) ++p;
    }
    out.push_back(std::move(current));
  }
}

std::string quote_arg(std::string_view value) {
  return util::repr(value);
}

std::optional<std::string> load_config_text(std::string_view text, std::string_view origin,
                                            Config* out) {
  LoadState state{out, {}, 0};
  if (auto err = load_text(text, Origin{origin}, state)) return err;
  return finish_load(out);
}

std::optional<std::string> load_config(int argc, char** argv, Config* out,
                                       std::string* config_file) {
  if (config_file != nullptr) config_file->clear();
  int j = 1;
  std::string file;
  if (argc >= 2 && argv[1][0] != '-') {
    file = std::filesystem::absolute(argv[1]).lexically_normal().string();
    if (config_file != nullptr) *config_file = file;
    j = 2;
  }
  // Every --name starts a new line, the following arguments are its (quoted) values; this is
  // redis-server's main() logic, quirks included ("--port 6380" as one argument works, a lone
  // "--save" means save "", and a value may itself start with "--" once the name has had none).
  bool from_stdin = false;
  std::string options;
  bool handled_last_arg = true;
  for (; j < argc; ++j) {
    const char* arg = argv[j];
    if (arg[0] == '-' && arg[1] == '\0' && (j == 1 || j == argc - 1)) {
      from_stdin = true;
    } else if (handled_last_arg && starts_with_dashes(arg)) {
      if (!options.empty()) options += '\n';
      options += arg + 2;
      options += ' ';
      auto split = split_args(arg);
      size_t count = split ? split->size() : 0;
      if (count == 1) {
        handled_last_arg = false;
        bool is_save = iequals(arg, "--save");
        if (is_save && j != argc - 1 && starts_with_dashes(argv[j + 1])) {
          options += "\"\"";
          handled_last_arg = true;
        } else if (is_save && j == argc - 1) {
          options += "\"\"";
        }
      } else {
        handled_last_arg = true;
      }
    } else {
      options += quote_arg(arg);
      options += ' ';
      handled_last_arg = true;
    }
  }

  LoadState state{out, {}, 0};
  if (!file.empty()) {
    if (auto err = load_path(file, state)) return err;
  }
  if (from_stdin) {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (auto err = load_text(text, Origin{"stdin"}, state)) return err;
  }
  if (!options.empty()) {
    if (auto err = load_text(options, Origin{""}, state)) return err;
  }
  return finish_load(out);
}

}  // namespace zakros::server
