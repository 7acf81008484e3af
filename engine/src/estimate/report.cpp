#include "vram/estimate/report.hpp"

#include <algorithm>

namespace vram {

const char* to_string(Phase phase) noexcept {
  switch (phase) {
    case Phase::Load: return "load";
    case Phase::Prefill: return "prefill";
    case Phase::Decode: return "decode";
    case Phase::Forward: return "forward";
    case Phase::Backward: return "backward";
    case Phase::OptimizerStep: return "optimizer_step";
  }
  return "load";
}

void finalize(Report& report) {
  // Phases in the order they first appear on items; GPU items only.
  report.phases.clear();
  report.cpu_bytes = 0;
  for (const auto& item : report.items) {
    if (item.cpu) {
      report.cpu_bytes += item.bytes;
      continue;
    }
    for (Phase p : item.phases) {
      auto it = std::find_if(report.phases.begin(), report.phases.end(), [p](const PhaseTotal& t) { return t.phase == p; });
      if (it == report.phases.end()) {
        report.phases.push_back({p, 0});
        it = report.phases.end() - 1;
      }
      it->bytes += item.bytes;
    }
  }
  std::sort(report.phases.begin(), report.phases.end(),
            [](const PhaseTotal& a, const PhaseTotal& b) { return a.phase < b.phase; });
  report.total_bytes = 0;
  report.peak_phase = Phase::Load;
  for (const auto& t : report.phases) {
    if (t.bytes > report.total_bytes) {
      report.total_bytes = t.bytes;
      report.peak_phase = t.phase;
    }
  }
  for (const auto& item : report.items)
    if (item.approximate) report.approximate = true;
}

}  // namespace vram
