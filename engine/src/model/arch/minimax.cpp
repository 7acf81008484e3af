// MiniMax-M2 / M2.5 / M2.7 (transformers models/minimax_m2): every layer a sparse MoE block
// (block_sparse_moe: router `gate` [E, h], an fp32 e_score_correction_bias buffer on the block,
// experts w1/w3/w2 of width intermediate_size, no shared expert); attention with full-width q/k
// RMSNorms (MiniMaxM2Attention ← FlexOlmoAttention: q_norm over heads·head_dim, k_norm over
// kv_heads·head_dim), no biases, RoPE over rotary_dim of the head. The config's MTP fields
// (use_mtp, num_mtp_modules) describe modules the released safetensors do not hold.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// MiniMaxM2Config defaults: 8 KV heads, head_dim 128, expert width 1536, 256 experts (top 8).
void read_minimax_m2(FieldReader& r, ModelDescription& s) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 128, 8);
  s.intermediate_size = r.positive_or("intermediate_size", 1536, kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  if (r.has("rotary_dim")) {
    s.rotary_dim = r.positive("rotary_dim", kMaxHidden);
    s.rope_theta_count = 1;
  } else {
    read_rotary(r, s);
  }
  s.qk_norm = QkNorm::FullWidth;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
  MoeSpec m;
  const std::string_view experts_key = r.first_present({"num_local_experts", "num_experts"});
  m.routed_experts = experts_key.empty() ? 256 : r.positive(experts_key, kMaxExperts);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 8, kMaxExperts);
  m.expert_intermediate = s.intermediate_size;
  m.shared_intermediate = r.opt_uint("shared_intermediate_size", kMaxWidth).value_or(0);
  m.shared_experts = m.shared_intermediate > 0 ? 1 : 0;
  m.score_correction_bias = true;
  m.score_bias_in_block = true;
  for (auto& l : s.layers) l.moe = true;
  s.moe = m;
}

ModuleNames minimax_names() {
  ModuleNames n;
  n.moe = "block_sparse_moe.";
  n.expert_gate = "w1";
  n.expert_up = "w3";
  n.expert_down = "w2";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_minimax;
const ArchitectureFamily arch_minimax{
    {.model_type = "minimax_m2", .base_class = "MiniMaxM2Model", .read = read_minimax_m2, .names = minimax_names(), .lora_targets = "",
     .gguf = {.arch = "minimax-m2"}},
};

}  // namespace vram
