// safetensors.cpp: exact stored bytes from headers. Oracle: the byte spans written in each header
// (data_offsets) — the format's own definition — on hand-made headers with the real tensor names
// and shapes of Llama-style and GPTQ checkpoints.
#include <catch2/catch.hpp>

#include "test_support.hpp"
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
