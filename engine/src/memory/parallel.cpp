// Sharding plans for DDP / ZeRO / FSDP / TP / PP and DeepSpeed's estimator formulas.
#include "vram/memory/parallel.hpp"

#include <algorithm>
#include <map>

#include "vram/base/explain.hpp"

namespace vram {
namespace {

Error bad(const char* flag, const std::string& msg) { return make_error(ErrorCode::InvalidValue, flag, std::string(flag) + " " + msg); }

}  // namespace

Result<ShardPlan> shard_plan(const Model& model, const TrainOptions& o) {
  ShardPlan p;
  if (o.gpus < 1) return bad("--gpus", "must be ≥ 1, got 0");
  if (o.zero > 3) return bad("--zero", "must be 0, 1, 2 or 3, got " + std::to_string(o.zero));
  if (o.tensor_parallel < 1) return bad("--tp", "must be ≥ 1, got 0");
  if (o.pipeline_parallel < 1) return bad("--pp", "must be ≥ 1, got 0");
  if (o.fsdp != Fsdp::None && o.zero > 0) return bad("--fsdp", "and --zero are alternatives: give one of them");
  const ModelSpec& s = model.spec;
  if (s.num_heads % o.tensor_parallel != 0)
    return bad("--tp", "must divide num_attention_heads (" + std::to_string(s.num_heads) + "), got " + std::to_string(o.tensor_parallel));
  if (o.pipeline_parallel > s.num_layers)
    return bad("--pp", "must be ≤ the number of layers (" + std::to_string(s.num_layers) + "), got " + std::to_string(o.pipeline_parallel));
  const std::uint32_t mp = o.tensor_parallel * o.pipeline_parallel;
  if (o.gpus % mp != 0)
    return bad("--gpus", "must be a multiple of --tp × --pp (" + std::to_string(mp) + "), got " + std::to_string(o.gpus));
  p.gpus = o.gpus;
  p.tp = o.tensor_parallel;
  p.pp = o.pipeline_parallel;
  p.dp = o.gpus / mp;
  const bool full_shard = o.zero == 3 || o.fsdp == Fsdp::FullShard;
  const bool grad_shard = full_shard || o.zero == 2 || o.fsdp == Fsdp::ShardGradOp;
  const bool state_shard = grad_shard || o.zero == 1;
  p.param_shards = full_shard ? p.dp : 1;
  p.grad_shards = grad_shard ? p.dp : 1;
  p.state_shards = state_shard ? p.dp : 1;
  p.gather_buffer = full_shard && p.dp > 1;
  p.deepspeed = o.zero > 0;
  if (o.offload_params != Offload::None && !full_shard)
    return bad("--offload-params", "needs --zero 3 or --fsdp full_shard (parameters are only offloaded when sharded)");
  if (o.offload_optimizer != Offload::None && !state_shard && o.fsdp == Fsdp::None)
    return bad("--offload-optimizer", "needs --zero 1, 2 or 3 or --fsdp (DeepSpeed ZeRO-Offload / FSDP CPUOffload)");
  p.states_offloaded = o.offload_optimizer != Offload::None;
  p.params_offloaded = o.offload_params != Offload::None;
  p.nvme = o.offload_optimizer == Offload::Nvme || o.offload_params == Offload::Nvme;
  if (o.zero > 0) p.mode = "ZeRO-" + std::to_string(o.zero);
  else if (o.fsdp == Fsdp::FullShard) p.mode = "FSDP full_shard";
  else if (o.fsdp == Fsdp::ShardGradOp) p.mode = "FSDP shard_grad_op";
  else p.mode = p.dp > 1 ? "DDP" : "single GPU";
  if (p.tp > 1) p.mode += " + TP " + std::to_string(p.tp);
  if (p.pp > 1) p.mode += " + PP " + std::to_string(p.pp);
  return p;
}

std::uint64_t first_stage_bytes(const std::vector<std::uint64_t>& layer_bytes, std::uint64_t input_bytes,
                                std::uint64_t output_bytes, std::uint32_t pp) {
  if (pp <= 1) {
    std::uint64_t all = input_bytes + output_bytes;
    for (auto b : layer_bytes) all += b;
    return all;
  }
  const std::uint64_t lps = layers_per_stage(layer_bytes.size(), pp);
  std::uint64_t stage = input_bytes;
  for (std::uint64_t i = 0; i < lps && i < layer_bytes.size(); ++i) stage += layer_bytes[i];
  return stage;
}

std::uint64_t largest_module_params(const Inventory& inv) {
  std::map<std::string, std::uint64_t> modules;
  for (const auto& g : inv.groups) {
    if (g.is_buffer() || !g.in_full) continue;
    const std::size_t dot = g.name.rfind('.');
    const std::string path = dot == std::string::npos ? g.name : g.name.substr(0, dot);
    // experts in a ModuleList ("experts.{e}.w1") are one module each; stacked parameters are one module.
    const bool per_expert = g.name.find("{e}") != std::string::npos;
    modules[path] += per_expert ? g.rows * g.cols : g.numel();
  }
  std::uint64_t best = 0;
  for (const auto& [path, n] : modules) best = std::max(best, n);
  return best;
}

DeepSpeedEstimate deepspeed_zero2_estimate(std::uint64_t P, std::uint32_t gpn, std::uint32_t nodes, bool cpu_offload,
                                           double f) {
  DeepSpeedEstimate e;
  const std::uint64_t N = static_cast<std::uint64_t>(gpn) * nodes;
  const double Pd = static_cast<double>(P);
  if (cpu_offload) {
    e.gpu_bytes = 2 * P;
    e.cpu_bytes = static_cast<std::uint64_t>(Pd * static_cast<double>(std::max<std::uint64_t>(4 * N, 16)) * f);
    e.explain = Explain().times(std::uint64_t{2}, "B").times(P, "params").text(" GPU; CPU ").times(P, "params")
                    .times(static_cast<double>(std::max<std::uint64_t>(4 * N, 16)), "B").times(f, "buffer factor").str();
  } else {
    e.gpu_bytes = 2 * P + static_cast<std::uint64_t>(18.0 * Pd / static_cast<double>(N));
    e.cpu_bytes = static_cast<std::uint64_t>(Pd * 4.0 * gpn * f);
    e.explain = Explain().text("GPU 2 B × ").times(P, "params").plus("18 B × ").times(P, "params")
                    .text(" / " + std::to_string(N) + " GPUs; CPU ").times(P, "params").times(std::uint64_t{4} * gpn, "B").times(f, "buffer factor").str();
  }
  return e;
}

DeepSpeedEstimate deepspeed_zero3_estimate(std::uint64_t P, std::uint64_t LLp, std::uint32_t gpn, std::uint32_t nodes,
                                           bool cpu_offload, bool cpu_offload_params, bool zero_init, double f) {
  DeepSpeedEstimate e;
  const std::uint64_t N = static_cast<std::uint64_t>(gpn) * nodes;
  const double Pd = static_cast<double>(P), gf = 1.0 / static_cast<double>(nodes);
  const std::uint64_t LL = 4 * LLp;  // fp16 params + fp16 grads of the largest layer
  double cpu = 0;
  if (cpu_offload) {
    if (cpu_offload_params) {
      e.gpu_bytes = LL;
      cpu = zero_init ? Pd * 18 * gf * f : Pd * std::max(4.0 * gpn, 18 * gf) * f;
    } else {
      e.gpu_bytes = LL + static_cast<std::uint64_t>(2 * Pd / static_cast<double>(N));
      cpu = zero_init ? Pd * 16 * gf * f : Pd * std::max(4.0 * gpn, 16 * gf) * f;
    }
  } else {
    e.gpu_bytes = LL + static_cast<std::uint64_t>(18 * Pd / static_cast<double>(N));
    cpu = zero_init ? static_cast<double>(LLp) * 4 * gpn * f : Pd * 4 * gpn * f;
  }
  e.cpu_bytes = static_cast<std::uint64_t>(cpu);
  e.explain = Explain().text("GPU 4 B × ").times(LLp, "largest-layer params").text(cpu_offload_params && cpu_offload ? "" : " + per-GPU shard")
                  .text("; CPU ").times(e.cpu_bytes, "B (buffer factor " + format_number(f) + ")").str();
  return e;
}

}  // namespace vram
