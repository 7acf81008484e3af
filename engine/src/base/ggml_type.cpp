#include "vram/base/ggml_type.hpp"

#include <array>

namespace vram {
namespace {

constexpr std::array<GgmlTypeTraits, 23> kGgml{{
    {"F32", 1, 4, false},      {"F16", 1, 2, false},      {"BF16", 1, 2, false},
    {"Q4_0", 32, 18, true},    {"Q4_1", 32, 20, true},    {"Q5_0", 32, 22, true},
    {"Q5_1", 32, 24, true},    {"Q8_0", 32, 34, true},    {"Q2_K", 256, 84, true},
    {"Q3_K", 256, 110, true},  {"Q4_K", 256, 144, true},  {"Q5_K", 256, 176, true},
    {"Q6_K", 256, 210, true},  {"IQ2_XXS", 256, 66, true}, {"IQ2_XS", 256, 74, true},
    {"IQ2_S", 256, 82, true},  {"IQ3_XXS", 256, 98, true}, {"IQ3_S", 256, 110, true},
    {"IQ1_S", 256, 50, true},  {"IQ1_M", 256, 56, true},  {"IQ4_NL", 32, 18, true},
    {"IQ4_XS", 256, 136, true}, {"MXFP4", 32, 17, true},
}};

}  // namespace

const GgmlTypeTraits& ggml_traits(GgmlType t) noexcept { return kGgml[static_cast<std::size_t>(t)]; }

std::optional<GgmlType> ggml_type_named(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kGgml.size(); ++i)
    if (kGgml[i].name == name) return static_cast<GgmlType>(i);
  return std::nullopt;
}

}  // namespace vram
