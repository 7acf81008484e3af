// Falcon (transformers models/falcon, v4.57): fused query_key_value with multi-query attention
// (or num_kv_heads groups in the new decoder architecture), parallel attention with one or two
// LayerNorms, optional biases; a rotary module is built even when alibi is on.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_falcon(FieldReader& r, ModelDescription& s) {
  read_dims(r, s, {{"vocab_size"}, {"n_embed", "hidden_size"}, {"num_hidden_layers", "n_layer"}, {"num_attention_heads", "n_head"}});
  s.head_dim = per_head(r, s);
  const bool new_arch = r.bool_or("new_decoder_architecture", false);
  const bool multi_query = r.bool_or("multi_query", true);
  if (new_arch) {
    s.num_kv_heads = r.positive_or("num_kv_heads", s.num_heads, kMaxHeads);
  } else {
    s.num_kv_heads = multi_query ? 1 : s.num_heads;
  }
  s.intermediate_size = r.positive_or("ffn_hidden_size", 4 * r.positive_or("hidden_size", 4544, kMaxHidden), kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("activation", "gelu");
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.fused_qkv = true;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = r.bool_or("bias", false);
  const bool parallel = r.bool_or("parallel_attn", true);
  if (new_arch) {
    const std::uint64_t lns = r.opt_uint("num_ln_in_parallel_attn", 2).value_or(2);
    s.block = lns == 2 ? BlockStyle::ParallelTwoNorm : BlockStyle::Parallel;
  } else {
    s.block = parallel ? BlockStyle::Parallel : BlockStyle::PreNorm;
  }
  s.rotary_dim = s.head_dim;  // FalconModel builds rotary_emb even when alibi is on
  s.rope_theta_count = 1;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

ModuleNames falcon_names() {
  ModuleNames n;
  n.full_prefix = "transformer.";
  n.embed = "word_embeddings";
  n.layers = "h";
  n.final_norm = "ln_f";
  n.attn = "self_attention.";
  n.qkv = "query_key_value";
  n.o = "dense";
  n.up = "dense_h_to_4h";
  n.down = "dense_4h_to_h";
  n.parallel_norm1 = "ln_attn";  // new decoder architecture with num_ln_in_parallel_attn = 2
  n.parallel_norm2 = "ln_mlp";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_falcon;
const ArchitectureFamily arch_falcon{
    {.model_type = "falcon", .base_class = "FalconModel", .read = read_falcon, .names = falcon_names(),
     .lora_targets = "query_key_value", .gguf = {.arch = "falcon", .falcon_rules = true}},
};

}  // namespace vram
