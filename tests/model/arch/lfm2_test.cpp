// arch/lfm2.cpp: LFM2's short-conv / attention hybrid. Oracle: LFM2-1.2B's published total
// 1,170,340,608 (shared/reference/next/README.md) and Lfm2ShortConv / Lfm2MLP written out below.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "vram/memory/kv_cache.hpp"

using namespace vram;

TEST_CASE("LFM2-1.2B: 10 conv + 6 attention layers, adjusted feed-forward width", "[arch][lfm2][oracle]") {
  // h 2048, vocab 65536 (tied); ff = 256 · ceil(int(2 · 12288 / 3) / 256) = 8192.
  constexpr std::uint64_t h = 2048, ff = 8192;
  constexpr std::uint64_t conv = 3 * h * h + h * 3 + h * h;                    // in_proj, conv [h, 1, 3], out_proj
  constexpr std::uint64_t attn = h * h + 2 * 512 * h + h * h + 2 * 64;         // q, k, v, out_proj, q/k_layernorm
  constexpr std::uint64_t layer = 3 * h * ff + 2 * h;                          // w1, w3, w2, operator/ffn norms
  STATIC_REQUIRE(65536 * h + 10 * (conv + layer) + 6 * (attn + layer) + h == 1'170'340'608);
  const auto inv = test::catalog_inventory("LiquidAI--LFM2-1.2B.json");
  CHECK(inv.total_params == 1'170'340'608);
}

TEST_CASE("LFM2: conv layers keep (L − 1) or L columns of h per sequence, no KV", "[arch][lfm2][kv_cache]") {
  const auto spec = test::spec_of(test::read_repo_file("engine/catalog/models/LiquidAI--LFM2-1.2B.json"));
  KvRequest r;
  r.context = 4096;
  const auto e = resolve_kv_element(KvKind::Auto, DType::BF16, Runtime::Transformers).value();
  const auto t = kv_cache_bytes(spec, kv_width(spec, Runtime::Transformers, 1), e, r, 0, 16);
  CHECK(t.per_token.value() == 6 * 2 * 8 * 64 * 2);          // 6 attention layers
  CHECK(t.state.value() == 10 * 2048 * 3 * 2);               // Lfm2HybridConvCache [h, L_cache] bf16
  r.runtime = Runtime::LlamaCpp;
  const auto el = resolve_kv_element(KvKind::Auto, DType::BF16, Runtime::LlamaCpp).value();
  CHECK(kv_cache_bytes(spec, kv_width(spec, Runtime::LlamaCpp, 1), el, r, 0, 16).state.value() == 10 * 2048 * 2 * 4);  // n_embd_r f32
  // Without layer_types or full_attn_idxs every layer is attention (Lfm2Config default).
  const auto all = test::spec_of(R"({"model_type":"lfm2","vocab_size":10,"hidden_size":64,"num_hidden_layers":2,
    "num_attention_heads":4,"num_key_value_heads":2,"intermediate_size":96})");
  CHECK(all.layers[1].kind == LayerKind::Attention);
}
