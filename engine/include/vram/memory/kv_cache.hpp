// KV cache: what one layer caches per token (per runtime: MLA latent vs decompressed, GQA/MQA,
// tensor-parallel sharding), how many tokens each runtime keeps per layer (sliding windows, vLLM
// paged blocks, llama.cpp padding), the element format (dense, fp8, llama.cpp q8_0/q4_0), and
// the vLLM pool capacity. Every formula names the framework code it follows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vram/base/dtype.hpp"
#include "vram/base/formula.hpp"
#include "vram/model/description.hpp"
#include "vram/base/result.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

// Storage of one KV element type: `block_bytes` per `block_elems` elements. Dense types are
// blocks of one element; llama.cpp q8_0 is 34 B per 32 (fp16 scale + 32 int8), q4_0 18 B per 32
// (ggml-common.h block_q8_0 / block_q4_0).
struct KvElement {
  KvKind kind = KvKind::F16;
  std::uint64_t block_bytes = 2;
  std::uint64_t block_elems = 1;
  std::string_view name = "fp16";
};

// Resolves `--kv-dtype`: auto = the weights' compute dtype (transformers DynamicCache stores what
// the k/v projections produce; vLLM cache_dtype "auto" = model dtype); llama.cpp's default cache
// type is f16 (common.h cache_type_k/v). q8_0/q4_0 exist only in llama.cpp.
[[nodiscard]] Result<KvElement> resolve_kv_element(KvKind kind, DType compute_dtype, Runtime runtime);

// Bytes of one row of `elems` elements (ggml_row_size: whole blocks).
[[nodiscard]] constexpr std::uint64_t kv_row_bytes(const KvElement& e, std::uint64_t elems) {
  return (elems + e.block_elems - 1) / e.block_elems * e.block_bytes;
}

// Elements one layer caches per token on one GPU.
struct KvWidth {
  std::uint64_t k = 0;        // key elements per token (or the MLA latent)
  std::uint64_t v = 0;        // value elements per token (0 when V is a view of the latent)
  std::uint64_t heads = 0;    // kv heads per GPU (0 for a latent cache)
  std::uint64_t head_dim = 0;
  bool latent = false;        // MLA compressed latent, cached once per layer (no K/V pair)
};

// transformers (DeepSeek-V2/V3 in 4.57) caches decompressed K (nh × (qk_nope + qk_rope)) and
// V (nh × v_head_dim); vLLM, SGLang and llama.cpp cache the latent kv_lora_rank + qk_rope_head_dim
// once per layer (vLLM MLAAttentionSpec, llama.cpp is_mla: V is a view of K). GQA/MQA: K and V of
// num_kv_heads heads; with tensor parallelism vLLM shards KV heads and replicates them when
// tp > num_kv_heads (max(1, kv_heads / tp) per GPU, vLLM ModelConfig.get_num_kv_heads).
[[nodiscard]] KvWidth kv_width(const ModelDescription& spec, Runtime runtime, std::uint32_t tensor_parallel);

// Bytes one layer caches per token (K row + V row).
[[nodiscard]] constexpr std::uint64_t kv_layer_bytes_per_token(const KvWidth& w, const KvElement& e) {
  return kv_row_bytes(e, w.k) + kv_row_bytes(e, w.v);
}

// How a runtime sizes the cache.
struct KvRequest {
  Runtime runtime = Runtime::Transformers;
  std::uint64_t context = 4096;        // tokens per sequence (decoder tokens for T5)
  std::uint64_t sequences = 1;
  std::uint64_t encoder_tokens = 0;    // T5 cross-attention: encoder length per sequence
  std::uint64_t ubatch = 512;          // llama.cpp n_ubatch
  bool flash_attn = false;             // llama.cpp: FA pads the cache to 256 cells, else 32
  std::uint64_t max_num_batched_tokens = 2048;  // vLLM sliding-window reserve
  std::uint64_t block_size = 16;       // vLLM CacheConfig.block_size default
  DType model_dtype = DType::BF16;     // the weights' compute dtype: what conv states are kept in
  std::uint64_t tensor_parallel = 1;   // vLLM shards the recurrent states' heads and channels
};

// Whether a decoder layer keeps per-token K/V (attention layers; Falcon-H1's parallel layers too).
[[nodiscard]] constexpr bool holds_kv(const LayerSpec& layer) {
  return layer.kind == LayerKind::Attention;
}
// Whether it keeps a constant-size state per sequence (gated DeltaNet, Mamba2, short conv).
[[nodiscard]] constexpr bool holds_state(const LayerSpec& layer) {
  return layer.kind != LayerKind::Attention || layer.parallel_mamba;
}

// The constant state one such layer keeps per sequence, as each runtime allocates it:
// - transformers: conv state [conv_dim, conv_kernel] in the model dtype (Qwen3NextDynamicCache,
//   HybridMambaAttentionDynamicCache, Lfm2HybridConvCache pad the window to the full kernel); the
//   DeltaNet recurrent state [value_heads, key_head_dim, value_head_dim] in fp32 (torch/fla
//   chunk_gated_delta_rule return the final state in float32), the Mamba2 SSM state
//   [heads, head_dim, state] in the model dtype.
// - vLLM: MambaStateShapeCalculator — conv (conv_kernel − 1) × conv_dim / tp, temporal
//   (heads / tp) × head_dim × state (DeltaNet: value_heads × key_head_dim × value_head_dim) in
//   mamba_ssm_dtype when the config sets it, else the model dtype; short conv (L − 1) × h / tp.
// - llama.cpp: llama_memory_recurrent keeps r (n_embd_r = (d_conv − 1) × conv channels) and s
//   (n_embd_s = state × inner) in f32, one cell per sequence (n_seq_max).
struct LayerState {
  Q conv;       // bytes of the conv state, one sequence
  Q recurrent;  // bytes of the recurrent / SSM state, one sequence (0 for short conv)
};
[[nodiscard]] LayerState layer_state_bytes(const ModelDescription& spec, const LayerSpec& layer, const KvRequest& request);

// llama.cpp cache padding (llama_kv_cache_unified::get_padding: FA kernels need 256, else 32).
[[nodiscard]] constexpr std::uint64_t llama_cpp_kv_pad(bool flash_attn) { return flash_attn ? 256 : 32; }
[[nodiscard]] constexpr std::uint64_t round_up(std::uint64_t n, std::uint64_t to) { return (n + to - 1) / to * to; }

// Tokens (over all sequences) that one layer holds, per runtime:
// - transformers 4.57: full layers hold every token; DynamicSlidingWindowLayer.update keeps the
//   last window − 1 tokens and concatenates the new one(s): min(context, window) per sequence.
// - vLLM: full layers cdiv(context, block_size) blocks per sequence; sliding layers
//   cdiv(min(window − 1 + max_num_batched_tokens, context), block_size) + 1 blocks
//   (vllm/v1/kv_cache_interface.py SlidingWindowSpec.max_memory_usage_bytes).
// - llama.cpp: one unified cache of n_ctx = context × sequences cells padded to 32/256;
//   SWA layers min(n_ctx, pad(n_swa·n_seq + n_ubatch, pad)) (llama-kv-cache-iswa.cpp size_swa).
[[nodiscard]] std::uint64_t kv_layer_tokens(const LayerSpec& layer, const KvRequest& request);

struct KvCacheBytes {
  Q bytes;      // the cache of layers [first, last) on one GPU
  Q per_token;  // all layers in range, one token of context (full layers)
  Message source;
  Message indexer_source;  // set when DSA indexer keys are part of `bytes`
  Q state;                 // the recurrent / conv states of the non-attention layers (part of `bytes`)
  Message state_source;    // set when `state` is not zero
};

// Bytes of one DSA indexer key row (one per token per indexer layer): vLLM's
// DeepseekV32IndexerCache stores index_head_dim fp8 values + an fp32 scale per 128 (head_size
// index_head_dim + index_head_dim // 128 · 4, uint8: 132 B at 128); transformers' DynamicCache
// update_indexer keeps index_head_dim values in the model dtype; llama.cpp has no indexer (0).
[[nodiscard]] Q indexer_key_bytes(const DsaIndexerSpec& indexer, const KvElement& element, Runtime runtime);

// The tokens one layer holds, as a formula (kv_layer_tokens is its value).
[[nodiscard]] Q kv_layer_tokens_q(const LayerSpec& layer, const KvRequest& request);

// KV cache of decoder layers [first, last) on one GPU. T5 adds the cross-attention K/V over the
// encoder tokens in every decoder layer (T5Attention with EncoderDecoderCache).
[[nodiscard]] KvCacheBytes kv_cache_bytes(const ModelDescription& spec, const KvWidth& width, const KvElement& element,
                                          const KvRequest& request, std::uint64_t first_layer, std::uint64_t last_layer);

// vLLM pool capacity: whole blocks of block_size tokens (num_gpu_blocks = available // page bytes
// of all layers; "GPU KV cache size" = num_blocks × block_size, vllm/v1/core/kv_cache_utils.py).
[[nodiscard]] constexpr std::uint64_t vllm_pool_tokens(std::uint64_t pool_bytes, std::uint64_t bytes_per_token,
                                                       std::uint64_t block_size = 16) {
  if (bytes_per_token == 0 || block_size == 0) return 0;
  return pool_bytes / (bytes_per_token * block_size) * block_size;
}

}  // namespace vram
