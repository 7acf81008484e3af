// advise.cpp: the make-it-fit advisor. Oracle: the estimate itself — every change's total must
// equal estimate_inference / estimate_training of the options with that change applied, its saving
// the difference of the two estimates, its verdict fit() of that estimate; the hardware rules come
// from the GPU catalog's capabilities (tests/workload/gpus_test.cpp states their sources).
#include <catch2/catch.hpp>

#include <algorithm>

#include "test_support.hpp"
#include "vram/estimate/advise.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/model/catalog.hpp"
#include "vram/workload/option_table.hpp"
#include "vram/workload/options.hpp"

namespace {

vram::Model catalog_model(const char* id) {
  auto m = vram::load_model(vram::find_catalog_model(id).value().config_json);
  REQUIRE(m.ok());
  return std::move(m).value();
}

template <class Options>
Options with(const Options& base, const std::vector<vram::OptionChange>& changes, const std::vector<vram::OptionDef<Options>>& table) {
  Options o = base;
  for (const auto& c : changes) {
    bool found = false;
    for (const auto& d : table)
      if (d.id == c.option) {
        REQUIRE_FALSE(vram::read_option(d, c.value, o).has_value());
        found = true;
      }
    REQUIRE(found);
  }
  return o;
}

std::string value_of(const vram::Advice& a, std::string_view option) {
  for (const auto& c : a.changes)
    if (c.option == option) return c.value;
  return "";
}

// Every ranked change and every step of the combination against two estimates.
void check_inference_savings(const vram::Model& m, const vram::InferenceOptions& given, const vram::Gpu& gpu, const vram::Advisory& a) {
  vram::InferenceOptions o = given;
  if (o.gpu.empty()) o.gpu = std::string(gpu.id);
  const auto before = vram::estimate_inference(m, o);
  REQUIRE(before.ok());
  CHECK(a.total_bytes == before.value().total_bytes);
  CHECK(a.fits == vram::fit(before.value(), gpu).fits);
  for (const auto& x : a.changes) {
    INFO(vram::test::english(x.what));
    const auto after = vram::estimate_inference(m, with(o, x.changes, vram::inference_option_table()));
    REQUIRE(after.ok());
    CHECK(x.total_bytes == after.value().total_bytes);
    CHECK(x.saved_bytes == static_cast<std::int64_t>(before.value().total_bytes) - static_cast<std::int64_t>(after.value().total_bytes));
    CHECK((x.saved_bytes > 0 || (x.fits && !a.fits)));  // saves memory, or makes it fit (vLLM)
    CHECK(x.fits == vram::fit(after.value(), gpu).fits);
    CHECK(x.cpu_bytes == after.value().cpu_bytes);
  }
  vram::InferenceOptions state = o;
  for (const auto& step : a.combination) {
    state = with(state, step.changes, vram::inference_option_table());
    const auto after = vram::estimate_inference(m, state);
    REQUIRE(after.ok());
    CHECK(step.total_bytes == after.value().total_bytes);
    CHECK(step.fits == vram::fit(after.value(), gpu).fits);
  }
  if (a.combination_fits) CHECK(a.combination.back().fits);
}

void check_training_savings(const vram::Model& m, const vram::TrainOptions& given, const vram::Gpu& gpu, const vram::Advisory& a) {
  vram::TrainOptions o = given;
  if (o.gpu.empty()) o.gpu = std::string(gpu.id);
  const auto before = vram::estimate_training(m, o);
  REQUIRE(before.ok());
  CHECK(a.total_bytes == before.value().total_bytes);
  for (const auto& x : a.changes) {
    INFO(vram::test::english(x.what));
    const auto after = vram::estimate_training(m, with(o, x.changes, vram::train_option_table()));
    REQUIRE(after.ok());
    CHECK(x.total_bytes == after.value().total_bytes);
    CHECK(x.saved_bytes == static_cast<std::int64_t>(before.value().total_bytes) - static_cast<std::int64_t>(after.value().total_bytes));
    CHECK(x.saved_bytes > 0);
    CHECK(x.fits == vram::fit(after.value(), gpu).fits);
  }
  vram::TrainOptions state = o;
  for (const auto& step : a.combination) {
    state = with(state, step.changes, vram::train_option_table());
    const auto after = vram::estimate_training(m, state);
    REQUIRE(after.ok());
    CHECK(step.total_bytes == after.value().total_bytes);
  }
}

bool offers_fp8(const vram::Advisory& a) {
  const auto fp8 = [](const vram::Advice& x) { return value_of(x, "dtype") == "fp8" || value_of(x, "kv_dtype") == "fp8"; };
  return std::any_of(a.changes.begin(), a.changes.end(), fp8) || std::any_of(a.combination.begin(), a.combination.end(), fp8);
}

}  // namespace

TEST_CASE("Llama-3.1-8B on a GTX 1060 6 GB: a 4-bit GGUF under llama.cpp fits", "[advise]") {
  // The case: bf16 under transformers needs ~16.5 GiB; a Q4_K_M GGUF (4.58 GB in
  // llama.cpp's quantize table for Llama-3-8B) with a 4k context fits 6 GiB.
  const auto m = catalog_model("meta-llama/Llama-3.1-8B-Instruct");
  const auto gpu = vram::find_gpu("gtx-1060-6gb").value();
  vram::InferenceOptions o;  // transformers, auto (bf16), context 4096, batch 1
  auto a = vram::advise_inference(m, o, gpu);
  REQUIRE(a.ok());
  const auto& v = a.value();
  CHECK_FALSE(v.fits);
  check_inference_savings(m, o, gpu, v);
  // The Q4_K_M llama.cpp run is named, fits, and is the estimate of that run.
  const auto q4 = std::find_if(v.changes.begin(), v.changes.end(), [](const vram::Advice& x) {
    return value_of(x, "runtime") == "llama.cpp" && value_of(x, "dtype") == "gguf:Q4_K_M" && value_of(x, "ngl").empty();
  });
  REQUIRE(q4 != v.changes.end());
  CHECK(q4->fits);
  CHECK(q4->total_bytes <= gpu.usable_bytes());
  CHECK(q4->cost == vram::AdviceCost::Quality);
  // Changes that fit come first.
  CHECK(v.changes.front().fits);
  // The greedy combination fits.
  CHECK(v.combination_fits);
  // Pascal: no bf16 (a warning), no FlashAttention-2 offered, no FP8.
  CHECK_FALSE(offers_fp8(v));
  for (const auto& x : v.changes) CHECK(value_of(x, "attn") != "flash");
  const auto w = vram::test::english(v.warnings);
  CHECK(std::any_of(w.begin(), w.end(), [](const std::string& s) { return s.find("does not run bf16") != std::string::npos; }));
}

TEST_CASE("the default LoRA run on an RTX 4090 is told about checkpointing and QLoRA", "[advise][train]") {
  const auto m = catalog_model("meta-llama/Llama-3.1-8B-Instruct");
  const auto gpu = vram::find_gpu("rtx-4090").value();
  const vram::TrainOptions o = vram::train_defaults(*vram::find_tab("finetune"));
  auto a = vram::advise_training(m, o, gpu);
  REQUIRE(a.ok());
  const auto& v = a.value();
  check_training_savings(m, o, gpu, v);
  const auto has = [&](std::string_view option, std::string_view value) {
    return std::any_of(v.changes.begin(), v.changes.end(), [&](const vram::Advice& x) { return value_of(x, option) == value; });
  };
  CHECK(has("checkpointing", "full"));
  CHECK(has("method", "qlora"));
  if (!v.fits) {
    CHECK(std::any_of(v.changes.begin(), v.changes.end(), [](const vram::Advice& x) { return x.fits; }));
    CHECK(v.combination_fits);
  }
  // Checkpointing costs speed, QLoRA quality.
  for (const auto& x : v.changes) {
    if (!value_of(x, "checkpointing").empty()) CHECK(x.cost == vram::AdviceCost::Speed);
    if (value_of(x, "method") == "qlora") CHECK(x.cost == vram::AdviceCost::Quality);
  }
}

TEST_CASE("no FP8 is offered on cards without it; bf16 becomes fp16 where bf16 does not run", "[advise][caps]") {
  // RTX 3060 (Ampere 8.6), Apple M2 Pro, Intel Arc A770: no FP8 tensor cores.
  for (const char* id : {"rtx-3060-12gb", "m2-pro-16gb", "arc-a770-16gb"}) {
    INFO(id);
    const auto gpu = vram::find_gpu(id).value();
    for (const char* model : {"meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-14B"}) {
      INFO(model);
      const auto m = catalog_model(model);
      for (auto rt : {vram::Runtime::Transformers, vram::Runtime::Vllm}) {
        vram::InferenceOptions o;
        o.runtime = rt;
        auto a = vram::advise_inference(m, o, gpu);
        REQUIRE(a.ok());
        CHECK_FALSE(offers_fp8(a.value()));
        check_inference_savings(m, o, gpu, a.value());
      }
      // The fit view's "best weights" follows the same rule.
      vram::InferenceOptions o;
      auto s = vram::solve_inference(m, o, gpu, 1);
      REQUIRE(s.ok());
      CHECK(s.value().best_weights != "fp8");
    }
  }
  // vLLM claims gpu_memory_utilization of the card whatever the model: a change shows in the verdict.
  {
    const auto m14 = catalog_model("Qwen/Qwen2.5-14B");
    const auto gpu = vram::find_gpu("rtx-3060-12gb").value();
    vram::InferenceOptions o;
    o.runtime = vram::Runtime::Vllm;
    auto a = vram::advise_inference(m14, o, gpu);
    REQUIRE(a.ok());
    CHECK_FALSE(a.value().fits);
    CHECK(std::any_of(a.value().changes.begin(), a.value().changes.end(), [](const vram::Advice& x) { return x.fits; }));
  }
  // On an RTX 4090 (Ada) FP8 may be offered: the rule is the card's, not a blanket ban.
  const auto m = catalog_model("Qwen/Qwen2.5-14B");
  auto a = vram::advise_inference(m, vram::InferenceOptions{}, vram::find_gpu("rtx-4090").value());
  REQUIRE(a.ok());
  CHECK(offers_fp8(a.value()));
}

TEST_CASE("each inference knob's saving is the difference of two estimates", "[advise]") {
  const auto m = catalog_model("meta-llama/Llama-3.1-8B-Instruct");
  const auto gpu = vram::find_gpu("rtx-3060-12gb").value();
  vram::InferenceOptions o;
  o.context = 32768;
  o.batch = 4;
  o.attn = vram::AttentionImpl::Eager;
  auto a = vram::advise_inference(m, o, gpu);
  REQUIRE(a.ok());
  check_inference_savings(m, o, gpu, a.value());
  const auto& v = a.value();
  const auto find = [&](std::string_view option) {
    return std::find_if(v.changes.begin(), v.changes.end(), [&](const vram::Advice& x) { return !value_of(x, option).empty(); });
  };
  // Ampere runs FlashAttention-2; the batch and context changes are the largest that fit.
  REQUIRE(find("attn") != v.changes.end());
  CHECK(value_of(*find("attn"), "attn") == "flash");
  REQUIRE(find("batch") != v.changes.end());
  REQUIRE(find("context") != v.changes.end());
  const auto ctx = std::stoull(value_of(*find("context"), "context"));
  if (find("context")->fits) {
    vram::InferenceOptions past = o;
    past.gpu = "rtx-3060-12gb";
    past.context = ctx + 1;
    auto r = vram::estimate_inference(m, past);
    REQUIRE(r.ok());
    CHECK_FALSE(vram::fit(r.value(), gpu).fits);
  }
  // llama.cpp: the largest -ngl that fits, the rest in CPU RAM.
  vram::InferenceOptions l;
  l.runtime = vram::Runtime::LlamaCpp;
  l.weights = vram::parse_weight_format("gguf:Q8_0").value();
  l.context = 8192;
  const auto m32 = catalog_model("Qwen/Qwen2.5-32B-Instruct");
  auto b = vram::advise_inference(m32, l, gpu);
  REQUIRE(b.ok());
  check_inference_savings(m32, l, gpu, b.value());
  const auto ngl = std::find_if(b.value().changes.begin(), b.value().changes.end(),
                                [](const vram::Advice& x) { return x.changes.size() == 1 && x.changes[0].option == "ngl"; });
  REQUIRE(ngl != b.value().changes.end());
  CHECK(ngl->fits);
  CHECK(ngl->cost == vram::AdviceCost::Speed);
  CHECK(ngl->cpu_bytes > 0);
  vram::InferenceOptions more = l;
  more.gpu = "rtx-3060-12gb";
  more.gpu_layers = std::stoll(value_of(*ngl, "ngl")) + 1;
  auto r = vram::estimate_inference(m32, more);
  REQUIRE(r.ok());
  CHECK_FALSE(vram::fit(r.value(), gpu).fits);
}

TEST_CASE("each training knob's saving is the difference of two estimates; micro-batch keeps the global batch", "[advise][train]") {
  const auto m = catalog_model("meta-llama/Llama-3.2-3B-Instruct");
  const auto gpu = vram::find_gpu("a100-40gb").value();
  vram::TrainOptions o;  // full fine-tune, AdamW, amp_bf16
  o.micro_batch = 8;
  o.grad_accum = 2;
  o.seq = 4096;
  o.gpus = 2;
  auto a = vram::advise_training(m, o, gpu);
  REQUIRE(a.ok());
  check_training_savings(m, o, gpu, a.value());
  for (const auto& x : a.value().changes) {
    const auto b = value_of(x, "batch");
    if (b.empty()) continue;
    CHECK(std::stoull(b) * std::stoull(value_of(x, "grad_accum")) == 16);  // 8 × 2 kept
    CHECK(x.cost == vram::AdviceCost::Speed);
  }
  const auto has = [&](std::string_view option) {
    return std::any_of(a.value().changes.begin(), a.value().changes.end(), [&](const vram::Advice& x) { return !value_of(x, option).empty(); });
  };
  CHECK(has("zero"));
  CHECK(has("checkpointing"));
  CHECK(has("method"));
  CHECK(has("optimizer"));
}

TEST_CASE("warnings: context past max_position_embeddings, formats a runtime cannot load, FP8 without FP8", "[advise][warnings]") {
  const auto m = catalog_model("meta-llama/Llama-3.1-8B-Instruct");  // 131,072 positions, rope_scaling llama3 ×8 of 8,192
  const auto gpu = vram::find_gpu("h100-sxm").value();
  vram::InferenceOptions o;
  o.context = 2097152;
  o.runtime = vram::Runtime::LlamaCpp;
  o.weights = vram::parse_weight_format("gguf:Q4_K_M").value();
  auto a = vram::advise_inference(m, o, gpu);
  REQUIRE(a.ok());
  const auto w = vram::test::english(a.value().warnings);
  const auto said = [&](const std::vector<std::string>& ws, const char* text) {
    return std::any_of(ws.begin(), ws.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
  };
  CHECK(said(w, "--context 2,097,152 is beyond the model's max_position_embeddings (131,072)"));
  CHECK(said(w, "rope_scaling llama3 (factor 8, original_max_position_embeddings 8,192)"));

  vram::InferenceOptions g;
  g.weights = vram::parse_weight_format("gguf:Q4_K_M").value();
  CHECK(said(vram::test::english(vram::advise_inference(m, g, gpu).value().warnings), "transformers dequantises a GGUF file"));
  g.runtime = vram::Runtime::Vllm;
  CHECK(said(vram::test::english(vram::advise_inference(m, g, gpu).value().warnings), "GGUF support is experimental"));
  vram::InferenceOptions n;
  n.runtime = vram::Runtime::LlamaCpp;
  n.weights = vram::parse_weight_format("nf4").value();
  CHECK(said(vram::test::english(vram::advise_inference(m, n, gpu).value().warnings), "llama.cpp loads GGUF files only"));
  vram::InferenceOptions f;
  f.weights = vram::parse_weight_format("fp8").value();
  CHECK(said(vram::test::english(vram::advise_inference(m, f, vram::find_gpu("rtx-3060-12gb").value()).value().warnings),
             "has no FP8 tensor cores"));
  CHECK_FALSE(said(vram::test::english(vram::advise_inference(m, f, gpu).value().warnings), "has no FP8 tensor cores"));
  // Within the trained positions, no context warning.
  CHECK_FALSE(said(vram::test::english(vram::advise_inference(m, vram::InferenceOptions{}, gpu).value().warnings), "max_position_embeddings"));
}

TEST_CASE("the quality order lists every format the advisor walks, 16-bit first", "[advise]") {
  const auto& q = vram::weight_quality_order();
  REQUIRE(q.size() > 10);
  CHECK(q.front() == "bf16");
  CHECK(q.back() == "gguf:IQ1_S");
  for (auto f : q) CHECK(vram::parse_weight_format(f).ok());
  // llama.cpp's perplexity table: Q8_0 < Q6_K < Q5_K_M < Q4_K_M < Q3_K_M < Q2_K (increase on Llama-3-8B).
  const auto at = [&](std::string_view f) { return std::find(q.begin(), q.end(), f) - q.begin(); };
  CHECK(at("gguf:Q8_0") < at("gguf:Q6_K"));
  CHECK(at("gguf:Q6_K") < at("gguf:Q5_K_M"));
  CHECK(at("gguf:Q5_K_M") < at("gguf:Q4_K_M"));
  CHECK(at("gguf:Q4_K_M") < at("gguf:Q3_K_M"));
  CHECK(at("gguf:Q3_K_M") < at("gguf:Q2_K"));
}

TEST_CASE("what runs on a 6, a 24 and an 80 GB card: fitting models, largest first", "[advise][what-runs]") {
  // Oracle: the advisor (each row's settings are its greedy combination, checked above against the
  // estimate); a row's total must fit the card and the list is ordered by the inventory's count.
  const auto has = [](const std::vector<vram::RunsRow>& rows, std::string_view id) {
    return std::any_of(rows.begin(), rows.end(), [&](const vram::RunsRow& r) { return r.model == id; });
  };
  for (const char* id : {"gtx-1060-6gb", "rtx-3090", "a100-80gb-sxm"}) {
    INFO(id);
    const auto gpu = vram::find_gpu(id).value();
    auto rows = vram::what_runs(gpu, "chat", 1);
    REQUIRE(rows.ok());
    REQUIRE_FALSE(rows.value().empty());
    for (std::size_t i = 0; i < rows.value().size(); ++i) {
      const auto& r = rows.value()[i];
      CHECK(r.total_bytes <= gpu.usable_bytes());
      CHECK(r.as_given == r.settings.empty());
      if (i > 0) CHECK(rows.value()[i - 1].params >= r.params);
    }
    CHECK(has(rows.value(), "meta-llama/Llama-3.1-8B-Instruct"));  // 4-bit GGUF on 6 GB (the case)
  }
  auto big = vram::what_runs(vram::find_gpu("a100-80gb-sxm").value(), "chat", 1);
  CHECK(has(big.value(), "meta-llama/Llama-3.1-70B-Instruct"));
  CHECK_FALSE(vram::what_runs(vram::find_gpu("rtx-3090").value(), "dance", 1).ok());
}
