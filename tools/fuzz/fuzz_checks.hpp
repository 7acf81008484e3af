// Invariants every fuzz target checks on what the engine returns. A violation is a bug the
// sanitizers cannot see (a wrong number shown silently), so it traps and libFuzzer keeps the input.
#pragma once

#include <cmath>
#include <cstdint>

#include "vram/estimate/solve.hpp"
#include "vram/estimate/report.hpp"
#include "vram/base/result.hpp"

namespace vram::fuzz {

#define VRAM_FUZZ_CHECK(cond) \
  do {                        \
    if (!(cond)) __builtin_trap(); \
  } while (0)

// Errors are values that say what is wrong and where.
inline void check_error(const Error& e) {
  VRAM_FUZZ_CHECK(!e.field.empty());
  VRAM_FUZZ_CHECK(!e.message.empty());
  VRAM_FUZZ_CHECK(!render(e, english_catalog()).empty());
}

template <class T>
inline void check_if_error(const Result<T>& r) {
  if (!r) check_error(r.error());
}

// Byte counts are unsigned; a negative intermediate wrapped around shows up at or above 2^63.
inline constexpr std::uint64_t kWrapped = std::uint64_t{1} << 63;

inline std::uint64_t add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t s = 0;
  VRAM_FUZZ_CHECK(!__builtin_add_overflow(a, b, &s));
  return s;
}

// Items ≥ 0 (not wrapped), every phase total is the sum of its resident GPU items without
// overflow, the total is the peak phase, CPU bytes are the CPU items, every fact is finite.
inline void check_report(const Report& r) {
  std::uint64_t cpu = 0;
  for (const auto& item : r.items) {
    VRAM_FUZZ_CHECK(!item.id.empty());
    VRAM_FUZZ_CHECK(item.bytes < kWrapped);
    VRAM_FUZZ_CHECK(item.formula.value() == item.bytes);  // the explanation is the arithmetic
    VRAM_FUZZ_CHECK(!item.formula.overflowed());
    if (item.cpu) cpu = add(cpu, item.bytes);
  }
  VRAM_FUZZ_CHECK(cpu == r.cpu_bytes);
  std::uint64_t peak = 0;
  for (const auto& t : r.phases) {
    std::uint64_t sum = 0;
    for (const auto& item : r.items)
      if (!item.cpu && item.phases.contains(t.phase)) sum = add(sum, item.bytes);
    VRAM_FUZZ_CHECK(sum == t.bytes);
    if (sum > peak) peak = sum;
  }
  VRAM_FUZZ_CHECK(peak == r.total_bytes);
  VRAM_FUZZ_CHECK(r.gpus >= 1);
  for (const auto& f : r.facts) {
    VRAM_FUZZ_CHECK(!f.id.empty());
    VRAM_FUZZ_CHECK(std::isfinite(f.value));
  }
}

inline void check_fit(const Fit& f, const Report& r) {
  VRAM_FUZZ_CHECK(f.needed_bytes == r.total_bytes);
  VRAM_FUZZ_CHECK(f.fits == (f.needed_bytes <= f.usable_bytes));
  VRAM_FUZZ_CHECK(f.headroom_bytes == static_cast<std::int64_t>(f.usable_bytes) - static_cast<std::int64_t>(f.needed_bytes));
}

inline void check_sweep(const Sweep& s, std::uint64_t from, std::uint64_t to, std::uint32_t points) {
  VRAM_FUZZ_CHECK(s.x.size() == points);
  VRAM_FUZZ_CHECK(s.total_bytes.size() == points);
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    VRAM_FUZZ_CHECK(s.x[i] >= from && s.x[i] <= to);
    if (i > 0) VRAM_FUZZ_CHECK(s.x[i] >= s.x[i - 1]);
    VRAM_FUZZ_CHECK(s.total_bytes[i] < kWrapped);
  }
}

}  // namespace vram::fuzz
