// Training activations: the tensors autograd saves per decoder layer (Korthikanti et al. 2022,
// arXiv 2205.05198 Table 2, adapted to the real block of transformers 4.57), checkpointing, and the
// logits with their fp32 loss upcast and gradient.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vram/base/dtype.hpp"
#include "vram/base/formula.hpp"
#include "vram/model/model.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

// A LoRA-adapted module as activations see it.
struct AdapterSite {
  std::uint64_t d_in = 0;
  std::uint64_t d_out = 0;
  std::uint64_t layers = 0;      // layers holding it
  std::uint64_t per_token = 1;   // instances a token passes through per layer (top-k for experts, else 1)
  bool moe = false;
};

struct ActivationOptions {
  std::uint64_t micro_batch = 1;
  std::uint64_t seq = 2048;
  AttentionImpl attn = AttentionImpl::Sdpa;
  Checkpointing checkpointing = Checkpointing::None;
  bool dropout = false;
  DType compute = DType::BF16;   // matmul outputs
  DType stream = DType::BF16;    // residual stream and norms (fp32 under autocast)
  // Which Linear inputs autograd saves: a Linear saves its input only when its weight needs a
  // gradient (trainable, or LoRA-adapted: lora_A saves the same input).
  bool save_qkv_in = true, save_o_in = true, save_mlp_in = true, save_down_in = true;
  bool norms_trainable = true;
  bool lm_head_trainable = true;
  std::vector<AdapterSite> adapters;
  std::uint64_t lora_rank = 0;
  DType adapter_dtype = DType::F32;
  bool adapter_input_cast = false;  // PEFT casts x to the adapter dtype (fp32 adapters, no autocast)
  bool dora = false;
  std::uint32_t tp = 1;
  bool sequence_parallel = false;
  std::uint64_t layers_held = 0;    // layers on this GPU (pipeline stage); 0 = all
  std::uint64_t in_flight = 1;      // micro-batches whose activations are held (1F1B first stage: pp)
};

// One tensor autograd saves per layer: its elements and bytes per element, as formulas.
struct ActivationTerm {
  Msg name = Msg::none;
  Q bytes;                // elements × bytes per element
  bool tp_split = true;   // divided by TP; replicated ones only by sequence parallelism
};

struct LayerActivations {
  std::vector<ActivationTerm> terms;
  Q bytes;          // Σ terms after TP/SP division
  Q score_bytes;    // the s² terms (dropped by selective recomputation)
};

struct ActivationEstimate {
  LayerActivations dense, moe;
  std::uint64_t dense_layers = 0, moe_layers = 0;  // held on this GPU
  Q adapter_bytes;   // LoRA intermediates for the held layers
  Q final_bytes;     // final norm (+ lm_head input when it is trained)
  Q saved;           // held at the end of the forward, after checkpointing, all in-flight micro-batches
  Q recompute;       // one layer re-materialised during backward (full checkpointing)
  Message source;
  std::vector<Message> notes;
};

// Saved tensors of one decoder layer (dense or MoE) for micro-batch b × seq s.
[[nodiscard]] LayerActivations layer_activations(const ModelDescription& spec, const ActivationOptions& o, bool moe);
[[nodiscard]] ActivationEstimate training_activations(const Model& model, const ActivationOptions& o);

// Korthikanti et al. Table 2, 16-bit activations, no parallelism: s·b·h·(34 + 5·a·s/h) bytes per layer.
[[nodiscard]] constexpr std::uint64_t korthikanti_layer_bytes(std::uint64_t s, std::uint64_t b, std::uint64_t h,
                                                              std::uint64_t heads) {
  return s * b * h * 34 + 5 * heads * s * s * b;
}

struct LogitsBytes {
  Q logits;   // lm_head output (compute dtype) + fp32 log_softmax output saved by the loss
  Q upcast;   // logits.float() copy alive while the loss runs (forward)
  Q grad;     // fp32 gradient of the logits (+ its cast back to the compute dtype)
};

// transformers 4.57 loss/loss_utils.py ForCausalLMLoss: logits = logits.float(); labels padded (no
// slice, all s positions); cross_entropy → log_softmax saves its fp32 output.
[[nodiscard]] LogitsBytes logits_bytes(std::uint64_t micro_batch, std::uint64_t seq, std::uint64_t vocab, DType compute,
                                       std::uint32_t tp);

}  // namespace vram
