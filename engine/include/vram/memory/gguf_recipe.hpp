// llama.cpp's quantisation recipe (src/llama-quant.cpp: llama_ftype_get_default_type,
// llama_tensor_get_type_impl, tensor_type_fallback): which ggml type each tensor of a GGUF file of a
// given file type ("Q4_K_M") gets, from its category, its layer and the model's shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "vram/base/ggml_type.hpp"
#include "vram/model/inventory.hpp"

namespace vram {

// tensor_get_category.
enum class TensorCategory : std::uint8_t {
  TokenEmbd, AttnQ, AttnK, AttnV, AttnQkv, AttnKvB, AttnOutput, FfnUp, FfnGate, FfnDown, Output, Other
};

struct RecipeContext {
  std::string_view ft;             // the file type ("Q4_K_M")
  GgmlType def = GgmlType::F16;    // its default tensor type
  bool quantizing = false;         // the default type is a quantised type
  bool imatrix = false;            // made with an importance matrix
  bool tied = false;               // no output.weight: token_embd is treated as the output tensor
  bool falcon_rules = false;       // the LLM_ARCH_FALCON branches apply
  bool type_70b = false;           // LLM_TYPE_70B: 80 layers with GQA
  std::uint64_t n_gqa = 1;
  std::uint64_t n_expert = 0;
  std::uint64_t n_attn_v = 0;      // attn_v-like tensors in the file
  std::uint64_t n_layer = 0;
};

// llama_ftype_get_default_type (MXFP4 is the MXFP4_MOE file type); nullopt for an unknown file type.
[[nodiscard]] std::optional<GgmlType> gguf_default_type(std::string_view file_type);
// File types whose quantisation requires an importance matrix (tensor_requires_imatrix: IQ1/IQ2/
// IQ3_XXS tensor types, and Q2_K inside Q2_K_S). Those files are always made with one; the others
// are assumed made without (llama.cpp's own README table for Llama-3.1-8B matches this).
[[nodiscard]] bool gguf_assumes_imatrix(std::string_view file_type);
// llama_tensor_get_type_impl for one tensor of `cat` with `ncols` columns, the i_attn_v-th attn_v
// tensor, in layer i_layer.
[[nodiscard]] GgmlType gguf_recipe(const RecipeContext& c, TensorCategory cat, std::uint64_t ncols, std::uint64_t i_attn_v,
                                   std::uint64_t i_layer);
// tensor_type_fallback: a row length that is not a multiple of the block size falls back.
[[nodiscard]] GgmlType gguf_fallback(GgmlType t, std::uint64_t ncols);
// The category of a parameter group, from its role and Hugging Face module name.
[[nodiscard]] TensorCategory gguf_category(const ParamGroup& g);

}  // namespace vram
