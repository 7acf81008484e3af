// Qwen3 and Qwen3-MoE (transformers models/qwen3, models/qwen3_moe, v4.57): Qwen2's layout without
// q/k/v bias and with a per-head RMSNorm on q and k; Qwen3Config's head_dim defaults to 128,
// Qwen3MoeConfig has none (hidden / heads) and 4 KV heads.
#include <algorithm>

#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_qwen3_like(FieldReader& r, ModelDescription& s, std::uint64_t default_head_dim, std::uint64_t default_kv) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, default_head_dim, default_kv);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.qk_norm = QkNorm::PerHead;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  const bool use_sw = r.bool_or("use_sliding_window", false);
  const std::uint64_t max_window_layers = r.opt_uint("max_window_layers", kMaxLayers).value_or(28);
  if (!use_sw && !r.has("layer_types")) {
    s.layers.assign(s.num_layers, LayerSpec{});
    return;
  }
  read_layer_types(r, s, [&](std::uint64_t i) { return use_sw && i >= max_window_layers; });
}

void read_qwen3(FieldReader& r, ModelDescription& s) { read_qwen3_like(r, s, 128, 0); }

void read_qwen3_moe(FieldReader& r, ModelDescription& s) {
  read_qwen3_like(r, s, 0, 4);
  MoeSpec m;
  m.routed_experts = r.opt_uint("num_experts", kMaxExperts).value_or(128);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 8, kMaxExperts);
  m.expert_intermediate = r.positive_or("moe_intermediate_size", 768, kMaxWidth);
  read_sparse_step_layers(r, s, m);
  s.moe = m;
}

}  // namespace

extern const ArchitectureFamily arch_qwen3;
const ArchitectureFamily arch_qwen3{
    {.model_type = "qwen3", .base_class = "Qwen3Model", .read = read_qwen3, .gguf = {.arch = "qwen3"}},
    {.model_type = "qwen3_moe", .base_class = "Qwen3MoeModel", .read = read_qwen3_moe, .gguf = {.arch = "qwen3moe"}},
};

}  // namespace vram
