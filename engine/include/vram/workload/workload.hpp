// What the user wants to run: inference/serving or training/fine-tuning options. Plain aggregates
// with defaults; every enum has a stable string id used by the CLI, the bindings and permalinks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/dtype.hpp"
#include "vram/base/result.hpp"

namespace vram {

enum class Runtime : std::uint8_t { Transformers, Vllm, LlamaCpp };
enum class AttentionImpl : std::uint8_t { Eager, Sdpa, Flash };

// Weight storage format. "auto" = as the checkpoint stores it (torch_dtype / quantization_config).
enum class WeightKind : std::uint8_t {
  Auto, F32, F16, BF16, Fp8,
  BnbInt8,        // bitsandbytes LLM.int8(): int8 + fp32 row scales, outliers threshold
  BnbNf4, BnbFp4, // bitsandbytes 4-bit, 64-element blocks with absmax (optional double quant)
  Gptq, Awq,      // group-wise integer with packed zeros and fp16 scales
  Mxfp4,          // 4-bit e2m1 + one e8m0 scale per 32
  Gguf,           // llama.cpp GGUF types and recipes
};

struct WeightFormat {
  WeightKind kind = WeightKind::Auto;
  std::uint32_t bits = 16;         // gptq/awq bits
  std::int64_t group_size = 128;   // gptq/awq group (-1 = per channel)
  bool double_quant = false;       // bnb 4-bit
  std::string gguf_type;           // "Q4_K_M", "Q8_0", "IQ4_XS", "F16" …
  std::string id;                  // canonical id as given: "auto", "bf16", "nf4", "gguf:Q4_K_M" …
};

// The weight format ids the page offers: dense dtypes, bnb, gptq/awq bit widths, mxfp4, GGUF types.
[[nodiscard]] std::vector<std::string> weight_format_ids();

// "auto", "fp32", "fp16", "bf16", "fp8", "int8", "nf4", "nf4-dq", "fp4", "int4" (= nf4),
// "gptq-4", "gptq-4-g128", "awq-4", "mxfp4", "gguf:Q4_K_M".
[[nodiscard]] Result<WeightFormat> parse_weight_format(std::string_view id);

// KV cache element format. Auto = the compute dtype.
enum class KvKind : std::uint8_t { Auto, F32, F16, BF16, Fp8, Int8, Q8_0, Q4_0 };
[[nodiscard]] Result<KvKind> parse_kv_kind(std::string_view id);
[[nodiscard]] std::string_view kv_kind_id(KvKind kind);

struct InferenceOptions {
  WeightFormat weights;                 // default auto
  KvKind kv = KvKind::Auto;
  std::uint64_t batch = 1;              // concurrent sequences
  std::uint64_t context = 4096;         // tokens held per sequence (prompt + generated)
  std::uint64_t prompt = 0;             // tokens in the prefill pass (0 = context)
  Runtime runtime = Runtime::Transformers;
  AttentionImpl attn = AttentionImpl::Sdpa;
  // vLLM
  double gpu_memory_utilization = 0.9;
  std::uint64_t gpu_memory_bytes = 0;   // card capacity for the vLLM pool (0 = none given)
  bool cuda_graphs = true;
  std::uint64_t max_num_batched_tokens = 0;  // profile-run tokens (0 = vLLM default)
  // llama.cpp
  std::int64_t gpu_layers = -1;         // -ngl; -1 = all layers on the GPU
  std::uint64_t ubatch = 512;
  std::uint64_t n_batch = 2048;
  // Runtime overhead (CUDA context + framework) override in bytes; -1 = the profile's default.
  std::int64_t overhead_bytes = -1;
  std::uint32_t tensor_parallel = 1;
  std::uint32_t pipeline_parallel = 1;
  // Exact checkpoint bytes read from safetensors headers (0 = size the weights from the config).
  std::uint64_t stored_weight_bytes = 0;
  std::uint64_t stored_quant_metadata_bytes = 0;
  // The GPU the workload runs on (an id of the GPU table, "" = none chosen): runtimes that size
  // themselves from the card (vLLM's KV pool) read its usable memory unless gpu_memory_bytes is given.
  std::string gpu;
};

enum class TrainMethod : std::uint8_t { Full, Lora, Qlora };
enum class Optimizer : std::uint8_t { AdamW, Adam, AdamW8bit, PagedAdamW, PagedAdamW8bit, Sgd, SgdMomentum, Adafactor, Lion };
enum class Precision : std::uint8_t {
  Fp32,        // fp32 weights, grads, states
  AmpBf16,     // fp32 weights + autocast bf16 compute (torch.amp)
  AmpFp16,     // fp32 weights + autocast fp16 compute + GradScaler
  MixedBf16,   // bf16 weights/grads + fp32 master copy (DeepSpeed / Megatron)
  MixedFp16,   // fp16 weights/grads + fp32 master copy
  Bf16,        // pure bf16: weights, grads and optimizer states in bf16
};
enum class Checkpointing : std::uint8_t { None, Selective, Full };
enum class Fsdp : std::uint8_t { None, FullShard, ShardGradOp };
enum class Offload : std::uint8_t { None, Cpu, Nvme };

struct TrainOptions {
  TrainMethod method = TrainMethod::Full;
  Optimizer optimizer = Optimizer::AdamW;
  Precision precision = Precision::AmpBf16;
  double state_bytes_override = -1;     // bytes per optimizer state element (-1 = the optimizer's)
  std::uint64_t micro_batch = 1;
  std::uint64_t seq = 2048;
  std::uint64_t grad_accum = 1;
  Checkpointing checkpointing = Checkpointing::None;
  AttentionImpl attn = AttentionImpl::Sdpa;
  bool dropout = false;                 // attention/hidden dropout enabled (masks kept)
  // LoRA / QLoRA
  std::uint64_t lora_rank = 16;
  std::string lora_targets = "q_proj,v_proj";  // "attention", "all-linear" or a comma list
  bool dora = false;
  DType adapter_dtype = DType::F32;     // PEFT keeps adapters in fp32 by default (autocast_adapter_dtype)
  WeightFormat base_weights;            // frozen base format for LoRA (auto = checkpoint dtype; QLoRA forces nf4)
  // Parallelism
  std::uint32_t gpus = 1;
  std::uint32_t zero = 0;               // DeepSpeed ZeRO stage 0..3
  Fsdp fsdp = Fsdp::None;
  Offload offload_optimizer = Offload::None;
  Offload offload_params = Offload::None;
  std::uint32_t tensor_parallel = 1;
  std::uint32_t pipeline_parallel = 1;
  bool sequence_parallel = false;
  std::int64_t overhead_bytes = -1;     // CUDA context + framework; -1 = default
  std::string gpu;                      // the GPU trained on (an id of the GPU table, "" = none chosen)
};

// Stable ids ("adamw", "amp_bf16", "selective", …) and their parsers; parse errors name `field`.
[[nodiscard]] std::string_view to_id(Runtime v);
[[nodiscard]] std::string_view to_id(AttentionImpl v);
[[nodiscard]] std::string_view to_id(TrainMethod v);
[[nodiscard]] std::string_view to_id(Optimizer v);
[[nodiscard]] std::string_view to_id(Precision v);
[[nodiscard]] std::string_view to_id(Checkpointing v);
[[nodiscard]] std::string_view to_id(Fsdp v);
[[nodiscard]] std::string_view to_id(Offload v);
[[nodiscard]] Result<Runtime> parse_runtime(std::string_view id, std::string_view field);
[[nodiscard]] Result<AttentionImpl> parse_attention(std::string_view id, std::string_view field);
[[nodiscard]] Result<TrainMethod> parse_method(std::string_view id, std::string_view field);
[[nodiscard]] Result<Optimizer> parse_optimizer(std::string_view id, std::string_view field);
[[nodiscard]] Result<Precision> parse_precision(std::string_view id, std::string_view field);
[[nodiscard]] Result<Checkpointing> parse_checkpointing(std::string_view id, std::string_view field);
[[nodiscard]] Result<Fsdp> parse_fsdp(std::string_view id, std::string_view field);
[[nodiscard]] Result<Offload> parse_offload(std::string_view id, std::string_view field);

// All ids of an enum, for dropdowns (read by the UI through the bindings, never re-declared in JS).
[[nodiscard]] std::vector<std::string> option_ids(std::string_view enum_name);

}  // namespace vram
