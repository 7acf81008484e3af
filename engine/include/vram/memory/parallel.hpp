// Multi-GPU training: how DDP, DeepSpeed ZeRO 1-3, FSDP, tensor and pipeline parallelism divide
// parameters, gradients, optimizer states and activations per GPU; offload to CPU RAM; and a
// compatibility view reproducing DeepSpeed's own model-states estimators.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vram/base/formula.hpp"
#include "vram/model/model.hpp"
#include "vram/base/result.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

struct ShardPlan {
  std::uint32_t gpus = 1, dp = 1, tp = 1, pp = 1;
  std::uint32_t param_shards = 1;   // ZeRO-3 / FSDP full_shard: dp
  std::uint32_t grad_shards = 1;    // ZeRO-2/3, shard_grad_op, full_shard: dp
  std::uint32_t state_shards = 1;   // ZeRO-1/2/3, any FSDP: dp
  bool gather_buffer = false;       // parameters are gathered layer by layer (ZeRO-3, full_shard)
  bool params_offloaded = false;
  bool states_offloaded = false;
  bool nvme = false;                // offload target is NVMe (not CPU RAM)
  bool deepspeed = false;           // ZeRO stage given (DeepSpeed engine), not FSDP/DDP
};

// Checks the options (the option table's ranges and rules, with the model) and resolves the
// parallel layout; errors name the options (gpus, zero, fsdp, tp, pp, offload_*).
[[nodiscard]] Result<ShardPlan> shard_plan(const Model& model, const TrainOptions& options);

// Bytes of one rank's shard of `bytes` split `n` ways (flat partition, rounded up).
[[nodiscard]] constexpr std::uint64_t shard_bytes(std::uint64_t bytes, std::uint32_t n) noexcept {
  return n <= 1 ? bytes : (bytes + n - 1) / n;
}

// Pipeline stages: ceil(layers / pp) layers each; the first stage also holds the embeddings, the last
// the final norm and lm_head (Megatron-LM uniform split).
[[nodiscard]] constexpr std::uint64_t layers_per_stage(std::uint64_t layers, std::uint32_t pp) noexcept {
  return pp <= 1 ? layers : (layers + pp - 1) / pp;
}
// Bytes held by the first pipeline stage (all of them when pp = 1).
[[nodiscard]] std::uint64_t first_stage_bytes(const std::vector<std::uint64_t>& layer_bytes, std::uint64_t input_bytes,
                                              std::uint64_t output_bytes, std::uint32_t pp);
// 1F1B schedule: the first stage holds activations of min(pp, micro-batches) micro-batches
// (Narayanan et al. 2021 §2.2; Megatron-LM theoretical_memory_usage.py).
[[nodiscard]] constexpr std::uint64_t pipeline_in_flight(std::uint32_t pp, std::uint64_t micro_batches) noexcept {
  return pp <= 1 ? 1 : (micro_batches < pp ? micro_batches : pp);
}

// DeepSpeed pins CPU buffers for offloaded tensors: additional_buffer_factor = 1.5 in its estimators
// (deepspeed/runtime/zero/stage_1_and_2.py, stage3.py).
inline constexpr double kDeepSpeedCpuBufferFactor = 1.5;

// Largest module by directly owned parameters, the way DeepSpeed's model_to_params counts it
// (max over model.modules() of sum(p.numel() for p in m.parameters(recurse=False))).
[[nodiscard]] std::uint64_t largest_module_params(const Inventory& inv);

struct DeepSpeedEstimate {
  std::uint64_t gpu_bytes = 0;   // per GPU
  std::uint64_t cpu_bytes = 0;   // per node
  Q gpu, cpu;                    // the same, as the estimator's formulas
};

// estimate_zero2_model_states_mem_needs (current code, after PR #5099):
//   offload: gpu 2·P, cpu P·max(4·N, 16)·1.5; none: gpu 2·P + int(18·P/N), cpu P·4·gpus_per_node·1.5.
[[nodiscard]] DeepSpeedEstimate deepspeed_zero2_estimate(std::uint64_t total_params, std::uint32_t gpus_per_node,
                                                         std::uint32_t nodes, bool cpu_offload,
                                                         double buffer_factor = kDeepSpeedCpuBufferFactor);
// estimate_zero3_model_states_mem_needs: LL = 4·largest_layer; see stage3.py.
[[nodiscard]] DeepSpeedEstimate deepspeed_zero3_estimate(std::uint64_t total_params, std::uint64_t largest_layer_params,
                                                         std::uint32_t gpus_per_node, std::uint32_t nodes,
                                                         bool cpu_offload, bool cpu_offload_params, bool zero_init,
                                                         double buffer_factor = kDeepSpeedCpuBufferFactor);

}  // namespace vram
