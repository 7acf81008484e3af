// StarCoder2 (transformers models/starcoder2, v4.57): GQA (2 KV heads by default), biases when
// use_bias, LayerNorm, a plain c_fc/c_proj GELU MLP, sliding window on every layer, tied head.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_starcoder2(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s, 2);
  s.activation = r.string_or("hidden_act", "gelu_pytorch_tanh");
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = r.bool_or("use_bias", true);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  read_layer_types(r, s, [](std::uint64_t) { return true; });
}

ModuleNames starcoder2_names() {
  ModuleNames n;
  n.up = "c_fc";
  n.down = "c_proj";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_starcoder2;
const ArchitectureFamily arch_starcoder2{
    {.model_type = "starcoder2", .base_class = "Starcoder2Model", .read = read_starcoder2, .names = starcoder2_names(),
     .gguf = {.arch = "starcoder2"}},
};

}  // namespace vram
