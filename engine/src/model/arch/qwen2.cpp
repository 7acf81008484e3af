// Qwen2 and Qwen2-MoE (transformers models/qwen2, models/qwen2_moe, v4.57): bias on q/k/v only;
// sliding window on layers ≥ max_window_layers when use_sliding_window; Qwen2-MoE with routed
// experts, one shared expert behind a sigmoid gate, and a rotary module inside every attention.
#include <algorithm>

#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// Qwen2MoeConfig defaults num_key_value_heads to 16; Qwen2Config to the attention heads.
void read_qwen2_like(FieldReader& r, ModelDescription& s, std::uint64_t default_kv) {
  read_llama_like(r, s, default_kv);
  s.attn_qkv_bias = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  const bool use_sw = r.bool_or("use_sliding_window", false);
  const std::uint64_t max_window_layers = r.opt_uint("max_window_layers", kMaxLayers).value_or(28);
  if (!use_sw && !r.has("layer_types")) {
    s.layers.assign(s.num_layers, LayerSpec{});
    return;
  }
  read_layer_types(r, s, [&](std::uint64_t i) { return use_sw && i >= max_window_layers; });
}

void read_qwen2(FieldReader& r, ModelDescription& s) { read_qwen2_like(r, s, 0); }

void read_qwen2_moe(FieldReader& r, ModelDescription& s) {
  read_qwen2_like(r, s, 16);
  s.rotary_per_layer = true;  // Qwen2MoeAttention owns a rotary_emb in 4.57 (buffers per layer)
  MoeSpec m;
  m.routed_experts = r.opt_uint("num_experts", kMaxExperts).value_or(60);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 4, kMaxExperts);
  m.expert_intermediate = r.positive_or("moe_intermediate_size", 1408, kMaxWidth);
  m.shared_intermediate = r.opt_uint("shared_expert_intermediate_size", kMaxWidth).value_or(5632);
  m.shared_experts = m.shared_intermediate > 0 ? 1 : 0;
  m.shared_expert_gate = m.shared_intermediate > 0;
  read_sparse_step_layers(r, s, m);
  s.moe = m;
}

ModuleNames qwen2_moe_names() {
  ModuleNames n;
  n.shared_expert = "shared_expert.";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_qwen2;
const ArchitectureFamily arch_qwen2{
    {.model_type = "qwen2", .base_class = "Qwen2Model", .read = read_qwen2, .gguf = {.arch = "qwen2"}},
    {.model_type = "qwen2_moe", .base_class = "Qwen2MoeModel", .read = read_qwen2_moe, .names = qwen2_moe_names(), .gguf = {.arch = "qwen2moe"}},
};

}  // namespace vram
