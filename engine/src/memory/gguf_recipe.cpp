#include "vram/memory/gguf_recipe.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace vram {
namespace {

bool any_of(std::string_view ft, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), ft) != list.end();
}
bool in_set(std::string_view s, std::initializer_list<std::string_view> list) { return any_of(s, list); }

// use_more_bits in llama_tensor_get_type_impl.
constexpr bool use_more_bits(std::uint64_t i, std::uint64_t n) {
  return i < n / 8 || i >= 7 * n / 8 || (i >= n / 8 && (i - n / 8) % 3 == 2);
}
static_assert(use_more_bits(0, 32) && use_more_bits(6, 32) && !use_more_bits(4, 32) && use_more_bits(28, 32));

}  // namespace

// llama_ftype_get_default_type. MXFP4 is the MXFP4_MOE file type.
std::optional<GgmlType> gguf_default_type(std::string_view ft) {
  static constexpr std::array<std::pair<std::string_view, GgmlType>, 31> kDefault{{
      {"F32", GgmlType::F32},       {"F16", GgmlType::F16},       {"BF16", GgmlType::BF16},     {"Q8_0", GgmlType::Q8_0},
      {"Q6_K", GgmlType::Q6_K},     {"Q5_K_M", GgmlType::Q5_K},   {"Q5_K_S", GgmlType::Q5_K},   {"Q5_0", GgmlType::Q5_0},
      {"Q5_1", GgmlType::Q5_1},     {"Q4_K_M", GgmlType::Q4_K},   {"Q4_K_S", GgmlType::Q4_K},   {"Q4_0", GgmlType::Q4_0},
      {"Q4_1", GgmlType::Q4_1},     {"Q3_K_L", GgmlType::Q3_K},   {"Q3_K_M", GgmlType::Q3_K},   {"Q3_K_S", GgmlType::Q3_K},
      {"Q2_K", GgmlType::Q2_K},     {"Q2_K_S", GgmlType::Q2_K},   {"IQ4_XS", GgmlType::IQ4_XS}, {"IQ4_NL", GgmlType::IQ4_NL},
      {"IQ3_M", GgmlType::IQ3_S},   {"IQ3_S", GgmlType::IQ3_S},   {"IQ3_XS", GgmlType::IQ3_S},  {"IQ3_XXS", GgmlType::IQ3_XXS},
      {"IQ2_M", GgmlType::IQ2_S},   {"IQ2_S", GgmlType::IQ2_XS},  {"IQ2_XS", GgmlType::IQ2_XS}, {"IQ2_XXS", GgmlType::IQ2_XXS},
      {"IQ1_M", GgmlType::IQ1_M},   {"IQ1_S", GgmlType::IQ1_S},   {"MXFP4", GgmlType::MXFP4},
  }};
  for (const auto& [id, t] : kDefault)
    if (id == ft) return t;
  return std::nullopt;
}

// File types whose quantisation requires an importance matrix (tensor_requires_imatrix: IQ1/IQ2/
// IQ3_XXS tensor types, and Q2_K inside Q2_K_S). Those files are always made with one; the others
// are assumed made without (llama.cpp's own README table for Llama-3.1-8B matches this).
bool gguf_assumes_imatrix(std::string_view ft) {
  return ft == "IQ1_S" || ft == "IQ1_M" || ft == "IQ2_XXS" || ft == "IQ2_XS" || ft == "IQ2_S" || ft == "IQ2_M" ||
         ft == "IQ3_XXS" || ft == "Q2_K_S";
}




// llama_tensor_get_type_impl (the recipe) for one tensor.
GgmlType gguf_recipe(const RecipeContext& c, TensorCategory cat, std::uint64_t ncols, std::uint64_t i_attn_v, std::uint64_t i_layer) {
  const std::string_view ft = c.ft;
  GgmlType t = c.def;
  const std::uint64_t n = c.n_layer;
  const bool attn_v = cat == TensorCategory::AttnV || cat == TensorCategory::AttnQkv || cat == TensorCategory::AttnKvB;
  if (cat == TensorCategory::Output || (c.tied && cat == TensorCategory::TokenEmbd)) {
    if (ft == "MXFP4") t = GgmlType::Q8_0;
    else if (c.falcon_rules || ncols % ggml_traits(t).block != 0) t = GgmlType::Q8_0;
    else if (any_of(ft, {"IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"})) t = GgmlType::Q5_K;
    else if (t != GgmlType::Q8_0) t = GgmlType::Q6_K;
  } else if (ft == "MXFP4") {
    t = GgmlType::Q8_0;  // 3-D expert tensors are handled by the caller (MXFP4)
  } else if (cat == TensorCategory::TokenEmbd) {
    if (any_of(ft, {"IQ2_XXS", "IQ2_XS", "IQ1_S", "IQ1_M"})) t = GgmlType::Q2_K;
    else if (any_of(ft, {"IQ2_S", "IQ2_M", "IQ3_XXS"})) t = GgmlType::IQ3_S;
  } else if (any_of(ft, {"IQ2_XXS", "IQ2_XS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"})) {
    const bool s_or_m = ft == "IQ2_S" || ft == "IQ2_M";
    if (attn_v) {
      t = c.n_gqa >= 4 || c.n_expert >= 4 ? GgmlType::Q4_K : s_or_m ? GgmlType::IQ3_S : GgmlType::Q2_K;
    } else if (c.n_expert == 8 && cat == TensorCategory::AttnK) {
      t = GgmlType::Q4_K;
    } else if (cat == TensorCategory::FfnDown) {
      if (i_layer < n / 8) t = s_or_m ? GgmlType::IQ3_S : GgmlType::Q2_K;
    } else if (cat == TensorCategory::AttnOutput) {
      if (c.n_expert == 8) t = GgmlType::Q5_K;
      else if (ft == "IQ1_S" || ft == "IQ1_M") t = GgmlType::IQ2_XXS;
      else if (s_or_m) t = GgmlType::IQ3_S;
    }
  } else if (attn_v) {
    if (ft == "Q2_K") t = c.n_gqa >= 4 ? GgmlType::Q4_K : GgmlType::Q3_K;
    else if (ft == "Q2_K_S" && c.n_gqa >= 4) t = GgmlType::Q4_K;
    else if (ft == "IQ3_XXS") t = c.n_gqa >= 4 ? GgmlType::Q4_K : !c.imatrix ? GgmlType::IQ3_S : GgmlType::IQ3_XXS;
    else if ((ft == "IQ3_XS" || ft == "IQ3_S") && c.n_gqa >= 4) t = GgmlType::Q4_K;
    else if (ft == "IQ3_M") t = GgmlType::Q4_K;
    else if (ft == "Q3_K_M") t = i_attn_v < 2 ? GgmlType::Q5_K : GgmlType::Q4_K;
    else if (ft == "Q3_K_L") t = GgmlType::Q5_K;
    else if ((ft == "IQ4_NL" || ft == "IQ4_XS") && c.n_gqa >= 4) t = GgmlType::Q5_K;
    else if ((ft == "Q4_K_M" || ft == "Q5_K_M") && use_more_bits(i_attn_v, c.n_attn_v)) t = GgmlType::Q6_K;
    else if (ft == "Q4_K_S" && i_attn_v < 4) t = GgmlType::Q5_K;
    if (c.type_70b && (t == GgmlType::Q3_K || t == GgmlType::Q4_K)) t = GgmlType::Q5_K;
    if (c.n_expert == 8) t = GgmlType::Q8_0;
  } else if (cat == TensorCategory::AttnK) {
    if (c.n_expert == 8) t = GgmlType::Q8_0;
    else if (ft == "IQ3_XS") t = GgmlType::IQ3_XXS;
    else if (ft == "IQ3_XXS") t = GgmlType::IQ2_S;
  } else if (cat == TensorCategory::AttnQ) {
    if (ft == "IQ3_XS") t = GgmlType::IQ3_XXS;
    else if (ft == "IQ3_XXS") t = GgmlType::IQ2_S;
  } else if (cat == TensorCategory::FfnDown) {
    const std::uint64_t i = i_layer;
    if (ft == "Q2_K") t = GgmlType::Q3_K;
    else if (ft == "Q2_K_S") { if (i < n / 8) t = GgmlType::Q4_K; }
    else if (ft == "IQ3_XXS" && !c.imatrix) t = i < n / 8 ? GgmlType::Q4_K : GgmlType::Q3_K;
    else if (ft == "Q3_K_M") t = i < n / 16 ? GgmlType::Q5_K : !c.falcon_rules || use_more_bits(i, n) ? GgmlType::Q4_K : GgmlType::Q3_K;
    else if (ft == "IQ3_M" && (i < n / 8 || (c.n_expert == 8 && use_more_bits(i, n)))) t = GgmlType::Q4_K;
    else if (ft == "Q3_K_L") t = c.falcon_rules ? GgmlType::Q4_K : GgmlType::Q5_K;
    else if (ft == "Q4_K_M") {
      if (c.falcon_rules) t = i < n / 16 ? GgmlType::Q6_K : use_more_bits(i, n) ? GgmlType::Q5_K : GgmlType::Q4_K;
      else if (use_more_bits(i, n)) t = GgmlType::Q6_K;
    } else if (i < n / 8 && (ft == "IQ4_NL" || ft == "IQ4_XS") && !c.imatrix) t = GgmlType::Q5_K;
    else if (ft == "Q5_K_M" && use_more_bits(i, n)) t = GgmlType::Q6_K;
    else if (ft == "Q4_K_S" && !c.falcon_rules && i < n / 8) t = GgmlType::Q5_K;
    else if ((ft == "Q4_0" || ft == "Q5_0") && c.imatrix && i < n / 8) t = ft == "Q4_0" ? GgmlType::Q4_1 : GgmlType::Q5_1;
  } else if (cat == TensorCategory::AttnOutput) {
    if (!c.falcon_rules) {
      if (c.n_expert == 8) {
        if (any_of(ft, {"Q2_K", "IQ3_XS", "IQ3_XXS", "Q3_K_S", "Q3_K_M", "IQ4_NL", "Q4_K_S", "Q4_K_M", "IQ3_S", "IQ3_M", "IQ4_XS"}))
          t = GgmlType::Q5_K;
      } else if (ft == "Q2_K") t = GgmlType::Q3_K;
      else if (ft == "IQ3_XXS") t = GgmlType::IQ3_S;
      else if (ft == "Q3_K_M") t = GgmlType::Q4_K;
      else if (ft == "Q3_K_L") t = GgmlType::Q5_K;
      else if (ft == "IQ3_M") t = GgmlType::Q4_K;
    } else if (ft == "Q3_K_L") {
      t = GgmlType::Q4_K;
    }
  } else if (cat == TensorCategory::AttnQkv) {
    if (ft == "Q3_K_M" || ft == "Q3_K_L" || ft == "IQ3_M") t = GgmlType::Q4_K;
    else if (ft == "Q4_K_M") t = GgmlType::Q5_K;
    else if (ft == "Q5_K_M") t = GgmlType::Q6_K;
  } else if (cat == TensorCategory::FfnGate || cat == TensorCategory::FfnUp) {
    if (ft == "IQ3_XS" && i_layer >= n / 8 && i_layer < 7 * n / 8) t = GgmlType::IQ3_XXS;
  }
  return t;
}

// tensor_type_fallback: a row length that is not a multiple of the block size falls back.
GgmlType gguf_fallback(GgmlType t, std::uint64_t ncols) {
  if (ncols % ggml_traits(t).block == 0) return t;
  GgmlType r = GgmlType::F16;
  switch (t) {
    case GgmlType::IQ1_S: case GgmlType::IQ1_M: case GgmlType::IQ2_XXS: case GgmlType::IQ2_XS: case GgmlType::IQ2_S: case GgmlType::IQ3_XXS:
    case GgmlType::IQ3_S: case GgmlType::IQ4_XS: r = GgmlType::IQ4_NL; break;
    case GgmlType::Q2_K: case GgmlType::Q3_K: r = GgmlType::Q4_0; break;
    case GgmlType::Q4_K: r = GgmlType::Q5_0; break;
    case GgmlType::Q5_K: r = GgmlType::Q5_1; break;
    case GgmlType::Q6_K: r = GgmlType::Q8_0; break;
    default: r = GgmlType::F16; break;
  }
  return ncols % ggml_traits(r).block == 0 ? r : GgmlType::F16;
}


// GGUF tensor category (tensor_get_category) from the Hugging Face module name and role.
TensorCategory gguf_category(const ParamGroup& g) {
  const std::string_view m = g.module;
  switch (g.role) {
    case Role::Embedding: return TensorCategory::TokenEmbd;
    case Role::LmHead: return TensorCategory::Output;
    case Role::AttentionProjection:
      if (in_set(m, {"q_proj", "q", "query", "Wq"})) return TensorCategory::AttnQ;
      if (in_set(m, {"k_proj", "k", "key"})) return TensorCategory::AttnK;
      if (in_set(m, {"v_proj", "v", "value"})) return TensorCategory::AttnV;
      if (in_set(m, {"qkv_proj", "query_key_value", "c_attn", "Wqkv", "qkv", "in_proj"})) return TensorCategory::AttnQkv;
      if (m == "kv_b_proj") return TensorCategory::AttnKvB;
      if (in_set(m, {"o_proj", "o", "dense", "out_proj", "c_proj", "wo", "out"})) return TensorCategory::AttnOutput;
      return TensorCategory::Other;  // MLA q_a/q_b/kv_a projections
    case Role::MlpProjection:
    case Role::ExpertProjection:
    case Role::SharedExpertProjection:
      if (in_set(m, {"gate_proj", "w1", "wi_0"})) return TensorCategory::FfnGate;
      if (in_set(m, {"up_proj", "w3", "c_fc", "fc1", "dense_h_to_4h", "wi", "wi_1", "fc_in", "gate_up_proj"})) return TensorCategory::FfnUp;
      if (in_set(m, {"down_proj", "w2", "c_proj", "fc2", "dense_4h_to_h", "wo", "fc_out"})) return TensorCategory::FfnDown;
      return g.rows > g.cols ? TensorCategory::FfnUp : TensorCategory::FfnDown;  // BERT intermediate.dense / output.dense
    default: return TensorCategory::Other;
  }
}

}  // namespace vram
