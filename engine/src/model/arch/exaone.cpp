// EXAONE 4.0 (transformers models/exaone4): QK-reorder post-norm blocks (no input norm; RMSNorm
// after attention and after the MLP, the OLMo-2 layout: post_attention_layernorm,
// post_feedforward_layernorm), per-head q/k RMSNorm, no biases. Hybrid attention: layer_types, else
// sliding_window_pattern (an integer period whose last layer is global, or a string such as "LLLG":
// L = local sliding window, G = global); global layers use no RoPE when the model has sliding
// layers (Exaone4Attention applies rotary only if sliding_window is None or the layer is sliding).
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_exaone4(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s);
  s.block = BlockStyle::PostNormOnly;
  s.qk_norm = QkNorm::PerHead;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  std::string pattern;
  std::uint64_t period = 4;  // Exaone4Config.sliding_window_pattern
  if (r.has("sliding_window_pattern") && r.json().at("sliding_window_pattern").is_string()) {
    pattern = r.string_or("sliding_window_pattern", "");
    if (pattern.empty() || pattern.find_first_not_of("LG") != std::string::npos) {
      r.fail(ErrorCode::InvalidValue, "sliding_window_pattern",
             {Msg::error_config_sliding_pattern, {r.key_arg("sliding_window_pattern")}});
      return;
    }
  } else {
    period = r.positive_or("sliding_window_pattern", 4, kMaxLayers);
  }
  read_layer_types(r, s, [&](std::uint64_t i) {
    return pattern.empty() ? (i + 1) % period != 0 : pattern[i % pattern.size()] == 'L';
  });
  bool any_sliding = false;
  for (const auto& l : s.layers) any_sliding = any_sliding || l.attention == AttentionKind::Sliding;
  if (any_sliding)
    for (auto& l : s.layers) l.rope = l.attention == AttentionKind::Sliding;
}

ModuleNames exaone4_names() {
  ModuleNames n;
  n.norm1 = "post_attention_layernorm";
  n.norm2 = "post_feedforward_layernorm";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_exaone;
const ArchitectureFamily arch_exaone{
    {.model_type = "exaone4", .base_class = "Exaone4Model", .read = read_exaone4, .names = exaone4_names(), .lora_targets = "",
     .gguf = {.arch = "exaone4"}},
};

}  // namespace vram
