// Phi and Phi-3 (transformers models/phi, models/phi3, v4.57): Phi-1/2 with a parallel block (one
// LayerNorm), biases everywhere, partial rotary (0.5 by default), a plain fc1/fc2 MLP and an lm_head
// bias; Phi-3 with fused qkv_proj and gate_up_proj and a sliding window on every layer.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_phi(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s);
  s.activation = r.string_or("hidden_act", "gelu_new");
  read_rotary(r, s, /*default_partial=*/0.5);
  s.norm = NormKind::LayerNorm;
  s.block = BlockStyle::Parallel;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = true;
  s.lm_head_bias = true;
  if (r.bool_or("qk_layernorm", false)) s.qk_norm = QkNorm::LayerNormPerHead;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void read_phi3(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s);
  s.fused_qkv = true;
  s.fused_gate_up = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_layer_types(r, s, [](std::uint64_t) { return true; });
}

ModuleNames phi_names() {
  ModuleNames n;
  n.final_norm = "final_layernorm";
  n.o = "dense";
  n.up = "fc1";
  n.down = "fc2";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_phi;
const ArchitectureFamily arch_phi{
    {.model_type = "phi", .base_class = "PhiModel", .read = read_phi, .names = phi_names(), .lora_targets = "q_proj,v_proj,fc1,fc2",
     .gguf = {.arch = "phi2"}},
    {.model_type = "phi3", .base_class = "Phi3Model", .read = read_phi3, .lora_targets = "qkv_proj", .gguf = {.arch = "phi3"}},
};

}  // namespace vram
