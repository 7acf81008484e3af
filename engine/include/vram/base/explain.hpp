// Builds the `explain` strings of line items: the formula with its substituted values, written the
// way people work it out by hand: "2 × 80 layers × 8 kv_heads × 128 head_dim × 8192 tokens × 2 B".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vram {

// Explanations can be switched off for bulk evaluation (sweeps, inverse solves) where only the
// numbers are read: the arithmetic is identical, only the strings are skipped. Not thread-safe,
// like the rest of the engine's callers (the CLI and the single-threaded WebAssembly module).
[[nodiscard]] bool explaining() noexcept;
class QuietExplain {
 public:
  QuietExplain() noexcept;
  ~QuietExplain();
  QuietExplain(const QuietExplain&) = delete;
  QuietExplain& operator=(const QuietExplain&) = delete;

 private:
  bool previous_;
};

class Explain {
 public:
  // Appends "× <value> <unit>" (the first term has no "×").
  Explain& times(std::uint64_t value, std::string_view unit = {});
  Explain& times(double value, std::string_view unit = {});
  Explain& plus(std::string_view text);   // appends " + text"
  Explain& text(std::string_view text);   // appends raw text
  // Appends " = <bytes in GiB/MiB>" for readability (exact bytes stay in the item).
  Explain& equals_bytes(std::uint64_t bytes);
  [[nodiscard]] const std::string& str() const { return s_; }
  operator const std::string&() const { return s_; }  // NOLINT(google-explicit-constructor)

 private:
  std::string s_;
};

// "1.50 GiB", "512.0 MiB", "1,234 B" (binary units, labelled as such).
[[nodiscard]] std::string format_bytes(std::uint64_t bytes);
// "8,030,261,248": an integer with thousands separators.
[[nodiscard]] std::string format_count(std::uint64_t value);
// Shortest exact-enough rendering of a double: 2, 0.5, 1.125, 4.5.
[[nodiscard]] std::string format_number(double value);

}  // namespace vram
