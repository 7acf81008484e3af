// The itemised, explained result of an estimate: line items with stable ids, integer bytes and the
// formula with its substituted values; per-phase totals; peak = max over phases.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "vram/base/formula.hpp"
#include "vram/base/message.hpp"
#include "vram/base/result.hpp"

namespace vram {

// Phases of a run. An item is resident in the phases listed on it; a phase's total is the sum of
// its resident items; the estimate is the peak phase.
enum class Phase : std::uint8_t {
  Load,           // weights (and buffers) loaded, nothing running
  Prefill,        // inference: the forward pass over the prompt
  Decode,         // inference: token-by-token generation with the full KV cache
  Forward,        // training: forward pass, activations being saved
  Backward,       // training: backward pass, gradients being produced
  OptimizerStep,  // training: the optimiser update
};

[[nodiscard]] const char* to_string(Phase phase) noexcept;

// The phases an item is held in, each at most once, stored inline: estimates build thousands of
// items in sweeps and solves, so no allocation per item.
class PhaseSet {
 public:
  PhaseSet() = default;
  PhaseSet(std::initializer_list<Phase> phases) {  // NOLINT(google-explicit-constructor)
    for (Phase p : phases) add(p);
  }
  // Kept in phase order (load → optimizer step), whatever the insertion order.
  void add(Phase p) {
    if (contains(p) || n_ == items_.size()) return;
    std::uint8_t i = n_++;
    for (; i > 0 && items_[i - 1] > p; --i) items_[i] = items_[i - 1];
    items_[i] = p;
  }
  [[nodiscard]] bool contains(Phase p) const {
    for (std::uint8_t i = 0; i < n_; ++i)
      if (items_[i] == p) return true;
    return false;
  }
  [[nodiscard]] const Phase* begin() const { return items_.data(); }
  [[nodiscard]] const Phase* end() const { return items_.data() + n_; }
  [[nodiscard]] std::size_t size() const { return n_; }
  [[nodiscard]] bool empty() const { return n_ == 0; }

 private:
  std::array<Phase, 6> items_{};
  std::uint8_t n_ = 0;
};

struct LineItem {
  std::string id;            // stable id: weights, quant_metadata, kv_cache, activations, logits, …
  std::uint64_t bytes = 0;   // per GPU when several GPUs are used
  Q formula;                 // value == bytes; its expression when explaining (base/formula.hpp)
  Message source;            // where the formula comes from ("vLLM CacheConfig block_size 16", a paper, …)
  PhaseSet phases;           // phases during which the bytes are held
  bool approximate = false;  // modelled estimate, not an exact allocation
  bool cpu = false;          // held in CPU RAM (offload), not on the GPU
};

struct PhaseTotal {
  Phase phase = Phase::Load;
  std::uint64_t bytes = 0;
};

// Facts that are not memory items but come out of the same model (vLLM KV pool capacity, …).
struct Fact {
  std::string id;       // "kv_pool_tokens", "max_concurrent_sequences", "trainable_params", …
  double value = 0;
  Q formula;            // how the value was computed, when it is a formula
  Message note;         // what it means
  bool bytes = false;   // the value is a byte count
};

struct Report {
  std::vector<LineItem> items;
  std::vector<PhaseTotal> phases;
  Phase peak_phase = Phase::Load;
  std::uint64_t total_bytes = 0;    // GPU bytes at the peak phase, per GPU
  std::uint32_t gpus = 1;
  std::uint64_t cpu_bytes = 0;      // CPU RAM for offloaded items
  std::vector<Fact> facts;
  std::vector<Message> warnings;
  bool approximate = false;
  std::vector<Message> approximate_reasons;

  [[nodiscard]] const LineItem* find(std::string_view id) const {
    for (const auto& i : items)
      if (i.id == id) return &i;
    return nullptr;
  }
  [[nodiscard]] std::uint64_t bytes_of(std::string_view id) const {
    const LineItem* i = find(id);
    return i ? i->bytes : 0;
  }
  [[nodiscard]] const Fact* fact(std::string_view id) const {
    for (const auto& f : facts)
      if (f.id == id) return &f;
    return nullptr;
  }
};

// Adds items and facts to a report; every quantity is checked, and the first that overflowed
// (a product of inputs above 2^62) becomes the estimate's error, naming the field it is blamed on.
class ReportBuilder {
 public:
  explicit ReportBuilder(Report& r) : r_(r) {}
  LineItem& add(std::string id, const Q& bytes, Message source, PhaseSet phases, bool approximate = false, bool cpu = false);
  void fact(std::string id, const Q& value, Message note = {}, bool bytes = false);
  void fact(std::string id, double value, Message note = {});
  void warn(Message m) { r_.warnings.push_back(std::move(m)); }
  // Checks a quantity that is not an item (a bound, an intermediate).
  void check(const Q& q);
  [[nodiscard]] const std::optional<Error>& error() const { return error_; }
  // Phases, peak and totals (finalize); a phase above 2^62 bytes is an overflow blamed on the
  // field of its largest item. Returns the first error met while building.
  [[nodiscard]] std::optional<Error> finish();
  [[nodiscard]] Report& report() { return r_; }

 private:
  Report& r_;
  std::optional<Error> error_;
};

// Computes phases, peak, total and cpu_bytes from the items (composition code calls it last).
void finalize(Report& report);

}  // namespace vram
