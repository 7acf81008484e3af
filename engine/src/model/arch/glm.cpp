// GLM-4.5 / GLM-4.6 / GLM-4.7 (transformers models/glm4_moe, v4.57): Glm4Attention (GQA with an
// explicit head_dim, bias on q/k/v only when attention_bias, optional per-head q/k RMSNorm when
// use_qk_norm, partial RoPE over half the head by default), first_k_dense_replace dense layers, then
// a DeepSeek-V3-style MoE: a bare-Parameter router (Glm4MoeTopkRouter) with an fp32
// e_score_correction_bias buffer, routed experts and n_shared_experts shared ones. The checkpoint
// stores num_nextn_predict_layers MTP layers after the last decoder layer
// (_keys_to_ignore_on_load_unexpected = model.layers.{num_hidden_layers}). GLM-4.7-Flash
// (glm4_moe_lite) and GLM-5 (glm_moe_dsa) use MLA and live in deepseek.cpp.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// Glm4MoeConfig defaults: 8 KV heads, partial_rotary_factor 0.5, 128 routed experts (top 8) of
// width 1408, one shared expert, first_k_dense_replace 1.
void read_glm4_moe(FieldReader& r, ModelDescription& s) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 0, 8);
  s.intermediate_size = r.positive_or("intermediate_size", 10944, kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s, 0.5);
  s.attn_qkv_bias = r.bool_or("attention_bias", false);  // o_proj: bias=False
  if (r.bool_or("use_qk_norm", false)) s.qk_norm = QkNorm::PerHead;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
  MoeSpec m;
  m.routed_experts = r.positive_or("n_routed_experts", 128, kMaxExperts);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 8, kMaxExperts);
  m.expert_intermediate = r.positive_or("moe_intermediate_size", 1408, kMaxWidth);
  const bool shared_present = r.json().is_object() && r.json().contains("n_shared_experts");
  m.shared_experts = shared_present ? r.opt_uint("n_shared_experts", kMaxExperts).value_or(0) : 1;
  m.shared_intermediate = m.shared_experts * m.expert_intermediate;
  m.score_correction_bias = true;
  m.dense_first = r.opt_uint("first_k_dense_replace", kMaxLayers).value_or(1);
  for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].moe = i >= m.dense_first;
  s.moe = m;
  s.mtp_layers = r.opt_uint("num_nextn_predict_layers", 64).value_or(0);
}

}  // namespace

extern const ArchitectureFamily arch_glm;
const ArchitectureFamily arch_glm{
    {.model_type = "glm4_moe", .base_class = "Glm4MoeModel", .read = read_glm4_moe, .lora_targets = "", .gguf = {.arch = "glm4moe"},
     .router_is_linear = false},
};

}  // namespace vram
