// lora.cpp: adapter counts against PEFT's print_trainable_parameters() figures.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "vram/memory/lora.hpp"

namespace {

vram::Model model_of(const std::string& json) {
  auto m = vram::load_model(json);
  REQUIRE(m.ok());
  return std::move(m).value();
}
vram::Model catalog(const std::string& file) { return model_of(vram::test::read_repo_file("engine/catalog/models/" + file)); }
std::uint64_t trainable(const vram::Model& m, std::uint64_t r, const std::string& t, bool dora = false) {
  auto p = vram::lora_params(m, r, t, dora);
  REQUIRE(p.ok());
  return p.value().trainable();
}

}  // namespace

TEST_CASE("LoRA formula", "[lora]") {
  STATIC_REQUIRE(vram::lora_module_params(8, 2048, 2048) == 32768);
  STATIC_REQUIRE(vram::dora_magnitude_params(1024) == 1024);
}

TEST_CASE("LoRA trainable counts match PEFT (exact)", "[lora]") {
  // peft docs quicktour: Llama-3.2-1B r=8 on q_proj → 524,288 trainable (oracles.md §1).
  CHECK(trainable(catalog("meta-llama--Llama-3.2-1B-Instruct.json"), 8, "q_proj") == 524288);
  // peft README: Qwen2.5-3B(-Instruct) r=16 default targets → 3,686,400 (Qwen2 default = q_proj,v_proj).
  CHECK(trainable(catalog("Qwen--Qwen2.5-3B.json"), 16, "default") == 3686400);
  CHECK(trainable(catalog("Qwen--Qwen2.5-3B.json"), 16, "q_proj,v_proj") == 3686400);
  // peft method_comparison Llama-3.2-3B (oracles.md §3.1).
  const auto l3 = catalog("meta-llama--Llama-3.2-3B.json");
  CHECK(trainable(l3, 32, "q_proj,v_proj") == 9175040);
  CHECK(trainable(l3, 64, "q_proj,v_proj") == 18350080);
  CHECK(trainable(l3, 10, "gate_proj,up_proj,down_proj") == 9461760);
  CHECK(trainable(l3, 32, "q_proj,v_proj", true) == 9289728);  // DoRA adds d_out per module
}

TEST_CASE("LoRA on OPT-350m (peft docs: 1,572,864)", "[lora][opt]") {
  // facebook/opt-350m dimensions as in inventory_test.cpp.
  const auto m = model_of(R"({"model_type":"opt","architectures":["OPTForCausalLM"],"vocab_size":50272,
    "hidden_size":1024,"ffn_dim":4096,"num_hidden_layers":24,"num_attention_heads":16,"max_position_embeddings":2048,
    "word_embed_proj_dim":512,"do_layer_norm_before":false,"enable_bias":true})");
  CHECK(trainable(m, 16, "q_proj,v_proj") == 1572864);
}

TEST_CASE("LoRA presets: fused qkv, attention, all-linear, experts", "[lora]") {
  // GPT-2: PEFT default is c_attn, the fused (3h × h) Conv1D: 12 × r × (768 + 2304).
  const auto gpt2 = catalog("openai-community--gpt2.json");
  CHECK(trainable(gpt2, 8, "default") == 12ull * 8 * (768 + 2304));
  // attention on Llama-3.2-3B: q,k,v,o with GQA shapes.
  const auto l3 = catalog("meta-llama--Llama-3.2-3B.json");
  CHECK(trainable(l3, 8, "attention") == 28ull * 8 * ((3072 + 3072) + 2 * (3072 + 1024) + (3072 + 3072)));
  // all-linear adds the MLP and never lm_head (tied here anyway).
  CHECK(trainable(l3, 8, "all-linear") == 28ull * 8 * ((3072 + 3072) + 2 * (3072 + 1024) + (3072 + 3072) + 3 * (3072 + 8192)));
  // Mixtral experts: counted per expert (8 experts × 32 layers × w1).
  const auto mix = catalog("mistralai--Mixtral-8x7B-v0.1.json");
  CHECK(trainable(mix, 4, "w1") == 32ull * 8 * 4 * (4096 + 14336));
  // Unknown target: error naming the flag.
  auto bad = vram::lora_params(l3, 8, "nope_proj", false);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().field == "lora_targets");
  CHECK_FALSE(vram::lora_params(l3, 0, "q_proj", false).ok());
}
