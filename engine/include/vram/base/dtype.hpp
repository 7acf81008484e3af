// Element types of stored tensors and their sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vram {

enum class DType : std::uint8_t { F64, F32, F16, BF16, F8E4M3, F8E5M2, I64, I32, I16, I8, U8, Bool };

// Bytes per element (torch.dtype.itemsize; bool is one byte).
[[nodiscard]] constexpr std::uint64_t dtype_bytes(DType t) noexcept {
  switch (t) {
    case DType::F64: case DType::I64: return 8;
    case DType::F32: case DType::I32: return 4;
    case DType::F16: case DType::BF16: case DType::I16: return 2;
    case DType::F8E4M3: case DType::F8E5M2: case DType::I8: case DType::U8: case DType::Bool: return 1;
  }
  return 4;
}

// Canonical short name: "fp32", "bf16", "fp8_e4m3", "int8", "bool" …
[[nodiscard]] std::string_view dtype_name(DType t) noexcept;

// Accepts torch names ("float32", "bfloat16", "torch.float16"), short names ("fp16", "bf16") and
// safetensors names ("F32", "BF16", "F8_E4M3", "I64", "BOOL").
[[nodiscard]] std::optional<DType> parse_dtype(std::string_view name) noexcept;

}  // namespace vram
