// GGUF header reader. Layout (ggml-org/ggml docs/gguf.md, v2/v3): "GGUF", u32 version, u64
// tensor_count, u64 kv_count; kv_count × {string key, u32 type, value}; tensor_count × {string name,
// u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset}; padding to general.alignment; the data.
// A string is a u64 length and its bytes; an array a u32 element type, a u64 count and the items.
// The checks are those of ggml/src/gguf.cpp gguf_init_from_file_impl (versions 2 and 3 only, unique
// keys and tensor names, names < GGML_MAX_NAME, n_dims ≤ GGML_MAX_DIMS, known types, rows that are
// whole blocks, each tensor's offset = the previous one's end padded to the alignment), plus the
// hard limits of GgufLimits, each tested before the bytes it governs are read or stored.
#include "vram/model/gguf.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "base/json_reader.hpp"
#include "vram/model/architecture.hpp"

namespace vram {
namespace {

using L = GgufLimits;

constexpr std::uint64_t kKeptItemsTotal = std::uint64_t{1} << 16;  // kept array items in one header

std::string shown(std::string_view s) {
  std::string out(s.substr(0, std::min<std::size_t>(s.size(), 80)));
  if (s.size() > 80) out.replace(77, 3, "...");
  return out;
}

// Bytes of one item of a fixed-size type; 0 for String and Array.
std::uint64_t fixed_size(GgufValueType t) {
  switch (t) {
    case GgufValueType::U8: case GgufValueType::I8: case GgufValueType::Bool: return 1;
    case GgufValueType::U16: case GgufValueType::I16: return 2;
    case GgufValueType::U32: case GgufValueType::I32: case GgufValueType::F32: return 4;
    case GgufValueType::U64: case GgufValueType::I64: case GgufValueType::F64: return 8;
    case GgufValueType::String: case GgufValueType::Array: return 0;
  }
  return 0;
}

bool known_type(std::uint32_t t) { return t <= static_cast<std::uint32_t>(GgufValueType::F64); }

class Parser {
 public:
  Parser(std::string_view bytes, std::string_view what) : b_(bytes), what_(what) {}

  std::optional<Error> err;
  std::uint64_t need = 0;   // > 0: the input ended before byte `need`
  std::uint64_t pos = 0;
  bool big_endian = false;

  // The next n bytes are present; otherwise records how many bytes are needed (or that the header
  // would pass its limit) and returns false.
  bool have(std::uint64_t n) {
    if (n <= b_.size() - pos) return true;
    if (n > L::kMaxHeaderBytes || pos + n > L::kMaxHeaderBytes)
      fail(ErrorCode::Overflow, {Msg::error_gguf_too_large, {{"bytes", Bytes{L::kMaxHeaderBytes}}}});
    else
      need = pos + n;
    return false;
  }

  template <class T>
  bool read(T& v) {
    if (!have(sizeof(T))) return false;
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, b_.data() + pos, sizeof(T));
    if (big_endian) std::reverse(raw, raw + sizeof(T));
    std::memcpy(&v, raw, sizeof(T));
    pos += sizeof(T);
    return true;
  }

  // A string of at most `max` bytes; `store` false skips its bytes.
  bool string(std::string* out, std::uint64_t max, Msg too_long, std::vector<Arg> args) {
    std::uint64_t n = 0;
    if (!read(n)) return false;
    if (n > max) {
      args.push_back({"length", n});
      args.push_back({"max", max});
      return fail(ErrorCode::InvalidValue, {too_long, std::move(args)});
    }
    if (!have(n)) return false;
    if (out) out->assign(b_.data() + pos, n);
    pos += n;
    return true;
  }

  bool fail(ErrorCode code, Message m) {
    m.args.insert(m.args.begin(), Arg("file", std::string(what_)));
    err = make_error(code, std::string(what_), std::move(m));
    return false;
  }
  bool fail_key(ErrorCode code, const std::string& key, Msg m, std::vector<Arg> args = {}) {
    args.insert(args.begin(), Arg("key", shown(key)));
    return fail(code, {m, std::move(args)});
  }

  // One value of `type`; `out` null skips it (still checked).
  bool value(GgufValueType type, const std::string& key, GgufValue* out, std::uint64_t depth) {
    if (out) out->type = type;
    switch (type) {
      case GgufValueType::U8: return scalar<std::uint8_t>(out);
      case GgufValueType::I8: return scalar<std::int8_t>(out);
      case GgufValueType::U16: return scalar<std::uint16_t>(out);
      case GgufValueType::I16: return scalar<std::int16_t>(out);
      case GgufValueType::U32: return scalar<std::uint32_t>(out);
      case GgufValueType::I32: return scalar<std::int32_t>(out);
      case GgufValueType::U64: return scalar<std::uint64_t>(out);
      case GgufValueType::I64: return scalar<std::int64_t>(out);
      case GgufValueType::F32: {
        float f = 0;
        if (!read(f)) return false;
        if (out) out->f = f;
        return true;
      }
      case GgufValueType::F64: {
        double f = 0;
        if (!read(f)) return false;
        if (out) out->f = f;
        return true;
      }
      case GgufValueType::Bool: {
        std::uint8_t v = 0;
        if (!read(v)) return false;
        if (v > 1) return fail_key(ErrorCode::InvalidValue, key, Msg::error_gguf_bool, {{"value", std::uint64_t{v}}});
        if (out) out->u = v;
        return true;
      }
      case GgufValueType::String:
        return string(out ? &out->s : nullptr, L::kMaxStringBytes, Msg::error_gguf_string_length, {Arg("key", shown(key))});
      case GgufValueType::Array: return array(key, out, depth);
    }
    return false;
  }

  bool array(const std::string& key, GgufValue* out, std::uint64_t depth) {
    if (depth >= L::kMaxArrayDepth)
      return fail_key(ErrorCode::InvalidValue, key, Msg::error_gguf_array_depth, {{"max", L::kMaxArrayDepth}});
    std::uint32_t et = 0;
    std::uint64_t n = 0;
    if (!read(et)) return false;
    if (!known_type(et)) return fail_key(ErrorCode::InvalidValue, key, Msg::error_gguf_value_type, {{"type", std::uint64_t{et}}});
    if (!read(n)) return false;
    if (n > L::kMaxArrayItems)
      return fail_key(ErrorCode::InvalidValue, key, Msg::error_gguf_array_length, {{"count", n}, {"max", L::kMaxArrayItems}});
    const auto elem = static_cast<GgufValueType>(et);
    // Items of a fixed size: all of them must be present before any is read.
    if (const std::uint64_t size = fixed_size(elem); size && !have(n * size)) return false;
    const bool keep = out && n <= L::kKeptArrayItems && kept_ + n <= kKeptItemsTotal;
    if (out) {
      out->elem = elem;
      out->count = n;
      out->items_kept = keep;
    }
    if (keep) kept_ += n;
    for (std::uint64_t i = 0; i < n; ++i) {
      if (keep) {
        out->items.emplace_back();
        if (!value(elem, key, &out->items.back(), depth + 1)) return false;
      } else if (elem != GgufValueType::String && elem != GgufValueType::Array && elem != GgufValueType::Bool) {
        pos += n * fixed_size(elem);  // present: checked above
        break;
      } else if (!value(elem, key, nullptr, depth + 1)) {
        return false;
      }
    }
    return true;
  }

 private:
  template <class T>
  bool scalar(GgufValue* out) {
    T v{};
    if (!read(v)) return false;
    if (out) {
      if constexpr (std::is_signed_v<T>) {
        out->i = v;
      } else {
        out->u = v;
      }
    }
    return true;
  }

  std::string_view b_;
  std::string_view what_;
  std::uint64_t kept_ = 0;
};

// The first duplicate (in file order) among `names`, or -1.
std::int64_t first_duplicate(const std::vector<const std::string*>& names) {
  std::vector<std::pair<const std::string*, std::size_t>> v;
  v.reserve(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) v.emplace_back(names[i], i);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return *a.first != *b.first ? *a.first < *b.first : a.second < b.second; });
  std::int64_t best = -1;
  for (std::size_t i = 1; i < v.size(); ++i)
    if (*v[i].first == *v[i - 1].first && (best < 0 || v[i].second < static_cast<std::size_t>(best)))
      best = static_cast<std::int64_t>(v[i].second);
  return best;
}

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) { return (x + a - 1) / a * a; }

}  // namespace

std::string_view gguf_value_type_name(GgufValueType t) noexcept {
  static constexpr std::string_view kNames[] = {"u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"};
  const auto i = static_cast<std::size_t>(t);
  return i < std::size(kNames) ? kNames[i] : std::string_view("?");
}

bool GgufValue::is_integer() const noexcept {
  switch (type) {
    case GgufValueType::U8: case GgufValueType::I8: case GgufValueType::U16: case GgufValueType::I16:
    case GgufValueType::U32: case GgufValueType::I32: case GgufValueType::U64: case GgufValueType::I64: return true;
    default: return false;
  }
}

std::optional<std::uint64_t> GgufValue::as_uint() const noexcept {
  switch (type) {
    case GgufValueType::U8: case GgufValueType::U16: case GgufValueType::U32: case GgufValueType::U64:
    case GgufValueType::Bool: return u;
    case GgufValueType::I8: case GgufValueType::I16: case GgufValueType::I32: case GgufValueType::I64:
      if (i >= 0) return static_cast<std::uint64_t>(i);
      return std::nullopt;
    default: return std::nullopt;
  }
}

std::optional<double> GgufValue::as_number() const noexcept {
  if (type == GgufValueType::F32 || type == GgufValueType::F64) return f;
  if (type == GgufValueType::I8 || type == GgufValueType::I16 || type == GgufValueType::I32 || type == GgufValueType::I64)
    return static_cast<double>(i);
  if (is_integer()) return static_cast<double>(u);
  return std::nullopt;
}

const GgufValue* GgufHeader::find(std::string_view key) const noexcept {
  for (const auto& entry : kv)
    if (entry.key == key) return &entry.value;
  return nullptr;
}

Result<GgufRead> read_gguf_header(std::string_view bytes, std::string_view what, std::uint64_t file_size) {
  Parser p(bytes, what);
  GgufRead out;
  GgufHeader& h = out.header;
  const auto stop = [&]() -> Result<GgufRead> {
    if (p.err) return *p.err;
    GgufRead more;
    more.need_bytes = p.need;
    return more;
  };

  if (!p.have(4)) return stop();
  if (std::memcmp(bytes.data(), "GGUF", 4) != 0) {
    p.fail(ErrorCode::InvalidValue, Msg::error_gguf_magic);
    return stop();
  }
  p.pos = 4;
  std::uint32_t version = 0;
  if (!p.read(version)) return stop();
  // A big-endian file's version reads as 0x0N000000 (ggml: "this GGUF file is big endian").
  if ((version & 0xFFFFu) == 0 && version != 0) {
    version = ((version >> 24) & 0xFFu) | ((version >> 8) & 0xFF00u);
    p.big_endian = true;
  }
  if (version != 2 && version != 3) {
    p.fail(ErrorCode::Unsupported, {Msg::error_gguf_version, {{"version", std::uint64_t{version}}}});
    return stop();
  }
  h.version = version;
  h.big_endian = p.big_endian;
  std::uint64_t n_tensors = 0, n_kv = 0;
  if (!p.read(n_tensors) || !p.read(n_kv)) return stop();
  if (n_tensors > L::kMaxTensors) {
    p.fail(ErrorCode::InvalidValue, {Msg::error_gguf_tensor_count, {{"count", n_tensors}, {"max", L::kMaxTensors}}});
    return stop();
  }
  if (n_kv > L::kMaxKeys) {
    p.fail(ErrorCode::InvalidValue, {Msg::error_gguf_kv_count, {{"count", n_kv}, {"max", L::kMaxKeys}}});
    return stop();
  }

  for (std::uint64_t k = 0; k < n_kv; ++k) {
    GgufKv kv;
    if (!p.string(&kv.key, L::kMaxKeyBytes, Msg::error_gguf_key_length, {Arg("index", k)})) return stop();
    std::uint32_t type = 0;
    if (!p.read(type)) return stop();
    if (!known_type(type)) {
      p.fail_key(ErrorCode::InvalidValue, kv.key, Msg::error_gguf_value_type, {{"type", std::uint64_t{type}}});
      return stop();
    }
    if (!p.value(static_cast<GgufValueType>(type), kv.key, &kv.value, 0)) return stop();
    h.kv.push_back(std::move(kv));
  }
  {
    std::vector<const std::string*> keys;
    keys.reserve(h.kv.size());
    for (const auto& kv : h.kv) keys.push_back(&kv.key);
    if (const auto d = first_duplicate(keys); d >= 0) {
      p.fail_key(ErrorCode::InvalidValue, h.kv[static_cast<std::size_t>(d)].key, Msg::error_gguf_duplicate_key);
      return stop();
    }
  }
  if (const GgufValue* a = h.find("general.alignment")) {
    const bool pow2 = a->type == GgufValueType::U32 && a->u != 0 && (a->u & (a->u - 1)) == 0;
    if (!pow2) {
      p.fail(ErrorCode::InvalidValue, {Msg::error_gguf_alignment, {{"type", gguf_value_type_name(a->type)}, {"value", a->as_uint().value_or(0)}}});
      return stop();
    }
    h.alignment = a->u;
  }

  std::uint64_t expected_offset = 0;
  for (std::uint64_t t = 0; t < n_tensors; ++t) {
    GgufTensorInfo ti;
    if (!p.string(&ti.name, L::kMaxTensorNameBytes, Msg::error_gguf_tensor_name_length, {Arg("index", t)})) return stop();
    const std::string name = shown(ti.name);
    const auto bad = [&](ErrorCode code, Msg m, std::vector<Arg> args = {}) {
      args.insert(args.begin(), Arg("tensor", name));
      p.fail(code, {m, std::move(args)});
      return stop();
    };
    if (!p.read(ti.n_dims)) return stop();
    if (ti.n_dims > L::kMaxDims) return bad(ErrorCode::InvalidValue, Msg::error_gguf_dims, {{"dims", std::uint64_t{ti.n_dims}}, {"max", L::kMaxDims}});
    ti.elements = 1;
    for (std::uint32_t d = 0; d < ti.n_dims; ++d) {
      if (!p.read(ti.dims[d])) return stop();
      const std::uint64_t dim = ti.dims[d];
      if (dim > L::kMaxElements || (dim != 0 && ti.elements > L::kMaxElements / dim))
        return bad(ErrorCode::Overflow, Msg::error_gguf_shape_too_large, {{"dim", dim}});
      ti.elements *= dim;
    }
    if (!p.read(ti.type_id) || !p.read(ti.offset)) return stop();
    const auto type = ggml_type_from_id(ti.type_id);
    if (!type) return bad(ErrorCode::Unsupported, Msg::error_gguf_tensor_type, {{"type", std::uint64_t{ti.type_id}}});
    ti.type = *type;
    const GgmlTypeTraits& tr = ggml_traits(ti.type);
    if (ti.dims[0] % tr.block != 0)
      return bad(ErrorCode::InvalidValue, Msg::error_gguf_row_block, {{"ne0", ti.dims[0]}, {"type", tr.name}, {"block", tr.block}});
    ti.bytes = ti.elements / tr.block * tr.block_bytes;
    if (ti.offset != expected_offset)
      return bad(ErrorCode::InvalidValue, Msg::error_gguf_offset,
                 {{"offset", ti.offset}, {"expected", expected_offset}, {"alignment", h.alignment}});
    h.data_bytes = ti.offset + ti.bytes;
    expected_offset = align_up(h.data_bytes, h.alignment);
    if (expected_offset > L::kMaxDataBytes) return bad(ErrorCode::Overflow, Msg::error_gguf_data_too_large, {{"max", Bytes{L::kMaxDataBytes}}});
    h.tensors.push_back(std::move(ti));
  }
  {
    std::vector<const std::string*> names;
    names.reserve(h.tensors.size());
    for (const auto& t : h.tensors) names.push_back(&t.name);
    if (const auto d = first_duplicate(names); d >= 0) {
      p.fail(ErrorCode::InvalidValue, {Msg::error_gguf_duplicate_tensor, {{"tensor", shown(h.tensors[static_cast<std::size_t>(d)].name)}}});
      return stop();
    }
  }
  h.header_bytes = p.pos;
  h.data_offset = align_up(h.header_bytes, h.alignment);
  if (file_size > 0 && !h.tensors.empty() && h.data_offset + h.data_bytes > file_size) {
    p.fail(ErrorCode::InvalidValue, {Msg::error_gguf_file_size, {{"end", h.data_offset + h.data_bytes}, {"size", file_size}}});
    return stop();
  }
  return out;
}

}  // namespace vram

// ---------------------------------------------------------------------------------------------
// From the header to the model.

namespace vram {
namespace {

constexpr std::uint64_t kMaxGgufLayers = 4096;  // the config reader's layer limit

// llama.h enum llama_ftype, by number (the removed numbers 4–6 and 33–35 are empty).
constexpr std::string_view kFileTypes[] = {
    "F32",    "F16",     "Q4_0",   "Q4_1",   "",       "",       "",      "Q8_0",    "Q5_0",   "Q5_1",
    "Q2_K",   "Q3_K_S",  "Q3_K_M", "Q3_K_L", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K",   "IQ2_XXS",
    "IQ2_XS", "Q2_K_S",  "IQ3_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ3_M",   "IQ2_S",  "IQ2_M",
    "IQ4_XS", "IQ1_M",   "BF16",   "",       "",       "",       "TQ1_0", "TQ2_0",   "MXFP4",
};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// blk.<i>. → i; -1 when the name is not a layer's. Saturates far above any layer count.
std::int64_t block_index(std::string_view name) {
  if (!starts_with(name, "blk.")) return -1;
  std::int64_t v = 0;
  std::size_t i = 4;
  if (i >= name.size() || name[i] < '0' || name[i] > '9') return -1;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) v = v < 1'000'000'000 ? v * 10 + (name[i] - '0') : v;
  return i < name.size() && name[i] == '.' ? v : -1;
}

// LLM_TENSOR_INFOS entries of LLM_TENSOR_LAYER_INPUT (the base name before ".weight"/".bias").
bool is_input_tensor(std::string_view name) {
  for (std::string_view p : {"token_embd.", "token_embd_norm.", "token_types.", "position_embd.", "per_layer_token_embd."})
    if (starts_with(name, p)) return true;
  return false;
}

struct Keys {
  const GgufHeader& h;
  std::string prefix;  // "<arch>."
  const GgufValue* get(std::string_view k) const { return h.find(prefix + std::string(k)); }
  std::uint64_t uint(std::string_view k) const {
    const GgufValue* v = get(k);
    if (!v) return 0;
    if (v->type == GgufValueType::Array) return v->items_kept && !v->items.empty() ? v->items[0].as_uint().value_or(0) : 0;
    return v->as_uint().value_or(0);
  }
  double number(std::string_view k) const {
    const GgufValue* v = get(k);
    return v ? v->as_number().value_or(0) : 0;
  }
};

}  // namespace

std::string_view gguf_file_type_name(std::uint64_t ftype) noexcept {
  return ftype < std::size(kFileTypes) ? kFileTypes[ftype] : std::string_view();
}

Result<GgufModel> gguf_model(const std::vector<GgufHeader>& parts, const std::vector<std::string>& names) {
  const auto name_of = [&](std::size_t i) { return i < names.size() ? names[i] : std::string("gguf"); };
  if (parts.empty()) return make_error(ErrorCode::MissingField, "gguf", Msg::error_gguf_none);
  // The part holding the metadata: split.no 0 (or the only part).
  std::size_t first = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const GgufValue* no = parts[i].find("split.no");
    if (!no || no->as_uint().value_or(1) == 0) {
      first = i;
      break;
    }
  }
  const GgufHeader& h = parts[first];
  const std::string file = name_of(first);
  GgufModel m;
  m.files = parts.size();
  const GgufValue* count = h.find("split.count");
  const std::uint64_t want = count ? count->as_uint().value_or(1) : 1;
  if (want != parts.size())
    return make_error(ErrorCode::InvalidValue, file,
                      {Msg::error_gguf_split_count, {{"file", file}, {"count", want}, {"given", std::uint64_t{parts.size()}}}});
  const GgufValue* arch = h.find("general.architecture");
  if (!arch || arch->type != GgufValueType::String || arch->s.empty())
    return make_error(ErrorCode::MissingField, file, {Msg::error_gguf_no_architecture, {{"file", file}}});
  m.architecture = shown(arch->s);
  if (const GgufValue* n = h.find("general.name"); n && n->type == GgufValueType::String) m.name = shown(n->s);
  if (const GgufValue* ft = h.find("general.file_type")) m.file_type = std::string(gguf_file_type_name(ft->as_uint().value_or(~0ull)));

  const Keys k{h, arch->s + "."};
  m.n_layer = k.uint("block_count");
  if (m.n_layer == 0 || m.n_layer > kMaxGgufLayers)
    return make_error(ErrorCode::InvalidValue, file,
                      {Msg::error_gguf_block_count, {{"file", file}, {"key", k.prefix + "block_count"}, {"value", m.n_layer}, {"max", std::to_string(kMaxGgufLayers)}}});
  m.n_embd = k.uint("embedding_length");
  m.n_ff = k.uint("feed_forward_length");
  m.n_head = k.uint("attention.head_count");
  m.n_ctx_train = k.uint("context_length");
  m.key_length = k.uint("attention.key_length");
  m.value_length = k.uint("attention.value_length");
  m.key_length_mla = k.uint("attention.key_length_mla");
  m.value_length_mla = k.uint("attention.value_length_mla");
  m.q_lora_rank = k.uint("attention.q_lora_rank");
  m.kv_lora_rank = k.uint("attention.kv_lora_rank");
  m.rope_dims = k.uint("rope.dimension_count");
  m.sliding_window = k.uint("attention.sliding_window");
  m.n_expert = k.uint("expert_count");
  m.n_expert_used = k.uint("expert_used_count");
  m.n_ff_exp = k.uint("expert_feed_forward_length");
  m.n_expert_shared = k.uint("expert_shared_count");
  m.n_ff_shexp = k.uint("expert_shared_feed_forward_length");
  m.n_layer_dense_lead = k.uint("leading_dense_block_count");
  m.ssm_d_conv = k.uint("ssm.conv_kernel");
  m.ssm_d_inner = k.uint("ssm.inner_size");
  m.ssm_d_state = k.uint("ssm.state_size");
  m.ssm_dt_rank = k.uint("ssm.time_step_rank");
  m.ssm_n_group = k.uint("ssm.group_count");
  m.rope_freq_base = k.number("rope.freq_base");
  m.norm_rms_eps = k.number("attention.layer_norm_rms_epsilon");
  m.norm_eps = k.number("attention.layer_norm_epsilon");
  if (const GgufValue* v = k.get("vocab_size")) m.n_vocab = v->as_uint().value_or(0);
  if (const GgufValue* t = h.find("tokenizer.ggml.tokens"); t && t->type == GgufValueType::Array) m.n_vocab = t->count;

  // Per-layer arrays (llama_model_loader::get_key_or_arr: a scalar applies to every layer; an array
  // must have one item per layer).
  const auto per_layer = [&](std::string_view key, std::vector<std::uint64_t>& out) -> std::optional<Error> {
    const GgufValue* v = k.get(key);
    out.assign(m.n_layer, 0);
    if (!v) return std::nullopt;
    if (v->type != GgufValueType::Array) {
      out.assign(m.n_layer, v->as_uint().value_or(0));
      return std::nullopt;
    }
    if (v->count != m.n_layer || !v->items_kept)
      return make_error(ErrorCode::InvalidValue, file,
                        {Msg::error_gguf_layer_array, {{"file", file}, {"key", k.prefix + std::string(key)}, {"count", v->count}, {"layers", m.n_layer}}});
    for (std::size_t i = 0; i < v->items.size(); ++i) out[i] = v->items[i].as_uint().value_or(0);
    return std::nullopt;
  };
  if (auto e = per_layer("attention.head_count_kv", m.n_head_kv)) return *e;
  if (!k.get("attention.head_count_kv")) m.n_head_kv.assign(m.n_layer, m.n_head);  // llama.cpp: n_head_kv defaults to n_head
  if (const GgufValue* ff = k.get("feed_forward_length"); ff && ff->type == GgufValueType::Array) {
    if (auto e = per_layer("feed_forward_length", m.n_ff_layer)) return *e;
    m.n_ff = *std::max_element(m.n_ff_layer.begin(), m.n_ff_layer.end());
  }
  if (const GgufValue* hc = k.get("attention.head_count"); hc && hc->type == GgufValueType::Array) {
    std::vector<std::uint64_t> heads;
    if (auto e = per_layer("attention.head_count", heads)) return *e;
    m.n_head = *std::max_element(heads.begin(), heads.end());
  }
  if (const GgufValue* p = k.get("attention.sliding_window_pattern"); p && p->type == GgufValueType::Array) {
    if (p->count != m.n_layer || !p->items_kept)
      return make_error(ErrorCode::InvalidValue, file,
                        {Msg::error_gguf_layer_array, {{"file", file}, {"key", k.prefix + "attention.sliding_window_pattern"}, {"count", p->count}, {"layers", m.n_layer}}});
    for (const auto& it : p->items) m.swa_layers.push_back(it.u != 0);
  }

  // The tensors of every part, by placement and type.
  m.layer_bytes.assign(m.n_layer, 0);
  bool has_output = false;
  for (const GgufHeader& part : parts) {
    for (const GgufTensorInfo& t : part.tensors) {
      ++m.tensors;
      m.bytes += t.bytes;
      m.params += t.elements;
      (ggml_traits(t.type).quantized ? m.quantized_params : m.dense_params) += t.elements;
      auto it = std::find_if(m.by_type.begin(), m.by_type.end(), [&](const GgufTypeCount& c) { return c.type == t.type; });
      if (it == m.by_type.end()) it = m.by_type.insert(m.by_type.end(), GgufTypeCount{t.type});
      ++it->tensors;
      it->elements += t.elements;
      it->bytes += t.bytes;
      const std::int64_t layer = block_index(t.name);
      if (layer >= 0) {
        if (static_cast<std::uint64_t>(layer) < m.n_layer) m.layer_bytes[static_cast<std::size_t>(layer)] += t.bytes;
        else m.extra_layer_bytes += t.bytes;
      } else if (is_input_tensor(t.name)) {
        m.input_bytes += t.bytes;
        if (starts_with(t.name, "token_embd.weight")) m.token_embd_bytes += t.bytes;
      } else if (starts_with(t.name, "rope_freqs.")) {
        m.layer_bytes[0] += t.bytes;  // LLM_TENSOR_LAYER_REPEATING, created with layer 0
      } else {
        m.output_bytes += t.bytes;
        if (t.name == "output.weight") has_output = true;
      }
    }
  }
  std::sort(m.by_type.begin(), m.by_type.end(), [](const GgufTypeCount& a, const GgufTypeCount& b) { return ggml_type_id(a.type) < ggml_type_id(b.type); });
  m.tied = !has_output && m.token_embd_bytes > 0;
  if (m.n_vocab == 0) {
    for (const GgufTensorInfo& t : h.tensors)
      if (t.name == "token_embd.weight" && t.n_dims == 2) m.n_vocab = t.dims[1];
  }
  return m;
}

std::string gguf_config_json(const GgufModel& m) {
  detail::Json c = detail::Json::object();
  // The engine's description whose llama.cpp name this is: the first in the table, or for a MoE
  // file the first that reads expert keys (GgufTraits.moe); otherwise the architecture name as
  // model_type (the generic decoder path, flagged approximate).
  std::string model_type = m.architecture;
  const Architecture* pick = nullptr;
  for (const Architecture* a : architectures()) {
    if (a->gguf.arch != m.architecture) continue;
    if (!pick || (m.n_expert > 0 && a->gguf.moe && !pick->gguf.moe)) pick = a;
  }
  if (pick) model_type = std::string(pick->model_type);
  c["model_type"] = model_type;
  c["vocab_size"] = m.n_vocab;
  c["hidden_size"] = m.n_embd;
  c["num_hidden_layers"] = m.n_layer;
  c["num_attention_heads"] = m.n_head;
  std::uint64_t kv = 0;
  for (auto x : m.n_head_kv) kv = std::max(kv, x);
  c["num_key_value_heads"] = kv ? kv : m.n_head;
  if (m.key_length) c["head_dim"] = m.key_length_mla ? m.key_length_mla : m.key_length;
  c["intermediate_size"] = m.n_ff ? m.n_ff : m.n_ff_exp;
  if (m.n_ctx_train) c["max_position_embeddings"] = m.n_ctx_train;
  if (m.rope_freq_base > 0) c["rope_theta"] = m.rope_freq_base;
  if (m.norm_rms_eps > 0) c["rms_norm_eps"] = m.norm_rms_eps;
  c["tie_word_embeddings"] = m.tied;
  c["torch_dtype"] = "float16";
  if (m.sliding_window) c["sliding_window"] = m.sliding_window;
  if (!m.swa_layers.empty()) {
    detail::Json types = detail::Json::array();
    for (bool s : m.swa_layers) types.push_back(s ? "sliding_attention" : "full_attention");
    c["layer_types"] = types;
  }
  if (m.n_expert) {
    // The spellings of the families that read experts (Mixtral, Qwen-MoE, DeepSeek, gpt-oss).
    c["num_local_experts"] = m.n_expert;
    c["num_experts"] = m.n_expert;
    c["n_routed_experts"] = m.n_expert;
    c["num_experts_per_tok"] = m.n_expert_used;
    if (m.n_ff_exp) c["moe_intermediate_size"] = m.n_ff_exp;
    if (m.n_expert_shared) c["n_shared_experts"] = m.n_expert_shared;
    if (m.n_ff_shexp) c["shared_expert_intermediate_size"] = m.n_ff_shexp;
    if (m.n_layer_dense_lead) c["first_k_dense_replace"] = m.n_layer_dense_lead;
  }
  if (m.kv_lora_rank) {
    c["kv_lora_rank"] = m.kv_lora_rank;
    c["q_lora_rank"] = m.q_lora_rank ? detail::Json(m.q_lora_rank) : detail::Json(nullptr);
    const std::uint64_t k_head = m.key_length_mla ? m.key_length_mla : m.key_length;
    c["qk_rope_head_dim"] = m.rope_dims;
    c["qk_nope_head_dim"] = k_head > m.rope_dims ? k_head - m.rope_dims : 0;
    c["v_head_dim"] = m.value_length_mla ? m.value_length_mla : m.value_length;
  }
  detail::Json g = detail::Json::object();
  g["architecture"] = m.architecture;
  g["file_type"] = m.file_type;
  g["input_bytes"] = m.input_bytes;
  g["output_bytes"] = m.output_bytes + m.extra_layer_bytes;
  g["layer_bytes"] = m.layer_bytes;
  g["tied_output_bytes"] = m.tied ? m.token_embd_bytes : 0;
  g["quantized_params"] = m.quantized_params;
  g["dense_params"] = m.dense_params;
  c["gguf"] = g;
  return c.dump();
}

}  // namespace vram
