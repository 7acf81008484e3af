#include "model/quant_config.hpp"

#include "model/config_readers.hpp"

namespace vram::detail {
namespace {

std::vector<std::string> read_string_list(FieldReader& r, std::string_view key) {
  std::vector<std::string> out;
  if (const Json* a = r.array(key)) {
    for (const auto& v : *a)
      if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// The checks of transformers' quantizer config classes (utils/quantization_config.py, 4.57: each
// class's __init__ and post_init), so a config transformers refuses to load is refused here too,
// naming the key. Types as post_init checks them (isinstance: a JSON 1 is no bool, a 6 no float).
bool strict_bool(FieldReader& r, std::string_view key, bool fallback) {
  if (!r.has(key)) return fallback;
  const Json& v = r.json()[std::string(key)];
  if (v.is_boolean()) return v.get<bool>();
  r.fail(ErrorCode::InvalidValue, key, {Msg::error_config_type, {r.key_arg(key), {"expected", Msg::json_a_boolean}, describe("value", v)}});
  return fallback;
}

void expect_float(FieldReader& r, std::string_view key) {
  if (!r.has(key)) return;
  const Json& v = r.json()[std::string(key)];
  if (!v.is_number_float())
    r.fail(ErrorCode::InvalidValue, key, {Msg::error_config_type, {r.key_arg(key), {"expected", Msg::json_a_float}, describe("value", v)}});
}

void expect_list(FieldReader& r, std::string_view key) {
  if (r.has(key)) (void)r.array(key);  // records "must be an array" for anything else
}

// A string setting that must be one of `choices` (compared after `lower` when the class lowers it).
void expect_one_of(FieldReader& r, std::string_view key, std::initializer_list<std::string_view> choices, bool lower = false) {
  if (!r.has(key)) return;
  std::string v = r.string_or(key, "");
  if (r.failed()) return;
  if (lower)
    for (auto& c : v) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  std::string list;
  for (auto c : choices) {
    if (v == c) return;
    list += list.empty() ? "" : ", ";
    list += c;
  }
  r.fail(ErrorCode::InvalidValue, key, {Msg::error_quant_one_of, {r.key_arg(key), {"choices", list}, {"value", brief(v)}}});
}

void read_bitsandbytes(FieldReader& r, ModelDescription& s) {
  QuantSpec& out = s.quant;
  // BitsAndBytesConfig.post_init: every flag a bool, the threshold a float, the skip list a list.
  const bool four = strict_bool(r, "load_in_4bit", false), eight = strict_bool(r, "load_in_8bit", false);
  for (std::string_view k : {"llm_int8_enable_fp32_cpu_offload", "llm_int8_has_fp16_weight", "bnb_4bit_use_double_quant"})
    (void)strict_bool(r, k, false);
  expect_float(r, "llm_int8_threshold");
  expect_list(r, "llm_int8_skip_modules");
  // BitsAndBytesConfig.__init__: a bnb_4bit_quant_storage string must name one of these dtypes.
  expect_one_of(r, "bnb_4bit_quant_storage", {"float16", "float32", "int8", "uint8", "float64", "bfloat16"});
  // BitsAndBytesConfig.__init__: "load_in_4bit and load_in_8bit are both True, but only one can be used".
  if (four && eight) r.fail(ErrorCode::InvalidValue, "load_in_4bit", {Msg::error_quant_both_bits, {r.key_arg("load_in_4bit")}});
  if (four) {
    const std::string type = r.string_or("bnb_4bit_quant_type", "fp4");
    if (type != "nf4" && type != "fp4")  // bitsandbytes quantize_4bit accepts only these two
      r.fail(ErrorCode::InvalidValue, "bnb_4bit_quant_type",
             {Msg::error_quant_bnb_type, {r.key_arg("bnb_4bit_quant_type"), {"value", brief(type)}}});
    out.method = type == "nf4" ? QuantMethod::BnbNf4 : QuantMethod::BnbFp4;
    out.bits = 4;
    out.group_size = 64;
    out.double_quant = strict_bool(r, "bnb_4bit_use_double_quant", false);
    out.compute_dtype = DType::F32;  // the class default
  } else if (eight) {
    out.method = QuantMethod::BnbInt8;
    out.bits = 8;
  }
  // BitsAndBytesConfig.__init__ resolves bnb_4bit_compute_dtype (getattr(torch, name)) whatever the
  // bit width, so an unknown name raises for 8-bit configs too.
  if (r.has("bnb_4bit_compute_dtype")) {
    const std::string name = r.string_or("bnb_4bit_compute_dtype", "float32");
    const auto t = parse_dtype(name);
    if (r.failed()) {
    } else if (!t || (*t != DType::F32 && *t != DType::F16 && *t != DType::BF16)) {
      r.fail(ErrorCode::InvalidValue, "bnb_4bit_compute_dtype",
             {Msg::error_quant_compute_dtype, {r.key_arg("bnb_4bit_compute_dtype"), {"value", brief(name)}}});
    } else if (four) {
      out.compute_dtype = *t;
    }
  }
  out.modules_not_converted = read_string_list(r, "llm_int8_skip_modules");
}

void read_gptq_awq(FieldReader& r, ModelDescription& s, const std::string& m) {
  QuantSpec& out = s.quant;
  out.method = m == "gptq" ? QuantMethod::Gptq : QuantMethod::Awq;
  const std::string_view bits_key = r.has("bits") ? "bits" : "w_bit";
  out.bits = static_cast<std::uint32_t>(r.opt_uint(bits_key, 16).value_or(4));
  const std::string_view gk = r.first_present({"group_size", "q_group_size"});
  out.group_size = 128;
  if (!gk.empty()) {
    // -1 = one group per output channel; otherwise a positive group width (GPTQ/AWQ use 32…128).
    const Json& g = r.json()[std::string(gk)];
    if (g.is_number_integer() && g.get<std::int64_t>() == -1) {
      out.group_size = -1;
    } else if (auto v = r.opt_uint(gk, kMaxHidden); v && *v > 0) {
      out.group_size = static_cast<std::int64_t>(*v);
    } else if (!r.failed()) {
      r.fail(ErrorCode::InvalidValue, gk, {Msg::error_quant_group_size, {r.key_arg(gk), describe("value", g)}});
    }
  }
  out.zero_point = m == "awq" ? r.bool_or("zero_point", true) : !r.bool_or("sym", true);
  if (m == "gptq") {
    // GPTQConfig.post_init: damp_percent in (0, 1); a dataset string names one of three datasets.
    if (r.has("damp_percent")) {
      const double d = r.number_or("damp_percent", 0.1);
      if (!r.failed() && !(d > 0 && d < 1))
        r.fail(ErrorCode::InvalidValue, "damp_percent", {Msg::error_quant_open_fraction, {r.key_arg("damp_percent"), {"value", d}}});
    }
    if (r.has("dataset") && !r.json()["dataset"].is_array()) expect_one_of(r, "dataset", {"wikitext2", "c4", "c4-new"});
  } else {
    // AwqConfig: fusing raises ("awq fuse feature is deprecated"); post_init checks the backend and
    // AWQLinearVersion.from_str the version (lower-cased).
    if (strict_bool(r, "do_fuse", false) || (r.json().contains("modules_to_fuse") && !r.json()["modules_to_fuse"].is_null() &&
                                             !r.json()["modules_to_fuse"].empty()))
      r.fail(ErrorCode::Unsupported, "do_fuse", {Msg::error_quant_awq_fuse, {r.key_arg("do_fuse")}});
    expect_one_of(r, "version", {"gemm", "gemv", "exllama", "ipex"}, /*lower=*/true);
    expect_one_of(r, "backend", {"autoawq", "llm-awq"});
  }
  out.modules_not_converted = read_string_list(r, "modules_to_not_convert");
  if (out.bits != 2 && out.bits != 3 && out.bits != 4 && out.bits != 8)
    r.fail(ErrorCode::InvalidValue, bits_key, {Msg::error_quant_bits, {r.key_arg(bits_key), {"method", m}}});
}

void read_fp8(FieldReader& r, ModelDescription& s) {
  QuantSpec& out = s.quant;
  out.method = QuantMethod::Fp8;
  out.bits = 8;
  // FineGrainedFP8Config.post_init: activation_scheme.lower() must be "dynamic".
  if (s.quant.method_name == "fp8") expect_one_of(r, "activation_scheme", {"dynamic"}, /*lower=*/true);
  if (const Json* b = r.array("weight_block_size")) {
    // FineGrainedFP8Config.post_init: "weight_block_size must be a tuple of two integers".
    if (b->size() != 2) {
      r.fail(ErrorCode::InvalidValue, "weight_block_size",
             {Msg::error_quant_block_size_two, {r.key_arg("weight_block_size"), {"count", std::to_string(b->size())}}});
    }
    for (const auto& v : *b) {
      if (!v.is_number_unsigned() || v.get<std::uint64_t>() == 0 || v.get<std::uint64_t>() > kMaxHidden) {
        r.fail(ErrorCode::InvalidValue, "weight_block_size",
               {Msg::error_quant_block_size, {r.key_arg("weight_block_size"), describe("value", v)}});
        break;
      }
      out.weight_block_size.push_back(v.get<std::uint64_t>());
    }
  }
  out.modules_not_converted = read_string_list(r, "modules_to_not_convert");
}

}  // namespace

void read_quantization(FieldReader& top, ModelDescription& s) {
  const Json* q = top.object("quantization_config");
  if (!q) return;
  FieldReader r = top.nested(*q, "quantization_config");
  QuantSpec& out = s.quant;
  out.method_name = r.string_or("quant_method", "");
  const std::string& m = out.method_name;
  if (m == "bitsandbytes" || (m.empty() && (r.has("load_in_4bit") || r.has("load_in_8bit")))) {
    read_bitsandbytes(r, s);
  } else if (m == "gptq" || m == "awq") {
    read_gptq_awq(r, s, m);
  } else if (m == "fp8" || m == "fbgemm_fp8") {
    read_fp8(r, s);
  } else if (m == "mxfp4") {
    out.method = QuantMethod::Mxfp4;
    out.bits = 4;
    out.group_size = 32;
    out.modules_not_converted = read_string_list(r, "modules_to_not_convert");
  } else if (m == "compressed-tensors") {
    out.method = QuantMethod::Compressed;
    s.warnings.push_back(Msg::warn_quant_compressed_tensors);
    s.approximate = true;
  } else if (!m.empty()) {
    out.method = QuantMethod::Other;
    s.warnings.push_back({Msg::warn_quant_unknown, {{"value", brief(m)}}});
    s.approximate = true;
  }
  if (r.failed()) top.fail_with(r.error());  // keeps the inner field: quantization_config.bits
}

}  // namespace vram::detail
