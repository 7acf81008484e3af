// The architecture table: one description per model_type, everything the engine knows about that
// architecture in one place — its config reader and defaults, module names, the classes
// transformers instantiates, PEFT's default LoRA targets, which layers quantisers keep dense, the
// llama.cpp (GGUF) traits, and hooks for layouts the generic decoder builder does not cover.
// Descriptions live one family per file in engine/src/model/arch/ (docs/adding-a-model.md); no
// other file names a model_type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/model/description.hpp"

namespace vram {

namespace detail {
class FieldReader;    // base/json_reader.hpp
class InventoryBuilder;  // model/inventory_builder.hpp
}  // namespace detail

// Module names of one family as transformers registers them (state-dict paths and the leaf names
// PEFT's target_modules match).
struct ModuleNames {
  std::string_view full_prefix = "model.";   // where the base model sits inside the full class
  std::string_view embed = "embed_tokens";
  std::string_view positions = "";
  std::string_view layers = "layers";
  std::string_view final_norm = "norm";
  std::string_view lm_head = "lm_head";
  std::string_view attn = "self_attn.";
  std::string_view linear_attn = "linear_attn.";  // a gated DeltaNet layer's mixer (Qwen3-Next)
  std::string_view mamba = "mamba.";              // a Mamba2 layer's mixer
  std::string_view short_conv = "conv.";          // an LFM2 conv layer's mixer
  std::string_view q = "q_proj";
  std::string_view k = "k_proj";
  std::string_view v = "v_proj";
  std::string_view qkv = "qkv_proj";
  std::string_view o = "o_proj";
  std::string_view q_norm = "q_norm", k_norm = "k_norm";  // per-head q/k norms (LFM2: q_layernorm, k_layernorm)
  std::string_view mlp = "mlp.";
  std::string_view gate = "gate_proj";
  std::string_view up = "up_proj";
  std::string_view down = "down_proj";
  std::string_view norm1 = "input_layernorm";
  std::string_view norm2 = "post_attention_layernorm";
  // The two norms of a parallel block with one norm per branch, when named apart (Falcon ln_attn, ln_mlp).
  std::string_view parallel_norm1 = "", parallel_norm2 = "";
  // Mixture of experts.
  std::string_view moe = "";               // the sparse MLP module when it differs from `mlp` (Mixtral block_sparse_moe.)
  std::string_view router = "gate";
  std::string_view expert_gate = "gate_proj", expert_up = "up_proj", expert_down = "down_proj";
  std::string_view shared_expert = "shared_experts.";
  std::string_view embeddings_unit = "";   // accelerate no-split unit holding the embeddings (BERT "embeddings")
};

enum class Topology : std::uint8_t {
  Decoder,         // causal decoder: generates with a KV cache
  Encoder,         // encoder only (BERT): no generation, no KV cache
  EncoderDecoder,  // T5: encoder stack + decoder stack with cross-attention
};

// llama.cpp's view of the architecture (src/llama-quant.cpp, llama-model.cpp).
struct GgufTraits {
  std::string_view arch = {};     // GGUF general.architecture ("llama"); "" when llama.cpp has none
  bool falcon_rules = false;      // llama_tensor_get_type_impl's LLM_ARCH_FALCON branches apply
  bool type_70b_rule = false;     // LLM_TYPE_70B (80 layers with GQA) changes the attn_v recipe
  // Among the descriptions sharing one GGUF name, the one a file with <arch>.expert_count > 0 is
  // read as (Mixtral files say general.architecture "llama").
  bool moe = false;
};

struct Architecture {
  std::string_view model_type = {};
  // Other model_type values with exactly this layout ("kimi_k2" → the DeepSeek-V3 layout).
  std::vector<std::string_view> aliases = {};
  std::string_view base_class = {};  // the AutoModel class transformers builds ("LlamaModel")
  // Reads config.json (an architecture's own keys, aliases and class defaults) into the description.
  void (*read)(detail::FieldReader& config, ModelDescription& d) = nullptr;
  ModuleNames names = {};
  std::string_view lora_targets = "q_proj,v_proj";  // peft/utils/constants.py TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING
  Topology topology = Topology::Decoder;
  GgufTraits gguf = {};
  // The MoE router: an nn.Linear (quantisers see a Linear) unless a bare nn.Parameter
  // (DeepseekV3TopkRouter); `router_quantized` false when quantisers keep it dense anyway.
  bool router_is_linear = true;
  bool router_quantized = true;
  // The checkpoint class's head from architectures[0] (default: causal LM unless the name ends in "Model").
  HeadKind (*head_of)(std::string_view architectures0) = nullptr;
  // Hooks for layouts the generic decoder builder does not cover.
  void (*build)(detail::InventoryBuilder& b) = nullptr;        // the whole base model (T5)
  void (*build_heads)(detail::InventoryBuilder& b) = nullptr;  // task heads (BERT)
  // A multimodal wrapper: the language model is text_config, read as `text_model_type` (default
  // "<model_type>_text"); `read_vision` reads vision_config, `build_vision` adds the tower.
  bool multimodal_wrapper = false;
  std::string_view text_model_type = {};
  void (*read_vision)(detail::FieldReader& vision_config, ModelDescription& d) = nullptr;
  void (*build_vision)(detail::InventoryBuilder& b) = nullptr;
  // The layout the page's manual-dimensions form stands for (exactly one description sets it).
  bool manual_form = false;
};

// Each file in engine/src/model/arch/ defines `extern const ArchitectureFamily arch_<file>`; the
// build generates the list of them (cmake/Architectures.cmake).
using ArchitectureFamily = std::vector<Architecture>;

// The description of a model_type (or an alias of one); null when none.
[[nodiscard]] const Architecture* find_architecture(std::string_view model_type);
// Every description, in file order.
[[nodiscard]] const std::vector<const Architecture*>& architectures();
// The description whose `manual_form` is set: what hand-entered dimensions are read as.
[[nodiscard]] const Architecture& manual_form_architecture();

}  // namespace vram
