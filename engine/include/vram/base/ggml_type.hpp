// ggml tensor types (the element formats of GGUF files and llama.cpp's caches): elements per block
// and bytes per block, from the block structs of ggml/src/ggml-common.h. A row of n elements takes
// n / block × block_bytes bytes (ggml_row_size); n must be a multiple of the block.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vram {

enum class GgmlType : std::uint8_t {
  F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K,
  IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, IQ1_S, IQ1_M, IQ4_NL, IQ4_XS, MXFP4,
  // Types a GGUF file may hold that no llama.cpp recipe produces for weights.
  Q8_1, Q8_K, I8, I16, I32, I64, F64, TQ1_0, TQ2_0, NVFP4, Q1_0,
};

struct GgmlTypeTraits {
  std::string_view name;
  std::uint64_t block = 1;        // elements per block
  std::uint64_t block_bytes = 4;  // bytes per block
  bool quantized = false;
};

[[nodiscard]] const GgmlTypeTraits& ggml_traits(GgmlType t) noexcept;
// By name ("Q4_K", "IQ3_S", "F16" …); nullopt for an unknown name.
[[nodiscard]] std::optional<GgmlType> ggml_type_named(std::string_view name) noexcept;
// By the number a GGUF tensor info stores (enum ggml_type in ggml/include/ggml.h: F32 = 0, Q4_K = 12,
// BF16 = 30, MXFP4 = 39 …); nullopt for a number ggml does not define or no longer reads (4, 5, 31–33, 36–38).
[[nodiscard]] std::optional<GgmlType> ggml_type_from_id(std::uint32_t id) noexcept;
[[nodiscard]] std::uint32_t ggml_type_id(GgmlType t) noexcept;

}  // namespace vram
