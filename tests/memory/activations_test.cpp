// activations.cpp: per-layer saved tensors against Korthikanti et al. Table 2 where the block matches
// the paper's (GPT-style, LayerNorm, plain 4h MLP, eager attention, dropout).
#include <catch2/catch.hpp>

#include "vram/memory/activations.hpp"

namespace {
vram::ModelDescription gpt_like() {
  vram::ModelDescription s;
  s.hidden_size = 1024;
  s.num_heads = 16;
  s.num_kv_heads = 16;
  s.head_dim = 64;
  s.intermediate_size = 4096;
  s.num_layers = 2;
  s.mlp = vram::MlpKind::Plain;
  s.norm = vram::NormKind::LayerNorm;
  return s;
}
}  // namespace

TEST_CASE("Korthikanti Table 2: 34·sbh + 5·a·s²·b with eager attention and dropout", "[activations]") {
  // Paper: s·b·h·(34 + 5·a·s/h) bytes per layer, 16-bit. Our eager block saves the same tensors except
  // the softmax output is fp32 (transformers softmax(dtype=float32)) and cast: 4 + 2 instead of 2 B,
  // i.e. exactly 2·a·s²·b more than the paper.
  vram::ActivationOptions o;
  o.micro_batch = 2;
  o.seq = 512;
  o.attn = vram::AttentionImpl::Eager;
  o.dropout = true;
  const auto s = gpt_like();
  const auto l = vram::layer_activations(s, o, false);
  const std::uint64_t paper = vram::korthikanti_layer_bytes(512, 2, 1024, 16);
  CHECK(l.bytes.value() == paper + 2 * 16 * 512 * 512 * 2);
  // TP 4 without SP: 10·sbh replicated + (24·sbh + 5·a·s²·b) / t (plus our fp32 softmax term / t).
  o.tp = 4;
  const auto t = vram::layer_activations(s, o, false);
  const std::uint64_t sbh = 512 * 2 * 1024;
  CHECK(t.bytes.value() == 10 * sbh + (24 * sbh + 7ull * 16 * 512 * 512 * 2) / 4);
}

TEST_CASE("flash attention drops the s² terms, keeps the logsumexp", "[activations]") {
  vram::ActivationOptions o;
  o.micro_batch = 1;
  o.seq = 4096;
  o.attn = vram::AttentionImpl::Flash;
  const auto s = gpt_like();
  const auto l = vram::layer_activations(s, o, false);
  CHECK(l.score_bytes.value() == 0);
  // LN 2·2sbh, qkv input 2sbh, q k v out 8sbh, lse 4·a·s·b, MLP input 2sbh + 2·(2·4sbh) → 32sbh + 4·a·s·b.
  const std::uint64_t sbh = 4096 * 1024;
  CHECK(l.bytes.value() == 32 * sbh + 4 * 16 * 4096);
}

TEST_CASE("logits with the fp32 loss upcast", "[activations]") {
  // ForCausalLMLoss: bf16 logits + fp32 log_softmax output; fp32 copy during the loss; fp32 grad + bf16 cast.
  const auto lg = vram::logits_bytes(2, 4096, 128256, vram::DType::BF16, 1);
  const std::uint64_t n = 2ull * 4096 * 128256;
  CHECK(lg.logits.value() == n * 6);
  CHECK(lg.upcast.value() == n * 4);
  CHECK(lg.grad.value() == n * 6);
  CHECK(vram::logits_bytes(1, 8, 100, vram::DType::F32, 1).upcast.value() == 0);  // .float() is a no-op in fp32
}
