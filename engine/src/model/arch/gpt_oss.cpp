// gpt-oss (transformers models/gpt_oss, v4.57): alternating sliding (128) / full attention with
// per-head sink logits and biases, 128 routed experts stored as fused 3-D gate_up / down tensors with
// biases, a biased router (an nn.Linear that quantisers keep dense), MXFP4 experts in the release.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_gpt_oss(FieldReader& r, ModelDescription& s) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 64, 8);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = "swiglu_clamped";
  read_rotary(r, s);
  s.attn_qkv_bias = s.attn_out_bias = true;  // GptOssConfig forces attention_bias = True
  s.attention_sinks = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  // GptOssConfig: layer_types default "sliding_attention" if (i + 1) % 2 else "full_attention".
  read_layer_types(r, s, [](std::uint64_t i) { return (i + 1) % 2 != 0; });
  MoeSpec m;
  m.routed_experts = r.positive_or("num_local_experts", 128, kMaxExperts);
  const std::string_view topk_key = r.first_present({"num_experts_per_tok", "experts_per_token"});
  m.experts_per_token = topk_key.empty() ? 4 : r.positive(topk_key, kMaxExperts);
  m.expert_intermediate = s.intermediate_size;
  m.router_bias = true;
  m.expert_bias = true;
  m.fused_gate_up = true;
  s.moe = m;
  for (auto& l : s.layers) l.moe = true;
}

ModuleNames gpt_oss_names() {
  ModuleNames n;
  n.router = "router";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_gpt_oss;
const ArchitectureFamily arch_gpt_oss{
    {.model_type = "gpt_oss", .base_class = "GptOssModel", .read = read_gpt_oss, .names = gpt_oss_names(),
     .gguf = {.arch = "gpt-oss"}, .router_is_linear = false, .router_quantized = false},
};

}  // namespace vram
