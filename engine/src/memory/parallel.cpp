// Sharding plans for DDP / ZeRO / FSDP / TP / PP and DeepSpeed's estimator formulas.
#include "vram/memory/parallel.hpp"

#include <algorithm>
#include <map>

#include "vram/workload/option_table.hpp"

namespace vram {

// The ranges of the parallel options and the rules between them live in the option table
// (workload/option_table.cpp: fsdp_or_zero, offload_*_needs_*, gpus_multiple_of_tp_pp,
// tp_divides_heads, pp_at_most_layers); this resolves a checked layout.
Result<ShardPlan> shard_plan(const Model& model, const TrainOptions& o) {
  if (auto e = check_options(o, &model.spec)) return *e;
  ShardPlan p;
  const std::uint32_t mp = o.tensor_parallel * o.pipeline_parallel;
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
  p.states_offloaded = o.offload_optimizer != Offload::None;
  p.params_offloaded = o.offload_params != Offload::None;
  p.nvme = o.offload_optimizer == Offload::Nvme || o.offload_params == Offload::Nvme;
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

namespace {

Q params_q(std::uint64_t p) { return Q::of(p, Msg::term_params); }
Q bytes_per(std::uint64_t b) { return Q::of(b, Msg::term_bytes_per_param); }
// P × (bytes per parameter × additional_buffer_factor), one product as DeepSpeed forms it; the
// label shows both factors ("× 27 B per parameter (18 B × 1.5 additional_buffer_factor)").
Q buffered(const Q& params, double per_param, double f) {
  return scale(params, per_param * f, Message{Msg::term_bytes_per_param_buffered, {{"per", per_param}, {"factor", f}}});
}

}  // namespace

DeepSpeedEstimate deepspeed_zero2_estimate(std::uint64_t P, std::uint32_t gpn, std::uint32_t nodes, bool cpu_offload,
                                           double f) {
  const ExplainScope explain(true);  // a compatibility view: always with its formula
  DeepSpeedEstimate e;
  const std::uint64_t N = static_cast<std::uint64_t>(gpn) * nodes;
  const Q gpus = Q::of(N, Msg::term_gpus);
  if (cpu_offload) {
    e.gpu = bytes_per(2) * params_q(P);
    e.cpu = scale(params_q(P) * bytes_per(std::max<std::uint64_t>(4 * N, 16)), f, Msg::term_buffer_factor);
  } else {
    e.gpu = bytes_per(2) * params_q(P) + div(bytes_per(18) * params_q(P), gpus);
    e.cpu = scale(params_q(P) * bytes_per(4 * std::uint64_t{gpn}), f, Msg::term_buffer_factor);
  }
  e.gpu_bytes = e.gpu.value();
  e.cpu_bytes = e.cpu.value();
  return e;
}

DeepSpeedEstimate deepspeed_zero3_estimate(std::uint64_t P, std::uint64_t LLp, std::uint32_t gpn, std::uint32_t nodes,
                                           bool cpu_offload, bool cpu_offload_params, bool zero_init, double f) {
  const ExplainScope explain(true);
  DeepSpeedEstimate e;
  const std::uint64_t N = static_cast<std::uint64_t>(gpn) * nodes;
  const double gf = 1.0 / static_cast<double>(nodes);
  const Q gpus = Q::of(N, Msg::term_gpus);
  // fp16 params + fp16 grads of the largest layer, named so the sum after it reads as two parts
  const Q largest = (bytes_per(4) * Q::of(LLp, Msg::term_largest_layer_params)).as_bytes().named(Msg::term_ds_largest_layer);
  // CPU bytes per parameter: 18 (fp32 params, grads, Adam) with parameters offloaded, 16 without;
  // without zero.Init every GPU of the node first loads the whole model (4 B each).
  const auto per_node = [&](double per_param) {
    return zero_init ? per_param * gf : std::max(4.0 * gpn, per_param * gf);
  };
  if (cpu_offload) {
    if (cpu_offload_params) {
      e.gpu = largest;
      e.cpu = buffered(params_q(P), per_node(18), f);
    } else {
      e.gpu = largest + div(bytes_per(2) * params_q(P), gpus);
      e.cpu = buffered(params_q(P), per_node(16), f);
    }
  } else {
    e.gpu = largest + div(bytes_per(18) * params_q(P), gpus);
    e.cpu = zero_init ? scale(Q::of(LLp, Msg::term_largest_layer_params) * bytes_per(4 * std::uint64_t{gpn}), f, Msg::term_buffer_factor)
                      : scale(params_q(P) * bytes_per(4 * std::uint64_t{gpn}), f, Msg::term_buffer_factor);
  }
  e.gpu_bytes = e.gpu.value();
  e.cpu_bytes = e.cpu.value();
  return e;
}

}  // namespace vram
