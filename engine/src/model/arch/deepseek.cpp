// DeepSeek-V2 and DeepSeek-V3 (transformers models/deepseek_v2, deepseek_v3, v4.57): multi-head
// latent attention (optional low-rank query, joint low-rank KV with a decoupled RoPE key), routed +
// shared experts after first_k_dense_replace dense layers (transformers never reads moe_layer_freq),
// a bare-Parameter router; V3 with an fp32 e_score_correction_bias and a multi-token-prediction
// layer stored in the checkpoint but not built. Kimi-K2 declares model_type kimi_k2 with the
// DeepseekV3ForCausalLM layout.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_deepseek(FieldReader& r, ModelDescription& s, bool v3) {
  read_dims(r, s);
  s.num_kv_heads = r.positive_or("num_key_value_heads", s.num_heads, kMaxHeads);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  MlaSpec mla;
  // q_lora_rank: absent → 1536 (config default), null → no query compression.
  const bool q_lora_present = r.json().is_object() && r.json().contains("q_lora_rank");
  mla.q_lora_rank = q_lora_present ? r.opt_uint("q_lora_rank", kMaxHidden).value_or(0) : 1536;
  mla.kv_lora_rank = r.positive("kv_lora_rank", kMaxHidden);
  mla.qk_nope_head_dim = r.positive("qk_nope_head_dim", kMaxHidden);
  mla.qk_rope_head_dim = r.positive("qk_rope_head_dim", kMaxHidden);
  mla.v_head_dim = r.positive("v_head_dim", kMaxHidden);
  s.mla = mla;
  s.head_dim = mla.qk_nope_head_dim + mla.qk_rope_head_dim;
  s.rotary_dim = mla.qk_rope_head_dim;
  s.rope_theta_count = 1;
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
  MoeSpec m;
  m.routed_experts = r.opt_uint("n_routed_experts", kMaxExperts).value_or(0);
  if (m.routed_experts > 0) {
    m.experts_per_token = r.positive("num_experts_per_tok", kMaxExperts);
    m.expert_intermediate = r.positive("moe_intermediate_size", kMaxWidth);
    const bool shared_present = r.json().is_object() && r.json().contains("n_shared_experts");
    m.shared_experts = shared_present ? r.opt_uint("n_shared_experts", kMaxExperts).value_or(0) : (v3 ? 1 : 2);
    // DeepseekV2/V3MoE: one MLP of n_shared_experts × moe_intermediate_size; the product is a width
    // like any other (≤ 2^32), so a hostile count is refused here, by its own key.
    m.shared_intermediate = m.shared_experts * m.expert_intermediate;  // ≤ 2^16 × 2^32: no wrap
    if (m.shared_intermediate > kMaxWidth) {
      // Blamed on the factor nearer its own limit: 2 × 2^32 on the width, 65536 × 2^20 on the count.
      const char* key = m.shared_experts * kMaxWidth >= m.expert_intermediate * kMaxExperts ? "n_shared_experts" : "moe_intermediate_size";
      r.fail(ErrorCode::Overflow, key, {Msg::error_inventory_overflow, {r.key_arg(key)}});
    }
    m.dense_first = r.opt_uint("first_k_dense_replace", kMaxLayers).value_or(v3 ? 3 : 0);
    m.score_correction_bias = v3;
    for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].moe = i >= m.dense_first;
    s.moe = m;
  }
  s.mtp_layers = r.opt_uint("num_nextn_predict_layers", 64).value_or(0);
}

void read_deepseek_v2(FieldReader& r, ModelDescription& s) { read_deepseek(r, s, false); }
void read_deepseek_v3(FieldReader& r, ModelDescription& s) { read_deepseek(r, s, true); }

}  // namespace

extern const ArchitectureFamily arch_deepseek;
const ArchitectureFamily arch_deepseek{
    {.model_type = "deepseek_v2", .base_class = "DeepseekV2Model", .read = read_deepseek_v2, .gguf = {.arch = "deepseek2"},
     .router_is_linear = false},
    {.model_type = "deepseek_v3", .aliases = {"kimi_k2"}, .base_class = "DeepseekV3Model", .read = read_deepseek_v3,
     .gguf = {.arch = "deepseek2"}, .router_is_linear = false},
};

}  // namespace vram
