// description.cpp: config.json parsing, field-named errors, per-type defaults.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "vram/model/description.hpp"

using vram::ErrorCode;
using vram::parse_config;

namespace {

vram::Error error_of(const std::string& text) {
  auto r = parse_config(text);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

const char* kLlama = R"({"model_type":"llama","architectures":["LlamaForCausalLM"],"vocab_size":1000,
  "hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":2})";

}  // namespace

TEST_CASE("malformed JSON reports line and column", "[description][errors]") {
  const auto e = error_of("{\n  \"hidden_size\": 64,\n  \"vocab_size\": oops\n}");
  CHECK(e.code == ErrorCode::InvalidJson);
  CHECK_THAT(vram::test::english(e), Catch::Contains("line 3, column"));
}

TEST_CASE("empty and non-object inputs are named errors", "[description][errors]") {
  CHECK_THAT(vram::test::english(error_of("")), Catch::Contains("empty input"));
  CHECK_THAT(vram::test::english(error_of("   \n")), Catch::Contains("empty input"));
  CHECK_THAT(vram::test::english(error_of("[1,2]")), Catch::Contains("expected a JSON object"));
  CHECK_THAT(vram::test::english(error_of("42")), Catch::Contains("expected a JSON object"));
}

TEST_CASE("missing or non-positive required fields name the field", "[description][errors]") {
  auto e = error_of(R"({"model_type":"llama","vocab_size":10,"num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":8})");
  CHECK(e.code == ErrorCode::MissingField);
  CHECK(e.field == "hidden_size");
  CHECK_THAT(vram::test::english(e), Catch::Contains("`hidden_size` is missing"));

  e = error_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":8,"num_hidden_layers":2,"num_attention_heads":0,"intermediate_size":8})");
  CHECK(e.field == "num_attention_heads");
  CHECK_THAT(vram::test::english(e), Catch::Contains("must be > 0, got 0"));

  e = error_of(R"({"model_type":"llama","vocab_size":-5,"hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":8})");
  CHECK(e.field == "vocab_size");
  CHECK_THAT(vram::test::english(e), Catch::Contains("non-negative integer, got -5"));

  e = error_of(R"({"model_type":"llama","vocab_size":"big","hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":8})");
  CHECK(e.field == "vocab_size");
  CHECK_THAT(vram::test::english(e), Catch::Contains("must be an integer, got \"big\""));

  e = error_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":8.5,"num_hidden_layers":2,"num_attention_heads":2,"intermediate_size":8})");
  CHECK(e.field == "hidden_size");
}

TEST_CASE("absurd values are rejected, not computed", "[description][errors]") {
  auto e = error_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":8,"num_hidden_layers":1e30,"num_attention_heads":2,"intermediate_size":8})");
  CHECK(e.field == "num_hidden_layers");
  e = error_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":8,"num_hidden_layers":100000,"num_attention_heads":2,"intermediate_size":8})");
  CHECK(e.field == "num_hidden_layers");
  CHECK_THAT(vram::test::english(e), Catch::Contains("out of range"));
  e = error_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":8,"num_hidden_layers":2,"num_attention_heads":2,"num_key_value_heads":3,"intermediate_size":8})");
  CHECK(e.field == "num_key_value_heads");
  CHECK_THAT(vram::test::english(e), Catch::Contains("must divide"));
}

TEST_CASE("huge but in-range dimensions overflow cleanly", "[description][errors]") {
  auto spec = vram::test::spec_of(R"({"model_type":"llama","vocab_size":2000000000,"hidden_size":1000000,
    "num_hidden_layers":4000,"num_attention_heads":1000,"intermediate_size":1000000000})");
  auto inv = vram::build_inventory(spec);
  REQUIRE_FALSE(inv.ok());
  CHECK(inv.error().code == ErrorCode::Overflow);
}

TEST_CASE("unknown model_type: generic decoder if it has decoder fields, else a clear error", "[description]") {
  auto spec = vram::test::spec_of(R"({"model_type":"brandnew","vocab_size":100,"hidden_size":16,
    "num_hidden_layers":2,"num_attention_heads":4,"intermediate_size":32})");
  CHECK(spec.generic);
  CHECK(spec.approximate);
  REQUIRE_FALSE(spec.warnings.empty());
  CHECK_THAT(vram::test::english(spec.warnings.back()), Catch::Contains("brandnew") && Catch::Contains("Llama-style"));

  const auto e = error_of(R"({"model_type":"whisper","d_model":16})");
  CHECK(e.code == ErrorCode::Unsupported);
  CHECK(e.field == "model_type");
  CHECK_THAT(vram::test::english(e), Catch::Contains("whisper"));
  CHECK(error_of(R"({"hidden_size":16})").field == "model_type");
}

TEST_CASE("explicit head_dim wins over hidden / heads", "[description]") {
  auto spec = vram::test::spec_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":64,"head_dim":32,
    "num_hidden_layers":1,"num_attention_heads":4,"intermediate_size":8})");
  CHECK(spec.head_dim == 32);
  CHECK(spec.num_kv_heads == 4);
  CHECK(vram::test::spec_of(kLlama).head_dim == 16);
}

TEST_CASE("per-layer attention kinds", "[description]") {
  SECTION("Gemma-3 default: every 6th layer global, the rest sliding") {
    auto s = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/google--gemma-3-1b-it.json"));
    REQUIRE(s.layers.size() == 26);
    CHECK(s.layers[0].attention == vram::AttentionKind::Sliding);
    CHECK(s.layers[0].window == 512);
    CHECK(s.layers[5].attention == vram::AttentionKind::Full);
    CHECK(s.layers[11].attention == vram::AttentionKind::Full);
    CHECK(s.layers[12].attention == vram::AttentionKind::Sliding);
  }
  SECTION("gpt-oss layer_types list") {
    auto s = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/openai--gpt-oss-120b.json"));
    CHECK(s.layers[0].attention == vram::AttentionKind::Sliding);
    CHECK(s.layers[0].window == 128);
    CHECK(s.layers[1].attention == vram::AttentionKind::Full);
  }
  SECTION("Qwen2 without use_sliding_window: all full") {
    auto s = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/Qwen--Qwen2.5-7B-Instruct.json"));
    for (const auto& l : s.layers) CHECK(l.attention == vram::AttentionKind::Full);
  }
  SECTION("layer_types of the wrong length is an error naming it") {
    auto e = error_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":8,"num_hidden_layers":2,
      "num_attention_heads":2,"intermediate_size":8,"layer_types":["full_attention"]})");
    CHECK(e.field == "layer_types");
  }
}

TEST_CASE("nested text_config is unwrapped", "[description]") {
  auto s = vram::test::spec_of(R"({"model_type":"gemma3","architectures":["Gemma3ForConditionalGeneration"],
    "text_config":{"model_type":"gemma3_text","vocab_size":262208,"hidden_size":2560,"intermediate_size":10240,
    "num_hidden_layers":34,"num_attention_heads":8,"num_key_value_heads":4,"head_dim":256},"torch_dtype":"bfloat16"})");
  CHECK(s.model_type == "gemma3_text");
  CHECK(s.outer_model_type == "gemma3");
  CHECK(s.hidden_size == 2560);
  CHECK(s.torch_dtype == vram::DType::BF16);
}

TEST_CASE("quantization_config is read", "[description][quant]") {
  SECTION("AWQ (TheBloke/Llama-2-7B-AWQ)") {
    auto s = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/quant-awq--TheBloke--Llama-2-7B-AWQ.json"));
    CHECK(s.quant.method == vram::QuantMethod::Awq);
    CHECK(s.quant.bits == 4);
    CHECK(s.quant.group_size == 128);
    CHECK(s.quant.zero_point);
  }
  SECTION("bitsandbytes nf4 with double quantisation") {
    auto s = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/quant-bnb4bit--aiknight87--llama-2-7b-hf-new1.json"));
    CHECK(s.quant.method == vram::QuantMethod::BnbNf4);
    CHECK(s.quant.double_quant);
    CHECK(s.quant.group_size == 64);
  }
  SECTION("mxfp4 (gpt-oss) keeps attention, router, embeddings and lm_head") {
    auto s = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/openai--gpt-oss-120b.json"));
    CHECK(s.quant.method == vram::QuantMethod::Mxfp4);
    CHECK(s.quant.modules_not_converted.size() == 4);
  }
}
