// arch/deepseek.cpp: the MLA family — DeepSeek-V3.2 and GLM-5 with the DSA lightning indexer,
// GLM-4.7-Flash (glm4_moe_lite), Kimi-K2 as DeepSeek-V3. Oracles: the published checkpoint total of
// GLM-5.1 (shared/reference/next/README.md: 753,864,139,008 stored elements incl. the MTP layer)
// and the module formulas of transformers' modeling_deepseek_v32 / glm_moe_dsa / glm4_moe_lite,
// written next to each check.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "vram/model/architecture.hpp"

using vram::test::inventory_of;
using vram::test::spec_of;

namespace {

// GLM-5.1 dimensions (zai-org/GLM-5.1 config.json): h 6144, 78 layers (3 dense), 64 heads,
// q_lora 2048, kv_lora 512, nope 192, rope 64, v 256, 256 experts of 2048 + 1 shared, dense 12288,
// indexer 32 heads × 128, vocab 154880, one MTP layer.
constexpr std::uint64_t h = 6144, V = 154880, L = 78, nh = 64, ql = 2048, kl = 512, nope = 192, rope = 64, vd = 256;
constexpr std::uint64_t attn = ql * h + ql + nh * (nope + rope) * ql  // q_a_proj, q_a_layernorm, q_b_proj
                               + (kl + rope) * h + kl                 // kv_a_proj_with_mqa, kv_a_layernorm
                               + nh * (nope + vd) * kl                // kv_b_proj
                               + h * nh * vd;                         // o_proj
constexpr std::uint64_t indexer = 32 * 128 * ql + 128 * h + 2 * 128 + 32 * h;  // wq_b, wk, k_norm (w + b), weights_proj
constexpr std::uint64_t dense_mlp = 3 * h * 12288;
constexpr std::uint64_t moe = 256 * h + 256 * 3 * h * 2048 + 3 * h * 2048;  // router, experts, shared expert
constexpr std::uint64_t layer_common = attn + indexer + 2 * h;                // + input/post-attention norms
constexpr std::uint64_t built = 2 * V * h + h + L * layer_common + 3 * dense_mlp + 75 * moe;
constexpr std::uint64_t mtp = layer_common + moe + 256 /* e_score_correction_bias */ + 3 * h + 2 * h * h;

}  // namespace

TEST_CASE("GLM-5.1: DSA indexer on every layer, checkpoint total incl. the MTP layer", "[arch][glm_moe_dsa][oracle]") {
  STATIC_REQUIRE(built == 743'911'199'232);
  // Oracle: shared/reference/next/README.md, GLM-5.1 checkpoint total 753,864,139,008 = what
  // transformers builds + 75 stored e_score_correction_bias buffers (fp32, 256 each) + layer 78.
  STATIC_REQUIRE(built + 75 * 256 + mtp == 753'864'139'008);
  const auto inv = vram::test::catalog_inventory("zai-org--GLM-5.1.json");
  CHECK(inv.total_params == built);
  CHECK(inv.mtp_params == mtp - 256);  // parameters only; its bias buffer is in checkpoint_params
  CHECK(inv.checkpoint_params == 753'864'139'008);
}

TEST_CASE("GLM-5 indexer_types: shared layers reuse a previous indexer and hold none", "[arch][glm_moe_dsa]") {
  // 4 layers, the first dense; indexer_types full, shared, full, shared. h 64, 4 heads, q_lora 32,
  // kv_lora 16, nope 8, rope 4, v 8; indexer 2 heads × 16.
  const std::string base = R"({"model_type":"glm_moe_dsa","architectures":["GlmMoeDsaForCausalLM"],"vocab_size":100,
    "hidden_size":64,"intermediate_size":128,"moe_intermediate_size":16,"n_routed_experts":4,"n_shared_experts":1,
    "num_experts_per_tok":2,"first_k_dense_replace":1,"num_hidden_layers":4,"num_attention_heads":4,
    "num_key_value_heads":4,"q_lora_rank":32,"kv_lora_rank":16,"qk_nope_head_dim":8,"qk_rope_head_dim":4,
    "v_head_dim":8,"index_n_heads":2,"index_head_dim":16,"num_nextn_predict_layers":0)";
  const auto all = inventory_of(base + "}");
  const auto shared = inventory_of(base + R"(,"indexer_types":["full","shared","full","shared"]})");
  const std::uint64_t one_indexer = 2 * 16 * 32 + 16 * 64 + 2 * 16 + 2 * 64;  // wq_b, wk, k_norm, weights_proj
  CHECK(all.total_params - shared.total_params == 2 * one_indexer);
  const auto spec = spec_of(base + R"(,"index_topk_pattern":"FSSF"})");
  CHECK(spec.layers[0].indexer);
  CHECK_FALSE(spec.layers[1].indexer);
  CHECK(spec.layers[3].indexer);
  // Default schedule (index_topk_freq 1): every layer has an indexer.
  CHECK(spec_of(base + "}").layers[2].indexer);
}

TEST_CASE("DeepSeek-V3.2: V3 plus an indexer per layer (64 × 128 by default)", "[arch][deepseek_v32]") {
  const std::string dims = R"("vocab_size":100,"hidden_size":64,"intermediate_size":128,"moe_intermediate_size":16,
    "n_routed_experts":4,"n_shared_experts":1,"num_experts_per_tok":2,"first_k_dense_replace":1,"num_hidden_layers":3,
    "num_attention_heads":4,"num_key_value_heads":4,"q_lora_rank":16,"kv_lora_rank":8,"qk_nope_head_dim":8,
    "qk_rope_head_dim":4,"v_head_dim":8)";
  const auto v3 = inventory_of(R"({"model_type":"deepseek_v3","architectures":["DeepseekV3ForCausalLM"],)" + dims + "}");
  const auto v32 = inventory_of(R"({"model_type":"deepseek_v32","architectures":["DeepseekV32ForCausalLM"],)" + dims + "}");
  // DeepseekV32Config defaults index_n_heads 64, index_head_dim 128: wq_b 64·128 × 16, wk 128 × 64,
  // k_norm 2 × 128, weights_proj 64 × 64 — in each of the 3 layers.
  CHECK(v32.total_params - v3.total_params == 3 * (64 * 128 * 16 + 128 * 64 + 2 * 128 + 64 * 64));
  CHECK(v32.buffer_bytes == v3.buffer_bytes);
}

TEST_CASE("GLM-4.7-Flash (glm4_moe_lite): MLA heads that do not divide hidden_size", "[arch][glm4_moe_lite]") {
  // The generic path refused this shape ("num_attention_heads must divide hidden size"): 20 heads,
  // h 2048. Glm4MoeLiteConfig: mlp_layer_types default one dense layer then sparse.
  const auto spec = spec_of(R"({"model_type":"glm4_moe_lite","architectures":["Glm4MoeLiteForCausalLM"],
    "vocab_size":1000,"hidden_size":2048,"intermediate_size":256,"moe_intermediate_size":32,"n_routed_experts":4,
    "n_shared_experts":1,"num_experts_per_tok":2,"num_hidden_layers":3,"num_attention_heads":20,
    "num_key_value_heads":20,"q_lora_rank":768,"kv_lora_rank":512,"qk_nope_head_dim":192,"qk_rope_head_dim":64,
    "v_head_dim":256,"mlp_layer_types":["dense","sparse","sparse"]})");
  REQUIRE(spec.mla);
  CHECK_FALSE(spec.generic);
  CHECK_FALSE(spec.layers[0].moe);
  CHECK(spec.layers[1].moe);
  CHECK(spec.mla->q_lora_rank == 768);
  CHECK_FALSE(spec.dsa_indexer);
}

TEST_CASE("Kimi-K2 is the DeepSeek-V3 layout", "[arch][kimi_k2]") {
  const auto* k2 = vram::find_architecture("kimi_k2");
  REQUIRE(k2);
  CHECK(k2 == vram::find_architecture("deepseek_v3"));
}
