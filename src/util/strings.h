// Small ASCII string helpers shared by every layer: case-insensitive comparison (command names,
// option names and keywords are matched as Redis does, by ASCII case folding), case conversion,
// Redis's sdscatrepr quoting (MONITOR lines, CONFIG REWRITE values, DEBUG output), and INFO's
// name:value lines.
#pragma once

#include <string>
#include <string_view>

namespace zakros::util {

// True if `a` and `b` are equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

// Appends `bytes` in double quotes with \\ \" \n \r \t \a \b escaped and other non-printable
// bytes as \xHH, as Redis's sdscatrepr, so that Redis's argument splitting gives `bytes` back.
void append_repr(std::string& out, std::string_view bytes);
inline std::string repr(std::string_view bytes) {
  std::string out;
  append_repr(out, bytes);
  return out;
}

// Appends one "name:value\r\n" line of an INFO section.
inline void append_info_line(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out += ':';
  out.append(value);
  out += "\r\n";
}

}  // namespace zakros::util
