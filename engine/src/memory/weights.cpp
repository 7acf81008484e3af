// Weight bytes per storage format: dense dtypes, bitsandbytes LLM.int8 / 4-bit, GPTQ, AWQ, FP8,
// MXFP4 and llama.cpp GGUF files. Each stored tensor is sized by one small formula naming its
// source; the composition below walks the inventory's parameter groups once per block instance so
// that the per-layer layout and the totals are the same sums.
#include "vram/memory/weights.hpp"

#include <algorithm>
#include <array>

#include "vram/base/explain.hpp"

namespace vram {
namespace {

constexpr std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// ---------------------------------------------------------------------------------------------
// Formulas: bytes of one stored tensor (payload) and of its quantisation metadata.
// ---------------------------------------------------------------------------------------------

struct Part {
  std::string name;           // "SCB", "absmax", "qzeros" …
  std::uint64_t elements = 0;
  std::uint64_t elem_bytes = 1;
};

struct Stored {
  std::string label;          // storage kind of the payload: "int8", "nf4", "Q6_K", "bf16" …
  std::uint64_t params = 0;
  std::uint64_t bytes = 0;    // payload bytes
  std::uint64_t num = 1, den = 1;  // payload bytes per parameter as a fraction (for the explanation)
  bool quantized = false;
  std::vector<Part> meta;
};

Stored dense_tensor(std::uint64_t n, DType t) {
  return Stored{std::string(dtype_name(t)), n, n * dtype_bytes(t), dtype_bytes(t), 1, false, {}};
}

// bitsandbytes Linear8bitLt._save_to_state_dict (bitsandbytes/nn/modules.py): int8 `weight`
// [out, in], `SCB` fp32 row-wise absmax [out], and a 0-d uint8 `weight_format` tensor.
Stored bnb_int8_tensor(std::uint64_t out, std::uint64_t in) {
  return Stored{"int8", out * in, out * in, 1, 1, true, {{"SCB (fp32 per output row)", out, 4}, {"weight_format (uint8)", 1, 1}}};
}

// Length of json.dumps(non_tensor_dict) that QuantState.as_dict(packed=True) stores as the uint8
// tensor `weight.quant_state.bitsandbytes__<type>` (bitsandbytes/functional.py, utils.py
// pack_dict_to_tensor). Keys in insertion order with json's ", " / ": " separators. The float
// `nested_offset` (absmax mean) is printed with Python's shortest repr: modelled as 19 characters
// ("0.05000000074505806"), the usual length for a float32 value in [0.01, 0.1).
constexpr std::uint64_t kNestedOffsetReprChars = 19;
std::uint64_t bnb4_quant_state_json_bytes(std::string_view quant_type, std::string_view dtype, std::uint64_t rows,
                                          std::uint64_t cols, bool nested) {
  std::string s = "{\"quant_type\": \"";
  s += quant_type;
  s += "\", \"blocksize\": 64, \"dtype\": \"";
  s += dtype;
  s += "\", \"shape\": [";
  s += std::to_string(rows);
  s += ", ";
  s += std::to_string(cols);
  s += "]";
  if (nested) s += ", \"nested_blocksize\": 256, \"nested_dtype\": \"float32\", \"nested_offset\": ";
  s += "}";
  return s.size() + (nested ? kNestedOffsetReprChars : 0);
}

// bitsandbytes Params4bit + QuantState.as_dict(packed=True) (bitsandbytes/functional.py
// quantize_4bit): packed uint8 weight ceil(n/2); `absmax` fp32 per 64-element block — with
// double quantisation (compress_statistics) uint8 per block plus `nested_absmax` fp32 per 256
// blocks and `nested_quant_map` (the 256-entry dynamic map, cloned per tensor); `quant_map` (the
// 16-entry nf4/fp4 code, fp32) per tensor; the packed non-tensor state (json bytes).
Stored bnb_4bit_tensor(std::uint64_t out, std::uint64_t in, bool nf4, bool double_quant, std::string_view dtype) {
  const std::uint64_t n = out * in;
  const std::uint64_t blocks = ceil_div(n, 64);
  Stored s{nf4 ? "nf4" : "fp4", n, ceil_div(n, 2), 1, 2, true, {}};
  if (double_quant) {
    s.meta.push_back({"absmax (uint8 per 64, double-quantised)", blocks, 1});
    s.meta.push_back({"nested_absmax (fp32 per 256 blocks)", ceil_div(blocks, 256), 4});
    s.meta.push_back({"nested_quant_map (256 fp32 per tensor)", 256, 4});
  } else {
    s.meta.push_back({"absmax (fp32 per 64)", blocks, 4});
  }
  s.meta.push_back({"quant_map (16 fp32 per tensor)", 16, 4});
  s.meta.push_back({"quant_state json (uint8)", bnb4_quant_state_json_bytes(nf4 ? "nf4" : "fp4", dtype, out, in, double_quant), 1});
  return s;
}

// AutoGPTQ / optimum QuantLinear buffers (auto_gptq/nn_modules/qlinear, optimum gptq): qweight
// int32 [in/32·bits, out], qzeros int32 [ceil(in/g), out/32·bits], scales fp16 [ceil(in/g), out],
// g_idx int32 [in]. group_size -1 = one group over the whole input.
Stored gptq_tensor(std::uint64_t out, std::uint64_t in, std::uint32_t bits, std::int64_t group) {
  const std::uint64_t g = group > 0 ? static_cast<std::uint64_t>(group) : in;
  const std::uint64_t groups = ceil_div(in, g);
  std::string label = "int";
  label += std::to_string(bits);
  label += " (GPTQ)";
  return Stored{label, out * in, in / 32 * bits * out * 4, bits, 8, true,
                {{"qzeros (int32)", groups * (out / 32 * bits), 4}, {"scales (fp16)", groups * out, 2}, {"g_idx (int32)", in, 4}}};
}

// AutoAWQ WQLinear_GEMM (awq/modules/linear/gemm.py): qweight int32 [in, out/8], qzeros int32
// [in/g, out/8], scales fp16 [in/g, out] (4-bit, 8 values per int32).
Stored awq_tensor(std::uint64_t out, std::uint64_t in, std::int64_t group) {
  const std::uint64_t g = group > 0 ? static_cast<std::uint64_t>(group) : in;
  return Stored{"int4 (AWQ)", out * in, in * (out / 8) * 4, 1, 2, true,
                {{"qzeros (int32)", in / g * (out / 8), 4}, {"scales (fp16)", in / g * out, 2}}};
}

// transformers FP8Linear (integrations/finegrained_fp8.py; DeepSeek-V3 checkpoints): float8_e4m3
// weight [out, in] + `weight_scale_inv` fp32 [ceil(out/bo), ceil(in/bi)]; without blocks one fp32
// scale per tensor; fbgemm_fp8 stores one fp32 scale per output row.
Stored fp8_tensor(std::uint64_t out, std::uint64_t in, std::uint64_t bo, std::uint64_t bi, bool per_row) {
  Stored s{"fp8_e4m3", out * in, out * in, 1, 1, true, {}};
  if (per_row) s.meta.push_back({"weight_scale (fp32 per row)", out, 4});
  else if (bo > 0 && bi > 0) {
    std::string name = "weight_scale_inv (fp32 per ";
    name += std::to_string(bo);
    name += "×";
    name += std::to_string(bi);
    name += " block)";
    s.meta.push_back({name, ceil_div(out, bo) * ceil_div(in, bi), 4});
  }
  else s.meta.push_back({"weight_scale (fp32 per tensor)", 1, 4});
  return s;
}

// OCP MX FP4 as stored by gpt-oss (transformers integrations/mxfp4.py): `<name>_blocks` uint8
// [E, out, in/32, 16] (two e2m1 values per byte) + `<name>_scales` uint8 e8m0 [E, out, in/32].
Stored mxfp4_tensor(std::uint64_t experts, std::uint64_t out, std::uint64_t in) {
  const std::uint64_t blocks = experts * out * ceil_div(in, 32);
  return Stored{"mxfp4", experts * out * in, blocks * 16, 1, 2, true, {{"scales (e8m0 uint8 per 32)", blocks, 1}}};
}

// ---------------------------------------------------------------------------------------------
// GGUF: ggml type traits (ggml/src/ggml-common.h block structs) and llama.cpp's per-tensor recipe
// (src/llama-quant.cpp: llama_ftype_get_default_type, llama_tensor_get_type_impl,
// tensor_type_fallback).
// ---------------------------------------------------------------------------------------------

enum class GT : std::uint8_t {
  F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K,
  IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S, IQ1_S, IQ1_M, IQ4_NL, IQ4_XS, MXFP4,
};

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

const GgmlTypeTraits& traits(GT t) { return kGgml[static_cast<std::size_t>(t)]; }

// llama_ftype_get_default_type. MXFP4 is the MXFP4_MOE file type.
bool gguf_default_type(std::string_view ft, GT& out) {
  static constexpr std::array<std::pair<std::string_view, GT>, 31> kDefault{{
      {"F32", GT::F32},       {"F16", GT::F16},       {"BF16", GT::BF16},     {"Q8_0", GT::Q8_0},
      {"Q6_K", GT::Q6_K},     {"Q5_K_M", GT::Q5_K},   {"Q5_K_S", GT::Q5_K},   {"Q5_0", GT::Q5_0},
      {"Q5_1", GT::Q5_1},     {"Q4_K_M", GT::Q4_K},   {"Q4_K_S", GT::Q4_K},   {"Q4_0", GT::Q4_0},
      {"Q4_1", GT::Q4_1},     {"Q3_K_L", GT::Q3_K},   {"Q3_K_M", GT::Q3_K},   {"Q3_K_S", GT::Q3_K},
      {"Q2_K", GT::Q2_K},     {"Q2_K_S", GT::Q2_K},   {"IQ4_XS", GT::IQ4_XS}, {"IQ4_NL", GT::IQ4_NL},
      {"IQ3_M", GT::IQ3_S},   {"IQ3_S", GT::IQ3_S},   {"IQ3_XS", GT::IQ3_S},  {"IQ3_XXS", GT::IQ3_XXS},
      {"IQ2_M", GT::IQ2_S},   {"IQ2_S", GT::IQ2_XS},  {"IQ2_XS", GT::IQ2_XS}, {"IQ2_XXS", GT::IQ2_XXS},
      {"IQ1_M", GT::IQ1_M},   {"IQ1_S", GT::IQ1_S},   {"MXFP4", GT::MXFP4},
  }};
  for (const auto& [id, t] : kDefault)
    if (id == ft) {
      out = t;
      return true;
    }
  return false;
}

// File types whose quantisation requires an importance matrix (tensor_requires_imatrix: IQ1/IQ2/
// IQ3_XXS tensor types, and Q2_K inside Q2_K_S). Those files are always made with one; the others
// are assumed made without (llama.cpp's own README table for Llama-3.1-8B matches this).
bool gguf_assumes_imatrix(std::string_view ft) {
  return ft == "IQ1_S" || ft == "IQ1_M" || ft == "IQ2_XXS" || ft == "IQ2_XS" || ft == "IQ2_S" || ft == "IQ2_M" ||
         ft == "IQ3_XXS" || ft == "Q2_K_S";
}

enum class Cat : std::uint8_t { TokenEmbd, AttnQ, AttnK, AttnV, AttnQkv, AttnKvB, AttnOutput, FfnUp, FfnGate, FfnDown, Output, Other };

struct GgufCtx {
  std::string_view ft;
  GT def = GT::F16;
  bool quantizing = false;  // default type is a quantised type
  bool imatrix = false;
  bool tied = false;        // no output.weight: token_embd is treated as the output tensor
  bool falcon = false;
  bool llama70b = false;    // LLM_TYPE_70B: 80 layers with GQA
  std::uint64_t n_gqa = 1;
  std::uint64_t n_expert = 0;
  std::uint64_t n_attn_v = 0;
  std::uint64_t n_layer = 0;
};

bool any_of(std::string_view ft, std::initializer_list<std::string_view> list) {
  return std::find(list.begin(), list.end(), ft) != list.end();
}

// use_more_bits in llama_tensor_get_type_impl.
constexpr bool use_more_bits(std::uint64_t i, std::uint64_t n) {
  return i < n / 8 || i >= 7 * n / 8 || (i >= n / 8 && (i - n / 8) % 3 == 2);
}
static_assert(use_more_bits(0, 32) && use_more_bits(6, 32) && !use_more_bits(4, 32) && use_more_bits(28, 32));

// llama_tensor_get_type_impl (the recipe) for one tensor.
GT gguf_recipe(const GgufCtx& c, Cat cat, std::uint64_t ncols, std::uint64_t i_attn_v, std::uint64_t i_layer) {
  const std::string_view ft = c.ft;
  GT t = c.def;
  const std::uint64_t n = c.n_layer;
  const bool attn_v = cat == Cat::AttnV || cat == Cat::AttnQkv || cat == Cat::AttnKvB;
  if (cat == Cat::Output || (c.tied && cat == Cat::TokenEmbd)) {
    if (ft == "MXFP4") t = GT::Q8_0;
    else if (c.falcon || ncols % traits(t).block != 0) t = GT::Q8_0;
    else if (any_of(ft, {"IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"})) t = GT::Q5_K;
    else if (t != GT::Q8_0) t = GT::Q6_K;
  } else if (ft == "MXFP4") {
    t = GT::Q8_0;  // 3-D expert tensors are handled by the caller (MXFP4)
  } else if (cat == Cat::TokenEmbd) {
    if (any_of(ft, {"IQ2_XXS", "IQ2_XS", "IQ1_S", "IQ1_M"})) t = GT::Q2_K;
    else if (any_of(ft, {"IQ2_S", "IQ2_M", "IQ3_XXS"})) t = GT::IQ3_S;
  } else if (any_of(ft, {"IQ2_XXS", "IQ2_XS", "IQ1_S", "IQ2_S", "IQ2_M", "IQ1_M"})) {
    const bool s_or_m = ft == "IQ2_S" || ft == "IQ2_M";
    if (attn_v) {
      t = c.n_gqa >= 4 || c.n_expert >= 4 ? GT::Q4_K : s_or_m ? GT::IQ3_S : GT::Q2_K;
    } else if (c.n_expert == 8 && cat == Cat::AttnK) {
      t = GT::Q4_K;
    } else if (cat == Cat::FfnDown) {
      if (i_layer < n / 8) t = s_or_m ? GT::IQ3_S : GT::Q2_K;
    } else if (cat == Cat::AttnOutput) {
      if (c.n_expert == 8) t = GT::Q5_K;
      else if (ft == "IQ1_S" || ft == "IQ1_M") t = GT::IQ2_XXS;
      else if (s_or_m) t = GT::IQ3_S;
    }
  } else if (attn_v) {
    if (ft == "Q2_K") t = c.n_gqa >= 4 ? GT::Q4_K : GT::Q3_K;
    else if (ft == "Q2_K_S" && c.n_gqa >= 4) t = GT::Q4_K;
    else if (ft == "IQ3_XXS") t = c.n_gqa >= 4 ? GT::Q4_K : !c.imatrix ? GT::IQ3_S : GT::IQ3_XXS;
    else if ((ft == "IQ3_XS" || ft == "IQ3_S") && c.n_gqa >= 4) t = GT::Q4_K;
    else if (ft == "IQ3_M") t = GT::Q4_K;
    else if (ft == "Q3_K_M") t = i_attn_v < 2 ? GT::Q5_K : GT::Q4_K;
    else if (ft == "Q3_K_L") t = GT::Q5_K;
    else if ((ft == "IQ4_NL" || ft == "IQ4_XS") && c.n_gqa >= 4) t = GT::Q5_K;
    else if ((ft == "Q4_K_M" || ft == "Q5_K_M") && use_more_bits(i_attn_v, c.n_attn_v)) t = GT::Q6_K;
    else if (ft == "Q4_K_S" && i_attn_v < 4) t = GT::Q5_K;
    if (c.llama70b && (t == GT::Q3_K || t == GT::Q4_K)) t = GT::Q5_K;
    if (c.n_expert == 8) t = GT::Q8_0;
  } else if (cat == Cat::AttnK) {
    if (c.n_expert == 8) t = GT::Q8_0;
    else if (ft == "IQ3_XS") t = GT::IQ3_XXS;
    else if (ft == "IQ3_XXS") t = GT::IQ2_S;
  } else if (cat == Cat::AttnQ) {
    if (ft == "IQ3_XS") t = GT::IQ3_XXS;
    else if (ft == "IQ3_XXS") t = GT::IQ2_S;
  } else if (cat == Cat::FfnDown) {
    const std::uint64_t i = i_layer;
    if (ft == "Q2_K") t = GT::Q3_K;
    else if (ft == "Q2_K_S") { if (i < n / 8) t = GT::Q4_K; }
    else if (ft == "IQ3_XXS" && !c.imatrix) t = i < n / 8 ? GT::Q4_K : GT::Q3_K;
    else if (ft == "Q3_K_M") t = i < n / 16 ? GT::Q5_K : !c.falcon || use_more_bits(i, n) ? GT::Q4_K : GT::Q3_K;
    else if (ft == "IQ3_M" && (i < n / 8 || (c.n_expert == 8 && use_more_bits(i, n)))) t = GT::Q4_K;
    else if (ft == "Q3_K_L") t = c.falcon ? GT::Q4_K : GT::Q5_K;
    else if (ft == "Q4_K_M") {
      if (c.falcon) t = i < n / 16 ? GT::Q6_K : use_more_bits(i, n) ? GT::Q5_K : GT::Q4_K;
      else if (use_more_bits(i, n)) t = GT::Q6_K;
    } else if (i < n / 8 && (ft == "IQ4_NL" || ft == "IQ4_XS") && !c.imatrix) t = GT::Q5_K;
    else if (ft == "Q5_K_M" && use_more_bits(i, n)) t = GT::Q6_K;
    else if (ft == "Q4_K_S" && !c.falcon && i < n / 8) t = GT::Q5_K;
    else if ((ft == "Q4_0" || ft == "Q5_0") && c.imatrix && i < n / 8) t = ft == "Q4_0" ? GT::Q4_1 : GT::Q5_1;
  } else if (cat == Cat::AttnOutput) {
    if (!c.falcon) {
      if (c.n_expert == 8) {
        if (any_of(ft, {"Q2_K", "IQ3_XS", "IQ3_XXS", "Q3_K_S", "Q3_K_M", "IQ4_NL", "Q4_K_S", "Q4_K_M", "IQ3_S", "IQ3_M", "IQ4_XS"}))
          t = GT::Q5_K;
      } else if (ft == "Q2_K") t = GT::Q3_K;
      else if (ft == "IQ3_XXS") t = GT::IQ3_S;
      else if (ft == "Q3_K_M") t = GT::Q4_K;
      else if (ft == "Q3_K_L") t = GT::Q5_K;
      else if (ft == "IQ3_M") t = GT::Q4_K;
    } else if (ft == "Q3_K_L") {
      t = GT::Q4_K;
    }
  } else if (cat == Cat::AttnQkv) {
    if (ft == "Q3_K_M" || ft == "Q3_K_L" || ft == "IQ3_M") t = GT::Q4_K;
    else if (ft == "Q4_K_M") t = GT::Q5_K;
    else if (ft == "Q5_K_M") t = GT::Q6_K;
  } else if (cat == Cat::FfnGate || cat == Cat::FfnUp) {
    if (ft == "IQ3_XS" && i_layer >= n / 8 && i_layer < 7 * n / 8) t = GT::IQ3_XXS;
  }
  return t;
}

// tensor_type_fallback: a row length that is not a multiple of the block size falls back.
GT gguf_fallback(GT t, std::uint64_t ncols) {
  if (ncols % traits(t).block == 0) return t;
  GT r = GT::F16;
  switch (t) {
    case GT::IQ1_S: case GT::IQ1_M: case GT::IQ2_XXS: case GT::IQ2_XS: case GT::IQ2_S: case GT::IQ3_XXS:
    case GT::IQ3_S: case GT::IQ4_XS: r = GT::IQ4_NL; break;
    case GT::Q2_K: case GT::Q3_K: r = GT::Q4_0; break;
    case GT::Q4_K: r = GT::Q5_0; break;
    case GT::Q5_K: r = GT::Q5_1; break;
    case GT::Q6_K: r = GT::Q8_0; break;
    default: r = GT::F16; break;
  }
  return ncols % traits(r).block == 0 ? r : GT::F16;
}

// Bytes of a ggml tensor: rows × (ncols / block) × block bytes (ggml_row_size).
Stored gguf_tensor(GT t, std::uint64_t rows, std::uint64_t ncols) {
  const GgmlTypeTraits& tr = traits(t);
  return Stored{std::string(tr.name), rows * ncols, rows * (ncols / tr.block) * tr.block_bytes, tr.block_bytes, tr.block, tr.quantized, {}};
}

bool in_set(std::string_view s, std::initializer_list<std::string_view> list) { return any_of(s, list); }

// GGUF tensor category (tensor_get_category) from the Hugging Face module name and role.
Cat gguf_category(const ParamGroup& g) {
  const std::string_view m = g.module;
  switch (g.role) {
    case Role::Embedding: return Cat::TokenEmbd;
    case Role::LmHead: return Cat::Output;
    case Role::AttentionProjection:
      if (in_set(m, {"q_proj", "q", "query", "Wq"})) return Cat::AttnQ;
      if (in_set(m, {"k_proj", "k", "key"})) return Cat::AttnK;
      if (in_set(m, {"v_proj", "v", "value"})) return Cat::AttnV;
      if (in_set(m, {"qkv_proj", "query_key_value", "c_attn", "Wqkv", "qkv", "in_proj"})) return Cat::AttnQkv;
      if (m == "kv_b_proj") return Cat::AttnKvB;
      if (in_set(m, {"o_proj", "o", "dense", "out_proj", "c_proj", "wo", "out"})) return Cat::AttnOutput;
      return Cat::Other;  // MLA q_a/q_b/kv_a projections
    case Role::MlpProjection:
    case Role::ExpertProjection:
    case Role::SharedExpertProjection:
      if (in_set(m, {"gate_proj", "w1", "wi_0"})) return Cat::FfnGate;
      if (in_set(m, {"up_proj", "w3", "c_fc", "fc1", "dense_h_to_4h", "wi", "wi_1", "fc_in", "gate_up_proj"})) return Cat::FfnUp;
      if (in_set(m, {"down_proj", "w2", "c_proj", "fc2", "dense_4h_to_h", "wo", "fc_out"})) return Cat::FfnDown;
      return g.rows > g.cols ? Cat::FfnUp : Cat::FfnDown;  // BERT intermediate.dense / output.dense
    default: return Cat::Other;
  }
}

// ---------------------------------------------------------------------------------------------
// Which groups each method quantises.
// ---------------------------------------------------------------------------------------------

// A 2-D weight held by a torch.nn.Linear (or GPT-2 Conv1D). Routers that are bare Parameters
// (DeepseekV2MoEGate, DeepseekV3TopkRouter, GptOssTopKRouter) and gpt-oss's fused 3-D expert
// tensors are not Linear modules (transformers 4.57 modeling files).
bool is_torch_linear(const ParamGroup& g, const ModelSpec& s) {
  if (!g.linear || g.bias) return false;
  if (g.role == Role::ExpertProjection && s.moe && s.moe->fused_gate_up) return false;
  if (g.role == Role::Router && (s.model_type == "deepseek_v2" || s.model_type == "deepseek_v3" || s.model_type == "gpt_oss"))
    return false;
  return true;
}

// '*' glob against `text` (fnmatch without character classes).
bool glob(std::string_view p, std::string_view t) {
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == t[ti]) { ++pi; ++ti; }
    else if (pi < p.size() && p[pi] == '*') { star = pi++; mark = ti; }
    else if (star != std::string_view::npos) { pi = star + 1; ti = ++mark; }
    else return false;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

// modules_to_not_convert / llm_int8_skip_modules: transformers matches a name when the entry is a
// substring of the module path (or, with '*', as a pattern).
bool skip_listed(const ParamGroup& g, const std::vector<std::string>& skip) {
  if (skip.empty()) return false;
  std::string name;  // "{i}" / "{e}" placeholders → "0"
  for (std::size_t k = 0; k < g.name.size(); ++k) {
    if (g.name[k] == '{' && k + 2 < g.name.size() && g.name[k + 2] == '}') {
      name += '0';
      k += 2;
    } else {
      name += g.name[k];
    }
  }
  for (const auto& pat : skip) {
    std::string prefixed = "model.";
    prefixed += name;
    std::string wrapped = "*";
    wrapped += pat;
    wrapped += '*';
    for (const std::string& cand : {name, prefixed}) {
      if (pat.find('*') == std::string::npos ? cand.find(pat) != std::string::npos : glob(wrapped, cand)) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Where each group instance sits (decoder layer index, or before/after the layers).
// ---------------------------------------------------------------------------------------------

enum class Place : std::uint8_t { Layer, Input, Output };

struct Instance {
  Place place = Place::Input;
  std::uint64_t layer = 0;    // decoder layer index (Place::Layer)
  std::uint64_t ordinal = 0;  // index within its stack (for GGUF layer rules)
};

std::vector<Instance> instances_of(const Model& m, const ParamGroup& g, bool has_decoder_blocks) {
  std::vector<Instance> out;
  const ModelSpec& s = m.spec;
  if (g.block < 0) {
    Place p = Place::Input;
    if (g.role == Role::LmHead || g.role == Role::TaskHead || g.role == Role::Pooler) p = Place::Output;
    else if (g.role == Role::Norm && g.name.find("emb") == std::string::npos) p = Place::Output;
    else if (g.role == Role::EmbeddingProjection && g.name.find("out") != std::string::npos) p = Place::Output;
    out.push_back({p, 0, 0});
    return out;
  }
  const Block& b = m.inventory.blocks[static_cast<std::size_t>(g.block)];
  const bool mapped = !b.encoder || !has_decoder_blocks;
  std::uint64_t found = 0;
  if (mapped) {
    for (std::uint64_t i = b.first_index; i < s.layers.size() && i < s.num_layers && found < b.count; ++i)
      if (s.layers[i].moe == b.moe) out.push_back({Place::Layer, i, i}), ++found;
  }
  for (; found < b.count; ++found) out.push_back({Place::Input, 0, b.first_index + found});
  return out;
}

// ---------------------------------------------------------------------------------------------
// The plan: one Stored per group instance.
// ---------------------------------------------------------------------------------------------

struct Piece {
  Instance where;
  Stored stored;
};

struct Plan {
  std::vector<Piece> pieces;
  DType dense = DType::BF16;
  DType compute = DType::BF16;
  std::string source;
  bool approximate = false;
  std::vector<std::string> notes;
};

// Dtype of the parts a quantised checkpoint keeps unquantised: torch_dtype, else bf16.
DType kept_dtype(const ModelSpec& s) { return s.torch_dtype_given ? s.torch_dtype : DType::BF16; }

std::string torch_dtype_repr(DType t) {
  switch (t) {
    case DType::F32: return "float32";
    case DType::F16: return "float16";
    default: return "bfloat16";
  }
}

const std::vector<std::string>& checkpoint_skip(const Model& m, WeightKind kind) {
  static const std::vector<std::string> none;
  const QuantMethod q = m.spec.quant.method;
  const bool same = (kind == WeightKind::BnbInt8 && q == QuantMethod::BnbInt8) ||
                    ((kind == WeightKind::BnbNf4 || kind == WeightKind::BnbFp4) && (q == QuantMethod::BnbNf4 || q == QuantMethod::BnbFp4)) ||
                    (kind == WeightKind::Gptq && q == QuantMethod::Gptq) || (kind == WeightKind::Awq && q == QuantMethod::Awq) ||
                    (kind == WeightKind::Fp8 && q == QuantMethod::Fp8);
  return same ? m.spec.quant.modules_not_converted : none;
}

Result<Plan> make_plan(const Model& m, const WeightFormat& f) {
  const ModelSpec& s = m.spec;
  const Inventory& inv = m.inventory;
  Plan plan;
  bool has_decoder_blocks = false;
  for (const auto& b : inv.blocks) has_decoder_blocks = has_decoder_blocks || !b.encoder;

  // GGUF context.
  GgufCtx gc;
  if (f.kind == WeightKind::Gguf) {
    gc.ft = f.gguf_type;
    if (!gguf_default_type(gc.ft, gc.def))
      return make_error(ErrorCode::UnknownName, "dtype", "dtype: unknown GGUF type \"" + f.gguf_type + "\"");
    gc.quantizing = traits(gc.def).quantized;
    gc.imatrix = gguf_assumes_imatrix(gc.ft);
    gc.tied = true;
    for (const auto& g : inv.groups)
      if (g.role == Role::LmHead && g.in_full && !g.bias) gc.tied = false;
    gc.falcon = s.model_type == "falcon";
    gc.n_gqa = s.num_kv_heads ? s.num_heads / s.num_kv_heads : 1;
    gc.n_expert = s.moe ? s.moe->routed_experts : 0;
    gc.llama70b = s.model_type == "llama" && s.num_layers == 80 && s.num_heads != s.num_kv_heads;
    gc.n_layer = s.num_layers;
    for (const auto& g : inv.groups) {
      const Cat c = g.in_full && !g.is_buffer() && !g.bias && g.cols > 1 ? gguf_category(g) : Cat::Other;
      if (c == Cat::AttnV || c == Cat::AttnQkv || c == Cat::AttnKvB) gc.n_attn_v += inv.block_count(g.block);
    }
  }
  // Source dtype of tensors llama.cpp never quantises (position embeddings, T5 relative bias,
  // vision tower): as converted, F16 for a quantised file, else the file type itself.
  const GT gguf_source = gc.def == GT::F32 ? GT::F32 : gc.def == GT::BF16 ? GT::BF16 : GT::F16;

  const bool nf4 = f.kind == WeightKind::BnbNf4;
  const std::vector<std::string>& skip = checkpoint_skip(m, f.kind);
  std::uint64_t fp8_bo = 128, fp8_bi = 128;
  bool fp8_per_row = false;
  if (f.kind == WeightKind::Fp8 && s.quant.method == QuantMethod::Fp8) {
    fp8_per_row = s.quant.method_name == "fbgemm_fp8";
    if (s.quant.weight_block_size.size() == 2) {
      fp8_bo = s.quant.weight_block_size[0];
      fp8_bi = s.quant.weight_block_size[1];
    } else {
      fp8_bo = fp8_bi = 0;  // per-tensor scale
    }
  }

  switch (f.kind) {
    case WeightKind::F32: plan.dense = plan.compute = DType::F32; plan.source = "parameters × bytes per element"; break;
    case WeightKind::F16: plan.dense = plan.compute = DType::F16; plan.source = "parameters × bytes per element"; break;
    case WeightKind::BF16: plan.dense = plan.compute = DType::BF16; plan.source = "parameters × bytes per element"; break;
    case WeightKind::BnbInt8:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = "bitsandbytes Linear8bitLt state dict (int8 weight + SCB + weight_format); every nn.Linear except the output head";
      break;
    case WeightKind::BnbNf4:
    case WeightKind::BnbFp4:
      plan.dense = kept_dtype(s);
      plan.compute = s.quant.method == QuantMethod::BnbNf4 || s.quant.method == QuantMethod::BnbFp4 ? s.quant.compute_dtype : plan.dense;
      plan.source = "bitsandbytes Linear4bit / QuantState.as_dict(packed=True); every nn.Linear except the output head";
      if (f.double_quant) {
        plan.approximate = true;
        plan.notes.push_back("the packed quant_state JSON holds nested_offset as a Python float repr; modelled as " +
                             std::to_string(kNestedOffsetReprChars) + " characters (±3 B per Linear)");
      }
      break;
    case WeightKind::Gptq:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = "AutoGPTQ/optimum QuantLinear (qweight, qzeros, scales, g_idx); Linear layers inside decoder blocks, routers excluded";
      break;
    case WeightKind::Awq:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = "AutoAWQ WQLinear_GEMM (qweight, qzeros, scales); Linear layers inside decoder blocks, routers excluded";
      break;
    case WeightKind::Fp8:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = "transformers FP8Linear: e4m3 weight + fp32 scales; Linear layers inside decoder blocks";
      break;
    case WeightKind::Mxfp4:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = "gpt-oss MXFP4: routed-expert tensors as e2m1 blocks + e8m0 scales; everything else dense";
      if (!s.moe) plan.notes.push_back("mxfp4 quantises routed-expert tensors only (gpt-oss convention); this model has none");
      break;
    case WeightKind::Gguf:
      plan.dense = DType::F32;
      plan.compute = DType::F32;
      plan.source = "llama.cpp GGUF: ggml block sizes and llama-quant.cpp llama_tensor_get_type recipe";
      if (gc.imatrix) plan.notes.push_back("GGUF " + f.gguf_type + " requires an importance matrix; the recipe assumes one");
      if (s.encoder_decoder || s.vision || s.mla || s.generic) {
        plan.approximate = true;
        plan.notes.push_back("GGUF tensor categories mapped from Hugging Face module names; exact for decoder-only models");
      }
      if (s.vision) plan.notes.push_back("the vision tower lives in a separate mmproj GGUF; sized here at F16");
      break;
    case WeightKind::Auto: break;
  }

  for (const auto& g : inv.groups) {
    if (g.is_buffer() || !g.in_full) continue;
    const std::uint64_t rows = g.rows * g.experts;  // Linear out-features stacked over experts
    for (const Instance& at : instances_of(m, g, has_decoder_blocks)) {
      Stored st;
      const bool linear = is_torch_linear(g, s);
      const bool in_block = g.block >= 0 && g.role != Role::VisionTower && g.role != Role::Projector;
      switch (f.kind) {
        case WeightKind::BnbInt8:
        case WeightKind::BnbNf4:
        case WeightKind::BnbFp4: {
          // transformers get_keys_to_not_convert: the output embedding / last child (lm_head, classifier).
          const bool convert = linear && g.role != Role::LmHead && g.role != Role::TaskHead && !skip_listed(g, skip);
          if (!convert) st = dense_tensor(g.numel(), plan.dense);
          else if (f.kind == WeightKind::BnbInt8) {
            st = bnb_int8_tensor(g.rows, g.cols);
            for (std::uint64_t e = 1; e < g.experts; ++e) {  // one Linear8bitLt per expert
              const Stored one = bnb_int8_tensor(g.rows, g.cols);
              st.params += one.params, st.bytes += one.bytes;
              for (std::size_t k = 0; k < st.meta.size(); ++k) st.meta[k].elements += one.meta[k].elements;
            }
          } else {
            st = bnb_4bit_tensor(g.rows, g.cols, nf4, f.double_quant, torch_dtype_repr(plan.dense));
            for (std::uint64_t e = 1; e < g.experts; ++e) {
              const Stored one = bnb_4bit_tensor(g.rows, g.cols, nf4, f.double_quant, torch_dtype_repr(plan.dense));
              st.params += one.params, st.bytes += one.bytes;
              for (std::size_t k = 0; k < st.meta.size(); ++k) st.meta[k].elements += one.meta[k].elements;
            }
          }
          break;
        }
        case WeightKind::Gptq:
        case WeightKind::Awq: {
          const bool convert = linear && in_block && g.role != Role::Router && !skip_listed(g, skip);
          if (!convert) {
            st = dense_tensor(g.numel(), plan.dense);
          } else {
            st = f.kind == WeightKind::Gptq ? gptq_tensor(g.rows, g.cols, f.bits, f.group_size) : awq_tensor(g.rows, g.cols, f.group_size);
            const std::uint64_t e = g.experts;
            st.params *= e, st.bytes *= e;
            for (auto& p : st.meta) p.elements *= e;
          }
          break;
        }
        case WeightKind::Fp8: {
          const bool convert = linear && in_block && !skip_listed(g, skip);
          if (!convert) {
            st = dense_tensor(g.numel(), plan.dense);
          } else {
            st = fp8_tensor(g.rows, g.cols, fp8_bo, fp8_bi, fp8_per_row);
            const std::uint64_t e = g.experts;
            st.params *= e, st.bytes *= e;
            for (auto& p : st.meta) p.elements *= e;
          }
          break;
        }
        case WeightKind::Mxfp4:
          st = g.role == Role::ExpertProjection && !g.bias && g.cols > 1 ? mxfp4_tensor(g.experts, g.rows, g.cols)
                                                                          : dense_tensor(g.numel(), plan.dense);
          break;
        case WeightKind::Gguf: {
          // tensor_allows_quantization: 2-D/3-D "weight" tensors that are not norms, expert routers,
          // position / token-type embeddings or T5 relative bias.
          const bool vector = g.bias || g.cols == 1 || g.role == Role::Norm;
          if (vector || g.role == Role::Router) { st = gguf_tensor(GT::F32, 1, g.numel()); break; }
          const bool keep = g.role == Role::PositionEmbedding || g.role == Role::TokenTypeEmbedding ||
                            g.role == Role::AttentionOther || g.role == Role::VisionTower || g.role == Role::Projector;
          if (keep || !gc.quantizing) { st = gguf_tensor(keep ? gguf_source : gc.def, rows, g.cols); break; }
          const Cat cat = gguf_category(g);
          GT t = gc.def;
          if (gc.ft == "MXFP4" && g.experts > 1 && cat != Cat::Output && cat != Cat::TokenEmbd) t = GT::MXFP4;
          else t = gguf_recipe(gc, cat, g.cols, at.ordinal, at.place == Place::Layer ? at.layer : at.ordinal);
          st = gguf_tensor(gguf_fallback(t, g.cols), rows, g.cols);
          break;
        }
        default:
          st = dense_tensor(g.numel(), plan.dense);
          break;
      }
      plan.pieces.push_back({at, std::move(st)});
    }
  }
  return plan;
}

std::uint64_t meta_bytes(const Stored& s) {
  std::uint64_t b = 0;
  for (const auto& p : s.meta) b += p.elements * p.elem_bytes;
  return b;
}

std::string ratio_text(std::uint64_t num, std::uint64_t den) {
  if (den == 1) return std::to_string(num) + " B";
  if (num % den == 0) return std::to_string(num / den) + " B";
  return std::to_string(num) + "/" + std::to_string(den) + " B";
}

// The checkpoint's own format as a WeightFormat (quantization_config, else torch_dtype).
WeightFormat from_checkpoint(const ModelSpec& s) {
  WeightFormat f;
  const QuantSpec& q = s.quant;
  switch (q.method) {
    case QuantMethod::BnbInt8: f.kind = WeightKind::BnbInt8; f.bits = 8; f.id = "int8"; return f;
    case QuantMethod::BnbNf4:
    case QuantMethod::BnbFp4:
      f.kind = q.method == QuantMethod::BnbNf4 ? WeightKind::BnbNf4 : WeightKind::BnbFp4;
      f.bits = 4;
      f.group_size = 64;
      f.double_quant = q.double_quant;
      f.id = std::string(q.method == QuantMethod::BnbNf4 ? "nf4" : "fp4") + (q.double_quant ? "-dq" : "");
      return f;
    case QuantMethod::Gptq:
    case QuantMethod::Awq:
      f.kind = q.method == QuantMethod::Gptq ? WeightKind::Gptq : WeightKind::Awq;
      f.bits = q.bits;
      f.group_size = q.group_size;
      f.id = q.method == QuantMethod::Gptq ? "gptq-" : "awq-";
      f.id += std::to_string(q.bits);
      f.id += "-g";
      f.id += q.group_size > 0 ? std::to_string(q.group_size) : std::string("-1");
      return f;
    case QuantMethod::Fp8: f.kind = WeightKind::Fp8; f.bits = 8; f.id = "fp8"; return f;
    case QuantMethod::Mxfp4: f.kind = WeightKind::Mxfp4; f.bits = 4; f.group_size = 32; f.id = "mxfp4"; return f;
    default: break;
  }
  switch (s.torch_dtype) {
    case DType::F16: f.kind = WeightKind::F16; f.id = "fp16"; break;
    case DType::BF16: f.kind = WeightKind::BF16; f.id = "bf16"; break;
    default: f.kind = WeightKind::F32; f.id = "fp32"; f.bits = 32; break;
  }
  return f;
}

}  // namespace

bool ggml_type_traits(std::string_view name, GgmlTypeTraits& out) {
  for (const auto& t : kGgml)
    if (t.name == name) {
      out = t;
      return true;
    }
  return false;
}

WeightFormat resolve_weight_format(const Model& model, const WeightFormat& requested) {
  if (requested.kind != WeightKind::Auto) return requested;
  return from_checkpoint(model.spec);
}

// A few recently used formats per model (the UI flips between a handful).
struct WeightMemo {
  struct Entry {
    WeightFormat format;
    std::shared_ptr<const Weights> weights;
  };
  std::vector<Entry> entries;
};

namespace {

// Formats that size the same: the id string is only a label.
bool same_format(const WeightFormat& a, const WeightFormat& b) {
  return a.kind == b.kind && a.bits == b.bits && a.group_size == b.group_size && a.double_quant == b.double_quant &&
         a.gguf_type == b.gguf_type;
}

Result<WeightBytes> compute_weight_bytes(const Model& model, const WeightFormat& requested);
Result<WeightLayout> compute_weight_layout(const Model& model, const WeightFormat& requested);

}  // namespace

Result<std::shared_ptr<const Weights>> weights_of(const Model& model, const WeightFormat& requested) {
  const WeightFormat f = resolve_weight_format(model, requested);
  if (!model.weight_memo) model.weight_memo = std::make_shared<WeightMemo>();
  auto& entries = model.weight_memo->entries;
  for (const auto& e : entries)
    if (same_format(e.format, f)) return e.weights;
  auto bytes = compute_weight_bytes(model, f);
  if (!bytes) return bytes.error();
  auto layout = compute_weight_layout(model, f);
  if (!layout) return layout.error();
  auto w = std::make_shared<const Weights>(Weights{std::move(bytes).value(), std::move(layout).value()});
  if (entries.size() >= 8) entries.erase(entries.begin());
  entries.push_back({f, w});
  return std::shared_ptr<const Weights>(w);
}

Result<WeightBytes> weight_bytes(const Model& model, const WeightFormat& requested) {
  auto w = weights_of(model, requested);
  if (!w) return w.error();
  return w.value()->bytes;
}

Result<WeightLayout> weight_layout(const Model& model, const WeightFormat& requested) {
  auto w = weights_of(model, requested);
  if (!w) return w.error();
  return w.value()->layout;
}

namespace {

Result<WeightBytes> compute_weight_bytes(const Model& model, const WeightFormat& requested) {
  const WeightFormat f = resolve_weight_format(model, requested);
  auto planned = make_plan(model, f);
  if (!planned) return planned.error();
  const Plan& plan = planned.value();

  WeightBytes out;
  out.format = f;
  out.compute_dtype = plan.compute;
  out.dense_dtype = plan.dense;
  out.source = plan.source;
  out.approximate = plan.approximate;
  out.notes = plan.notes;

  // Aggregate payloads by storage kind and metadata by tensor name (first-seen order).
  struct Agg { std::string label; std::uint64_t params = 0, bytes = 0, num = 1, den = 1; bool quantized = false; };
  std::vector<Agg> payload;
  std::vector<Part> meta;
  for (const Piece& p : plan.pieces) {
    const Stored& s = p.stored;
    out.weights += s.bytes;
    (s.quantized ? out.quantized_params : out.dense_params) += s.params;
    auto it = std::find_if(payload.begin(), payload.end(), [&](const Agg& a) { return a.label == s.label; });
    if (it == payload.end()) payload.push_back({s.label, s.params, s.bytes, s.num, s.den, s.quantized});
    else it->params += s.params, it->bytes += s.bytes;
    for (const Part& part : s.meta) {
      out.quant_metadata += part.elements * part.elem_bytes;
      auto mt = std::find_if(meta.begin(), meta.end(), [&](const Part& q) { return q.name == part.name; });
      if (mt == meta.end()) meta.push_back(part);
      else mt->elements += part.elements;
    }
  }
  std::stable_sort(payload.begin(), payload.end(), [](const Agg& a, const Agg& b) { return a.quantized && !b.quantized; });
  Explain ew;
  for (const Agg& a : payload) ew.plus(Explain().times(a.params, "params").text(" × " + ratio_text(a.num, a.den) + " (" + a.label + ")").str());
  out.explain_weights = ew.str();
  Explain em;
  for (const Part& p : meta) em.plus(Explain().times(p.elements, p.name).times(p.elem_bytes, "B").str());
  out.explain_metadata = em.str();
  return out;
}

Result<WeightLayout> compute_weight_layout(const Model& model, const WeightFormat& requested) {
  const WeightFormat f = resolve_weight_format(model, requested);
  auto planned = make_plan(model, f);
  if (!planned) return planned.error();
  WeightLayout out;
  out.layer_bytes.assign(model.spec.num_layers, 0);
  for (const Piece& p : planned.value().pieces) {
    const std::uint64_t b = p.stored.bytes + meta_bytes(p.stored);
    switch (p.where.place) {
      case Place::Layer: out.layer_bytes[p.where.layer] += b; break;
      case Place::Input: out.input_bytes += b; break;
      case Place::Output: out.output_bytes += b; break;
    }
  }
  for (auto b : out.layer_bytes) out.largest_layer_bytes = std::max(out.largest_layer_bytes, b);
  return out;
}

}  // namespace

std::vector<std::string> weight_format_ids() {
  std::vector<std::string> ids{"auto",   "fp32",   "fp16",   "bf16",   "fp8",   "int8",  "nf4",   "nf4-dq",
                               "fp4",    "gptq-8", "gptq-4", "gptq-3", "gptq-2", "awq-4", "mxfp4"};
  for (auto& g : option_ids("gguf")) ids.push_back(std::move(g));
  return ids;
}

}  // namespace vram
