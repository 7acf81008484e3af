// kv_cache.cpp: KV bytes per layer and token per runtime, sliding-window caps, MLA, T5, element
// formats, vLLM pool capacity. Oracles are printed figures (llama.cpp, vLLM, SGLang logs) or the
// framework formula written next to the check (exact).
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "vram/memory/kv_cache.hpp"

using namespace vram;

namespace {

KvElement element(KvKind k, DType compute = DType::BF16, Runtime rt = Runtime::Transformers) {
  auto e = resolve_kv_element(k, compute, rt);
  REQUIRE(e.ok());
  return e.value();
}

std::uint64_t kv_total(const ModelDescription& spec, Runtime rt, const KvRequest& req, KvKind kind = KvKind::Auto,
                       std::uint32_t tp = 1) {
  return kv_cache_bytes(spec, kv_width(spec, rt, tp), element(kind, spec.torch_dtype, rt), req, 0, spec.layers.size()).bytes.value();
}

// OpenLLaMA 7B v2 has LLaMA-7B dimensions (ggml-org/ci log, oracles.md §3.7(b)).
const char* kOpenLlama7B = R"({"model_type":"llama","architectures":["LlamaForCausalLM"],"vocab_size":32000,
  "hidden_size":4096,"intermediate_size":11008,"num_hidden_layers":32,"num_attention_heads":32,
  "num_key_value_heads":32,"max_position_embeddings":2048,"torch_dtype":"float16"})";

}  // namespace

TEST_CASE("llama.cpp f16 KV of OpenLLaMA 7B at n_ctx 512 is 256.00 MiB", "[kv_cache][llama.cpp][oracle]") {
  // Oracle: ggml-org/ci llama.cpp build 1391, V100, OpenLLaMA 7B v2 f16, n_ctx 512:
  // "kv self size = 256.00 MB" (MiB). Exact: 2 × 32 layers × 4096 × 512 cells × 2 B.
  const ModelDescription spec = test::spec_of(kOpenLlama7B);
  KvRequest req;
  req.runtime = Runtime::LlamaCpp;
  req.context = 512;
  CHECK(kv_total(spec, Runtime::LlamaCpp, req) == 256 * (std::uint64_t{1} << 20));
}

TEST_CASE("KV element formats", "[kv_cache]") {
  // ggml-common.h: block_q8_0 = fp16 scale + 32 int8 = 34 B; block_q4_0 = fp16 scale + 16 B = 18 B.
  STATIC_REQUIRE(kv_row_bytes(KvElement{KvKind::Q8_0, 34, 32, "q8_0"}, 4096) == 128 * 34);
  STATIC_REQUIRE(kv_row_bytes(KvElement{KvKind::Q4_0, 18, 32, "q4_0"}, 4096) == 128 * 18);
  STATIC_REQUIRE(kv_row_bytes(KvElement{KvKind::F16, 2, 1, "fp16"}, 1024) == 2048);
  CHECK(element(KvKind::Auto, DType::BF16).name == "bf16");     // auto = compute dtype
  CHECK(element(KvKind::Auto, DType::F32).block_bytes == 4);
  CHECK(element(KvKind::Auto, DType::BF16, Runtime::LlamaCpp).name == "fp16");  // llama.cpp default f16
  CHECK(element(KvKind::Fp8).block_bytes == 1);
  CHECK(element(KvKind::Int8).block_bytes == 1);
  const auto q8_vllm = resolve_kv_element(KvKind::Q8_0, DType::BF16, Runtime::Vllm);
  REQUIRE_FALSE(q8_vllm.ok());
  CHECK(q8_vllm.error().field == "kv_dtype");
  // q8_0 for LLaMA-7B at 512 cells: 2 × 32 layers × 512 × 4096/32 × 34 B = 136 MiB.
  const ModelDescription spec = test::spec_of(kOpenLlama7B);
  KvRequest req;
  req.runtime = Runtime::LlamaCpp;
  req.context = 512;
  CHECK(kv_total(spec, Runtime::LlamaCpp, req, KvKind::Q8_0) == 2 * 32 * 512 * 128 * 34);
}

TEST_CASE("GQA per token and TP sharding: Qwen3-235B-A22B at TP 4 (vLLM and SGLang logs)", "[kv_cache][vllm][oracle]") {
  // Oracle: vllm-project/vllm issue #21348, Qwen3-235B-A22B-FP8, 4×H100, TP 4:
  // "Available KV cache memory: 8.11 GiB", "GPU KV cache size: 178,880 tokens";
  // SGLang TP 4: "#tokens: 367404, K size: 8.23 GB" (GB printed from bytes / 2^30).
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/Qwen--Qwen3-235B-A22B.json"));
  const KvWidth w = kv_width(spec, Runtime::Vllm, 4);
  CHECK(w.heads == 1);  // 4 KV heads over 4 GPUs
  const KvElement bf16 = element(KvKind::Auto, DType::BF16, Runtime::Vllm);
  const std::uint64_t per_token = 94 * kv_layer_bytes_per_token(w, bf16);
  CHECK(per_token == 94 * 2 * 128 * 2);  // 48,128 B per token per GPU

  // Pool tokens from the logged 8.11 GiB: 180,928 (whole 16-token blocks). vLLM prints 178,880:
  // 1.1% fewer. vLLM V1 sizes the pool with the smallest block count over the TP workers while
  // the log line shows one worker's memory, and "8.11" is itself rounded; tolerance 1.5%.
  const auto pool = static_cast<std::uint64_t>(8.11 * 1073741824.0);
  const std::uint64_t tokens = vllm_pool_tokens(pool, per_token, 16);
  CHECK(tokens % 16 == 0);
  CHECK(tokens == 180928);
  CHECK(static_cast<double>(tokens) == Approx(178880.0).epsilon(0.015));

  // SGLang: K only, per GPU, 367,404 tokens → 8.2341 GiB, printed "8.23" (rounding ±0.005).
  const std::uint64_t k_bytes = 367404 * 94 * kv_row_bytes(bf16, w.k);
  CHECK(static_cast<double>(k_bytes) / 1073741824.0 == Approx(8.23).margin(0.005));
}

TEST_CASE("Sliding-window layers per runtime: Gemma-2-9B alternation", "[kv_cache][sliding]") {
  // Gemma-2: even layers sliding (window 4096), odd layers full; 42 layers, 8 KV heads × 256.
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/google--gemma-2-9b-it.json"));
  const std::uint64_t row = 2 * 8 * 256 * 2;  // K + V bytes per token per layer (bf16)
  KvRequest req;
  req.context = 8192;
  // transformers: DynamicSlidingWindowLayer keeps window − 1 and appends the new token.
  req.runtime = Runtime::Transformers;
  CHECK(kv_total(spec, Runtime::Transformers, req) == 21 * row * 8192 + 21 * row * 4096);
  // vLLM: cdiv(min(4095 + 2048, 8192), 16) + 1 = 385 blocks = 6160 tokens on sliding layers.
  req.runtime = Runtime::Vllm;
  req.max_num_batched_tokens = 2048;
  CHECK(kv_total(spec, Runtime::Vllm, req) == 21 * row * 8192 + 21 * row * 6160);
  // llama.cpp: min(8192, pad(4096 × 1 + 512, 32)) = 4608 cells (fp16 by default).
  req.runtime = Runtime::LlamaCpp;
  CHECK(kv_total(spec, Runtime::LlamaCpp, req) == 21 * row * 8192 + 21 * row * 4608);
  // A short context is not capped.
  req.runtime = Runtime::Transformers;
  req.context = 1000;
  CHECK(kv_total(spec, Runtime::Transformers, req) == 42 * row * 1000);
}

TEST_CASE("vLLM rounds every sequence up to whole blocks", "[kv_cache][vllm]") {
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/Qwen--Qwen3-8B.json"));
  KvRequest req;
  req.runtime = Runtime::Vllm;
  req.context = 1000;  // 63 blocks = 1008 tokens
  req.sequences = 3;
  CHECK(kv_total(spec, Runtime::Vllm, req) == 36 * 2 * 8 * 128 * 2 * 1008 * 3);
}

TEST_CASE("MLA: decompressed K/V in transformers, latent in vLLM (DeepSeek-V3)", "[kv_cache][mla]") {
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/deepseek-ai--DeepSeek-V3.json"));
  // transformers DeepseekV3Attention caches key_states (128 × 192) and value_states (128 × 128).
  const KvWidth hf = kv_width(spec, Runtime::Transformers, 1);
  CHECK(hf.k == 128 * (128 + 64));
  CHECK(hf.v == 128 * 128);
  // vLLM MLAAttentionSpec / llm-d: kv_lora_rank 512 + qk_rope_head_dim 64, once per layer.
  const KvWidth latent = kv_width(spec, Runtime::Vllm, 8);
  CHECK(latent.latent);
  CHECK(latent.k == 576);
  CHECK(latent.v == 0);
  KvRequest req;
  req.runtime = Runtime::Vllm;
  req.context = 4096;
  CHECK(kv_total(spec, Runtime::Vllm, req) == 61 * 576 * 2 * 4096);
}

TEST_CASE("T5: decoder self-attention plus cross-attention over the encoder tokens", "[kv_cache][t5]") {
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/google-t5--t5-base.json"));
  KvRequest req;
  req.context = 128;        // decoder tokens
  req.encoder_tokens = 512; // encoder tokens
  req.sequences = 2;
  // 12 decoder layers × 2 (K, V) × 12 heads × 64 × (128 + 512) tokens × 2 seq × 4 B (fp32 checkpoint).
  CHECK(kv_total(spec, Runtime::Transformers, req) == 12 * 2 * 12 * 64 * (128 + 512) * 2 * 4);
}

TEST_CASE("DSA indexer keys: GLM-5.1 caches a latent and an indexer key per layer", "[kv_cache][mla][dsa]") {
  // vLLM: MLA latent (kv_lora_rank 512 + qk_rope 64) × 2 B per layer, plus DeepseekV32IndexerCache
  // head_size index_head_dim + index_head_dim // 128 · 4 = 132 B (uint8) per layer: 78 layers.
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/zai-org--GLM-5.1.json"));
  KvRequest req;
  req.runtime = Runtime::Vllm;
  req.context = 1024;  // 64 blocks of 16
  const auto v = kv_cache_bytes(spec, kv_width(spec, Runtime::Vllm, 1), element(KvKind::Auto, spec.torch_dtype, Runtime::Vllm), req, 0, 78);
  CHECK(v.per_token.value() == 78 * (576 * 2) + 78 * 132);
  CHECK(v.bytes.value() == 1024 * (78 * (576 * 2) + 78 * 132));
  CHECK(v.indexer_source.id == Msg::source_kv_dsa_indexer);
  // transformers: decompressed K (64 heads × 256) and V (64 × 256) in bf16, indexer keys 128 × 2 B.
  req.runtime = Runtime::Transformers;
  const auto t = kv_cache_bytes(spec, kv_width(spec, Runtime::Transformers, 1), element(KvKind::Auto, spec.torch_dtype), req, 0, 78);
  CHECK(t.per_token.value() == 78 * (2 * 64 * 256 * 2) + 78 * 128 * 2);
  // llama.cpp runs the layers as dense MLA: no indexer cache.
  CHECK(indexer_key_bytes(*spec.dsa_indexer, element(KvKind::Auto, DType::BF16, Runtime::LlamaCpp), Runtime::LlamaCpp).value() == 0);
}

TEST_CASE("GLM-5.2 shared indexers: only 'full' layers cache indexer keys", "[kv_cache][dsa]") {
  // zai-org/GLM-5.2 indexer_types: 21 of 78 layers "full" (layers 0-2, then every 4th from 6).
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/zai-org--GLM-5.2.json"));
  std::uint64_t full = 0;
  for (const auto& l : spec.layers) full += l.indexer ? 1 : 0;
  CHECK(full == 21);
  KvRequest req;
  req.runtime = Runtime::Vllm;
  const auto v = kv_cache_bytes(spec, kv_width(spec, Runtime::Vllm, 1), element(KvKind::Auto, spec.torch_dtype, Runtime::Vllm), req, 0, 78);
  CHECK(v.per_token.value() == 78 * (576 * 2) + 21 * 132);
}

TEST_CASE("EXAONE-4.0-32B: 48 sliding (4096) and 16 global layers", "[kv_cache][sliding][exaone4]") {
  // 8 KV heads × 128 × 2 (K, V) × 2 B = 4096 B per layer and token; at 32768 tokens transformers keeps
  // 4096 tokens on the 48 sliding layers and all 32768 on the 16 global ones.
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/LGAI-EXAONE--EXAONE-4.0-32B.json"));
  KvRequest req;
  req.context = 32768;
  CHECK(kv_total(spec, Runtime::Transformers, req) == 4096ull * (48 * 4096 + 16 * 32768));
}

namespace {

// Qwen3-Next-80B-A3B dimensions (Qwen/Qwen3-Next-80B-A3B-Instruct config.json): 48 layers, one full
// attention every 4 (12), 2 KV heads × 256; DeltaNet 16 key heads × 128, 32 value heads × 128, conv 4.
const char* kQwen3Next80B = R"({"model_type":"qwen3_next","architectures":["Qwen3NextForCausalLM"],"vocab_size":151936,
  "hidden_size":2048,"intermediate_size":5120,"num_hidden_layers":48,"num_attention_heads":16,"num_key_value_heads":2,
  "head_dim":256,"num_experts":512,"num_experts_per_tok":10,"moe_intermediate_size":512,
  "shared_expert_intermediate_size":512,"linear_num_key_heads":16,"linear_num_value_heads":32,"linear_key_head_dim":128,
  "linear_value_head_dim":128,"linear_conv_kernel_dim":4,"full_attention_interval":4,"torch_dtype":"bfloat16"})";

}  // namespace

TEST_CASE("Qwen3-Next at 32k: KV only on its 12 full-attention layers, a constant state on the 36 others",
          "[kv_cache][hybrid][qwen3_next]") {
  const ModelDescription spec = test::spec_of(kQwen3Next80B);
  // Worked example: 12 layers × 2 (K, V) × 2 heads × 256 × 2 B × 32,768 tokens = 805,306,368 B.
  KvRequest one;
  one.context = 32768;
  const KvCacheBytes t = kv_cache_bytes(spec, kv_width(spec, Runtime::Transformers, 1), element(KvKind::Auto), one, 0, 48);
  CHECK(t.per_token.value() == 12 * 2 * 2 * 256 * 2);
  // transformers Qwen3NextDynamicCache, per sequence and DeltaNet layer: conv [8192, 4] bf16 +
  // recurrent [32, 128, 128] fp32.
  constexpr std::uint64_t conv_dim = 2 * 16 * 128 + 32 * 128;
  CHECK(t.state.value() == 36 * (conv_dim * 4 * 2 + 32 * 128 * 128 * 4));
  CHECK(t.bytes.value() == 805'306'368 + t.state.value());
  // The state does not grow with the context; it grows with the sequences.
  KvRequest four = one;
  four.context = 1024;
  four.sequences = 4;
  CHECK(kv_cache_bytes(spec, kv_width(spec, Runtime::Transformers, 1), element(KvKind::Auto), four, 0, 48).state.value() == 4 * t.state.value());
  // vLLM MambaStateShapeCalculator.gated_delta_net_state_shape: conv (4 − 1) × 8192, temporal
  // 32 × 128 × 128, both bf16 (no mamba_ssm_dtype in this config); TP 2 halves both.
  KvRequest v = one;
  v.runtime = Runtime::Vllm;
  CHECK(kv_cache_bytes(spec, kv_width(spec, Runtime::Vllm, 1), element(KvKind::Auto, DType::BF16, Runtime::Vllm), v, 0, 48).state.value() ==
        36 * (3 * conv_dim * 2 + 32 * 128 * 128 * 2));
  v.tensor_parallel = 2;
  CHECK(kv_cache_bytes(spec, kv_width(spec, Runtime::Vllm, 2), element(KvKind::Auto, DType::BF16, Runtime::Vllm), v, 0, 48).state.value() ==
        36 * (3 * conv_dim / 2 * 2 + 16 * 128 * 128 * 2));
  // llama.cpp llama_memory_recurrent: r = 3 × 8192 and s = 128 × 4096 f32 per cell.
  KvRequest l = one;
  l.runtime = Runtime::LlamaCpp;
  CHECK(kv_cache_bytes(spec, kv_width(spec, Runtime::LlamaCpp, 1), element(KvKind::Auto, DType::BF16, Runtime::LlamaCpp), l, 0, 48).state.value() ==
        36 * (3 * conv_dim * 4 + 128 * 32 * 128 * 4));
}
