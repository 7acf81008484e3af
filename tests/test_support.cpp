#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace vram::test {

std::string read_repo_file(const std::string& relative_path) {
  std::ifstream in(std::string(VRAM_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
  INFO("reading " << relative_path);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string english(const Message& m) { return render(m, english_catalog(), Spelling::Cli); }
std::string english(const Error& e) { return english(e.message); }
std::vector<std::string> english(const std::vector<Message>& ms) {
  std::vector<std::string> out;
  for (const auto& m : ms) out.push_back(english(m));
  return out;
}
std::string explanation(const Q& q) { return q.node() ? explain(q, english_catalog(), Spelling::Cli).text() : std::string(); }

ModelDescription spec_of(const std::string& config_json) {
  auto spec = parse_config(config_json);
  INFO((spec ? std::string() : english(spec.error())));
  REQUIRE(spec.ok());
  return spec.value();
}

Inventory inventory_of(const std::string& config_json) {
  auto inv = build_inventory(spec_of(config_json));
  INFO((inv ? std::string() : english(inv.error())));
  REQUIRE(inv.ok());
  return inv.value();
}

Inventory catalog_inventory(const std::string& file_name) {
  return inventory_of(read_repo_file("engine/catalog/models/" + file_name));
}

}  // namespace vram::test
