#include "vram/estimate/fit.hpp"

namespace vram {

Fit fit(const Report& report, const Gpu& gpu) {
  Fit f;
  f.usable_bytes = gpu.usable_bytes();
  f.needed_bytes = report.total_bytes;
  f.gpus = report.gpus;
  f.headroom_bytes = static_cast<std::int64_t>(f.usable_bytes) - static_cast<std::int64_t>(f.needed_bytes);
  f.fits = f.headroom_bytes >= 0;
  // vLLM claims gpu_memory_utilization of the card up front; what must fit is the requested
  // sequences in its KV pool (reported by the estimate as the fact kv_pool_fits).
  for (const auto& fact : report.facts)
    if (fact.id == "kv_pool_fits" && fact.value < 1) f.fits = false;
  return f;
}

}  // namespace vram
