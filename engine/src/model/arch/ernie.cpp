// ERNIE-4.5 (transformers models/ernie4_5, ernie4_5_moe): a Llama layout whose every projection
// carries a bias when use_bias (q/k/v/o and the MLPs), tied embeddings by default, head_dim 128 in
// Ernie4_5Config. The MoE variant routes through an fp32 nn.Linear `gate` kept dense
// (_keep_in_fp32_modules_strict = gate, moe_statics) and holds its e_score_correction_bias as an
// nn.Parameter [1, E] (Ernie4_5_MoeStatics) — a parameter, so transformers counts it; MoE layers are
// those with (i + 1) % moe_layer_interval == 0 and moe_layer_start_index ≤ i ≤ moe_layer_end_index
// (−1 = the last layer), each with moe_num_shared_experts shared experts of moe_intermediate_size;
// lm_head has a bias when use_bias. The checkpoints' MTP weights ("mtp*") are ignored on load.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_ernie_common(FieldReader& r, ModelDescription& s, std::uint64_t default_head_dim, std::uint64_t default_kv) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, default_head_dim, default_kv);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s);
  const bool bias = r.bool_or("use_bias", false);
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = bias;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

// Ernie4_5Config: head_dim 128, 2 KV heads.
void read_ernie4_5(FieldReader& r, ModelDescription& s) { read_ernie_common(r, s, 128, 2); }

// Ernie4_5_MoeConfig: no head_dim (hidden / heads), 4 KV heads, 64 experts (top 6) of width 1536,
// 2 shared experts, MoE from layer 1 to the last.
void read_ernie4_5_moe(FieldReader& r, ModelDescription& s) {
  read_ernie_common(r, s, 0, 4);
  s.lm_head_bias = s.mlp_bias;
  MoeSpec m;
  m.routed_experts = r.positive_or("moe_num_experts", 64, kMaxExperts);
  m.experts_per_token = r.positive_or("moe_k", 6, kMaxExperts);
  m.expert_intermediate = r.positive_or("moe_intermediate_size", 1536, kMaxWidth);
  m.shared_experts = r.opt_uint("moe_num_shared_experts", kMaxExperts).value_or(2);
  m.shared_intermediate = m.shared_experts * m.expert_intermediate;
  m.score_bias_parameter = true;
  m.layer_freq = r.positive_or("moe_layer_interval", 1, kMaxLayers);
  const std::uint64_t start = r.opt_uint("moe_layer_start_index", kMaxLayers).value_or(1);
  // moe_layer_end_index −1 (the default) means the last layer; opt_uint rejects negatives, so read it by hand.
  std::uint64_t end = s.num_layers - 1;
  if (r.has("moe_layer_end_index") && !(r.json().at("moe_layer_end_index").is_number_integer() &&
                                        r.json().at("moe_layer_end_index").get<std::int64_t>() == -1))
    end = r.opt_uint("moe_layer_end_index", kMaxLayers).value_or(end);
  for (std::uint64_t i = 0; i < s.num_layers; ++i) s.layers[i].moe = (i + 1) % m.layer_freq == 0 && i >= start && i <= end;
  s.moe = m;
}

}  // namespace

extern const ArchitectureFamily arch_ernie;
const ArchitectureFamily arch_ernie{
    {.model_type = "ernie4_5", .base_class = "Ernie4_5Model", .read = read_ernie4_5, .lora_targets = "", .gguf = {.arch = "ernie4_5"}},
    {.model_type = "ernie4_5_moe", .base_class = "Ernie4_5_MoeModel", .read = read_ernie4_5_moe, .lora_targets = "", .gguf = {.arch = "ernie4_5-moe"},
     .router_quantized = false},
};

}  // namespace vram
