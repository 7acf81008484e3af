// A small flag parser for the CLI: --name value / --name=value / --switch. Every error is one line
// naming the flag (values echoed at most 64 characters), and a misspelt flag gets a "did you mean".
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vram::cli {

class Args {
 public:
  // `flags` lists the value-taking options, `switches` the boolean ones (without "--"). On an error,
  // `error` holds the one-line message and the result is empty.
  static std::optional<Args> parse(const std::vector<std::string>& argv, const std::set<std::string>& flags,
                                   const std::set<std::string>& switches, std::string& error);

  [[nodiscard]] bool has(const std::string& name) const { return values_.count(name) != 0; }
  [[nodiscard]] bool flag(const std::string& name) const { return switches_.count(name) != 0; }
  [[nodiscard]] std::optional<std::string> get(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> switches_;
};

// A value as an error message shows it: at most 64 characters.
[[nodiscard]] std::string shown(const std::string& value);
// The known name closest to `name` (edit distance ≤ a third of its length), or "".
[[nodiscard]] std::string closest(const std::string& name, const std::vector<std::string>& known);

}  // namespace vram::cli
