// formula.cpp: quantities that explain themselves and never wrap. Oracle: the hand calculation.
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "vram/base/formula.hpp"

using vram::Msg;
using vram::Q;

TEST_CASE("a product reads like the hand calculation and equals it", "[formula]") {
  const Q kv = Q::of(2) * Q::of(80, Msg::term_layers) * Q::of(8, Msg::term_kv_heads) * Q::of(128, Msg::term_head_dim) *
               Q::input(8192, Msg::term_tokens, vram::option_field("context")) *
               Q::of(2, vram::Message{Msg::term_bytes_dtype, {{"dtype", "bf16"}}});
  CHECK(kv.value() == 2ull * 80 * 8 * 128 * 8192 * 2);
  CHECK(vram::test::explanation(kv.as_bytes()) == "2 × 80 layers × 8 kv_heads × 128 head_dim × 8,192 tokens × 2 B (bf16) = 2.50 GiB");
}

TEST_CASE("sums inside products are bracketed, named parts show their value", "[formula]") {
  const Q states = Q::of(2, Msg::term_states) * (Q::of(829440, Msg::term_params) + Q::of(3240, Msg::term_absmax_blocks)) *
                   Q::of(4, Msg::term_bytes);
  CHECK(states.value() == 2ull * (829440 + 3240) * 4);
  CHECK(vram::test::explanation(states) == "2 states × (829,440 params + 3,240 blocks of 256 × absmax) × 4 B = 6,661,440");
  const Q m = vram::max({Q::of(3).named(Msg::stage_attention), Q::of(5).named(Msg::stage_mlp)});
  CHECK(m.value() == 5);
  CHECK(vram::test::explanation(m) == "max(attention (3 = 3), MLP (5 = 5)) = 5");
}

TEST_CASE("a product above 2^62 is an overflow blamed on its largest input", "[formula]") {
  const Q seq = Q::input(1u << 20, Msg::term_seq_len, vram::option_field("seq"));
  const Q batch = Q::input(4096, Msg::term_batch, vram::option_field("batch"));
  const Q big = seq * batch * Q::of(std::uint64_t{1} << 40);
  CHECK(big.overflowed());
  CHECK(big.value() == vram::kQuantityLimit);  // saturated, never wrapped
  CHECK(big.blame().name == "seq");
  CHECK_FALSE((seq * batch).overflowed());
  // The poison travels through every later operation.
  CHECK((big + Q::of(1)).overflowed());
  CHECK(vram::div(big, Q::of(2)).overflowed());
}

TEST_CASE("minus never goes below zero and says so", "[formula]") {
  const Q pool = vram::minus(Q::bytes(10, Msg::term_gpu_memory), Q::bytes(20, Msg::term_non_kv_memory));
  CHECK(pool.value() == 0);
  CHECK_THAT(vram::test::explanation(pool), Catch::StartsWith("max(0, "));
}

TEST_CASE("without explanations the numbers are the same and no tree is built", "[formula]") {
  const vram::ExplainScope quiet(false);
  const Q q = Q::of(3, Msg::term_layers) * Q::of(7);
  CHECK(q.value() == 21);
  CHECK(q.node() == nullptr);
}
