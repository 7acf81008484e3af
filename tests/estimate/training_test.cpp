// training.cpp: composition, validation, and accuracy against measured training memory. Measured
// oracles are compared with stated tolerances; the engine has no per-case constants.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "test_support.hpp"
#include "vram/estimate/estimate.hpp"
#include "vram/estimate/solve.hpp"
#include "vram/memory/weights.hpp"

namespace {

vram::Model llama3b() {
  auto m = vram::load_model(vram::test::read_repo_file("engine/catalog/models/meta-llama--Llama-3.2-3B.json"));
  REQUIRE(m.ok());
  return std::move(m).value();
}
vram::Report run(const vram::Model& m, const vram::TrainOptions& o) {
  auto r = vram::estimate_training(m, o);
  if (!r.ok()) FAIL(vram::test::english(r.error()));
  return std::move(r).value();
}
double rel(std::uint64_t got, double want) { return (static_cast<double>(got) - want) / want; }

// PEFT method_comparison setup (oracles.md §3.1): bf16 weights, no AMP, batch 4, longest batch 768
// tokens, AdamW (torch foreach), no checkpointing; max_memory_reserved excludes the CUDA context.
vram::TrainOptions peft_setup() {
  vram::TrainOptions o;
  o.precision = vram::Precision::Bf16;
  o.micro_batch = 4;
  o.seq = 768;
  o.overhead_bytes = 0;
  return o;
}

}  // namespace

TEST_CASE("PEFT L40S Llama-3.2-3B measured peaks", "[training][oracle]") {
  // We compare our training-step peak with accelerator_memory_max (torch max_memory_reserved over the
  // run). The run also does eval generation (batch 50, KV cache) inside the window, so the measured
  // peak may come from generation, and reserved includes allocator caching: tolerance ±12%.
  const auto m = llama3b();
  auto o = peft_setup();
  const auto full = run(m, o);
  INFO("full FT: " << full.total_bytes << " vs 38,868,615,168 → " << rel(full.total_bytes, 38868615168.0));
  CHECK(std::abs(rel(full.total_bytes, 38868615168.0)) < 0.12);  // measured +8.9%
  o.method = vram::TrainMethod::Lora;
  o.lora_rank = 32;
  const auto lora = run(m, o);
  INFO("LoRA r32: " << lora.total_bytes << " → " << rel(lora.total_bytes, 22292725760.0));
  CHECK(std::abs(rel(lora.total_bytes, 22292725760.0)) < 0.12);  // measured −2.4%
  o.lora_rank = 64;
  CHECK(std::abs(rel(run(m, o).total_bytes, 22552772608.0)) < 0.12);  // −2.8%
  o.lora_rank = 10;
  o.lora_targets = "gate_proj,up_proj,down_proj";
  CHECK(std::abs(rel(run(m, o).total_bytes, 24698159104.0)) < 0.12);  // +5.2%
  o.lora_rank = 32;
  o.lora_targets = "q_proj,v_proj";
  o.dora = true;
  CHECK(std::abs(rel(run(m, o).total_bytes, 24532484096.0)) < 0.12);  // −2.7%
  // Ordering the measurements show: full ≫ MLP LoRA > DoRA > LoRA r64 > LoRA r32.
  CHECK(full.total_bytes > lora.total_bytes);
}

TEST_CASE("torchtune Llama-3.2-3B full single device, packed 4096 × 2", "[training][oracle]") {
  // torchtune README (oracles.md §3.5): +Packed dataset row = 60.0 GiB peak active, bf16, batch 2,
  // seq 4096, AdamW, no compile / chunked CE / checkpointing. The Baseline row (25.5) is unpacked
  // (variable short sequences) and the later rows need compile + chunked cross-entropy, which we
  // do not model, so only this row is compared. Tolerance ±12%; measured +8.7%.
  const auto m = llama3b();
  vram::TrainOptions o;
  o.precision = vram::Precision::Bf16;
  o.micro_batch = 2;
  o.seq = 4096;
  o.overhead_bytes = 0;
  const auto r = run(m, o);
  INFO(static_cast<double>(r.total_bytes) / 1073741824.0 << " GiB vs 60.0");
  CHECK(std::abs(static_cast<double>(r.total_bytes) / 1073741824.0 / 60.0 - 1.0) < 0.12);
  // Activation checkpointing must reduce the estimate (torchtune: −18 GiB incl. chunked CE).
  o.checkpointing = vram::Checkpointing::Full;
  CHECK(run(m, o).total_bytes < r.total_bytes);
}

TEST_CASE("bert-large Trainer walkthrough (fp32, batch 4, seq 512, AdamW)", "[training][oracle]") {
  // transformers model_memory_anatomy.md (oracles.md §3.4): 14949 MB nvidia-smi, incl. 1343 MB CUDA
  // context. The run used eager attention (the doc predates SDPA) with dropout 0.1. nvidia-smi adds the
  // caching allocator's reserve: tolerance ±15%; measured −12.4%.
  auto m = vram::load_model(R"({"model_type":"bert","architectures":["BertForSequenceClassification"],"vocab_size":30522,
    "hidden_size":1024,"intermediate_size":4096,"num_hidden_layers":24,"num_attention_heads":16,
    "max_position_embeddings":512,"type_vocab_size":2,"hidden_act":"gelu"})");
  REQUIRE(m.ok());
  vram::TrainOptions o;
  o.precision = vram::Precision::Fp32;
  o.micro_batch = 4;
  o.seq = 512;
  o.dropout = true;
  o.attn = vram::AttentionImpl::Eager;
  const auto r = run(m.value(), o);
  CHECK(r.bytes_of("runtime_overhead") == 1343ull << 20);
  INFO(static_cast<double>(r.total_bytes) / 1048576.0 << " MiB vs 14949");
  CHECK(std::abs(static_cast<double>(r.total_bytes) / 1048576.0 / 14949.0 - 1.0) < 0.15);
}

TEST_CASE("items, phases and precision modes", "[training]") {
  const auto m = llama3b();
  vram::TrainOptions o;  // amp_bf16, AdamW, 1 × 2048
  const auto amp = run(m, o);
  const std::uint64_t P = m.inventory.total_params;
  CHECK(amp.bytes_of("weights") == P * 4);
  CHECK(amp.bytes_of("gradients") == P * 4);
  CHECK(amp.bytes_of("optimizer_states") == P * 8);
  CHECK(amp.bytes_of("autocast_weight_copies") > 0);
  CHECK(amp.find("master_weights") == nullptr);
  o.precision = vram::Precision::MixedBf16;
  const auto mixed = run(m, o);
  CHECK(mixed.bytes_of("weights") == P * 2);
  CHECK(mixed.bytes_of("gradients") == P * 2);
  CHECK(mixed.bytes_of("master_weights") == P * 4);
  // Gradient accumulation keeps the gradient buffer through the forward.
  o.grad_accum = 4;
  const auto acc = run(m, o);
  const auto* g = acc.find("gradients");
  REQUIRE(g != nullptr);
  CHECK(std::find(g->phases.begin(), g->phases.end(), vram::Phase::Forward) != g->phases.end());
  CHECK(acc.bytes_of("activations") == mixed.bytes_of("activations"));  // per micro-batch
  for (const auto& i : acc.items) {
    CHECK_FALSE(vram::test::explanation(i.formula).empty());
  }
}

TEST_CASE("ZeRO stages and offload shard per GPU", "[training][parallel]") {
  const auto m = llama3b();
  vram::TrainOptions o;
  o.precision = vram::Precision::MixedBf16;
  o.gpus = 8;
  const std::uint64_t P = m.inventory.total_params;
  const auto ddp = run(m, o);
  o.zero = 1;
  const auto z1 = run(m, o);
  CHECK(z1.bytes_of("optimizer_states") == (P * 8 + 7) / 8);
  CHECK(z1.bytes_of("gradients") == ddp.bytes_of("gradients"));
  o.zero = 2;
  const auto z2 = run(m, o);
  CHECK(z2.bytes_of("gradients") == (P * 2 + 7) / 8);
  o.zero = 3;
  const auto z3 = run(m, o);
  CHECK(z3.bytes_of("weights") == (P * 2 + 7) / 8);
  CHECK(z3.bytes_of("zero3_gather_buffer") > 0);
  CHECK(z3.total_bytes < z2.total_bytes);
  o.offload_optimizer = vram::Offload::Cpu;
  const auto off = run(m, o);
  CHECK(off.cpu_bytes > 0);
  CHECK(off.find("optimizer_states")->cpu);
  // DeepSpeed compatibility view is reported as facts.
  bool has_fact = false;
  for (const auto& f : off.facts) has_fact = has_fact || f.id == "deepspeed_zero3_gpu_bytes";
  CHECK(has_fact);
}

TEST_CASE("option validation names the CLI flag", "[training][errors]") {
  const auto m = llama3b();
  auto field = [&](const vram::TrainOptions& o) {
    auto r = vram::estimate_training(m, o);
    REQUIRE_FALSE(r.ok());
    return r.error().field;
  };
  vram::TrainOptions o;
  o.micro_batch = 0;
  CHECK(field(o) == "batch");
  o = {};
  o.seq = 0;
  CHECK(field(o) == "seq");
  o = {};
  o.method = vram::TrainMethod::Qlora;
  o.lora_rank = 0;
  CHECK(field(o) == "lora_rank");
  o = {};
  o.method = vram::TrainMethod::Lora;
  o.lora_targets = "";
  CHECK(field(o) == "lora_targets");
  o = {};
  o.zero = 5;
  CHECK(field(o) == "zero");
  o = {};
  o.gpus = 0;
  CHECK(field(o) == "gpus");
  o = {};
  o.gpus = 2;
  o.tensor_parallel = 7;
  CHECK(field(o) == "tp");
  o = {};
  o.pipeline_parallel = 100;
  CHECK(field(o) == "pp");
  o = {};
  o.base_weights = vram::parse_weight_format("nf4").value();
  CHECK(field(o) == "method");  // cannot fully fine-tune int4 weights
}

TEST_CASE("QLoRA uses nf4 with double quantisation from the weights API", "[training][qlora]") {
  const auto m = llama3b();
  vram::TrainOptions o;
  o.method = vram::TrainMethod::Qlora;
  o.lora_rank = 8;
  const auto wb = vram::weight_bytes(m, vram::parse_weight_format("nf4-dq").value());
  auto r = vram::estimate_training(m, o);
  if (!wb.ok()) {  // quantised formats land from the weights branch; until then the error propagates
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().field == wb.error().field);
    return;
  }
  REQUIRE(r.ok());
  CHECK(r.value().bytes_of("weights") == wb.value().weights);
  CHECK(r.value().bytes_of("quant_metadata") == wb.value().quant_metadata);
  CHECK(r.value().bytes_of("dequant_temporaries") == 3072ull * 8192 * 2);  // largest Linear (MLP) in bf16
}

TEST_CASE("QLoRA max trainable context vs Unsloth's Hugging Face + FA2 measurements", "[training][qlora][solve]") {
  // Oracle: unslothai/unsloth@0acd1c7 README "Context length benchmarks" (shared/research/oracles.md
  // §3.6): Llama 3.1 8B Instruct, 4-bit QLoRA on q,k,v,o,gate,up,down, rank 32, batch 1, HF + FA2
  // column — max context 2,551 (16 GB), 5,789 (24 GB), 12,264 (40 GB), 28,454 (80 GB).
  // Assumed setup (not stated there): gradient checkpointing on, PEFT prepare_model_for_kbit_training.
  // Measured error when written: +12.5 % / +15.0 % / +14.6 % / +16.7 % (we allow a little more
  // context than was measured: per token we model ~2.2 MB against their ~2.5 MB, the loss/logits
  // copies of 4.57 being the likely gap). Tolerance ±20 %.
  auto m = vram::load_model(vram::test::read_repo_file("engine/catalog/models/meta-llama--Llama-3.1-8B-Instruct.json"));
  REQUIRE(m.ok());
  vram::TrainOptions o;
  o.method = vram::TrainMethod::Qlora;
  o.lora_rank = 32;
  o.lora_targets = "all-linear";
  o.micro_batch = 1;
  o.checkpointing = vram::Checkpointing::Full;
  o.attn = vram::AttentionImpl::Flash;
  const std::pair<const char*, double> cases[] = {
      {"rtx-4060-ti-16gb", 2551}, {"rtx-4090", 5789}, {"a100-40gb", 12264}, {"a100-80gb-sxm", 28454}};
  for (const auto& [gpu, measured] : cases) {
    INFO(gpu);
    auto s = vram::solve_training(m.value(), o, vram::find_gpu(gpu).value(), 1);
    REQUIRE(s.ok());
    CHECK(static_cast<double>(s.value().max_seq) == Approx(measured).epsilon(0.20));
  }
}
