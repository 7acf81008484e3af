// The make-it-fit advisor. No byte is computed here: every candidate is a set of option changes
// read through the option table (read_option) into a copy of the workload and evaluated by
// estimate_inference / estimate_training and fit(); the largest context, batch, sequence, -ngl and
// GPU count that fit are bisections over the same estimate (solve.hpp).
#include "vram/estimate/advise.hpp"

#include <algorithm>
#include <optional>

#include "vram/estimate/solve.hpp"
#include "vram/model/catalog.hpp"
#include "vram/memory/runtime.hpp"
#include "vram/memory/weights.hpp"
#include "vram/workload/option_table.hpp"
#include "vram/workload/options.hpp"

namespace vram {
namespace {

// A candidate before it is evaluated.
struct Candidate {
  std::vector<OptionChange> changes;
  AdviceCost cost = AdviceCost::Free;
  std::uint32_t order = 0;
  Message what;
};

template <class Options>
const std::vector<OptionDef<Options>>& table_of() {
  if constexpr (std::is_same_v<Options, InferenceOptions>) return inference_option_table();
  else return train_option_table();
}

// The options with the changes applied through the option table (its types and ranges), or none.
template <class Options>
std::optional<Options> applied(const Options& base, const std::vector<OptionChange>& changes) {
  Options o = base;
  for (const auto& c : changes) {
    const OptionDef<Options>* def = nullptr;
    for (const auto& d : table_of<Options>())
      if (d.id == c.option) def = &d;
    if (!def || read_option(*def, c.value, o)) return std::nullopt;
  }
  return o;
}

Result<Report> estimate(const Model& m, const InferenceOptions& o) { return estimate_inference(m, o); }
Result<Report> estimate(const Model& m, const TrainOptions& o) { return estimate_training(m, o); }

template <class Options>
std::optional<Advice> evaluate(const Model& m, const Options& base, const Candidate& c, const Gpu& gpu, std::uint64_t before) {
  auto o = applied(base, c.changes);
  if (!o) return std::nullopt;
  auto r = estimate(m, *o);
  if (!r) return std::nullopt;
  const Fit f = fit(r.value(), gpu);
  Advice a;
  a.changes = c.changes;
  a.cost = c.cost;
  a.order = c.order;
  a.what = c.what;
  a.total_bytes = r.value().total_bytes;
  a.saved_bytes = static_cast<std::int64_t>(before) - static_cast<std::int64_t>(a.total_bytes);
  a.cpu_bytes = r.value().cpu_bytes;
  a.gpus = r.value().gpus;
  a.fits = f.fits;
  return a;
}

bool ranks_before(const Advice& a, const Advice& b) {
  if (a.fits != b.fits) return a.fits;
  if (a.order != b.order) return a.order < b.order;
  return a.saved_bytes > b.saved_bytes;
}

std::string num(std::uint64_t v) { return std::to_string(v); }

Candidate make(std::vector<OptionChange> ch, AdviceCost cost, std::uint32_t order, Message what) {
  return Candidate{std::move(ch), cost, order, std::move(what)};
}

// Largest x in [lo, hi] for which ok(x) holds, ok monotone (true then false); nullopt if none.
template <class F>
std::optional<std::uint64_t> largest(std::uint64_t lo, std::uint64_t hi, F&& ok) {
  if (hi < lo || !ok(lo)) return std::nullopt;
  if (ok(hi)) return hi;
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    (ok(mid) ? lo : hi) = mid;
  }
  return lo;
}

// ---- weight formats ------------------------------------------------------------------------------

// Best quality first. GGUF: llama.cpp tools/quantize/quantize.cpp QUANT_OPTIONS, perplexity increase
// on Llama-3-8B (Q8_0 +0.0026, Q6_K +0.0217, Q5_K_M +0.0569, Q4_K_M +0.1754, Q3_K_M +0.6569,
// Q2_K +3.5199); the IQ types, which that table lists by bits per weight only (IQ4_XS 4.25, IQ3_XXS
// 3.06, IQ2_XXS 2.06, IQ1_S 1.56 bpw), by their bits. FP8 and LLM.int8 sit with Q8_0 (8 bits per
// weight, near lossless); 4-bit GPTQ/AWQ (group 128) with Q4_K_M and bitsandbytes NF4 after them:
// those placements are the usual reading of published comparisons, not one measured table.
const std::vector<std::string_view> kQualityOrder{
    "bf16",      "fp16",      "fp8",         "gguf:Q8_0",  "int8",      "gguf:Q6_K",    "gguf:Q5_K_M", "gptq-4",
    "awq-4",     "gguf:Q4_K_M", "nf4",       "gguf:IQ4_XS", "gguf:Q3_K_M", "gguf:IQ3_XXS", "gguf:Q2_K", "gguf:IQ2_XXS",
    "gguf:IQ1_S"};

bool is_gguf(std::string_view id) { return id.substr(0, 5) == "gguf:"; }

// The formats a runtime loads on this card, best first (hardware: no FP8 below Ada/Hopper/CDNA3, fp16
// where bf16 does not run; bitsandbytes, GPTQ and AWQ kernels on CUDA / ROCm only; vLLM not on Apple).
std::vector<std::string_view> ladder(Runtime rt, const GpuCaps& caps, std::string_view vendor) {
  std::vector<std::string_view> out;
  const bool kernels = caps.cuda || caps.rocm;
  for (std::string_view id : kQualityOrder) {
    if (rt == Runtime::LlamaCpp) {
      if (is_gguf(id)) out.push_back(id);
      continue;
    }
    if (is_gguf(id)) continue;
    if (id == "bf16" && !caps.bf16) continue;
    if (id == "fp16" && caps.bf16) continue;
    if (id == "fp8" && !caps.fp8) continue;
    if ((id == "int8" || id == "nf4" || id == "gptq-4" || id == "awq-4") && !kernels) continue;
    if (id == "int8" && rt == Runtime::Vllm) continue;  // vLLM's bitsandbytes path is 4-bit
    out.push_back(id);
  }
  if (rt == Runtime::Vllm && vendor == "apple") out.clear();
  return out;
}

// ---- inference -----------------------------------------------------------------------------------

std::vector<Candidate> inference_candidates(const Model& m, const InferenceOptions& o, const Gpu& gpu, std::uint64_t before,
                                            bool greedy) {
  const GpuCaps caps = gpu.caps();
  std::vector<Candidate> out;
  const ExplainScope quiet(false);
  const auto fits = [&](const InferenceOptions& x) {
    auto r = estimate_inference(m, x);
    return r.ok() && fit(r.value(), gpu).fits;
  };
  const std::uint64_t layers = m.spec.layers.size();

  // Attention: FlashAttention-2 where it runs (llama.cpp's own flash kernels run on every backend).
  if (o.attn != AttentionImpl::Flash && (o.runtime == Runtime::LlamaCpp || caps.flash_attn2))
    out.push_back(make({{"attn", "flash"}}, AdviceCost::Free, 1, {Msg::advice_attn, {{"value", "flash"}}}));
  else if (o.attn == AttentionImpl::Eager)
    out.push_back(make({{"attn", "sdpa"}}, AdviceCost::Free, 1, {Msg::advice_attn, {{"value", "sdpa"}}}));

  // KV cache precision (llama.cpp quantises the V cache only with flash attention on).
  std::vector<std::string_view> kvs;
  if (o.runtime == Runtime::LlamaCpp) kvs = {"q8_0", "q4_0"};
  else if (o.runtime == Runtime::Vllm && caps.fp8) kvs = {"fp8"};
  else if (o.runtime == Runtime::Transformers) kvs = {"int8"};
  for (std::string_view k : kvs) {
    if (kv_kind_id(o.kv) == k) continue;
    std::vector<OptionChange> ch{{"kv_dtype", std::string(k)}};
    if (o.runtime == Runtime::LlamaCpp && o.attn != AttentionImpl::Flash) ch.push_back({"attn", "flash"});
    out.push_back(make(std::move(ch), AdviceCost::Quality, 2, {Msg::advice_kv_dtype, {{"value", std::string(k)}}}));
  }

  // Fewer concurrent sequences, a shorter context: the largest that fits (bisection on the estimate).
  if (o.batch > 1) {
    InferenceOptions x = o;
    auto b = largest(1, o.batch - 1, [&](std::uint64_t v) {
      x.batch = v;
      return fits(x);
    });
    const std::uint64_t v = b.value_or(1);
    out.push_back(make({{"batch", num(v)}}, AdviceCost::Throughput, 3, {Msg::advice_batch, {{"value", v}}}));
  }
  if (o.context > 256) {
    InferenceOptions x = o;
    auto c = largest(256, o.context - 1, [&](std::uint64_t v) {
      x.context = v;
      x.prompt = std::min(o.prompt, v);
      return fits(x);
    });
    if (c || !greedy) {
      const std::uint64_t v = c.value_or(std::max<std::uint64_t>(256, o.context / 2));
      std::vector<OptionChange> ch{{"context", num(v)}};
      if (o.prompt > v) ch.push_back({"prompt", num(v)});
      out.push_back(make(std::move(ch), AdviceCost::Throughput, 3, {Msg::advice_context, {{"value", v}}}));
    }
  }

  // Weight formats under the current runtime and, switching, under llama.cpp: the best that fits;
  // when none does, the smallest.
  const auto weights_total = [&](const InferenceOptions& x) -> std::optional<std::uint64_t> {
    auto r = estimate_inference(m, x);
    if (!r) return std::nullopt;
    return r.value().total_bytes;
  };
  const auto walk = [&](Runtime rt, std::vector<OptionChange> base_changes, std::uint32_t order) {
    std::optional<std::string_view> best, smallest;
    std::uint64_t smallest_bytes = before;
    for (std::string_view id : ladder(rt, caps, gpu.vendor)) {
      auto ch = base_changes;
      ch.push_back({"dtype", std::string(id)});
      auto x = applied(o, ch);
      if (!x) continue;
      auto t = weights_total(*x);
      if (!t) continue;
      const bool f = fits(*x);
      if (*t >= before && !f) continue;  // vLLM: the total stays gpu_memory_utilization × the card
      if (!best && f) best = id;
      if (*t >= before) continue;
      if (*t < smallest_bytes) smallest_bytes = *t, smallest = id;
    }
    std::optional<std::string_view> pick = best ? best : smallest;
    if (!pick) return;
    // Under llama.cpp, a format that does not fit with every layer on the GPU may with some: the
    // largest -ngl that fits, the other layers in CPU RAM.
    if (!best && rt == Runtime::LlamaCpp) {
      auto ch = base_changes;
      ch.push_back({"dtype", "gguf:Q4_K_M"});
      if (auto x = applied(o, ch)) {
        InferenceOptions y = *x;
        auto n = largest(0, layers, [&](std::uint64_t v) {
          y.gpu_layers = static_cast<std::int64_t>(v);
          return fits(y);
        });
        if (n) {
          ch.push_back({"ngl", num(*n)});
          out.push_back(make(std::move(ch), AdviceCost::Speed, order + 1,
                             {Msg::advice_weights_offload, {{"value", "gguf:Q4_K_M"}, {"ngl", *n}, {"layers", layers}}}));
        }
      }
    }
    // llama.cpp's usual default, Q4_K_M, named too when it fits and the best that fits is larger.
    if (rt == Runtime::LlamaCpp && best && *best != "gguf:Q4_K_M") {
      auto ch = base_changes;
      ch.push_back({"dtype", "gguf:Q4_K_M"});
      auto x = applied(o, ch);
      auto t = x ? weights_total(*x) : std::nullopt;
      if (x && t && *t <= before && fits(*x))
        out.push_back(make(std::move(ch), AdviceCost::Quality, order,
                           {Msg::advice_weights, {{"value", "gguf:Q4_K_M"}, {"runtime", std::string(to_id(rt))}}}));
    }
    auto ch = base_changes;
    ch.push_back({"dtype", std::string(*pick)});
    out.push_back(make(std::move(ch), AdviceCost::Quality, order,
                       {Msg::advice_weights, {{"value", std::string(*pick)}, {"runtime", std::string(to_id(rt))}}}));
  };
  walk(o.runtime, {}, 4);
  if (o.runtime != Runtime::LlamaCpp && o.tensor_parallel == 1 && o.pipeline_parallel == 1) {
    // llama.cpp's cache types are f16 / q8_0 / q4_0 here: another KV dtype goes back to its default.
    std::vector<OptionChange> sw{{"runtime", "llama.cpp"}};
    if (o.kv != KvKind::Auto && o.kv != KvKind::F16 && o.kv != KvKind::Q8_0 && o.kv != KvKind::Q4_0) sw.push_back({"kv_dtype", "auto"});
    walk(Runtime::LlamaCpp, std::move(sw), 5);
  }

  // llama.cpp: the largest -ngl that fits with the current weights.
  if (o.runtime == Runtime::LlamaCpp && !fits(o)) {
    InferenceOptions y = o;
    const std::uint64_t now = o.gpu_layers < 0 ? layers + 1 : static_cast<std::uint64_t>(o.gpu_layers);
    auto n = largest(0, std::min(now, layers + 1) - (now > 0 ? 1 : 0), [&](std::uint64_t v) {
      y.gpu_layers = static_cast<std::int64_t>(v);
      return fits(y);
    });
    if (n && *n < now)
      out.push_back(make({{"ngl", num(*n)}}, AdviceCost::Speed, 6, {Msg::advice_ngl, {{"ngl", *n}, {"layers", layers}}}));
  }

  // More GPUs with tensor parallelism (not llama.cpp, not Apple unified memory).
  if (o.runtime != Runtime::LlamaCpp && gpu.vendor != "apple") {
    auto s = solve_inference(m, o, gpu, o.tensor_parallel);
    if (s && s.value().min_gpus > o.tensor_parallel)
      out.push_back(make({{"tp", num(s.value().min_gpus)}}, AdviceCost::Hardware, 7, {Msg::advice_tp, {{"value", s.value().min_gpus}}}));
  }
  return out;
}

// ---- training ------------------------------------------------------------------------------------

bool bf16_precision(Precision p) { return p == Precision::AmpBf16 || p == Precision::MixedBf16 || p == Precision::Bf16; }

// The published order of practice for training memory (the order: mixed precision, flash
// attention, batch and accumulation, context, ZeRO + offload, LoRA, QLoRA, checkpointing last).
std::vector<Candidate> training_candidates(const Model& m, const TrainOptions& o, const Gpu& gpu, bool greedy) {
  const GpuCaps caps = gpu.caps();
  const bool kernels = caps.cuda || caps.rocm;  // DeepSpeed, bitsandbytes
  std::vector<Candidate> out;
  const ExplainScope quiet(false);
  const auto fits = [&](const TrainOptions& x) {
    auto r = estimate_training(m, x);
    return r.ok() && fit(r.value(), gpu).fits;
  };

  if (o.precision == Precision::Fp32) {
    const char* p = caps.bf16 ? "amp_bf16" : "amp_fp16";
    out.push_back(make({{"precision", p}}, AdviceCost::Free, 0, {Msg::advice_precision, {{"value", p}}}));
  } else if (caps.bf16 && o.precision != Precision::Bf16 && o.method == TrainMethod::Full) {
    out.push_back(make({{"precision", "bf16"}}, AdviceCost::Quality, 5, {Msg::advice_precision, {{"value", "bf16"}}}));
  }
  if (o.attn != AttentionImpl::Flash && caps.flash_attn2)
    out.push_back(make({{"attn", "flash"}}, AdviceCost::Free, 1, {Msg::advice_attn, {{"value", "flash"}}}));

  // Micro-batch down, gradient accumulation up, the global batch kept: the largest divisor of the
  // micro-batch that fits (1 when none does).
  if (o.micro_batch > 1) {
    std::uint64_t pick = 1;
    for (std::uint64_t d = o.micro_batch - 1; d >= 1; --d) {
      if (o.micro_batch % d != 0) continue;
      TrainOptions x = o;
      x.micro_batch = d;
      x.grad_accum = o.grad_accum * (o.micro_batch / d);
      if (fits(x)) {
        pick = d;
        break;
      }
    }
    const std::uint64_t accum = o.grad_accum * (o.micro_batch / pick);
    out.push_back(make({{"batch", num(pick)}, {"grad_accum", num(accum)}}, AdviceCost::Speed, 2,
                       {Msg::advice_micro_batch, {{"value", pick}, {"accum", accum}, {"global", o.micro_batch * o.grad_accum}}}));
  }
  if (o.seq > 256) {
    TrainOptions x = o;
    auto q = largest(256, o.seq - 1, [&](std::uint64_t v) {
      x.seq = v;
      return fits(x);
    });
    if (q || !greedy) {
      const std::uint64_t v = q.value_or(std::max<std::uint64_t>(256, o.seq / 2));
      out.push_back(make({{"seq", num(v)}}, AdviceCost::Throughput, 3, {Msg::advice_seq, {{"value", v}}}));
    }
  }

  if (kernels) {
    if ((o.optimizer == Optimizer::AdamW || o.optimizer == Optimizer::Adam) && o.method == TrainMethod::Full)
      out.push_back(make({{"optimizer", "adamw8bit"}}, AdviceCost::Quality, 4, {Msg::advice_optimizer, {{"value", "adamw8bit"}}}));
    if (o.fsdp == Fsdp::None) {
      if (o.gpus > 1 && o.zero < 3) {
        // The lowest stage above the current one that fits, else stage 3.
        std::uint32_t stage = 3;
        for (std::uint32_t z = o.zero + 1; z < 3; ++z) {
          TrainOptions x = o;
          x.zero = z;
          if (fits(x)) {
            stage = z;
            break;
          }
        }
        out.push_back(make({{"zero", num(stage)}}, AdviceCost::Speed, 4, {Msg::advice_zero, {{"value", stage}}}));
      }
      if (o.offload_optimizer == Offload::None) {
        const std::uint32_t z = std::max<std::uint32_t>(o.zero, 2);
        out.push_back(make({{"zero", num(z)}, {"offload_optimizer", "cpu"}}, AdviceCost::Speed, 4, {Msg::advice_zero_offload, {{"zero", z}}}));
      }
      if (o.offload_params == Offload::None)
        out.push_back(make({{"zero", "3"}, {"offload_optimizer", "cpu"}, {"offload_params", "cpu"}}, AdviceCost::Speed, 4,
                           Msg::advice_zero_offload_params));
    }
  }
  if (o.method == TrainMethod::Full)
    out.push_back(make({{"method", "lora"}}, AdviceCost::Quality, 5, {Msg::advice_lora, {{"rank", o.lora_rank}}}));
  if (o.method != TrainMethod::Qlora && kernels)
    out.push_back(make({{"method", "qlora"}}, AdviceCost::Quality, 6, Msg::advice_qlora));
  if (o.checkpointing == Checkpointing::None)
    out.push_back(make({{"checkpointing", "selective"}}, AdviceCost::Speed, 7, {Msg::advice_checkpointing, {{"value", "selective"}}}));
  if (o.checkpointing != Checkpointing::Full)
    out.push_back(make({{"checkpointing", "full"}}, AdviceCost::Speed, 7, {Msg::advice_checkpointing, {{"value", "full"}}}));

  // More GPUs: data parallel with the chosen sharding; under plain DDP (every GPU holds everything)
  // with ZeRO-3, where DeepSpeed runs.
  if (gpu.vendor != "apple") {
    auto s = solve_training(m, o, gpu, o.gpus);
    if (s && s.value().min_gpus > o.gpus) {
      out.push_back(make({{"gpus", num(s.value().min_gpus)}}, AdviceCost::Hardware, 8, {Msg::advice_gpus, {{"value", s.value().min_gpus}}}));
    } else if (kernels && o.zero < 3 && o.fsdp == Fsdp::None) {
      TrainOptions z = o;
      z.zero = 3;
      auto s3 = solve_training(m, z, gpu, o.gpus);
      if (s3 && s3.value().min_gpus > 0)
        out.push_back(make({{"zero", "3"}, {"gpus", num(s3.value().min_gpus)}}, AdviceCost::Hardware, 8,
                           {Msg::advice_gpus_zero3, {{"value", s3.value().min_gpus}}}));
    }
  }
  return out;
}

// ---- warnings ------------------------------------------------------------------------------------

void context_warnings(const ModelDescription& spec, std::uint64_t tokens, std::string_view field, std::vector<Message>& w) {
  if (spec.max_position_embeddings == 0 || tokens <= spec.max_position_embeddings) return;
  w.push_back({Msg::warn_advise_context_beyond_positions,
               {{"field", OptionRef{field}}, {"value", tokens}, {"max", spec.max_position_embeddings}}});
  if (!spec.rope_scaling_type.empty())
    w.push_back({Msg::warn_advise_rope_scaling,
                 {{"type", spec.rope_scaling_type}, {"factor", spec.rope_scaling_factor}, {"original", spec.rope_original_max_positions},
                  {"max", spec.max_position_embeddings}}});
  else
    w.push_back(Msg::warn_advise_no_rope_scaling);
}

std::vector<Message> inference_warnings(const Model& m, const InferenceOptions& o, const Gpu& gpu) {
  std::vector<Message> w;
  const GpuCaps caps = gpu.caps();
  const Arg card("gpu", std::string(gpu.name));
  context_warnings(m.spec, o.context, "context", w);
  const WeightKind k = o.weights.kind;
  auto wb = weights_of(m, o.weights);
  const bool fp8 = k == WeightKind::Fp8 || (wb && wb.value()->bytes.format.kind == WeightKind::Fp8) || o.kv == KvKind::Fp8;
  if (fp8 && !caps.fp8) w.push_back({Msg::warn_advise_fp8_unsupported, {card}});
  if (!caps.bf16 && wb && wb.value()->bytes.compute_dtype == DType::BF16 && o.runtime != Runtime::LlamaCpp)
    w.push_back({Msg::warn_advise_bf16_unsupported, {card}});
  const bool gguf = k == WeightKind::Gguf;
  if (o.runtime == Runtime::LlamaCpp && !gguf && k != WeightKind::Auto && k != WeightKind::F32 && k != WeightKind::F16 &&
      k != WeightKind::BF16)
    w.push_back({Msg::warn_advise_llama_cpp_gguf_only, {{"value", o.weights.id}}});
  if (o.runtime == Runtime::Transformers && gguf) w.push_back(Msg::warn_advise_transformers_gguf);
  if (o.runtime == Runtime::Vllm && gguf) w.push_back(Msg::warn_advise_vllm_gguf);
  if (o.runtime == Runtime::Vllm && gpu.vendor == "apple") w.push_back(Msg::warn_advise_vllm_apple);
  const bool bnb = k == WeightKind::BnbInt8 || k == WeightKind::BnbNf4 || k == WeightKind::BnbFp4;
  if ((bnb || k == WeightKind::Gptq || k == WeightKind::Awq) && !caps.cuda && !caps.rocm)
    w.push_back({Msg::warn_advise_kernels_need_gpu, {{"value", o.weights.id}, card}});
  if (o.attn == AttentionImpl::Flash && o.runtime != Runtime::LlamaCpp && !caps.flash_attn2)
    w.push_back({Msg::warn_advise_flash_unsupported, {card}});
  if (o.runtime == Runtime::Vllm) {
    const std::uint64_t mem = o.gpu_memory_bytes ? o.gpu_memory_bytes : gpu.usable_bytes();
    const std::uint64_t seqs = vllm_default_max_num_seqs(mem);
    if (o.batch > seqs) w.push_back({Msg::warn_advise_vllm_max_num_seqs, {{"value", o.batch}, {"max", seqs}}});
  }
  return w;
}

std::vector<Message> training_warnings(const Model& m, const TrainOptions& o, const Gpu& gpu) {
  std::vector<Message> w;
  const GpuCaps caps = gpu.caps();
  const Arg card("gpu", std::string(gpu.name));
  context_warnings(m.spec, o.seq, "seq", w);
  if (bf16_precision(o.precision) && !caps.bf16) w.push_back({Msg::warn_advise_bf16_unsupported, {card}});
  if (o.base_weights.kind == WeightKind::Fp8 && !caps.fp8) w.push_back({Msg::warn_advise_fp8_unsupported, {card}});
  if (o.attn == AttentionImpl::Flash && !caps.flash_attn2) w.push_back({Msg::warn_advise_flash_unsupported, {card}});
  if (o.method == TrainMethod::Qlora && !caps.cuda && !caps.rocm) w.push_back({Msg::warn_advise_kernels_need_gpu, {{"value", "qlora"}, card}});
  return w;
}

// ---- the advisor ---------------------------------------------------------------------------------

template <class Options, class Candidates>
Result<Advisory> advise(const Model& m, const Options& requested, const Gpu& gpu, Candidates&& candidates, std::vector<Message> warnings) {
  Options options = requested;
  if (options.gpu.empty()) options.gpu = std::string(gpu.id);  // runtimes that size themselves read this card
  auto base = estimate(m, options);  // validates the options, with named errors
  if (!base) return base.error();
  const ExplainScope quiet(false);
  Advisory a;
  const Fit f = fit(base.value(), gpu);
  a.total_bytes = base.value().total_bytes;
  a.usable_bytes = f.usable_bytes;
  a.fits = f.fits;
  a.gpus = base.value().gpus;
  a.caps = gpu.caps();
  a.warnings = std::move(warnings);

  // A change is kept when it saves memory, or when it makes a workload fit that did not: vLLM claims
  // gpu_memory_utilization of the card whatever the workload, so its changes show in the verdict
  // (the KV pool holding the sequences), not in the total.
  const auto ranked = [&](const Options& o, std::uint64_t before, bool fits_before, bool greedy) {
    std::vector<Advice> out;
    for (const auto& c : candidates(m, o, gpu, before, greedy))
      if (auto x = evaluate(m, o, c, gpu, before); x && (x->saved_bytes > 0 || (x->fits && !fits_before))) out.push_back(std::move(*x));
    std::stable_sort(out.begin(), out.end(), ranks_before);
    return out;
  };
  a.changes = ranked(options, a.total_bytes, a.fits, false);

  // Greedy: the cheapest change (see the order below), applied; re-ranked from there; repeated.
  Options state = options;
  std::uint64_t now = a.total_bytes;
  bool fits_now = a.fits;
  for (int step = 0; step < 16 && !fits_now; ++step) {
    auto next = ranked(state, now, fits_now, true);
    if (next.empty()) break;
    // The combination keeps the workload's shape while it can: changes that cost throughput (a
    // shorter context or sequence, fewer sequences) come last; otherwise the order of practice,
    // a fitting change before one that does not, the larger saving first.
    std::stable_sort(next.begin(), next.end(), [](const Advice& x, const Advice& y) {
      const bool tx = x.cost == AdviceCost::Throughput, ty = y.cost == AdviceCost::Throughput;
      if (tx != ty) return ty;
      if (x.order != y.order) return x.order < y.order;
      if (x.fits != y.fits) return x.fits;
      return x.saved_bytes > y.saved_bytes;
    });
    const Advice& pick = next.front();
    auto s = applied(state, pick.changes);
    if (!s) break;
    state = *s;
    now = pick.total_bytes;
    fits_now = pick.fits;
    // Totals of a step are relative to the workload as given.
    Advice step_advice = pick;
    step_advice.saved_bytes = static_cast<std::int64_t>(a.total_bytes) - static_cast<std::int64_t>(pick.total_bytes);
    a.combination.push_back(std::move(step_advice));
  }
  // A step whose every option a later step sets again is dropped (a format superseded by a runtime
  // switch), and the kept steps are replayed so each holds the estimate after it.
  std::vector<Advice> kept;
  for (std::size_t i = 0; i < a.combination.size(); ++i) {
    bool superseded = true;
    for (const auto& c : a.combination[i].changes) {
      bool again = false;
      for (std::size_t j = i + 1; j < a.combination.size() && !again; ++j)
        for (const auto& d : a.combination[j].changes) again = again || d.option == c.option;
      superseded = superseded && again;
    }
    if (!superseded) kept.push_back(a.combination[i]);
  }
  Options replay = options;
  for (auto& step : kept) {
    auto s = applied(replay, step.changes);
    auto r = s ? estimate(m, *s) : Result<Report>(make_error(ErrorCode::InvalidValue, "advise", Msg::none));
    if (!r) {
      kept = a.combination;  // keep the steps as found
      break;
    }
    replay = *s;
    step.total_bytes = r.value().total_bytes;
    step.saved_bytes = static_cast<std::int64_t>(a.total_bytes) - static_cast<std::int64_t>(step.total_bytes);
    step.cpu_bytes = r.value().cpu_bytes;
    step.gpus = r.value().gpus;
    step.fits = fit(r.value(), gpu).fits;
  }
  a.combination = std::move(kept);
  fits_now = !a.combination.empty() && a.combination.back().fits;
  a.combination_fits = fits_now;
  return a;
}

}  // namespace

const char* to_string(AdviceCost c) noexcept {
  switch (c) {
    case AdviceCost::Free: return "free";
    case AdviceCost::Quality: return "quality";
    case AdviceCost::Speed: return "speed";
    case AdviceCost::Throughput: return "throughput";
    case AdviceCost::Hardware: return "hardware";
  }
  return "free";
}

const std::vector<std::string_view>& weight_quality_order() { return kQualityOrder; }

Result<Advisory> advise_inference(const Model& model, const InferenceOptions& options, const Gpu& gpu) {
  return advise(
      model, options, gpu,
      [](const Model& m, const InferenceOptions& o, const Gpu& g, std::uint64_t before, bool greedy) {
        return inference_candidates(m, o, g, before, greedy);
      },
      inference_warnings(model, options, gpu));
}

Result<Advisory> advise_training(const Model& model, const TrainOptions& options, const Gpu& gpu) {
  return advise(
      model, options, gpu,
      [](const Model& m, const TrainOptions& o, const Gpu& g, std::uint64_t, bool greedy) { return training_candidates(m, o, g, greedy); },
      training_warnings(model, options, gpu));
}

Result<std::vector<RunsRow>> what_runs(const Gpu& gpu, std::string_view task, std::uint32_t count) {
  const bool train = task == "lora" || task == "qlora" || task == "train";
  if (!train && task != "chat" && task != "serve")
    return make_error(ErrorCode::InvalidValue, "task", {Msg::error_option_unknown_choice,
                        {{"field", OptionRef{"task"}}, {"what", "task"}, {"value", std::string(task.substr(0, 40))},
                         {"choices", "chat, serve, lora, qlora, train"}}});
  if (count < 1 || count > 1024)
    return make_error(ErrorCode::InvalidValue, "gpus", {Msg::error_binding_count, {{"field", OptionRef{"gpus"}}}});
  std::vector<RunsRow> rows;
  for (const auto& c : catalog_models()) {
    auto m = load_model(c.config_json);
    if (!m) continue;
    if (m.value().spec.encoder_only() || m.value().spec.encoder_decoder) continue;  // chat models only
    Result<Advisory> a = make_error(ErrorCode::InvalidValue, "task", Msg::none);
    if (train) {
      TrainOptions o = train_defaults(*find_tab(task == "train" ? "training" : "finetune"));
      if (task == "qlora") o.method = TrainMethod::Qlora;
      o.gpus = count;
      a = advise_training(m.value(), o, gpu);
    } else {
      InferenceOptions o = inference_defaults(*find_tab(task == "serve" ? "serving" : "inference"));
      if (task == "serve") o.batch = 16;
      o.tensor_parallel = count;
      a = advise_inference(m.value(), o, gpu);
    }
    if (!a) continue;  // a count the model's heads do not divide, …
    const Advisory& v = a.value();
    if (!v.fits && !v.combination_fits) continue;
    // The task's shape is kept (no shorter context or sequence, no fewer sequences) and the weights
    // stay on the GPU: a partial -ngl or parameter offload "fits" any model that CPU RAM holds.
    bool reshaped = false;
    for (const auto& step : v.combination) {
      reshaped = reshaped || step.cost == AdviceCost::Throughput;
      for (const auto& ch : step.changes) {
        reshaped = reshaped || ch.option == "ngl" || ch.option == "offload_params";
        // Below 4 bits per weight (after nf4 in the quality order) is not a model one would download.
        if (ch.option == "dtype") {
          const auto at = std::find(kQualityOrder.begin(), kQualityOrder.end(), ch.value);
          const auto floor = std::find(kQualityOrder.begin(), kQualityOrder.end(), "nf4");
          reshaped = reshaped || (at != kQualityOrder.end() && at > floor);
        }
      }
    }
    if (!v.fits && reshaped) continue;
    RunsRow r;
    r.model = std::string(c.id);
    r.params = m.value().inventory.total_params;
    r.as_given = v.fits;
    if (!v.fits) r.settings = v.combination;
    r.total_bytes = v.fits ? v.total_bytes : v.combination.back().total_bytes;
    rows.push_back(std::move(r));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const RunsRow& a, const RunsRow& b) { return a.params > b.params; });
  return rows;
}

}  // namespace vram
