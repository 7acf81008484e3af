// Helpers shared by the tests: reading repository files and parsing configs.
#pragma once

#include <string>
#include <vector>

#include "vram/model/inventory.hpp"
#include "vram/base/formula.hpp"
#include "vram/base/message.hpp"
#include "vram/model/description.hpp"

namespace vram::test {

// Contents of a file under the repository root (VRAM_SOURCE_DIR).
std::string read_repo_file(const std::string& relative_path);

// A message or an error's message in English, options spelled as the CLI spells them (--batch): the
// text a user of the CLI reads.
std::string english(const Message& m);
std::string english(const Error& e);
std::vector<std::string> english(const std::vector<Message>& ms);
// A quantity's explanation in English ("2 × 32 layers × … = 1.00 GiB"; "" without one).
std::string explanation(const Q& q);

// Parses a config and builds its inventory; fails the test on an error.
ModelDescription spec_of(const std::string& config_json);
Inventory inventory_of(const std::string& config_json);
Inventory catalog_inventory(const std::string& file_name);  // engine/catalog/models/<file>

}  // namespace vram::test
