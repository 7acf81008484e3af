// Seed-OSS (transformers models/seed_oss): a Llama layout with an explicit head_dim, bias on q/k/v
// (attention_bias, default True) and on o_proj only when attention_out_bias, untied head.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// SeedOssConfig defaults: 8 KV heads, head_dim 128, attention_bias True, attention_out_bias False.
void read_seed_oss(FieldReader& r, ModelDescription& s) {
  read_dims(r, s);
  read_kv_and_head_dim(r, s, 128, 8);
  s.intermediate_size = r.positive("intermediate_size", kMaxWidth);
  s.max_position_embeddings = r.opt_uint("max_position_embeddings", kMaxPositions).value_or(0);
  s.activation = r.string_or("hidden_act", "silu");
  read_rotary(r, s);
  s.attn_qkv_bias = r.bool_or("attention_bias", true);
  s.attn_out_bias = r.bool_or("attention_out_bias", false);
  s.mlp_bias = r.bool_or("mlp_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.layers.assign(s.num_layers, LayerSpec{});
}

}  // namespace

extern const ArchitectureFamily arch_seed_oss;
const ArchitectureFamily arch_seed_oss{
    {.model_type = "seed_oss", .base_class = "SeedOssModel", .read = read_seed_oss, .lora_targets = "", .gguf = {.arch = "seed_oss"}},
};

}  // namespace vram
