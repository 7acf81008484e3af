// The Hugging Face "Model Memory Calculator" table (accelerate `estimate-memory` and the
// hf-accelerate/model-memory-usage Space), reproduced from the inventory's calculator view so the
// UI can show it next to our own estimate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "vram/model/model.hpp"

namespace vram {

struct HfTableRow {
  std::string dtype;                        // "float32", "float16/bfloat16", "int8", "int4" (Space labels)
  std::uint64_t divisor = 1;                // 1, 2, 4, 8: the Space's DTYPE_MODIFIER
  std::uint64_t largest_layer_bytes = 0;    // largest no-split unit ÷ divisor, rounded up to whole bytes
  std::uint64_t total_bytes = 0;            // fp32 total ÷ divisor, rounded up to whole bytes
  double largest_layer_bytes_exact = 0;     // the Python float accelerate prints (exact in a double)
  double total_bytes_exact = 0;
  bool training_available = false;          // false → the Space prints "N/A" (int8, int4)
  std::uint64_t training_peak_bytes = 0;    // max of the four stages
  std::uint64_t stage_model = 0;            // "Model"
  std::uint64_t stage_gradients = 0;        // "Gradient calculation"
  std::uint64_t stage_optimizer = 0;        // "Backward pass"
  std::uint64_t stage_step = 0;             // "Optimizer step"
};

struct HfTrainingStages {
  bool available = false;
  std::uint64_t model = 0, gradients = 0, optimizer = 0, step = 0;
  [[nodiscard]] std::uint64_t peak() const;
};

// accelerate estimate_training_usage(bytes, mixed_precision) (src/accelerate/commands/estimate.py,
// since PR #2581): `bytes` is always the fp32 total; "float32" → S, S, 2S, 4S; "float16" /
// "bfloat16" → S, S + S//2, 2S, 2S; anything else (int8, int4) → not available.
[[nodiscard]] HfTrainingStages hf_training_usage(std::uint64_t fp32_bytes, const std::string& precision);

// Rows in the Space's order: float32, float16/bfloat16, int8, int4.
[[nodiscard]] std::vector<HfTableRow> hf_table(const Model& model);

// accelerate.utils.convert_bytes: divide by 1024 while ≥ 1024 through "bytes", "KB", "MB", "GB",
// "TB" (then "PB"), print round(size, 2) as Python's repr ("413.18 MB", "9.0 MB", "1.61 GB").
// The units are binary although labelled KB/MB/GB.
[[nodiscard]] std::string hf_convert_bytes(double bytes);

}  // namespace vram
