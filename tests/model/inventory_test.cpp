// inventory.cpp: parameter groups for each block style, with worked formulas from the modeling
// files of transformers 4.57 (the oracle for each case is the formula written next to it).
#include <catch2/catch.hpp>

#include "test_support.hpp"

using vram::test::inventory_of;

namespace {

std::uint64_t role_total(const vram::Inventory& inv, vram::Role role) {
  std::uint64_t n = 0;
  for (const auto& g : inv.groups)
    if (g.role == role && g.in_full && !g.is_buffer()) n += inv.group_total(g);
  return n;
}

}  // namespace

TEST_CASE("Llama block with GQA: q/k/v/o, gated MLP, two RMSNorms", "[inventory][llama]") {
  // h=64, heads 4 (d=16), kv 2, i=128, V=1000, L=2, untied.
  const auto inv = inventory_of(R"({"model_type":"llama","architectures":["LlamaForCausalLM"],"vocab_size":1000,
    "hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2})");
  const std::uint64_t attn = 64 * 64 + 2 * (64 * 32) + 64 * 64;  // q, k, v (2 kv heads × 16), o
  const std::uint64_t mlp = 3 * 64 * 128;
  CHECK(role_total(inv, vram::Role::AttentionProjection) == 2 * attn);
  CHECK(role_total(inv, vram::Role::MlpProjection) == 2 * mlp);
  CHECK(role_total(inv, vram::Role::Norm) == 2 * 2 * 64 + 64);
  CHECK(inv.total_params == 2 * 1000 * 64 + 2 * (attn + mlp + 2 * 64) + 64);
  CHECK(inv.buffer_bytes == 8 * 4);                 // inv_freq: 16/2 floats
  CHECK(inv.hf.params == inv.total_params - 64000);  // AutoModel has no lm_head
}

TEST_CASE("Qwen3-MoE: per-head q/k norms, routed experts, top-k active", "[inventory][qwen3_moe]") {
  // h=32, heads 4, kv 2, head_dim 8 (explicit), E=8 experts of width 16, top-2, L=2, tied.
  const auto inv = inventory_of(R"({"model_type":"qwen3_moe","architectures":["Qwen3MoeForCausalLM"],"vocab_size":100,
    "hidden_size":32,"intermediate_size":64,"moe_intermediate_size":16,"num_experts":8,"num_experts_per_tok":2,
    "num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2,"head_dim":8,"tie_word_embeddings":true})");
  const std::uint64_t attn = 32 * 32 + 2 * 32 * 16 + 32 * 32 + 2 * 8;  // q,k,v,o + q_norm,k_norm(head_dim)
  const std::uint64_t experts = 8 * 3 * 32 * 16;
  const std::uint64_t router = 8 * 32;
  CHECK(inv.total_params == 100 * 32 + 2 * (attn + experts + router + 2 * 32) + 32);
  CHECK(inv.active_params == inv.total_params - 2 * 6 * 3 * 32 * 16);  // 6 of 8 experts idle per layer
}

TEST_CASE("OLMo-2: post-norms only and full-width q/k norms", "[inventory][olmo2]") {
  const auto inv = inventory_of(R"({"model_type":"olmo2","architectures":["Olmo2ForCausalLM"],"vocab_size":100,
    "hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":2})");
  // q_norm RMSNorm(4·8), k_norm RMSNorm(2·8); post_attention + post_feedforward norms; final norm.
  CHECK(role_total(inv, vram::Role::Norm) == 32 + 16 + 2 * 32 + 32);
  CHECK(inv.total_params == 2 * 100 * 32 + (32 * 32 + 2 * 32 * 16 + 32 * 32) + 3 * 32 * 64 + (32 + 16 + 64) + 32);
}

TEST_CASE("OLMo-3: OLMo-2 shapes with 3:1 sliding/full layers", "[inventory][olmo3]") {
  const auto spec = vram::test::spec_of(R"({"model_type":"olmo3","vocab_size":100,"hidden_size":32,"intermediate_size":64,
    "num_hidden_layers":8,"num_attention_heads":4,"sliding_window":4096})");
  CHECK(spec.layers[0].attention == vram::AttentionKind::Sliding);
  CHECK(spec.layers[3].attention == vram::AttentionKind::Full);
  CHECK(spec.layers[7].attention == vram::AttentionKind::Full);
  CHECK(spec.qk_norm == vram::QkNorm::FullWidth);
}

TEST_CASE("DeepSeek-V3: MLA with q_lora_rank, shared experts, dense first layers", "[inventory][deepseek_v3]") {
  // h=64, 4 heads, q_lora 16, kv_lora 8, nope 8, rope 4, v 8, E=4 (top 2) of width 16, 1 shared,
  // first_k_dense_replace 1, L=3, dense intermediate 128.
  const auto inv = inventory_of(R"({"model_type":"deepseek_v3","architectures":["DeepseekV3ForCausalLM"],
    "vocab_size":100,"hidden_size":64,"intermediate_size":128,"moe_intermediate_size":16,"n_routed_experts":4,
    "n_shared_experts":1,"num_experts_per_tok":2,"first_k_dense_replace":1,"moe_layer_freq":1,"num_hidden_layers":3,
    "num_attention_heads":4,"num_key_value_heads":4,"q_lora_rank":16,"kv_lora_rank":8,"qk_nope_head_dim":8,
    "qk_rope_head_dim":4,"v_head_dim":8,"num_nextn_predict_layers":1})");
  const std::uint64_t attn = 64 * 16 + 16 + 16 * 4 * 12  // q_a_proj, q_a_layernorm, q_b_proj
                             + 64 * (8 + 4) + 8           // kv_a_proj_with_mqa, kv_a_layernorm
                             + 8 * 4 * (8 + 8)            // kv_b_proj
                             + 4 * 8 * 64;                // o_proj
  const std::uint64_t dense = 3 * 64 * 128;
  const std::uint64_t moe = 4 * 3 * 64 * 16 + 3 * 64 * 16 + 4 * 64;  // experts + shared + gate
  CHECK(inv.total_params == 2 * 100 * 64 + 3 * (attn + 2 * 64) + dense + 2 * moe + 64);
  // Buffers: rotary inv_freq (4/2 floats) + e_score_correction_bias (4 fp32) in each MoE layer.
  CHECK(inv.buffer_bytes == 2 * 4 + 2 * 4 * 4);
  CHECK(inv.mtp_params == attn + 2 * 64 + moe + 3 * 64 + 2 * 64 * 64);
}

TEST_CASE("OPT-350m style projection: project_in/out and no final norm", "[inventory][opt]") {
  // peft docs: opt-350m all params 332,769,280 with 1,572,864 LoRA params → base 331,196,416
  // (shared/research/oracles.md §1). facebook/opt-350m config dimensions.
  const auto inv = inventory_of(R"({"model_type":"opt","architectures":["OPTForCausalLM"],"vocab_size":50272,
    "hidden_size":1024,"ffn_dim":4096,"num_hidden_layers":24,"num_attention_heads":16,"max_position_embeddings":2048,
    "word_embed_proj_dim":512,"do_layer_norm_before":false,"enable_bias":true})");
  CHECK(inv.total_params == 331196416);
}

TEST_CASE("BERT heads: masked LM vs base with pooler vs sequence classification", "[inventory][bert]") {
  const std::string dims = R"("vocab_size":30522,"hidden_size":768,"intermediate_size":3072,"num_hidden_layers":12,
    "num_attention_heads":12,"max_position_embeddings":512,"type_vocab_size":2)";
  const auto base = inventory_of(R"({"model_type":"bert","architectures":["BertModel"],)" + dims + "}");
  const auto cls = inventory_of(R"({"model_type":"bert","architectures":["BertForSequenceClassification"],)" + dims + "}");
  // BertModel with pooler: 109,482,240 (shared/reference/params.json, hf_calculator_view of bert-base-uncased).
  CHECK(base.total_params == 109482240);
  CHECK(cls.total_params == 109482240 + 768 * 2 + 2);  // classifier h → 2 labels
}

TEST_CASE("T5 v1.1: gated FF and an untied lm_head", "[inventory][t5]") {
  const auto inv = inventory_of(R"({"model_type":"t5","architectures":["T5ForConditionalGeneration"],"vocab_size":100,
    "d_model":16,"d_kv":4,"d_ff":32,"num_layers":2,"num_decoder_layers":1,"num_heads":2,"feed_forward_proj":"gated-gelu",
    "tie_word_embeddings":false})");
  const std::uint64_t attn = 4 * 16 * 8;
  const std::uint64_t ff = 3 * 16 * 32;
  const std::uint64_t enc = 2 * (attn + 16 + ff + 16) + 32 * 2 + 16;
  const std::uint64_t dec = (2 * attn + 3 * 16 + ff) + 32 * 2 + 16;
  CHECK(inv.total_params == 100 * 16 + enc + dec + 100 * 16);
  CHECK(inv.hf.params == inv.total_params - 100 * 16);
}

TEST_CASE("mixture-of-experts active parameters (Mixtral-8x7B)", "[inventory][mixtral]") {
  // Mistral AI: "12.9B active parameters per token" for 46.7B total (model card, rounded).
  const auto inv = vram::test::catalog_inventory("mistralai--Mixtral-8x7B-v0.1.json");
  CHECK(inv.total_params == 46702792704);
  CHECK(inv.active_params == 12879925248);  // 46,702,792,704 − 32 layers × 6 idle experts × 3·4096·14336
}
