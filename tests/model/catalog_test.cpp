// catalog.cpp: every built-in config parses and builds; ids and Hub URLs resolve.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "vram/model/catalog.hpp"
#include "vram/model/inventory.hpp"

TEST_CASE("every catalog model parses and builds an inventory", "[catalog]") {
  const auto models = vram::catalog_models();
  REQUIRE(models.size() >= 32);
  for (const auto& m : models) {
    INFO(m.id);
    auto spec = vram::parse_config(m.config_json);
    REQUIRE(spec.ok());
    auto inv = vram::build_inventory(spec.value());
    REQUIRE(inv.ok());
    // Oracle: the published exact count recorded with the catalog entry (engine/catalog/SOURCES.md).
    if (m.published_params) CHECK(inv.value().total_params == m.published_params);
  }
}

TEST_CASE("catalog lookup accepts ids and Hub URLs", "[catalog]") {
  CHECK(vram::normalize_model_id("https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/tree/main") == "Qwen/Qwen2.5-7B-Instruct");
  CHECK(vram::normalize_model_id("  openai-community/gpt2 ") == "openai-community/gpt2");
  CHECK(vram::normalize_model_id("gpt2").empty());
  REQUIRE(vram::find_catalog_model("QWEN/qwen2.5-7b-instruct").ok());
  auto e = vram::find_catalog_model("nobody/nothing");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == vram::ErrorCode::UnknownName);
}

TEST_CASE("embedded configs are the catalog files, compacted without changing a value", "[catalog]") {
  const auto index = nlohmann::json::parse(vram::test::read_repo_file("engine/catalog/models.json"));
  REQUIRE(index.size() == vram::catalog_models().size());
  for (const auto& entry : index) {
    const std::string id = entry.at("id").get<std::string>();
    INFO(id);
    const auto file = nlohmann::json::parse(vram::test::read_repo_file("engine/catalog/models/" + entry.at("file").get<std::string>()));
    const auto embedded = nlohmann::json::parse(std::string(vram::find_catalog_model(id).value().config_json));
    CHECK(file == embedded);
  }
}

TEST_CASE("catalog checkpoint totals: stored elements incl. MTP layers", "[catalog][mtp]") {
  // Oracle: `checkpoint_params` of a catalog entry is a published safetensors total (what the
  // checkpoint stores: parameters, persistent buffers, MTP layers; engine/catalog/SOURCES.md).
  const auto index = nlohmann::json::parse(vram::test::read_repo_file("engine/catalog/models.json"));
  int checked = 0;
  for (const auto& entry : index) {
    if (!entry.contains("checkpoint_params") || entry.at("checkpoint_params").is_null()) continue;
    INFO(entry.at("id").get<std::string>());
    const auto inv = vram::test::catalog_inventory(entry.at("file").get<std::string>());
    CHECK(inv.checkpoint_params == entry.at("checkpoint_params").get<std::uint64_t>());
    ++checked;
  }
  CHECK(checked >= 1);
}
