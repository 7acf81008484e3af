// OPT (transformers models/opt, v4.57): learned positions with an offset of 2, an optional
// word_embed_proj_dim with project_in/out, pre- or post-LayerNorm blocks, ReLU fc1/fc2 MLP.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_opt(FieldReader& r, ModelDescription& s) {
  read_dims(r, s);
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = r.positive("ffn_dim", kMaxWidth);
  s.max_position_embeddings = r.positive_or("max_position_embeddings", 2048, kMaxPositions);
  s.learned_positions = s.max_position_embeddings + 2;  // OPTLearnedPositionalEmbedding offset of 2
  s.activation = r.string_or("activation_function", "relu");
  const std::uint64_t proj = r.positive_or("word_embed_proj_dim", s.hidden_size, kMaxHidden);
  if (proj != s.hidden_size) s.embedding_dim = proj;
  const bool pre_ln = r.bool_or("do_layer_norm_before", true);
  s.final_norm = pre_ln && !r.bool_or("_remove_final_layer_norm", false);
  s.norm = r.bool_or("layer_norm_elementwise_affine", true) ? NormKind::LayerNorm : NormKind::NonParametric;
  s.block = pre_ln ? BlockStyle::PreNorm : BlockStyle::PostLN;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = r.bool_or("enable_bias", true);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

ModuleNames opt_names() {
  ModuleNames n;
  n.embed = "decoder.embed_tokens";
  n.positions = "decoder.embed_positions";
  n.layers = "decoder.layers";
  n.final_norm = "decoder.final_layer_norm";
  n.o = "out_proj";
  n.mlp = "";
  n.up = "fc1";
  n.down = "fc2";
  n.norm1 = "self_attn_layer_norm";
  n.norm2 = "final_layer_norm";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_opt;
const ArchitectureFamily arch_opt{
    {.model_type = "opt", .base_class = "OPTModel", .read = read_opt, .names = opt_names()},
};

}  // namespace vram
