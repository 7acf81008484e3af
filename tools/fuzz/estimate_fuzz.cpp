// Fuzz target: the estimate entry points as the CLI and the bindings drive them. The input picks a
// catalog model, a mode and key/value option strings, which go through the same option parsing as
// every front end (options.hpp); then inference or training, fit, a sweep or an inverse solve.
// Checked: named errors, every item ≥ 0 and summing to the phase totals and the peak, finite facts,
// consistent fits, sweeps in range and in order (fuzz_checks.hpp).
#include <fuzzer/FuzzedDataProvider.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_checks.hpp"
#include "vram/model/catalog.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/base/formula.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/workload/options.hpp"

namespace {

using namespace vram;

// Catalog models are parsed once: loading is the config target's job, and a sweep or solve of a
// cached model is what the page does too.
const Model* catalog_model(std::size_t i) {
  static const std::vector<CatalogModel> catalog = catalog_models();
  static std::vector<std::unique_ptr<Model>> cache(catalog.size());
  if (catalog.empty()) return nullptr;
  i %= catalog.size();
  if (!cache[i]) {
    auto m = load_model(catalog[i].config_json);
    VRAM_FUZZ_CHECK(m.ok());  // the shipped catalog always loads
    cache[i] = std::make_unique<Model>(std::move(m).value());
  }
  return cache[i].get();
}

// Values the options understand, so the fuzzer reaches past the parsers without guessing ids.
const std::vector<std::string>& known_values() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out = {"auto", "fp32", "fp16", "bf16", "fp8", "int8", "nf4", "nf4-dq", "fp4", "int4",
                                    "gptq-4", "gptq-3-g64", "gptq-8-g-1", "awq-4", "mxfp4", "q8_0", "q4_0",
                                    "true", "false", "0", "1", "2", "3", "-1", "7", "64", "512", "4096", "32768",
                                    "131072", "16777216", "1048576", "0.5", "0.9", "1e-3", "all-linear", "attention",
                                    "q_proj,v_proj", "gate_proj,up_proj,down_proj", "full", "cpu", "nvme", "none"};
    for (const char* e : {"runtime", "attention", "method", "optimizer", "precision", "checkpointing", "fsdp", "offload",
                          "kv_dtype", "gguf"})
      for (auto& id : option_ids(e)) out.push_back(id);
    return out;
  }();
  return v;
}

std::string value_from(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return known_values()[in.ConsumeIntegralInRange<std::size_t>(0, known_values().size() - 1)];
    case 1: return std::to_string(in.ConsumeIntegral<std::uint64_t>() >> in.ConsumeIntegralInRange<int>(0, 63));
    case 2: return "-" + std::to_string(in.ConsumeIntegralInRange<std::uint32_t>(0, 1u << 20));
    default: return in.ConsumeRandomLengthString(32);
  }
}

void run_inference(FuzzedDataProvider& in, const Model& model, const std::map<std::string, std::string>& kv) {
  auto opts = inference_options(
      [&](std::string_view k) -> std::optional<std::string> {
        auto it = kv.find(std::string(k));
        return it == kv.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
  fuzz::check_if_error(opts);
  if (!opts) return;
  auto report = estimate_inference(model, opts.value());
  fuzz::check_if_error(report);
  if (!report) return;
  fuzz::check_report(report.value());

  const auto all = gpus();
  const Gpu& gpu = all[in.ConsumeIntegralInRange<std::size_t>(0, all.size() - 1)];
  fuzz::check_fit(fit(report.value(), gpu), report.value());
  switch (in.ConsumeIntegralInRange<int>(0, 127)) {
    case 0: {  // the inverse solves: about a hundred estimates each, so only now and then
      auto s = solve_inference(model, opts.value(), gpu, in.ConsumeIntegralInRange<std::uint32_t>(1, 8));
      fuzz::check_if_error(s);
      break;
    }
    case 1: case 2: case 3: case 4: {
      const auto from = in.ConsumeIntegralInRange<std::uint64_t>(0, 1u << 24);
      const auto to = in.ConsumeBool() ? in.ConsumeIntegral<std::uint64_t>() : in.ConsumeIntegralInRange<std::uint64_t>(0, 1u << 24);
      const auto points = in.ConsumeIntegralInRange<std::uint32_t>(0, 6);
      auto s = in.ConsumeBool() ? sweep_context(model, opts.value(), from, to, points)
                                : sweep_batch(model, opts.value(), from, to, points);
      fuzz::check_if_error(s);
      if (s) fuzz::check_sweep(s.value(), from, to, points);
      break;
    }
    default: break;
  }
}

void run_training(FuzzedDataProvider& in, const Model& model, const std::map<std::string, std::string>& kv) {
  auto opts = train_options(
      [&](std::string_view k) -> std::optional<std::string> {
        auto it = kv.find(std::string(k));
        return it == kv.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
  fuzz::check_if_error(opts);
  if (!opts) return;
  auto report = estimate_training(model, opts.value());
  fuzz::check_if_error(report);
  if (!report) return;
  fuzz::check_report(report.value());

  const auto all = gpus();
  const Gpu& gpu = all[in.ConsumeIntegralInRange<std::size_t>(0, all.size() - 1)];
  fuzz::check_fit(fit(report.value(), gpu), report.value());
  switch (in.ConsumeIntegralInRange<int>(0, 127)) {
    case 0: {
      auto s = solve_training(model, opts.value(), gpu, in.ConsumeIntegralInRange<std::uint32_t>(1, 8));
      fuzz::check_if_error(s);
      break;
    }
    case 1: case 2: case 3: case 4: {
      const auto from = in.ConsumeIntegralInRange<std::uint64_t>(0, 1u << 24);
      const auto to = in.ConsumeBool() ? in.ConsumeIntegral<std::uint64_t>() : in.ConsumeIntegralInRange<std::uint64_t>(0, 1u << 24);
      const auto points = in.ConsumeIntegralInRange<std::uint32_t>(0, 6);
      auto s = sweep_seq(model, opts.value(), from, to, points);
      fuzz::check_if_error(s);
      if (s) fuzz::check_sweep(s.value(), from, to, points);
      break;
    }
    default: break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const Model* model = catalog_model(in.ConsumeIntegral<std::uint16_t>());
  if (!model) return 0;
  const bool training = in.ConsumeBool();
  const auto& keys = training ? train_option_keys() : inference_option_keys();
  std::map<std::string, std::string> kv;  // a later duplicate replaces an earlier one, as in a link
  const int n = in.ConsumeIntegralInRange<int>(0, 8);
  for (int i = 0; i < n; ++i) {
    std::string key = in.ConsumeIntegralInRange<int>(0, 15) == 0 ? in.ConsumeRandomLengthString(16)
                                                                  : keys[in.ConsumeIntegralInRange<std::size_t>(0, keys.size() - 1)];
    kv[key] = value_from(in);
  }
  // Half the inputs build no explanations, as sweeps and solves do (base/formula.hpp): the
  // arithmetic is the same and runs several times faster; the other half builds every formula.
  const ExplainScope scope(!in.ConsumeBool());
  if (training) {
    run_training(in, *model, kv);
  } else {
    run_inference(in, *model, kv);
  }
  return 0;
}
