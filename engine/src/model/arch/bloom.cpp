// BLOOM (transformers models/bloom, v4.57): ALiBi (no rotary), a LayerNorm after the word
// embeddings, fused query_key_value, biases everywhere, a 4·h GELU MLP, tied head.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_bloom(FieldReader& r, ModelDescription& s) {
  read_dims(r, s, {{"vocab_size"}, {"n_embed", "hidden_size"}, {"num_hidden_layers", "n_layer"}, {"num_attention_heads", "n_head"}});
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = 4 * s.hidden_size;
  s.activation = "gelu";
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.embedding_norm = true;
  s.fused_qkv = true;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

ModuleNames bloom_names() {
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
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_bloom;
const ArchitectureFamily arch_bloom{
    {.model_type = "bloom", .base_class = "BloomModel", .read = read_bloom, .names = bloom_names(),
     .lora_targets = "query_key_value", .gguf = {.arch = "bloom"}},
};

}  // namespace vram
