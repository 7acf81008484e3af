// Format: https://github.com/huggingface/safetensors (8-byte little-endian header length, then a JSON
// object {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}).
#include "vram/model/safetensors.hpp"

#include <algorithm>

#include "base/json_reader.hpp"
#include "vram/model/model.hpp"

namespace vram {
namespace {

using detail::Json;

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Quantisation side tensors by name suffix (GPTQ/AWQ, bitsandbytes, FP8, MXFP4 conventions).
bool is_quant_metadata(const std::string& name) {
  static constexpr std::string_view kSuffixes[] = {
      ".scales", ".qzeros", ".g_idx", ".SCB", ".weight_format", ".absmax", ".quant_map", ".nested_absmax",
      ".nested_quant_map", ".quant_state.bitsandbytes__nf4", ".quant_state.bitsandbytes__fp4", ".weight_scale_inv",
      ".weight_scale", ".input_scale", "_scales"};
  for (auto s : kSuffixes)
    if (ends_with(name, s)) return true;
  return false;
}

// Layer index in "model.layers.<i>." names, or -1. An index of 18 digits or more saturates at
// 10^17 (past any real layer count) instead of overflowing.
std::int64_t layer_index(const std::string& name) {
  constexpr std::int64_t kSaturated = 100'000'000'000'000'000;
  static constexpr std::string_view kPrefix = "model.layers.";
  if (name.rfind(kPrefix, 0) != 0) return -1;
  std::int64_t v = 0;
  std::size_t i = kPrefix.size();
  if (i >= name.size() || name[i] < '0' || name[i] > '9') return -1;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) v = v < kSaturated ? v * 10 + (name[i] - '0') : kSaturated;
  return v;
}

// Bits per element of each safetensors dtype (safetensors/src/tensor.rs Dtype::bitsize).
std::uint64_t dtype_bits(const std::string& d) {
  static constexpr std::pair<std::string_view, std::uint64_t> kBits[] = {
      {"BOOL", 8}, {"F4", 4},   {"F6_E2M3", 6}, {"F6_E3M2", 6}, {"U8", 8},   {"I8", 8},   {"F8_E5M2", 8},
      {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"I16", 16}, {"U16", 16}, {"F16", 16}, {"BF16", 16}, {"I32", 32},
      {"U32", 32}, {"F32", 32}, {"C64", 64},   {"F64", 64},   {"I64", 64}, {"U64", 64}};
  for (const auto& [name, bits] : kBits)
    if (d == name) return bits;
  return 0;
}

// One file's data buffer is the tensors' spans laid end to end from 0 (safetensors
// Metadata::validate: sorted by offsets, each begin equals the previous end). A shard larger than
// 1 PiB is not a real checkpoint, and the bound keeps every sum of spans far below 2^64.
constexpr std::uint64_t kMaxFileBytes = std::uint64_t{1} << 50;

// Every header is parsed against its shape, so a hostile header stops at its first misplaced value;
// the budgets (safetensors.hpp) bound the parse time of the whole set.
constexpr std::size_t kMaxHeaders = kMaxSafetensorsHeaders;
constexpr std::uint64_t kMaxTotalBytes = kMaxSafetensorsTotalBytes;
constexpr std::uint64_t kMaxTensors = kMaxSafetensorsTensors;
// A tensor's shape has at most this many dimensions (torch allows 64; real checkpoints use ≤ 5).
constexpr std::size_t kMaxRank = 64;

struct Span {
  std::uint64_t begin = 0, end = 0;
  const std::string* name = nullptr;
};

}  // namespace

Result<StoredTensors> read_safetensors_headers(const std::vector<std::string>& headers, const ModelDescription& spec) {
  StoredTensors out;
  if (headers.size() > kMaxHeaders)
    return make_error(ErrorCode::InvalidValue, "headers", {Msg::error_st_too_many, {{"max", std::to_string(kMaxHeaders)}}});
  // The budget in bytes, before anything is parsed. A header over its own limit is refused by its
  // own name (parse_json, below), so it is left out of the sum.
  std::uint64_t total_bytes = 0;
  for (const auto& h : headers)
    if (h.size() <= detail::kMaxSafetensorsHeaderBytes) total_bytes += h.size();  // ≤ 4096 × 32 MiB
  if (total_bytes > kMaxTotalBytes)
    return make_error(ErrorCode::InvalidValue, "headers",
                      {Msg::error_st_total_bytes, {{"size", std::to_string(total_bytes)}, {"max", std::to_string(kMaxTotalBytes)}}});
  const bool packed = spec.quant.method == QuantMethod::Gptq || spec.quant.method == QuantMethod::Awq;
  for (std::size_t f = 0; f < headers.size(); ++f) {
    const std::string what = "safetensors header " + std::to_string(f + 1);
    const std::string n = std::to_string(f + 1);
    // {name: {"dtype": …, "shape": [dims], "data_offsets": [b, e]}, "__metadata__": {str: str}}:
    // three levels, short arrays, and no more members than the tensors left in the budget.
    detail::JsonShape shape;
    shape.max_depth = 3;
    shape.max_array = kMaxRank;
    shape.max_root_members = static_cast<std::size_t>(kMaxTensors - out.tensors) + 1;  // + __metadata__
    shape.object_root = true;
    shape.not_object = {Msg::error_st_not_object, {{"n", n}}};
    shape.array_too_long = {Msg::error_st_array_too_long, {{"n", n}, {"max", std::to_string(kMaxRank)}}};
    shape.too_many_members = {Msg::error_st_too_many_tensors, {{"max", std::to_string(kMaxTensors)}}};
    auto parsed = detail::parse_json(headers[f], what, detail::kMaxSafetensorsHeaderBytes, &shape);
    if (!parsed) return parsed.error();
    const Json& h = parsed.value();
    if (!h.is_object()) return make_error(ErrorCode::InvalidValue, what, {Msg::error_st_not_object, {{"n", n}}});
    ++out.files;
    std::vector<Span> spans;
    for (const auto& [name, t] : h.items()) {
      if (name == "__metadata__") continue;
      const std::string& field = name.empty() ? what : name;  // an error always names something
      const std::string shown = name.size() > 80 ? name.substr(0, 77) + "..." : name;
      const auto bad = [&](ErrorCode code, Msg m, std::vector<Arg> args = {}) {
        args.insert(args.begin(), {Arg("n", n), Arg("tensor", shown)});
        return make_error(code, field, {m, std::move(args)});
      };
      if (!t.is_object() || !t.contains("dtype") || !t["dtype"].is_string() || !t.contains("shape") || !t["shape"].is_array() ||
          !t.contains("data_offsets") || !t["data_offsets"].is_array() || t["data_offsets"].size() != 2)
        return bad(ErrorCode::InvalidValue, Msg::error_st_tensor_fields);
      const Json& off = t["data_offsets"];
      if (!off[0].is_number_unsigned() || !off[1].is_number_unsigned() || off[1].get<std::uint64_t>() < off[0].get<std::uint64_t>())
        return bad(ErrorCode::InvalidValue, Msg::error_st_offsets);
      std::uint64_t elements = 1;
      for (const auto& d : t["shape"]) {
        if (!d.is_number_unsigned()) return bad(ErrorCode::InvalidValue, Msg::error_st_shape);
        const std::uint64_t dim = d.get<std::uint64_t>();
        if (dim != 0 && elements > (std::uint64_t{1} << 50) / dim)
          return bad(ErrorCode::Overflow, Msg::error_st_shape_too_large);
        elements *= dim;
      }
      const std::uint64_t begin = off[0].get<std::uint64_t>(), end = off[1].get<std::uint64_t>();
      if (end > kMaxFileBytes)
        return bad(ErrorCode::Overflow, Msg::error_st_end_too_large, {{"end", std::to_string(end)}});
      const std::uint64_t bytes = end - begin;
      const std::string dtype = t["dtype"].get<std::string>();
      const std::uint64_t bits = dtype_bits(dtype);
      if (bits == 0)
        return bad(ErrorCode::InvalidValue, Msg::error_st_dtype, {{"dtype", dtype.substr(0, 16)}});
      if (elements * bits % 8 != 0 || elements * bits / 8 != bytes)
        return bad(ErrorCode::InvalidValue, Msg::error_st_span,
                   {{"bytes", std::to_string(bytes)}, {"elements", std::to_string(elements)}, {"dtype", dtype},
                    {"expected", std::to_string(elements * bits / 8)}});
      spans.push_back({begin, end, &name});
      if (++out.tensors > kMaxTensors)
        return make_error(ErrorCode::InvalidValue, "headers", {Msg::error_st_too_many_tensors, {{"max", std::to_string(kMaxTensors)}}});
      out.bytes += bytes;
      const bool meta = is_quant_metadata(name);
      if (meta) {
        out.quant_metadata_bytes += bytes;
      } else if (dtype == "I32" && packed && spec.quant.bits && (ends_with(name, ".qweight"))) {
        // int32 words hold 32 / bits weights; 3-bit packs 32 weights in 3 words, so multiply first.
        out.logical_params += elements * 32 / spec.quant.bits;
      } else if (dtype == "U8" && (spec.quant.method == QuantMethod::BnbNf4 || spec.quant.method == QuantMethod::BnbFp4)) {
        out.logical_params += elements * 2;  // two 4-bit weights per byte
      } else if (ends_with(name, "_blocks") && spec.quant.method == QuantMethod::Mxfp4) {
        out.logical_params += elements * 2;
      } else {
        out.logical_params += elements;
      }
      const std::int64_t layer = layer_index(name);
      if (layer >= 0 && static_cast<std::uint64_t>(layer) >= spec.num_layers) out.mtp_bytes += bytes;
      auto it = std::find_if(out.by_dtype.begin(), out.by_dtype.end(), [&](const StoredDtype& d) { return d.dtype == dtype; });
      if (it == out.by_dtype.end()) {
        out.by_dtype.push_back({dtype, 0, 0, 0});
        it = out.by_dtype.end() - 1;
      }
      ++it->tensors;
      it->elements += elements;
      it->bytes += bytes;
    }
    // Heap sort: less than half of std::sort's code in the WebAssembly module. Ties are broken by name, so
    // the tensor an error names does not depend on the sort's order of equal spans.
    const auto by_offsets = [](const Span& a, const Span& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end != b.end ? a.end < b.end : *a.name < *b.name;
    };
    std::make_heap(spans.begin(), spans.end(), by_offsets);
    std::sort_heap(spans.begin(), spans.end(), by_offsets);
    std::uint64_t at = 0;
    for (const Span& sp : spans) {
      if (sp.begin != at)
        return make_error(ErrorCode::InvalidValue, sp.name->empty() ? what : *sp.name,
                          {sp.begin > at ? Msg::error_st_gap : Msg::error_st_overlap,
                           {{"n", n}, {"tensor", sp.name->size() > 80 ? sp.name->substr(0, 77) + "..." : *sp.name},
                            {"begin", std::to_string(sp.begin)}, {"expected", std::to_string(at)}}});
      at = sp.end;
    }
  }
  if (out.files == 0) return make_error(ErrorCode::MissingField, "headers", Msg::error_st_none);
  if (out.mtp_bytes) out.notes.push_back({Msg::note_st_mtp_layers, {{"layer", std::to_string(spec.num_layers)}}});
  return out;
}

Result<StoredTensors> read_safetensors_headers(const std::vector<std::string>& headers, const Model& model) {
  auto r = read_safetensors_headers(headers, model.spec);
  if (!r) return r;
  StoredTensors& st = r.value();
  // The headers must hold every parameter the config builds (transformers' inventory is exact to
  // the parameter, and logical_params unpacks every packed format the engine knows). A shortfall
  // of more than 1 % is a shard left out or another model's headers: an error, for the stored
  // bytes would replace the weights in the estimate. A smaller one, or any shortfall where the
  // count is not exact (an approximate config, a packing the engine does not unpack), is a note.
  const std::uint64_t expected = model.inventory.total_params, stored = st.logical_params;
  if (stored >= expected) return r;
  const std::uint64_t missing = expected - stored;
  const bool exact = !model.spec.approximate && model.spec.quant.method != QuantMethod::Compressed &&
                     model.spec.quant.method != QuantMethod::Other;
  if (exact && missing > expected / 100)
    return make_error(ErrorCode::InvalidValue, "headers",
                      {Msg::error_st_incomplete, {{"stored", std::to_string(stored)}, {"expected", std::to_string(expected)},
                                                  {"missing", std::to_string(missing)}}});
  st.notes.push_back({Msg::note_st_incomplete, {{"stored", std::to_string(stored)}, {"expected", std::to_string(expected)}}});
  st.complete = false;
  return r;
}

}  // namespace vram
