// Precision plans and optimizer state bytes.
#include "vram/memory/optimizer.hpp"

#include <algorithm>

#include "vram/base/explain.hpp"

namespace vram {

PrecisionPlan precision_plan(Precision p) {
  PrecisionPlan plan;
  switch (p) {
    case Precision::Fp32: break;
    case Precision::AmpBf16:
    case Precision::AmpFp16:
      // torch.amp: parameters, .grad and optimizer states stay fp32; autocast runs matmuls in 16 bit
      // and caches the 16-bit weight casts for the forward (torch/amp/autocast_mode.py cache_enabled).
      plan.compute = p == Precision::AmpBf16 ? DType::BF16 : DType::F16;
      plan.autocast = true;
      break;
    case Precision::MixedBf16:
    case Precision::MixedFp16:
      // DeepSpeed BF16_Optimizer / FP16_Optimizer, Megatron: 16-bit params + grads, fp32 master + states.
      plan.weights = plan.grads = plan.compute = plan.stream = p == Precision::MixedBf16 ? DType::BF16 : DType::F16;
      plan.master_fp32 = true;
      break;
    case Precision::Bf16:
      // Pure bf16: torch.optim states are zeros_like(param) → bf16 (torch/optim/adamw.py _init_group).
      plan.weights = plan.grads = plan.compute = plan.stream = plan.states = DType::BF16;
      break;
  }
  return plan;
}

OptimizerStates optimizer_states(Optimizer o, const std::vector<TensorShape>& tensors, DType state_dtype,
                                 double override_bytes) {
  OptimizerStates out;
  out.states_per_param = full_states(o);
  std::uint64_t numel = 0, largest = 0;
  for (const auto& t : tensors) {
    numel += t.numel() * t.count;
    largest = std::max(largest, t.numel());
  }
  const std::uint64_t elem = dtype_bytes(state_dtype);
  const bool overridden = override_bytes > 0;
  auto with_override = [&](std::uint64_t states) {
    // bytes = numel × states × override (rounded down to whole bytes).
    return static_cast<std::uint64_t>(static_cast<double>(numel) * static_cast<double>(states) * override_bytes);
  };
  switch (o) {
    case Optimizer::AdamW8bit:
    case Optimizer::PagedAdamW8bit: {
      if (overridden) {
        out.bytes = with_override(2);
        out.explain = Explain().times(numel, "params").times(std::uint64_t{2}, "states").times(override_bytes, "B").str();
        break;
      }
      std::uint64_t small = 0, big = 0, blocks = 0;
      for (const auto& t : tensors) {
        if (t.numel() < kBnbMin8bitSize) {
          small += t.numel() * t.count;
        } else {
          big += t.numel() * t.count;
          blocks += ((t.numel() + kBnbBlockSize - 1) / kBnbBlockSize) * t.count;
        }
      }
      out.bytes = 2 * (big + 4 * blocks) + 2 * 4 * small;
      out.explain = Explain()
                        .times(std::uint64_t{2}, "states")
                        .text(" × (")
                        .times(big, "params × 1 B")
                        .plus("")
                        .times(blocks, "blocks of 256 × 4 B absmax)")
                        .plus("2")
                        .times(small, "params in tensors < 4,096 elements × 4 B")
                        .str();
      out.source = "bitsandbytes optim/optimizer.py Optimizer2State.init_state (uint8 states, blockwise absmax, min_8bit_size 4096)";
      if (o == Optimizer::PagedAdamW8bit)
        out.notes.push_back("paged optimizer: states live in CUDA unified memory and are paged to CPU RAM under GPU memory pressure");
      break;
    }
    case Optimizer::Adafactor: {
      std::uint64_t elems = 0;
      for (const auto& t : tensors) elems += adafactor_elements(t.rows, t.cols) * t.count;
      const double b = overridden ? override_bytes : static_cast<double>(elem);
      out.bytes = static_cast<std::uint64_t>(static_cast<double>(elems) * b);
      out.explain = Explain().times(elems, "row + column statistics (vectors: full)").times(b, "B").str();
      out.source = "transformers optimization.py Adafactor (factored exp_avg_sq_row/col for ≥2-D, beta1=None: no exp_avg)";
      break;
    }
    default: {
      const std::uint64_t states = full_states(o);
      if (overridden) {
        out.bytes = with_override(states);
        out.explain = Explain().times(numel, "params").times(states, "states").times(override_bytes, "B").str();
      } else {
        out.bytes = numel * states * elem;
        out.explain = Explain().times(numel, "params").times(states, "states").times(elem, "B").str();
      }
      out.source = states == 2 ? "torch.optim.AdamW/Adam: exp_avg + exp_avg_sq, zeros_like(param)"
                   : o == Optimizer::Lion ? "Lion (Chen et al. 2023): one momentum, zeros_like(param)"
                   : states == 1 ? "torch.optim.SGD momentum_buffer = clone(grad)"
                                 : "torch.optim.SGD without momentum keeps no state";
      if (o == Optimizer::PagedAdamW)
        out.notes.push_back("paged optimizer: states live in CUDA unified memory and are paged to CPU RAM under GPU memory pressure");
      break;
    }
  }
  // Transient buffers of optimizer.step().
  switch (o) {
    case Optimizer::AdamW:
    case Optimizer::Adam:
    case Optimizer::PagedAdamW:
      // torch/optim/adamw.py _multi_tensor_adamw (foreach, the CUDA default): exp_avg_sq_sqrt =
      // torch._foreach_sqrt(exp_avg_sqs) materialises one state-sized copy per param group.
      out.step_temporary_bytes = numel * elem;
      out.temporary_explain = Explain().times(numel, "params").times(elem, "B (foreach sqrt(exp_avg_sq) copy)").str();
      break;
    case Optimizer::Lion:
      out.step_temporary_bytes = numel * elem;
      out.temporary_explain = Explain().times(numel, "params").times(elem, "B (update = exp_avg.clone() …)").str();
      break;
    case Optimizer::Adafactor:
      // Per-tensor step: grad upcast to fp32 and update = grad² + eps, one tensor at a time.
      out.step_temporary_bytes = 2 * largest * 4;
      out.temporary_explain = Explain().times(std::uint64_t{2}, "fp32 temporaries").times(largest, "elements of the largest tensor").times(std::uint64_t{4}, "B").str();
      break;
    default: break;  // SGD and the bitsandbytes kernels update in place
  }
  return out;
}

}  // namespace vram
