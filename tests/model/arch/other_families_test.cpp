// arch/minimax.cpp, ernie.cpp, seed_oss.cpp, exaone.cpp, smollm.cpp, cohere.cpp: each family's
// module formulas from its transformers modeling file, written next to the check; EXAONE-4.0-1.2B's
// published count (shared/reference/next/README.md: 1,279,391,488) for the EXAONE-4 block.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using vram::test::inventory_of;
using vram::test::spec_of;

TEST_CASE("MiniMax-M2: full-width q/k norms, every layer MoE, routing bias buffer", "[arch][minimax_m2]") {
  // h 64, 4 heads × 32, 2 KV heads, rotary_dim 16, 2 layers, 4 experts of 16 (top 2).
  const auto inv = inventory_of(R"({"model_type":"minimax_m2","architectures":["MiniMaxM2ForCausalLM"],
    "vocab_size":100,"hidden_size":64,"intermediate_size":16,"num_hidden_layers":2,"num_attention_heads":4,
    "num_key_value_heads":2,"head_dim":32,"rotary_dim":16,"num_local_experts":4,"num_experts_per_tok":2,
    "use_qk_norm":true,"qk_norm_type":"per_layer","shared_intermediate_size":0})");
  const std::uint64_t attn = 64 * 128 + 2 * 64 * 64 + 128 * 64  // q, k, v, o (no bias)
                             + 128 + 64;                        // q_norm(4·32), k_norm(2·32)
  const std::uint64_t moe = 4 * 64 + 4 * 3 * 64 * 16;           // gate, experts w1/w3/w2
  CHECK(inv.total_params == 2 * 100 * 64 + 2 * (attn + moe + 2 * 64) + 64);
  CHECK(inv.buffer_bytes == 8 * 4 + 2 * 4 * 4);  // inv_freq (16 / 2), e_score_correction_bias
  CHECK(inv.checkpoint_params == inv.total_params + 2 * 4);
}

TEST_CASE("ERNIE-4.5: biases everywhere with use_bias; MoE statics are a parameter", "[arch][ernie4_5]") {
  // Dense 0.3B shape: Ernie4_5Config head_dim 128 by default.
  const auto dense = spec_of(R"({"model_type":"ernie4_5","architectures":["Ernie4_5ForCausalLM"],"vocab_size":100,
    "hidden_size":1024,"intermediate_size":3072,"num_hidden_layers":2,"num_attention_heads":16,"num_key_value_heads":2,
    "use_bias":false})");
  CHECK(dense.head_dim == 128);
  CHECK(dense.tie_word_embeddings);
  // MoE: h 64, 4 heads (head 16), 2 KV heads, use_bias, 4 layers, MoE from layer 1, 4 experts of 16
  // (top 2), 2 shared experts; lm_head has a bias, embeddings tied.
  const auto inv = inventory_of(R"({"model_type":"ernie4_5_moe","architectures":["Ernie4_5_MoeForCausalLM"],
    "vocab_size":100,"hidden_size":64,"intermediate_size":128,"num_hidden_layers":4,"num_attention_heads":4,
    "num_key_value_heads":2,"use_bias":true,"moe_num_experts":4,"moe_k":2,"moe_intermediate_size":16,
    "moe_num_shared_experts":2,"moe_layer_start_index":1,"moe_layer_end_index":-1,"moe_layer_interval":1})");
  const std::uint64_t attn = (64 * 64 + 64) + 2 * (64 * 32 + 32) + (64 * 64 + 64);
  const std::uint64_t dense_mlp = 2 * (64 * 128 + 128) + (128 * 64 + 64);
  const std::uint64_t expert = 2 * (64 * 16 + 16) + (16 * 64 + 64);
  const std::uint64_t shared = 2 * (64 * 32 + 32) + (32 * 64 + 64);
  const std::uint64_t moe = 4 * 64 /* gate */ + 4 /* moe_statics [1, E] */ + 4 * expert + shared;
  CHECK(inv.total_params == 100 * 64 + 4 * (attn + 2 * 64) + dense_mlp + 3 * moe + 64 + 100 /* lm_head.bias */);
}

TEST_CASE("Seed-OSS: q/k/v bias, o_proj without unless attention_out_bias", "[arch][seed_oss]") {
  const auto inv = inventory_of(R"({"model_type":"seed_oss","architectures":["SeedOssForCausalLM"],"vocab_size":100,
    "hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,
    "head_dim":32,"attention_bias":true,"attention_out_bias":false,"tie_word_embeddings":false})");
  const std::uint64_t attn = (64 * 128 + 128) + 2 * (64 * 64 + 64) + 128 * 64;
  CHECK(inv.total_params == 2 * 100 * 64 + 2 * (attn + 3 * 64 * 128 + 2 * 64) + 64);
}

TEST_CASE("EXAONE-4: post-norm blocks, per-head q/k norm, LLLG pattern, NoPE global layers", "[arch][exaone4][oracle]") {
  // Oracle: EXAONE-4.0-1.2B, 1,279,391,488 published (shared/reference/next/README.md). Its
  // dimensions: h 2048, 30 layers, 32 heads × 64, 8 KV heads, intermediate 4096, vocab 102400,
  // tied: per layer q/o 2048², k/v 2048·512, q_norm/k_norm 64 each, MLP 3·2048·4096, two norms.
  STATIC_REQUIRE(102400ull * 2048 + 30 * (2 * 2048ull * 2048 + 2 * 2048ull * 512 + 2 * 64 + 3 * 2048ull * 4096 + 2 * 2048) + 2048 ==
                 1'279'391'488ull);
  const auto inv = inventory_of(R"({"model_type":"exaone4","architectures":["Exaone4ForCausalLM"],"vocab_size":102400,
    "hidden_size":2048,"intermediate_size":4096,"num_hidden_layers":30,"num_attention_heads":32,"num_key_value_heads":8,
    "head_dim":64,"tie_word_embeddings":true,"sliding_window":null})");
  CHECK(inv.total_params == 1'279'391'488);
  const auto spec = spec_of(R"({"model_type":"exaone4","architectures":["Exaone4ForCausalLM"],"vocab_size":100,
    "hidden_size":64,"intermediate_size":128,"num_hidden_layers":8,"num_attention_heads":4,"num_key_value_heads":2,
    "sliding_window":4096,"sliding_window_pattern":"LLLG"})");
  CHECK(spec.layers[0].attention == vram::AttentionKind::Sliding);
  CHECK(spec.layers[0].window == 4096);
  CHECK(spec.layers[3].attention == vram::AttentionKind::Full);
  CHECK_FALSE(spec.layers[3].rope);
  CHECK(spec.layers[4].rope);
}

TEST_CASE("SmolLM3: NoPE every 4th layer, tied embeddings", "[arch][smollm3]") {
  const auto spec = spec_of(R"({"model_type":"smollm3","architectures":["SmolLM3ForCausalLM"],"vocab_size":100,
    "hidden_size":64,"intermediate_size":128,"num_hidden_layers":8,"num_attention_heads":4,"num_key_value_heads":2})");
  CHECK(spec.layers[0].rope);
  CHECK_FALSE(spec.layers[3].rope);
  CHECK_FALSE(spec.layers[7].rope);
  CHECK(spec.tie_word_embeddings);
  const auto listed = spec_of(R"({"model_type":"smollm3","vocab_size":100,"hidden_size":64,"intermediate_size":128,
    "num_hidden_layers":4,"num_attention_heads":4,"num_key_value_heads":2,"no_rope_layers":[1,0,1,1]})");
  CHECK_FALSE(listed.layers[1].rope);
  CHECK(listed.layers[3].rope);
}

TEST_CASE("Command R7B (cohere2): parallel block, bias-free LayerNorm, 3 sliding : 1 global", "[arch][cohere2]") {
  const std::string cfg = R"({"model_type":"cohere2","architectures":["Cohere2ForCausalLM"],"vocab_size":100,
    "hidden_size":64,"intermediate_size":128,"num_hidden_layers":4,"num_attention_heads":4,"num_key_value_heads":2,
    "sliding_window":4096,"sliding_window_pattern":4})";
  const auto inv = inventory_of(cfg);
  // One input_layernorm (weight only) per layer, q/k/v/o (head 16), gated MLP, final norm, tied head.
  const std::uint64_t layer = 64 + (64 * 64 + 2 * 64 * 32 + 64 * 64) + 3 * 64 * 128;
  CHECK(inv.total_params == 100 * 64 + 4 * layer + 64);
  const auto spec = spec_of(cfg);
  CHECK(spec.layers[2].attention == vram::AttentionKind::Sliding);
  CHECK(spec.layers[3].attention == vram::AttentionKind::Full);
  CHECK_FALSE(spec.layers[3].rope);
}
