// Precision plans and optimizer state bytes.
#include "vram/memory/optimizer.hpp"

#include <algorithm>

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
  std::uint64_t numel_ = 0, largest_ = 0;
  for (const auto& t : tensors) {
    numel_ += t.numel() * t.count;
    largest_ = std::max(largest_, t.numel());
  }
  const Q numel = Q::of(numel_, Msg::term_params);
  const Q elem = Q::of(dtype_bytes(state_dtype), Message{Msg::term_bytes_dtype, {{"dtype", dtype_name(state_dtype)}}});
  const bool overridden = override_bytes > 0;
  const auto states = [](std::uint64_t n) { return Q::of(n, Msg::term_states); };
  // bytes = numel × states × override (rounded down to whole bytes).
  const auto with_override = [&](std::uint64_t n) {
    return scale(numel * states(n), override_bytes, Msg::term_bytes_per_state_given, option_field("state_bytes"));
  };
  switch (o) {
    case Optimizer::AdamW8bit:
    case Optimizer::PagedAdamW8bit: {
      if (overridden) {
        out.bytes = with_override(2);
      } else {
        std::uint64_t small = 0, big = 0, blocks = 0;
        for (const auto& t : tensors) {
          if (t.numel() < kBnbMin8bitSize) {
            small += t.numel() * t.count;
          } else {
            big += t.numel() * t.count;
            blocks += ((t.numel() + kBnbBlockSize - 1) / kBnbBlockSize) * t.count;
          }
        }
        out.bytes = states(2) * (Q::of(big, Msg::term_params_8bit) * Q::of(1, Message{Msg::term_bytes_dtype, {{"dtype", "uint8"}}}) +
                                 Q::of(blocks, Msg::term_absmax_blocks) * Q::of(4, Message{Msg::term_bytes_dtype, {{"dtype", "fp32"}}})) +
                    states(2) * Q::of(small, Msg::term_params_small) * Q::of(4, Message{Msg::term_bytes_dtype, {{"dtype", "fp32"}}});
      }
      out.source = Msg::source_optimizer_bnb8bit;
      if (o == Optimizer::PagedAdamW8bit) out.notes.push_back(Msg::note_paged_optimizer);
      break;
    }
    case Optimizer::Adafactor: {
      std::uint64_t elems = 0;
      for (const auto& t : tensors) elems += adafactor_elements(t.rows, t.cols) * t.count;
      const Q factored = Q::of(elems, Msg::term_adafactor_stats);
      out.bytes = overridden ? scale(factored, override_bytes, Msg::term_bytes_per_state_given, option_field("state_bytes")) : factored * elem;
      out.source = Msg::source_optimizer_adafactor;
      break;
    }
    default: {
      const std::uint64_t n = full_states(o);
      out.bytes = overridden ? with_override(n) : numel * states(n) * elem;
      out.source = n == 2 ? Msg::source_optimizer_adam
                   : o == Optimizer::Lion ? Msg::source_optimizer_lion
                   : n == 1 ? Msg::source_optimizer_sgd_momentum
                            : Msg::source_optimizer_sgd;
      if (o == Optimizer::PagedAdamW) out.notes.push_back(Msg::note_paged_optimizer);
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
      out.step_temporary = numel * elem;
      out.temporary_source = Msg::source_step_foreach_sqrt;
      break;
    case Optimizer::Lion:
      out.step_temporary = numel * elem;
      out.temporary_source = Msg::source_step_lion;
      break;
    case Optimizer::Adafactor:
      // Per-tensor step: grad upcast to fp32 and update = grad² + eps, one tensor at a time.
      out.step_temporary = Q::of(2, Msg::term_fp32_temporaries) * Q::of(largest_, Msg::term_largest_tensor) *
                           Q::of(4, Message{Msg::term_bytes_dtype, {{"dtype", "fp32"}}});
      out.temporary_source = Msg::source_step_adafactor;
      break;
    default: out.step_temporary = Q::of(0); break;  // SGD and the bitsandbytes kernels update in place
  }
  return out;
}

}  // namespace vram
