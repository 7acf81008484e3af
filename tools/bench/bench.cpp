// Benchmarks (run by tools/bench.sh, reported in the README, never asserted in tests).
// Targets (issue 3): one estimate ≤ 10 µs, a 1,000-point context sweep ≤ 5 ms, natively.
#include <benchmark/benchmark.h>

#include "vram/model/catalog.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/estimate/solve.hpp"

namespace {

vram::Model model_of(const char* id) { return vram::load_model(vram::find_catalog_model(id).value().config_json).value(); }

void BM_LoadModel(benchmark::State& state, const char* id) {
  const auto cfg = vram::find_catalog_model(id).value().config_json;
  for (auto _ : state) benchmark::DoNotOptimize(vram::load_model(cfg).value().inventory.total_params);
}

void BM_Inference(benchmark::State& state, const char* id) {
  const auto m = model_of(id);
  vram::InferenceOptions o;
  o.context = 8192;
  for (auto _ : state) benchmark::DoNotOptimize(vram::estimate_inference(m, o).value().total_bytes);
}

void BM_Training(benchmark::State& state, const char* id) {
  const auto m = model_of(id);
  vram::TrainOptions o;
  for (auto _ : state) benchmark::DoNotOptimize(vram::estimate_training(m, o).value().total_bytes);
}

void BM_ContextSweep1000(benchmark::State& state, const char* id) {
  const auto m = model_of(id);
  vram::InferenceOptions o;
  for (auto _ : state) benchmark::DoNotOptimize(vram::sweep_context(m, o, 1024, 131072, 1000).value().x.size());
}

}  // namespace

BENCHMARK_CAPTURE(BM_LoadModel, llama31_8b, "meta-llama/Llama-3.1-8B-Instruct");
BENCHMARK_CAPTURE(BM_LoadModel, deepseek_v3, "deepseek-ai/DeepSeek-V3");
BENCHMARK_CAPTURE(BM_Inference, llama31_8b, "meta-llama/Llama-3.1-8B-Instruct");
BENCHMARK_CAPTURE(BM_Inference, deepseek_v3, "deepseek-ai/DeepSeek-V3");
BENCHMARK_CAPTURE(BM_Training, llama31_8b, "meta-llama/Llama-3.1-8B-Instruct");
BENCHMARK_CAPTURE(BM_Training, deepseek_v3, "deepseek-ai/DeepSeek-V3");
BENCHMARK_CAPTURE(BM_ContextSweep1000, llama31_8b, "meta-llama/Llama-3.1-8B-Instruct")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ContextSweep1000, deepseek_v3, "deepseek-ai/DeepSeek-V3")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
