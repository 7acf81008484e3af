// MPT (transformers models/mpt, v4.57, the native MptForCausalLM): a 4·d_model GELU MLP, no
// linear biases, weight-only LayerNorms, fused Wqkv, ALiBi, tied head. It ignores the remote-code
// config's expansion_ratio, no_bias and learned_pos_emb.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_mpt(FieldReader& r, ModelDescription& s) {
  read_dims(r, s, {{"vocab_size"}, {"hidden_size", "d_model"}, {"num_hidden_layers", "n_layers"}, {"num_attention_heads", "n_heads"}});
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = 4 * s.hidden_size;
  s.max_position_embeddings = r.opt_uint("max_seq_len", kMaxPositions).value_or(2048);
  s.activation = "gelu";
  s.norm = NormKind::LayerNormNoBias;
  s.mlp = MlpKind::Plain;
  s.fused_qkv = true;
  s.tie_word_embeddings = true;
  if (r.has("expansion_ratio") && r.opt_uint("expansion_ratio", 1024).value_or(4) != 4)
    s.warnings.push_back(Msg::warn_mpt_expansion_ratio);
  s.layers.assign(s.num_layers, LayerSpec{});
}

ModuleNames mpt_names() {
  ModuleNames n;
  n.full_prefix = "transformer.";
  n.embed = "wte";
  n.layers = "blocks";
  n.final_norm = "norm_f";
  n.attn = "attn.";
  n.qkv = "Wqkv";
  n.o = "out_proj";
  n.mlp = "ffn.";
  n.norm1 = "norm_1";
  n.norm2 = "norm_2";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_mpt;
const ArchitectureFamily arch_mpt{
    {.model_type = "mpt", .base_class = "MptModel", .read = read_mpt, .names = mpt_names(), .lora_targets = "Wqkv",
     .gguf = {.arch = "mpt"}},
};

}  // namespace vram
