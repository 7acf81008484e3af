// The Hugging Face Model Memory Calculator table. Source: huggingface/accelerate
// src/accelerate/commands/estimate.py (gather_data, estimate_training_usage), utils/other.py
// (convert_bytes), and the Space's src/model_utils.py (calculate_memory, DTYPE_MODIFIER).
#include "vram/model/hf_table.hpp"

#include <algorithm>
#include <cstdio>

namespace vram {

std::uint64_t HfTrainingStages::peak() const { return std::max(std::max(model, gradients), std::max(optimizer, step)); }

HfTrainingStages hf_training_usage(std::uint64_t fp32_bytes, const std::string& precision) {
  HfTrainingStages s;
  const std::uint64_t fp32_size = fp32_bytes;
  const std::uint64_t fp16_size = fp32_bytes / 2;  // Python `bytes // 2`
  if (precision == "float32") {
    s.available = true;
    s.model = fp32_size;
    s.gradients = fp32_size;
    s.optimizer = fp32_size * 2;
    s.step = fp32_size * 4;
  } else if (precision == "float16" || precision == "bfloat16") {
    s.available = true;
    s.model = fp32_size;                   // weights held in fp16 and fp32
    s.gradients = fp32_size + fp16_size;   // "1.5 from weight gradient + computation (GEMM)"
    s.optimizer = fp32_size * 2;           // optimizer states
    s.step = s.optimizer;
  }
  return s;
}

std::vector<HfTableRow> hf_table(const Model& model) {
  const HfCalculatorView& hf = model.inventory.hf;
  struct Dtype {
    const char* label;
    const char* precision;  // what the Space passes to estimate_training_usage
    std::uint64_t divisor;
  };
  static constexpr Dtype kDtypes[] = {
      {"float32", "float32", 1}, {"float16/bfloat16", "float16", 2}, {"int8", "int8", 4}, {"int4", "int4", 8}};
  std::vector<HfTableRow> rows;
  for (const Dtype& d : kDtypes) {
    HfTableRow r;
    r.dtype = d.label;
    r.divisor = d.divisor;
    // `dtype_total_size /= modifier`: true division; exact in a double (a power-of-two divisor).
    r.total_bytes_exact = static_cast<double>(hf.total_bytes_fp32) / static_cast<double>(d.divisor);
    r.largest_layer_bytes_exact = static_cast<double>(hf.largest_layer_bytes_fp32) / static_cast<double>(d.divisor);
    r.total_bytes = (hf.total_bytes_fp32 + d.divisor - 1) / d.divisor;
    r.largest_layer_bytes = (hf.largest_layer_bytes_fp32 + d.divisor - 1) / d.divisor;
    const HfTrainingStages t = hf_training_usage(hf.total_bytes_fp32, d.precision);  // always the fp32 total
    r.training_available = t.available;
    if (t.available) {
      r.training_peak_bytes = t.peak();
      r.stage_model = t.model;
      r.stage_gradients = t.gradients;
      r.stage_optimizer = t.optimizer;
      r.stage_step = t.step;
    }
    rows.push_back(r);
  }
  return rows;
}

std::string hf_convert_bytes(double size) {
  static constexpr const char* kUnits[] = {"bytes", "KB", "MB", "GB", "TB"};
  const char* unit = "PB";
  for (const char* u : kUnits) {
    if (size < 1024.0) {
      unit = u;
      break;
    }
    size /= 1024.0;
  }
  // round(size, 2) is correctly rounded (half-even on the exact binary value), as is printf's
  // %.2f; Python then prints the shortest repr, i.e. without trailing zeros but with one decimal.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", size);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  s += ' ';
  s += unit;
  return s;
}

}  // namespace vram
