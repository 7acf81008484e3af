// Mistral and Mixtral (transformers models/mistral, models/mixtral, v4.57): the Llama layout with a
// sliding window on every layer when `sliding_window` is set (transformers builds a sliding-window
// mask and cache for all layers), Mixtral with a routed-expert MLP (block_sparse_moe, experts w1/w3/w2).
#include "model/config_readers.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using namespace detail;

// MistralConfig defaults num_key_value_heads to 8 and sliding_window to 4096; MixtralConfig has no window.
void read_mistral_like(FieldReader& r, ModelDescription& s, std::uint64_t default_window) {
  read_llama_like(r, s, 8);
  s.tie_word_embeddings = r.bool_or("tie_word_embeddings", false);
  read_layer_types(r, s, [](std::uint64_t) { return true; }, default_window);
}

void read_mistral(FieldReader& r, ModelDescription& s) { read_mistral_like(r, s, 4096); }

void read_mixtral(FieldReader& r, ModelDescription& s) {
  read_mistral_like(r, s, 0);
  MoeSpec m;
  m.routed_experts = r.positive_or("num_local_experts", 8, kMaxExperts);
  m.experts_per_token = r.positive_or("num_experts_per_tok", 2, kMaxExperts);
  m.expert_intermediate = s.intermediate_size;
  s.moe = m;
  for (auto& l : s.layers) l.moe = true;
}

ModuleNames mixtral_names() {
  ModuleNames n;
  n.moe = "block_sparse_moe.";
  n.expert_gate = "w1";
  n.expert_up = "w3";
  n.expert_down = "w2";
  return n;
}

}  // namespace

extern const ArchitectureFamily arch_mistral;
const ArchitectureFamily arch_mistral{
    // llama.cpp converts Mistral checkpoints to its "llama" architecture.
    {.model_type = "mistral", .base_class = "MistralModel", .read = read_mistral, .gguf = {.arch = "llama"}},
    {.model_type = "mixtral", .base_class = "MixtralModel", .read = read_mixtral, .names = mixtral_names(), .gguf = {.arch = "llama", .moe = true}},
};

}  // namespace vram
