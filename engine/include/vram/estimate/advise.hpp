// The make-it-fit advisor: from a model, a workload and a card, the single changes of the option
// table that save memory, each evaluated by the estimate itself (no second formula: a change's
// saving is the difference of two estimates), ranked; the warnings a change of plan needs (context
// past the trained positions, a format the runtime cannot load, FP8 or bf16 on a card without it);
// and a greedy combination of the ranked changes that fits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vram/base/message.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/estimate/fit.hpp"
#include "vram/workload/gpus.hpp"

namespace vram {

// What a change costs besides memory.
enum class AdviceCost : std::uint8_t {
  Free,        // nothing measurable (a fused attention kernel, mixed precision)
  Quality,     // weight / KV / optimizer-state precision, adapters instead of full weights
  Speed,       // recomputation, CPU offload, more gradient-accumulation steps
  Throughput,  // fewer concurrent sequences, a shorter context or sequence
  Hardware,    // more GPUs
};
[[nodiscard]] const char* to_string(AdviceCost c) noexcept;

// One option set to a value, as the option table spells both (the page applies it as a knob).
struct OptionChange {
  std::string option;  // option id: "dtype", "runtime", "ngl", "checkpointing" …
  std::string value;   // its text: "gguf:Q4_K_M", "llama.cpp", "27", "full" …
};

struct Advice {
  std::vector<OptionChange> changes;  // one knob, or a knob with the options it needs (runtime + dtype)
  AdviceCost cost = AdviceCost::Free;
  std::uint32_t order = 0;            // place in the published order of practice (lower = tried first)
  Message what;                       // the change in words
  std::uint64_t total_bytes = 0;      // per GPU after the change (the estimate's peak)
  std::int64_t saved_bytes = 0;       // per GPU: the estimate before minus the estimate after
  std::uint64_t cpu_bytes = 0;        // CPU RAM after the change (offloaded items)
  std::uint32_t gpus = 1;
  bool fits = false;
};

struct Advisory {
  std::uint64_t total_bytes = 0;   // the workload as given, per GPU
  std::uint64_t usable_bytes = 0;  // per GPU
  bool fits = false;
  std::uint32_t gpus = 1;
  GpuCaps caps;
  // Ranked: changes that make it fit first, then by the order of practice, then by saving.
  std::vector<Advice> changes;
  // The greedy combination: from the workload, apply the cheapest change — throughput-costing ones
  // (shorter context, fewer sequences) last, then the order of practice, a fitting one first —
  // re-rank from there, repeat until it fits or nothing saves memory. Each step holds the totals
  // after it. A heuristic: not guaranteed to be the cheapest combination.
  std::vector<Advice> combination;
  bool combination_fits = false;
  std::vector<Message> warnings;
};

// `gpu` is the card (the workload's tp × pp GPUs for inference, its gpus for training).
[[nodiscard]] Result<Advisory> advise_inference(const Model& model, const InferenceOptions& options, const Gpu& gpu);
[[nodiscard]] Result<Advisory> advise_training(const Model& model, const TrainOptions& options, const Gpu& gpu);

// "What runs on my card": every catalog model for a task on `count` GPUs of a kind, the ones that
// fit (as the task's defaults give them, or with the advisor's greedy combination), largest first.
// Tasks: chat (inference, the inference tab's defaults), serve (vLLM, 16 concurrent sequences),
// lora, qlora (the fine-tune tab with that method), train (full training defaults). Combinations
// that shorten the context / sequence or batch, or offload layers (-ngl) or parameters to CPU RAM,
// or go below 4 bits per weight, are left out: the task is the reader's, and offloading "fits" any
// model CPU RAM holds.
struct RunsRow {
  std::string model;                // catalog id
  std::uint64_t params = 0;         // the inventory's total
  bool as_given = false;            // fits with the task's defaults
  std::vector<Advice> settings;     // else the combination that makes it fit
  std::uint64_t total_bytes = 0;    // per GPU, with those settings
};
[[nodiscard]] Result<std::vector<RunsRow>> what_runs(const Gpu& gpu, std::string_view task, std::uint32_t count);

// Weight format ids, best quality first (the order the advisor walks; source in advise.cpp).
[[nodiscard]] const std::vector<std::string_view>& weight_quality_order();

}  // namespace vram
