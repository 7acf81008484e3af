// explain.cpp: formatted sizes and formula strings.
#include <catch2/catch.hpp>

#include "vram/base/explain.hpp"

TEST_CASE("format_bytes uses binary units, labelled as such, rounded half up", "[explain]") {
  CHECK(vram::format_bytes(0) == "0 B");
  CHECK(vram::format_bytes(1023) == "1023 B");
  CHECK(vram::format_bytes(1024) == "1.0 KiB");
  CHECK(vram::format_bytes(1536) == "1.5 KiB");
  CHECK(vram::format_bytes(256ull << 20) == "256.0 MiB");
  CHECK(vram::format_bytes(1ull << 30) == "1.00 GiB");
  CHECK(vram::format_bytes(16060522496ull) == "14.96 GiB");    // Llama-3.1-8B bf16 weights
  CHECK(vram::format_bytes((1ull << 30) * 2 - 1) == "2.00 GiB");  // rounds up across the unit
  CHECK(vram::format_bytes(~0ull) == "17179869184.00 GiB");
}

TEST_CASE("Explain joins terms with ×", "[explain]") {
  const std::string e = vram::Explain().times(std::uint64_t{2}).times(std::uint64_t{80}, "layers").times(std::uint64_t{8}, "kv_heads").times(0.5, "B").str();
  CHECK(e == "2 × 80 layers × 8 kv_heads × 0.5 B");
  CHECK(vram::Explain().times(std::uint64_t{8192}, "tokens").equals_bytes(1ull << 30).str() == "8,192 tokens = 1.00 GiB");
}

TEST_CASE("a factor after an opening bracket or an operator gets no ×", "[explain]") {
  // Oracle: the hand-written formula. Found by the property tests: "2 states × ( × 829,440 params".
  const std::string e = vram::Explain()
                            .times(std::uint64_t{2}, "states")
                            .text(" × (")
                            .times(std::uint64_t{829440}, "params")
                            .times(std::uint64_t{1}, "B")
                            .text(" + ")
                            .times(std::uint64_t{3240}, "blocks")
                            .text(")")
                            .times(std::uint64_t{4}, "B")
                            .str();
  CHECK(e == "2 states × (829,440 params × 1 B + 3,240 blocks) × 4 B");
  CHECK(vram::Explain().text("T =").times(std::uint64_t{3}).str() == "T = 3");
  CHECK(vram::Explain().text("GPU 2 B × ").times(std::uint64_t{7}, "params").str() == "GPU 2 B × 7 params");
}
