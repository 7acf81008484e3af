// Inverse solves and sweeps. No formula lives here: every answer is a bisection over the real
// estimate, so the solves can never disagree with the numbers shown next to them.
#include <algorithm>

#include "vram/estimate/solve.hpp"

namespace vram {
namespace {

constexpr std::uint32_t kMaxGpus = 64;

// Largest x in [lo, hi] with fits(x), assuming fits is monotone (true then false); 0 if none.
template <class F>
std::uint64_t largest_fitting(std::uint64_t lo, std::uint64_t hi, F&& fits) {
  if (hi < lo || !fits(lo)) return 0;
  if (fits(hi)) return hi;
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    (fits(mid) ? lo : hi) = mid;
  }
  return lo;
}

bool inference_fits(const Model& m, const InferenceOptions& o, const Gpu& gpu) {
  auto r = estimate_inference(m, o);
  return r.ok() && fit(r.value(), gpu).fits;
}

bool training_fits(const Model& m, const TrainOptions& o, const Gpu& gpu) {
  auto r = estimate_training(m, o);
  return r.ok() && fit(r.value(), gpu).fits;
}

std::uint64_t context_cap(const Model& m) {
  const std::uint64_t p = m.spec.max_position_embeddings;
  return std::max<std::uint64_t>(p, 4096);
}

}  // namespace

Result<Solves> solve_inference(const Model& model, const InferenceOptions& requested, const Gpu& gpu,
                               std::uint32_t gpu_count) {
  InferenceOptions options = requested;
  if (options.gpu.empty()) options.gpu = std::string(gpu.id);  // runtimes that size themselves read this card
  auto base = estimate_inference(model, options);  // validates the options once, with named errors
  if (!base) return base.error();
  const ExplainScope quiet(false);  // only totals are read below
  Solves s;
  s.max_context = largest_fitting(1, context_cap(model), [&](std::uint64_t c) {
    InferenceOptions o = options;
    o.context = c;
    o.prompt = options.prompt ? std::min(options.prompt, c) : 0;
    return inference_fits(model, o, gpu);
  });
  s.max_batch = largest_fitting(1, 4096, [&](std::uint64_t b) {
    InferenceOptions o = options;
    o.batch = b;
    return inference_fits(model, o, gpu);
  });
  for (std::uint32_t n = std::max<std::uint32_t>(gpu_count, 1); n <= kMaxGpus && s.min_gpus == 0; ++n) {
    InferenceOptions o = options;
    o.tensor_parallel = n;
    if (inference_fits(model, o, gpu)) s.min_gpus = n;
  }
  // Best weight format: highest precision first, along the ladder of the chosen runtime, offering
  // only what the card runs (workload/gpus.cpp gpu_caps: fp16 where bf16 does not run, no FP8 below
  // Ada / Hopper / CDNA3).
  const GpuCaps caps = gpu.caps();
  const char* kTransformers[] = {"auto", caps.bf16 ? "bf16" : "fp16", caps.fp8 ? "fp8" : "", "int8", "nf4"};
  static const char* kLlamaCpp[] = {"gguf:Q8_0", "gguf:Q6_K", "gguf:Q5_K_M", "gguf:Q4_K_M", "gguf:Q3_K_M", "gguf:IQ3_XXS",
                                    "gguf:Q2_K", "gguf:IQ2_XXS", "gguf:IQ1_S"};
  auto try_ladder = [&](const char* const* ladder, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      if (*ladder[i] == '\0') continue;
      auto f = parse_weight_format(ladder[i]);
      if (!f) continue;
      InferenceOptions o = options;
      o.weights = f.value();
      if (inference_fits(model, o, gpu)) {
        s.best_weights = ladder[i];
        return;
      }
    }
  };
  if (options.runtime == Runtime::LlamaCpp) {
    const std::uint64_t all = model.spec.layers.size() + 1;  // the repeating layers and the output layer
    s.max_gpu_layers = static_cast<std::int64_t>(largest_fitting(1, all, [&](std::uint64_t n) {
      InferenceOptions o = options;
      o.gpu_layers = static_cast<std::int64_t>(n);
      return inference_fits(model, o, gpu);
    }));
    try_ladder(kLlamaCpp, std::size(kLlamaCpp));
  } else {
    try_ladder(kTransformers, std::size(kTransformers));
  }
  return s;
}

Result<Solves> solve_training(const Model& model, const TrainOptions& options, const Gpu& gpu, std::uint32_t gpu_count) {
  auto base = estimate_training(model, options);
  if (!base) return base.error();
  const ExplainScope quiet(false);
  Solves s;
  s.max_seq = largest_fitting(1, context_cap(model), [&](std::uint64_t q) {
    TrainOptions o = options;
    o.seq = q;
    return training_fits(model, o, gpu);
  });
  s.max_batch = largest_fitting(1, 1024, [&](std::uint64_t b) {
    TrainOptions o = options;
    o.micro_batch = b;
    return training_fits(model, o, gpu);
  });
  for (std::uint32_t n = std::max<std::uint32_t>(gpu_count, 1); n <= kMaxGpus && s.min_gpus == 0; ++n) {
    TrainOptions o = options;
    o.gpus = n;
    if (training_fits(model, o, gpu)) s.min_gpus = n;
  }
  return s;
}

namespace {

Result<std::uint64_t> total_of(const Model& m, const InferenceOptions& o) {
  auto r = estimate_inference(m, o);
  if (!r) return r.error();
  return r.value().total_bytes;
}
Result<std::uint64_t> total_of(const Model& m, const TrainOptions& o) {
  auto r = estimate_training(m, o);
  if (!r) return r.error();
  return r.value().total_bytes;
}

template <class Options, class Set>
Result<Sweep> sweep(const Model& model, const Options& options, std::uint64_t from, std::uint64_t to,
                    std::uint32_t points, const char* field, Set&& set) {
  if (from == 0 || to < from) return make_error(ErrorCode::InvalidValue, field, {Msg::error_sweep_range, {{"field", OptionRef{field}}}});
  if (points < 2 || points > 100000) return make_error(ErrorCode::InvalidValue, "points", Msg::error_sweep_points);
  const ExplainScope quiet(false);
  Sweep out;
  out.x.reserve(points);
  out.total_bytes.reserve(points);
  for (std::uint32_t i = 0; i < points; ++i) {
    const std::uint64_t x = from + (to - from) * i / (points - 1);
    Options o = options;
    set(o, x);
    auto r = total_of(model, o);
    if (!r) return r.error();
    out.x.push_back(x);
    out.total_bytes.push_back(r.value());
  }
  return out;
}

}  // namespace

Result<Sweep> sweep_context(const Model& model, const InferenceOptions& options, std::uint64_t from, std::uint64_t to,
                            std::uint32_t points) {
  return sweep(model, options, from, to, points, "context", [&](InferenceOptions& o, std::uint64_t x) {
    o.context = x;
    o.prompt = options.prompt ? std::min(options.prompt, x) : 0;
  });
}

Result<Sweep> sweep_seq(const Model& model, const TrainOptions& options, std::uint64_t from, std::uint64_t to,
                        std::uint32_t points) {
  return sweep(model, options, from, to, points, "seq", [](TrainOptions& o, std::uint64_t x) { o.seq = x; });
}

Result<Sweep> sweep_batch(const Model& model, const InferenceOptions& options, std::uint64_t from, std::uint64_t to,
                          std::uint32_t points) {
  return sweep(model, options, from, to, points, "batch", [](InferenceOptions& o, std::uint64_t x) { o.batch = x; });
}

}  // namespace vram
