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

void read_bitsandbytes(FieldReader& r, ModelDescription& s) {
  QuantSpec& out = s.quant;
  const bool four = r.bool_or("load_in_4bit", false), eight = r.bool_or("load_in_8bit", false);
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
    out.double_quant = r.bool_or("bnb_4bit_use_double_quant", false);
    // BitsAndBytesConfig: bnb_4bit_compute_dtype is getattr(torch, name); an unknown name raises.
    if (r.has("bnb_4bit_compute_dtype")) {
      const std::string name = r.string_or("bnb_4bit_compute_dtype", "float32");
      const auto t = parse_dtype(name);
      if (!t || (*t != DType::F32 && *t != DType::F16 && *t != DType::BF16)) {
        r.fail(ErrorCode::InvalidValue, "bnb_4bit_compute_dtype",
               {Msg::error_quant_compute_dtype, {r.key_arg("bnb_4bit_compute_dtype"), {"value", brief(name)}}});
      } else {
        out.compute_dtype = *t;
      }
    } else {
      out.compute_dtype = DType::F32;  // the class default
    }
  } else if (eight) {
    out.method = QuantMethod::BnbInt8;
    out.bits = 8;
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
  out.modules_not_converted = read_string_list(r, "modules_to_not_convert");
  if (out.bits != 2 && out.bits != 3 && out.bits != 4 && out.bits != 8)
    r.fail(ErrorCode::InvalidValue, bits_key, {Msg::error_quant_bits, {r.key_arg(bits_key), {"method", m}}});
}

void read_fp8(FieldReader& r, ModelDescription& s) {
  QuantSpec& out = s.quant;
  out.method = QuantMethod::Fp8;
  out.bits = 8;
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
