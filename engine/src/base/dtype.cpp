#include "vram/base/dtype.hpp"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace vram {

std::string_view dtype_name(DType t) noexcept {
  switch (t) {
    case DType::F64: return "fp64";
    case DType::F32: return "fp32";
    case DType::F16: return "fp16";
    case DType::BF16: return "bf16";
    case DType::F8E4M3: return "fp8_e4m3";
    case DType::F8E5M2: return "fp8_e5m2";
    case DType::I64: return "int64";
    case DType::I32: return "int32";
    case DType::I16: return "int16";
    case DType::I8: return "int8";
    case DType::U8: return "uint8";
    case DType::Bool: return "bool";
  }
  return "fp32";
}

std::optional<DType> parse_dtype(std::string_view name) noexcept {
  std::string s;
  for (char c : name) s.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (s.rfind("torch.", 0) == 0) s.erase(0, 6);
  static constexpr std::array<std::pair<std::string_view, DType>, 32> kNames{{
      {"float32", DType::F32}, {"fp32", DType::F32}, {"f32", DType::F32}, {"float", DType::F32},
      {"float16", DType::F16}, {"fp16", DType::F16}, {"f16", DType::F16}, {"half", DType::F16},
      {"bfloat16", DType::BF16}, {"bf16", DType::BF16},
      {"float64", DType::F64}, {"f64", DType::F64}, {"double", DType::F64},
      {"float8_e4m3fn", DType::F8E4M3}, {"f8_e4m3", DType::F8E4M3}, {"fp8_e4m3", DType::F8E4M3},
      {"fp8", DType::F8E4M3}, {"e4m3", DType::F8E4M3},
      {"float8_e5m2", DType::F8E5M2}, {"f8_e5m2", DType::F8E5M2}, {"fp8_e5m2", DType::F8E5M2},
      {"e5m2", DType::F8E5M2},
      {"int64", DType::I64}, {"i64", DType::I64}, {"int32", DType::I32}, {"i32", DType::I32},
      {"int16", DType::I16}, {"i16", DType::I16}, {"int8", DType::I8}, {"i8", DType::I8},
      {"uint8", DType::U8}, {"u8", DType::U8},
  }};
  for (const auto& [n, t] : kNames)
    if (s == n) return t;
  if (s == "bool") return DType::Bool;
  return std::nullopt;
}

}  // namespace vram
