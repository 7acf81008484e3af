// A loaded model: its spec and exact inventory, built once and shared by every estimate.
#pragma once

#include <memory>
#include <string_view>

#include "vram/model/inventory.hpp"
#include "vram/model/description.hpp"

namespace vram {

struct WeightMemo;  // weights.cpp

struct Model {
  ModelDescription spec;
  Inventory inventory;
  // Weight bytes and layout are pure functions of (model, format); sweeps and inverse solves
  // evaluate thousands of estimates of one model, so weights.cpp memoises them here.
  mutable std::shared_ptr<WeightMemo> weight_memo;
};

// config.json text → Model (parse + inventory).
[[nodiscard]] Result<Model> load_model(std::string_view config_json);

}  // namespace vram
