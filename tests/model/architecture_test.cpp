// The architecture table (engine/src/model/arch/) is the one place a model_type is named. Oracles:
// the table itself (every type and alias resolves to its own row, once) and the source tree (no
// string literal equal to a registered model_type outside engine/src/model/arch/).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "vram/model/architecture.hpp"

namespace {

// Every model_type the table answers to: the rows, their aliases and the text_config types of the
// multimodal wrappers.
std::set<std::string> registered_types() {
  std::set<std::string> types;
  for (const vram::Architecture* a : vram::architectures()) {
    types.emplace(a->model_type);
    for (auto alias : a->aliases) types.emplace(alias);
    if (!a->text_model_type.empty()) types.emplace(a->text_model_type);
  }
  return types;
}

// The string literals of a C++ or JavaScript source, comments dropped ("…", '…', `…`).
std::vector<std::string> string_literals(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == std::string::npos) break;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i = text.find("*/", i + 2);
      if (i == std::string::npos) break;
      ++i;
    } else if (c == '"' || c == '\'' || c == '`') {
      std::string lit;
      std::size_t j = i + 1;
      for (; j < text.size() && text[j] != c && text[j] != '\n'; ++j) {
        if (text[j] == '\\' && j + 1 < text.size()) ++j;
        lit += text[j];
      }
      if (c != '\'' || lit.size() > 1) out.push_back(lit);  // skip C++ character literals
      i = j;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every model_type and alias resolves to exactly one description", "[architecture]") {
  std::set<std::string> seen;
  for (const vram::Architecture* a : vram::architectures()) {
    INFO(a->model_type);
    CHECK(!a->model_type.empty());
    CHECK((a->read != nullptr || a->multimodal_wrapper));
    CHECK(!a->base_class.empty());
    CHECK(seen.emplace(a->model_type).second);
    CHECK(vram::find_architecture(a->model_type) == a);
    for (auto alias : a->aliases) {
      INFO(alias);
      CHECK(seen.emplace(alias).second);
      CHECK(vram::find_architecture(alias) == a);
    }
    if (a->multimodal_wrapper) {
      const std::string text = a->text_model_type.empty() ? std::string(a->model_type) + "_text" : std::string(a->text_model_type);
      INFO(text);
      const vram::Architecture* t = vram::find_architecture(text);
      REQUIRE(t != nullptr);
      CHECK(!t->multimodal_wrapper);
    }
  }
  CHECK(seen.size() >= 30);
  CHECK(vram::find_architecture("no_such_type") == nullptr);
  // The manual form stands for exactly one description, a plain decoder.
  std::size_t forms = 0;
  for (const vram::Architecture* a : vram::architectures()) forms += a->manual_form ? 1 : 0;
  CHECK(forms == 1);
  CHECK(vram::manual_form_architecture().manual_form);
  CHECK(vram::manual_form_architecture().topology == vram::Topology::Decoder);
  CHECK(!vram::manual_form_architecture().multimodal_wrapper);
}

TEST_CASE("no source outside the architecture table names a model_type", "[architecture]") {
  namespace fs = std::filesystem;
  const fs::path root = VRAM_SOURCE_DIR;
  const fs::path table = root / "engine/src/model/arch";
  const std::set<std::string> types = registered_types();
  int files = 0;
  for (const char* top : {"engine/src", "engine/include", "web/src", "web/wasm", "tools/cli"}) {
    if (!fs::exists(root / top)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
      if (!entry.is_regular_file()) continue;
      const std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".hpp" && ext != ".js" && ext != ".jsx" && ext != ".mjs") continue;
      if (entry.path().parent_path() == table) continue;
      ++files;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      for (const std::string& lit : string_literals(text.str())) {
        INFO(entry.path().string() << ": \"" << lit << "\"");
        CHECK(types.count(lit) == 0);
      }
    }
  }
  CHECK(files > 60);
}

TEST_CASE("the literal scanner sees strings, not comments", "[architecture]") {
  const auto lits = string_literals("a = \"llama\"; // \"qwen2\"\n/* \"t5\" */ b = 'x'; c = `gpt2` + 'bert';");
  CHECK(lits == std::vector<std::string>{"llama", "gpt2", "bert"});
}
