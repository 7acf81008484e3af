// Helpers shared by the tests: reading repository files and parsing configs.
#pragma once

#include <string>

#include "vram/model/inventory.hpp"
#include "vram/model/model_spec.hpp"

namespace vram::test {

// Contents of a file under the repository root (VRAM_SOURCE_DIR).
std::string read_repo_file(const std::string& relative_path);

// Parses a config and builds its inventory; fails the test on an error.
ModelSpec spec_of(const std::string& config_json);
Inventory inventory_of(const std::string& config_json);
Inventory catalog_inventory(const std::string& file_name);  // engine/catalog/models/<file>

}  // namespace vram::test
