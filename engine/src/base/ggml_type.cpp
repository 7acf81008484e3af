#include "vram/base/ggml_type.hpp"

#include <array>

namespace vram {
namespace {

constexpr std::array<GgmlTypeTraits, 34> kGgml{{
    {"F32", 1, 4, false},      {"F16", 1, 2, false},      {"BF16", 1, 2, false},
    {"Q4_0", 32, 18, true},    {"Q4_1", 32, 20, true},    {"Q5_0", 32, 22, true},
    {"Q5_1", 32, 24, true},    {"Q8_0", 32, 34, true},    {"Q2_K", 256, 84, true},
    {"Q3_K", 256, 110, true},  {"Q4_K", 256, 144, true},  {"Q5_K", 256, 176, true},
    {"Q6_K", 256, 210, true},  {"IQ2_XXS", 256, 66, true}, {"IQ2_XS", 256, 74, true},
    {"IQ2_S", 256, 82, true},  {"IQ3_XXS", 256, 98, true}, {"IQ3_S", 256, 110, true},
    {"IQ1_S", 256, 50, true},  {"IQ1_M", 256, 56, true},  {"IQ4_NL", 32, 18, true},
    {"IQ4_XS", 256, 136, true}, {"MXFP4", 32, 17, true},
    // block_q8_1 (2 halves + 32 int8), block_q8_K (float d + 256 int8 + 16 int16 bsums), plain
    // integers and f64, block_tq1_0 (48 + 4 + half), block_tq2_0 (64 + half), block_nvfp4 (4 UE4M3
    // scales + 32 nibble bytes per 64), block_q1_0 (half + 16 bytes per 128).
    {"Q8_1", 32, 36, true},    {"Q8_K", 256, 292, true},  {"I8", 1, 1, false},
    {"I16", 1, 2, false},      {"I32", 1, 4, false},      {"I64", 1, 8, false},
    {"F64", 1, 8, false},      {"TQ1_0", 256, 54, true},  {"TQ2_0", 256, 66, true},
    {"NVFP4", 64, 36, true},   {"Q1_0", 128, 18, true},
}};

// enum ggml_type numbers, in kGgml's order.
constexpr std::array<std::uint32_t, 34> kIds{0,  1,  30, 2,  3,  6,  7,  8,  10, 11, 12, 13, 14, 16, 17, 22, 18,
                                             21, 19, 29, 20, 23, 39, 9,  15, 24, 25, 26, 27, 28, 34, 35, 40, 41};

}  // namespace

std::optional<GgmlType> ggml_type_from_id(std::uint32_t id) noexcept {
  for (std::size_t i = 0; i < kIds.size(); ++i)
    if (kIds[i] == id) return static_cast<GgmlType>(i);
  return std::nullopt;
}

std::uint32_t ggml_type_id(GgmlType t) noexcept { return kIds[static_cast<std::size_t>(t)]; }

const GgmlTypeTraits& ggml_traits(GgmlType t) noexcept { return kGgml[static_cast<std::size_t>(t)]; }

std::optional<GgmlType> ggml_type_named(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kGgml.size(); ++i)
    if (kGgml[i].name == name) return static_cast<GgmlType>(i);
  return std::nullopt;
}

}  // namespace vram
