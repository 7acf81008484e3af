#include "args.hpp"

#include <algorithm>

namespace vram::cli {

std::string shown(const std::string& value) { return value.size() > 64 ? value.substr(0, 61) + "..." : value; }

std::string closest(const std::string& name, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_d = name.size() / 3 + 1;
  for (const auto& k : known) {
    // Levenshtein distance, one row at a time.
    std::vector<std::size_t> row(k.size() + 1);
    for (std::size_t j = 0; j <= k.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= name.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= k.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (name[i - 1] == k[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    if (row[k.size()] < best_d) {
      best_d = row[k.size()];
      best = k;
    }
  }
  return best;
}

std::optional<Args> Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& flags,
                                const std::set<std::string>& switches, std::string& error) {
  Args a;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      error = "unexpected argument \"" + shown(arg) + "\" (options start with --)";
      return std::nullopt;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (switches.count(name)) {
      if (value && *value != "true" && *value != "false") {
        error = "--" + shown(name) + " takes no value (or =true / =false)";
        return std::nullopt;
      }
      if (!value || *value == "true") a.switches_.insert(name);
      continue;
    }
    if (!flags.count(name)) {
      std::vector<std::string> known(flags.begin(), flags.end());
      known.insert(known.end(), switches.begin(), switches.end());
      const std::string near = closest(name, known);
      error = "unknown option --" + shown(name) + (near.empty() ? "" : " (did you mean --" + near + "?)");
      return std::nullopt;
    }
    if (!value) {
      if (i + 1 >= argv.size()) {
        error = "--" + name + " needs a value";
        return std::nullopt;
      }
      value = argv[++i];
    }
    if (a.values_.count(name) && a.values_[name] != *value) {
      error = "--" + name + " is given twice with different values";
      return std::nullopt;
    }
    a.values_[name] = *value;
  }
  return a;
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace vram::cli
