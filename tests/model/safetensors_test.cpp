// safetensors.cpp: exact stored bytes from headers. Oracle: the byte spans written in each header
// (data_offsets) — the format's own definition — on hand-made headers with the real tensor names
// and shapes of Llama-style and GPTQ checkpoints.
#include <catch2/catch.hpp>

#include <ctime>

#include "test_support.hpp"
#include "vram/model/model.hpp"
#include "vram/model/safetensors.hpp"

TEST_CASE("bytes per dtype are the data_offsets spans", "[safetensors]") {
  const auto spec = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/meta-llama--Llama-3.2-1B-Instruct.json"));
  const std::string h1 = R"({"__metadata__":{"format":"pt"},
    "model.embed_tokens.weight":{"dtype":"BF16","shape":[128256,2048],"data_offsets":[0,525336576]},
    "model.norm.weight":{"dtype":"BF16","shape":[2048],"data_offsets":[525336576,525340672]}})";
  const std::string h2 = R"({"model.layers.0.self_attn.q_proj.weight":{"dtype":"BF16","shape":[2048,2048],"data_offsets":[0,8388608]},
    "model.layers.0.mlp.gate_proj.weight":{"dtype":"F32","shape":[8192,2048],"data_offsets":[8388608,75497472]}})";
  auto r = vram::read_safetensors_headers({h1, h2}, spec);
  REQUIRE(r.ok());
  CHECK(r.value().files == 2);
  CHECK(r.value().tensors == 4);
  CHECK(r.value().bytes == 525340672ull + 75497472ull);
  CHECK(r.value().logical_params == 128256ull * 2048 + 2048 + 2048 * 2048 + 8192 * 2048);
  REQUIRE(r.value().by_dtype.size() == 2);
  CHECK(r.value().by_dtype[0].dtype == "BF16");
  CHECK(r.value().by_dtype[1].bytes == 67108864);
}

TEST_CASE("GPTQ int32-packed qweight is unpacked; scales/qzeros/g_idx are metadata", "[safetensors][quant]") {
  auto spec = vram::test::spec_of(R"({"model_type":"llama","vocab_size":32000,"hidden_size":4096,"intermediate_size":11008,
    "num_hidden_layers":32,"num_attention_heads":32,"quantization_config":{"quant_method":"gptq","bits":4,"group_size":128}})");
  // AutoGPTQ layout for a 4096→4096 q_proj: qweight [4096·4/32, 4096] int32, qzeros [32, 512] int32,
  // scales [32, 4096] fp16, g_idx [4096] int32.
  const std::string h = R"({
    "model.layers.0.self_attn.q_proj.qweight":{"dtype":"I32","shape":[512,4096],"data_offsets":[0,8388608]},
    "model.layers.0.self_attn.q_proj.qzeros":{"dtype":"I32","shape":[32,512],"data_offsets":[8388608,8454144]},
    "model.layers.0.self_attn.q_proj.scales":{"dtype":"F16","shape":[32,4096],"data_offsets":[8454144,8716288]},
    "model.layers.0.self_attn.q_proj.g_idx":{"dtype":"I32","shape":[4096],"data_offsets":[8716288,8732672]}})";
  auto r = vram::read_safetensors_headers({h}, spec);
  REQUIRE(r.ok());
  CHECK(r.value().logical_params == 4096ull * 4096);
  CHECK(r.value().quant_metadata_bytes == 65536 + 262144 + 16384);
  CHECK(r.value().bytes == 8732672);
}

TEST_CASE("malformed headers are named errors", "[safetensors][errors]") {
  const auto spec = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/Qwen--Qwen3-0.6B.json"));
  CHECK_FALSE(vram::read_safetensors_headers({}, spec).ok());
  auto e = vram::read_safetensors_headers({"{oops"}, spec);
  REQUIRE_FALSE(e.ok());
  CHECK_THAT(vram::test::english(e.error()), Catch::Contains("safetensors header 1"));
  e = vram::read_safetensors_headers({R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[8,4]}})"}, spec);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "w");
  e = vram::read_safetensors_headers({R"({"w":{"dtype":"F16","shape":[-2],"data_offsets":[0,4]}})"}, spec);
  CHECK_FALSE(e.ok());
  e = vram::read_safetensors_headers({R"({"w":{"dtype":"F16"}})"}, spec);
  CHECK_FALSE(e.ok());
}

TEST_CASE("tensors of layers past num_hidden_layers are counted as MTP", "[safetensors]") {
  const auto spec = vram::test::spec_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":8,"intermediate_size":8,
    "num_hidden_layers":2,"num_attention_heads":2})");
  auto r = vram::read_safetensors_headers({R"({"model.layers.2.eh_proj.weight":{"dtype":"BF16","shape":[8,16],"data_offsets":[0,256]},
    "model.layers.1.mlp.up_proj.weight":{"dtype":"BF16","shape":[8,8],"data_offsets":[256,384]}})"}, spec);
  REQUIRE(r.ok());
  CHECK(r.value().mtp_bytes == 256);
  CHECK(r.value().notes.size() == 1);
}

TEST_CASE("a tensor with an empty name is still a named error", "[safetensors][errors][fuzz]") {
  // Found by tools/fuzz (safetensors target): `{"":999999}` returned an Error with an empty field.
  const auto spec = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/Qwen--Qwen3-0.6B.json"));
  auto e = vram::read_safetensors_headers({vram::test::read_repo_file("tests/data/fuzz/safetensors-empty-tensor-name.json")}, spec);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "safetensors header 1");
  CHECK_THAT(vram::test::english(e.error()), Catch::Contains("tensor \"\""));
  // The same through the layout check (a gap before the only tensor).
  e = vram::read_safetensors_headers({R"({"":{"dtype":"F16","shape":[2],"data_offsets":[4,8]}})"}, spec);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "safetensors header 1");
}

TEST_CASE("a layer index too long for 64 bits counts as a layer past the model", "[safetensors][fuzz]") {
  // Found by tools/fuzz (safetensors target, UBSan): "model.layers.09223372036854775808…" overflowed
  // the signed layer index (undefined behaviour; in practice a negative index, so not MTP).
  const auto spec = vram::test::spec_of(R"({"model_type":"llama","vocab_size":10,"hidden_size":8,"intermediate_size":8,
    "num_hidden_layers":2,"num_attention_heads":2})");
  auto r = vram::read_safetensors_headers({vram::test::read_repo_file("tests/data/fuzz/safetensors-huge-layer-index.json")}, spec);
  REQUIRE(r.ok());
  CHECK(r.value().mtp_bytes == 4);
  CHECK(r.value().bytes == 8);
}

// Issue 17, class 5. Oracle: the safetensors format (safetensors/src/tensor.rs: a JSON object of
// tensor entries {dtype, shape, data_offsets}, __metadata__ a map of strings) and the engine's own
// budgets (safetensors.hpp), which sit far above the largest published checkpoints.
TEST_CASE("header sets over the budgets are named errors, refused before parsing", "[safetensors][errors][budget]") {
  const auto spec = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/Qwen--Qwen3-0.6B.json"));
  const std::string tiny = R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})";
  auto e = vram::read_safetensors_headers(std::vector<std::string>(vram::kMaxSafetensorsHeaders + 1, tiny), spec);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "headers");
  CHECK_THAT(vram::test::english(e.error()), Catch::Contains("more than 4096 safetensors headers"));
  CHECK(vram::read_safetensors_headers(std::vector<std::string>(vram::kMaxSafetensorsHeaders, tiny), spec).ok());
  // Three 23 MB headers (each under the per-header 32 MiB) are 69 MB in all: over the 64 MiB budget.
  const std::string big = R"({"__metadata__":{"p":")" + std::string(23'000'000, 'x') + R"("}})";
  e = vram::read_safetensors_headers({big, big, big}, spec);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "headers");
  CHECK_THAT(vram::test::english(e.error()), Catch::Contains("bytes in all"));
}

TEST_CASE("a header's shape is checked while it is parsed", "[safetensors][errors][budget]") {
  const auto spec = vram::test::spec_of(vram::test::read_repo_file("engine/catalog/models/Qwen--Qwen3-0.6B.json"));
  // A shape of 11.7 M ones took 3.8 s to parse (a loaded 2-core machine) and was accepted; now the
  // parse stops at its 65th entry.
  std::string shape = R"({"w":{"dtype":"BF16","data_offsets":[0,2],"shape":[)";
  for (int i = 0; i < 2'000'000; ++i) shape += "1,";
  shape += "1]}}";
  const std::clock_t t0 = std::clock();
  auto e = vram::read_safetensors_headers({shape}, spec);
  CHECK(static_cast<double>(std::clock() - t0) / CLOCKS_PER_SEC < 0.5);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "safetensors header 1");
  CHECK_THAT(vram::test::english(e.error()), Catch::Contains("longer than 64 entries"));
  // 64 dimensions are legal; a root that is no object stops at its first value.
  std::string rank64 = R"({"w":{"dtype":"BF16","data_offsets":[0,2],"shape":[)";
  for (int i = 0; i < 63; ++i) rank64 += "1,";
  CHECK(vram::read_safetensors_headers({rank64 + "1]}}"}, spec).ok());
  e = vram::read_safetensors_headers({"[0,0,0]"}, spec);
  REQUIRE_FALSE(e.ok());
  CHECK_THAT(vram::test::english(e.error()), Catch::Contains("expected a JSON object"));
  e = vram::read_safetensors_headers({R"({"__metadata__":{"a":{"b":["c"]}}})"}, spec);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == vram::ErrorCode::InvalidJson);
}

TEST_CASE("headers must cover the parameters the config builds", "[safetensors][coverage]") {
  // HuggingFaceTB/SmolLM2-135M: 134,515,008 parameters (transformers, tied embeddings).
  const auto model = vram::load_model(vram::test::read_repo_file("engine/catalog/models/HuggingFaceTB--SmolLM2-135M.json"));
  REQUIRE(model.ok());
  REQUIRE(model.value().inventory.total_params == 134'515'008ull);
  const auto header = [](std::uint64_t n) {
    return R"({"model.embed_tokens.weight":{"dtype":"BF16","shape":[)" + std::to_string(n) + R"(],"data_offsets":[0,)" +
           std::to_string(2 * n) + "]}}";
  };
  auto r = vram::read_safetensors_headers({header(134'515'008ull)}, model.value());
  REQUIRE(r.ok());
  CHECK(r.value().complete);
  CHECK(r.value().notes.empty());
  // 0.5 % short: a note, flagged incomplete; 2 % short: an error naming the headers.
  r = vram::read_safetensors_headers({header(134'515'008ull - 672'575)}, model.value());
  REQUIRE(r.ok());
  CHECK_FALSE(r.value().complete);
  REQUIRE(r.value().notes.size() == 1);
  CHECK_THAT(vram::test::english(r.value().notes[0]), Catch::Contains("fewer than the 134515008"));
  auto e = vram::read_safetensors_headers({header(134'515'008ull * 98 / 100)}, model.value());
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().field == "headers");
  CHECK_THAT(vram::test::english(e.error()), Catch::Contains("are missing"));
  // An approximate config (an unknown model_type) cannot be exact: a short header set is a note.
  auto generic = vram::load_model(R"({"model_type":"my_arch","vocab_size":1000,"hidden_size":64,"num_hidden_layers":2,
    "num_attention_heads":4,"intermediate_size":128})");
  REQUIRE(generic.ok());
  r = vram::read_safetensors_headers({header(1000)}, generic.value());
  REQUIRE(r.ok());
  CHECK_FALSE(r.value().complete);
}

TEST_CASE("3-bit GPTQ qweight unpacks to its exact parameter count", "[safetensors][quant]") {
  // AutoGPTQ packs 3-bit weights 32 to 3 int32 words: qweight [in / 32 · 3, out]. For a 4096 → 4096
  // projection that is [384, 4096] int32 = 1,572,864 words = 16,777,216 weights (32 / 3 per word).
  auto spec = vram::test::spec_of(R"({"model_type":"llama","vocab_size":32000,"hidden_size":4096,"intermediate_size":11008,
    "num_hidden_layers":32,"num_attention_heads":32,"quantization_config":{"quant_method":"gptq","bits":3,"group_size":128}})");
  auto r = vram::read_safetensors_headers(
      {R"({"model.layers.0.self_attn.q_proj.qweight":{"dtype":"I32","shape":[384,4096],"data_offsets":[0,6291456]}})"}, spec);
  REQUIRE(r.ok());
  CHECK(r.value().logical_params == 4096ull * 4096);
}
