// weights.cpp: storage bytes per format. Oracles are public checkpoint sizes and llama.cpp's own
// quantize table; the other cases are the storage layouts written out by hand next to the check.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "test_support.hpp"
#include "vram/model/model.hpp"
#include "vram/memory/weights.hpp"

namespace {

vram::Model catalog_model(const std::string& file) {
  auto m = vram::load_model(vram::test::read_repo_file("engine/catalog/models/" + file));
  REQUIRE(m.ok());
  return m.value();
}

vram::WeightBytes bytes_of(const vram::Model& m, const std::string& id) {
  auto f = vram::parse_weight_format(id);
  REQUIRE(f.ok());
  auto w = vram::weight_bytes(m, f.value());
  REQUIRE(w.ok());
  return w.value();
}

constexpr double kGiB = 1073741824.0;

}  // namespace

TEST_CASE("bnb LLM.int8 Llama-3.1-8B-Instruct matches the saved checkpoint byte for byte", "[weights][bnb]") {
  // Oracle: jeevanchaps/Meta-Llama3.1-8B-Instruct-assessment model.safetensors.index.json
  // total_size 9,086,705,888 (oracles.md §1): int8 linears 6,979,321,856 + bf16 embed/lm_head
  // 2,101,346,304 + bf16 norms 532,480 + SCB 5,505,024 + weight_format 224. Exact.
  const auto m = catalog_model("meta-llama--Llama-3.1-8B-Instruct.json");
  const auto w = bytes_of(m, "int8");
  CHECK(w.total() == 9086705888ULL);
  CHECK(w.weights == 6979321856ULL + 2101346304ULL + 532480ULL);
  CHECK(w.quant_metadata == 5505024ULL + 224ULL);
  CHECK(w.quantized_params == 6979321856ULL);
  CHECK(w.dense_dtype == vram::DType::BF16);
}

TEST_CASE("AWQ GEMM Llama-2-7B from its quantization_config", "[weights][awq]") {
  // quantization_config: awq, bits 4, group_size 128, zero_point, gemm; torch_dtype float16.
  // 32 layers × (4·4096² + 3·4096·11008) = 6,476,005,376 quantised params:
  // qweight ½ B each, scales fp16 per 128 inputs (n/64 B), qzeros int32 per 128×8 (n/256 B);
  // embed_tokens + lm_head 2·32000·4096 and 65 RMSNorms of 4096 stay fp16. Exact formula.
  const auto m = catalog_model("quant-awq--TheBloke--Llama-2-7B-AWQ.json");
  const auto f = vram::resolve_weight_format(m, vram::WeightFormat{});
  CHECK(f.kind == vram::WeightKind::Awq);
  CHECK(f.group_size == 128);
  const auto w = bytes_of(m, "auto");
  const std::uint64_t q = 6476005376ULL;
  CHECK(w.quantized_params == q);
  CHECK(w.weights == q / 2 + 2 * 32000ULL * 4096 * 2 + 65ULL * 4096 * 2);
  CHECK(w.quant_metadata == q / 64 + q / 256);
  CHECK(w.total() == 3889307648ULL);
}

TEST_CASE("gpt-oss-120b MXFP4 checkpoint size", "[weights][mxfp4]") {
  // Oracle: 120b checkpoint 60.8 GiB (oracles.md §1, secondary sources quoting the model card).
  // Tolerance ±0.1 GiB: the figure has one decimal and comes second-hand. Experts: 36 layers ×
  // 128 × (5760·2880 + 2880·2880) params at 17 B per 32 (16 B e2m1 + 1 B e8m0 scale); the rest bf16.
  const auto m = catalog_model("openai--gpt-oss-120b.json");
  const auto w = bytes_of(m, "auto");
  CHECK(w.format.kind == vram::WeightKind::Mxfp4);
  const std::uint64_t experts = 36ULL * 128 * (5760ULL * 2880 + 2880ULL * 2880);
  CHECK(w.quantized_params == experts);
  CHECK(w.weights == experts / 2 + (m.inventory.total_params - experts) * 2);
  CHECK(w.quant_metadata == experts / 32);
  CHECK(std::fabs(static_cast<double>(w.total()) / kGiB - 60.8) < 0.1);
}

TEST_CASE("bitsandbytes nf4 + double quant (aiknight87 Llama-2-7b save)", "[weights][bnb]") {
  // Per Linear [out, in] (QuantState.as_dict(packed=True)): weight uint8 n/2, absmax uint8 n/64,
  // nested_absmax fp32 per 256 blocks, nested_quant_map 256 fp32, quant_map 16 fp32, and the
  // quant_state JSON. Overhead of absmax + nested absmax = 8/64 + 32/(64·256) = 0.127 bit/param
  // (QLoRA paper, oracles.md §2.5). Everything except the JSON length is exact.
  const auto m = catalog_model("quant-bnb4bit--aiknight87--llama-2-7b-hf-new1.json");
  const auto w = bytes_of(m, "auto");
  CHECK(w.format.kind == vram::WeightKind::BnbNf4);
  CHECK(w.format.double_quant);
  CHECK(w.compute_dtype == vram::DType::BF16);  // bnb_4bit_compute_dtype
  CHECK(w.dense_dtype == vram::DType::F16);     // torch_dtype float16
  const std::uint64_t q = 6476005376ULL, linears = 32 * 7;
  CHECK(w.quantized_params == q);
  CHECK(w.weights == q / 2 + 2 * 32000ULL * 4096 * 2 + 65ULL * 4096 * 2);
  const std::uint64_t absmax = q / 64, nested = q / 64 / 256 * 4;
  CHECK(static_cast<double>(absmax * 8 + nested * 8) / static_cast<double>(q) == Approx(8.0 / 64 + 32.0 / (64 * 256)));
  // JSON: {"quant_type": "nf4", "blocksize": 64, "dtype": "float16", "shape": [4096, 4096],
  // "nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": <19 chars>} = 171 B for
  // [4096, 4096] and 172 B for [11008, 4096] / [4096, 11008] (lengths of Python's json.dumps).
  const std::uint64_t json = 32 * (4 * 171 + 3 * 172);
  CHECK(w.quant_metadata == absmax + nested + linears * (256 * 4 + 16 * 4) + json);
  CHECK(w.approximate);
}

TEST_CASE("FP8 block scales (DeepSeek-V3 weight_block_size 128×128)", "[weights][fp8]") {
  // q_a_proj [1536, 7168]: 12 × 56 scale blocks; kv_b_proj [32768, 512]: 256 × 4 blocks.
  const auto m = catalog_model("deepseek-ai--DeepSeek-V3.json");
  const auto w = bytes_of(m, "auto");
  CHECK(w.format.kind == vram::WeightKind::Fp8);
  // Every Linear in a decoder block is e4m3 (1 B) with fp32 scale per 128×128 block; routers,
  // embeddings, norms and lm_head stay bf16. The fp8 payload is one byte per quantised param.
  CHECK(w.weights == w.quantized_params + w.dense_params * 2);
  CHECK(w.quant_metadata > w.quantized_params / (128 * 128) * 4);
  CHECK(w.quant_metadata < w.quantized_params / (128 * 128) * 4 * 11 / 10);
  CHECK(w.dense_params == 2 * 129280ULL * 7168 + 58ULL * 256 * 7168 + (61ULL * 2 * 7168 + 61ULL * (1536 + 512) + 7168));
}

TEST_CASE("GGUF file sizes of Llama-3.1-8B match llama.cpp's quantize table", "[weights][gguf]") {
  // Oracle: ggml-org/llama.cpp@311c2c9 tools/quantize/README.md (oracles.md §3.7a), bits/weight
  // to 4 decimals and GiB to 2 decimals. Tolerance: ±0.0001 bpw and ±0.005 GiB (print rounding;
  // our file omits the 64-float rope_freqs tensor, 256 B). Files needing an importance matrix
  // (IQ1/IQ2/IQ3_XXS/Q2_K_S) are assumed made with one, the others without; that choice decides
  // IQ3_XXS (ffn_down) and IQ4_XS / IQ4_NL (first ffn_down layers) and matches every row.
  const auto m = catalog_model("meta-llama--Llama-3.1-8B.json");
  struct Row {
    const char* type;
    double bpw, gib;
  };
  const Row rows[] = {{"IQ1_S", 2.0042, 1.87},  {"IQ1_M", 2.1460, 2.01},  {"IQ2_XXS", 2.3824, 2.23}, {"IQ2_XS", 2.5882, 2.42},
                      {"IQ2_S", 2.7403, 2.56},  {"IQ2_M", 2.9294, 2.74},  {"IQ3_XXS", 3.2548, 3.04}, {"IQ3_XS", 3.4977, 3.27},
                      {"IQ3_S", 3.6606, 3.42},  {"IQ3_M", 3.7628, 3.52},  {"IQ4_XS", 4.4597, 4.17},  {"IQ4_NL", 4.6818, 4.38},
                      {"Q2_K_S", 2.9697, 2.78}, {"Q2_K", 3.1593, 2.95},   {"Q3_K_S", 3.6429, 3.41},  {"Q3_K_L", 4.2979, 4.02},
                      {"Q4_K_S", 4.6672, 4.36}, {"Q4_K_M", 4.8944, 4.58}, {"Q5_K_S", 5.5704, 5.21},  {"Q5_K_M", 5.7036, 5.33},
                      {"Q6_K", 6.5633, 6.14},   {"Q8_0", 8.5008, 7.95},   {"F16", 16.0005, 14.96}};
  for (const Row& r : rows) {
    INFO(r.type);
    const auto w = bytes_of(m, std::string("gguf:") + r.type);
    const double bpw = static_cast<double>(w.total()) * 8 / static_cast<double>(m.inventory.total_params);
    CHECK(std::fabs(bpw - r.bpw) < 1e-4);
    CHECK(std::fabs(static_cast<double>(w.total()) / kGiB - r.gib) < 0.005);
  }
}

TEST_CASE("GGUF Q4_K_M recipe: attn_v and ffn_down in Q6_K for use_more_bits layers", "[weights][gguf]") {
  // Llama-3.1-8B, 32 layers: use_more_bits → layers 0-3, 28-31 and 6, 9, …, 27 (16 layers).
  const auto m = catalog_model("meta-llama--Llama-3.1-8B.json");
  auto f = vram::parse_weight_format("gguf:Q4_K_M");
  REQUIRE(f.ok());
  auto l = vram::weight_layout(m, f.value());
  REQUIRE(l.ok());
  const std::uint64_t q4 = 144, q6 = 210;  // bytes per 256
  const std::uint64_t base = (2 * 4096ULL * 4096 + 4096ULL * 1024 + 2 * 4096ULL * 14336) / 256 * q4 + 2 * 4096 * 4;
  const std::uint64_t more = (4096ULL * 1024 + 14336ULL * 4096) / 256 * q6;
  const std::uint64_t less = (4096ULL * 1024 + 14336ULL * 4096) / 256 * q4;
  CHECK(l.value().layer_bytes[0] == base + more);
  CHECK(l.value().layer_bytes[4] == base + less);
  CHECK(l.value().layer_bytes[6] == base + more);
  CHECK(l.value().layer_bytes[31] == base + more);
  CHECK(l.value().input_bytes == 128256ULL * 4096 / 256 * q4);            // token_embd Q4_K
  CHECK(l.value().output_bytes == 128256ULL * 4096 / 256 * q6 + 4096 * 4);  // output Q6_K + norm F32
}

TEST_CASE("layout sums to the weight total for every format", "[weights][layout]") {
  for (const char* file : {"meta-llama--Llama-3.1-8B-Instruct.json", "openai--gpt-oss-20b.json", "Qwen--Qwen3-30B-A3B.json",
                           "google-t5--t5-base.json", "google-bert--bert-base-uncased.json", "deepseek-ai--DeepSeek-V2-Lite.json",
                           "google--gemma-3-4b-it.json", "openai-community--gpt2.json", "mistralai--Mixtral-8x7B-v0.1.json"}) {
    const auto m = catalog_model(file);
    for (const auto& id : vram::weight_format_ids()) {
      INFO(file << " " << id);
      auto f = vram::parse_weight_format(id);
      REQUIRE(f.ok());
      auto w = vram::weight_bytes(m, f.value());
      auto l = vram::weight_layout(m, f.value());
      REQUIRE(w.ok());
      REQUIRE(l.ok());
      std::uint64_t sum = l.value().input_bytes + l.value().output_bytes;
      for (auto b : l.value().layer_bytes) sum += b;
      CHECK(sum == w.value().total());
      CHECK(w.value().quantized_params + w.value().dense_params == m.inventory.total_params);
      // The explanation is the arithmetic: its value is the exact byte count.
      CHECK(w.value().weights_formula.value() == w.value().weights);
      CHECK(w.value().metadata_formula.value() == w.value().quant_metadata);
      CHECK_FALSE(vram::test::explanation(w.value().weights_formula).empty());
    }
  }
}

TEST_CASE("dense formats: parameters × element size", "[weights][dense]") {
  const auto m = catalog_model("meta-llama--Llama-3.1-8B.json");
  // transformers 4.57 counts 8,030,261,248 parameters (tests/data/reference_params.json).
  CHECK(bytes_of(m, "bf16").total() == 8030261248ULL * 2);
  CHECK(bytes_of(m, "fp32").total() == 8030261248ULL * 4);
  CHECK(bytes_of(m, "auto").format.kind == vram::WeightKind::BF16);
}

TEST_CASE("GPTQ layout: qweight, qzeros, scales, g_idx", "[weights][gptq]") {
  // One Linear [out 64, in 256], 4-bit, group 128: qweight 256/32·4 × 64 int32 = 8192 B;
  // qzeros 2 × 64/32·4 int32 = 64 B; scales 2 × 64 fp16 = 256 B; g_idx 256 int32 = 1024 B.
  auto mm = vram::load_model(R"({"model_type":"llama","vocab_size":64,"hidden_size":256,"intermediate_size":512,
    "num_hidden_layers":1,"num_attention_heads":4,"num_key_value_heads":1,"torch_dtype":"float16"})");
  REQUIRE(mm.ok());
  const auto w = bytes_of(mm.value(), "gptq-4-g128");
  // k_proj and v_proj are [64, 256]; q/o [256, 256]; gate/up [512, 256]; down [256, 512].
  auto lin = [](std::uint64_t out, std::uint64_t in) { return in / 32 * 4 * out * 4; };
  auto meta = [](std::uint64_t out, std::uint64_t in) { return (in + 127) / 128 * (out / 32 * 4) * 4 + (in + 127) / 128 * out * 2 + in * 4; };
  CHECK(lin(64, 256) == 8192);
  CHECK(meta(64, 256) == 64 + 256 + 1024);
  const std::uint64_t ql = 2 * lin(256, 256) + 2 * lin(64, 256) + 2 * lin(512, 256) + lin(256, 512);
  const std::uint64_t qm = 2 * meta(256, 256) + 2 * meta(64, 256) + 2 * meta(512, 256) + meta(256, 512);
  CHECK(w.quant_metadata == qm);
  CHECK(w.weights == ql + (2 * 64 * 256 + 3 * 256) * 2);
}
