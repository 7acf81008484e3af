// The built-in catalogs: real config.json files of popular models and an accelerator list, compiled
// into the engine so the CLI and the browser work offline.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/result.hpp"

namespace vram {

struct CatalogModel {
  std::string_view id;        // Hugging Face repo id, e.g. "meta-llama/Llama-3.1-8B"
  std::string_view name;      // display name
  std::string_view family;
  std::uint64_t published_params = 0;  // exact published count (0 = none known)
  std::string_view config_json;
};

[[nodiscard]] std::vector<CatalogModel> catalog_models();

// Accepts a repo id ("Qwen/Qwen2.5-7B-Instruct", case-insensitive) or a Hub URL
// ("https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/tree/main").
[[nodiscard]] Result<CatalogModel> find_catalog_model(std::string_view id_or_url);

// A Hub repo id as the Hub accepts it (huggingface_hub validate_repo_id): "name" or "org/name", each
// part 1–96 characters of [A-Za-z0-9_.-] that starts and ends with a letter, digit or '_', without
// "--" or "..", not ending in ".git". Refuses "." and ".." segments, which would name a path
// outside any repo.
[[nodiscard]] bool valid_repo_id(std::string_view id);

// "org/name" from an id or a Hub URL; empty if it does not look like one.
[[nodiscard]] std::string normalize_model_id(std::string_view id_or_url);

}  // namespace vram
