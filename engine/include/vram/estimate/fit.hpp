// Does an estimate fit on a card: usable memory against the estimate's peak, per GPU.
#pragma once

#include <cstdint>

#include "vram/estimate/report.hpp"
#include "vram/workload/gpus.hpp"

namespace vram {

struct Fit {
  bool fits = false;
  std::int64_t headroom_bytes = 0;  // usable − needed, per GPU (negative = short by)
  std::uint64_t usable_bytes = 0;   // per GPU
  std::uint64_t needed_bytes = 0;   // per GPU (report.total_bytes)
  std::uint32_t gpus = 1;
};
[[nodiscard]] Fit fit(const Report& report, const Gpu& gpu);

}  // namespace vram
