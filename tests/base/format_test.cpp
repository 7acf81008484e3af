// format.cpp: byte counts, counts and numbers as people read them (no printf).
#include <catch2/catch.hpp>

#include "vram/base/format.hpp"

TEST_CASE("format_bytes uses binary units, labelled as such, rounded half up", "[format]") {
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

TEST_CASE("format_number prints integers with separators and others as %.6g would", "[format]") {
  // Oracle: C's printf("%.6g") for the non-integers.
  CHECK(vram::format_number(4096) == "4,096");
  CHECK(vram::format_number(-3) == "-3");
  CHECK(vram::format_number(0.9) == "0.9");
  CHECK(vram::format_number(1.5) == "1.5");
  CHECK(vram::format_number(0.000123) == "0.000123");
  CHECK(vram::format_number(0.00001234567) == "1.23457e-05");
  CHECK(vram::format_number(1.25e20) == "1.25e+20");
  CHECK(vram::format_number(123456.789) == "123457");
  CHECK(vram::format_number(2.5e15) == "2.5e+15");
  CHECK(vram::format_number(0.1 + 0.2) == "0.3");
}

TEST_CASE("format_count groups thousands", "[format]") {
  CHECK(vram::format_count(0) == "0");
  CHECK(vram::format_count(999) == "999");
  CHECK(vram::format_count(8030261248ull) == "8,030,261,248");
}
