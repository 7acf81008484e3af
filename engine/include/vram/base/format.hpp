// Numbers as people read them: binary byte units labelled as such, thousands separators, and the
// shortest decimal of a double. Locale-independent; no printf (integer arithmetic and a small
// shortest-round-trip search), so the same text comes out natively and in WebAssembly.
#pragma once

#include <cstdint>
#include <string>

namespace vram {

// "1.50 GiB", "512.0 MiB", "1.0 KiB", "1023 B" (GiB with two decimals, MiB/KiB with one).
[[nodiscard]] std::string format_bytes(std::uint64_t bytes);
// "8,030,261,248".
[[nodiscard]] std::string format_count(std::uint64_t value);
// Integers with separators ("4,096"), others with the fewest significant digits (≤ 6) that
// print the value as %.6g would: 0.9, 1.5, 0.000123, 1.25e+20.
[[nodiscard]] std::string format_number(double value);

}  // namespace vram
