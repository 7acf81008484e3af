// Training precision (what dtype weights, gradients, master copy and compute use) and optimizer
// state bytes per optimizer, tensor by tensor where the optimizer's layout depends on the shape.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vram/base/dtype.hpp"
#include "vram/base/formula.hpp"
#include "vram/workload/workload.hpp"

namespace vram {

struct PrecisionPlan {
  DType weights = DType::F32;    // dtype of the trained parameters as stored on the GPU
  DType grads = DType::F32;      // .grad dtype (= parameter dtype in PyTorch)
  DType compute = DType::F32;    // dtype matmuls run and save activations in
  DType stream = DType::F32;     // residual stream / norm dtype (fp32 under autocast: params are fp32)
  bool master_fp32 = false;      // fp32 master copy beside 16-bit weights (DeepSpeed / Megatron)
  bool autocast = false;         // torch.autocast: 16-bit weight copies cached during forward
  DType states = DType::F32;     // dtype of the tensor the optimizer updates (master or param)
};

// fp32: all fp32. amp_*: fp32 params/grads/states, 16-bit compute (torch.amp). mixed_*: 16-bit params and
// grads + fp32 master and states (DeepSpeed bf16/fp16 optimizer, Megatron). bf16: everything bf16
// (optimizer states created zeros_like(param) → bf16).
[[nodiscard]] PrecisionPlan precision_plan(Precision p);

// One trainable tensor shape, repeated `count` times.
struct TensorShape {
  std::uint64_t rows = 0;
  std::uint64_t cols = 1;   // 1 for vectors
  std::uint64_t count = 1;
  [[nodiscard]] std::uint64_t numel() const { return rows * cols; }
};

struct OptimizerStates {
  Q bytes;                                  // the states
  std::uint64_t states_per_param = 0;       // full-size states per element (before 8-bit / factoring)
  Q step_temporary;                         // transient buffers during optimizer.step()
  Message source;
  Message temporary_source;
  std::vector<Message> notes;
};

// bitsandbytes Optimizer8bit: tensors with fewer than min_8bit_size elements keep 32-bit states
// (bitsandbytes/optim/optimizer.py Optimizer2State.init_state, min_8bit_size=4096); blockwise absmax.
inline constexpr std::uint64_t kBnbMin8bitSize = 4096;
inline constexpr std::uint64_t kBnbBlockSize = 256;

// Number of full-size state tensors: Adam/AdamW 2 (exp_avg, exp_avg_sq), SGD 0, SGD momentum 1,
// Lion 1 (exp_avg), Adafactor 0 full-size (factored; beta1=None in transformers' Adafactor).
[[nodiscard]] constexpr std::uint64_t full_states(Optimizer o) noexcept {
  switch (o) {
    case Optimizer::AdamW: case Optimizer::Adam: case Optimizer::PagedAdamW:
    case Optimizer::AdamW8bit: case Optimizer::PagedAdamW8bit: return 2;
    case Optimizer::SgdMomentum: case Optimizer::Lion: return 1;
    case Optimizer::Sgd: case Optimizer::Adafactor: return 0;
  }
  return 2;
}

// Bytes of one 8-bit blockwise state of an n-element tensor: n uint8 + one fp32 absmax per block
// (bitsandbytes Optimizer2State.init_state, block_wise=True); fp32 when n < min_8bit_size.
[[nodiscard]] constexpr std::uint64_t bnb_state_bytes(std::uint64_t n) noexcept {
  if (n < kBnbMin8bitSize) return 4 * n;
  return n + 4 * ((n + kBnbBlockSize - 1) / kBnbBlockSize);
}

// Adafactor factored second moment: a row vector and a column vector for ≥2-D tensors, a full
// vector otherwise (transformers optimization.py Adafactor._get_options / step).
[[nodiscard]] constexpr std::uint64_t adafactor_elements(std::uint64_t rows, std::uint64_t cols) noexcept {
  return cols > 1 ? rows + cols : rows;
}

// Optimizer states for the given trainable tensors whose updated copy has dtype `state_dtype`.
// state_bytes_override > 0 replaces the bytes per state element (--state-bytes).
[[nodiscard]] OptimizerStates optimizer_states(Optimizer o, const std::vector<TensorShape>& tensors, DType state_dtype,
                                               double state_bytes_override);

}  // namespace vram
