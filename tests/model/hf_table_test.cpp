// hf_table.cpp: the Hugging Face Model Memory Calculator table (accelerate estimate-memory).
#include <catch2/catch.hpp>

#include <string>

#include "test_support.hpp"
#include "vram/model/hf_table.hpp"

namespace {

vram::Model bert_base_cased() {
  // bert-base-cased = bert-base-uncased's config with vocab_size 28996.
  std::string cfg = vram::test::read_repo_file("engine/catalog/models/google-bert--bert-base-uncased.json");
  const auto at = cfg.find("30522");
  REQUIRE(at != std::string::npos);
  cfg.replace(at, 5, "28996");
  auto m = vram::load_model(cfg);
  REQUIRE(m.ok());
  return m.value();
}

}  // namespace

TEST_CASE("convert_bytes prints like accelerate", "[hf_table]") {
  // accelerate utils/other.py convert_bytes: /1024 steps, round(x, 2), Python float repr.
  CHECK(vram::hf_convert_bytes(433249280.0) == "413.18 MB");
  CHECK(vram::hf_convert_bytes(9437184.0) == "9.0 MB");       // timm resnet50 largest layer "9.0 MB"
  CHECK(vram::hf_convert_bytes(512.0) == "512.0 bytes");
  CHECK(vram::hf_convert_bytes(1732997120.0) == "1.61 GB");
  CHECK(vram::hf_convert_bytes(1024.0 * 1024 * 1024 * 1024 * 1024 * 3) == "3.0 PB");
}

TEST_CASE("bert-base-cased sizes from the accelerate docs", "[hf_table]") {
  // Oracle: accelerate docs usage_guides/model_size_estimator.md (oracles.md §2.1): Total Size
  // 413.18 MB / 206.59 MB / 103.29 MB / 51.65 MB; Training using Adam fp32 1.61 GB, fp16 826.36 MB.
  // Exact (printed strings). Not reproducible: the doc's largest layer 84.95 MB (transformers 4.57
  // makes BertEmbeddings a no-split unit: 86.47 MB) and its int8/int4 training figures (printed
  // by accelerate before PR #2581; current code prints N/A).
  const auto rows = vram::hf_table(bert_base_cased());
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].dtype == "float32");
  CHECK(rows[1].dtype == "float16/bfloat16");
  CHECK(vram::hf_convert_bytes(rows[0].total_bytes_exact) == "413.18 MB");
  CHECK(vram::hf_convert_bytes(rows[1].total_bytes_exact) == "206.59 MB");
  CHECK(vram::hf_convert_bytes(rows[2].total_bytes_exact) == "103.29 MB");
  CHECK(vram::hf_convert_bytes(rows[3].total_bytes_exact) == "51.65 MB");
  CHECK(vram::hf_convert_bytes(static_cast<double>(rows[0].training_peak_bytes)) == "1.61 GB");
  CHECK(vram::hf_convert_bytes(static_cast<double>(rows[1].training_peak_bytes)) == "826.36 MB");
  CHECK_FALSE(rows[2].training_available);
  CHECK_FALSE(rows[3].training_available);
}

TEST_CASE("training stages follow estimate_training_usage", "[hf_table]") {
  // transformers 4.57 LlamaModel for Llama-2-7b-hf: total_bytes_fp32 26,429,374,720, largest
  // layer 809,533,440 (tests/data/reference_params.json). Stages: fp32 S, S, 2S, 4S; fp16 S,
  // S + S//2, 2S, 2S. Exact.
  auto m = vram::load_model(vram::test::read_repo_file("engine/catalog/models/meta-llama--Llama-2-7b-hf.json"));
  REQUIRE(m.ok());
  const auto rows = vram::hf_table(m.value());
  const std::uint64_t s = 26429374720ULL;
  CHECK(rows[0].total_bytes == s);
  CHECK(rows[1].total_bytes == s / 2);
  CHECK(rows[3].largest_layer_bytes == 809533440ULL / 8);
  CHECK(rows[0].stage_step == 4 * s);
  CHECK(rows[0].training_peak_bytes == 4 * s);
  CHECK(rows[1].stage_model == s);
  CHECK(rows[1].stage_gradients == s + s / 2);
  CHECK(rows[1].stage_optimizer == 2 * s);
  CHECK(rows[1].training_peak_bytes == 2 * s);
  // Odd sizes: integer division in `bytes // 2`, true division for the table.
  CHECK(vram::hf_training_usage(7, "float16").gradients == 10);
  CHECK(vram::hf_training_usage(7, "bfloat16").available);
  CHECK_FALSE(vram::hf_training_usage(7, "int8").available);
}
