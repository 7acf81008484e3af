// OLMo, OLMo-2, OLMo-3 (transformers models/olmo, olmo2, olmo3, v4.57): OLMo-1 with non-parametric
// LayerNorms; OLMo-2/3 with post-norms only (after attention and MLP) and full-width q/k RMSNorms;
// OLMo-3 alternating 3 sliding : 1 full layers with one rotary module per kind.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_olmo(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s);
  s.norm = NormKind::NonParametric;  // OlmoLayerNorm has neither weight nor bias
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void read_olmo2(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s);
  s.block = BlockStyle::PostNormOnly;
  s.qk_norm = QkNorm::FullWidth;
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void read_olmo3(FieldReader& r, ModelDescription& s) {
  read_olmo2(r, s);
  s.rope_theta_count = 2;  // rotary_embs: {"sliding_attention", "full_attention"}, always both
  // Olmo3Config: layer_types default "sliding_attention" if (i + 1) % 4 != 0 else "full_attention".
  read_layer_types(r, s, [](std::uint64_t i) { return (i + 1) % 4 != 0; }, 4096);
}

ModuleNames olmo2_names() {
  ModuleNames n;
  n.norm1 = "post_attention_layernorm";
  n.norm2 = "post_feedforward_layernorm";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_olmo;
const ArchitectureFamily arch_olmo{
    {.model_type = "olmo", .base_class = "OlmoModel", .read = read_olmo, .gguf = {.arch = "olmo"}},
    {.model_type = "olmo2", .base_class = "Olmo2Model", .read = read_olmo2, .names = olmo2_names(), .gguf = {.arch = "olmo2"}},
    {.model_type = "olmo3", .base_class = "Olmo3Model", .read = read_olmo3, .names = olmo2_names(), .gguf = {.arch = "olmo2"}},
};

}  // namespace vram
