// arch/qwen3_next.cpp: the gated-DeltaNet hybrids — Qwen3.5 (dense, vision tower, MTP) and
// Qwen3-Next / Qwen3.5-MoE (Qwen2-MoE-style sparse blocks). Oracles: the published checkpoint total
// of Qwen3.5-27B (shared/reference/next/README.md: 27,781,427,952 stored elements incl. the vision
// tower and the MTP layer) and the module formulas of transformers' modeling_qwen3_next /
// modeling_qwen3_5, written next to each check.
#include <catch2/catch.hpp>

#include "test_support.hpp"

using vram::test::inventory_of;
using vram::test::spec_of;

namespace {

// Qwen3.5-27B text: h 5120, 64 layers (every 4th full attention), 24 heads × 256 (4 KV), MLP 17408,
// DeltaNet 16 key heads × 128, 48 value heads × 128, conv 4; vocab 248320, untied head.
constexpr std::uint64_t h = 5120, V = 248320, I = 17408;
constexpr std::uint64_t full_attn = 2 * 24 * 256 * h  // q_proj: query + output gate
                                    + 2 * 4 * 256 * h  // k_proj, v_proj
                                    + h * 24 * 256     // o_proj
                                    + 2 * 256;         // q_norm, k_norm (per head)
constexpr std::uint64_t kd = 16 * 128, vd = 48 * 128, conv = 2 * kd + vd;
constexpr std::uint64_t delta_net = conv * h + vd * h + 2 * 48 * h  // in_proj_qkv, in_proj_z, in_proj_b, in_proj_a
                                    + conv * 4                       // conv1d [conv_dim, 1, 4], no bias
                                    + 2 * 48 + 128                   // dt_bias, A_log, RMSNormGated(head_v_dim)
                                    + h * vd;                        // out_proj
constexpr std::uint64_t mlp = 3 * h * I, norms = 2 * h;
constexpr std::uint64_t text = 2 * V * h + h + 16 * (full_attn + mlp + norms) + 48 * (delta_net + mlp + norms);
// Vision tower: 27 blocks of 1152 (MLP 4304), Conv3d 3 × 2 × 16 × 16 patches, 2304 positions, merger
// of 2 × 2 patches into 5120.
constexpr std::uint64_t hv = 1152, iv = 4304, merged = hv * 4;
constexpr std::uint64_t vit_block = 4 * hv + (3 * hv * hv + 3 * hv) + (hv * hv + hv) + (iv * hv + iv) + (hv * iv + hv);
constexpr std::uint64_t vision = (3 * 2 * 16 * 16 * hv + hv) + 2304 * hv + 27 * vit_block  //
                                 + 2 * hv + (merged * merged + merged) + (h * merged + h);
// The MTP module: one full-attention layer + pre_fc_norm_embedding, pre_fc_norm_hidden, norm, fc (2h → h).
constexpr std::uint64_t mtp = full_attn + mlp + norms + 3 * h + 2 * h * h;

}  // namespace

TEST_CASE("Qwen3.5-27B: DeltaNet + gated attention, vision tower and MTP equal the checkpoint total", "[arch][qwen3_5][oracle]") {
  STATIC_REQUIRE(text + vision + mtp == 27'781'427'952);  // shared/reference/next/README.md
  const auto inv = vram::test::catalog_inventory("Qwen--Qwen3.5-27B.json");
  CHECK(inv.total_params == text + vision);
  CHECK(inv.mtp_params == mtp);
  CHECK(inv.checkpoint_params == 27'781'427'952);
  const auto spec = spec_of(vram::test::read_repo_file("engine/catalog/models/Qwen--Qwen3.5-27B.json"));
  std::uint64_t full = 0;
  for (const auto& l : spec.layers) full += l.kind == vram::LayerKind::Attention ? 1 : 0;
  CHECK(full == 16);
  CHECK(spec.layers[3].kind == vram::LayerKind::Attention);
  CHECK(spec.layers[0].kind == vram::LayerKind::LinearAttention);
}

namespace {

// A small Qwen3-Next: h 64, 4 layers, 4 heads × 16 (2 KV), 8 experts of 32 (top 2) + a shared expert
// of 48, DeltaNet 2 key heads × 8, 4 value heads × 8, conv 4, vocab 100.
const std::string kTinyNext = R"({"model_type":"qwen3_next","architectures":["Qwen3NextForCausalLM"],"vocab_size":100,
  "hidden_size":64,"intermediate_size":96,"num_hidden_layers":4,"num_attention_heads":4,"num_key_value_heads":2,
  "head_dim":16,"num_experts":8,"num_experts_per_tok":2,"moe_intermediate_size":32,"shared_expert_intermediate_size":48,
  "linear_num_key_heads":2,"linear_num_value_heads":4,"linear_key_head_dim":8,"linear_value_head_dim":8,
  "linear_conv_kernel_dim":4,"full_attention_interval":2,"mtp_num_hidden_layers":0)";

}  // namespace

TEST_CASE("Qwen3-Next: interval layers, fused DeltaNet projections, gated shared expert", "[arch][qwen3_next]") {
  const auto inv = inventory_of(kTinyNext + "}");
  constexpr std::uint64_t H = 64;
  constexpr std::uint64_t attn = 2 * 4 * 16 * H + 2 * 2 * 16 * H + H * 64 + 2 * 16;
  constexpr std::uint64_t kd2 = 16, vd2 = 32, conv2 = 2 * kd2 + vd2;
  // Qwen3NextGatedDeltaNet: in_proj_qkvz (2·key + 2·value), in_proj_ba (2 × value heads), conv1d,
  // dt_bias, A_log, norm, out_proj.
  constexpr std::uint64_t dn = (2 * kd2 + 2 * vd2) * H + 2 * 4 * H + conv2 * 4 + 2 * 4 + 8 + H * vd2;
  // Qwen3NextSparseMoeBlock: gate, 8 experts, shared expert (gate/up/down 48), shared_expert_gate (1 × h).
  constexpr std::uint64_t moe = 8 * H + 8 * 3 * H * 32 + 3 * H * 48 + H;
  CHECK(inv.total_params == 2 * 100 * H + H + 2 * (attn + moe + 2 * H) + 2 * (dn + moe + 2 * H));
  // Active: 2 of 8 experts.
  CHECK(inv.total_params - inv.active_params == 4 * 6 * 3 * H * 32);
  const auto spec = spec_of(kTinyNext + "}");
  CHECK(spec.layers[0].kind == vram::LayerKind::LinearAttention);
  CHECK(spec.layers[1].kind == vram::LayerKind::Attention);
  // The MTP layer (default 1 when the config does not say): an attention + MoE layer + 3 norms + fc.
  const auto with_mtp = inventory_of(R"({"model_type":"qwen3_next","vocab_size":100,"hidden_size":64,"intermediate_size":96,
    "num_hidden_layers":4,"num_attention_heads":4,"num_key_value_heads":2,"head_dim":16,"num_experts":8,
    "num_experts_per_tok":2,"moe_intermediate_size":32,"shared_expert_intermediate_size":48,"linear_num_key_heads":2,
    "linear_num_value_heads":4,"linear_key_head_dim":8,"linear_value_head_dim":8,"full_attention_interval":2})");
  CHECK(with_mtp.mtp_params == attn + moe + 2 * H + 3 * H + 2 * H * H);
}

TEST_CASE("Qwen3-Next: layer_types must name linear or full attention", "[arch][qwen3_next][errors]") {
  auto r = vram::parse_config(kTinyNext + R"(,"layer_types":["linear_attention","full_attention","conv","full_attention"]})");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().field == "layer_types");
}

TEST_CASE("Qwen3-Next-80B-A3B: built and checkpoint totals", "[arch][qwen3_next][oracle]") {
  // Oracles: transformers' Qwen3NextForCausalLM = llama.cpp n_params 79,674,391,296 (a Qwen3-Coder-Next
  // GGUF of the same dimensions, which ships no MTP tensors); the Hub safetensors total of
  // Qwen/Qwen3-Next-80B-A3B-Instruct 81,324,862,720 (incl. mtp.*), both quoted in public tables.
  const auto inv = inventory_of(R"({"model_type":"qwen3_next","architectures":["Qwen3NextForCausalLM"],"vocab_size":151936,
    "hidden_size":2048,"intermediate_size":5120,"num_hidden_layers":48,"num_attention_heads":16,"num_key_value_heads":2,
    "head_dim":256,"num_experts":512,"num_experts_per_tok":10,"moe_intermediate_size":512,
    "shared_expert_intermediate_size":512,"linear_num_key_heads":16,"linear_num_value_heads":32,"linear_key_head_dim":128,
    "linear_value_head_dim":128,"linear_conv_kernel_dim":4,"full_attention_interval":4,"torch_dtype":"bfloat16"})");
  CHECK(inv.total_params == 79'674'391'296);
  CHECK(inv.checkpoint_params == 81'324'862'720);
}
