// runtime_llama_cpp.cpp with a GGUF file's exact bytes (model/gguf.hpp → spec.stored): the weights
// per device under -ngl, against llama.cpp's printed buffers. Each header is built here with the
// model's real tensor names, shapes and the types its log counts (llama_model_loader "type q4_K:
// N tensors"); the bytes then follow from ggml's block sizes alone.
#include <catch2/catch.hpp>

#include "gguf_writer.hpp"
#include "test_support.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/estimate/fit.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/workload/gpus.hpp"
#include "vram/model/gguf.hpp"

using namespace vram;
using vram::test::GgufWriter;

namespace {

constexpr double kMiBd = 1048576.0;

// Llama-3-8B (n_layer 32, n_embd 4096, n_ff 14336, 32 heads, 8 KV heads, vocab 128256) as
// llama-quantize writes Q4_K_M: Q4_K everywhere, Q6_K for output.weight and for attn_v and
// ffn_down in the use_more_bits layers (i < n/8, i ≥ 7n/8, (i − n/8) % 3 == 2: 16 of 32).
std::string llama3_8b_q4_k_m() {
  GgufWriter w;
  w.str("general.architecture", "llama").str("general.name", "llama-3-Korean-Bllossom-8B").u32("llama.block_count", 32)
      .u32("llama.context_length", 8192).u32("llama.embedding_length", 4096).u32("llama.feed_forward_length", 14336)
      .u32("llama.attention.head_count", 32).u32("llama.attention.head_count_kv", 8).f32("llama.rope.freq_base", 500000.0f)
      .f32("llama.attention.layer_norm_rms_epsilon", 1e-5f).u32("general.file_type", 15).u32("llama.vocab_size", 128256)
      .u32("llama.rope.dimension_count", 128);
  w.q4_k_tensor("token_embd.weight", {4096, 128256});
  for (int i = 0; i < 32; ++i) {
    const std::string b = "blk." + std::to_string(i) + ".";
    const bool more = i < 4 || i >= 28 || (i - 4) % 3 == 2;
    w.f32_tensor(b + "attn_norm.weight", {4096});
    w.q4_k_tensor(b + "attn_q.weight", {4096, 4096});
    w.q4_k_tensor(b + "attn_k.weight", {4096, 1024});
    if (more) w.q6_k_tensor(b + "attn_v.weight", {4096, 1024});
    else w.q4_k_tensor(b + "attn_v.weight", {4096, 1024});
    w.q4_k_tensor(b + "attn_output.weight", {4096, 4096});
    w.f32_tensor(b + "ffn_norm.weight", {4096});
    w.q4_k_tensor(b + "ffn_gate.weight", {4096, 14336});
    w.q4_k_tensor(b + "ffn_up.weight", {4096, 14336});
    if (more) w.q6_k_tensor(b + "ffn_down.weight", {14336, 4096});
    else w.q4_k_tensor(b + "ffn_down.weight", {14336, 4096});
  }
  w.f32_tensor("output_norm.weight", {4096});
  w.q6_k_tensor("output.weight", {4096, 128256});
  return w.bytes();
}

GgufModel model_of(const std::string& bytes) {
  auto h = read_gguf_header(bytes, "model.gguf");
  REQUIRE(h.ok());
  REQUIRE(h.value().need_bytes == 0);
  auto g = gguf_model({h.value().header}, {"model.gguf"});
  if (!g) FAIL(vram::test::english(g.error()));
  return g.value();
}

Report run(const Model& m, const InferenceOptions& o) {
  auto r = estimate_inference(m, o);
  if (!r.ok()) FAIL(vram::test::english(r.error()));
  return r.value();
}

double mib(std::uint64_t b) { return static_cast<double>(b) / kMiBd; }

}  // namespace

TEST_CASE("llama.cpp Llama-3-8B Q4_K_M, -ngl 33, n_ctx 512: CUDA0 4403.49 MiB, CPU 281.81 MiB, KV 64.00 MiB", "[llama.cpp][gguf][oracle]") {
  // Oracle: llama-cpp-python log of llama-3-Korean-Bllossom-8B-Q4_K_M.gguf on an RTX 3070
  // (https://github.com/developer0hye/llama-3-korean-bllossom-8b-q4-docker, README.md):
  //   type f32: 65 tensors, type q4_K: 193 tensors, type q6_K: 33 tensors
  //   CPU buffer size = 281.81 MiB, CUDA0 buffer size = 4403.49 MiB (offloaded 33/33 layers)
  //   n_ctx 512: KV self size = 64.00 MiB, K (f16): 32.00 MiB, V (f16): 32.00 MiB
  // The same 4403.49 / 281.81 MiB appear for Llama-3.1-8B-Instruct Q4_K_M in Ollama's logs.
  const GgufModel g = model_of(llama3_8b_q4_k_m());
  REQUIRE(g.by_type.size() == 3);
  CHECK(g.by_type[0].type == GgmlType::F32);
  CHECK(g.by_type[0].tensors == 65);
  CHECK(g.by_type[1].type == GgmlType::Q4_K);
  CHECK(g.by_type[1].tensors == 193);
  CHECK(g.by_type[2].type == GgmlType::Q6_K);
  CHECK(g.by_type[2].tensors == 33);
  CHECK(g.params == 8030261248);  // "model params = 8.03 B"; transformers counts 8,030,261,248 for Llama-3-8B
  CHECK(g.file_type == "Q4_K_M");
  CHECK(g.n_head_kv == std::vector<std::uint64_t>(32, 8));
  CHECK_FALSE(g.tied);

  auto m = load_model(gguf_config_json(g));
  if (!m) FAIL(vram::test::english(m.error()));
  const Model& model = m.value();
  CHECK(model.spec.num_kv_heads == 8);
  CHECK(model.inventory.total_params == 8030261248);
  InferenceOptions o;
  o.runtime = Runtime::LlamaCpp;
  o.context = 512;
  o.gpu_layers = 33;
  o.overhead_bytes = 0;
  const Report r = run(model, o);
  CHECK(mib(r.bytes_of("weights")) == Approx(4403.49).margin(0.005));
  CHECK(mib(r.bytes_of("weights_host")) == Approx(281.81).margin(0.005));
  CHECK(r.bytes_of("kv_cache") == 64 * 1048576);
  // -ngl 999 is the same as 33 (act_gpu_layers = min(ngl, n_layer + 1)); -1 = all.
  o.gpu_layers = -1;
  CHECK(run(model, o).bytes_of("weights") == r.bytes_of("weights"));
}

TEST_CASE("GGUF -ngl split: the last N layers' exact bytes on the GPU, the rest and token_embd in RAM", "[llama.cpp][gguf]") {
  const GgufModel g = model_of(llama3_8b_q4_k_m());
  auto m = load_model(gguf_config_json(g));
  REQUIRE(m.ok());
  InferenceOptions o;
  o.runtime = Runtime::LlamaCpp;
  o.context = 512;
  o.overhead_bytes = 0;
  for (std::int64_t ngl : {0, 1, 16, 31, 32, 33}) {
    o.gpu_layers = ngl;
    const Report r = run(m.value(), o);
    std::uint64_t gpu = ngl > 32 ? g.output_bytes : 0;
    for (std::int64_t i = 32 - std::min<std::int64_t>(ngl, 32); i < 32; ++i) gpu += g.layer_bytes[static_cast<std::size_t>(i)];
    INFO("ngl " << ngl);
    CHECK(r.bytes_of("weights") == gpu);
    CHECK(r.bytes_of("weights") + r.bytes_of("weights_host") == g.bytes);
  }
  // Layers with Q6_K attn_v/ffn_down are heavier: layer 31 (more bits) > layer 30? both ≥ 28 → equal;
  // layer 5 (Q4_K only) < layer 6 ((6 − 4) % 3 == 2).
  CHECK(g.layer_bytes[5] < g.layer_bytes[6]);
  CHECK(g.layer_bytes[6] - g.layer_bytes[5] == (3440640 - 2359296) + (48168960 - 33030144));
}

TEST_CASE("a tied GGUF loads token_embd again as the GPU's output tensor", "[llama.cpp][gguf]") {
  // llama-model-loader.cpp: a TENSOR_DUPLICATED token_embd is created as LLM_TENSOR_OUTPUT, in the
  // output layer's buffer; token_embd itself stays in the CPU (input) buffer.
  GgufWriter w;
  w.str("general.architecture", "qwen2").u32("qwen2.block_count", 2).u32("qwen2.embedding_length", 512)
      .u32("qwen2.feed_forward_length", 1024).u32("qwen2.attention.head_count", 8).u32("qwen2.attention.head_count_kv", 2)
      .u32("qwen2.context_length", 4096).u32("general.file_type", 7);
  w.q8_0_tensor("token_embd.weight", {512, 1000});
  for (int i = 0; i < 2; ++i) {
    const std::string b = "blk." + std::to_string(i) + ".";
    w.f32_tensor(b + "attn_norm.weight", {512}).q8_0_tensor(b + "attn_q.weight", {512, 512}).f32_tensor(b + "attn_q.bias", {512})
        .q8_0_tensor(b + "attn_k.weight", {512, 128}).f32_tensor(b + "attn_k.bias", {128}).q8_0_tensor(b + "attn_v.weight", {512, 128})
        .f32_tensor(b + "attn_v.bias", {128}).q8_0_tensor(b + "attn_output.weight", {512, 512}).f32_tensor(b + "ffn_norm.weight", {512})
        .q8_0_tensor(b + "ffn_gate.weight", {512, 1024}).q8_0_tensor(b + "ffn_up.weight", {512, 1024}).q8_0_tensor(b + "ffn_down.weight", {1024, 512});
  }
  w.f32_tensor("output_norm.weight", {512});
  const GgufModel g = model_of(w.bytes());
  CHECK(g.tied);
  CHECK(g.token_embd_bytes == 1000ull * 512 / 32 * 34);
  auto m = load_model(gguf_config_json(g));
  if (!m) FAIL(vram::test::english(m.error()));
  CHECK(m.value().spec.tie_word_embeddings);
  InferenceOptions o;
  o.runtime = Runtime::LlamaCpp;
  o.context = 512;
  o.gpu_layers = 3;
  const Report all = run(m.value(), o);
  CHECK(all.bytes_of("weights") == g.layer_bytes[0] + g.layer_bytes[1] + g.output_bytes + g.token_embd_bytes);
  CHECK(all.bytes_of("weights_host") == g.token_embd_bytes);
  o.gpu_layers = 2;  // output layer on the CPU: the duplicate is the same mapped bytes
  const Report no_out = run(m.value(), o);
  CHECK(no_out.bytes_of("weights") == g.layer_bytes[0] + g.layer_bytes[1]);
  CHECK(no_out.bytes_of("weights_host") == g.token_embd_bytes + g.output_bytes);
}

TEST_CASE("the largest -ngl that fits a GPU", "[llama.cpp][gguf][solve]") {
  // Oracle: the estimate itself — at the answer the GPU total fits, one layer more does not.
  const GgufModel g = model_of(llama3_8b_q4_k_m());
  auto m = load_model(gguf_config_json(g));
  REQUIRE(m.ok());
  auto gpu = find_gpu("gtx-1050-ti");
  REQUIRE(gpu.ok());
  InferenceOptions o;
  o.runtime = Runtime::LlamaCpp;
  o.context = 4096;
  auto s = solve_inference(m.value(), o, gpu.value(), 1);
  REQUIRE(s.ok());
  const std::int64_t n = s.value().max_gpu_layers;
  REQUIRE(n > 0);
  REQUIRE(n < 33);  // 4.6 GB of weights do not fit a 4 GB card
  o.gpu_layers = n;
  CHECK(fit(run(m.value(), o), gpu.value()).fits);
  o.gpu_layers = n + 1;
  CHECK_FALSE(fit(run(m.value(), o), gpu.value()).fits);
  // Not a llama.cpp estimate: no -ngl.
  o.runtime = Runtime::Transformers;
  o.gpu_layers = -1;
  auto t = solve_inference(m.value(), o, gpu.value(), 1);
  REQUIRE(t.ok());
  CHECK(t.value().max_gpu_layers == -1);
}
