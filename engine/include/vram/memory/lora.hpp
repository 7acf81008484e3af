// LoRA / DoRA adapter parameter counts on the real module shapes of the inventory (PEFT semantics).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/model/model.hpp"
#include "vram/base/result.hpp"

namespace vram {

// One adapted module kind (all its instances across layers and experts).
struct LoraModule {
  std::string module;            // leaf name as PEFT matches it ("q_proj", "c_attn", "w1")
  Role role = Role::Buffer;
  std::uint64_t d_in = 0;        // in_features (cols)
  std::uint64_t d_out = 0;       // out_features (rows)
  std::uint64_t instances = 0;   // layers × experts
  std::uint64_t params = 0;      // instances × r × (d_in + d_out) (+ d_out with DoRA)
};

struct LoraParams {
  std::vector<std::string> targets;   // resolved target names
  std::vector<LoraModule> modules;
  std::uint64_t rank = 0;
  std::uint64_t lora_params = 0;      // A and B matrices
  std::uint64_t dora_params = 0;      // DoRA magnitude vectors
  std::uint64_t instances = 0;        // adapted Linear instances
  std::uint64_t largest_tensor = 0;   // largest single adapter tensor (elements)
  [[nodiscard]] std::uint64_t trainable() const { return lora_params + dora_params; }
};

// PEFT LoraLayer: lora_A is r × d_in, lora_B is d_out × r (peft/tuners/lora/layer.py update_layer).
[[nodiscard]] constexpr std::uint64_t lora_module_params(std::uint64_t r, std::uint64_t d_in, std::uint64_t d_out) {
  return r * (d_in + d_out);
}
// DoRA: one magnitude per output feature (peft/tuners/lora/dora.py DoraLinearLayer.update_layer).
[[nodiscard]] constexpr std::uint64_t dora_magnitude_params(std::uint64_t d_out) { return d_out; }

// PEFT's default target_modules for the model's architecture (its description's lora_targets:
// peft/utils/constants.py TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING); q_proj,v_proj for
// the generic path.
[[nodiscard]] std::vector<std::string> peft_default_targets(const ModelDescription& spec);

// Targets: "default" or "q_proj,v_proj" (the preset: PEFT's default mapping for the model type, so GPT-2
// gets c_attn and Falcon query_key_value), "attention" (every attention projection), "all-linear"
// (every Linear but the output layer, PEFT INCLUDE_LINEAR_LAYERS_SHORTHAND) or a comma list matched on
// the module path suffix. Errors name the options lora_rank / lora_targets.
[[nodiscard]] Result<LoraParams> lora_params(const Model& model, std::uint64_t rank, std::string_view targets, bool dora);

// True when `group` is adapted by the target list (suffix match on the module name, PEFT style).
[[nodiscard]] bool lora_targets_group(const ParamGroup& group, const std::vector<std::string>& targets);

// QLoRA: bitsandbytes Linear4bit (MatMul4Bit) dequantises its weight to the compute dtype for each
// matmul, forward and backward, and frees it afterwards: one Linear's worth at a time. Largest
// Linear inside the decoder layers (per expert for expert lists), in elements.
[[nodiscard]] std::uint64_t largest_layer_linear(const Inventory& inv);

}  // namespace vram
