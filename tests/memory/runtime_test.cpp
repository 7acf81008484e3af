// runtime.cpp: runtime constants and transient buffers (activations, logits, llama.cpp compute
// buffer). Exact formulas get exact checks; printed figures state their tolerance.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "vram/memory/runtime.hpp"

using namespace vram;

namespace {

const char* kOpenLlama7B = R"({"model_type":"llama","architectures":["LlamaForCausalLM"],"vocab_size":32000,
  "hidden_size":4096,"intermediate_size":11008,"num_hidden_layers":32,"num_attention_heads":32,
  "num_key_value_heads":32,"max_position_embeddings":2048,"torch_dtype":"float16"})";

}  // namespace

TEST_CASE("vLLM scheduler defaults follow EngineArgs.get_batch_defaults", "[runtime][vllm]") {
  // vllm/engine/arg_utils.py: ≥ 70 GiB → OPENAI_API_SERVER 8192 tokens / 1024 seqs, else 2048 / 256.
  STATIC_REQUIRE(vllm_default_max_num_batched_tokens(80 * kGiB) == 8192);
  STATIC_REQUIRE(vllm_default_max_num_batched_tokens(24 * kGiB) == 2048);
  STATIC_REQUIRE(vllm_default_max_num_seqs(80 * kGiB) == 1024);
  STATIC_REQUIRE(vllm_default_max_num_seqs(24 * kGiB) == 256);
  // llm-d non-torch constants.
  STATIC_REQUIRE(vllm_non_torch_bytes(1) == 15 * kGiB / 100);
  STATIC_REQUIRE(vllm_non_torch_bytes(4) == 6 * kGiB / 10);
}

TEST_CASE("llama.cpp compute buffer of OpenLLaMA 7B at n_ctx 512 (VRAM scratch 70.50 MB)", "[runtime][llama.cpp][oracle]") {
  // Oracle: ggml-org/ci build 1391, V100, OpenLLaMA 7B v2 f16, n_ctx 512, -ngl 999:
  // "VRAM scratch buffer: 70.50 MB" (MiB) with total VRAM 12929.52 = model 12603.02 + KV 256 + 70.50.
  // The largest stage is the output: 512 tokens × (32000 vocab + 4096) × 4 B = 70.50 MiB exactly.
  // The same log's "compute buffer total size = 76.63 MB" is that build's host graph buffer
  // (inputs included, not on the GPU), 8.0% above: we model the GPU part.
  const ModelDescription spec = test::spec_of(kOpenLlama7B);
  const ForwardShape ub = forward_shape(spec, 1, 512, DType::F16, 1);
  const BufferBytes cb = llama_cpp_compute_buffer(ub, 512, 32000, /*flash_attn=*/false, /*output_on_gpu=*/true);
  CHECK(cb.bytes.value() == 512 * (32000 + 4096) * 4);
  CHECK(static_cast<double>(cb.bytes.value()) / 1048576.0 == Approx(70.50).margin(0.005));
  // Without the output layer the largest stage is the FFN: 512 × (4096 + 2 × 11008) × 4 B.
  CHECK(llama_cpp_compute_buffer(ub, 512, 32000, false, false).bytes.value() == 512 * (4096 + 2 * 11008) * 4);
  // At n_ctx 4096 the KQ matrix (4096 × 512 × 32 heads × 4 B) dominates; flash attention drops it.
  const BufferBytes big = llama_cpp_compute_buffer(ub, 4096, 32000, false, false);
  CHECK(big.bytes.value() == 2 * 512 * 4096 * 4 + std::uint64_t{4096} * 512 * 32 * 4);
  CHECK(llama_cpp_compute_buffer(ub, 4096, 32000, true, false).bytes.value() < big.bytes.value() / 4);
  CHECK(llama_cpp_output_buffer(4, 32000).bytes.value() == 4 * 32000 * 4);
}

TEST_CASE("transformers prefill activations: eager materialises the scores, SDPA does not", "[runtime][transformers]") {
  const ModelDescription spec = test::spec_of(kOpenLlama7B);
  const std::uint64_t s = 2048, b = 2, c = 2;
  const ForwardShape f = forward_shape(spec, b, s, DType::F16, 1);
  const std::uint64_t t = b * s;
  const BufferBytes sdpa = transformers_prefill_activations(f, AttentionImpl::Sdpa);
  // SDPA: the MLP stage dominates: b·s × (2h + 3i) × c.
  CHECK(sdpa.bytes.value() == t * (2 * 4096 + 3 * 11008) * c);
  CHECK(transformers_prefill_activations(f, AttentionImpl::Flash).bytes.value() == sdpa.bytes.value());
  // Eager: + scores (c), fp32 softmax (4), cast back (c) per head, + the 4-D mask.
  const BufferBytes eager = transformers_prefill_activations(f, AttentionImpl::Eager);
  CHECK(eager.bytes.value() == t * (2 * 4096 + 2 * 4096 + 2 * 4096) * c + b * 32 * s * s * (2 * c + 4) + b * s * s * c);
}

TEST_CASE("Logits: generate keeps the last position (+ fp32 copy); a forward keeps all", "[runtime][logits]") {
  CHECK(generation_logits(4, 128256, DType::F16).bytes.value() == 4 * 128256 * (2 + 4));
  CHECK(forward_logits(4, 1024, 128256, DType::F16).bytes.value() == std::uint64_t{4} * 1024 * 128256 * 2);
  CHECK(vllm_sampler_logits(256, 151936, DType::BF16).bytes.value() == std::uint64_t{256} * 151936 * 10);
}

TEST_CASE("Tensor parallelism shards heads and MLP width in the forward shape", "[runtime][tp]") {
  const ModelDescription spec = test::spec_of(test::read_repo_file("engine/catalog/models/Qwen--Qwen3-8B.json"));
  const ForwardShape f = forward_shape(spec, 1, 8, DType::BF16, 4);
  CHECK(f.heads == 8);
  CHECK(f.q_dim == 8 * 128);
  CHECK(f.kv_dim == 2 * 128);
  CHECK(f.intermediate == 12288 / 4);
}
