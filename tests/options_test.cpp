// options.cpp: one validation for CLI flags, JS properties and permalinks; errors name the key the
// caller's way.
#include <catch2/catch.hpp>

#include <map>

#include "vram/workload/options.hpp"

namespace {

vram::OptionLookup from(const std::map<std::string, std::string>& m) {
  return [m](std::string_view k) -> std::optional<std::string> {
    auto it = m.find(std::string(k));
    if (it == m.end()) return std::nullopt;
    return it->second;
  };
}
const vram::OptionName kFlags = [](std::string_view k) {
  std::string f = "--";
  for (char c : k) f.push_back(c == '_' ? '-' : c);
  return f;
};

}  // namespace

TEST_CASE("inference options parse with defaults", "[options]") {
  auto o = vram::inference_options(from({{"dtype", "nf4"}, {"kv_dtype", "fp8"}, {"batch", "8"}, {"context", "32768"},
                                         {"runtime", "vllm"}, {"gpu_util", "0.85"}, {"overhead_mib", "600"}}),
                                   kFlags);
  REQUIRE(o.ok());
  CHECK(o.value().weights.kind == vram::WeightKind::BnbNf4);
  CHECK(o.value().kv == vram::KvKind::Fp8);
  CHECK(o.value().batch == 8);
  CHECK(o.value().context == 32768);
  CHECK(o.value().runtime == vram::Runtime::Vllm);
  CHECK(o.value().gpu_memory_utilization == Approx(0.85));
  CHECK(o.value().overhead_bytes == 600 * 1048576);
  auto d = vram::inference_options(from({}), kFlags);
  REQUIRE(d.ok());
  CHECK(d.value().weights.kind == vram::WeightKind::Auto);
  CHECK(d.value().attn == vram::AttentionImpl::Sdpa);
}

TEST_CASE("bad option values name the flag", "[options][errors]") {
  auto e = vram::inference_options(from({{"batch", "0"}}), kFlags);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "--batch");
  CHECK_THAT(e.error().message, Catch::Contains("--batch must be an integer in [1,"));
  e = vram::inference_options(from({{"batch", "-3"}}), kFlags);
  CHECK(e.error().field == "--batch");
  e = vram::inference_options(from({{"context", "lots"}}), kFlags);
  CHECK(e.error().field == "--context");
  e = vram::inference_options(from({{"kv_dtype", "int3"}}), kFlags);
  CHECK(e.error().field == "--kv-dtype");
  e = vram::inference_options(from({{"dtype", "int5"}}), kFlags);
  CHECK(e.error().field == "--dtype");
  e = vram::inference_options(from({{"gpu_util", "1.5"}}), kFlags);
  CHECK(e.error().field == "--gpu-util");
  e = vram::inference_options(from({{"gpu_util", "nan"}}), kFlags);
  CHECK(e.error().field == "--gpu-util");
  e = vram::inference_options(from({{"context", "100"}, {"prompt", "200"}}), kFlags);
  CHECK(e.error().field == "--prompt");
  auto t = vram::train_options(from({{"zero", "4"}}), kFlags);
  CHECK(t.error().field == "--zero");
  t = vram::train_options(from({{"optimizer", "adamax"}}), kFlags);
  CHECK(t.error().field == "--optimizer");
  CHECK_THAT(t.error().message, Catch::Contains("adamw"));
  t = vram::train_options(from({{"lora_targets", ""}}), kFlags);
  CHECK(t.error().field == "--lora-targets");
  const vram::OptionName camel = [](std::string_view k) { return k == "kv_dtype" ? std::string("kvDtype") : std::string(k); };
  CHECK(vram::inference_options(from({{"kv_dtype", "x"}}), camel).error().field == "kvDtype");
}

TEST_CASE("weight format ids", "[options][workload]") {
  auto g = vram::parse_weight_format("gptq-4-g32");
  REQUIRE(g.ok());
  CHECK(g.value().kind == vram::WeightKind::Gptq);
  CHECK(g.value().bits == 4);
  CHECK(g.value().group_size == 32);
  CHECK(vram::parse_weight_format("gguf:q4_k_m").value().gguf_type == "Q4_K_M");
  CHECK(vram::parse_weight_format("nf4-dq").value().double_quant);
  CHECK_FALSE(vram::parse_weight_format("gptq-5").ok());
  CHECK_FALSE(vram::parse_weight_format("awq-8").ok());
  CHECK_FALSE(vram::parse_weight_format("gguf:Q9_K").ok());
  CHECK_FALSE(vram::parse_weight_format("").ok());
}

TEST_CASE("one option checked alone: type and range, no cross-field rules", "[options][errors]") {
  CHECK(vram::check_inference_option("context", "4096", kFlags).value() == "4096");
  CHECK(vram::check_inference_option("cuda_graphs", "1", kFlags).value() == "true");
  CHECK(vram::check_train_option("dora", "", kFlags).value() == "true");
  CHECK(vram::check_train_option("sp", "0", kFlags).value() == "false");
  // prompt > the default context is the estimate's to reject, not a single option's.
  CHECK(vram::check_inference_option("prompt", "100000", kFlags).ok());
  auto e = vram::check_train_option("grad_accum", "0", kFlags);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "--grad-accum");
  e = vram::check_train_option("context", "8", kFlags);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == vram::ErrorCode::UnknownName);
  // Numbers in decimal notation only, as JavaScript's Number() reads them.
  CHECK_FALSE(vram::check_inference_option("gpu_util", "0x1p-1", kFlags).ok());
  CHECK_FALSE(vram::check_inference_option("gpu_util", " 0.5", kFlags).ok());
  CHECK(vram::check_inference_option("gpu_util", ".5", kFlags).ok());
  CHECK(vram::check_inference_option("gpu_util", "5e-1", kFlags).ok());
}
