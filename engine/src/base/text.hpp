// Small text helpers shared by engine units.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace vram::detail {

// ASCII lower case (ids, names and option values are ASCII).
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace vram::detail
