// The exact parameter inventory of a model: every parameter tensor group (and every registered
// buffer) that transformers builds for a config, with its shape, the block it lives in and the
// views it belongs to. Totals are exact to the parameter (tests compare against transformers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vram/model/description.hpp"

namespace vram {

enum class Role : std::uint8_t {
  Embedding,          // token embedding table
  PositionEmbedding,  // learned absolute positions
  TokenTypeEmbedding,
  EmbeddingProjection,  // OPT project_in / project_out
  Norm,
  AttentionProjection,  // q/k/v/o and MLA low-rank projections
  AttentionOther,       // sinks, relative position bias
  MlpProjection,        // dense MLP matrices
  ExpertProjection,     // routed experts
  SharedExpertProjection,
  Router,
  LmHead,
  Pooler,
  TaskHead,             // MLM transform, classifier …
  VisionTower,
  Projector,
  Buffer,               // registered buffer (not a parameter)
};

[[nodiscard]] const char* to_string(Role role) noexcept;

// One repeated block: a decoder layer kind (dense / MoE), an encoder block, a T5 first block …
struct Block {
  std::string name;       // "layers.0" style path of the first instance (HF naming)
  std::uint64_t count = 0;
  std::uint64_t first_index = 0;
  bool moe = false;
  bool encoder = false;   // encoder stack (T5/BERT)
  bool indexer = false;   // layers with a DSA lightning indexer (DeepSeek-V3.2, GLM-5)
  LayerKind kind = LayerKind::Attention;  // the layers' token mixer (hybrid models mix kinds)
  bool parallel_mamba = false;            // Falcon-H1: attention and Mamba2 side by side

  // Whether decoder layer `layer` of `spec` is an instance of this block.
  [[nodiscard]] bool holds(const ModelDescription& spec, const LayerSpec& layer) const {
    return layer.moe == moe && (layer.indexer && spec.dsa_indexer.has_value()) == indexer && layer.kind == kind &&
           layer.parallel_mamba == parallel_mamba;
  }
};

// A group of identical tensors: `rows × cols` elements (× `experts`), repeated once per instance
// of `block` (or once at top level when block < 0).
struct ParamGroup {
  std::string name;      // path relative to the base model, "{i}" for the layer index
  std::string module;    // module name as LoRA target_modules would match it ("q_proj", "c_attn", …)
  Role role = Role::Buffer;
  std::uint64_t rows = 0;     // out_features for a Linear weight; elements for a vector
  std::uint64_t cols = 1;     // in_features for a Linear weight; 1 for a vector
  std::uint64_t experts = 1;  // stacked experts in one tensor or module list
  int block = -1;             // index into Inventory::blocks, -1 = top level
  std::string unit;           // top-level no-split unit (accelerate leaf module) for the HF view
  bool linear = false;        // a 2-D Linear/Conv1D weight: what quantisers and LoRA act on
  bool bias = false;          // a Linear bias vector
  bool in_full = true;        // part of the full checkpoint class (architectures[0])
  bool in_base = true;        // part of the AutoModel base class
  std::uint8_t buffer_elem_bytes = 0;  // > 0: a buffer of this element size, not a parameter
  bool bool_buffer = false;            // torch.bool buffer: 1 byte in memory, 1/8 in accelerate's sizes
  bool persistent = false;             // a buffer the checkpoint stores (DeepSeek-V3 e_score_correction_bias)

  [[nodiscard]] std::uint64_t numel() const { return rows * cols * experts; }
  [[nodiscard]] bool is_buffer() const { return buffer_elem_bytes != 0; }
};

struct HfCalculatorView {
  std::string class_name;              // e.g. LlamaModel, or Phi3ForCausalLM when auto_map asks
  bool uses_full_class = false;
  std::uint64_t params = 0;
  std::uint64_t buffer_bytes = 0;
  std::uint64_t total_bytes_fp32 = 0;  // params × 4 + buffers at their own dtype
  std::uint64_t largest_layer_bytes_fp32 = 0;
  std::string largest_layer_name;
};

struct NamedCount {
  std::string name;
  std::uint64_t params = 0;
};

struct Inventory {
  std::vector<Block> blocks;
  std::vector<ParamGroup> groups;

  std::uint64_t total_params = 0;        // full class, tied weights once
  std::uint64_t active_params = 0;       // per token (MoE: top-k routed + shared + dense parts)
  std::uint64_t embedding_params = 0;    // input embeddings (tokens, positions, types)
  std::uint64_t buffer_bytes = 0;        // full class buffers at their own dtype
  std::uint64_t mtp_params = 0;          // stored multi-token-prediction layers, not built by transformers
  // Elements the checkpoint's safetensors hold before quantisation side tensors: parameters, the
  // buffers it stores (persistent) and the MTP layers with theirs — what the Hub's safetensors
  // total reports for a bf16 release. total_params is what transformers builds.
  std::uint64_t checkpoint_params = 0;
  HfCalculatorView hf;

  [[nodiscard]] std::uint64_t block_count(int block) const {
    return block < 0 ? 1 : blocks[static_cast<std::size_t>(block)].count;
  }
  // Total elements of a group over all its block instances.
  [[nodiscard]] std::uint64_t group_total(const ParamGroup& g) const { return g.numel() * block_count(g.block); }
  // Parameters by component for display: embeddings, attention, MLP, experts, norms, head …
  [[nodiscard]] std::vector<NamedCount> summary() const;
};

[[nodiscard]] Result<Inventory> build_inventory(const ModelDescription& spec);

}  // namespace vram
