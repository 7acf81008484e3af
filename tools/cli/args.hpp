// A small flag parser for the CLI: --name value / --name=value / --flag, every error names the flag.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vram/base/result.hpp"

namespace vram::cli {

class Args {
 public:
  // `flags` lists the value-taking options, `switches` the boolean ones (without "--").
  static Result<Args> parse(const std::vector<std::string>& argv, const std::set<std::string>& flags,
                            const std::set<std::string>& switches);

  [[nodiscard]] bool has(const std::string& name) const { return values_.count(name) != 0; }
  [[nodiscard]] bool flag(const std::string& name) const { return switches_.count(name) != 0; }
  [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
  // Integer option in [min, max]; records an error naming --name on a bad value.
  [[nodiscard]] Result<std::uint64_t> uint(const std::string& name, std::uint64_t fallback, std::uint64_t min,
                                           std::uint64_t max) const;
  [[nodiscard]] Result<double> number(const std::string& name, double fallback, double min, double max) const;

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> switches_;
};

}  // namespace vram::cli
