// arch/glm.cpp: GLM-4.5/4.6/4.7 (glm4_moe). Oracle: the module formulas of transformers
// modeling_glm4_moe.py (Glm4MoeAttention, Glm4MoeTopkRouter, Glm4MoeMoE), written next to the check.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using vram::test::inventory_of;
using vram::test::spec_of;

TEST_CASE("GLM-4.5: qkv bias, partial RoPE, dense-first layers, shared expert, MTP", "[arch][glm4_moe]") {
  // h 64, 4 heads × head_dim 32 (explicit, wider than h / heads), 2 KV heads, qkv bias, q/k norm,
  // 3 layers (first dense, width 128), 4 experts of 16 (top 2) + 1 shared, one MTP layer.
  const std::string cfg = R"({"model_type":"glm4_moe","architectures":["Glm4MoeForCausalLM"],"vocab_size":100,
    "hidden_size":64,"intermediate_size":128,"num_hidden_layers":3,"num_attention_heads":4,"num_key_value_heads":2,
    "head_dim":32,"partial_rotary_factor":0.5,"attention_bias":true,"use_qk_norm":true,"moe_intermediate_size":16,
    "n_routed_experts":4,"n_shared_experts":1,"num_experts_per_tok":2,"first_k_dense_replace":1,
    "num_nextn_predict_layers":1})";
  const auto inv = inventory_of(cfg);
  const std::uint64_t attn = (64 * 128 + 128) + 2 * (64 * 64 + 64)  // q_proj, k_proj, v_proj with bias
                             + 128 * 64                            // o_proj, no bias
                             + 2 * 32;                             // q_norm, k_norm (RMSNorm(head_dim))
  const std::uint64_t dense = 3 * 64 * 128;
  const std::uint64_t moe = 4 * 64 + 4 * 3 * 64 * 16 + 3 * 64 * 16;  // router, experts, shared expert
  CHECK(inv.total_params == 2 * 100 * 64 + 3 * (attn + 2 * 64) + dense + 2 * moe + 64);
  // Buffers: inv_freq over rotary_dim = 32 × 0.5 = 16 (8 floats), e_score_correction_bias (4 fp32) per MoE layer.
  CHECK(inv.buffer_bytes == 8 * 4 + 2 * 4 * 4);
  CHECK(inv.mtp_params == attn + 2 * 64 + moe + 3 * 64 + 2 * 64 * 64);
  // The checkpoint also stores the two MoE layers' and the MTP layer's e_score_correction_bias.
  CHECK(inv.checkpoint_params == inv.total_params + inv.mtp_params + 3 * 4);
  const auto spec = spec_of(cfg);
  CHECK(spec.rotary_dim == 16);
  CHECK_FALSE(spec.layers[0].moe);
  CHECK(spec.layers[2].moe);
}
