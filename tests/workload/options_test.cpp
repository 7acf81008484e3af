// options.cpp + option_table.cpp: one validation for CLI flags, JS properties and permalinks; errors
// carry the option id, and each front end spells it its own way when it renders the message.
#include <catch2/catch.hpp>

#include "test_support.hpp"

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

}  // namespace

TEST_CASE("inference options parse with defaults", "[options]") {
  auto o = vram::inference_options(from({{"dtype", "nf4"}, {"kv_dtype", "fp8"}, {"batch", "8"}, {"context", "32768"},
                                         {"runtime", "vllm"}, {"gpu_util", "0.85"}, {"overhead_mib", "600"}}));
  REQUIRE(o.ok());
  CHECK(o.value().weights.kind == vram::WeightKind::BnbNf4);
  CHECK(o.value().kv == vram::KvKind::Fp8);
  CHECK(o.value().batch == 8);
  CHECK(o.value().context == 32768);
  CHECK(o.value().runtime == vram::Runtime::Vllm);
  CHECK(o.value().gpu_memory_utilization == Approx(0.85));
  CHECK(o.value().overhead_bytes == 600 * 1048576);
  auto d = vram::inference_options(from({}));
  REQUIRE(d.ok());
  CHECK(d.value().weights.kind == vram::WeightKind::Auto);
  CHECK(d.value().attn == vram::AttentionImpl::Sdpa);
}

TEST_CASE("bad option values name the flag", "[options][errors]") {
  auto e = vram::inference_options(from({{"batch", "0"}}));
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "batch");
  CHECK_THAT(vram::test::english(e.error()), Catch::Contains("--batch must be an integer in [1,"));
  e = vram::inference_options(from({{"batch", "-3"}}));
  CHECK(e.error().field == "batch");
  e = vram::inference_options(from({{"context", "lots"}}));
  CHECK(e.error().field == "context");
  e = vram::inference_options(from({{"kv_dtype", "int3"}}));
  CHECK(e.error().field == "kv_dtype");
  e = vram::inference_options(from({{"dtype", "int5"}}));
  CHECK(e.error().field == "dtype");
  e = vram::inference_options(from({{"gpu_util", "1.5"}}));
  CHECK(e.error().field == "gpu_util");
  e = vram::inference_options(from({{"gpu_util", "nan"}}));
  CHECK(e.error().field == "gpu_util");
  e = vram::inference_options(from({{"context", "100"}, {"prompt", "200"}}));
  CHECK(e.error().field == "prompt");
  auto t = vram::train_options(from({{"zero", "4"}}));
  CHECK(t.error().field == "zero");
  t = vram::train_options(from({{"optimizer", "adamax"}}));
  CHECK(t.error().field == "optimizer");
  CHECK_THAT(vram::test::english(t.error()), Catch::Contains("adamw"));
  t = vram::train_options(from({{"lora_targets", ""}}));
  CHECK(t.error().field == "lora_targets");
  // The bindings render the same error in JS spelling.
  const auto kv = vram::inference_options(from({{"kv_dtype", "x"}})).error();
  CHECK(kv.field == "kv_dtype");
  CHECK_THAT(vram::render(kv, vram::english_catalog(), vram::Spelling::Js), Catch::StartsWith("kvDtype:"));
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
  CHECK(vram::check_inference_option("context", "4096").value() == "4096");
  CHECK(vram::check_inference_option("cuda_graphs", "1").value() == "true");
  CHECK(vram::check_train_option("dora", "").value() == "true");
  CHECK(vram::check_train_option("sp", "0").value() == "false");
  // prompt > the default context is the estimate's to reject, not a single option's.
  CHECK(vram::check_inference_option("prompt", "100000").ok());
  auto e = vram::check_train_option("grad_accum", "0");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "grad_accum");
  e = vram::check_train_option("context", "8");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == vram::ErrorCode::UnknownName);
  // Numbers in decimal notation only, as JavaScript's Number() reads them.
  CHECK_FALSE(vram::check_inference_option("gpu_util", "0x1p-1").ok());
  CHECK_FALSE(vram::check_inference_option("gpu_util", " 0.5").ok());
  CHECK(vram::check_inference_option("gpu_util", ".5").ok());
  CHECK(vram::check_inference_option("gpu_util", "5e-1").ok());
}
