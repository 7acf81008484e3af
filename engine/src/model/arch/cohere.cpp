// Command R7B / Command A (transformers models/cohere2): parallel blocks (one input_layernorm; the
// attention and the gated MLP both read it and add to the residual), LayerNorm without bias
// (CohereLayerNorm), tied embeddings, no biases by default. Hybrid attention: layer_types, else
// every sliding_window_pattern-th layer global and the others sliding (window sliding_window);
// Cohere2Attention rotates only on sliding layers (global layers use no RoPE).
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// Cohere2Config defaults: num_key_value_heads = heads, tie_word_embeddings True,
// sliding_window 4096, sliding_window_pattern 4.
void read_cohere2(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s);
  s.norm = NormKind::LayerNormNoBias;
  s.block = BlockStyle::Parallel;
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  const std::uint64_t pattern = r.positive_or("sliding_window_pattern", 4, kMaxLayers);
  read_layer_types(r, s, [pattern](std::uint64_t i) { return (i + 1) % pattern != 0; }, 4096);
  for (auto& l : s.layers) l.rope = l.attention == AttentionKind::Sliding;
}

}  // namespace

extern const ArchitectureFamily arch_cohere;
const ArchitectureFamily arch_cohere{
    {.model_type = "cohere2", .base_class = "Cohere2Model", .read = read_cohere2, .lora_targets = "", .gguf = {.arch = "cohere2"}},
};

}  // namespace vram
