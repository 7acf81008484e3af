// Weight bytes per storage format: dense dtypes, bitsandbytes LLM.int8 / 4-bit, GPTQ, AWQ, FP8,
// MXFP4 and llama.cpp GGUF files. Each stored tensor is sized by one small formula naming its
// source; one plan per (model, format) places every tensor instance (decoder layer, input, output),
// and the totals, their explanation and the per-layer layout are all read from that one plan.
#include "vram/memory/weights.hpp"

#include <algorithm>
#include <array>

#include "vram/memory/gguf_recipe.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

constexpr std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

// ---------------------------------------------------------------------------------------------
// Formulas: bytes of one stored tensor (payload) and of its quantisation metadata.
// ---------------------------------------------------------------------------------------------

// A quantisation side tensor: its name (a catalog message, with block dims where it has them).
struct MetadataTensor {
  Msg name = Msg::none;
  std::uint64_t elements = 0;
  std::uint64_t elem_bytes = 1;
  std::uint64_t dim_a = 0, dim_b = 0;  // block dims in the name (fp8 weight_scale_inv 128×128)
};

// One stored tensor (or a stack of experts): its payload and side tensors.
struct StoredTensor {
  std::string_view storage;   // storage kind of the payload: "int8", "nf4", "Q6_K", "bf16" …
  std::uint64_t params = 0;
  std::uint64_t bytes = 0;    // payload bytes
  std::uint64_t num = 1, den = 1;  // payload bytes per parameter as a fraction (for the explanation)
  bool quantized = false;
  std::vector<MetadataTensor> meta;
};

StoredTensor dense_tensor(std::uint64_t n, DType t) {
  return StoredTensor{dtype_name(t), n, n * dtype_bytes(t), dtype_bytes(t), 1, false, {}};
}

// bitsandbytes Linear8bitLt._save_to_state_dict (bitsandbytes/nn/modules.py): int8 `weight`
// [out, in], `SCB` fp32 row-wise absmax [out], and a 0-d uint8 `weight_format` tensor.
StoredTensor bnb_int8_tensor(std::uint64_t out, std::uint64_t in) {
  return StoredTensor{"int8", out * in, out * in, 1, 1, true, {{Msg::meta_scb, out, 4}, {Msg::meta_weight_format, 1, 1}}};
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
StoredTensor bnb_4bit_tensor(std::uint64_t out, std::uint64_t in, bool nf4, bool double_quant, std::string_view dtype) {
  const std::uint64_t n = out * in;
  const std::uint64_t blocks = ceil_div(n, 64);
  StoredTensor s{nf4 ? "nf4" : "fp4", n, ceil_div(n, 2), 1, 2, true, {}};
  if (double_quant) {
    s.meta.push_back({Msg::meta_absmax_uint8, blocks, 1});
    s.meta.push_back({Msg::meta_nested_absmax, ceil_div(blocks, 256), 4});
    s.meta.push_back({Msg::meta_nested_quant_map, 256, 4});
  } else {
    s.meta.push_back({Msg::meta_absmax_fp32, blocks, 4});
  }
  s.meta.push_back({Msg::meta_quant_map, 16, 4});
  s.meta.push_back({Msg::meta_quant_state, bnb4_quant_state_json_bytes(nf4 ? "nf4" : "fp4", dtype, out, in, double_quant), 1});
  return s;
}

// AutoGPTQ / optimum QuantLinear buffers (auto_gptq/nn_modules/qlinear, optimum gptq): qweight
// int32 [in/32·bits, out], qzeros int32 [ceil(in/g), out/32·bits], scales fp16 [ceil(in/g), out],
// g_idx int32 [in]. group_size -1 = one group over the whole input.
StoredTensor gptq_tensor(std::uint64_t out, std::uint64_t in, std::uint32_t bits, std::int64_t group) {
  static constexpr std::string_view kStorage[] = {"", "", "int2 (GPTQ)", "int3 (GPTQ)", "int4 (GPTQ)", "", "", "", "int8 (GPTQ)"};
  const std::uint64_t g = group > 0 ? static_cast<std::uint64_t>(group) : in;
  const std::uint64_t groups = ceil_div(in, g);
  return StoredTensor{kStorage[bits <= 8 ? bits : 4], out * in, in / 32 * bits * out * 4, bits, 8, true,
                      {{Msg::meta_qzeros, groups * (out / 32 * bits), 4}, {Msg::meta_scales, groups * out, 2}, {Msg::meta_g_idx, in, 4}}};
}

// AutoAWQ WQLinear_GEMM (awq/modules/linear/gemm.py): qweight int32 [in, out/8], qzeros int32
// [in/g, out/8], scales fp16 [in/g, out] (4-bit, 8 values per int32).
StoredTensor awq_tensor(std::uint64_t out, std::uint64_t in, std::int64_t group) {
  const std::uint64_t g = group > 0 ? static_cast<std::uint64_t>(group) : in;
  return StoredTensor{"int4 (AWQ)", out * in, in * (out / 8) * 4, 1, 2, true,
                      {{Msg::meta_qzeros, in / g * (out / 8), 4}, {Msg::meta_scales, in / g * out, 2}}};
}

// transformers FP8Linear (integrations/finegrained_fp8.py; DeepSeek-V3 checkpoints): float8_e4m3
// weight [out, in] + `weight_scale_inv` fp32 [ceil(out/bo), ceil(in/bi)]; without blocks one fp32
// scale per tensor; fbgemm_fp8 stores one fp32 scale per output row.
StoredTensor fp8_tensor(std::uint64_t out, std::uint64_t in, std::uint64_t bo, std::uint64_t bi, bool per_row) {
  StoredTensor s{"fp8_e4m3", out * in, out * in, 1, 1, true, {}};
  if (per_row) s.meta.push_back({Msg::meta_fp8_row_scale, out, 4});
  else if (bo > 0 && bi > 0) s.meta.push_back({Msg::meta_fp8_block_scale, ceil_div(out, bo) * ceil_div(in, bi), 4, bo, bi});
  else s.meta.push_back({Msg::meta_fp8_tensor_scale, 1, 4});
  return s;
}

// OCP MX FP4 as stored by gpt-oss (transformers integrations/mxfp4.py): `<name>_blocks` uint8
// [E, out, in/32, 16] (two e2m1 values per byte) + `<name>_scales` uint8 e8m0 [E, out, in/32].
StoredTensor mxfp4_tensor(std::uint64_t experts, std::uint64_t out, std::uint64_t in) {
  const std::uint64_t blocks = experts * out * ceil_div(in, 32);
  return StoredTensor{"mxfp4", experts * out * in, blocks * 16, 1, 2, true, {{Msg::meta_mxfp4_scales, blocks, 1}}};
}

// A ggml tensor: rows × (ncols / block) × block bytes (ggml_row_size).
StoredTensor gguf_tensor(GgmlType t, std::uint64_t rows, std::uint64_t ncols) {
  const GgmlTypeTraits& tr = ggml_traits(t);
  return StoredTensor{tr.name, rows * ncols, rows * (ncols / tr.block) * tr.block_bytes, tr.block_bytes, tr.block, tr.quantized, {}};
}

// ---------------------------------------------------------------------------------------------
// Which groups each method quantises.
// ---------------------------------------------------------------------------------------------

// A 2-D weight held by a torch.nn.Linear (or GPT-2 Conv1D). Routers that are bare Parameters
// (DeepseekV2MoEGate, DeepseekV3TopkRouter, GptOssTopKRouter) and gpt-oss's fused 3-D expert
// tensors are not Linear modules (transformers 4.57 modeling files).
bool is_torch_linear(const ParamGroup& g, const ModelDescription& s) {
  if (!g.linear || g.bias) return false;
  if (g.role == Role::ExpertProjection && s.moe && s.moe->fused_gate_up) return false;
  if (g.role == Role::Router && s.arch && !s.arch->router_is_linear) return false;
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

struct Placement {
  Place place = Place::Input;
  std::uint64_t layer = 0;    // decoder layer index (Place::Layer)
  std::uint64_t ordinal = 0;  // index within its stack (for GGUF layer rules)
};

std::vector<Placement> placements_of(const Model& m, const ParamGroup& g, bool has_decoder_blocks) {
  std::vector<Placement> out;
  const ModelDescription& s = m.spec;
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
      if (b.holds(s, s.layers[i])) out.push_back({Place::Layer, i, i}), ++found;
  }
  for (; found < b.count; ++found) out.push_back({Place::Input, 0, b.first_index + found});
  return out;
}

// ---------------------------------------------------------------------------------------------
// The plan: one StoredTensor per group instance.
// ---------------------------------------------------------------------------------------------

struct PlacedTensor {
  Placement where;
  StoredTensor stored;
};

struct Plan {
  std::vector<PlacedTensor> tensors;
  DType dense = DType::BF16;
  DType compute = DType::BF16;
  Msg source = Msg::none;
  bool approximate = false;
  std::vector<Message> notes;
};

// Dtype of the parts a quantised checkpoint keeps unquantised: torch_dtype, else bf16.
DType kept_dtype(const ModelDescription& s) { return s.torch_dtype_given ? s.torch_dtype : DType::BF16; }

std::string_view torch_dtype_repr(DType t) {
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

// The GGUF recipe's view of the model.
Result<RecipeContext> recipe_context(const Model& m, const WeightFormat& f) {
  const ModelDescription& s = m.spec;
  const Inventory& inv = m.inventory;
  RecipeContext gc;
  gc.ft = f.gguf_type;
  const auto def = gguf_default_type(gc.ft);
  if (!def)
    return make_error(ErrorCode::UnknownName, "dtype", {Msg::error_option_unknown_weight_format, {{"field", OptionRef{"dtype"}}, {"value", f.gguf_type}}});
  gc.def = *def;
  gc.quantizing = ggml_traits(gc.def).quantized;
  gc.imatrix = gguf_assumes_imatrix(gc.ft);
  gc.tied = true;
  for (const auto& g : inv.groups)
    if (g.role == Role::LmHead && g.in_full && !g.bias) gc.tied = false;
  gc.falcon_rules = s.arch && s.arch->gguf.falcon_rules;
  gc.n_gqa = s.num_kv_heads ? s.num_heads / s.num_kv_heads : 1;
  gc.n_expert = s.moe ? s.moe->routed_experts : 0;
  gc.type_70b = s.arch && s.arch->gguf.type_70b_rule && s.num_layers == 80 && s.num_heads != s.num_kv_heads;
  gc.n_layer = s.num_layers;
  for (const auto& g : inv.groups) {
    const TensorCategory c = g.in_full && !g.is_buffer() && !g.bias && g.cols > 1 ? gguf_category(g) : TensorCategory::Other;
    if (c == TensorCategory::AttnV || c == TensorCategory::AttnQkv || c == TensorCategory::AttnKvB) gc.n_attn_v += inv.block_count(g.block);
  }
  return gc;
}

Result<Plan> make_plan(const Model& m, const WeightFormat& f) {
  const ModelDescription& s = m.spec;
  const Inventory& inv = m.inventory;
  Plan plan;
  bool has_decoder_blocks = false;
  for (const auto& b : inv.blocks) has_decoder_blocks = has_decoder_blocks || !b.encoder;

  RecipeContext gc;
  if (f.kind == WeightKind::Gguf) {
    auto r = recipe_context(m, f);
    if (!r) return r.error();
    gc = r.value();
  }
  // Source dtype of tensors llama.cpp never quantises (position embeddings, T5 relative bias,
  // vision tower): as converted, F16 for a quantised file, else the file type itself.
  const GgmlType gguf_source = gc.def == GgmlType::F32 ? GgmlType::F32 : gc.def == GgmlType::BF16 ? GgmlType::BF16 : GgmlType::F16;

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
    case WeightKind::F32: plan.dense = plan.compute = DType::F32; plan.source = Msg::source_weights_dense; break;
    case WeightKind::F16: plan.dense = plan.compute = DType::F16; plan.source = Msg::source_weights_dense; break;
    case WeightKind::BF16: plan.dense = plan.compute = DType::BF16; plan.source = Msg::source_weights_dense; break;
    case WeightKind::BnbInt8:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = Msg::source_weights_bnb_int8;
      break;
    case WeightKind::BnbNf4:
    case WeightKind::BnbFp4:
      plan.dense = kept_dtype(s);
      plan.compute = s.quant.method == QuantMethod::BnbNf4 || s.quant.method == QuantMethod::BnbFp4 ? s.quant.compute_dtype : plan.dense;
      plan.source = Msg::source_weights_bnb_4bit;
      if (f.double_quant) {
        plan.approximate = true;
        plan.notes.push_back({Msg::note_bnb_nested_offset, {{"chars", std::to_string(kNestedOffsetReprChars)}}});
      }
      break;
    case WeightKind::Gptq:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = Msg::source_weights_gptq;
      break;
    case WeightKind::Awq:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = Msg::source_weights_awq;
      break;
    case WeightKind::Fp8:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = Msg::source_weights_fp8;
      break;
    case WeightKind::Mxfp4:
      plan.dense = plan.compute = kept_dtype(s);
      plan.source = Msg::source_weights_mxfp4;
      if (!s.moe) plan.notes.push_back(Msg::note_mxfp4_no_experts);
      break;
    case WeightKind::Gguf:
      plan.dense = DType::F32;
      plan.compute = DType::F32;
      plan.source = Msg::source_weights_gguf;
      if (gc.imatrix) plan.notes.push_back({Msg::note_gguf_imatrix, {{"type", f.gguf_type}}});
      if (s.encoder_decoder || s.vision || s.mla || s.generic) {
        plan.approximate = true;
        plan.notes.push_back(Msg::note_gguf_mapped_names);
      }
      if (s.vision) plan.notes.push_back(Msg::note_gguf_mmproj);
      break;
    case WeightKind::Auto: break;
  }

  for (const auto& g : inv.groups) {
    if (g.is_buffer() || !g.in_full) continue;
    const std::uint64_t rows = g.rows * g.experts;  // Linear out-features stacked over experts
    // Matched once per group, not once per layer instance (a skip list is globbed per name).
    const bool listed = skip_listed(g, skip);
    for (const Placement& at : placements_of(m, g, has_decoder_blocks)) {
      StoredTensor st;
      const bool linear = is_torch_linear(g, s);
      const bool in_block = g.block >= 0 && g.role != Role::VisionTower && g.role != Role::Projector;
      switch (f.kind) {
        case WeightKind::BnbInt8:
        case WeightKind::BnbNf4:
        case WeightKind::BnbFp4: {
          // transformers get_keys_to_not_convert: the output embedding / last child (lm_head, classifier).
          const bool convert = linear && g.role != Role::LmHead && g.role != Role::TaskHead && !listed;
          if (!convert) {
            st = dense_tensor(g.numel(), plan.dense);
            break;
          }
          const auto one = [&] {
            return f.kind == WeightKind::BnbInt8 ? bnb_int8_tensor(g.rows, g.cols)
                                                 : bnb_4bit_tensor(g.rows, g.cols, nf4, f.double_quant, torch_dtype_repr(plan.dense));
          };
          st = one();  // one Linear8bitLt / Linear4bit per expert, all of one shape
          const std::uint64_t e = g.experts;
          st.params *= e, st.bytes *= e;
          for (auto& p : st.meta) p.elements *= e;
          break;
        }
        case WeightKind::Gptq:
        case WeightKind::Awq: {
          const bool convert = linear && in_block && g.role != Role::Router && !listed;
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
          const bool convert = linear && in_block && !listed;
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
          if (vector || g.role == Role::Router) {
            st = gguf_tensor(GgmlType::F32, 1, g.numel());
            break;
          }
          const bool keep = g.role == Role::PositionEmbedding || g.role == Role::TokenTypeEmbedding ||
                            g.role == Role::AttentionOther || g.role == Role::VisionTower || g.role == Role::Projector;
          if (keep || !gc.quantizing) {
            st = gguf_tensor(keep ? gguf_source : gc.def, rows, g.cols);
            break;
          }
          const TensorCategory cat = gguf_category(g);
          GgmlType t = gc.def;
          if (gc.ft == "MXFP4" && g.experts > 1 && cat != TensorCategory::Output && cat != TensorCategory::TokenEmbd) t = GgmlType::MXFP4;
          else t = gguf_recipe(gc, cat, g.cols, at.ordinal, at.place == Place::Layer ? at.layer : at.ordinal);
          st = gguf_tensor(gguf_fallback(t, g.cols), rows, g.cols);
          break;
        }
        default:
          st = dense_tensor(g.numel(), plan.dense);
          break;
      }
      plan.tensors.push_back({at, std::move(st)});
    }
  }
  return plan;
}

std::uint64_t meta_bytes(const StoredTensor& s) {
  std::uint64_t b = 0;
  for (const auto& p : s.meta) b += p.elements * p.elem_bytes;
  return b;
}

// The checkpoint's own format as a WeightFormat (quantization_config, else torch_dtype).
WeightFormat from_checkpoint(const ModelDescription& s) {
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

// Totals, their explanation and the per-layer layout, all from the one plan.
Weights summarise(const Model& model, const WeightFormat& f, Plan plan) {
  // The plan is computed once per (model, format) and memoised, so its explanation is always built:
  // an estimate that explains may read a plan a quiet sweep computed first.
  const ExplainScope explain(true);
  Weights w;
  WeightBytes& out = w.bytes;
  out.format = f;
  out.compute_dtype = plan.compute;
  out.dense_dtype = plan.dense;
  out.source = plan.source;
  out.approximate = plan.approximate;
  out.notes = std::move(plan.notes);

  // Payloads by storage kind and metadata by tensor name (first-seen order).
  struct Kind {
    std::string_view storage;
    std::uint64_t params = 0, bytes = 0, num = 1, den = 1;
    bool quantized = false;
  };
  std::vector<Kind> payload;
  std::vector<MetadataTensor> meta;
  WeightLayout& layout = w.layout;
  layout.layer_bytes.assign(model.spec.num_layers, 0);
  for (const PlacedTensor& p : plan.tensors) {
    const StoredTensor& s = p.stored;
    out.weights += s.bytes;
    (s.quantized ? out.quantized_params : out.dense_params) += s.params;
    auto it = std::find_if(payload.begin(), payload.end(), [&](const Kind& k) { return k.storage == s.storage; });
    if (it == payload.end()) payload.push_back({s.storage, s.params, s.bytes, s.num, s.den, s.quantized});
    else it->params += s.params, it->bytes += s.bytes;
    for (const MetadataTensor& part : s.meta) {
      out.quant_metadata += part.elements * part.elem_bytes;
      auto mt = std::find_if(meta.begin(), meta.end(),
                             [&](const MetadataTensor& q) { return q.name == part.name && q.dim_a == part.dim_a && q.dim_b == part.dim_b; });
      if (mt == meta.end()) meta.push_back(part);
      else mt->elements += part.elements;
    }
    const std::uint64_t b = s.bytes + meta_bytes(s);
    switch (p.where.place) {
      case Place::Layer: layout.layer_bytes[p.where.layer] += b; break;
      case Place::Input: layout.input_bytes += b; break;
      case Place::Output: layout.output_bytes += b; break;
    }
  }
  for (auto b : layout.layer_bytes) layout.largest_layer_bytes = std::max(layout.largest_layer_bytes, b);

  std::stable_sort(payload.begin(), payload.end(), [](const Kind& a, const Kind& b) { return a.quantized && !b.quantized; });
  std::vector<Q> terms;
  std::uint64_t formula_bytes = 0;
  for (const Kind& k : payload) {
    const Message per_param{k.den == 1 ? Msg::term_bytes_dtype : Msg::term_bytes_fraction,
                            {{"dtype", k.storage}, {"num", std::to_string(k.num)}, {"den", std::to_string(k.den)}}};
    const Q params = Q::of(k.params, Msg::term_params);
    terms.push_back(k.den == 1 ? params * Q::of(k.num, per_param) : div(params * Q::of(k.num, per_param), Q::of(k.den, Msg::term_per_den)));
    formula_bytes += terms.back().value();
  }
  // Whole blocks and packed bytes round each tensor up: the rest of the exact sum, said as such.
  if (out.weights > formula_bytes) terms.push_back(Q::of(out.weights - formula_bytes, Msg::term_rounding_bytes));
  out.weights_formula = sum(terms);
  std::vector<Q> mterms;
  for (const MetadataTensor& p : meta) {
    const Message name{p.name, {{"a", std::to_string(p.dim_a)}, {"b", std::to_string(p.dim_b)}}};
    mterms.push_back(Q::of(p.elements, name) * Q::of(p.elem_bytes, Msg::term_bytes));
  }
  out.metadata_formula = sum(mterms);
  return w;
}

}  // namespace

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
  std::shared_ptr<const Weights> stored;  // a GGUF file's exact bytes ("auto" with spec.stored)
};

namespace {

// The exact bytes of a GGUF file (spec.stored): every tensor's ggml_nbytes, by placement.
Weights stored_weights(const StoredLayout& st) {
  Weights w;
  WeightBytes& out = w.bytes;
  out.format.kind = WeightKind::Gguf;
  out.format.gguf_type = st.file_type;
  out.format.id = st.file_type.empty() ? "gguf" : "gguf:" + st.file_type;
  out.compute_dtype = DType::F32;  // ggml computes in f32 (the KV cache defaults to f16 in llama.cpp)
  out.dense_dtype = DType::F32;
  w.layout.layer_bytes = st.layer_bytes;
  w.layout.input_bytes = st.input_bytes;
  w.layout.output_bytes = st.output_bytes;
  std::uint64_t total = st.input_bytes + st.output_bytes;
  for (auto b : st.layer_bytes) {
    total += b;
    w.layout.largest_layer_bytes = std::max(w.layout.largest_layer_bytes, b);
  }
  out.weights = total;
  out.quantized_params = st.quantized_params;
  out.dense_params = st.dense_params;
  out.weights_formula = Q::bytes(total, Msg::term_gguf_exact);
  out.metadata_formula = Q::of(0);
  out.source = Msg::source_weights_gguf_file;
  return w;
}

// Formats that size the same: the id string is only a label.
bool same_format(const WeightFormat& a, const WeightFormat& b) {
  return a.kind == b.kind && a.bits == b.bits && a.group_size == b.group_size && a.double_quant == b.double_quant &&
         a.gguf_type == b.gguf_type;
}

}  // namespace

Result<std::shared_ptr<const Weights>> weights_of(const Model& model, const WeightFormat& requested) {
  if (!model.weight_memo) model.weight_memo = std::make_shared<WeightMemo>();
  if (requested.kind == WeightKind::Auto && model.spec.stored) {
    if (!model.weight_memo->stored) model.weight_memo->stored = std::make_shared<const Weights>(stored_weights(*model.spec.stored));
    return std::shared_ptr<const Weights>(model.weight_memo->stored);
  }
  const WeightFormat f = resolve_weight_format(model, requested);
  auto& entries = model.weight_memo->entries;
  for (const auto& e : entries)
    if (same_format(e.format, f)) return e.weights;
  auto plan = make_plan(model, f);
  if (!plan) return plan.error();
  auto w = std::make_shared<const Weights>(summarise(model, f, std::move(plan).value()));
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

}  // namespace vram
