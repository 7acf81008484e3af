// Property tests over every catalog model × random valid workloads. Oracle: physics, not numbers —
//   - every report is well formed: each phase total is the sum of the GPU items resident in it,
//     the total is the largest phase, cpu_bytes the sum of the offloaded items, no NaN/inf fact;
//   - monotone: more context, batch, sequence or LoRA rank never needs less memory; more GPUs under
//     ZeRO-3 never needs more per GPU; weights int4 (nf4) ≤ int8 ≤ bf16 ≤ fp32.
// Workloads come from a fixed-seed splitmix64 stream (seed kSeed below, so a failure reproduces);
// each is a key → value map parsed by vram::inference_options / train_options exactly as the CLI
// parses its flags, and a failing check prints the model and the flags.
#include <catch2/catch.hpp>

#include "test_support.hpp"

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "vram/model/catalog.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/workload/options.hpp"
#include "vram/memory/weights.hpp"

namespace {

constexpr std::uint64_t kSeed = 0x5eed'0007'badc'0ffeULL;  // issue 7; change it only on purpose

// splitmix64 (Steele, Lea, Flood 2014): one 64-bit state, identical on every platform and library,
// unlike std:: distributions.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
  bool chance(std::uint64_t percent) { return below(100) < percent; }

 private:
  std::uint64_t s_;
};

using Flags = std::map<std::string, std::string>;

std::string show(const std::string& model, const Flags& f) {
  std::ostringstream o;
  o << "--model " << model;
  for (const auto& [k, v] : f) o << " --" << k << ' ' << v;
  return o.str();
}

vram::OptionLookup lookup(const Flags& f) {
  return [&f](std::string_view key) -> std::optional<std::string> {
    auto it = f.find(std::string(key));
    if (it == f.end()) return std::nullopt;
    return it->second;
  };
}

vram::Result<vram::Report> infer(const vram::Model& m, const Flags& f) {
  auto o = vram::inference_options(lookup(f));
  REQUIRE(o.ok());  // the generator only makes valid flags
  return vram::estimate_inference(m, o.value());
}

vram::Result<vram::Report> train(const vram::Model& m, const Flags& f) {
  auto o = vram::train_options(lookup(f));
  REQUIRE(o.ok());
  return vram::estimate_training(m, o.value());
}

std::string pow2(Rng& r, unsigned lo, unsigned hi) { return std::to_string(std::uint64_t{1} << (lo + r.below(hi - lo + 1))); }

Flags random_inference(Rng& r) {
  Flags f;
  f["runtime"] = r.pick<std::string>({"transformers", "transformers", "vllm", "llama.cpp"});
  f["dtype"] = r.pick<std::string>({"auto", "bf16", "fp16", "fp32", "int8", "nf4", "fp8", "gptq-4", "awq-4", "gguf:Q4_K_M", "gguf:Q8_0"});
  const bool llama_cpp = f["runtime"] == "llama.cpp";
  // q8_0 / q4_0 are llama.cpp cache types; llama.cpp's profile is one GPU (no tp/pp).
  f["kv_dtype"] = llama_cpp ? r.pick<std::string>({"auto", "fp16", "q8_0", "q4_0"}) : r.pick<std::string>({"auto", "fp16", "fp8"});
  const bool extreme = r.chance(10);  // near the overflow guards now and then
  f["batch"] = extreme ? pow2(r, 6, 12) : pow2(r, 0, 6);
  f["context"] = extreme ? pow2(r, 17, 23) : pow2(r, 8, 17);
  if (r.chance(30)) f["prompt"] = std::to_string(1 + r.below(std::stoull(f["context"])));
  f["attn"] = r.pick<std::string>({"eager", "sdpa", "flash"});
  if (!llama_cpp && r.chance(30)) f["tp"] = pow2(r, 1, 3);
  if (!llama_cpp && r.chance(15)) f["pp"] = "2";
  if (f["runtime"] == "vllm") {
    f["gpu_memory_bytes"] = std::to_string(std::uint64_t{80} << 30);
    f["gpu_util"] = r.pick<std::string>({"0.5", "0.9", "0.95"});
  }
  if (f["runtime"] == "llama.cpp" && r.chance(40)) f["ngl"] = std::to_string(r.below(40));
  return f;
}

Flags random_training(Rng& r) {
  Flags f;
  f["method"] = r.pick<std::string>({"full", "lora", "lora", "qlora"});
  f["optimizer"] = r.pick<std::string>({"adamw", "adamw8bit", "paged_adamw8bit", "sgd", "adafactor", "lion"});
  f["precision"] = r.pick<std::string>({"amp_bf16", "mixed_bf16", "bf16", "fp32", "amp_fp16"});
  const bool extreme = r.chance(10);
  f["batch"] = extreme ? pow2(r, 4, 10) : pow2(r, 0, 4);
  f["seq"] = extreme ? pow2(r, 14, 22) : pow2(r, 7, 13);
  f["checkpointing"] = r.pick<std::string>({"none", "selective", "full"});
  f["attn"] = r.pick<std::string>({"eager", "sdpa", "flash"});
  if (f["method"] != "full") {
    f["lora_rank"] = pow2(r, 2, 8);
    f["lora_targets"] = r.pick<std::string>({"q_proj,v_proj", "attention", "all-linear"});
  }
  std::uint64_t model_parallel = 1;  // --gpus must be a multiple of tp × pp
  if (r.chance(20)) model_parallel *= std::stoull(f["tp"] = pow2(r, 1, 2));
  if (r.chance(15)) model_parallel *= std::stoull(f["pp"] = pow2(r, 1, 2));
  f["gpus"] = std::to_string(model_parallel << r.below(4));
  if (r.chance(50)) f["zero"] = std::to_string(r.below(4));
  else if (r.chance(40)) f["fsdp"] = r.pick<std::string>({"full_shard", "shard_grad_op"});
  // Optimizer offload needs ZeRO ≥ 1 or FSDP; parameter offload ZeRO-3 or FSDP full_shard.
  const bool sharded_states = (f.count("zero") && f["zero"] != "0") || f.count("fsdp");
  const bool sharded_params = (f.count("zero") && f["zero"] == "3") || (f.count("fsdp") && f["fsdp"] == "full_shard");
  if (sharded_states && r.chance(30)) f["offload_optimizer"] = "cpu";
  if (sharded_params && r.chance(30)) f["offload_params"] = "cpu";
  if (r.chance(20)) f["dropout"] = "true";
  return f;
}

// The report's own invariant (report.hpp, vram::finalize), recomputed from the items.
void check_well_formed(const vram::Report& r) {
  std::map<vram::Phase, std::uint64_t> phase;
  std::uint64_t cpu = 0;
  for (const auto& i : r.items) {
    INFO("item " << i.id);
    CHECK(i.bytes < (std::uint64_t{1} << 62));  // see kAbsurdBytes in bad_input_test.cpp
    // The formula reads as written by hand: no factor without a value ("( × 829,440", "+  × 3,240").
    const std::string explain = vram::test::explanation(i.formula);
    CHECK_FALSE(explain.empty());
    for (const char* broken : {"( ×", "×  ×", "+  ×", "× ×"}) {
      INFO(explain);
      CHECK(explain.find(broken) == std::string::npos);
    }
    if (i.cpu) cpu += i.bytes;
    else for (vram::Phase p : i.phases) phase[p] += i.bytes;
  }
  std::uint64_t peak = 0;
  for (const auto& t : r.phases) {
    CHECK(phase[t.phase] == t.bytes);
    peak = std::max(peak, t.bytes);
  }
  CHECK(r.phases.size() == phase.size());
  CHECK(r.total_bytes == peak);
  CHECK(r.total_bytes > 0);
  CHECK(r.cpu_bytes == cpu);
  for (const auto& f : r.facts) {
    INFO("fact " << f.id);
    CHECK(std::isfinite(f.value));
  }
}

// `bigger` must need at least as much memory as `base` (both must succeed to compare).
template <class Estimate>
void check_not_less(const vram::Model& m, const std::string& id, const Flags& base, const vram::Report& rb, Flags bigger,
                    Estimate&& estimate, std::size_t& compared) {
  auto rg = estimate(m, bigger);
  if (!rg) return;  // the larger workload may be refused (e.g. tp no longer divides); nothing to compare
  ++compared;
  INFO("base:   " << show(id, base) << " → " << rb.total_bytes);
  INFO("bigger: " << show(id, bigger) << " → " << rg.value().total_bytes);
  CHECK(rg.value().total_bytes >= rb.total_bytes);
  CHECK(rg.value().cpu_bytes >= rb.cpu_bytes);
}

std::string twice(const std::string& n) { return std::to_string(2 * std::stoull(n)); }

}  // namespace

TEST_CASE("properties over catalog models × random workloads", "[property]") {
  Rng rng(kSeed);
  std::size_t reports = 0, refused = 0, compared = 0;
  for (const auto& cm : vram::catalog_models()) {
    const std::string id(cm.id);
    auto loaded = vram::load_model(cm.config_json);
    REQUIRE(loaded.ok());
    const vram::Model& m = loaded.value();

    for (int k = 0; k < 10; ++k) {
      const Flags f = random_inference(rng);
      INFO(show(id, f));
      auto r = infer(m, f);
      if (!r) {  // a refused combination (format the model cannot take, tp not dividing heads …)
        CHECK_FALSE(r.error().field.empty());
        ++refused;
        continue;
      }
      ++reports;
      check_well_formed(r.value());
      Flags g = f;
      g["context"] = twice(f.at("context"));
      check_not_less(m, id, f, r.value(), g, infer, compared);
      g = f;
      g["batch"] = twice(f.at("batch"));
      check_not_less(m, id, f, r.value(), g, infer, compared);
    }

    for (int k = 0; k < 10; ++k) {
      const Flags f = random_training(rng);
      INFO(show(id, f));
      auto r = train(m, f);
      if (!r) {
        CHECK_FALSE(r.error().field.empty());
        ++refused;
        continue;
      }
      ++reports;
      check_well_formed(r.value());
      Flags g = f;
      g["seq"] = twice(f.at("seq"));
      check_not_less(m, id, f, r.value(), g, train, compared);
      g = f;
      g["batch"] = twice(f.at("batch"));
      check_not_less(m, id, f, r.value(), g, train, compared);
      // Precondition: not an 8-bit optimizer. bitsandbytes keeps tensors under 4,096 elements in
      // 32-bit state (Optimizer8bit min_8bit_size), so a rank that pushes the adapters over that size
      // lowers their state from 8 B to 2 B per parameter — real, and the one exception (found at
      // SmolLM2-135M attention adapters: rank 4 × 576 = 2,304 elements, rank 8 = 4,608).
      if (f.count("lora_rank") && f.at("optimizer").find("8bit") == std::string::npos) {
        g = f;
        g["lora_rank"] = twice(f.at("lora_rank"));
        check_not_less(m, id, f, r.value(), g, train, compared);
      }
    }
  }
  INFO(reports << " reports, " << refused << " refused, " << compared << " comparisons");
  CHECK(reports > 1000);
  CHECK(compared > 2000);
  CHECK(refused * 10 < reports);  // the generator mostly makes workloads the engine accepts
}

TEST_CASE("more GPUs under ZeRO-3 never need more memory per GPU", "[property][parallel]") {
  Rng rng(kSeed ^ 3);
  std::size_t compared = 0;
  for (const auto& cm : vram::catalog_models()) {
    const std::string id(cm.id);
    auto m = vram::load_model(cm.config_json);
    REQUIRE(m.ok());
    Flags f = random_training(rng);
    f.erase("fsdp");
    f.erase("tp");
    f.erase("pp");
    f["zero"] = "3";
    f["gpus"] = "1";
    vram::Result<vram::Report> prev = train(m.value(), f);
    for (int gpus = 2; gpus <= 64 && prev; gpus *= 2) {
      Flags g = f;
      g["gpus"] = std::to_string(gpus);
      auto r = train(m.value(), g);
      if (!r) break;
      ++compared;
      INFO(show(id, f) << " → " << prev.value().total_bytes << "; with --gpus " << gpus << " → " << r.value().total_bytes);
      CHECK(r.value().total_bytes <= prev.value().total_bytes);
      prev = std::move(r);
    }
  }
  CHECK(compared > 200);
}

TEST_CASE("weights: int4 ≤ int8 ≤ bf16 ≤ fp32 for every catalog model", "[property][weights]") {
  // nf4 is the int4 of bitsandbytes (4-bit + absmax per 64); int8 is LLM.int8() (int8 + fp32 row
  // scales). Embeddings and norms stay dense in each, so the order holds per model, not by 2×.
  for (const auto& cm : vram::catalog_models()) {
    auto m = vram::load_model(cm.config_json);
    REQUIRE(m.ok());
    std::uint64_t prev = 0;
    std::string prev_id = "none";
    for (const char* id : {"nf4", "int8", "bf16", "fp32"}) {
      auto fmt = vram::parse_weight_format(id);
      REQUIRE(fmt.ok());
      auto w = vram::weight_bytes(m.value(), fmt.value());
      REQUIRE(w.ok());
      INFO(cm.id << ": " << prev_id << " " << prev << " B, " << id << " " << w.value().total() << " B");
      CHECK(w.value().total() >= prev);
      prev = w.value().total();
      prev_id = id;
    }
  }
}
