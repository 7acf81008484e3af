// solve.cpp: inverse solves are bisections over the estimate itself, so the oracle is the estimate:
// the answer must fit and one step past it must not.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "vram/model/catalog.hpp"
#include "vram/estimate/solve.hpp"

namespace {

vram::Model catalog_model(const char* id) {
  auto m = vram::load_model(vram::find_catalog_model(id).value().config_json);
  REQUIRE(m.ok());
  return std::move(m).value();
}

bool fits(const vram::Model& m, const vram::InferenceOptions& o, const vram::Gpu& g) {
  auto r = vram::estimate_inference(m, o);
  return r.ok() && vram::fit(r.value(), g).fits;
}

}  // namespace

TEST_CASE("max context and batch are the fitting boundary", "[solve]") {
  const auto m = catalog_model("meta-llama/Llama-3.1-8B-Instruct");
  const auto gpu = vram::find_gpu("rtx-4090").value();
  vram::InferenceOptions o;
  auto s = vram::solve_inference(m, o, gpu, 1);
  REQUIRE(s.ok());
  const auto& v = s.value();
  REQUIRE(v.max_context > 0);
  vram::InferenceOptions at = o, past = o;
  at.context = v.max_context;
  past.context = v.max_context + 1;
  if (v.max_context < m.spec.max_position_embeddings) {
    CHECK(fits(m, at, gpu));
    CHECK_FALSE(fits(m, past, gpu));
  }
  at = o;
  past = o;
  at.batch = v.max_batch;
  past.batch = v.max_batch + 1;
  CHECK(fits(m, at, gpu));
  CHECK_FALSE(fits(m, past, gpu));
  CHECK(v.min_gpus == 1);
  CHECK_FALSE(v.best_weights.empty());
}

TEST_CASE("a model too big for one card needs several, and the best format steps down", "[solve]") {
  const auto m = catalog_model("meta-llama/Llama-3.1-70B-Instruct");
  const auto gpu = vram::find_gpu("a100-80gb-sxm").value();
  vram::InferenceOptions o;  // bf16: 141 GB of weights
  auto s = vram::solve_inference(m, o, gpu, 1);
  REQUIRE(s.ok());
  CHECK(s.value().max_context == 0);
  CHECK(s.value().min_gpus >= 2);
  vram::InferenceOptions tp = o;
  tp.tensor_parallel = s.value().min_gpus;
  CHECK(fits(m, tp, gpu));
  // fp8 (70.6 GB) or int8 fits one 80 GB card; bf16 does not.
  CHECK((s.value().best_weights == "fp8" || s.value().best_weights == "int8"));
}

TEST_CASE("vLLM fits when its KV pool holds the requested sequences", "[solve][vllm]") {
  const auto m = catalog_model("Qwen/Qwen2.5-7B-Instruct");
  const auto gpu = vram::find_gpu("l40s").value();
  vram::InferenceOptions o;
  o.runtime = vram::Runtime::Vllm;
  o.gpu_memory_bytes = gpu.usable_bytes();
  o.context = 32768;
  o.batch = 1;
  auto r = vram::estimate_inference(m, o);
  REQUIRE(r.ok());
  CHECK(vram::fit(r.value(), gpu).fits);
  o.batch = 1000;  // far more 32k sequences than a 48 GB card holds
  r = vram::estimate_inference(m, o);
  REQUIRE(r.ok());
  CHECK_FALSE(vram::fit(r.value(), gpu).fits);
  o.batch = 1;
  auto s = vram::solve_inference(m, o, gpu, 1);
  REQUIRE(s.ok());
  CHECK(s.value().max_batch > 1);
}

TEST_CASE("training solves: longest sequence and fewest GPUs with ZeRO-3", "[solve][training]") {
  const auto m = catalog_model("meta-llama/Llama-3.1-8B-Instruct");
  const auto gpu = vram::find_gpu("a100-80gb-sxm").value();
  vram::TrainOptions o;  // full fine-tune, AMP bf16 AdamW: ~16 B/param ≈ 120 GiB of model states
  o.zero = 3;
  auto s = vram::solve_training(m, o, gpu, 1);
  REQUIRE(s.ok());
  CHECK(s.value().min_gpus >= 2);
  vram::TrainOptions many = o;
  many.gpus = s.value().min_gpus;
  auto r = vram::estimate_training(m, many);
  REQUIRE(r.ok());
  CHECK(vram::fit(r.value(), gpu).fits);
}

TEST_CASE("sweeps return the estimate at every point", "[solve][sweep]") {
  const auto m = catalog_model("Qwen/Qwen3-0.6B");
  vram::InferenceOptions o;
  auto s = vram::sweep_context(m, o, 1024, 32768, 32);
  REQUIRE(s.ok());
  REQUIRE(s.value().x.size() == 32);
  CHECK(s.value().x.front() == 1024);
  CHECK(s.value().x.back() == 32768);
  for (std::size_t i = 1; i < s.value().x.size(); ++i) CHECK(s.value().total_bytes[i] >= s.value().total_bytes[i - 1]);
  vram::InferenceOptions at = o;
  at.context = s.value().x[7];
  CHECK(vram::estimate_inference(m, at).value().total_bytes == s.value().total_bytes[7]);
  CHECK_FALSE(vram::sweep_context(m, o, 0, 10, 5).ok());
  CHECK_FALSE(vram::sweep_context(m, o, 10, 5, 5).ok());
}
