// Runtime profiles for inference: overhead constants (CUDA context, framework, non-torch memory,
// CUDA graphs), vLLM scheduler defaults, and the transient buffers each runtime allocates:
// prefill activations (transformers), the profile-run reserve (vLLM), compute/output buffers
// (llama.cpp) and logits. Each constant and formula names its public source; all are estimates
// of allocator behaviour (approximate), except where a test pins them to a printed figure.
#pragma once

#include <cstdint>
#include <string>

#include "vram/base/formula.hpp"
#include "vram/model/description.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

inline constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
inline constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

// transformers/PyTorch: CUDA context + kernels after the first CUDA op. transformers docs
// (model_memory_anatomy.md, V100, nvidia-smi) measure 1343 MB after torch.ones((1,1)).to("cuda").
// That is the only public measurement we have; lazy CUDA module loading (CUDA ≥ 11.7) can make
// it smaller, so it is an adjustable default (--overhead-mib). Not part of
// torch.cuda.max_memory_allocated().
inline constexpr std::uint64_t kTransformersOverheadBytes = 1343 * kMiB;

// The overhead the user gave instead (the overhead_mib option), labelled with the option's label
// as every front end shows it ("500.0 MiB given as “Runtime overhead (MiB)”"), not a CLI flag.
[[nodiscard]] Q given_overhead(std::uint64_t bytes);

// vLLM non-torch memory (NCCL, cuBLAS workspaces, CUDA context growth after the baseline):
// llm-d capacity planner constants, 0.15 GiB at TP 1 and 0.6 GiB at TP ≥ 2 (peers.md §8c).
[[nodiscard]] constexpr std::uint64_t vllm_non_torch_bytes(std::uint32_t tp) {
  return tp >= 2 ? 6 * kGiB / 10 : 15 * kGiB / 100;
}
// vLLM CUDA graph capture: llm-d's measured H100 table reports 0.39 GiB for gpt-oss-20b
// ("Graph capturing finished … took 0.39 GiB"); captured after the KV pool is sized, so it comes
// out of the (1 − gpu_memory_utilization) headroom in vLLM V1 (peers.md §8c).
inline constexpr std::uint64_t kVllmCudaGraphBytes = 39 * kGiB / 100;
inline constexpr std::uint64_t kVllmBlockSize = 16;  // vLLM CacheConfig.block_size default (CUDA)

// vLLM EngineArgs.get_batch_defaults (vllm/engine/arg_utils.py), OpenAI server usage context:
// GPUs with ≥ 70 GiB (H100, MI300x; A100 excluded by name, which we cannot see) get
// max_num_batched_tokens 8192 and max_num_seqs 1024, others 2048 and 256.
[[nodiscard]] constexpr std::uint64_t vllm_default_max_num_batched_tokens(std::uint64_t gpu_bytes) {
  return gpu_bytes >= 70 * kGiB ? 8192 : 2048;
}
[[nodiscard]] constexpr std::uint64_t vllm_default_max_num_seqs(std::uint64_t gpu_bytes) {
  return gpu_bytes >= 70 * kGiB ? 1024 : 256;
}

// llama.cpp: no framework allocator; the CUDA context/driver footprint is not printed by
// llama.cpp. gpustack/gguf-parser-go's default NonUMA VRAM platform footprint is 250 MiB.
inline constexpr std::uint64_t kLlamaCppOverheadBytes = 250 * kMiB;

// A transient buffer: its bytes as a formula, and where the formula comes from.
struct BufferBytes {
  Q bytes;
  Message source;
};

// Shape of the work one forward pass does on one GPU (heads and MLP width already divided by TP).
struct ForwardShape {
  std::uint64_t batch = 1;          // sequences in the pass
  std::uint64_t tokens = 1;         // tokens per sequence in the pass
  std::uint64_t hidden = 0;
  std::uint64_t q_dim = 0;          // query heads × head_dim on this GPU
  std::uint64_t kv_dim = 0;         // k (= v) width on this GPU
  std::uint64_t heads = 0;          // query heads on this GPU
  std::uint64_t intermediate = 0;   // dense MLP width on this GPU
  bool gated = true;
  // MoE (0 experts = dense)
  std::uint64_t experts = 0;
  std::uint64_t experts_per_token = 0;
  std::uint64_t expert_intermediate = 0;  // routed expert width on this GPU
  std::uint64_t shared_intermediate = 0;  // shared expert(s) width on this GPU
  std::uint64_t compute_bytes = 2;  // bytes per activation element (compute dtype)
  std::string_view compute_name = "bf16";
  // The options the batch and the token count came from (overflows are blamed on them).
  Field batch_field = option_field("batch");
  Field tokens_field = option_field("context");
};

[[nodiscard]] ForwardShape forward_shape(const ModelDescription& spec, std::uint64_t batch, std::uint64_t tokens,
                                         DType compute, std::uint32_t tp);

// transformers prefill: the peak of one decoder layer (layers run one after another under
// torch.no_grad, so only one layer's temporaries are alive), the larger of
//  attention: residual + normed input + q, k, v (after RoPE) + attention output, all b·s·width·c;
//    eager adds the scores b·nh·s² in compute dtype, the fp32 softmax and its cast back
//    (modeling_llama.eager_attention_forward: softmax(..., dtype=torch.float32).to(query.dtype))
//    and the 4-D float mask b·s² (masking_utils for eager); SDPA/flash materialise no s² matrix;
//  MLP: residual + normed input + gated act(gate)·up: act, up and their product (3·b·s·i), or
//    plain fc1 output and activation (2·b·s·i);
//  MoE: router logits b·s·E (compute dtype) + fp32 routing softmax, the output accumulator, the
//    gathered expert input and one expert's intermediates for up to all b·s tokens.
[[nodiscard]] BufferBytes transformers_prefill_activations(const ForwardShape& shape, AttentionImpl attn);

// Logits. generate() runs the prefill with logits_to_keep = 1 (GenerationMixin._prefill, 4.57),
// so the lm_head produces b × V in compute dtype and generate() keeps an fp32 copy of the
// last-token logits (`outputs.logits[:, -1, :].to(copy=True, dtype=torch.float32)`); a plain
// forward over the prompt returns all b·s·V logits in compute dtype (no upcast in the model
// forward since 4.45).
[[nodiscard]] BufferBytes generation_logits(std::uint64_t batch, std::uint64_t vocab, DType compute);
[[nodiscard]] BufferBytes forward_logits(std::uint64_t batch, std::uint64_t tokens, std::uint64_t vocab, DType compute);

// vLLM profile run (gpu_worker.determine_available_memory): a dummy forward over
// max_num_batched_tokens tokens with the flash-attention backend (no s² matrix); MoE layers use
// the fused_moe workspaces (intermediate_cache1 T·k·2i, cache2 T·k·i, cache3 T·k·h); then a
// sampler run over max_num_seqs rows of logits (compute dtype + fp32 logits + fp32 probs).
[[nodiscard]] BufferBytes vllm_profile_activations(const ForwardShape& shape);
[[nodiscard]] BufferBytes vllm_sampler_logits(std::uint64_t max_num_seqs, std::uint64_t vocab, DType compute);

// llama.cpp compute buffer of one ubatch, after gguf-parser-go's structure (peers.md §5): layers
// run serially so ggml-alloc reuses memory, and the buffer is the largest stage (all F32):
//  attention without FA: 2·Qcur + KQ [n_kv, n_tokens, n_head]; with FA: F16 KQ mask
//    [n_kv, n_tokens] + Q + norm rows (no KQ matrix);
//  FFN: norm + gate + up rows (n_tokens·(h + 2·n_ff)); MoE adds router logits and
//    [h, n_expert_used, n_tokens];
//  output (when the output layer is on the GPU): n_tokens·(n_vocab + n_embd) — the worst-case
//    graph is reserved with n_outputs = n_tokens.
[[nodiscard]] BufferBytes llama_cpp_compute_buffer(const ForwardShape& ubatch_shape, std::uint64_t n_kv,
                                                   std::uint64_t vocab, bool flash_attn, bool output_on_gpu);
// Host output buffer: n_outputs (= n_seq during generation) × n_vocab fp32 logits
// (llama_context::output_reserve, a CPU/pinned buffer).
[[nodiscard]] BufferBytes llama_cpp_output_buffer(std::uint64_t n_seq, std::uint64_t vocab);

}  // namespace vram
