// GPT-2-style configs (n_embd, n_layer, n_head, n_positions, n_inner): GPT-2 and GPT-BigCode
// (transformers models/gpt2, gpt_bigcode, v4.57: Conv1D c_attn / c_proj / c_fc, learned positions, a
// registered bool causal mask — per block in GPT-2, once in BigCode — and multi-query attention in
// BigCode), and GPT-J (models/gptj: parallel block, no attention biases, partial rotary, lm_head bias).
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_gpt2_like(FieldReader& r, ModelDescription& s) {
  // attribute_map aliases: a config.json alias key (hidden_size …) overwrites the canonical field.
  read_dims(r, s, {{"vocab_size"}, {"hidden_size", "n_embd"}, {"num_hidden_layers", "n_layer"}, {"num_attention_heads", "n_head"}});
  s.num_kv_heads = s.num_heads;
  s.head_dim = per_head(r, s);
  s.intermediate_size = r.positive_or("n_inner", 4 * s.hidden_size, kMaxWidth);
  s.max_position_embeddings = r.positive({"max_position_embeddings", "n_positions"}, kMaxPositions);
  s.activation = r.string_or("activation_function", "gelu_new");
  s.norm = NormKind::LayerNorm;
  s.mlp = MlpKind::Plain;
  s.attn_qkv_bias = s.attn_out_bias = s.mlp_bias = true;
  s.fused_qkv = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", true);
  s.layers.assign(s.num_layers, LayerSpec{});
}

void read_gpt2(FieldReader& r, ModelDescription& s) {
  read_gpt2_like(r, s);
  s.learned_positions = s.max_position_embeddings;
  s.causal_mask_positions = s.max_position_embeddings;  // GPT2Attention.bias (bool) per block
  s.causal_mask_per_layer = true;
}

void read_gpt_bigcode(FieldReader& r, ModelDescription& s) {
  read_gpt2_like(r, s);
  s.learned_positions = s.max_position_embeddings;
  if (r.bool_or("multi_query", true)) s.num_kv_heads = 1;
  s.activation = r.string_or("activation_function", "gelu_pytorch_tanh");
  s.causal_mask_positions = s.max_position_embeddings;  // GPTBigCodeModel.bias (bool), model level
}

void read_gptj(FieldReader& r, ModelDescription& s) {
  read_gpt2_like(r, s);
  s.fused_qkv = false;
  s.attn_qkv_bias = s.attn_out_bias = false;
  s.block = BlockStyle::Parallel;
  s.lm_head_bias = true;
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  s.rotary_dim = r.opt_uint("rotary_dim", kMaxHidden).value_or(s.head_dim);
  s.rope_theta_count = 0;  // GPT-J keeps its sin/cos table as a plain attribute, not a buffer
}

ModuleNames gpt2_names() {
  ModuleNames n;
  n.full_prefix = "transformer.";
  n.embed = "wte";
  n.positions = "wpe";
  n.layers = "h";
  n.final_norm = "ln_f";
  n.attn = "attn.";
  n.qkv = "c_attn";
  n.o = "c_proj";
  n.up = "c_fc";
  n.down = "c_proj";
  n.norm1 = "ln_1";
  n.norm2 = "ln_2";
  return n;
}

ModuleNames gptj_names() {
  ModuleNames n;
  n.full_prefix = "transformer.";
  n.embed = "wte";
  n.layers = "h";
  n.final_norm = "ln_f";
  n.attn = "attn.";
  n.o = "out_proj";
  n.up = "fc_in";
  n.down = "fc_out";
  n.norm1 = "ln_1";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_gpt2;
const ArchitectureFamily arch_gpt2{
    {.model_type = "gpt2", .base_class = "GPT2Model", .read = read_gpt2, .names = gpt2_names(), .lora_targets = "c_attn",
     .gguf = {.arch = "gpt2"}},
    {.model_type = "gpt_bigcode", .base_class = "GPTBigCodeModel", .read = read_gpt_bigcode, .names = gpt2_names(),
     .lora_targets = "c_attn", .gguf = {.arch = "starcoder"}},
    {.model_type = "gptj", .base_class = "GPTJModel", .read = read_gptj, .names = gptj_names(), .lora_targets = "q_proj,v_proj",
     .gguf = {.arch = "gptj"}},
};

}  // namespace vram
