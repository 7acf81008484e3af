// optimizer.cpp: precision plans and optimizer state bytes (formulas from the framework sources).
#include <catch2/catch.hpp>

#include "vram/memory/optimizer.hpp"

using vram::Optimizer;
using vram::TensorShape;

TEST_CASE("bitsandbytes 8-bit state layout", "[optimizer]") {
  // bitsandbytes optim/optimizer.py: uint8 state + fp32 absmax per 256-element block; < 4096 elements stays fp32.
  STATIC_REQUIRE(vram::bnb_state_bytes(4095) == 4095 * 4);
  STATIC_REQUIRE(vram::bnb_state_bytes(4096) == 4096 + 16 * 4);
  STATIC_REQUIRE(vram::bnb_state_bytes(4097) == 4097 + 17 * 4);
  const std::vector<TensorShape> t{{4096, 4096, 2}, {4096, 1, 3}};
  const auto s = vram::optimizer_states(Optimizer::AdamW8bit, t, vram::DType::F32, -1);
  CHECK(s.bytes.value() == 2 * (2 * vram::bnb_state_bytes(4096 * 4096) + 3 * vram::bnb_state_bytes(4096)));
  CHECK(s.step_temporary.value() == 0);
  CHECK(vram::optimizer_states(Optimizer::PagedAdamW8bit, t, vram::DType::F32, -1).notes.size() == 1);
}

TEST_CASE("Adam, SGD, Lion, Adafactor state bytes", "[optimizer]") {
  const std::vector<TensorShape> t{{1000, 500, 2}, {1000, 1, 4}};
  const std::uint64_t n = 1000 * 500 * 2 + 1000 * 4;
  CHECK(vram::optimizer_states(Optimizer::AdamW, t, vram::DType::F32, -1).bytes.value() == n * 8);
  CHECK(vram::optimizer_states(Optimizer::AdamW, t, vram::DType::F32, -1).step_temporary.value() == n * 4);
  CHECK(vram::optimizer_states(Optimizer::AdamW, t, vram::DType::BF16, -1).bytes.value() == n * 4);  // pure bf16
  CHECK(vram::optimizer_states(Optimizer::Sgd, t, vram::DType::F32, -1).bytes.value() == 0);
  CHECK(vram::optimizer_states(Optimizer::SgdMomentum, t, vram::DType::F32, -1).bytes.value() == n * 4);
  CHECK(vram::optimizer_states(Optimizer::Lion, t, vram::DType::F32, -1).bytes.value() == n * 4);
  // Adafactor: row + column for matrices, full for vectors.
  CHECK(vram::optimizer_states(Optimizer::Adafactor, t, vram::DType::F32, -1).bytes.value() == (2 * (1000 + 500) + 4 * 1000) * 4);
  // Override: 1 byte per state element.
  CHECK(vram::optimizer_states(Optimizer::AdamW, t, vram::DType::F32, 1.0).bytes.value() == n * 2);
}

TEST_CASE("precision plans", "[optimizer]") {
  const auto amp = vram::precision_plan(vram::Precision::AmpBf16);
  CHECK(amp.weights == vram::DType::F32);
  CHECK(amp.compute == vram::DType::BF16);
  CHECK(amp.autocast);
  const auto mixed = vram::precision_plan(vram::Precision::MixedBf16);
  CHECK(mixed.weights == vram::DType::BF16);
  CHECK(mixed.master_fp32);
  CHECK(vram::precision_plan(vram::Precision::Bf16).states == vram::DType::BF16);
  // transformers model_memory_anatomy.md: mixed precision AdamW = 6 (fp32 + 16-bit weights)… the AMP
  // plan here keeps one fp32 copy and a cached 16-bit cast: 4 + 2 weights, 4 grads, 8 states = 18 B/param.
  CHECK(vram::dtype_bytes(amp.weights) + 2 + vram::dtype_bytes(amp.grads) + 2 * vram::dtype_bytes(amp.states) == 18);
}
