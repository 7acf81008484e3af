// GPT-NeoX / Pythia (transformers models/gpt_neox, v4.57): fused query_key_value, partial rotary
// (rotary_pct, 0.25 by default), parallel residual with two LayerNorms unless use_parallel_residual
// is false, embed_out as the untied head.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_gpt_neox(FieldReader& r, ModelDescription& s) {
  read_dims(r, s);
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "gelu");
  const double pct = r.has("rotary_pct") ? read_fraction(r, "rotary_pct", 0.25) : read_fraction(r, "partial_rotary_factor", 0.25);
  s.rotary_dim = static_cast<std::uint64_t>(static_cast<double>(s.head_dim) * pct);
  s.rope_theta_count = 1;
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.block = r.bool_or("use_parallel_residual", true) ? BlockStyle::ParallelTwoNorm : BlockStyle::PreNorm;
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", true);
  s.mlp_bias = true;
  s.fused_qkv = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

ModuleNames gpt_neox_names() {
  ModuleNames n;
  n.full_prefix = "gpt_neox.";
  n.embed = "embed_in";
  n.final_norm = "final_layer_norm";
  n.lm_head = "embed_out";
  n.attn = "attention.";
  n.qkv = "query_key_value";
  n.o = "dense";
  n.up = "dense_h_to_4h";
  n.down = "dense_4h_to_h";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_gpt_neox;
const ArchitectureFamily arch_gpt_neox{
    {.model_type = "gpt_neox", .base_class = "GPTNeoXModel", .read = read_gpt_neox, .names = gpt_neox_names(),
     .lora_targets = "query_key_value", .gguf = {.arch = "gptneox"}},
};

}  // namespace vram
