// SmolLM3 (transformers models/smollm3): a Llama layout (no biases, tied embeddings by default)
// whose every no_rope_layer_interval-th layer uses no RoPE: no_rope_layers holds one flag per layer
// (1 = RoPE), default int((i + 1) % no_rope_layer_interval != 0). Optional sliding windows
// (use_sliding_window on layers ≥ max_window_layers, or layer_types) as in Qwen2.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// SmolLM3Config defaults: 4 KV heads, no_rope_layer_interval 4, tie_word_embeddings True.
void read_smollm3(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s, 4);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.mlp_bias = r.bool_or("mlp_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  const bool use_sw = r.bool_or("use_sliding_window", false);
  const std::uint64_t max_window_layers = r.opt_uint("max_window_layers", kMaxLayers).value_or(28);
  if (!use_sw && !r.has("layer_types")) {
    s.layers.assign(s.num_layers, LayerSpec{});
  } else {
    read_layer_types(r, s, [&](std::uint64_t i) { return use_sw && i >= max_window_layers; });
  }
  const auto flags = read_layer_list(r, "no_rope_layers");
  if (!flags.empty()) {
    if (!layer_count_ok(r, s, "no_rope_layers", flags.size())) return;
    for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].rope = flags[i] != 0;
  } else {
    const std::uint64_t interval = r.positive_or("no_rope_layer_interval", 4, kMaxLayers);
    for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].rope = (i + 1) % interval != 0;
  }
}

}  // namespace

extern const ArchitectureFamily arch_smollm;
const ArchitectureFamily arch_smollm{
    {.model_type = "smollm3", .base_class = "SmolLM3Model", .read = read_smollm3, .lora_targets = "",
     .gguf = {.arch = "smollm3"}},
};

}  // namespace vram
