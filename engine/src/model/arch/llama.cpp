// Llama (transformers models/llama/modeling_llama.py, v4.57): the reference decoder layout —
// RMSNorm pre-norm blocks, GQA attention with RoPE, gated SiLU MLP — that most families share.
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

void read_llama(FieldReader& r, ModelDescription& s) {
  read_llama_like(r, s);
  s.attn_qkv_bias = s.attn_out_bias = r.bool_or("attention_bias", false);
  s.mlp_bias = r.bool_or("mlp_bias", false);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_layer_types(r, s, nullptr);
}

}  // namespace

extern const ArchitectureFamily arch_llama;
const ArchitectureFamily arch_llama{
    {.model_type = "llama",
     .base_class = "LlamaModel",
     .read = read_llama,
     .lora_targets = "q_proj,v_proj",
     .gguf = {.arch = "llama", .type_70b_rule = true},
     .manual_form = true},
};

}  // namespace vram
